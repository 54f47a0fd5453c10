"""Signed Slack interaction requests, as Slack sends them (for the HTTP endpoint tests)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

from governance import clock

if TYPE_CHECKING:
    import pytest

    from regie.bootstrap import App

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"

#: A moment before every deadline of the answers plan (tests/fixtures/plans/answers.yaml; the
#: first, 1.1.1's, is 30 June 2025), whose items are all overdue by the real clock: there a bare
#: "Op schema" is an answer, where on an overdue item it opens "Nieuwe datum…".
BEFORE_DEADLINES = datetime(2025, 6, 2, 9, tzinfo=UTC)


def set_clock(monkeypatch: pytest.MonkeyPatch, at: datetime) -> None:
    """Regie's one clock (:func:`governance.clock.utcnow`) stopped at ``at``: the office's day,
    the stored answers and the signature check go by it, and :func:`sign` stamps by it."""
    monkeypatch.setattr(clock, "utcnow", lambda: at)


def signed(
    payload: Any, *, at: float | None = None, secret: str = SIGNING_SECRET
) -> tuple[bytes, dict[str, str]]:
    body = urlencode({"payload": json.dumps(payload)}).encode()
    return sign(body, at=at, secret=secret)


def sign(
    body: bytes, *, at: float | None = None, secret: str = SIGNING_SECRET
) -> tuple[bytes, dict[str, str]]:
    # Stamped by Regie's clock (the real one unless a test set it), as Slack's agrees with ours.
    timestamp = str(int(at if at is not None else clock.utcnow().timestamp()))
    signature = SignatureVerifier(secret).generate_signature(timestamp=timestamp, body=body)
    headers = {
        "x-slack-request-timestamp": timestamp,
        "x-slack-signature": str(signature),
        "content-type": "application/x-www-form-urlencoded",
    }
    return body, headers


def button(
    user: str, item: str, status: str, *, channel: str = "DANNA", ts: str = "1.000001"
) -> dict[str, Any]:
    return {
        "type": "block_actions",
        "user": {"id": user},
        "trigger_id": "trigger-1",
        "container": {"type": "message", "channel_id": channel, "message_ts": ts},
        "actions": [{"action_id": f"regie_answer:{status}", "value": item, "type": "button"}],
    }


def submission(
    user: str,
    item: str,
    status: str | None,
    *,
    note: str | None = None,
    forecast: str | None = None,
    completed_on: str | None = None,
    changes: int | None = None,
) -> dict[str, Any]:
    """``changes``: the update a "Wijzigen" modal corrects (None: a new answer's modal)."""
    fields = {"item": item, "channel": "DANNA", "ts": "1.000001"}
    meta = json.dumps(fields | ({"changes": str(changes)} if changes is not None else {}))
    option = {"selected_option": {"value": status}} if status else {"selected_option": None}
    return {
        "type": "view_submission",
        "user": {"id": user},
        "view": {
            "callback_id": "regie_answer_modal",
            "private_metadata": meta,
            "state": {
                "values": {
                    "status": {"value": option},
                    "forecast": {"value": {"selected_date": forecast}},
                    "completed_on": {"value": {"selected_date": completed_on}},
                    "note": {"value": {"value": note}},
                }
            },
        },
    }


def slack_app(migrated_url: str, tmp_path: Path) -> App:
    """An answers app that takes Slack requests signed with :data:`SIGNING_SECRET`, its plan
    synced (the endpoint tests' fixture)."""
    from dataclasses import replace

    from regie.services import utcnow
    from store import sync_plan
    from tests.integration.answer_app import answers_app
    from tests.integration.server import TEST_SECRET_KEY

    app = answers_app(migrated_url, tmp_path)
    app.settings = replace(
        app.settings, slack_signing_secret=SIGNING_SECRET, secret_key=TEST_SECRET_KEY
    )
    plan = app.load_plan()
    with app.session() as session, session.begin():
        sync_plan(session, plan, now=utcnow(), plan_path=str(plan.path))
    return app
