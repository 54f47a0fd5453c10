"""A simulation (REGIE_SIMULATE, walk33 11) records the decisions of the meetings it has reached:
its history stands at the last day `regie cycle --simulate` ran, after today; a meeting beyond
that day is refused with what to do. SQLite and PostgreSQL, through the real command."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from regie.bootstrap import App
from regie.reports import add_meeting
from regie.services import today
from store import Repository
from tests.cli_in_process import regie
from tests.integration.reports_scenario import cli_env, migrated_app


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:
    return migrated_app(tmp_path / "home", database_url)  # a copy of the seed plan


def test_a_simulation_records_a_decision_of_a_meeting_it_has_reached(app: App) -> None:
    plan_path = Path(str(app.settings.plan_path))
    # A programme that runs on, with a meeting a month from now.
    text = plan_path.read_text(encoding="utf-8").replace("end: 2020-12-31", "end: 2040-12-31")
    plan_path.write_text(text, encoding="utf-8")
    coming = today(app) + timedelta(days=30)
    add_meeting(app, "stuurgroep", coming, None, None, None, allow_day_off=True)
    env = {**cli_env(app), "REGIE_SIMULATE": "1"}
    add = ("decision", "add", "--body", "stuurgroep", "--meeting", coming.isoformat(),
           "--text", "Uitgesteld", "--set-gereed", "1.3.1", "Q2-2030")  # fmt: skip

    # The simulation has not reached the meeting: refused, saying what to run first.
    refused = regie(*add, env=env)
    assert refused.code == 2
    assert refused.err.count("\n") == 1 and "Traceback" not in refused.err
    assert refused.err.startswith(f"--meeting: {coming} is after today (")
    assert (
        f"the simulation has not run; a decision is recorded once its meeting has taken "
        f"place: run `regie cycle --simulate --as-of {coming}` first" in refused.err
    )
    assert plan_path.read_text(encoding="utf-8") == text

    # As `regie cycle --simulate --as-of <the meeting>` leaves the history (its day recorded).
    programme = app.load_plan().programme.id
    with app.session() as session:
        Repository(session, programme).record_assessed_day(coming)
        session.commit()
    taken = regie(*add, env=env)
    assert taken.code == 0, taken.err
    assert 'gereed: "Q2-2030"' in plan_path.read_text(encoding="utf-8")
    listed = regie("decision", "list", env=env)
    assert listed.code == 0 and "Uitgesteld" in listed.out
