"""The Slack answer desk the overdue-item tests share: a fake Slack Web API holding one
digest (an overdue item 1.1.1 and an open one 1.1.2) in Anna's DM, the answers app wired to
it, its HTTP client, and pressing a button / submitting the modal it opened as Slack does.
Its fixtures reach this folder's tests through ``conftest.py``."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from notifications.base import Message
from notifications.slack_blocks import digest_blocks
from regie.bootstrap import App
from regie.config import SlackSettings
from store import Repository
from tests.fakes.slack_api import FakeSlack
from tests.integration.mail_setup import Clock
from tests.integration.slack_requests import button, set_clock, signed, slack_app
from web.app import create_app

CHANNEL = "DANNA"
#: The day the digest speaks of: 1.1.1 five days past its deadline (30 June 2025), 1.1.2 open
#: until 30 September 2025. By the real clock both are overdue.
DESK_DAY = datetime(2025, 7, 5, 9, tzinfo=UTC)


def _items() -> list[dict[str, Any]]:
    overdue = {"id": "1.1.1", "title": "Knelpuntenkaart", "state": "overdue", "due": "2025-06-30"}
    open_ = {"id": "1.1.2", "title": "Prioriteiten", "state": "on_track", "due": "2027-09-30"}
    return [
        {**overdue, "days_overdue": 5, "gereed": "Q2-2025", "owners": ["GEM"]},
        {**open_, "days_overdue": 0, "gereed": "Q3-2027", "owners": ["GEM"]},
    ]


def digest() -> Message:
    return Message(
        "digest-1", "reminder_digest", "anna", "Anna de Wit", "Herinnering", "tekst",
        slack="U0ANNA", metadata={"items": _items()},
    )  # fmt: skip


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack(users={"anna@example.org": "U0ANNA"}) as fake:
        fake.messages[CHANNEL] = [
            {"ts": "1.000001", "channel": CHANNEL, "text": "Herinnering",
             "blocks": digest_blocks(digest()), "metadata": None},
        ]  # fmt: skip
        yield fake


@pytest.fixture
def desk_day(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """Regie's clock stopped on :data:`DESK_DAY`, for a test that needs 1.1.2 not yet overdue
    (its "Op schema" an answer: on an overdue item it opens "Nieuwe datum…"). Ask for it
    before ``app``, which syncs the plan by that clock."""
    set_clock(monkeypatch, DESK_DAY)
    return DESK_DAY


@pytest.fixture
def app(migrated_url: str, tmp_path: Path, slack: FakeSlack, sender_clock: Clock) -> App:
    """The answers app on Regie's clock pinned (``sender_clock``; :func:`desk_day`'s day where a
    test asks for it): the day a test reads is the one the app stores and shows, also across
    the office's midnight (clock54)."""
    app = slack_app(migrated_url, tmp_path)
    app.settings = replace(app.settings, slack=SlackSettings(slack.token, slack.base_url))
    return app


@pytest.fixture
def web(app: App) -> TestClient:
    return TestClient(create_app(app))


def press(web: TestClient, slack: FakeSlack, choice: str, item: str = "1.1.1") -> dict[str, Any]:
    """Press an item's button with a fresh trigger; the modal the fake opened."""
    payload = button("U0ANNA", item, choice, channel=CHANNEL)
    payload["trigger_id"] = slack.trigger()
    response = web.post("/slack/interactivity", content=(s := signed(payload))[0], headers=s[1])
    assert response.status_code == 200 and response.text == ""
    return slack.views[-1]


def values(
    day: str | None,
    note: str | None = None,
    *,
    confirm: bool | None = None,
    block: str = "forecast",
) -> dict[str, Any]:
    """A modal's ``state.values``: its date (``block``), its note and, when the modal has the
    "Toch wijzigen" box (Slack sends every input block), whether it is ticked."""
    found: dict[str, Any] = {
        block: {"value": {"type": "datepicker", "selected_date": day}},
        "note": {"value": {"type": "plain_text_input", "value": note}},
    }
    if confirm is not None:
        box = [{"value": "ja"}] if confirm else []
        found["confirm"] = {"value": {"type": "checkboxes", "selected_options": box}}
    return found


def send(
    web: TestClient, view: dict[str, Any], state: dict[str, Any], at: float | None = None
) -> httpx.Response:
    """Submit the opened view as Slack does: its id, callback, metadata and ``state``."""
    payload = {
        "type": "view_submission",
        "user": {"id": "U0ANNA"},
        "view": {
            "id": view["id"],
            "callback_id": view["callback_id"],
            "private_metadata": view["private_metadata"],
            "state": {"values": state},
        },
    }
    body, headers = signed(payload, at=at)
    return web.post("/slack/interactivity", content=body, headers=headers)


def submit(
    web: TestClient,
    view: dict[str, Any],
    day: str | None,
    note: str | None = None,
    at: float | None = None,
    *,
    block: str = "forecast",
) -> tuple[int, Any]:
    """:func:`send` with a date and a note: the status code and the JSON answer (None: empty)."""
    response = send(web, view, values(day, note, block=block), at)
    return response.status_code, (response.json() if response.text else None)


def stored(app: App) -> list[tuple[str, str, date | None, str | None, str]]:
    with app.session() as session:
        return [
            (u.item_id, u.status.value, u.forecast, u.comment, u.source)
            for u in Repository(session, "wegen-test").status_updates()
        ]


def message_line(slack: FakeSlack, item: str = "1.1.1") -> str:
    (message,) = slack.messages[CHANNEL]
    (block,) = [b for b in message["blocks"] if b.get("block_id") == f"answer:{item}"]
    assert block["type"] == "context"  # the buttons are gone
    return str(block["elements"][0]["text"])
