"""Mappers between the store's records and the notifiers' values (one place, one direction each).

The store knows nothing of notifiers and notifiers know nothing of the store; the use cases
translate here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from notifications.base import Attachment, Message
from store.records import OutboxRecord

#: The payload key under which a message keeps its attachments' references (never the bytes).
ATTACHMENTS = "attachments"


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
        attachments=attachments(record.payload),
    )


def attachment_refs(files: list[Attachment]) -> list[dict[str, Any]]:
    """``files`` as an outbox payload keeps them (:data:`ATTACHMENTS`): JSON, by reference."""
    return [
        {"name": f.name, "type": f.content_type, "archive": f.archive_id, "sha256": f.sha256}
        for f in files
    ]


def attachments(payload: Mapping[str, Any]) -> tuple[Attachment, ...]:
    """The attachments a payload refers to (:func:`attachment_refs`)."""
    return tuple(
        Attachment(str(a["name"]), str(a["type"]), int(a["archive"]), str(a["sha256"]))
        for a in payload.get(ATTACHMENTS) or ()
    )
