"""What the office's item page reads: the reminders queued about an item and their delivery."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from governance.reminders import ESCALATION_PREFIX, digest_key, escalation_digest_key
from store.models import OutboxRow, PromptRow


@dataclass(frozen=True, slots=True)
class ReminderSent:
    queued_on: date
    stage: str
    contact_id: str
    status: str | None  # the outbox message's status (sent, pending, suppressed …), if found
    sent_at: datetime | None
    channel: str | None


def reminders_for(session: Session, programme_id: str, item_id: str) -> list[ReminderSent]:
    prompts = session.execute(
        sa.select(PromptRow.queued_on, PromptRow.stage, PromptRow.contact_code)
        .where(PromptRow.programme_id == programme_id, PromptRow.item_code == item_id)
        .order_by(PromptRow.queued_on, PromptRow.id)
    ).all()
    keys = {_key(programme_id, stage, contact, day): None for day, stage, contact in prompts}
    found = {}
    if keys:
        rows = session.execute(
            sa.select(OutboxRow.key, OutboxRow.status, OutboxRow.sent_at, OutboxRow.channel).where(
                OutboxRow.programme_id == programme_id, OutboxRow.key.in_(list(keys))
            )
        ).all()
        found = {key: (status, sent_at, channel) for key, status, sent_at, channel in rows}
    out = []
    for day, stage, contact in prompts:
        status, sent_at, channel = found.get(
            _key(programme_id, stage, contact, day), (None, None, None)
        )
        out.append(ReminderSent(day, stage, contact, status, sent_at, channel))
    return out


def _key(programme_id: str, stage: str, contact: str, day: date) -> str:
    """The outbox key of the digest that carried a prompt."""
    if stage.startswith(ESCALATION_PREFIX):
        return escalation_digest_key(programme_id, contact, day)
    return digest_key(programme_id, contact, day)
