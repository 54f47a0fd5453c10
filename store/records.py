"""Plain values going in and out of the store (no SQLAlchemy objects leak to callers)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from governance.records import positional_constructor


@dataclass(frozen=True, slots=True)
class EventRecord:
    """A domain event to record; ``dedupe_key`` makes recording it twice a no-op.

    The application converts the deadline engine's events into these, so the store does not
    depend on ``governance.events``. ``payload`` must be JSON-serialisable.
    """

    name: str
    item_id: str | None
    occurred_on: date
    payload: Mapping[str, Any]
    dedupe_key: str


@dataclass(frozen=True, slots=True)
class StoredEvent:
    id: int
    name: str
    item_id: str | None
    occurred_on: date
    recorded_at: datetime
    payload: dict[str, Any]
    dedupe_key: str


@dataclass(frozen=True, slots=True)
class Revision:
    """One recorded plan change. ``field`` is None for created/archived/restored; ``before`` and
    ``after`` are JSON values (dates as ISO text, periods as ``{kind, start, end}``)."""

    entity: str  # programme, step, organisation, contact, action, milestone
    code: str
    kind: str  # created, changed, archived, restored
    field: str | None
    before: Any
    after: Any
    recorded_at: datetime
    plan_path: str | None = None
    id: int | None = None


@dataclass(frozen=True, slots=True)
class StateRecord:
    """One item's assessed state on a day (``state`` and ``rag`` are the enums' values)."""

    item_id: str
    state: str
    rag: str
    stale: bool
    due: date | None


#: ``StateRecord(*fields)``, made fast (governance.records): a full run makes one per item.
new_state_record = positional_constructor(StateRecord)


@dataclass(frozen=True, slots=True)
class PreviousStates:
    """Every item's latest recorded state before some day."""

    states: dict[str, str]  # item code -> state value
    stale: frozenset[str]  # item codes whose stale flag was on
    as_of: date  # the latest day any of them was recorded for


@dataclass(frozen=True, slots=True)
class OutboxRecord:
    """A message in the outbox. Callers fill in the message; the store owns the delivery fields
    (``status`` … ``next_attempt_at``), which :meth:`Repository.enqueue` ignores on the way in.
    ``payload`` must be JSON-serialisable."""

    key: str  # idempotency key, unique per programme
    kind: str
    recipient: str  # contact code
    recipient_name: str
    subject: str
    body_text: str
    email: str | None = None
    slack: str | None = None
    body_html: str | None = None
    payload: Mapping[str, Any] = field(default_factory=dict)
    created_on: date | None = None  # the business date (as_of) it was queued for
    status: str = "pending"  # pending | sending | sent | failed | dead | suppressed
    attempts: int = 0
    earlier_attempts: int = 0  # before `regie outbox retry` gave fresh ones: it was tried
    tried_channel: str | None = None  # where an attempt left it, not knowing if it arrived
    channel: str | None = None
    external_id: str | None = None
    last_error: str | None = None
    created_at: datetime | None = None
    sent_at: datetime | None = None
    next_attempt_at: datetime | None = None
    claim_token: str | None = None  # the claim this copy was taken under (see outbox.claim)
    pruned_at: datetime | None = None  # its personal content erased (`regie outbox prune`)
