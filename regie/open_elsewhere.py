"""The day's digests' other open items (walk55b 3), from the day's assessment: a full one
holds every item; an incremental one only the items re-assessed, the memory (saved for the
day before this is read) the others, whose state cannot have changed since their last check."""

from __future__ import annotations

from sqlalchemy.orm import Session

from governance.assessment import Assessment
from governance.plan import Plan
from governance.rag import STATE_VALUES
from governance.reminders import OpenElsewhere, ReminderPlan, count_open_elsewhere
from governance.reminders.overview import NOTHING
from store.dialect import Submit


def digests_elsewhere(
    session: Session,
    plan: Plan,
    assessment: Assessment,
    reminders: ReminderPlan,
    *,
    incremental: bool,
    submit: Submit,
) -> dict[str, OpenElsewhere]:
    """Digest key → its contact's other open items (:func:`count_open_elsewhere`); nothing read
    when the day has no digest."""
    if not reminders.digests:
        return {}
    remembered = NOTHING
    if incremental:
        from store.memory import load_open_items

        pid = plan.programme.id
        remembered = submit(lambda: load_open_items(session, pid)).result()
    values = STATE_VALUES
    today = {i: values[item.state] for i, item in assessment.items.items()}
    return count_open_elsewhere(plan, remembered, reminders.digests, reminders.as_of, today=today)
