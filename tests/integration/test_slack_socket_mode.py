"""`regie slack listen` against a local fake Socket Mode WebSocket and the fake Web API."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from notifications.slack_answer_blocks import answer_actions
from regie.bootstrap import App
from regie.config import SlackSettings
from regie.slack_listen import listen
from store import Repository
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_socket import FakeSocketMode
from tests.integration.answer_app import answers_app
from tests.integration.slack_requests import BEFORE_DEADLINES, button, set_clock, submission

APP_TOKEN = "xapp-1-fake"


class SocketSlack(FakeSlack):
    """The fake Web API, plus apps.connections.open (called with the app-level token)."""

    socket_url = ""

    def handle(self, method: str, args: dict[str, Any], auth: str | None) -> tuple[int, Any]:
        if method == "apps.connections.open":
            if auth != f"Bearer {APP_TOKEN}":
                return 200, {"ok": False, "error": "invalid_auth"}
            return 200, {"ok": True, "url": self.socket_url}
        return super().handle(method, args, auth)


def _history(fake: FakeSlack, args: dict[str, Any]) -> dict[str, Any]:
    blocks = [
        {"type": "section", "block_id": "item:1.1.1", "text": {"type": "mrkdwn", "text": "x"}},
        answer_actions("1.1.1"),
    ]
    return {"messages": [{"ts": args.get("latest"), "text": "Verzoek", "blocks": blocks}]}


@pytest.fixture
def listening(
    migrated_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[App, SocketSlack, FakeSocketMode]]:
    with _listening(migrated_url, tmp_path, monkeypatch) as (app, web, socket, _, _):
        yield app, web, socket


@contextmanager
def _listening(
    migrated_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[App, SocketSlack, FakeSocketMode, threading.Event, threading.Thread]]:
    """`listen` in a thread against the fakes; the app, the fakes, its stop and its thread."""
    # A day before the plan's deadlines: a bare "Op schema" is an answer (not "Nieuwe datum…").
    set_clock(monkeypatch, BEFORE_DEADLINES)
    socket = FakeSocketMode().start()
    web = SocketSlack(users={"anna@example.org": "U0ANNA"})
    web.socket_url = socket.url
    web.route("conversations.history", _history)
    web.route("chat.update", lambda fake, args: {"ts": args.get("ts")})
    web.start()
    app = answers_app(migrated_url, tmp_path)
    app.settings = replace(
        app.settings,
        slack_app_token=APP_TOKEN,
        slack=SlackSettings(token=web.token, api_url=web.base_url),
    )
    from regie.services import utcnow
    from store import sync_plan

    plan = app.load_plan()
    with app.session() as session, session.begin():
        sync_plan(session, plan, now=utcnow(), plan_path=str(plan.path))
    stop = threading.Event()
    thread = threading.Thread(target=listen, args=(app, stop), daemon=True)
    thread.start()
    try:
        yield app, web, socket, stop, thread
    finally:
        stop.set()
        thread.join(timeout=20)
        web.stop()
        socket.stop()


def updates(app: App) -> list[tuple[str, str, str | None]]:
    with app.session() as session:
        return [
            (u.item_id, u.status.value, u.author)
            for u in Repository(session, "wegen-test").status_updates()
        ]


def test_socket_mode_button_stores_once_and_updates_the_message(
    listening: tuple[App, SocketSlack, FakeSocketMode],
) -> None:
    app, web, socket = listening
    envelope = {
        "envelope_id": "env-1",
        "type": "interactive",
        "accepts_response_payload": True,
        "payload": button("U0ANNA", "1.1.1", "on_track"),
    }
    socket.push(envelope)
    assert socket.ack_for("env-1").get("payload") in (None, {})
    assert updates(app) == [("1.1.1", "on_track", "anna")]
    deadline = time.monotonic() + 10
    while not web.calls_to("chat.update") and time.monotonic() < deadline:
        time.sleep(0.05)
    (update,) = web.calls_to("chat.update")
    blocks = update.args["blocks"]
    if isinstance(blocks, str):
        import json

        blocks = json.loads(blocks)
    replaced = next(b for b in blocks if b["block_id"] == "answer:1.1.1")
    assert replaced["type"] == "context"
    assert replaced["elements"][0]["text"].startswith("Beantwoord door Anna de Wit op ")
    socket.acks.clear()
    socket.push(envelope)  # Slack redelivers an envelope: acknowledged, not stored again
    socket.ack_for("env-1")
    assert updates(app) == [("1.1.1", "on_track", "anna")]


def test_socket_mode_modal_errors_in_the_acknowledgement(
    listening: tuple[App, SocketSlack, FakeSocketMode],
) -> None:
    app, _, socket = listening
    socket.push(
        {
            "envelope_id": "env-2",
            "type": "interactive",
            "accepts_response_payload": True,
            "payload": submission("U0ANNA", "1.1.1", None),
        }
    )
    ack = socket.ack_for("env-2")
    assert ack["payload"]["response_action"] == "errors"
    assert "status" in ack["payload"]["errors"]
    assert updates(app) == []


def test_socket_mode_overdue_modal_opens_checks_its_date_and_stores_once(
    listening: tuple[App, SocketSlack, FakeSocketMode],
) -> None:
    """An overdue item's "Nieuwe datum…" over Socket Mode: the modal is opened with the
    envelope's trigger, a past date comes back in the acknowledgement, and the same modal
    submitted in two envelopes is stored once."""
    from datetime import timedelta

    from regie.services import today

    app, web, socket = listening
    pressed = button("U0ANNA", "1.1.1", "new_date")
    pressed["trigger_id"] = web.trigger()
    socket.push({"envelope_id": "env-3", "type": "interactive", "payload": pressed})
    socket.ack_for("env-3")
    deadline = time.monotonic() + 10
    while not web.views and time.monotonic() < deadline:
        time.sleep(0.05)
    (view,) = web.views

    def submitted(envelope: str, day: str) -> dict[str, Any]:
        values = {"forecast": {"value": {"selected_date": day}}, "note": {"value": {}}}
        state = {k: view[k] for k in ("id", "callback_id", "private_metadata")}
        state["state"] = {"values": values}
        payload = {"type": "view_submission", "user": {"id": "U0ANNA"}, "view": state}
        socket.push({"envelope_id": envelope, "type": "interactive", "payload": payload})
        return socket.ack_for(envelope)

    now = today(app)
    ack = submitted("env-4", (now - timedelta(days=1)).isoformat())
    assert "in het verleden" in ack["payload"]["errors"]["forecast"]
    later = (now + timedelta(days=21)).isoformat()
    assert submitted("env-5", later).get("payload") in (None, {})
    assert submitted("env-6", later).get("payload") in (None, {})  # a double submit
    assert updates(app) == [("1.1.1", "on_track", "anna")]


def test_stop_ends_the_connection_without_waiting_for_the_receive(
    migrated_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`regie slack listen` stops (Ctrl-C, a service stop) without waiting for the client's
    receive to give up (small50): here a receive that never would (no timeout, and neither
    side pings, so nothing arrives), so a stop that waited for it would not return at all."""
    from slack_sdk.socket_mode.builtin import connection

    opened = connection._establish_new_socket_connection

    def blocking(*args: Any, **kwargs: Any) -> Any:
        sock = opened(*args, **kwargs)
        sock.settimeout(None)  # a recv waits until data or the end of the connection
        return sock

    monkeypatch.setattr(connection, "_establish_new_socket_connection", blocking)
    monkeypatch.setattr(connection.Connection, "check_state", lambda self: None)
    with _listening(migrated_url, tmp_path, monkeypatch) as (app, _, socket, stop, thread):
        socket.push({"envelope_id": "env-7", "type": "interactive", "payload": button(
            "U0ANNA", "1.1.1", "on_track")})  # fmt: skip
        socket.ack_for("env-7")  # connected and receiving; the answer stored
        assert updates(app) == [("1.1.1", "on_track", "anna")]
        stop.set()
        thread.join(timeout=60)
        assert not thread.is_alive()  # it waited for nothing: the receive would never end
        socket.wait_closed(1)
        assert (socket.connections, socket.closed) == (1, 1)  # closed, not reconnected
