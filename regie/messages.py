"""Turn the reminder policy's digests into outbox messages (Dutch text from templates)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from governance.assessment import Assessment
from governance.plan import Contact, Plan
from governance.reminders import Digest, EscalationDigest, ReminderPlan
from store.records import OutboxRecord


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


def digest_message(
    plan: Plan,
    digest: Digest,
    assessment: Assessment,
    linker: Callable[[str, str, str], str] | None = None,
) -> OutboxRecord:
    """``linker(contact, item, message key)`` gives each item a signed answer link (e-mail)."""
    contact = _contact(plan, digest.contact_id)
    actions = {a.id: a for a in plan.actions()}  # one pass, not a scan per item
    items = []
    for item in digest.items:
        action = actions.get(item.action_id)
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
                "answer_url": (
                    linker(contact.id, item.item_id, digest.key)
                    if linker is not None and contact.email
                    else None
                ),
            }
        )
    payload = [{"id": i.item_id, "stage": i.stage, "state": i.state} for i in digest.items]
    return _message(plan, "reminder_digest", contact, digest.as_of, digest.key, items, payload)


def escalation_message(
    plan: Plan, digest: EscalationDigest, assessment: Assessment
) -> OutboxRecord:
    contact = _contact(plan, digest.contact_id)
    items = []
    for esc in digest.escalations:
        item = assessment.items[esc.item_id]
        items.append(
            {
                "item_id": item.item_id,
                "title": item.title,
                "gereed": item.gereed,
                "due": item.due,
                "state": item.state.value,
                "kind": esc.kind,
                "days_overdue": item.working_days_overdue,
                "owners": list(item.owners),
            }
        )
    payload = [{"id": e.item_id, "kind": e.kind} for e in digest.escalations]
    return _message(plan, "escalation_digest", contact, digest.as_of, digest.key, items, payload)


def _message(
    plan: Plan,
    kind: str,
    contact: Contact,
    as_of: date,
    key: str,
    items: list[dict[str, Any]],
    payload_items: list[dict[str, str]],
) -> OutboxRecord:
    """Render ``<kind>.subject.j2`` and ``<kind>.txt.j2`` into one outbox record."""
    from notifications.render import header_text, render

    context = {
        "contact": contact,
        "programme": _programme(plan),
        "items": items,
        "as_of": as_of,
        "key": key,
    }
    return OutboxRecord(
        key=key,
        kind=kind,
        recipient=contact.id,
        recipient_name=header_text(contact.name),
        email=header_text(contact.email) if contact.email else None,
        slack=contact.slack,
        subject=header_text(render(f"{kind}.subject.j2", **context)),
        body_text=render(f"{kind}.txt.j2", **context),
        payload={"as_of": as_of.isoformat(), "items": payload_items},
        created_on=as_of,
    )


def outbox_messages(
    plan: Plan,
    assessment: Assessment,
    reminders: ReminderPlan,
    linker: Callable[[str, str, str], str] | None = None,
) -> Iterator[OutboxRecord]:
    for digest in reminders.digests:
        yield digest_message(plan, digest, assessment, linker)
    for esc in reminders.escalation_digests:
        yield escalation_message(plan, esc, assessment)
