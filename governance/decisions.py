"""Decisions of governance bodies and measurements of indicators: append-only facts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from governance.plan import Action, Milestone, Plan


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
    """'besluit Stuurgroep MVI, 12 januari 2016': how the plan file and reports name a decision.

    The body's *name* as the plan gives it (a person reads it), then the date after a comma, so
    a name ending in a number ("Werkgroep 3") stays apart from the date. No article: the name
    may be a *de* or a *het* word, or a proper name."""
    from governance.dutch import long_date

    return f"besluit {body_name}, {long_date(meeting_on)}"


def decision_label(plan: Plan, decision: Decision) -> str:
    """:func:`decided_by` for a stored decision: its body's name from the plan (its id when the
    plan no longer has that body)."""
    body = plan.body(decision.body_id)
    return decided_by(body.name if body else decision.body_id, decision.meeting_on)


def promise_in_effect(plan: Plan, item_id: str) -> str | None:
    """The *gereed* text an item is held to: its own, or for an ``idem`` row the text of the row
    it copies (up a chain of ``idem`` rows). None for an item without a gereed."""
    items: dict[str, Action | Milestone] = {a.id: a for a in plan.actions()}
    items.update((m.id, m) for m in plan.milestones())
    item = items.get(item_id)
    seen = {item_id}
    while item is not None and item.period is not None and item.period.same_as:
        above = item.period.same_as
        if above in seen or above not in items:
            break
        seen.add(above)
        item = items[above]
    return item.gereed if item is not None else None
