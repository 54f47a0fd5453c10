"""What the office's item page reads: the reminders queued about an item and their delivery."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from governance.events import ESCALATION_RAISED, REMINDER_QUEUED
from governance.reminders import ESCALATION_PREFIX, digest_key, escalation_digest_key
from store.models import EventRow, OutboxRow, PromptRow


@dataclass(frozen=True, slots=True)
class ReminderSent:
    queued_on: date
    stage: str
    contact_id: str
    status: str | None  # the outbox message's status (sent, pending, suppressed …), if found
    sent_at: datetime | None
    channel: str | None
    attempts: int = 0  # delivery attempts (a sent message: the last one succeeded)
    #: The message's ``last_error``: for a suppressed one, why it was not sent (None: a
    #: replay stored it, store.replayed_escalations).
    error: str | None = None


def reminders_for(session: Session, programme_id: str, item_id: str) -> list[ReminderSent]:
    prompts = session.execute(
        sa.select(PromptRow.queued_on, PromptRow.stage, PromptRow.contact_code)
        .where(PromptRow.programme_id == programme_id, PromptRow.item_code == item_id)
        .order_by(PromptRow.queued_on, PromptRow.id)
    ).all()
    carried = _digests_of(session, programme_id, item_id)
    keyed = []  # each prompt with the key of the message that carried it
    for day, stage, contact in prompts:
        key = carried.get((day, stage, contact)) or _key(programme_id, stage, contact, day)
        keyed.append((day, stage, contact, key))
    found = {}
    if keyed:
        rows = session.execute(
            sa.select(
                OutboxRow.key,
                OutboxRow.status,
                OutboxRow.sent_at,
                OutboxRow.channel,
                OutboxRow.attempts,
                OutboxRow.last_error,
            ).where(
                OutboxRow.programme_id == programme_id,
                OutboxRow.key.in_(sorted({key for *_, key in keyed})),
            )
        ).all()
        found = {key: tuple(rest) for key, *rest in rows}
    return [
        ReminderSent(day, stage, contact, *found.get(key, (None, None, None, 0, None)))
        for day, stage, contact, key in keyed
    ]


def _digests_of(
    session: Session, programme_id: str, item_id: str
) -> dict[tuple[date, str, str], str]:
    """(day, stage, contact) → the key of the digest that carried the prompt, as its
    ``regie.reminder.queued`` or ``regie.escalation.raised`` event names it: a rerun of a day
    queues a second digest under another key (:func:`governance.reminders.with_free_keys`).
    Events recorded before they named it are left out (the day's first digest then)."""
    rows = session.execute(
        sa.select(EventRow.name, EventRow.occurred_on, EventRow.payload).where(
            EventRow.programme_id == programme_id,
            EventRow.item_code == item_id,
            EventRow.name.in_((REMINDER_QUEUED, ESCALATION_RAISED)),
        )
    ).all()
    out: dict[tuple[date, str, str], str] = {}
    for name, day, payload in rows:
        if name == REMINDER_QUEUED:
            stage, contact, digest = (payload.get(k) for k in ("stage", "contact", "digest"))
            if isinstance(stage, str) and isinstance(contact, str) and isinstance(digest, str):
                out[day, stage, contact] = digest
            continue
        stage, contacts, digests = (payload.get(k) for k in ("key", "contacts", "digests"))
        if isinstance(stage, str) and isinstance(contacts, str) and isinstance(digests, str):
            for contact, digest in zip(contacts.split(","), digests.split(","), strict=False):
                # Only a key of that contact's own digest (or its ``:N``): a contact id with
                # a comma in it would misalign the two lists; it keeps the day's first digest.
                base = escalation_digest_key(programme_id, contact, day)
                if digest == base or digest.startswith(f"{base}:"):
                    out[day, stage, contact] = digest
    return out


def _key(programme_id: str, stage: str, contact: str, day: date) -> str:
    """The outbox key of the digest that carried a prompt."""
    if stage.startswith(ESCALATION_PREFIX):
        return escalation_digest_key(programme_id, contact, day)
    return digest_key(programme_id, contact, day)
