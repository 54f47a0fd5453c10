"""The answer form's *Datum gereed* is checked as Slack's "Gereed…" is: not after today, not
more than ``new_date_max_years`` back (its picker offers only those days); and an overdue item's
new date is capped by the plan's ``reminders.new_date_max_years``. SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from governance.new_date import earliest_done, latest_allowed
from notifications.render import format_date_nl
from regie.bootstrap import App
from regie.services import today
from store import Repository
from tests.integration.answer_app import ANSWERS_PLAN
from tests.integration.link_setup import FIRST_DAY, link_app, queue_and_send
from tests.integration.mail_setup import Clock
from tests.integration.test_answer_form_errors import Page, _csrf
from web.app import create_app


def _finished(app: App) -> list[tuple[str, str, date | None]]:
    with app.session() as session:
        return [
            (u.item_id, u.status.value, u.completed_on)
            for u in Repository(session, "wegen-test").status_updates()
        ]


@pytest.mark.parametrize(
    ("day", "words"),
    [
        (lambda now: now + timedelta(days=1), "Datum gereed: Deze datum ligt in de toekomst"),
        (lambda now: earliest_done(now) - timedelta(days=1), "ligt meer dan 2 jaar terug"),
    ],
    ids=["tomorrow", "years-back"],
)
def test_a_day_finished_in_the_future_or_years_back_is_refused_at_its_field(
    migrated_url: str,
    tmp_path: Path,
    day: Callable[[date], date],
    words: str,
    sender_clock: Clock,  # the form's today is the test's, also across midnight (clock54)
) -> None:
    app = link_app(migrated_url, tmp_path)
    now = today(app)  # the office's date: answers count for it
    ((item, token), *_) = queue_and_send(app, FIRST_DAY)["anna"]
    assert item == "1.1.1"
    web = TestClient(create_app(app), raise_server_exceptions=True)
    form = web.get(f"/antwoord/{token}")
    shown = Page(form.text)
    first = earliest_done(now)  # the plan's new_date_max_years (2) back
    assert shown.by_id["completed_on"].get("min") == first.isoformat()
    assert shown.by_id["completed_on"].get("max") == now.isoformat()
    assert f"niet voor {format_date_nl(first)}" in shown.text["completed_on-uitleg"]
    data = {"status": "done", "completed_on": day(now).isoformat(), "csrf_token": _csrf(form.text)}
    page = web.post(f"/antwoord/{token}", data=data)
    assert page.status_code == 422, page.text
    assert words in Page(page.text).text["completed_on-fout"]
    assert _finished(app) == []
    again = {**data, "completed_on": first.isoformat()}
    assert web.post(f"/antwoord/{token}", data=again).status_code == 200
    assert _finished(app) == [("1.1.1", "done", first)]


def test_the_forms_new_date_cap_is_the_plans_setting(
    migrated_url: str,
    tmp_path: Path,
    sender_clock: Clock,  # the form's today is the test's, also across midnight (clock54)
) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        ANSWERS_PLAN.read_text(encoding="utf-8") + "\nreminders:\n  new_date_max_years: 1\n",
        encoding="utf-8",
    )
    app = link_app(migrated_url, tmp_path, plan)
    ((_, token), *_) = queue_and_send(app, FIRST_DAY)["anna"]
    web = TestClient(create_app(app), raise_server_exceptions=True)
    form = web.get(f"/antwoord/{token}")
    now = today(app)
    latest = Page(form.text).by_id["forecast"].get("max")
    assert latest == latest_allowed(now, 1).isoformat()  # 29 February: the 28th
    far = now + timedelta(days=400)
    data = {"status": "on_track", "forecast": far.isoformat(), "csrf_token": _csrf(form.text)}
    page = web.post(f"/antwoord/{token}", data=data)
    assert page.status_code == 422, page.text
    assert "meer dan 1 jaar vooruit" in Page(page.text).text["forecast-fout"]
