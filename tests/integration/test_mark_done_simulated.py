"""`regie report voortgang --mark-done` and `regie report mark-done` in a simulation (walk58a 3):
as `regie update` and `regie decision add`, a day up to the last one `regie cycle --simulate`
ran is of the simulation's past, so the report's action is recorded gereed on it; a later day
is refused with the command to run first. Without REGIE_SIMULATE a day after today stays
refused, for `report mark-done` in words that fit it (the report is made: it was not
"recorded gereed once the report is made"). SQLite and PostgreSQL, through the real commands."""

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
from tests.integration.test_update_simulated import _running_on

REPORT = "voortgangsrapportage"  # the seed plan's reporting obligation (action 4.4)
PERIOD = ("--from", "2015-01-01", "--to", "2016-12-31")


@pytest.fixture
def app(tmp_path: Path, database_url: str, sender_clock: Clock) -> App:
    """The seed plan running on to 2040, its 2015–2016 report approved on 10 January 2017; on
    Regie's clock pinned (``sender_clock``), so the test's today is the command's."""
    from regie.decisions import add_decision

    app = migrated_app(tmp_path / "home", database_url)
    _running_on(app)
    add_decision(app, "stuurgroep", date(2017, 1, 10), "Voortgangsrapportage vastgesteld",
                 approves_report=f"{REPORT}:2015-01-01/2016-12-31",
                 before_archive=True)  # fmt: skip
    return app


def test_marking_a_report_done_follows_the_simulated_day(app: App, tmp_path: Path) -> None:
    now = today(app)
    ahead = now + timedelta(days=30)
    plain = cli_env(app)
    simulated = {**plain, "REGIE_SIMULATE": "1"}
    out = str(tmp_path / "r.md")
    with app.session() as session:  # as `regie cycle --simulate --as-of <ahead>` leaves it
        Repository(session, app.load_plan().programme.id).record_assessed_day(ahead)
        session.commit()
    made = regie("report", "voortgang", *PERIOD, "--as-of", ahead.isoformat(), "-f", "md",
                 "--out", out, env=simulated)  # fmt: skip
    assert made.code == 0, made.err
    archived = made.out.rsplit("(archief ", 1)[1].split(")")[0]

    # Not a simulation: refused, in words about the archived report, naming the switch.
    refused = regie("report", "mark-done", archived, env=plain)
    assert refused.code == 2 and "Traceback" not in refused.err
    assert refused.err == (
        f"archief {archived} is as of {ahead}, after today ({now}): its action is recorded "
        f"gereed on that day, which has not come yet; the store holds a simulation up to "
        f"{ahead} (`regie cycle --simulate`): REGIE_SIMULATE=1 lets marking a report done "
        "follow its days\n"
    )
    # A simulation that has not reached the day: refused, saying what to run first.
    later = (ahead + timedelta(days=1)).isoformat()
    beyond = regie("report", "voortgang", *PERIOD, "--as-of", later, "--mark-done", "-f", "md",
                   "--out", out, env=simulated)  # fmt: skip
    assert beyond.code == 2
    assert beyond.err.endswith(
        f"--mark-done: the report is as of {later}, after today ({now}) and the simulation "
        f"has reached {ahead}; its action is recorded gereed on a day the simulation reached: "
        f"run `regie cycle --simulate --as-of {later}` first\n"
    ), beyond.err
    # Its days: recorded gereed on the simulated day, as the report is made …
    marked = regie("report", "voortgang", *PERIOD, "--as-of", ahead.isoformat(), "--mark-done",
                   "-f", "md", "--out", out, env=simulated)  # fmt: skip
    assert marked.code == 0, marked.err
    assert f"4.4: done recorded for {ahead}" in marked.out + marked.err
    # … and `report mark-done` of the report made before is accepted (4.4 is done by now).
    again = regie("report", "mark-done", archived, env=simulated)
    assert again.code == 0, again.err
    assert "nothing marked gereed" in again.out + again.err
