"""The day's digests' other open items (walk55b 3), from the day's assessment: a full one
holds every item; an incremental one only the items re-assessed, the memory (saved for the
day before this is read) the others, whose state cannot have changed since their last check.
The escalations' copies end with them too (fix57f 2): a deputy's, those of the contacts they
stand in for; the office's, the escalated items' owners'. One read and one count for all."""

from __future__ import annotations

from sqlalchemy.orm import Session

from governance.assessment import Assessment
from governance.plan import Plan
from governance.rag import STATE_VALUES
from governance.reminders import EscalationOverview, OpenCounts, OpenElsewhere, ReminderPlan
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
) -> tuple[dict[str, OpenElsewhere], EscalationOverview | None]:
    """Digest key → its contact's other open items
    (:func:`governance.reminders.count_open_elsewhere`), and the escalations' overview (None
    without escalations); nothing read when the day has neither digests nor escalations."""
    if not reminders.digests and not reminders.escalation_digests:
        return {}, None
    remembered = NOTHING
    if incremental:
        from store.memory import load_open_items

        pid = plan.programme.id
        remembered = submit(lambda: load_open_items(session, pid)).result()
    values = STATE_VALUES
    today = {i: values[item.state] for i, item in assessment.items.items()}
    counts = OpenCounts(plan, remembered, reminders.as_of, today=today)
    digests = {
        d.key: counts.of_contacts({d.contact_id}, [i.item_id for i in d.items])
        for d in reminders.digests
    }
    return digests, escalations_elsewhere(plan, assessment, reminders, counts)


def escalations_elsewhere(
    plan: Plan, assessment: Assessment, reminders: ReminderPlan, counts: OpenCounts
) -> EscalationOverview | None:
    """The escalations' overview (:class:`EscalationOverview`) from the day's ``counts``; None
    without escalations."""
    from regie.messages import deputy_copies

    escalations = {e.key: e for d in reminders.escalation_digests for e in d.escalations}
    if not escalations:
        return None
    deputies = {
        deputy: counts.of_contacts(copy.ids, [e.item_id for e in copy.items])
        for deputy, copy in deputy_copies(plan, assessment, escalations.values()).items()
    }
    escalated = {e.item_id for e in escalations.values()}
    orgs = sorted({o for i in escalated for o in assessment.items[i].owners})
    return EscalationOverview(deputies, {o: counts.of_owner(o, escalated) for o in orgs})
