"""Plain values going in and out of the store (no SQLAlchemy objects leak to callers)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from governance.periods import Period
from governance.plan import ItemLevel


@dataclass(frozen=True, slots=True)
class EventRecord:
    """A domain event to record; ``dedupe_key`` makes recording it twice a no-op.

    The application converts the deadline engine's events into these, so the store does not
    depend on ``governance.events``. ``payload`` must be JSON-serialisable.
    """

    name: str
    item_code: str | None
    occurred_on: date
    payload: Mapping[str, Any]
    dedupe_key: str


@dataclass(frozen=True, slots=True)
class StoredEvent:
    id: int
    name: str
    item_code: str | None
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
class Item:
    """A current (non-archived) action or milestone as stored."""

    code: str
    level: ItemLevel
    action_code: str
    step: int
    title: str
    gereed: str | None
    period: Period | None
    owners: tuple[str, ...]
    depends_on: tuple[str, ...]
