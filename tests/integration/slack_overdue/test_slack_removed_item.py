"""A button of an item taken out of the plan (walk28 #10): no modal; the item's buttons give
way to what the e-mail link says ("u hoeft niets te doen"), and the refusal is recorded as the
link's is (``link_removed``)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from regie.bootstrap import App
from store import Repository
from tests.fakes.slack_api import FakeSlack
from tests.integration.answer_app import ANSWERS_PLAN
from tests.integration.slack_overdue.desk import CHANNEL, stored
from tests.integration.slack_requests import button, signed

REMOVED = """\
          - id: "1.1.1"
            title: Knelpuntenkaart
            gereed: Q2-2025
"""


@pytest.mark.parametrize("choice", ["new_date", "done_on", "blocked"])
def test_a_removed_items_button_opens_no_modal_and_says_nothing_to_do(
    app: App, web: TestClient, slack: FakeSlack, tmp_path: Path, choice: str
) -> None:
    text = ANSWERS_PLAN.read_text(encoding="utf-8")
    assert REMOVED in text
    plan = tmp_path / "plan.yaml"
    plan.write_text(text.replace(REMOVED, ""), encoding="utf-8")
    app.settings = replace(app.settings, plan_path=plan)

    payload = button("U0ANNA", "1.1.1", choice, channel=CHANNEL)
    payload["trigger_id"] = slack.trigger()
    response = web.post("/slack/interactivity", content=(s := signed(payload))[0], headers=s[1])
    assert response.status_code == 200
    assert slack.views == [] and slack.calls_to("views.open") == []
    (message,) = slack.messages[CHANNEL]
    ids = [b.get("block_id") for b in message["blocks"]]
    assert "answer-edit:1.1.1" not in ids  # nothing to correct either
    (line,) = [b for b in message["blocks"] if b.get("block_id") == "answer:1.1.1"]
    assert line["type"] == "context"
    assert (
        line["elements"][0]["text"]
        == "Dit punt staat niet meer in het plan; u hoeft niets te doen."
    )
    # The other item keeps its buttons.
    (other,) = [b for b in message["blocks"] if b.get("block_id") == "answer:1.1.2"]
    assert other["type"] == "actions"
    assert stored(app) == []
    with app.session() as session:
        events = Repository(session, "wegen-test").events()
    refused = [e.payload for e in events if e.name == "regie.answer.refused"]
    assert [(r["reason"], r["channel"], r["contact"], r["item"]) for r in refused] == [
        ("link_removed", "slack", "anna", "1.1.1")
    ]
