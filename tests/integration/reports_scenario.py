"""The fixture the report tests share: the seed plan with a set of owners' answers up to
2016-01-15 and one stuurgroep decision (12 January 2016) that moves 1.3.1 to Q2-2016.

Some answers carry HTML, Markdown, LaTeX and a spreadsheet formula: they must come out inert.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from regie.bootstrap import App, bootstrap
from regie.config import load_settings
from tests.conftest import SEED_PLAN
from tests.golden_seed import write_golden_seed

AS_OF = date(2016, 1, 15)
MEETING = date(2016, 4, 12)
DECISION_MEETING = date(2016, 1, 12)
HOSTILE_NOTE = "<script>alert(1)</script> **vet** $x^2$ \\textbf{x}"
FORMULA_NOTE = '=HYPERLINK("http://example.org";"klik")'

#: (item, status, reported on, forecast, completed on, comment)
ANSWERS: tuple[tuple[str, str, date, date | None, date | None, str | None], ...] = (
    ("1.1.1", "done", date(2015, 9, 28), None, date(2015, 9, 25), "Inventarisatie afgerond"),
    ("2.2.1", "done", date(2015, 6, 22), None, date(2015, 6, 19), None),
    ("2.3.1", "done", date(2015, 6, 29), None, None, None),
    ("2.3.2", "done", date(2015, 10, 15), None, date(2015, 10, 9), "Rapport Telos opgeleverd"),
    ("1.5.1", "done", date(2015, 12, 18), None, None, None),
    ("4.1.1", "done", date(2015, 11, 2), None, None, None),
    ("4.1.2", "done", date(2015, 11, 24), None, date(2015, 11, 20), "Eerste overleg gehouden"),
    ("1.2.1", "at_risk", date(2016, 1, 8), date(2016, 3, 31), None, HOSTILE_NOTE),
    ("3.1.1", "on_track", date(2016, 1, 11), date(2016, 2, 15), None, FORMULA_NOTE),
    (
        "3.3.2",
        "on_track",
        date(2016, 1, 13),
        date(2016, 3, 31),
        None,
        "[zie](http://x) # kop | pijp",
    ),
    ("1.4", "on_track", date(2016, 1, 14), None, None, "Wetsvoorstel ligt bij de Raad van State"),
)


def make_app(home: Path, database_url: str | None = None, *, golden: bool = False) -> App:
    """An app on a copy of the seed plan (decisions edit the plan file) in ``home``;
    ``golden``: the seed as the golden files of archived layouts were made with
    (:mod:`tests.golden_seed`)."""
    home.mkdir(parents=True, exist_ok=True)
    plan = home / "actions.yaml"
    if not plan.exists():
        if golden:
            write_golden_seed(plan)
        else:
            shutil.copyfile(SEED_PLAN, plan)
    env = {"REGIE_HOME": str(home), "REGIE_PLAN": str(plan)}
    if database_url:
        env["REGIE_DATABASE_URL"] = database_url
    return bootstrap(load_settings(env))


def migrated_app(home: Path, database_url: str, *, golden: bool = False) -> App:
    """:func:`make_app` on a database at the latest migration (an empty one becomes a copy of
    the worker's migrated template)."""
    from tests.integration.migrated_template import shared_templates

    shared_templates().fill_if_empty(database_url)
    return make_app(home, database_url, golden=golden)


def scenario_app(home: Path, database_url: str, *, golden: bool = False) -> App:
    """:func:`migrated_app` with the answers and decision of :func:`seed_scenario` recorded
    (once per worker and database kind, copied for each test: :func:`copy_recorded`; a home
    that has a plan file already gets them recorded on it). ``golden``: on the seed as the
    golden files were made with (:mod:`tests.golden_seed`)."""
    if (home / "actions.yaml").exists():
        app = migrated_app(home, database_url)
        seed_scenario(app)
        return app
    from tests.integration.migrated_template import copy_recorded

    if golden:
        copy_recorded("scenario-golden", home, database_url, _record_golden_scenario)
    else:
        copy_recorded("scenario", home, database_url, _record_scenario)
    return make_app(home, database_url)


def _record_scenario(home: Path, database_url: str) -> None:
    seed_scenario(migrated_app(home, database_url))


def _record_golden_scenario(home: Path, database_url: str) -> None:
    seed_scenario(migrated_app(home, database_url, golden=True))


def cli_env(app: App) -> dict[str, str]:
    """The environment a `regie` command needs to work on ``app``'s home, plan and database."""
    return {
        "REGIE_HOME": str(app.settings.home),
        "REGIE_PLAN": str(app.settings.plan_path),
        "REGIE_DATABASE_URL": app.settings.database_url,
    }


def seed_scenario(app: App) -> None:
    """The answers as if given on their day (recorded at noon UTC that day, so that none reads
    as back-dated, *nagekomen*), then the decision."""
    from dataclasses import replace
    from datetime import UTC, datetime, time

    from governance.answers import OFFICE, AnswerInput
    from regie.answers import check_answer, store_answers
    from regie.decisions import add_decision

    plan = app.load_plan()
    who = replace(OFFICE, name="fixture")
    for item, status, on, forecast, completed, comment in ANSWERS:
        update = check_answer(
            plan, AnswerInput(item, status, forecast, completed, comment), who, on
        )
        recorded_at = datetime.combine(on, time(12), UTC)
        store_answers(
            app, plan, [replace(update, source="cli", recorded_at=recorded_at)], sync=True
        )
    add_decision(
        app,
        "stuurgroep",
        DECISION_MEETING,
        "Verkenning klimaatambassadeur uitgesteld tot Q2-2016",
        set_gereed=("1.3.1", "Q2-2016"),
    )
