"""Progress layout 21 and agenda layout 22 (walk57a 4, 5, 7, 8; walk57b 5).

- *Reden* quotes the note the owner gave with the slip (*risico* or a forecast), not the
  completion note that came later; a late item without one quotes no owner's note.
- An owner's note starting with ``=``, ``+``, ``-`` or ``@`` is printed as written in the
  report and the pack: a document is no spreadsheet (the CSV exports keep their guard).
- Chapter 3 names each indicator's goal with the plan's category and says what *geen meting
  vastgelegd* means; *vóór of na de periode*, one level of brackets, *Datums*.

Reports and packs of the layouts before are made again as they were.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from governance.progress import ProgressReport
from regie.bootstrap import App
from tests.integration.reports_scenario import AS_OF, FORMULA_NOTE, MEETING, scenario_app

CONTENT_ONLY = pytest.mark.one_database("the report's words, from SQL run on both elsewhere")

START, END = date(2015, 7, 1), date(2015, 12, 31)
SLIP = "Analyse loopt uit door late aanlevering van de Green Deals."
DONE = "Analyse opgeleverd."
LATE_DONE = "Bijeenkomst gehouden."
DASH = "- wacht op de aanbesteding"
#: Over the excerpt's length: the table cuts it, the report's end gives it whole.
LONG = ("De Europese partners beslissen later over de deelname aan het traject. " * 6)[:380]
LONG += " Slotzin van de reden."

#: (item, status, reported on, forecast, completed on, note): 3.5.1 (Q3-2015) at risk with a
#: reason, then done late with a completion note; 3.5.2 (Q4 -2015) done after the period with a
#: completion note only; 3.4.1 (Q4-2015) answered with a note that starts with a dash.
EXTRA = (
    ("3.5.1", "at_risk", date(2015, 9, 15), date(2015, 10, 20), None, SLIP),
    ("3.5.1", "done", date(2015, 10, 16), None, date(2015, 10, 15), DONE),
    ("3.5.2", "done", date(2016, 1, 5), None, date(2016, 1, 4), LATE_DONE),
    ("3.4.1", "on_track", date(2016, 1, 12), date(2016, 2, 29), None, DASH),
    ("3.8.1", "at_risk", date(2015, 12, 1), date(2016, 1, 31), None, LONG),
    ("3.8.1", "done", date(2016, 1, 11), None, date(2016, 1, 8), "Gestart."),
)


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:
    from governance.answers import OFFICE, AnswerInput
    from regie.answers import check_answer, store_answers

    app = scenario_app(tmp_path / "home", database_url)
    plan = app.load_plan()
    for item, status, on, forecast, completed, note in EXTRA:
        answer = AnswerInput(item, status, forecast, completed, note)
        update = check_answer(plan, answer, replace(OFFICE, name="fixture"), on)
        at = datetime.combine(on, time(12), UTC)
        store_answers(app, plan, [replace(update, source="cli", recorded_at=at)], sync=True)
    return app


def _report(app: App, layout: int) -> ProgressReport:
    from regie.reports import _progress_report

    report, _ = _progress_report(app, START, END, AS_OF, layout=layout)
    return report


def _reden(report: ProgressReport, item: str) -> str:
    from reports.render import change_text

    [change] = [c for s in report.steps for c in s.changed if c.item.item_id == item]
    return "; ".join(change_text(r, "reason") for r in change.reasons)


def test_the_reason_is_the_note_given_with_the_slip(app: App) -> None:
    new, old = _report(app, 21), _report(app, 20)
    assert (
        _reden(new, "3.5.1")
        == f"gereed na de deadline van 30 september 2015; toelichting eigenaar: {SLIP}"
    )
    assert (
        _reden(old, "3.5.1")
        == f"gereed na de deadline van 30 september 2015; toelichting eigenaar: {DONE}"
    )
    # Done after the period, no note on a slip: no owner's note is its reason (layout 20 quoted
    # the completion note).
    assert LATE_DONE not in _reden(new, "3.5.2") and LATE_DONE in _reden(old, "3.5.2")
    # An open item's latest note is still quoted (1.2.1: at risk, with a forecast).
    assert "toelichting eigenaar: <script>" in _reden(new, "1.2.1")


@CONTENT_ONLY
def test_a_note_is_printed_as_written_in_the_report_and_the_pack(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    from regie import report_build
    from regie.reports import agenda, render_progress

    new = render_progress(_report(app, 21), "md").decode()
    old = render_progress(_report(app, 20), "md").decode()
    # Markdown escapes the brackets and the quote marks' neighbours, not the leading character.
    assert "'=HYPERLINK" not in new and "=HYPERLINK" in new
    assert "'=HYPERLINK" in old
    assert f"| {DASH} (12-01-2016) |" in new and f"| '{DASH} (12-01-2016) |" in old
    for layout, quoted in ((22, False), (21, True)):
        with monkeypatch.context() as then:
            then.setattr(report_build, "AGENDA_LAYOUT", layout)
            pack = agenda(app, "stuurgroep", MEETING, AS_OF, "md", archive=False)
        text = pack.content.decode()
        assert (f"'{DASH}" in text) is quoted, layout
        assert f"{DASH} (12-01-2016)" in text
        assert ("'=HYPERLINK" in text) is quoted, layout
    assert FORMULA_NOTE.startswith("=")


@CONTENT_ONLY
def test_chapter_3_names_the_goal_s_category_and_the_words_of_walk57a(app: App) -> None:
    from regie.reports import render_progress

    for fmt in ("md", "html"):
        new = render_progress(_report(app, 21), fmt).decode()
        old = render_progress(_report(app, 20), fmt).decode()
        assert (
            "Beleidsdoel waaraan MVI een bijdrage levert: Tegengaan van klimaatverandering" in new
        )
        assert "Beleidsdoel waaraan" not in old
        assert "geen meting vastgelegd" in new and "geen meting vastgelegd" not in old
        assert "zegt niet dat het programma de waarde zelf meet" in new
        assert "Datums zijn opgenomen zoals ze in het plan staan" in new
        assert "Data zijn opgenomen zoals ze in het plan staan" in old
        assert "Geen punten vóór of na de periode afgerond of vervallen." in new
        assert "Geen punten buiten de periode afgerond of vervallen." in old
        assert "vóór of na de periode" not in old
        # 4.3's promise is itself a text with brackets: no bracket inside a bracket.
        assert "; plan: idem (Afhankelijk van overleg bestuurlijke afspraken)" in new, fmt
        assert "(plan: idem (" not in new and "(plan: idem (" in old


@CONTENT_ONLY
def test_a_long_reason_is_cut_in_the_table_and_given_whole_at_the_end(app: App) -> None:
    """3.8.1's reason is its long note on the slip, not its latest (short) note: the table
    cuts it and the report's end gives it in full, with the day it was given."""
    from governance.agenda_model import note_excerpt
    from regie.reports import render_progress

    cut = note_excerpt(LONG)
    assert cut is not None
    md = render_progress(_report(app, 21), "md").decode()
    assert f"toelichting eigenaar: {cut} … (volledige tekst onder" in md
    assert md.count("Slotzin van de reden.") == 1
    end = md[md.index("## Toelichtingen in volledige tekst") :]
    assert "### 3.8.1 Start participatie in EU traject" in end and "1 december 2015" in end
    html = render_progress(_report(app, 21), "html").decode()
    assert html.count('id="toelichting-3.8.1"') == 1 and html.count("Slotzin van de reden.") == 1
    old = render_progress(_report(app, 20), "md").decode()
    assert "Slotzin van de reden." not in old and "toelichting eigenaar: Gestart." in old
