"""The daily cycle's use cases: deadline check (sync → assess → record) and sending the outbox.

The flows in ``flows/`` are thin wrappers around these functions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from regie.bootstrap import App


@dataclass(frozen=True, slots=True)
class EventSummary:
    name: str
    item_id: str
    occurred_on: date
    payload: dict[str, Any]

    @property
    def resource_id(self) -> str:
        return f"regie.milestone.{self.item_id}"


@dataclass
class CheckReport:
    """What one deadline check did (or, with dry_run, would do)."""

    programme_id: str
    as_of: date
    dry_run: bool
    synced: str = ""  # the sync line, e.g. "in sync" or "2 changed"
    events: list[EventSummary] = field(default_factory=list)  # newly recorded events
    queued: list[str] = field(default_factory=list)  # idempotency keys newly queued
    counts: dict[str, int] = field(default_factory=dict)  # items per state

    def summary(self) -> dict[str, Any]:
        return {
            "programme": self.programme_id,
            "as_of": self.as_of.isoformat(),
            "dry_run": self.dry_run,
            "synced": self.synced,
            "events": len(self.events),
            "queued": len(self.queued),
            "counts": dict(self.counts),
        }


@dataclass
class SendReport:
    channel: str
    sent: list[str] = field(default_factory=list)  # keys
    failed: list[tuple[str, str]] = field(default_factory=list)  # (key, error)

    def summary(self) -> dict[str, Any]:
        return {"channel": self.channel, "sent": len(self.sent), "failed": len(self.failed)}


def deadline_check(app: App, as_of: date, *, dry_run: bool = False) -> CheckReport:
    """Sync the plan, assess it at ``as_of``, and record events, states and queued reminders in
    one transaction. Running it twice for the same ``as_of`` adds nothing."""
    raise NotImplementedError  # being written


def send_reminders(app: App, *, limit: int | None = None) -> SendReport:
    """Drain pending outbox messages through the configured notifier (at most once each)."""
    raise NotImplementedError  # being written
