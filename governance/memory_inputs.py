"""What a full assessment takes from a memory of the last assessed day, in one pass.

A full run after another reminder policy, calendar or rules version (or when asked for) judges
every item, but most items' inputs are what the memory of the last assessed day holds: each
item's previous state and stale flag, and, for an item with no update since its row was
written, its latest update and forecast (:func:`governance.incremental.known_latest`). A
finished item's judgement also reads its completion day, which the memory does not keep: it is
read by the remembered latest update's id (:func:`recall_finished`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import date
from typing import NamedTuple

from governance.incremental import Remembered
from governance.records import positional_constructor
from governance.updates import FINISHED, StatusUpdate, UpdateStatus

__all__ = ["MemoryInputs", "recall_finished", "remembered_inputs"]

_STATUSES = {s.value: s for s in UpdateStatus}
_FINISHED_VALUES = frozenset(s.value for s in FINISHED)
#: ``StatusUpdate(*fields)`` without the frozen dataclass's per-field ``object.__setattr__``.
_new_update = positional_constructor(StatusUpdate)


class MemoryInputs(NamedTuple):
    """:func:`remembered_inputs`' answer."""

    previous: dict[str, str]  # item → remembered state value
    stale: set[str]  # items remembered stale
    missing: list[str]  # items the memory lacks (their previous states are read)
    unknown: list[str]  # items whose updates are read: those missing or updated since
    latest: dict[str, StatusUpdate]  # the known items' latest updates (lighter copies)
    forecasts: dict[str, date]  # the known items' latest forecasts
    finished: dict[int, str]  # remembered latest update id → finished item not updated since


def remembered_inputs(
    item_ids: Iterable[str], memory: Mapping[str, Remembered], updated: Collection[str]
) -> MemoryInputs:
    """One pass over ``item_ids`` (the plan's) and their memory rows: each remembered item's
    previous state and stale flag; the items the memory lacks; the items whose updates must be
    read (lacking a row, or in ``updated``: an update counts for them that the row's
    assessment did not count, or a finished one whose latest update's id is not kept or is
    another item's before it); the
    latest update and forecast of the known ones — a row, no update since, not finished — as
    their rows tell them; and the finished ones with a row and no update since, by their
    latest update's id (:func:`recall_finished`).

    The known items' updates are lighter copies (id, day, status and source: all the rules
    and the reminders read of an unfinished item's latest update; no comment or author;
    source ``"memory"`` when the row does not say), as the incremental path makes them. Made
    here, in the same pass, where a second walk over the known items made them before: a full
    run at 100,000 items has ≈ 70,000 of them."""
    finished_values, statuses, make = _FINISHED_VALUES, _STATUSES, _new_update
    previous: dict[str, str] = {}
    stale: set[str] = set()
    missing: list[str] = []
    unknown: list[str] = []
    latest: dict[str, StatusUpdate] = {}
    forecasts: dict[str, date] = {}
    finished: dict[int, str] = {}
    found = memory.get
    for item_id in item_ids:
        r = found(item_id)
        if r is None:
            missing.append(item_id)
            unknown.append(item_id)
            continue
        state, _, flag, _, _, _, latest_id, latest_on, status, forecast, source = r
        previous[item_id] = state
        if flag:
            stale.add(item_id)
        if item_id in updated:
            unknown.append(item_id)
        elif status not in finished_values:
            if latest_on is not None and status is not None:
                latest[item_id] = make(
                    item_id, statuses[status], latest_on,
                    None, None, None, None, source or "memory", None, latest_id, None,
                )  # fmt: skip
            if forecast is not None:
                forecasts[item_id] = forecast
        elif latest_id is None or finished.setdefault(latest_id, item_id) != item_id:
            # Finished, its latest update's id not kept, or kept for an item before it (one
            # of the two rows is wrong: the id's row tells which, else every pick is read).
            unknown.append(item_id)
    return MemoryInputs(previous, stale, missing, unknown, latest, forecasts, finished)


def recall_finished(
    finished: Mapping[str, date | None],
    memory: Mapping[str, Remembered],
    latest: dict[str, StatusUpdate],
    forecasts: dict[str, date],
) -> None:
    """Put the finished items' latest updates (``finished``: item → its latest update's
    ``completed_on``, read by the remembered id) and forecasts into the maps the assessor
    reads: the lighter copy with the completion day (id, day, status and completion: all the
    rules read of a finished item's latest update), the rest from the memory."""
    statuses, make = _STATUSES, _new_update
    for item_id, completed_on in finished.items():
        r = memory[item_id]
        if r.latest_on is not None and r.latest_status is not None:
            latest[item_id] = make(
                item_id, statuses[r.latest_status], r.latest_on,
                None, completed_on, None, None, r.latest_source or "memory", None,
                r.latest_id, None,
            )  # fmt: skip
        if r.forecast is not None:
            forecasts[item_id] = r.forecast
