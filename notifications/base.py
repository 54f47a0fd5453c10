"""The Notifier protocol: one message in, one delivery receipt out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol


class NotifierError(Exception):
    """Delivery failed; the outbox keeps the message for another try."""


@dataclass(frozen=True, slots=True)
class Message:
    key: str  # idempotency key: the same key is never delivered twice
    kind: str  # reminder_digest, escalation_digest, …
    recipient: str  # contact id
    recipient_name: str
    subject: str
    text: str
    email: str | None = None
    slack: str | None = None
    html: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Delivery:
    channel: str
    external_id: str | None = None  # file path, Message-ID, Slack ts


class Notifier(Protocol):
    channel: str

    def send(self, message: Message) -> Delivery: ...
