"""An overdue item in Slack: Gereed, Nieuwe datum… and Loopt vast… (a modal with a date picker
and a note), over HTTP against the fake Slack Web API (views.open, chat.update)."""

from __future__ import annotations

import json
import time
from datetime import date, timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from governance import clock
from notifications.slack_blocks import digest_blocks
from regie.bootstrap import App
from regie.services import today
from tests.fakes.slack_api import FakeSlack
from tests.integration.slack_overdue.desk import (
    CHANNEL,
    digest,
    message_line,
    press,
    stored,
    submit,
)

MODAL_ONLY = pytest.mark.one_database(
    "the modal's shape and words, from SQL this file's other PostgreSQL tests run"
)


def actions(blocks: list[dict[str, Any]], item: str) -> list[str]:
    (block,) = [b for b in blocks if b.get("block_id") == f"answer:{item}"]
    return [e["text"]["text"] for e in block.get("elements", []) if "text" in e]


def test_an_overdue_item_offers_gereed_new_date_and_stuck() -> None:
    blocks = digest_blocks(digest())
    assert actions(blocks, "1.1.1") == ["Gereed…", "Nieuwe datum…", "Loopt vast…"]
    assert actions(blocks, "1.1.2") == ["Op schema", "Risico", "Gereed…", "Update geven"]


def test_a_new_date_opens_a_modal_and_is_stored_once(
    app: App, web: TestClient, slack: FakeSlack
) -> None:
    view = press(web, slack, "new_date")
    (opened,) = slack.calls_to("views.open")
    assert opened.outcome == "ok"
    now = today(app)
    picker = next(b for b in view["blocks"] if b.get("block_id") == "forecast")["element"]
    assert picker["type"] == "datepicker"
    assert date.fromisoformat(picker["initial_date"]) > now  # never in the past
    assert view["title"]["text"] == "Nieuwe datum"
    day = now + timedelta(days=30)
    assert submit(web, view, day.isoformat(), "Wacht op de aannemer") == (200, None)
    assert stored(app) == [("1.1.1", "on_track", day, "Wacht op de aannemer", "slack")]
    from notifications.render import format_date_nl

    line = message_line(slack)
    assert line.startswith("Beantwoord door Anna de Wit op ")
    assert line.endswith(f"Nieuwe datum: verwacht gereed op {format_date_nl(day)}")
    # The item's stand from before the answer is gone from above it (walk32c 7); the other
    # item, not answered, keeps its own.
    texts = {b["block_id"]: b["text"]["text"] for b in slack.messages[CHANNEL][0]["blocks"]
             if b["type"] == "section"}  # fmt: skip
    answered = "*1.1.1* Knelpuntenkaart\nGereed: _Q2-2025_ · deadline 30 juni 2025"
    assert texts["item:1.1.1"] == answered
    assert texts["item:1.1.2"].endswith(" · Stand: op schema")
    # Submitted again (Slack sends a second, validly signed request): stored once.
    sent_at = clock.utcnow().timestamp() - 2  # by Regie's clock, as Slack's agrees with ours
    again = submit(web, view, day.isoformat(), "Wacht op de aannemer", at=sent_at)
    assert again == (200, None)
    assert len(stored(app)) == 1


@pytest.mark.parametrize(
    ("offset", "words"),
    [(-1, "in het verleden"), (2 * 366 + 1, "meer dan 2 jaar vooruit"), (None, "Kies de nieuwe")],
)
def test_a_date_in_the_past_or_far_ahead_is_a_field_error(
    app: App, web: TestClient, slack: FakeSlack, offset: int | None, words: str
) -> None:
    view = press(web, slack, "new_date")
    day = None if offset is None else (today(app) + timedelta(days=offset)).isoformat()
    code, body = submit(web, view, day)
    assert code == 200 and body["response_action"] == "errors"
    assert list(body["errors"]) == ["forecast"] and words in body["errors"]["forecast"]
    assert stored(app) == []
    assert slack.calls_to("chat.update") == []
    # Corrected in the same modal: stored.
    good = (today(app) + timedelta(days=7)).isoformat()
    assert submit(web, view, good) == (200, None)
    assert [s[:3] for s in stored(app)] == [("1.1.1", "on_track", date.fromisoformat(good))]


