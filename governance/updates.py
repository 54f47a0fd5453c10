"""Status updates from owners: append-only facts the assessment reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
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
