"""The progress report of a second programme (Flemish, ``office_name`` Programmasecretariaat):
its heading is the reporting obligation's title, and a note the office wrote (a correction) is
the office's, not *toelichting eigenaar* (walk28 findings 21 and 4). Layouts 4–5 keep both."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from regie.bootstrap import App
from tests.integration.migrated_template import shared_templates

PLAN = Path(__file__).resolve().parent.parent / "fixtures" / "plans" / "circulair_bouwen_be.yaml"
START, END = date(2025, 1, 1), date(2025, 12, 31)
REPORTS = """
reports:
  - id: jaarverslag
    title: Jaarverslag Circulair Bouwen
    recipient: Vlaams Parlement
"""
MORE = """      - id: "1.2"
        title: Eerste vulling
        owners: [OVAM]
        gereed: Q2-2025
"""


def _answer(app: App, who: str | None, item: str, status: str, on: date, **given: object) -> None:
    from governance.answers import OFFICE, Answerer, AnswerInput
    from regie.answers import check_answer, store_answers

    plan = app.load_plan()
    answerer = OFFICE if who is None else Answerer(who, who)
    answer = AnswerInput(item, status, given.get("forecast"), None, given.get("note"))  # type: ignore[arg-type]
    update = check_answer(plan, answer, answerer, on)
    at = datetime.combine(on, time(12), UTC)
    store_answers(app, plan, [replace(update, source="cli", recorded_at=at)], sync=False)


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:
    """1.1 (Q3-2025): the owner's note, then the office's correction with a later date; 1.2
    (Q2-2025): the owner reports a slip with a note."""
    from regie.bootstrap import bootstrap
    from regie.config import load_settings
    from store import sync_plan

    shared_templates().fill_if_empty(database_url)  # empty: a copy of the migrated template
    home = tmp_path / "home"
    home.mkdir()
    text = PLAN.read_text(encoding="utf-8").replace("\nsteps:\n", REPORTS + "\nsteps:\n")
    (home / "plan.yaml").write_text(text + MORE, encoding="utf-8")
    env = {"REGIE_HOME": str(home), "REGIE_PLAN": str(home / "plan.yaml")}
    app = bootstrap(load_settings(env | {"REGIE_DATABASE_URL": database_url}))
    plan = app.load_plan()
    with app.session() as session, session.begin():
        synced = datetime(2024, 12, 20, 9, tzinfo=UTC)
        sync_plan(session, plan, now=synced, plan_path=str(plan.path))
    _answer(app, "ovam", "1.1", "at_risk", date(2025, 5, 5), note="Leverancier vertraagd",
            forecast=date(2025, 11, 28))  # fmt: skip
    _answer(app, None, "1.1", "on_track", date(2025, 5, 6), forecast=date(2026, 3, 31),
            note="Correctie: de datum is 31 maart 2026")  # fmt: skip
    _answer(app, "ovam", "1.2", "at_risk", date(2025, 6, 2), forecast=date(2025, 12, 15),
            note="Eerste partij te laat")  # fmt: skip
    return app


def test_the_heading_is_the_obligations_title_and_the_office_note_is_the_offices(
    app: App,
) -> None:
    from regie.reports import _progress_report, render_progress

    report, _ = _progress_report(
        app, START, END, END, recipient="Vlaams Parlement", report_id="jaarverslag"
    )
    assert report.title == "Jaarverslag Circulair Bouwen"
    md = render_progress(report, "md").decode()
    assert md.startswith("# Jaarverslag Circulair Bouwen\n\nActieplan Circulair Bouwen")
    assert "Aan: Vlaams Parlement" in md
    row = next(line for line in md.splitlines() if line.startswith("| 1.1 |"))
    assert "toelichting van het programmasecretariaat: Correctie: de datum is 31 maart 2026" in row
    assert "toelichting eigenaar" not in row
    owner = next(line for line in md.splitlines() if line.startswith("| 1.2 |"))
    assert "toelichting eigenaar: Eerste partij te laat" in owner
    html = render_progress(report, "html").decode()
    assert "<h1>Jaarverslag Circulair Bouwen</h1>" in html
    assert "<title>Concept: Jaarverslag Circulair Bouwen, 1 januari 2025" in html


@pytest.mark.parametrize("layout", [4, 5])
def test_a_report_of_an_earlier_layout_keeps_its_heading_and_words(app: App, layout: int) -> None:
    from regie.reports import _archive, _progress_report, render_progress, reproduce

    plan = app.load_plan()
    report, _ = _progress_report(app, START, END, END, layout=layout)
    old = render_progress(report, "md")
    text = old.decode()
    assert text.startswith("# Voortgangsrapportage Actieplan Circulair Bouwen")
    assert "toelichting eigenaar: Correctie: de datum is 31 maart 2026" in text
    parameters = {"from": START.isoformat(), "to": END.isoformat(), "as_of": END.isoformat(),
                  "layout": layout}  # fmt: skip
    archived = _archive(app, plan, "voortgang", "md", "Voortgang", END, parameters, old, True)
    again = reproduce(app, archived.archive_id)
    assert again.matches and again.content == old


def test_the_store_recalls_an_update_s_note_and_author(app: App) -> None:
    """What an incremental run's messages read of a latest answer the memory keeps without its
    note and author (regie.messages: "Uw" only to the author)."""
    import sqlalchemy as sa

    from store.assessment_query import notes_by_id

    with app.session() as session:
        ids = session.execute(sa.text("SELECT id FROM status_updates")).scalars().all()
        recalled = set(notes_by_id(session, ids).values())
    assert ("Correctie: de datum is 31 maart 2026", "programmabureau") in recalled
    assert ("Leverancier vertraagd", "ovam") in recalled
