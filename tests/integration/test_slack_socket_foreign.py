"""`regie slack listen` records only the envelopes it handles: one from another workspace or
app, of a kind Regie does not handle, or that it cannot read is acknowledged and not recorded
(against the local fake Socket Mode WebSocket, as tests/integration/test_slack_socket_mode.py)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import sqlalchemy as sa

from regie.bootstrap import App
from store.answers import BUTTON_PREFIX
from store.models_answers import SlackRequestRow
from tests.fakes.slack_socket import FakeSocketMode
from tests.integration import test_slack_socket_mode as socket_mode
from tests.integration.slack_requests import button
from tests.integration.test_slack_socket_mode import SocketSlack, updates

listening = socket_mode.listening  # the fixture: `regie slack listen` against the fakes

TEAM, APP_ID = "T0REGIE", "A0REGIE"


def _ours(payload: dict[str, Any]) -> dict[str, Any]:
    return {**payload, "team": {"id": TEAM}, "api_app_id": APP_ID}


def _recorded(app: App) -> list[str]:
    with app.session() as session:
        return sorted(session.scalars(sa.select(SlackRequestRow.signature)))


def test_only_envelopes_regie_handles_are_recorded_and_all_are_acknowledged(
    listening: tuple[App, SocketSlack, FakeSocketMode],
) -> None:
    app, _, socket = listening
    app.settings = replace(app.settings, slack_team_id=TEAM, slack_app_id=APP_ID)
    answer = button("U0ANNA", "1.1.1", "on_track")
    foreign = [
        # another workspace, another app (the same app installed elsewhere)
        {"envelope_id": "env-team", "payload": {**_ours(answer), "team": {"id": "T0OTHER"}}},
        {"envelope_id": "env-app", "payload": {**_ours(answer), "api_app_id": "A0OTHER"}},
        # kinds Regie does not handle: a shortcut, another app's view, another button
        {"envelope_id": "env-shortcut", "payload": _ours({"type": "shortcut", "user": {}})},
        {
            "envelope_id": "env-view",
            "payload": _ours({"type": "view_submission", "view": {"callback_id": "other"}}),
        },
        {
            "envelope_id": "env-button",
            "payload": _ours(
                {**answer, "actions": [{"action_id": "other:x", "value": "1", "type": "button"}]}
            ),
        },
        {"envelope_id": "env-junk", "payload": "not an object"},
    ]
    for envelope in foreign:
        socket.push({"type": "interactive", "accepts_response_payload": True, **envelope})
        assert socket.ack_for(envelope["envelope_id"]).get("payload") in (None, {})
    # Socket Mode envelopes of other types: acknowledged, never recorded.
    socket.push({"envelope_id": "env-event", "type": "events_api", "payload": {"event": {}}})
    socket.ack_for("env-event")
    socket.push({"envelope_id": "env-slash", "type": "slash_commands", "payload": {}})
    socket.ack_for("env-slash")
    assert _recorded(app) == []
    assert updates(app) == []

    # One Regie handles: stored once, recorded; redelivered, acknowledged and not stored again.
    envelope = {"envelope_id": "env-ours", "type": "interactive", "payload": _ours(answer)}
    socket.push(envelope)
    socket.ack_for("env-ours")
    assert updates(app) == [("1.1.1", "on_track", "anna")]
    # the envelope, and the answered message's item (its buttons answer once)
    assert [r for r in _recorded(app) if not r.startswith(BUTTON_PREFIX)] == ["envelope:env-ours"]
    assert len([r for r in _recorded(app) if r.startswith(BUTTON_PREFIX)]) == 1
    socket.acks.clear()
    socket.push(envelope)
    socket.ack_for("env-ours")
    assert updates(app) == [("1.1.1", "on_track", "anna")]
    # the envelope, and the answered message's item (its buttons answer once)
    assert [r for r in _recorded(app) if not r.startswith(BUTTON_PREFIX)] == ["envelope:env-ours"]
    assert len([r for r in _recorded(app) if r.startswith(BUTTON_PREFIX)]) == 1
