"""A command that publishes an answer's event to Prefect keeps stderr for problems: the events
worker's progress line while it drains at exit is dropped, its other warnings are not."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest

from regie.events import EVENTS_WORKER_LOGGER, publish


class _Event:
    name = "regie.milestone.status_updated"
    item_id = "1.1.1"
    payload: ClassVar[dict[str, Any]] = {"status": "done"}


@pytest.fixture
def worker_log() -> Iterator[list[str]]:
    target = logging.getLogger(EVENTS_WORKER_LOGGER)
    seen: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record.getMessage())

    handler = Keep()
    target.addHandler(handler)
    before = list(target.filters)
    yield seen
    target.removeHandler(handler)
    target.filters[:] = before


def test_publishing_from_a_command_drops_the_drain_progress_line(
    worker_log: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import prefect.events

    import regie.prefect_setup

    emitted: list[str] = []
    monkeypatch.setattr(regie.prefect_setup, "server_problem", lambda url: None)
    monkeypatch.setattr(
        prefect.events, "emit_event", lambda event, **kw: emitted.append(event) or event
    )
    target = logging.getLogger(EVENTS_WORKER_LOGGER)

    target.warning("Still processing items: 1 items remaining...")  # before: shown
    assert worker_log == ["Still processing items: 1 items remaining..."]
    worker_log.clear()

    assert publish([_Event()], "mvi", api_url="http://127.0.0.1:9/api") == 1
    assert emitted == ["regie.milestone.status_updated"]
    target.warning("Still processing items: 1 items remaining...")
    target.warning("Service %r queue is full (%d items), dropping item", "EventsWorker", 10)
    assert worker_log == ["Service 'EventsWorker' queue is full (10 items), dropping item"]
