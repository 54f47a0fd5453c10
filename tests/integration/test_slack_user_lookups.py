"""Who answers in Slack when the plan has only the contact's e-mail: the address the sender
found the user by (``users.lookupByEmail``, kept in ``slack_lookups``) before ``users.info``;
a ``users.info`` that fails is "try again", not an unknown person (walk28 #5)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from notifications.base import Message
from notifications.slack import SlackNotifier, web_client
from regie.bootstrap import App
from regie.config import SlackSettings
from store import Repository
from store.slack_lookups import SlackUserCache
from tests.fakes.slack_api import FakeSlack
from tests.integration.slack_requests import button, signed, slack_app
from web.app import create_app

CARLA = "U0CARLA"


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    # No users.info route: the fake answers it as Slack with a hiccup would (an error).
    with FakeSlack(users={"carla@example.org": CARLA}) as fake:
        yield fake


@pytest.fixture
def app(migrated_url: str, tmp_path: Path, slack: FakeSlack) -> App:
    app = slack_app(migrated_url, tmp_path)
    app.settings = replace(app.settings, slack=SlackSettings(slack.token, slack.base_url))
    return app


def _digest_to_carla(app: App, slack: FakeSlack) -> str:
    """The sender posts Carla a digest, finding her by e-mail; the DM's channel id."""
    item = {
        "id": "1.2", "title": "Ontwerp provinciale routes", "state": "overdue",
        "due": "2025-12-31", "days_overdue": 5, "gereed": "Q4-2025", "owners": ["PROV"],
    }  # fmt: skip
    message = Message(
        "digest-carla", "reminder_digest", "carla", "Carla Post", "Herinnering", "tekst",
        email="carla@example.org", metadata={"items": [item]},
    )  # fmt: skip
    notifier = SlackNotifier(
        web_client(slack.token, slack.base_url, timeout=5),
        SlackUserCache(app.sessions),
        rate=1000,
        sleep=lambda s: None,
    )
    return str(notifier.send(message).external_id).partition("/")[0]


def _press(app: App, slack: FakeSlack, channel: str, user: str = CARLA) -> Any:
    (post,) = slack.messages[channel]
    payload = button(user, "1.2", "done", channel=channel, ts=post["ts"])
    body, headers = signed(payload)
    return TestClient(create_app(app)).post("/slack/interactivity", content=body, headers=headers)


def _stored(app: App) -> list[tuple[str, str, str]]:
    with app.session() as session:
        return [
            (u.item_id, u.status.value, u.author)
            for u in Repository(session, "wegen-test").status_updates()
        ]


def _refusals(app: App) -> list[Any]:
    with app.session() as session:
        events = Repository(session, "wegen-test").events()
    return [e.payload for e in events if e.name == "regie.answer.refused"]


def test_a_user_the_sender_found_by_e_mail_answers_without_users_info(
    app: App, slack: FakeSlack
) -> None:
    channel = _digest_to_carla(app, slack)
    assert _press(app, slack, channel).status_code == 200
    assert _stored(app) == [("1.2", "done", "carla")]
    assert slack.calls_to("users.info") == []  # not asked: the sender's look-up said who
    assert _refusals(app) == []
    (post,) = slack.messages[channel]
    assert any(b.get("block_id") == "answer:1.2" and b["type"] == "context" for b in post["blocks"])


def test_a_failing_users_info_is_try_again_not_an_unknown_person(
    app: App, slack: FakeSlack
) -> None:
    channel = _digest_to_carla(app, slack)
    # Someone the sender never looked up answers in the same DM (a shared screen, a test):
    # only users.info could tell, and it fails.
    assert _press(app, slack, channel, user="U0NOBODY").status_code == 200
    assert len(slack.calls_to("users.info")) >= 1
    assert _stored(app) == [] and _refusals(app) == []
    (said,) = slack.calls_to("chat.postEphemeral")
    assert said.args["text"].startswith("Slack kon u op dit moment niet herkennen")
    assert "contactpersoon" not in said.args["text"]


def test_users_info_saying_no_such_user_is_an_unknown_person(app: App, slack: FakeSlack) -> None:
    slack.route("users.info", lambda fake, args: {"ok": False, "error": "user_not_found"})
    channel = _digest_to_carla(app, slack)
    assert _press(app, slack, channel, user="U0NOBODY").status_code == 200
    assert _stored(app) == []
    assert [r["reason"] for r in _refusals(app)] == ["unknown_contact"]


def test_a_button_that_opens_a_modal_asks_slack_nothing_before_it_opens(
    app: App, slack: FakeSlack
) -> None:
    """review12 5: the modal's trigger_id lasts 3 s, so someone Regie cannot name from the plan
    or its cache is not looked up (users.info) at the press; the submission checks them."""
    channel = _digest_to_carla(app, slack)
    (post,) = slack.messages[channel]
    payload = button("U0NOBODY", "1.2", "modal", channel=channel, ts=post["ts"])
    body, headers = signed(payload)
    pressed = TestClient(create_app(app)).post(
        "/slack/interactivity", content=body, headers=headers
    )
    assert pressed.status_code == 200
    assert slack.calls_to("users.info") == []
    assert len(slack.calls_to("views.open")) == 1
    assert _stored(app) == [] and _refusals(app) == []
