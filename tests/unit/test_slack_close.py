"""`regie slack listen` stops by :func:`regie.slack_listen.close_promptly`, which reaches into
slack_sdk's private Socket Mode state to stop at once (small50). A slack_sdk that moved that
state must still be closed, the plain slow way (review50 4)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from regie.slack_listen import close_promptly


def test_a_client_without_the_expected_internals_is_still_closed() -> None:
    closed: list[bool] = []
    # No current_session_runner, current_session, message_queue …: a renamed internals.
    client: Any = SimpleNamespace(closed=False, auto_reconnect_enabled=True)
    client.close = lambda: closed.append(True)
    close_promptly(client)
    assert closed == [True]
    assert client.auto_reconnect_enabled is False
