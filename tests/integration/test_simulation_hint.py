"""A store a `regie cycle --simulate` ran ahead in, used without REGIE_SIMULATE (walk49 2): the
refusal of a day after today names REGIE_SIMULATE=1 in its one line, for `regie update`,
`regie import-updates`, `regie decision add` and the reports; without simulated days after
today it says what it always said. Nothing is stored. SQLite and PostgreSQL, in process."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from regie.bootstrap import App
from regie.services import today
from store import Repository
from tests.cli_in_process import regie
from tests.integration.mail_setup import Clock
from tests.integration.reports_scenario import cli_env, migrated_app

HINT_ONLY = pytest.mark.one_database(
    "the refusal's words, from SQL this file's other PostgreSQL tests run"
)

UPDATE = ("update", "1.3.1", "--status", "at_risk", "--comment", "Loopt uit")


@pytest.fixture
def app(tmp_path: Path, database_url: str, sender_clock: Clock) -> App:
    """A copy of the seed plan, on Regie's clock pinned (``sender_clock``): the test's today and
    the command's are one day, also when the office's midnight falls during the test (clock54)."""
    app = migrated_app(tmp_path / "home", database_url)
    plan_path = Path(str(app.settings.plan_path))  # a programme that runs on
    text = plan_path.read_text(encoding="utf-8").replace("end: 2020-12-31", "end: 2040-12-31")
    plan_path.write_text(text, encoding="utf-8")
    assert regie("sync", env=cli_env(app)).code == 0
    return app


def _assessed(app: App, day: date) -> None:
    """As `regie cycle --simulate --as-of <day>` leaves the store: its day recorded."""
    with app.session() as session:
        Repository(session, app.load_plan().programme.id).record_assessed_day(day)
        session.commit()


def _later_updates(app: App, now: date) -> list[date]:
    with app.session() as session:
        updates = Repository(session, app.load_plan().programme.id).status_updates(item="1.3.1")
    return [u.reported_on for u in updates if u.reported_on > now]


def _refused(result_err: str, code: int) -> str:
    assert code == 2
    assert result_err.count("\n") == 1 and "Traceback" not in result_err
    return result_err.rstrip("\n")


def test_an_update_refused_in_a_simulated_store_names_regie_simulate(app: App) -> None:
    now = today(app)
    simulated, asked = now + timedelta(days=30), now + timedelta(days=10)
    plain = f"--as-of: {asked} is after today ({now}): an update counts from today"

    # Days up to today only (a real cycle's): the refusal as it was, no word of a simulation.
    _assessed(app, now)
    result = regie(*UPDATE, "--as-of", asked.isoformat(), env=cli_env(app))
    assert _refused(result.err, result.code) == plain

    # A simulation ran ahead: the same line, plus the switch that lets the update through.
    _assessed(app, simulated)
    hint = (
        f"; the store holds a simulation up to {simulated} (`regie cycle --simulate`): "
        "REGIE_SIMULATE=1 lets an update follow its days"
    )
    result = regie(*UPDATE, "--as-of", asked.isoformat(), env=cli_env(app))
    assert _refused(result.err, result.code) == plain + hint
    sheet = app.settings.home / "antwoorden.csv"
    sheet.write_text("item,status,note\n1.3.1,at_risk,Loopt uit\n", encoding="utf-8")
    result = regie("import-updates", str(sheet), "--as-of", asked.isoformat(), env=cli_env(app))
    assert _refused(result.err, result.code) == plain + hint
    assert _later_updates(app, now) == []

    # What the hint says holds: with REGIE_SIMULATE=1 the same update is recorded.
    taken = regie(
        *UPDATE, "--as-of", asked.isoformat(), env={**cli_env(app), "REGIE_SIMULATE": "1"}
    )
    assert taken.code == 0, taken.err
    assert _later_updates(app, now) == [asked]


def test_a_decision_and_a_report_refused_in_a_simulated_store_name_regie_simulate(
    app: App,
) -> None:
    now = today(app)
    simulated, asked = now + timedelta(days=30), now + timedelta(days=10)
    plan_path = Path(str(app.settings.plan_path))
    text = plan_path.read_text(encoding="utf-8")
    _assessed(app, simulated)

    decision = regie("decision", "add", "--body", "stuurgroep", "--meeting", asked.isoformat(),
                     "--text", "Uitgesteld", "--set-gereed", "1.3.1", "Q2-2030",
                     env=cli_env(app))  # fmt: skip
    line = _refused(decision.err, decision.code)
    assert line.startswith(f"--meeting: {asked} is after today ({now}, ")
    assert line.endswith(
        f"a decision is recorded once its meeting has taken place; the store holds a "
        f"simulation up to {simulated} (`regie cycle --simulate`): REGIE_SIMULATE=1 lets a "
        "decision follow its days"
    )
    assert plan_path.read_text(encoding="utf-8") == text  # no decision edited the plan

    report = regie("report", "voortgang", "--from", "2015-07-01", "--to", "2015-12-31",
                   "--as-of", asked.isoformat(), "--format", "md", env=cli_env(app))  # fmt: skip
    assert report.out == ""
    assert _refused(report.err, report.code) == (
        f"--as-of {asked} is after today ({now}): a report is archived as the record of its "
        f"day; make it on that day, or leave out --as-of for today's; the store holds a "
        f"simulation up to {simulated} (`regie cycle --simulate`): REGIE_SIMULATE=1 lets a "
        "report follow its days"
    )
    listed = regie("report", "list", "--format", "json", env=cli_env(app))
    assert listed.code == 0 and json.loads(listed.out) == []


@HINT_ONLY
def test_the_hint_does_not_promise_a_day_after_the_simulation(app: App) -> None:
    # Simulated up to D+30, asked D+90: REGIE_SIMULATE=1 would refuse it too (review50 6).
    now = today(app)
    simulated, asked = now + timedelta(days=30), now + timedelta(days=90)
    _assessed(app, simulated)
    result = regie(*UPDATE, "--as-of", asked.isoformat(), env=cli_env(app))
    assert _refused(result.err, result.code) == (
        f"--as-of: {asked} is after today ({now}): an update counts from today; the store "
        f"holds a simulation only up to {simulated} (`regie cycle --simulate`)"
    )
