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


class UpdateRejected(ValueError):
    """An update the domain refuses, worded in domain terms.

    ``field`` is the update's field at fault (``item_id``, ``status``, ``completed_on``), so each
    entrypoint names it its own way: the CLI as a flag, a web form as its field, Slack in a reply.
    """

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


def check_update(status: str, reported_on: date, completed_on: date | None) -> UpdateStatus:
    """The status as an :class:`UpdateStatus`, or :class:`UpdateRejected` for what cannot be."""
    known = [s.value for s in UpdateStatus]
    if status not in known:
        raise UpdateRejected("status", f"unknown status {status!r} (known: {', '.join(known)})")
    if completed_on and status != UpdateStatus.DONE:
        raise UpdateRejected("completed_on", "a completion date goes only with status done")
    if completed_on and completed_on > reported_on:
        raise UpdateRejected(
            "completed_on", f"{completed_on} is after the update's date {reported_on}"
        )
    return UpdateStatus(status)
