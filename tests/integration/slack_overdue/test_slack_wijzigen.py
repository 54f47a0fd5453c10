"""Correcting an answer in Slack (walk28 #11): "Wijzigen" starts from the answer it corrects,
an item past its deadline gets the overdue modal (never a bare "Op schema"), and the "Stand"
line and the answered line carry the expected date and the note, as the answer form does."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from starlette.testclient import TestClient

from notifications.render import format_date_nl
from regie.bootstrap import App
from regie.services import today
from tests.fakes.slack_api import FakeSlack
from tests.integration.slack_overdue.desk import (
    CHANNEL,
    message_line,
    press,
    send,
    stored,
    submit,
    values,
)
from tests.integration.slack_requests import button, signed


def wijzigen(web: TestClient, slack: FakeSlack, item: str = "1.1.1") -> dict[str, Any]:
    """Press the "Wijzigen" button under an answered item (its own block id)."""
    (message,) = slack.messages[CHANNEL]
    assert any(b.get("block_id") == f"answer-edit:{item}" for b in message["blocks"])
    payload = button("U0ANNA", item, "modal", channel=CHANNEL)
    payload["actions"][0]["block_id"] = f"answer-edit:{item}"
    payload["trigger_id"] = slack.trigger()
    response = web.post("/slack/interactivity", content=(s := signed(payload))[0], headers=s[1])
    assert response.status_code == 200
    return slack.views[-1]


def block(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)


def context(view: dict[str, Any]) -> str:
    return " ".join(
        e["text"] for b in view["blocks"] if b["type"] == "context" for e in b["elements"]
    )


def test_wijzigen_of_a_new_date_reopens_that_modal_with_the_date_and_note(
    app: App, web: TestClient, slack: FakeSlack
) -> None:
    day = today(app) + timedelta(days=40)
    view = press(web, slack, "new_date")
    assert submit(web, view, day.isoformat(), "Leverancier vertraagd") == (200, None)
    again = wijzigen(web, slack)
    assert (
        again["callback_id"] == "regie_overdue_modal" and again["title"]["text"] == "Nieuwe datum"
    )
    assert block(again, "forecast")["element"]["initial_date"] == day.isoformat()
    assert block(again, "note")["element"]["initial_value"] == "Leverancier vertraagd"
    stand = context(again)
    assert f"verwachte datum gereed {format_date_nl(day)}." in stand
    assert "Toelichting: ‘Leverancier vertraagd’" in stand
    later = day + timedelta(days=7)
    assert submit(web, again, later.isoformat(), "Leverancier nog later") == (200, None)
    assert [s[2] for s in stored(app)] == [day, later]
    assert message_line(slack).endswith(f"verwacht gereed op {format_date_nl(later)}")


def test_update_geven_on_an_item_past_its_deadline_is_the_overdue_modal(
    web: TestClient, slack: FakeSlack
) -> None:
    # 1.1.2's deadline (Q3-2025 in the plan) has passed since the digest offered its buttons.
    view = press(web, slack, "modal", item="1.1.2")
    assert view["callback_id"] == "regie_overdue_modal"
    assert not any(b.get("block_id") == "status" for b in view["blocks"])


def test_wijzigen_of_gereed_starts_from_it_and_the_line_keeps_the_new_date(
    app: App, web: TestClient, slack: FakeSlack
) -> None:
    finished = today(app) - timedelta(days=3)
    view = press(web, slack, "done_on")
    note = "Opgeleverd aan de provincie"
    assert submit(web, view, finished.isoformat(), note, block="completed_on") == (200, None)
    again = wijzigen(web, slack)
    assert again["callback_id"] == "regie_answer_modal"
    assert block(again, "status")["element"]["initial_option"]["value"] == "done"
    assert block(again, "completed_on")["element"]["initial_date"] == finished.isoformat()
    assert block(again, "note")["element"]["initial_value"] == note
    assert f"gereed op {format_date_nl(finished)}." in context(again)
    # Reopened with a date ahead ("Toch wijzigen" ticked): the line says that date.
    ahead = today(app) + timedelta(days=20)
    state = {
        "status": {"value": {"selected_option": {"value": "on_track"}}},
        **values(ahead.isoformat(), "Toch nog niet af", confirm=True),
        "completed_on": {"value": {"selected_date": None}},
    }
    response = send(web, again, state)
    assert response.status_code == 200 and not response.text
    assert stored(app)[-1][:3] == ("1.1.1", "on_track", ahead)
    assert message_line(slack).endswith(f"Op schema, verwacht gereed op {format_date_nl(ahead)}")
