"""An item answered from one Slack digest: its buttons give way in the conversation's other
Regie digests too (walk28 #18), older and newer, so an old message cannot record another
answer; e-mail does the same (a newer reminder's link replaces the older)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from notifications.slack_blocks import EVENT_TYPE, digest_blocks
from regie.bootstrap import App
from regie.services import today
from tests.fakes.slack_api import FakeSlack
from tests.integration.slack_overdue.desk import CHANNEL, digest, stored, submit
from tests.integration.slack_requests import button, signed

OLD, NEW = "1.000001", "2.000002"


def _meta(key: str) -> dict[str, Any]:
    return {"event_type": EVENT_TYPE, "event_payload": {"key": key, "kind": "reminder_digest"}}


@pytest.fixture
def two_digests(slack: FakeSlack) -> FakeSlack:
    """The desk's digest (1 December) and a newer one (3 December) about the same items, and
    a message of someone else's in between that must stay as it is."""
    (old,) = slack.messages[CHANNEL]
    old["metadata"] = _meta("digest-1")
    foreign = {"ts": "1.500000", "channel": CHANNEL, "text": "x", "metadata": None,
               "blocks": digest_blocks(digest())}  # fmt: skip
    new = {"ts": NEW, "channel": CHANNEL, "text": "Herinnering",
           "blocks": digest_blocks(digest()), "metadata": _meta("digest-2")}  # fmt: skip
    slack.messages[CHANNEL] = [old, foreign, new]
    return slack


def _blocks(slack: FakeSlack, ts: str, item: str = "1.1.1") -> list[str]:
    (message,) = [m for m in slack.messages[CHANNEL] if m["ts"] == ts]
    return [b["type"] for b in message["blocks"] if str(b.get("block_id", "")).endswith(item)]


@pytest.mark.parametrize(("answered", "other"), [(NEW, OLD), (OLD, NEW)])
def test_an_answer_replaces_the_items_buttons_in_the_other_digests(
    app: App, web: TestClient, two_digests: FakeSlack, answered: str, other: str
) -> None:
    slack = two_digests
    payload = button("U0ANNA", "1.1.1", "new_date", channel=CHANNEL, ts=answered)
    payload["trigger_id"] = slack.trigger()
    assert web.post("/slack/interactivity", content=(s := signed(payload))[0], headers=s[1])
    view = slack.views[-1]
    day = today(app) + timedelta(days=30)
    assert submit(web, view, day.isoformat(), "Wacht op de aannemer") == (200, None)
    assert len(stored(app)) == 1
    # Both Regie digests: the line and "Wijzigen" in place of the three buttons.
    assert _blocks(slack, answered) == ["section", "context", "actions"]
    assert _blocks(slack, other) == ["section", "context", "actions"]
    (message,) = [m for m in slack.messages[CHANNEL] if m["ts"] == other]
    (line,) = [b for b in message["blocks"] if b.get("block_id") == "answer:1.1.1"]
    assert line["elements"][0]["text"].startswith("Beantwoord door Anna de Wit op ")
    # The other item keeps its buttons everywhere; a message not Regie's is left alone.
    assert _blocks(slack, other, "1.1.2") == ["section", "actions"]
    assert _blocks(slack, "1.500000") == ["section", "actions"]


def test_another_programmes_digest_in_the_conversation_keeps_its_buttons(
    app: App, web: TestClient, slack: FakeSlack
) -> None:
    """Two programmes post into one conversation (one bot for the workspace): answering this
    programme's 1.1.1 leaves the other programme's 1.1.1 alone (item ids recur across plans)."""
    (old,) = slack.messages[CHANNEL]
    old["metadata"] = _meta("digest-1")
    old["metadata"]["event_payload"]["programme"] = app.programme_id()
    other = {"ts": "1.500000", "channel": CHANNEL, "text": "x", "blocks": digest_blocks(digest()),
             "metadata": _meta("digest-9")}  # fmt: skip
    other["metadata"]["event_payload"]["programme"] = "another-programme"
    slack.messages[CHANNEL] = [old, other]
    payload = button("U0ANNA", "1.1.1", "new_date", channel=CHANNEL, ts=old["ts"])
    payload["trigger_id"] = slack.trigger()
    assert web.post("/slack/interactivity", content=(s := signed(payload))[0], headers=s[1])
    day = today(app) + timedelta(days=30)
    assert submit(web, slack.views[-1], day.isoformat(), "Wacht") == (200, None)
    assert _blocks(slack, old["ts"]) == ["section", "context", "actions"]
    assert _blocks(slack, "1.500000") == ["section", "actions"]  # its buttons as they were
