"""The small bits of Prefect glue the flows share: dates in, events out."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from prefect.events import emit_event

from regie.cycle import EventSummary


def parse_as_of(value: str | date | None) -> date | None:
    """A flow parameter as a date; None (or "", which an unset event template renders) → today."""
    if value is None or isinstance(value, date):
        return value
    text = value.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"as_of: geen datum in de vorm JJJJ-MM-DD: {value!r}") from None


def publish_events(events: Iterable[EventSummary], programme_id: str) -> int:
    """Emit each domain event to Prefect so deployment triggers can react; returns how many.

    ``emit_event`` only queues: Prefect's events worker sends in the background and drains at
    process exit, so a slow or absent API never blocks the cycle (the store holds the truth).
    """
    emitted = 0
    for event in events:
        sent = emit_event(
            event=event.name,
            resource={
                "prefect.resource.id": event.resource_id,
                "prefect.resource.name": event.item_id,
            },
            related=[
                {
                    "prefect.resource.id": f"regie.programme.{programme_id}",
                    "prefect.resource.role": "programme",
                }
            ],
            payload=event.payload,
        )
        if sent is not None:
            emitted += 1
    return emitted