def test_stuck_needs_a_note_and_stores_at_risk(app: App, web: TestClient, slack: FakeSlack) -> None:
    view = press(web, slack, "blocked")
    assert view["title"]["text"] == "Loopt vast"
    picker = next(b for b in view["blocks"] if b.get("block_id") == "forecast")
    assert picker["optional"] is True and "initial_date" not in picker["element"]
    code, body = submit(web, view, None, "  ")
    assert code == 200 and list(body["errors"]) == ["note"]
    assert submit(web, view, None, "Vergunning ligt stil bij de provincie") == (200, None)
    assert stored(app) == [
        ("1.1.1", "at_risk", None, "Vergunning ligt stil bij de provincie", "slack")
    ]
    assert message_line(slack).endswith("Loopt vast, hulp nodig")


@MODAL_ONLY
def test_the_modal_is_opened_with_the_real_request_shape(app: App, slack: FakeSlack) -> None:
    """slack-sdk's views_open against the fake: a trigger works once and only briefly, and a
    view Slack would refuse is refused."""
    from slack_sdk import WebClient
    from slack_sdk.errors import SlackApiError

    from regie.slack_modals import overdue_modal

    client = WebClient(token=slack.token, base_url=slack.base_url)
    plan = app.load_plan()
    view = overdue_modal(plan, "1.1.1", "new_date", CHANNEL, "1.000001", today(app))
    trigger = slack.trigger()
    assert client.views_open(trigger_id=trigger, view=view)["view"]["id"]
    for used, error in [
        (trigger, "exchanged_trigger_id"),
        (slack.trigger(at=time.monotonic() - 10), "expired_trigger_id"),
        ("made-up", "invalid_trigger_id"),
    ]:
        with pytest.raises(SlackApiError) as refused:
            client.views_open(trigger_id=used, view=view)
        assert refused.value.response["error"] == error
    bad = {**view, "title": {"type": "plain_text", "text": "x" * 25}}
    bad["blocks"][2]["element"]["initial_date"] = "4-12-2026"
    with pytest.raises(SlackApiError) as refused:
        client.views_open(trigger_id=slack.trigger(), view=bad)
    assert refused.value.response["error"] == "invalid_arguments"
    assert len(refused.value.response["response_metadata"]["messages"]) == 2
    assert json.loads(view["private_metadata"])["kind"] == "new_date"


@MODAL_ONLY
def test_risico_on_an_overdue_item_asks_what_is_stuck(
    app: App, web: TestClient, slack: FakeSlack
) -> None:
    """One rule for every channel (walk32c 5): *Risico* on an overdue item says what is stuck.
    An old message's "Risico" (sent before the deadline passed) opens *Loopt vast…*, and an
    "Update geven" modal opened then and sent now is refused at its note, nothing stored."""
    from regie.slack_answers import handle_interaction
    from tests.integration.slack_requests import submission

    view = press(web, slack, "at_risk")
    assert view["title"]["text"] == "Loopt vast"
    assert next(b for b in view["blocks"] if b.get("block_id") == "note")["optional"] is False
    assert stored(app) == []
    plan = app.load_plan()
    reply = handle_interaction(app, plan, submission("U0ANNA", "1.1.1", "at_risk"), today(app))
    assert reply.body is not None and list(reply.body["errors"]) == ["note"]
    assert "wat er vastloopt" in reply.body["errors"]["note"]
    assert stored(app) == []
    said = submission("U0ANNA", "1.1.1", "at_risk", note="Vergunning ligt stil")
    assert handle_interaction(app, plan, said, today(app)).stored
    assert [s[:2] for s in stored(app)] == [("1.1.1", "at_risk")]
