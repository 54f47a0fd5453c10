"""Turn the reminder policy's digests into outbox messages (Dutch text from templates)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from governance.assessment import Assessment
from governance.plan import Contact, Plan
from governance.reminders import Digest, EscalationDigest, ReminderPlan
from governance.store.records import OutboxRecord


def _contact(plan: Plan, contact_id: str) -> Contact:
    found = next((c for c in plan.contacts if c.id == contact_id), None)
    # The policy only addresses contacts from the plan; a missing one is a programming error.
    assert found is not None, contact_id
    return found


def _programme(plan: Plan) -> dict[str, Any]:
    p = plan.programme
    return {"id": p.id, "title": p.title, "short_title": p.short_title}


def _without_contact(plan: Plan, owners: tuple[str, ...]) -> list[str]:
    """Owners with no contact of their own: the programme office answers in their place."""
    with_contact = {c.organisation for c in plan.contacts}
    return [org for org in owners if org not in with_contact]


def digest_message(plan: Plan, digest: Digest, assessment: Assessment) -> OutboxRecord:
    from notifications.render import render

    contact = _contact(plan, digest.contact_id)
    items = []
    for item in digest.items:
        action = plan.action(item.action_id)
        assessed = assessment.items[item.item_id]
        owners = assessed.owners
        items.append(
            {
                "item_id": item.item_id,
                "title": item.title,
                "action_id": item.action_id,
                "action_title": action.title if action and action.id != item.item_id else None,
                "gereed": item.gereed,
                "due": item.due,
                "state": item.state,
                "stage": item.stage,
                "days_overdue": assessed.working_days_overdue,
                "owners": list(owners),
                "no_contact_for": _without_contact(plan, owners) if item.note else [],
            }
        )
    count = len(items)
    subject = (
        f"[{plan.programme.short_title or plan.programme.title}] "
        f"Verzoek om update: {count} {'punt' if count == 1 else 'punten'}"
    )
    text = render(
        "reminder_digest.txt.j2",
        contact=contact,
        programme=_programme(plan),
        items=items,
        as_of=digest.as_of,
        key=digest.key,
    )
    return OutboxRecord(
        key=digest.key,
        kind="reminder_digest",
        recipient=contact.id,
        recipient_name=contact.name,
        email=contact.email,
        slack=contact.slack,
        subject=subject,
        body_text=text,
        payload={
            "as_of": digest.as_of.isoformat(),
            "items": [{"id": i.item_id, "stage": i.stage, "state": i.state} for i in digest.items],
        },
        created_on=digest.as_of,
    )


def escalation_message(
    plan: Plan, digest: EscalationDigest, assessment: Assessment
) -> OutboxRecord:
    from notifications.render import render

    contact = _contact(plan, digest.contact_id)
    items = []
    for esc in digest.escalations:
        item = assessment.items[esc.item_id]
        items.append(
            {
                "item_id": item.id,
                "title": item.title,
                "gereed": item.gereed,
                "due": item.due,
                "state": item.state.value,
                "kind": esc.kind,
                "days_overdue": item.working_days_overdue,
                "owners": list(item.owners),
            }
        )
    subject = (
        f"[{plan.programme.short_title or plan.programme.title}] "
        f"Escalatie: {len(items)} {'punt vraagt' if len(items) == 1 else 'punten vragen'} aandacht"
    )
    text = render(
        "escalation_digest.txt.j2",
        contact=contact,
        programme=_programme(plan),
        items=items,
        as_of=digest.as_of,
        key=digest.key,
    )
    return OutboxRecord(
        key=digest.key,
        kind="escalation_digest",
        recipient=contact.id,
        recipient_name=contact.name,
        email=contact.email,
        slack=contact.slack,
        subject=subject,
        body_text=text,
        payload={
            "as_of": digest.as_of.isoformat(),
            "items": [{"id": e.item_id, "kind": e.kind} for e in digest.escalations],
        },
        created_on=digest.as_of,
    )


def outbox_messages(
    plan: Plan, assessment: Assessment, reminders: ReminderPlan
) -> Iterator[OutboxRecord]:
    for digest in reminders.digests:
        yield digest_message(plan, digest, assessment)
    for esc in reminders.escalation_digests:
        yield escalation_message(plan, esc, assessment)
