"""The one publisher of domain events to Prefect, so deployment triggers (prefect.yaml) react.

Every event has the same shape wherever it comes from (the deadline check, an owner's answer):
the item as resource (``regie.milestone.<id>``, named by its id), the programme as related
resource, the payload as recorded in the store.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from governance.events import programme_resource_id, resource_id


class Publishable(Protocol):
    """What a published event needs: governance's DomainEvent and the cycle's EventSummary."""

    @property
    def name(self) -> str: ...
    @property
    def item_id(self) -> str: ...
    @property
    def payload(self) -> Mapping[str, Any]: ...


class PrefectUnavailable(Exception):
    """The Prefect server does not answer: nothing was queued for it (the store holds the
    events; the next cycle reads them from there)."""

    def __init__(self, api_url: str, reason: str) -> None:
        from store.urls import hide_password

        super().__init__(f"Prefect server {hide_password(api_url)} does not answer: {reason}")
        self.api_url = api_url
        self.reason = reason


def publish(events: Iterable[Publishable], programme_id: str, *, api_url: str | None = None) -> int:
    """Emit each event to Prefect; return how many were accepted.

    ``emit_event`` only queues: Prefect's events worker sends in the background and drains at
    process exit — where an absent server would hold the process for seconds, retrying, with
    warnings. So a caller outside a flow run names the server (``api_url``, as an answer does)
    and it is asked first, briefly (:func:`regie.prefect_setup.server_problem`): when it does
    not answer, nothing is queued and :class:`PrefectUnavailable` says so. Either way a slow
    or absent API never blocks the caller (the store holds the truth).
    """
    if api_url is not None:
        from regie.prefect_setup import server_problem

        if (problem := server_problem(api_url)) is not None:
            raise PrefectUnavailable(api_url, problem)
        quiet_drain_progress()  # a command's stderr is for problems (cron mails it)
    from prefect.events import emit_event

    emitted = 0
    for event in events:
        sent = emit_event(
            event=event.name,
            resource={
                "prefect.resource.id": resource_id(event.item_id),
                "prefect.resource.name": event.item_id,
            },
            related=[
                {
                    "prefect.resource.id": programme_resource_id(programme_id),
                    "prefect.resource.role": "programme",
                }
            ],
            payload=dict(event.payload),
        )
        if sent is not None:
            emitted += 1
    return emitted


#: The logger Prefect's events worker writes its progress to while it drains at process exit
#: (``prefect._internal.concurrency.services``: named after the service's class).
EVENTS_WORKER_LOGGER = "EventsWorker"


def _not_drain_progress(record: logging.LogRecord) -> bool:
    return not str(record.msg).startswith("Still processing items")


def quiet_drain_progress() -> None:
    """Drop the events worker's "Still processing items: N items remaining..." warning: a
    command that published an answer's event (``regie update``, an import) drains its queue at
    exit, and the line on stderr is no problem, while cron mails whatever lands there. Its other
    warnings (a full queue, a failed send) still show."""
    target = logging.getLogger(EVENTS_WORKER_LOGGER)
    target.addFilter(_not_drain_progress)  # a set: added once however often called
