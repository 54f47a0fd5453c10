"""Mappers between the store's records and the notifiers' values (one place, one direction each).

The store knows nothing of notifiers and notifiers know nothing of the store; the use cases
translate here.
"""

from __future__ import annotations

from notifications.base import Message
from store.records import OutboxRecord


def message_from_outbox(record: OutboxRecord, programme_id: str | None = None) -> Message:
    """The message a notifier delivers for one claimed outbox row of ``programme_id``."""
    return Message(
        key=record.key,
        kind=record.kind,
        recipient=record.recipient,
        recipient_name=record.recipient_name,
        subject=record.subject,
        text=record.body_text,
        email=record.email,
        slack=record.slack,
        html=record.body_html,
        metadata=dict(record.payload),
        # Attempts before `regie outbox retry` count: it may have arrived then (review10b 1).
        attempt=record.attempts + record.earlier_attempts,
        tried_on=record.tried_channel,
        queued_at=record.created_at,
        programme=programme_id,
    )
