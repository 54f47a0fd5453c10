"""`regie slack listen`: Slack interactions over Socket Mode (no public endpoint needed).

Slack sends each interaction as an envelope over a WebSocket the app opens itself
(``apps.connections.open`` with the app-level token, REGIE_SLACK_APP_TOKEN). We store the answer,
acknowledge the envelope (with modal errors in its payload when there are any), then make the
Web API calls. An envelope id seen before is acknowledged and ignored: Slack redelivers
envelopes that were not acknowledged in time, and an answer must not be stored twice. Only
envelopes Regie handles are recorded (in the answer's own transaction, as over HTTP): one of
another kind, from another workspace or app, or that it cannot read is acknowledged and
forgotten.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from regie.bootstrap import App
from regie.errors import InvalidInput

if TYPE_CHECKING:
    from collections.abc import Callable

    from slack_sdk.socket_mode.builtin.client import SocketModeClient
    from slack_sdk.socket_mode.client import BaseSocketModeClient
    from slack_sdk.socket_mode.request import SocketModeRequest

    from regie.slack_answers import ReplayGuard

log = logging.getLogger("regie.slack")
ENVELOPE_WINDOW = timedelta(minutes=5)  # Slack redelivers an unacknowledged envelope sooner


def listen(
    app: App,
    stop: threading.Event | None = None,
    on_connected: Callable[[], None] | None = None,
) -> None:
    """Connect and handle interactions until ``stop`` is set (or forever); ``on_connected``
    once connected (the command line says it listens only then)."""
    from slack_sdk.socket_mode import SocketModeClient

    from regie.slack_client import slack_client

    token = app.settings.slack_app_token
    if not token:
        raise InvalidInput("REGIE_SLACK_APP_TOKEN: not set (an app-level token, xapp-…)")
    web = slack_client(app)
    if web is None:
        raise InvalidInput(
            "REGIE_NOTIFIER: Slack is not configured (name slack, with REGIE_SLACK_BOT_TOKEN)"
        )
    app.ensure_schema()
    client = SocketModeClient(app_token=token, web_client=web, ping_interval=10)
    client.socket_mode_request_listeners.append(lambda c, req: on_request(app, c, req))
    client.connect()
    if on_connected is not None:
        on_connected()
    try:
        (stop or threading.Event()).wait()
    finally:
        close_promptly(client)


def close_promptly(client: SocketModeClient) -> None:
    """``client.close()``, without waiting for its threads' timeouts (small50): close() takes
    the receive lock, which the receiving thread holds in a ``recv`` that gives up only after
    its 3 s timeout, and the message thread notices ``closed`` only after a 1 s ``get``. So:
    end the loops first, as close() would, then shut the socket down (the ``recv`` returns at
    once, the server sees the connection end) and wake the queue (``None`` is skipped)."""
    try:
        _end_loops(client)
    except AttributeError:
        # slack_sdk's private state moved (a 3.x release may rename it): close() alone ends
        # the loops too, only after its threads' timeouts (review50 4).
        pass
    finally:
        client.close()  # joins the threads, closes the socket; lets running handlers finish


def _end_loops(client: SocketModeClient) -> None:
    """What close() does first, without waiting: the internals of
    ``slack_sdk.socket_mode.builtin`` (3.47), not its public API."""
    import socket
    from contextlib import suppress

    client.closed = True
    client.auto_reconnect_enabled = False
    # Before the recv returns: its runner would otherwise start a new round on the socket,
    # still open until close(), and mark the session live again.
    for runner in (client.current_session_runner, client.current_app_monitor):
        runner.event.set()
    client.current_session_state.terminated = True
    session = client.current_session
    sock = session.sock if session is not None else None
    if sock is not None:
        # The plain socket's shutdown: an SSL socket's own would drop its TLS state under the
        # recv in progress; this one ends that recv as an EOF, which TLS lets pass. OSError:
        # the connection is already gone, and close() has nothing to wait for either.
        with suppress(OSError):
            socket.socket.shutdown(sock, socket.SHUT_RDWR)
    client.message_queue.put(None)


def on_request(app: App, client: BaseSocketModeClient, req: SocketModeRequest) -> None:
    from slack_sdk.socket_mode.response import SocketModeResponse

    from regie.plan_cache import current_plan
    from regie.services import today
    from regie.slack_answers import Malformed, Replayed, handle_interaction
    from regie.slack_client import run_after_ack, user_email

    body: dict[str, Any] | None = None
    calls: list[Any] = []
    try:
        if req.type == "interactive":
            plan = current_plan(app)[0]
            day = today(app, plan)
            web = client.web_client
            # The envelope id is recorded in the answer's own transaction, or on its own when
            # the interaction wrote nothing (the modal opened, field errors); never for one
            # refused as foreign or unreadable (Malformed), which is not Regie's to remember.
            guard = envelope_guard(req.envelope_id)
            reply = handle_interaction(
                app, plan, req.payload, day, lookup=lambda user: user_email(web, user), guard=guard
            )
            guard.alone(app)
            body, calls = reply.body, reply.then
    except Replayed:  # redelivered: acknowledged, nothing stored again, no calls again
        body, calls = None, []
    except Malformed as exc:
        log.warning("Slack envelope %s: %s", req.envelope_id, exc)
    except Exception:  # never leave Slack without an ack; the answer was not stored
        log.exception("Slack envelope %s failed", req.envelope_id)
    client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id, payload=body))
    run_after_ack(client.web_client, calls)


def envelope_guard(envelope_id: str) -> ReplayGuard:
    """The replay guard for one envelope: its id, kept :data:`ENVELOPE_WINDOW`."""
    from regie.slack_answers import ReplayGuard

    return ReplayGuard(f"envelope:{envelope_id[:100]}", int(ENVELOPE_WINDOW.total_seconds()))
