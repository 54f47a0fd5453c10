"""The owners asked before: an item escalates for being overdue only once its owner was
prompted about its date and had ``unanswered_grace_days`` to answer (governance.reminders,
"Asked first"). Tests of what an escalation says start from such a history."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from governance.assessment import assess
from governance.plan import Plan
from governance.reminders import PromptRecord, plan_reminders
from governance.updates import StatusUpdate
from governance.workdays import WorkCalendar


def asked_before(
    plan: Plan,
    updates: Sequence[StatusUpdate],
    day: date,
    calendar: WorkCalendar | None = None,
) -> list[PromptRecord]:
    """The prompts a daily run ``unanswered_grace_days`` working days before ``day`` (its
    first: no history before it) recorded, the same updates known."""
    cal = calendar or WorkCalendar.for_plan(plan)
    before = cal.add_working_days(day, -plan.reminders.unanswered_grace_days)
    known = [u for u in updates if u.reported_on <= before]
    result = assess(plan, known, before, calendar=cal)
    return list(plan_reminders(plan, result, [], before, cal).records)
