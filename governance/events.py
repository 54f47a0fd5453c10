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

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from governance.rag import RAG_VALUES, STATE_VALUES, State
from governance.records import positional_constructor
from governance.updates import StatusUpdate

if TYPE_CHECKING:
    from governance.assessor import ItemAssessment

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


#: ``DomainEvent(name, item_id, occurred_on, payload, qualifier)``, every field given, built
#: without the frozen dataclass's per-field ``object.__setattr__``.
new_event = positional_constructor(DomainEvent)


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
    payload: Payload = {
        "status": update.status.value,
        "forecast": update.forecast.isoformat() if update.forecast else None,
        "completed_on": update.completed_on.isoformat() if update.completed_on else None,
        "author": update.author,
        "source": update.source,
        "update_id": update.id,
    }
    if update.corrects is not None:  # only then: a plain update's event stays as it was
        payload["corrects"] = update.corrects
    return DomainEvent(
        STATUS_UPDATED, update.item_id, update.reported_on, payload, qualifier=qualifier
    )


#: Plain values and event names per member, looked up once per item rather than recomputed.
_TRANSITIONS = {s: transition_event_name(s.value) for s in State}


def state_events(
    items: Iterable[ItemAssessment],
    as_of: date,
    previous: Mapping[str, str] | None,
    previous_stale: Collection[str] | None,
) -> list[DomainEvent]:
    """The events of an assessment against the day before: a transition per item whose state
    differs from ``previous`` and ``regie.milestone.stale`` where the stale flag turned on (see
    :mod:`governance.assessment`)."""
    events: list[DomainEvent] = []
    first_run = previous is None and previous_stale is None
    make = new_event  # a first run of 100,000 items makes as many events
    for item in items:
        state = STATE_VALUES[item.state]
        before = previous.get(item.item_id) if previous is not None else None
        changed = before != state
        turned_stale = previous_stale is not None and item.item_id not in previous_stale
        stale = item.stale and (first_run or turned_stale)
        if not (changed or stale):
            continue  # most items on most days: build no payload
        due = item.due.isoformat() if item.due else None
        rag = RAG_VALUES[item.rag]
        if changed:
            payload: Payload = {
                "from": before,
                "to": state,
                "due": due,
                "rag": rag,
                "gereed": item.gereed,
            }
            events.append(make(_TRANSITIONS[item.state], item.item_id, as_of, payload, None))
        if stale:
            flagged: Payload = {"state": state, "due": due, "rag": rag, "gereed": item.gereed}
            events.append(make(MILESTONE_STALE, item.item_id, as_of, flagged, None))
    return events
