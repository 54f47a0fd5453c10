"""``POST /slack/interactivity``: Slack's buttons and modal over HTTP.

Checked with slack-sdk's ``SignatureVerifier`` (REGIE_SLACK_SIGNING_SECRET; it refuses timestamps
more than 5 minutes from now, either way), on Regie's one clock, plus our own checks: a timestamp
more than :data:`MAX_AHEAD` in the future is refused as well, and a signature seen before is
refused (the replay guard keeps each one until both its arrival and its timestamp are
:data:`REPLAY_WINDOW` old: as long as the timestamp check still accepts it). Stores, then
acknowledges; ``chat.update`` and friends run after the response. With REGIE_SLACK_TEAM_ID
and/or REGIE_SLACK_APP_ID set, a signed request from another workspace or app is refused as an
unsigned one (:func:`regie.slack_answers.check_origin`); unset, they are not checked.
"""

from __future__ import annotations

import contextlib
import json
import logging
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

if TYPE_CHECKING:
    from regie.bootstrap import App

log = logging.getLogger("regie.slack")
MAX_BODY = 100_000  # bytes; interaction payloads are a few kilobytes
#: slack-sdk's timestamp tolerance (``SignatureVerifier``: 5 minutes either way): a signature is
#: remembered for as long as the request would pass that check again.
REPLAY_WINDOW = timedelta(minutes=5)
#: How far ahead of our clock a request's timestamp may be. Slack stamps a request when it
#: sends it, so only clock skew puts it ahead; slack-sdk alone would accept 5 minutes, which
#: lets a captured request be replayed that much longer. One minute covers an NTP-synced pair
#: of clocks with room to spare; a server whose clock lags more gets 401s (fix its clock).
MAX_AHEAD = timedelta(seconds=60)


def routes() -> list[Route]:
    return [Route("/slack/interactivity", interactivity, methods=["POST"])]


async def interactivity(request: Request) -> Response:
    from starlette.concurrency import run_in_threadpool

    regie: App = request.app.state.regie
    secret = regie.settings.slack_signing_secret
    if not secret:
        return PlainTextResponse("Slack interactivity is not configured\n", status_code=404)
    from web.forms import FormRefused, read_body

    try:  # a declared length over MAX_BODY unread; a chunked body only up to MAX_BODY
        body = await read_body(request, MAX_BODY)
    except FormRefused as exc:
        return PlainTextResponse(
            "request too large\n" if exc.status == 413 else "malformed request\n",
            status_code=exc.status,
        )
    timestamp = request.headers.get("x-slack-request-timestamp", "")
    signature = request.headers.get("x-slack-signature", "")
    from web.limits import answer_slots

    async with answer_slots(request):  # first come, first served (see web.limits)
        return await run_in_threadpool(busy_guard, regie, secret, body, timestamp, signature)


def busy_guard(regie: App, secret: str, body: bytes, timestamp: str, signature: str) -> Response:
    """A busy or unreachable database is a 503 (Slack shows the user an error), never a 500,
    with ``Retry-After``."""
    from sqlalchemy.exc import OperationalError

    from web.limits import BUSY_RETRY_SECONDS

    try:
        return handle(regie, secret, body, timestamp, signature)
    except OperationalError:
        return PlainTextResponse(
            "database busy, nothing stored; try again\n", status_code=503,
            headers={"Retry-After": str(BUSY_RETRY_SECONDS)},
        )  # fmt: skip


def handle(regie: App, secret: str, body: bytes, timestamp: str, signature: str) -> Response:
    from regie.services import today, utcnow
    from regie.slack_answers import (
        ForeignOrigin,
        Malformed,
        Replayed,
        ReplayGuard,
        handle_interaction,
    )
    from regie.slack_client import slack_client, user_email
    from web.answers import current_plan

    now = utcnow()
    try:
        requested = datetime.fromtimestamp(int(timestamp), UTC)
        valid = _verifier(secret, now.timestamp()).is_valid(body, timestamp, signature)
    except Exception:  # a non-numeric or absurd timestamp and the like: not signed by Slack
        valid = False
    if not valid:
        return PlainTextResponse("invalid or stale signature\n", status_code=401)
    guard = ReplayGuard(signature[:128], int(REPLAY_WINDOW.total_seconds()), request_time=requested)
    if requested - now > MAX_AHEAD:  # signed, but too far ahead: refused, and remembered, so
        with contextlib.suppress(Replayed):  # that it cannot be replayed once its time comes
            guard.alone(regie)
        return PlainTextResponse("invalid or stale signature\n", status_code=401)
    try:
        fields = parse_qs(body.decode("utf-8"), strict_parsing=True, max_num_fields=5)
        payload: Any = json.loads(fields["payload"][0])
    except (UnicodeDecodeError, ValueError, KeyError, IndexError):
        return PlainTextResponse("malformed payload\n", status_code=400)
    plan = current_plan(regie)
    client = slack_client(regie)
    # The signature is recorded in the answer's own transaction (one COMMIT per answer); when
    # the interaction wrote nothing (the modal opened, field errors) it is recorded on its own
    # before anything is sent to Slack.
    try:
        reply = handle_interaction(
            regie,
            plan,
            payload,
            today(regie, plan),
            lookup=(lambda user: user_email(client, user)) if client else None,
            guard=guard,
        )
        guard.alone(regie)
    except ForeignOrigin as exc:  # another workspace or app: as unsigned, nothing stored
        log.warning("Slack interaction refused: %s", exc)
        return PlainTextResponse("invalid or stale signature\n", status_code=401)
    except Malformed as exc:  # one line, no traceback: only Slack (or the secret) sends these
        log.warning("Slack interaction malformed: %s", exc)
        return PlainTextResponse(f"malformed payload: {exc}\n", status_code=400)
    except Replayed:
        return PlainTextResponse("request already handled\n", status_code=409)
    task = BackgroundTask(run_calls, client, reply.then) if client and reply.then else None
    if reply.body is None:
        return Response(status_code=200, background=task)
    return JSONResponse(reply.body, background=task)


def run_calls(client: Any, calls: list[Any]) -> None:
    from regie.slack_client import run_after_ack

    run_after_ack(client, calls)


def _verifier(secret: str, now: float) -> Any:
    """slack-sdk's verifier, reading the time the request is checked at (Regie's one clock,
    which the replay guard reads too) rather than its own."""
    from slack_sdk.signature import Clock, SignatureVerifier

    class Fixed(Clock):
        def now(self) -> float:
            return now

    return SignatureVerifier(secret, clock=Fixed())
