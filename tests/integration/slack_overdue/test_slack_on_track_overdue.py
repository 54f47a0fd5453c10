"""A bare "Op schema" button pressed on an item whose deadline has passed since the message was
sent: as the answer form asks the new date first, it opens "Nieuwe datum…" and stores nothing
until that date is given; on an item not overdue (or with a new date still ahead) it is stored
as before. An "Update geven" modal opened before the deadline and sent with "Op schema" after
it needs the new date too. Over HTTP against the fake Slack Web API, on the desk's day (1.1.1
five days overdue, 1.1.2 open)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from starlette.testclient import TestClient

from governance.answers import Answerer, AnswerInput
from regie.answers import record_answer
from regie.bootstrap import App
from regie.services import today
from tests.fakes.slack_api import FakeSlack
from tests.integration.slack_overdue.desk import CHANNEL, message_line, press, stored, submit
from tests.integration.slack_requests import button, signed, submission

pytestmark = pytest.mark.usefixtures("desk_day")


def tap(web: TestClient, slack: FakeSlack, item: str) -> None:
    """Press the item's "Op schema" (a quick button: no modal expected)."""
    payload = button("U0ANNA", item, "on_track", channel=CHANNEL)
    payload["trigger_id"] = slack.trigger()
    response = web.post("/slack/interactivity", content=(s := signed(payload))[0], headers=s[1])
    assert response.status_code == 200


def test_op_schema_on_an_overdue_item_asks_the_new_date_first(
    app: App, web: TestClient, slack: FakeSlack
) -> None:
    view = press(web, slack, "on_track", "1.1.1")
    assert view["title"]["text"] == "Nieuwe datum"
    assert "deadline" in str(view["blocks"]) and "verstreken" in str(view["blocks"])
    picker = next(b for b in view["blocks"] if b.get("block_id") == "forecast")
    assert picker["optional"] is False  # the new date is required
    assert stored(app) == []  # nothing stored by the press
    assert slack.calls_to("chat.update") == []  # the message keeps its buttons
    code, body = submit(web, view, None)
    assert code == 200 and list(body["errors"]) == ["forecast"]
    assert "Kies de nieuwe" in body["errors"]["forecast"]
    assert stored(app) == []
    day = today(app) + timedelta(days=30)
    assert submit(web, view, day.isoformat()) == (200, None)
    assert stored(app) == [("1.1.1", "on_track", day, None, "slack")]
    assert message_line(slack).endswith("Nieuwe datum: verwacht gereed op 4 augustus 2025")


def test_op_schema_on_an_item_not_overdue_is_stored_at_once(
    app: App, web: TestClient, slack: FakeSlack
) -> None:
    tap(web, slack, "1.1.2")
    assert slack.calls_to("views.open") == []  # no modal
    assert [s[:3] for s in stored(app)] == [("1.1.2", "on_track", None)]
    assert message_line(slack, "1.1.2").endswith(": Op schema")


def test_op_schema_on_an_overdue_item_with_a_new_date_ahead_is_stored_at_once(
    app: App, web: TestClient, slack: FakeSlack
) -> None:
    """Moved (verschoven) to a date still ahead: not overdue as the form judges it either."""
    ahead = today(app) + timedelta(days=20)
    anna = Answerer("anna", "Anna de Wit")
    record_answer(
        app, AnswerInput("1.1.1", "on_track", ahead), anna, channel="cli", as_of=today(app)
    )
    tap(web, slack, "1.1.1")
    assert slack.calls_to("views.open") == []
    assert [s[:3] for s in stored(app)][-1] == ("1.1.1", "on_track", None)


def test_an_update_geven_modal_sent_after_the_deadline_needs_the_new_date(
    app: App, web: TestClient
) -> None:
    """Opened before 1.1.1's deadline passed ("Update geven", not the overdue modal), sent
    after it with "Op schema": refused at its date field, nothing stored, until a date."""

    def send(forecast: str | None) -> tuple[int, str]:
        payload = submission("U0ANNA", "1.1.1", "on_track", forecast=forecast)
        response = web.post("/slack/interactivity", content=(s := signed(payload))[0], headers=s[1])
        return response.status_code, response.text

    code, text = send(None)
    assert code == 200
    errors = json.loads(text)["errors"]
    said = "De deadline van dit punt is verstreken: geef bij ‘Op schema’ de nieuwe verwachte datum."
    assert errors == {"forecast": said}
    assert stored(app) == []
    code, text = send((today(app) - timedelta(days=1)).isoformat())
    assert "in het verleden" in json.loads(text)["errors"]["forecast"]
    assert stored(app) == []
    day = today(app) + timedelta(days=10)
    assert send(day.isoformat()) == (200, "")
    assert stored(app) == [("1.1.1", "on_track", day, None, "slack")]
