"""Domain events: what the assessment and the reminder policy observed, as plain values.

The domain appends events instead of doing I/O; the cycle stores them (outbox) and forwards them
to Prefect. Every event has a stable ``key`` so storing the same event twice is a no-op.

Names:

- ``regie.milestone.<state>`` for a state transition, with hyphens (``regie.milestone.due-soon``,
  ``.overdue``, ``.done``, ``.on-track``, ``.at-risk``, ``.waiting``, ``.undated``, ``.ongoing``,
  ``.cancelled``), except a slip: ``regie.forecast.slipped``;
- ``regie.milestone.stale`` when an item's stale flag turns on;
- ``regie.status.updated`` for an owner's answer;
- ``regie.reminder.queued`` and ``regie.escalation.raised`` from the reminder policy.

Action-level deadlines use the same ``regie.milestone.<id>`` resource id as milestones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from governance.updates import StatusUpdate

Payload = dict[str, str | int | None]

STATUS_UPDATED = "regie.status.updated"
REMINDER_QUEUED = "regie.reminder.queued"
ESCALATION_RAISED = "regie.escalation.raised"
MILESTONE_STALE = "regie.milestone.stale"
FORECAST_SLIPPED = "regie.forecast.slipped"


@dataclass(frozen=True, slots=True)
class DomainEvent:
    name: str
    item_id: str
    occurred_on: date
    payload: Payload = field(default_factory=dict, compare=False)
    # Makes the key unique where one item can have several events of one name on one day:
    # the contact for reminders and escalations, the update id for status updates.
    qualifier: str | None = None

    @property
    def resource_id(self) -> str:
        return resource_id(self.item_id)

    @property
    def key(self) -> str:
        base = f"{self.name}:{self.item_id}:{self.occurred_on.isoformat()}"
        return f"{base}:{self.qualifier}" if self.qualifier else base


def resource_id(item_id: str) -> str:
    """The resource an event is about: ``regie.milestone.<id>`` for actions and milestones alike
    (Prefect triggers in prefect.yaml match on ``regie.milestone.*``)."""
    return f"regie.milestone.{item_id}"


def programme_resource_id(programme_id: str) -> str:
    """The programme as a related resource of every event."""
    return f"regie.programme.{programme_id}"


def transition_event_name(state: str) -> str:
    """The event name for entering ``state`` (a State value such as ``due_soon``)."""
    if state == "slipped":
        return FORECAST_SLIPPED
    return f"regie.milestone.{state.replace('_', '-')}"


def status_updated(update: StatusUpdate) -> DomainEvent:
    """The event for one stored status update (keyed by its id when it has one)."""
    qualifier = None
    if update.id is not None:
        qualifier = str(update.id)
    elif update.recorded_at is not None:
        qualifier = update.recorded_at.isoformat()
    return DomainEvent(
        STATUS_UPDATED,
        update.item_id,
        update.reported_on,
        {
            "status": update.status.value,
            "forecast": update.forecast.isoformat() if update.forecast else None,
            "completed_on": update.completed_on.isoformat() if update.completed_on else None,
            "author": update.author,
            "source": update.source,
            "update_id": update.id,
        },
        qualifier=qualifier,
    )
