"""The progress report from the store (SQLite and PostgreSQL), review "stuurgroep" findings 4
and 12: a stuurgroep decision taken after an owner's forecast is the *Nu* date, a decided date
that passed again says so, and the report is a concept until a decision about the reporting
obligation's action approves it; both states reproduce byte for byte from the archive."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from regie.bootstrap import App
from regie.reports import progress_report, render_progress, reproduce, voortgang
from tests.integration.migrated_template import shared_templates
from tests.integration.reports_scenario import make_app, seed_scenario

CONTENT_ONLY = pytest.mark.one_database(
    "the report's words, from SQL this file's other PostgreSQL tests run"
)

START, END = date(2015, 7, 1), date(2016, 6, 30)


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:
    from regie.decisions import add_decision

    shared_templates().fill_if_empty(database_url)  # empty: a copy of the migrated template
    app = make_app(tmp_path / "home", database_url)
    seed_scenario(app)  # 1.2.1: at risk, forecast 31 March 2016 (given 8 January 2016)
    add_decision(app, "stuurgroep", date(2016, 4, 12), "Afsprakenkader: nieuwe datum Q3-2016",
                 set_gereed=("1.2.1", "Q3-2016"))  # fmt: skip
    return app


def _now(md: str, item_id: str) -> str:
    row = next(line for line in md.splitlines() if line.startswith(f"| {item_id} |"))
    return row.split(" | ")[3]


@CONTENT_ONLY
def test_the_later_decision_is_now_and_a_lapsed_one_says_so(app: App) -> None:
    report = progress_report(app, START, END, date(2016, 6, 30))
    change = next(c for s in report.steps for c in s.changed if c.item.item_id == "1.2.1")
    assert change.now == "Q3-2016" and not change.lapsed  # not the forecast of 31 March
    assert _now(render_progress(report, "md").decode(), "1.2.1") == "Q3-2016"
    later = progress_report(app, date(2016, 7, 1), date(2016, 12, 31), date(2017, 1, 15))
    md = render_progress(later, "md").decode()
    assert _now(md, "1.2.1") == "Q3-2016 (verstreken; nu te laat)"


def test_a_concept_until_approved_and_both_reproduce(app: App) -> None:
    from regie.decisions import add_decision

    as_of = date(2016, 7, 15)
    concept = voortgang(app, START, END, as_of, "md")
    assert b"**Concept**: nog niet vastgesteld." in concept.content
    add_decision(app, "stuurgroep", date(2016, 7, 12), "Voortgangsrapportage vastgesteld",
                 approves_report="voortgangsrapportage")  # fmt: skip
    final = voortgang(app, START, END, as_of, "md")
    assert b"Concept" not in final.content
    assert b"Vastgesteld: besluit Stuurgroep Plan van aanpak MVI, 12 juli 2016." in final.content
    html = voortgang(app, START, END, as_of, "html")
    # The heading is the reporting obligation's title (layout 5), its period after a comma (22).
    assert (
        "<title>Tweejaarlijkse voortgangsrapportage aan de Kamer, in combinatie met de uitkomsten "
        "van de tweejaarlijks uit te voeren benchmark, 1 juli 2015 tot en met 30 juni 2016"
    ) in html.content.decode()
    for made in (concept, final, html):  # the concept stays one: the approval came after it
        assert made.archive_id is not None
        again = reproduce(app, made.archive_id)
        assert again.matches, made.archive_id
