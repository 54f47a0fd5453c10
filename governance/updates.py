"""Status updates from owners: append-only facts the assessment reads, and which of them count."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum


class UpdateStatus(StrEnum):
    DONE = "done"  # gereed
    ON_TRACK = "on_track"  # op schema
    AT_RISK = "at_risk"  # risico: the owner expects trouble
    CANCELLED = "cancelled"  # vervallen: the stuurgroep dropped the item


@dataclass(frozen=True, slots=True)
class StatusUpdate:
    """One answer from an owner about one item (milestone or action-level deadline).

    ``reported_on`` is the business date the update counts for (the cycle's ``as_of``);
    ``recorded_at`` is when it was stored. ``forecast`` is the owner's expected completion
    date; later than the due date means the item has slipped.
    """

    item_id: str
    status: UpdateStatus
    reported_on: date
    forecast: date | None = None
    completed_on: date | None = None  # for DONE; defaults to reported_on
    comment: str | None = None
    author: str | None = None
    source: str = "cli"  # cli, slack, email, web
    recorded_at: datetime | None = None
    id: int | None = None
    #: The id of the update this one corrects (it replaces that answer from its own
    #: ``reported_on`` on; the corrected update stays on record), None for a plain update.
    corrects: int | None = None


_MIN_INSTANT = datetime.min


def latest_updates(
    updates: Iterable[StatusUpdate], as_of: date
) -> tuple[dict[str, StatusUpdate], dict[str, date]]:
    """Per item: the latest update reported on or before ``as_of``, and the latest forecast.

    "Latest" is by (reported_on, recorded_at, id); of updates equal on all three the one given
    last wins. An update that a correction reported on or before ``as_of`` corrects counts for
    neither: the correction replaced it, its status and its forecast (README "Corrections";
    a correction without a forecast leaves the forecast of the updates before the corrected
    one standing, as any update without one does). One pass over the updates besides picking
    out the corrected ids, comparing the full order only when reported_on ties, since this
    runs over every update on record.
    """
    if not isinstance(updates, Sequence):
        updates = list(updates)  # read twice
    corrected = {u.corrects for u in updates if u.corrects is not None and u.reported_on <= as_of}
    latest: dict[str, StatusUpdate] = {}
    with_forecast: dict[str, StatusUpdate] = {}
    for u in updates:
        if u.reported_on > as_of or (corrected and u.id in corrected):
            continue
        item = u.item_id
        current = latest.get(item)
        if current is None or _not_before(u, current):
            latest[item] = u
        if u.forecast is not None:
            current = with_forecast.get(item)
            if current is None or _not_before(u, current):
                with_forecast[item] = u
    return latest, {item: u.forecast for item, u in with_forecast.items() if u.forecast is not None}


def completion(latest: StatusUpdate | None) -> date | None:
    """When an item was finished (done or cancelled) per its latest update; None while open."""
    if latest is None or latest.status not in FINISHED:
        return None
    if latest.status is UpdateStatus.DONE and latest.completed_on is not None:
        return latest.completed_on
    return latest.reported_on


#: The statuses that finish an item (its state is then done or cancelled).
FINISHED = frozenset({UpdateStatus.DONE, UpdateStatus.CANCELLED})


def _not_before(u: StatusUpdate, other: StatusUpdate) -> bool:
    """Whether ``u`` sorts at or after ``other`` by (reported_on, recorded_at, id)."""
    if u.reported_on != other.reported_on:
        return u.reported_on > other.reported_on
    return _order(u) >= _order(other)


def _order(u: StatusUpdate) -> tuple[date, datetime, int]:
    at = u.recorded_at or _MIN_INSTANT
    if at.tzinfo is not None:  # compare aware and naive stamps alike, as UTC
        at = at.astimezone(UTC).replace(tzinfo=None)
    return (u.reported_on, at, u.id if u.id is not None else -1)
