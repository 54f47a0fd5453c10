"""The reason an owner gave for a slip, as the progress report quotes it (walk57a 4).

The report's *Reden* column quoted the owner's latest note: for an item finished late that is
the completion note ("Inventarisatie afgerond."), and the reason given when the item slipped
was lost. A letter to the recipient owes the deviation with its reason (DESIGN.md), so the
report quotes the latest note that came with *risico* or a forecast; without one, the latest
note while the item is still open (as before), and no note of the owner's for a finished item.
Pure: the updates and the day are given.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from governance.decisions import NOT_THE_OWNERS
from governance.updates import FINISHED, StatusUpdate, UpdateStatus

__all__ = ["quoted_update", "slip_notes"]

_EARLIEST = datetime.min


def _order(update: StatusUpdate) -> tuple[date, datetime, int]:
    """Latest is by (reported_on, recorded_at, id), as :func:`governance.updates.latest_updates`
    orders them (an instant without its zone compared as given)."""
    at = update.recorded_at.replace(tzinfo=None) if update.recorded_at else _EARLIEST
    return (update.reported_on, at, update.id or 0)


def _explains_slip(update: StatusUpdate) -> bool:
    """An owner's update with a note that came with *risico* or with a forecast."""
    if update.source in NOT_THE_OWNERS or update.status in FINISHED:
        return False
    if not (update.comment and update.comment.strip()):
        return False
    return update.status is UpdateStatus.AT_RISK or update.forecast is not None


def slip_notes(updates: Iterable[StatusUpdate], as_of: date) -> dict[str, StatusUpdate]:
    """Per item, the latest update reported on or before ``as_of`` whose note came with
    *risico* or a forecast (an owner's: not a decision's or a report's mark). An update that a
    correction reported on or before ``as_of`` replaced does not count (README "Corrections");
    the correction counts when it explains a slip itself."""
    given = [u for u in updates if u.reported_on <= as_of]
    corrected = {u.corrects for u in given if u.corrects is not None}
    found: dict[str, StatusUpdate] = {}
    for u in given:
        if u.id in corrected or not _explains_slip(u):
            continue
        current = found.get(u.item_id)
        if current is None or _order(u) >= _order(current):
            found[u.item_id] = u
    return found


def quoted_update(latest: StatusUpdate | None, slip: StatusUpdate | None) -> StatusUpdate | None:
    """The update whose note the report quotes as the reason: the owner's note on a slip
    (``slip``, :func:`slip_notes`); else the latest update's note while the item is open and the
    update is the owner's; else none (a completion note is no reason for being late)."""
    if slip is not None:
        return slip
    if latest is None or latest.source in NOT_THE_OWNERS or latest.status in FINISHED:
        return None
    return latest if latest.comment else None
