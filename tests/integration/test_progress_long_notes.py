"""Progress layout 9's words in its tables, as agenda layout 10's: an owner's note over the
excerpt's length is cut (in *Reden* and in the annex) and given once in full at the report's end
(walk32c 6); a slipped item whose latest answer is *Risico* reads *verschoven, met risico*
(walk32a 11). A report archived with layout 8 printed the note whole and said *verschoven*, and
is made again so."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from governance.agenda_model import NOTE_EXCERPT, note_excerpt
from governance.progress import LAYOUT, ProgressReport
from regie.bootstrap import App
from tests.cli_in_process import regie
from tests.integration.reports_scenario import AS_OF, cli_env, scenario_app

CONTENT_ONLY = pytest.mark.one_database(
    "the report's words, from SQL this file's other PostgreSQL tests run"
)

START, END = date(2015, 7, 1), date(2015, 12, 31)
#: 400 characters; its last words ("Slotzin van de toelichting.") are past any excerpt.
LONG = ("Draagvlak bij de provincies is kleiner dan gedacht. " * 8)[:373]
LONG += "Slotzin van de toelichting."
ITEM = "1.2.1"  # Najaar 2015, answered Risico with 31 March 2016: slipped, and changed
FULL = "volledige tekst onder *Toelichtingen in volledige tekst*"
GOLDEN = Path(__file__).resolve().parent.parent / "golden"
LAYOUT8 = "voortgang_2015-07-01_2015-12-31_asof_2016-01-15.long_note.layout8"


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:
    return long_note_app(tmp_path / "home", database_url)


def long_note_app(home: Path, database_url: str) -> App:
    """The report scenario with the owner of 1.2.1 answering Risico again with a long note."""
    from governance.answers import OFFICE, AnswerInput
    from regie.answers import check_answer, store_answers

    app = scenario_app(home, database_url, golden=True)  # tests.golden_seed
    plan = app.load_plan()
    on = date(2016, 1, 14)
    answer = AnswerInput(ITEM, "at_risk", date(2016, 3, 31), None, LONG)
    update = check_answer(plan, answer, replace(OFFICE, name="fixture"), on)
    recorded_at = datetime.combine(on, time(12), UTC)
    store_answers(app, plan, [replace(update, source="cli", recorded_at=recorded_at)], sync=True)
    return app


def _report(app: App, layout: int = LAYOUT) -> ProgressReport:
    from regie.reports import _progress_report

    report, _ = _progress_report(app, START, END, AS_OF, layout=layout)
    return report


@CONTENT_ONLY
def test_the_note_is_long_and_the_item_slipped_at_risk(app: App) -> None:
    assert len(LONG) == 400 and note_excerpt(LONG) is not None
    assert not LONG[:NOTE_EXCERPT].endswith("Slotzin van de toelichting.")
    report = _report(app)
    [line] = [x for x in report.annex if x.item_id == ITEM]
    assert (line.note, line.state, line.at_risk) == (LONG, "slipped", True)
    assert any(c.item.item_id == ITEM for s in report.steps for c in s.changed)


@CONTENT_ONLY
def test_layout_9_cuts_a_long_note_and_gives_it_once_in_full(app: App) -> None:
    from regie.reports import render_progress, render_progress_annex

    report = _report(app)
    cut = note_excerpt(LONG)
    assert cut is not None
    html = render_progress(report, "html").decode()
    assert html.count(LONG) == 1  # only at the end: not in Reden nor in the annex
    assert html.count(f"{cut} … <small>") == 2  # Reden and the annex, each with its link
    assert html.count(f'href="#toelichting-{ITEM}"') == 2
    assert html.count(f'<h3 id="toelichting-{ITEM}">') == 1
    assert html.index("Toelichtingen in volledige tekst") > html.index("Alle punten")
    md = render_progress(report, "md").decode()
    assert md.count("Slotzin van de toelichting.") == 1
    assert md.count(FULL) == 2 and md.count("## Toelichtingen in volledige tekst") == 1
    assert f"toelichting eigenaar: {cut} … ({FULL})" in md
    assert md.rstrip().endswith("Slotzin van de toelichting.")  # the last section
    # The PDF's annex is a file of its own and keeps the note whole.
    annex = render_progress_annex(report).decode()
    assert annex.count(LONG) == 1 and "volledige tekst" not in annex


@CONTENT_ONLY
def test_layout_9_says_a_slipped_item_at_risk_is_at_risk(app: App) -> None:
    from regie.reports import render_progress, render_progress_annex

    report = _report(app)
    for fmt in ("html", "md"):
        text = render_progress(report, fmt).decode()
        assert text.count("verschoven, met risico") == 1, fmt  # the annex's row of 1.2.1
    assert render_progress_annex(report).decode().count("verschoven, met risico") == 1
    # Only the slipped item answered Risico: another slipped one still reads "verschoven".
    other = replace(report, annex=tuple(replace(x, at_risk=False) for x in report.annex))
    assert "met risico" not in render_progress(other, "md").decode()


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_layout_8_report_with_a_long_note_is_made_again_as_it_was(app: App, fmt: str) -> None:
    """Archived with layout 8 (golden files written by layout 8's code, before layout 9): the
    note whole in both tables, *verschoven*, no closing section; reproduce rebuilds it byte for
    byte (the CLI says it matches); layout 9 differs."""
    from regie.reports import _archive, render_progress, render_progress_annex, reproduce

    report = _report(app, layout=8)
    old = render_progress(report, fmt)
    assert old == (GOLDEN / f"{LAYOUT8}.{fmt}").read_bytes()
    assert render_progress_annex(report) == (GOLDEN / f"{LAYOUT8}.bijlage.html").read_bytes()
    text = old.decode()
    assert text.count("Slotzin van de toelichting.") == 2
    assert "Toelichtingen in volledige tekst" not in text and "met risico" not in text
    parameters = {"from": START.isoformat(), "to": END.isoformat(), "as_of": AS_OF.isoformat(),
                  "layout": 8}  # fmt: skip
    plan = app.load_plan()
    archived = _archive(app, plan, "voortgang", fmt, "Voortgang", AS_OF, parameters, old, True)
    again = reproduce(app, archived.archive_id)
    assert again.matches and again.content == old
    shown = regie("report", "reproduce", str(archived.archive_id), env=cli_env(app))
    assert shown.code == 0 and "matches the archived" in shown.out, shown.out + shown.err
    assert render_progress(_report(app), fmt) != old
