"""Decisions of governance bodies and measurements of indicators: append-only facts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class DecisionKind(StrEnum):
    DECISION = "besluit"  # recorded only
    SET_GEREED = "set_gereed"  # moves an item's gereed (the plan file is edited)
    CANCEL = "cancel"  # drops an item (the plan file is edited, the item becomes vervallen)


@dataclass(frozen=True, slots=True)
class Decision:
    body_id: str
    meeting_on: date
    kind: DecisionKind
    text: str
    item_id: str | None = None
    gereed_before: str | None = None
    gereed_after: str | None = None
    recorded_at: datetime | None = None
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Measurement:
    indicator_id: str
    value: float
    measured_on: date
    source: str
    recorded_at: datetime | None = None
    id: int | None = None


def decided_by(body_name: str, meeting_on: date) -> str:
    """'besluit stuurgroep 12 januari 2016': how the plan file and reports name a decision."""
    from governance.dutch import long_date

    return f"besluit {body_name} {long_date(meeting_on)}"
