"""The progress report does not lose an item deleted from the plan file (review "newprog",
finding 3): an item removed in the period (and not back) is listed under *vertraagd of
gewijzigd* with its title and the gereed it had, *zonder besluit* when no decision stands behind
it (a milestone removed with its action named with the action); an owner change recorded in
the period is listed too. SQLite and PostgreSQL.

The plan is synced at chosen moments (``sync_plan(now=…)``): the first sync, then the edit on
19 December 2016 that deletes milestone 3.5.2 and action 3.6 (with 3.6.1 and 3.6.2) and gives
3.1.2 to IenM instead of PIANOo."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from regie.bootstrap import App
from regie.reports import voortgang
from tests.integration.migrated_template import shared_templates
from tests.integration.reports_scenario import make_app

CONTENT_ONLY = pytest.mark.one_database(
    "the report's content, from SQL this file's other PostgreSQL tests run"
)

FIRST_SYNC = datetime(2015, 9, 30, 8, tzinfo=UTC)
EDITED = datetime(2016, 12, 19, 10, tzinfo=UTC)

MILESTONE_352 = """          - id: "3.5.2"
            title: Bijeenkomst
            gereed: "Q4 -2015"
"""
OWNER_312 = 'gereed: "Q4-2015"\n            owners: [PIANOo]\n            depends_on: ["3.1.1"]\n'


def _sync(app: App, now: datetime) -> None:
    from store import sync_plan

    plan = app.load_plan()
    with app.session() as session, session.begin():
        sync_plan(session, plan, now=now, plan_path=str(plan.path))


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:

    shared_templates().fill_if_empty(database_url)  # empty: a copy of the migrated template
    app = make_app(tmp_path / "home", database_url)
    _sync(app, FIRST_SYNC)
    path = Path(app.settings.plan_path)
    text = path.read_text(encoding="utf-8")
    assert text.count(MILESTONE_352) == 1 and text.count(OWNER_312) == 1
    text = text.replace(MILESTONE_352, "").replace(OWNER_312, OWNER_312.replace("PIANOo", "IenM"))
    start, end = text.index('      - id: "3.6"\n'), text.index('      - id: "3.7"\n')
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    _sync(app, EDITED)
    return app


def _report(app: App, start: date, end: date, as_of: date) -> str:
    return voortgang(app, start, end, as_of, "md", archive=False).content.decode()


@CONTENT_ONLY
def test_the_progress_report_lists_removed_items_and_owner_changes(app: App) -> None:
    text = _report(app, date(2016, 1, 1), date(2016, 12, 31), date(2017, 1, 3))
    changes = text.split("## 3. Indicatoren")[0]  # the steps' sections, not the annex
    rows = {x.split(" | ")[0]: x for x in changes.splitlines() if x.startswith("| 3.")}
    assert rows["| 3.5.2"] == (
        "| 3.5.2 | Bijeenkomst | Q4 -2015 | uit het plan verwijderd | uit het plan verwijderd "
        "zonder besluit (vastgelegd op 19 december 2016) |"
    )
    action = "uit het plan verwijderd zonder besluit, met 3.6.1, 3.6.2 (vastgelegd op"
    assert action in rows["| 3.6"]
    assert "| 3.6.1 |" not in changes
    assert "eigenaar gewijzigd: PIANOo → IenM (vastgelegd op 19 december 2016)" in rows["| 3.1.2"]


def test_a_report_of_a_period_before_the_removal_does_not_list_it(app: App) -> None:
    text = _report(app, date(2016, 1, 1), date(2016, 6, 30), date(2016, 7, 1))
    assert "uit het plan verwijderd" not in text and "eigenaar gewijzigd" not in text


@CONTENT_ONLY
def test_an_owner_change_reads_by_the_names_the_tables_use(app: App) -> None:
    """review8 4: from layout 8 the report's owner change names the owners as its tables do
    (the plan's short name, else name); layout 7 kept the ids."""
    from regie.reports import _progress_report, render_progress

    path = Path(app.settings.plan_path)
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("    short_name: PIANOo\n", "    short_name: Expertisecentrum\n"),
        encoding="utf-8",
    )
    period = date(2016, 1, 1), date(2016, 12, 31), date(2017, 1, 3)
    new = _report(app, *period)
    assert "eigenaar gewijzigd: Expertisecentrum → IenM (vastgelegd op 19 december 2016)" in new
    old, _ = _progress_report(app, *period, layout=7)
    assert "eigenaar gewijzigd: PIANOo → IenM" in render_progress(old, "md").decode()


def test_a_removal_by_a_decision_reads_in_one_pair_of_brackets(app: App) -> None:
    """ratify48: from layout 14 a removal a decision stands behind says the decision and the
    day it was recorded in one pair of brackets; layout 13 is made again with two."""
    from regie.decisions import add_decision
    from regie.reports import _progress_report, render_progress

    add_decision(app, "stuurgroep", date(2017, 1, 10), "Verwijdering geaccordeerd",
                 item_id="3.5.2")  # fmt: skip
    period = date(2016, 1, 1), date(2016, 12, 31), date(2017, 1, 10)
    rows = {
        x.split(" | ")[0]: x for x in _report(app, *period).splitlines() if x.startswith("| 3.")
    }
    assert rows["| 3.5.2"].endswith(
        "| uit het plan verwijderd (besluit Stuurgroep Plan van aanpak MVI, 10 januari 2017; "
        "vastgelegd op 19 december 2016) |"
    )
    assert "zonder besluit, met 3.6.1, 3.6.2 (vastgelegd op 19 december 2016)" in rows["| 3.6"]
    old, _ = _progress_report(app, *period, layout=13)
    assert (
        "| uit het plan verwijderd (besluit Stuurgroep Plan van aanpak MVI, 10 januari 2017) "
        "(vastgelegd op 19 december 2016) |"
    ) in render_progress(old, "md").decode()
