"""A decision counts from its meeting day, everywhere: `regie status --as-of D` shows the plan as
its decisions stood on D (as reports do), and a decision is recorded once it is taken: `regie
decision add` refuses a meeting after today. SQLite and PostgreSQL, through the real command."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from regie.bootstrap import App
from tests.cli_in_process import regie
from tests.integration.mail_setup import Clock
from tests.integration.reports_scenario import cli_env, migrated_app

BEFORE = date(2016, 1, 8)  # before the stuurgroep meeting of 12 January 2016
AFTER = date(2016, 1, 15)


@pytest.fixture
def app(tmp_path: Path, database_url: str, sender_clock: Clock) -> App:
    """A copy of the seed plan, on Regie's clock pinned (``sender_clock``): the test's today and
    the command's are one day, also when the office's midnight falls during the test (clock54)."""
    return migrated_app(tmp_path / "home", database_url)


_env = cli_env


def _status(app: App, as_of: date) -> dict[str, dict[str, Any]]:
    shown = regie("status", "--as-of", as_of.isoformat(), "--format", "json", env=_env(app))
    assert shown.code == 0, shown.err
    return {row["id"]: row for row in json.loads(shown.out)}


def test_status_as_of_a_day_before_the_meeting_does_not_know_the_decision(app: App) -> None:
    env = _env(app)
    moved = regie("decision", "add", "--body", "stuurgroep", "--meeting", "2016-01-12",
                  "--text", "Verkenning klimaatambassadeur uitgesteld tot Q2-2016",
                  "--set-gereed", "1.3.1", "Q2-2016", env=env)  # fmt: skip
    assert moved.code == 0, moved.err
    dropped = regie("decision", "add", "--body", "stuurgroep", "--meeting", "2016-04-12",
                    "--text", "Gezant vervalt", "--cancel", "1.3.2", env=env)  # fmt: skip
    assert dropped.code == 0, dropped.err

    before = _status(app, BEFORE)
    assert before["1.3.1"]["gereed"] == "Najaar 2015"
    assert before["1.3.1"]["due"] == "2015-11-30"
    assert before["1.3.1"]["state"] == "overdue"
    assert before["1.3.2"]["state"] == "overdue"  # its drop is of April's meeting

    after = _status(app, AFTER)
    assert after["1.3.1"]["gereed"] == "Q2-2016"
    assert after["1.3.1"]["due"] == "2016-06-30"
    assert after["1.3.1"]["state"] != "overdue"
    assert after["1.3.2"]["state"] == "overdue"

    assert _status(app, date(2016, 4, 12))["1.3.2"]["state"] == "cancelled"


def test_a_decision_of_a_meeting_still_to_come_is_refused(app: App) -> None:
    from regie.reports import add_meeting
    from regie.services import today

    plan_path = Path(str(app.settings.plan_path))
    # A programme that runs on, with a meeting in two weeks and one today.
    text = plan_path.read_text(encoding="utf-8").replace("end: 2020-12-31", "end: 2040-12-31")
    plan_path.write_text(text, encoding="utf-8")
    now = today(app)
    coming = now + timedelta(days=14)
    for on in (coming, now):
        add_meeting(app, "stuurgroep", on, None, None, None, allow_day_off=True)
    env = _env(app)

    add = ("decision", "add", "--body", "stuurgroep", "--text", "Uitgesteld")
    refused = regie(*add, "--meeting", coming.isoformat(), "--set-gereed", "1.3.1", "Q2-2030",
                    env=env)  # fmt: skip
    assert refused.code == 2
    zone = app.load_plan().calendar.timezone
    assert refused.err.strip() == (
        f"--meeting: {coming} is after today ({now}, {zone}); a decision is recorded once its "
        "meeting has taken place"
    )
    assert plan_path.read_text(encoding="utf-8") == text  # the plan file is untouched
    listed = regie("decision", "list", env=env)
    assert listed.code == 0, listed.err
    assert "Uitgesteld" not in listed.out

    taken = regie(*add, "--meeting", now.isoformat(), "--set-gereed", "1.3.1", "Q2-2030",
                  env=env)  # fmt: skip
    assert taken.code == 0, taken.err
    assert 'gereed: "Q2-2030"' in plan_path.read_text(encoding="utf-8")
