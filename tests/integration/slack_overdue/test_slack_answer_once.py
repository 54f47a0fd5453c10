"""A Slack prompt's buttons answer once, whoever's message they are in (walk32c 1-4): a
double tap or an old copy stores nothing again; an answer closes the item's messages to the
other contacts too; a person who may not answer for the item is told at the press, naming the
item and its owners, before any modal opens."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from notifications.slack_blocks import EVENT_TYPE, digest_blocks
from regie.bootstrap import App
from store.models import OutboxRow
from store.outbox import enqueue
from store.records import OutboxRecord
from tests.fakes.slack_api import FakeSlack
from tests.integration.answer_app import ANSWERS_PLAN
from tests.integration.slack_overdue.desk import (
    CHANNEL,
    DESK_DAY,
    digest,
    message_line,
    press,
    stored,
)
from tests.integration.slack_requests import button, signed

# 1.1.2's "Op schema" is pressed as an answer: on the desk's day, before its deadline.
pytestmark = pytest.mark.usefixtures("desk_day")


def tap(web: TestClient, slack: FakeSlack, choice: str, item: str = "1.1.2") -> None:
    """Press a quick button; each press its own request (its own trigger), as Slack sends."""
    payload = button("U0ANNA", item, choice, channel=CHANNEL)
    payload["trigger_id"] = slack.trigger()
    response = web.post("/slack/interactivity", content=(s := signed(payload))[0], headers=s[1])
    assert response.status_code == 200


def ephemerals(slack: FakeSlack) -> list[str]:
    return [str(c.args["text"]) for c in slack.calls_to("chat.postEphemeral")]


def test_a_double_tap_or_an_old_button_stores_once(
    app: App, web: TestClient, slack: FakeSlack
) -> None:
    tap(web, slack, "on_track")
    assert [s[:2] for s in stored(app)] == [("1.1.2", "on_track")]
    assert message_line(slack, "1.1.2").startswith("Beantwoord door Anna de Wit op ")
    tap(web, slack, "on_track")  # a double tap
    tap(web, slack, "at_risk")  # a client still showing the old buttons
    assert [s[:2] for s in stored(app)] == [("1.1.2", "on_track")]
    said = "1.1.2 is vanuit dit bericht al beantwoord; er is niets opnieuw opgeslagen."
    assert [t.startswith(said) and "‘Wijzigen’" in t for t in ephemerals(slack)] == [True, True]


def test_a_modal_button_of_an_answered_message_opens_no_modal(
    app: App, web: TestClient, slack: FakeSlack
) -> None:
    from tests.integration.slack_overdue.desk import submit

    view = press(web, slack, "new_date")
    assert submit(web, view, "2027-03-31") == (200, None)
    assert len(stored(app)) == 1
    opened = len(slack.calls_to("views.open"))
    payload = button("U0ANNA", "1.1.1", "blocked", channel=CHANNEL)
    payload["trigger_id"] = slack.trigger()
    response = web.post("/slack/interactivity", content=(s := signed(payload))[0], headers=s[1])
    assert response.status_code == 200
    assert len(slack.calls_to("views.open")) == opened  # no second modal
    assert len(stored(app)) == 1
    assert ephemerals(slack)[-1].startswith("1.1.1 is vanuit dit bericht al beantwoord")


def test_a_handed_over_items_button_names_its_owner_at_once(
    app: App, web: TestClient, slack: FakeSlack, tmp_path: Path
) -> None:
    text = ANSWERS_PLAN.read_text(encoding="utf-8")
    mine = 'id: "1.1"\n        title: Knelpunten in kaart\n        owners: [GEM]'
    assert mine in text
    plan = tmp_path / "plan.yaml"
    plan.write_text(text.replace(mine, mine.replace("[GEM]", "[PROV]")), encoding="utf-8")
    app.settings = replace(app.settings, plan_path=plan)

    payload = button("U0ANNA", "1.1.1", "blocked", channel=CHANNEL)
    payload["trigger_id"] = slack.trigger()
    response = web.post("/slack/interactivity", content=(s := signed(payload))[0], headers=s[1])
    assert response.status_code == 200
    assert slack.calls_to("views.open") == []  # refused before any typing
    said = (
        "1.1.1 hoort bij Provincie Noordwaarts, niet bij uw organisatie; "
        "u hoeft er niets voor te doen."
    )
    assert ephemerals(slack) == [said]
    assert message_line(slack, "1.1.1") == said  # the buttons give way to it
    assert stored(app) == []


def _sent_digest(app: App, channel: str, ts: str, contact: str) -> None:
    """A reminder digest carrying 1.1.2, delivered in Slack as ``channel``/``ts``."""
    items = [{"id": "1.1.2", "stage": "due", "title": "Prioriteiten"}]
    record = OutboxRecord(
        key=f"digest-{contact}", kind="reminder_digest", recipient=contact,
        recipient_name=contact, subject="Herinnering", body_text="tekst",
        payload={"items": items},
    )  # fmt: skip
    with app.session() as session, session.begin():
        enqueue(session, "wegen-test", [record], "pending", DESK_DAY)
        session.execute(
            sa.update(OutboxRow)
            .where(OutboxRow.key == record.key)
            .values(status="sent", channel="slack", external_id=f"{channel}/{ts}")
        )


def test_an_answer_closes_the_items_messages_to_other_contacts(
    app: App, web: TestClient, slack: FakeSlack
) -> None:
    meta: dict[str, Any] = {"event_type": EVENT_TYPE, "event_payload": {"programme": "wegen-test"}}
    slack.messages["DBRAM"] = [
        {"ts": "2.000001", "channel": "DBRAM", "text": "Herinnering",
         "blocks": digest_blocks(digest()), "metadata": meta},
    ]  # fmt: skip
    _sent_digest(app, CHANNEL, "1.000001", "anna")
    _sent_digest(app, "DBRAM", "2.000001", "bram")

    tap(web, slack, "on_track")
    (theirs,) = slack.messages["DBRAM"]
    (line,) = [b for b in theirs["blocks"] if b.get("block_id") == "answer:1.1.2"]
    assert line["type"] == "context"
    assert line["elements"][0]["text"].startswith("Beantwoord door Anna de Wit op ")
    # The other item in that message keeps its buttons.
    (other,) = [b for b in theirs["blocks"] if b.get("block_id") == "answer:1.1.1"]
    assert other["type"] == "actions"
    # An old copy of that message's button stores nothing either.
    payload = button("U0ANNA", "1.1.2", "at_risk", channel="DBRAM", ts="2.000001")
    payload["trigger_id"] = slack.trigger()
    web.post("/slack/interactivity", content=(s := signed(payload))[0], headers=s[1])
    assert [s[:2] for s in stored(app)] == [("1.1.2", "on_track")]
