"""`regie cycle` syncs the plan as `regie sync` does, and says the same warnings: a due date
edited in the plan file without a decision (audit follow-up). SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from regie.bootstrap import App
from tests.cli_in_process import regie
from tests.integration.reports_scenario import AS_OF, scenario_app

#: What `regie sync` says (tests/integration/test_report_provenance.py).
WARNING = (
    "warning: {plan}: 1.2.1 gereed was 'Najaar 2015' (due 2015-11-30), now 'Q2-2016' "
    "(due 2016-06-30): no decision recorded (a promise moves through `regie decision add "
    "--set-gereed`)"
)


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:
    return scenario_app(tmp_path / "home", database_url)


def _env(app: App) -> dict[str, str]:
    return {
        "REGIE_HOME": str(app.settings.home),
        "REGIE_PLAN": str(app.settings.plan_path),
        "REGIE_DATABASE_URL": app.settings.database_url,
    }


def _warnings(out: str) -> list[str]:
    return [line.strip() for line in out.splitlines() if "no decision recorded" in line]


def test_the_cycle_warns_of_a_due_date_moved_without_a_decision(app: App) -> None:
    env = _env(app)
    assert regie("sync", env=env).code == 0
    plan_file = Path(app.settings.plan_path)
    text = plan_file.read_text(encoding="utf-8")
    anchor = 'title: Verkennen draagvlak\n            gereed: "Najaar 2015"'
    assert anchor in text
    plan_file.write_text(
        text.replace(anchor, 'title: Verkennen draagvlak\n            gereed: "Q2-2016"'),
        encoding="utf-8",
    )
    day = AS_OF.isoformat()
    warning = WARNING.format(plan=plan_file)
    dry = regie("cycle", "--as-of", day, "--dry-run", env=env)
    assert dry.code == 0, dry.err
    assert _warnings(dry.out) == [warning]  # a dry run keeps nothing: the real run says it too
    ran = regie("cycle", "--as-of", day, env=env)
    assert ran.code == 0, ran.err
    assert _warnings(ran.out) == [warning]
    # Synced now: the next run has nothing to say.
    again = regie("cycle", "--as-of", day, env=env)
    assert again.code == 0, again.err
    assert _warnings(again.out) == []
