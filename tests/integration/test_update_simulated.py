"""`regie update --as-of` and `regie import-updates --as-of` in a simulation (REGIE_SIMULATE,
follow46, walk46 12): as `regie decision add`, an update of a day up to the last day `regie cycle
--simulate` ran is of the simulation's past and recorded; a later day is refused with the command
to run first. Without a simulation a day after today stays refused. SQLite and PostgreSQL,
through the real command."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from regie.bootstrap import App
from regie.services import today
from store import Repository
from tests.cli_in_process import regie
from tests.integration.mail_setup import Clock
from tests.integration.reports_scenario import cli_env, migrated_app


@pytest.fixture
def app(tmp_path: Path, database_url: str, sender_clock: Clock) -> App:
    """A copy of the seed plan, on Regie's clock pinned (``sender_clock``): the test's today and
    the command's are one day, also when the office's midnight falls during the test (clock54)."""
    return migrated_app(tmp_path / "home", database_url)


def _one_line(err: str) -> None:
    assert err.count("\n") == 1 and "Traceback" not in err


def _running_on(app: App) -> None:
    """A programme that runs on, so the simulated days are in it, synced into the database."""
    plan_path = Path(str(app.settings.plan_path))
    text = plan_path.read_text(encoding="utf-8").replace("end: 2020-12-31", "end: 2040-12-31")
    plan_path.write_text(text, encoding="utf-8")
    assert regie("sync", env=cli_env(app)).code == 0


def test_a_simulation_records_an_update_of_a_day_it_has_reached(app: App) -> None:
    _running_on(app)
    now = today(app)
    ahead = now + timedelta(days=30)
    env = {**cli_env(app), "REGIE_SIMULATE": "1"}
    update = ("update", "1.3.1", "--status", "at_risk", "--comment", "Loopt uit")
    programme = app.load_plan().programme.id

    def stored() -> list[date]:
        """The days of 1.3.1's updates after today."""
        with app.session() as session:
            updates = Repository(session, programme).status_updates(item="1.3.1")
        return [u.reported_on for u in updates if u.reported_on > now]

    # Not a simulation: a day after today is refused as before.
    plain = regie(*update, "--as-of", ahead.isoformat(), env=cli_env(app))
    assert plain.code == 2
    _one_line(plain.err)
    assert plain.err == f"--as-of: {ahead} is after today ({now}): an update counts from today\n"

    # The simulation has not reached the day: refused, saying what to run first.
    refused = regie(*update, "--as-of", ahead.isoformat(), env=env)
    assert refused.code == 2
    _one_line(refused.err)
    assert refused.err == (
        f"--as-of: {ahead} is after today ({now}) and the simulation has not run; an update "
        f"counts from a day the simulation reached: run `regie cycle --simulate --as-of "
        f"{ahead}` first\n"
    )
    assert stored() == []

    # As `regie cycle --simulate --as-of <the day>` leaves the history (its day recorded).
    with app.session() as session:
        Repository(session, programme).record_assessed_day(ahead)
        session.commit()
    taken = regie(*update, "--as-of", ahead.isoformat(), env=env)
    assert taken.code == 0, taken.err
    assert stored() == [ahead]

    # A day beyond the one reached stays refused, naming it.
    later = ahead + timedelta(days=1)
    beyond = regie(*update, "--as-of", later.isoformat(), env=env)
    assert beyond.code == 2
    _one_line(beyond.err)
    assert f"and the simulation has reached {ahead}; " in beyond.err
    assert stored() == [ahead]


def test_a_simulation_imports_a_sheet_of_a_day_it_has_reached(app: App, tmp_path: Path) -> None:
    """The same rule for `regie import-updates`: one reader of where the simulation stands."""
    _running_on(app)
    now = today(app)
    ahead = now + timedelta(days=30)
    env = {**cli_env(app), "REGIE_SIMULATE": "1"}
    sheet = tmp_path / "antwoorden.csv"
    sheet.write_text("item,status,note\n1.3.1,at_risk,Loopt uit\n", encoding="utf-8")
    programme = app.load_plan().programme.id

    def imported(day: date, run_env: dict[str, str]) -> tuple[int, str]:
        result = regie("import-updates", str(sheet), "--as-of", day.isoformat(), env=run_env)
        return result.code, result.err

    def stored() -> list[date]:
        with app.session() as session:
            updates = Repository(session, programme).status_updates(item="1.3.1")
        return [u.reported_on for u in updates if u.reported_on > now]

    code, err = imported(ahead, cli_env(app))  # not a simulation: refused as before
    assert code == 2 and err == (
        f"--as-of: {ahead} is after today ({now}): an update counts from today\n"
    )
    code, err = imported(ahead, env)  # the simulation has not reached the day
    assert code == 2
    _one_line(err)
    assert "and the simulation has not run; " in err
    assert stored() == []

    with app.session() as session:
        Repository(session, programme).record_assessed_day(ahead)
        session.commit()
    code, err = imported(ahead, env)
    assert code == 0, err
    assert stored() == [ahead]

    code, err = imported(ahead + timedelta(days=1), env)
    assert code == 2
    _one_line(err)
    assert f"and the simulation has reached {ahead}; " in err
    assert stored() == [ahead]
