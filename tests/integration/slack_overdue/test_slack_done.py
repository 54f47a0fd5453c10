"""Slack's "Gereed…" asks the day the item was finished (today preset, not in the future, not
more than ``new_date_max_years`` back), for an overdue item and an open one alike; how far ahead
"Nieuwe datum…" may go is the plan's ``reminders.new_date_max_years``. Over HTTP against the
fake Slack Web API, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from governance.new_date import earliest_done
from notifications.render import format_date_nl
from regie.bootstrap import App
from regie.services import today
from store import Repository
from tests.fakes.slack_api import FakeSlack
from tests.integration.answer_app import ANSWERS_PLAN
from tests.integration.slack_overdue.desk import message_line, press, submit

MODAL_ONLY = pytest.mark.one_database(
    "the modal's fields and errors, from SQL this file's other PostgreSQL tests run"
)


def finished(app: App) -> list[tuple[str, str, date | None, str | None]]:
    with app.session() as session:
        return [
            (u.item_id, u.status.value, u.completed_on, u.comment)
            for u in Repository(session, "wegen-test").status_updates()
        ]


def block(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)


@pytest.mark.parametrize("item", ["1.1.1", "1.1.2"])  # overdue, and still open
def test_gereed_asks_the_day_it_was_finished_and_stores_it(
    app: App, web: TestClient, slack: FakeSlack, item: str
) -> None:
    view = press(web, slack, "done_on", item)
    assert view["title"]["text"] == "Gereed melden"
    now = today(app)
    picker = block(view, "completed_on")["element"]
    assert picker["type"] == "datepicker" and picker["initial_date"] == now.isoformat()
    last_week = now - timedelta(days=7)
    sent = submit(web, view, last_week.isoformat(), "Opgeleverd", block="completed_on")
    assert sent == (200, None)
    assert finished(app) == [(item, "done", last_week, "Opgeleverd")]
    line = message_line(slack, item)
    assert line.startswith(f"Beantwoord door Anna de Wit op {format_date_nl(now)}: ")
    assert line.endswith(f"Gereed op {format_date_nl(last_week)}")


@MODAL_ONLY
def test_gereed_as_preset_is_today(app: App, web: TestClient, slack: FakeSlack) -> None:
    view = press(web, slack, "done_on")
    picked = block(view, "completed_on")["element"]["initial_date"]
    assert submit(web, view, picked, block="completed_on") == (200, None)
    assert finished(app) == [("1.1.1", "done", today(app), None)]
    assert message_line(slack).endswith(": Gereed")


@MODAL_ONLY
@pytest.mark.parametrize(
    ("day", "words"),
    [
        (lambda now: now + timedelta(days=1), "ligt in de toekomst"),
        # the plan's new_date_max_years (2) back: a slip of the picker's year wheel
        (lambda now: earliest_done(now) - timedelta(days=1), "meer dan 2 jaar terug"),
    ],
    ids=["tomorrow", "years-back"],
)
def test_a_day_in_the_future_or_years_back_is_a_field_error(
    app: App, web: TestClient, slack: FakeSlack, day: Any, words: str
) -> None:
    view = press(web, slack, "done_on")
    now = today(app)
    hint = f"niet voor {format_date_nl(earliest_done(now))}"
    assert hint in block(view, "completed_on")["hint"]["text"]
    code, body = submit(web, view, day(now).isoformat(), block="completed_on")
    assert code == 200 and body["response_action"] == "errors"
    assert list(body["errors"]) == ["completed_on"] and words in body["errors"]["completed_on"]
    assert finished(app) == []
    assert slack.calls_to("chat.update") == []
    # Corrected in the same modal: stored (the first day allowed).
    first = earliest_done(now)
    assert submit(web, view, first.isoformat(), block="completed_on") == (200, None)
    assert finished(app) == [("1.1.1", "done", first, None)]


@MODAL_ONLY
def test_update_geven_checks_the_day_finished_the_same_way(
    app: App, web: TestClient, slack: FakeSlack
) -> None:
    from governance.answers import Answerer, AnswerInput
    from regie.answers import record_answer
    from tests.integration.slack_overdue.desk import send

    # A new date still ahead (verschoven): "Update geven" is the general modal again (an
    # item past its deadline without one gets the overdue modal, walk28 #11).
    ahead = AnswerInput("1.1.1", "on_track", today(app) + timedelta(days=30))
    record_answer(app, ahead, Answerer("anna", "Anna de Wit"), channel="cli", as_of=today(app))
    view = press(web, slack, "modal")
    state = {
        "status": {"value": {"selected_option": {"value": "done"}}},
        "forecast": {"value": {"selected_date": None}},
        "completed_on": {"value": {"selected_date": (today(app) + timedelta(days=1)).isoformat()}},
        "note": {"value": {"value": None}},
    }
    refused = send(web, view, state).json()
    assert "ligt in de toekomst" in refused["errors"]["completed_on"]
    assert [u[1] for u in finished(app)] == ["on_track"]  # nothing stored


@MODAL_ONLY
def test_how_far_ahead_a_new_date_may_lie_is_the_plans_setting(
    app: App, web: TestClient, slack: FakeSlack, tmp_path: Path
) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        ANSWERS_PLAN.read_text(encoding="utf-8") + "\nreminders:\n  new_date_max_years: 1\n",
        encoding="utf-8",
    )
    app.settings = replace(app.settings, plan_path=plan)
    view = press(web, slack, "new_date")
    assert "hoogstens 1 jaar vooruit" in block(view, "forecast")["hint"]["text"]
    far = today(app) + timedelta(days=400)
    code, body = submit(web, view, far.isoformat())
    assert code == 200 and "meer dan 1 jaar vooruit" in body["errors"]["forecast"]
    near = today(app) + timedelta(days=300)
    assert submit(web, view, near.isoformat()) == (200, None)
