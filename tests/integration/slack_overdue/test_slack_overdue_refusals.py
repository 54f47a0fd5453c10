"""Review webrev findings 4-6 on the overdue item's Slack modal, over HTTP against the fake
Slack Web API: an item reported gereed by someone else names the "Toch wijzigen" box the
modal has; a malformed submission is a 400 with one log line; a view's id is remembered for
its own window, not pruned with the 5-minute request signatures."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from governance.answers import OFFICE, AnswerInput
from regie.answers import record_answer
from regie.bootstrap import App
from regie.services import today
from store.answers import first_seen
from tests.fakes.slack_api import FakeSlack
from tests.integration.slack_overdue.desk import press, send, stored, values
from tests.integration.slack_requests import signed


def test_an_overdue_item_reported_gereed_gets_the_toch_wijzigen_box(
    app: App, web: TestClient, slack: FakeSlack
) -> None:
    record_answer(app, AnswerInput("1.1.1", "done"), OFFICE, channel="cli", as_of=today(app))
    view = press(web, slack, "new_date")
    boxes = [b for b in view["blocks"] if b.get("block_id") == "confirm"]
    assert [b["element"]["options"][0]["text"]["text"] for b in boxes] == ["Toch wijzigen"]
    day = (today(app) + timedelta(days=20)).isoformat()
    refused = send(web, view, values(day, confirm=False)).json()
    assert refused["response_action"] == "errors"
    (where, text), *_ = refused["errors"].items()
    assert where == "confirm" and "Vink hieronder ‘Toch wijzigen’ aan" in text
    assert "Update geven" not in text
    assert [s[1] for s in stored(app)] == ["done"]
    assert send(web, view, values(day, confirm=True)).status_code == 200
    assert [s[1] for s in stored(app)] == ["done", "on_track"]


def test_gereed_after_the_modal_opened_says_how_to_get_the_box(
    app: App, web: TestClient, slack: FakeSlack
) -> None:
    view = press(web, slack, "new_date")  # no box: the item was open
    assert not [b for b in view["blocks"] if b.get("block_id") == "confirm"]
    record_answer(app, AnswerInput("1.1.1", "done"), OFFICE, channel="cli", as_of=today(app))
    day = (today(app) + timedelta(days=20)).isoformat()
    refused = send(web, view, values(day)).json()
    text = refused["errors"]["forecast"]
    assert "druk opnieuw op de knop bij het punt en vink ‘Toch wijzigen’ aan" in text
    assert "Update geven" not in text


@pytest.mark.parametrize(
    "change",
    [
        {"kind": ["new_date"]},  # unhashable: was a TypeError
        {"kind": {"a": 1}},
        {"state": "x"},  # not an object: was an AttributeError
        {"state": {"values": ["x"]}},
    ],
)
def test_a_malformed_overdue_submission_is_a_400_with_one_log_line(
    app: App,
    web: TestClient,
    slack: FakeSlack,
    change: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    view = press(web, slack, "new_date")
    meta = json.loads(view["private_metadata"])
    inner: dict[str, Any] = {
        "id": view["id"],
        "callback_id": view["callback_id"],
        "private_metadata": view["private_metadata"],
        "state": {"values": values("2099-01-01")},
    }
    if "kind" in change:
        inner["private_metadata"] = json.dumps({**meta, "kind": change["kind"]})
    else:
        inner["state"] = change["state"]
    body, headers = signed({"type": "view_submission", "user": {"id": "U0ANNA"}, "view": inner})
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        response = TestClient(web.app, raise_server_exceptions=False).post(
            "/slack/interactivity", content=body, headers=headers
        )
    assert response.status_code == 400, response.text
    logged = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(logged) == 1 and logged[0].exc_info is None
    assert "malformed" in logged[0].getMessage() and "\n" not in logged[0].getMessage()
    assert stored(app) == []


def test_the_general_modal_with_a_bad_state_is_a_400(app: App, web: TestClient) -> None:
    meta = json.dumps({"item": "1.1.1", "channel": "DANNA", "ts": "1.000001"})
    inner = {"id": "V9", "callback_id": "regie_answer_modal", "private_metadata": meta}
    body, headers = signed(
        {"type": "view_submission", "user": {"id": "U0ANNA"}, "view": {**inner, "state": 3}}
    )
    response = TestClient(web.app, raise_server_exceptions=False).post(
        "/slack/interactivity", content=body, headers=headers
    )
    assert response.status_code == 400


T0 = datetime(2016, 3, 1, 9, 0, tzinfo=UTC)


def test_a_views_id_outlives_the_request_signatures_window(engine: Engine) -> None:
    """Store level, both databases: request signatures (5 minutes) prune only their own kind,
    so a submitted view's id is still known after them, for the window it was stored with."""
    from regie.slack_answers import VIEW_WINDOW_SECONDS

    views, requests = timedelta(seconds=VIEW_WINDOW_SECONDS), timedelta(minutes=5)

    def seen(signature: str, minutes: float, window: timedelta) -> bool:
        with Session(engine) as session, session.begin():
            return first_seen(session, signature, T0 + timedelta(minutes=minutes), window)

    assert seen("view:V1", 0, views)
    assert seen("v0=abc", 1, requests)
    assert seen("v0=def", 60, requests)  # prunes "v0=abc", not the view
    assert not seen("v0=def", 61, requests)
    assert not seen("view:V1", 61, views)  # a second submit an hour later: still known
    assert seen("view:V1", VIEW_WINDOW_SECONDS / 60 + 2, views)  # after its own window
