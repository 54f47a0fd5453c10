"""The progress report to the Kamer, indicators, and a second unrelated plan through the reports."""

from __future__ import annotations

import io
import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from regie.bootstrap import App
from regie.reports import agenda, meetings, progress_report, record_measurement, voortgang
from tests.cli_in_process import regie
from tests.integration.reports_scenario import AS_OF, make_app, scenario_app

CONTENT_ONLY = pytest.mark.one_database(
    "the report's content, from SQL this file's other PostgreSQL tests run"
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "plans"


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:
    return scenario_app(tmp_path / "home", database_url)


@CONTENT_ONLY
def test_progress_content(app: App) -> None:
    record_measurement(app, "hernieuwbaar-2020", 5.8, date(2015, 12, 31), "CBS (fictief)")
    report = progress_report(app, date(2015, 7, 1), AS_OF, AS_OF)
    step1 = report.steps[0]
    assert [(d.item.item_id, d.on) for d in step1.done] == [
        ("1.1.1", date(2015, 9, 25)), ("1.5.1", date(2015, 12, 18))
    ]  # fmt: skip
    changed = {c.item.item_id: c for c in step1.changed}
    assert changed["1.3.1"].promised == "Najaar 2015" and changed["1.3.1"].now == "Q2-2016"
    assert _words(changed["1.3.1"].reasons) == (
        "besluit Stuurgroep Plan van aanpak MVI, 12 januari 2016: "
        "Verkenning klimaatambassadeur uitgesteld tot Q2-2016",
    )
    assert changed["1.2.1"].now == date(2016, 3, 31)
    assert _words(changed["1.2.1"].reasons)[0].startswith("toelichting eigenaar: <script>")
    indicators = {i.indicator.id: i for i in report.indicators}
    assert indicators["hernieuwbaar-2020"].latest is not None
    assert indicators["hernieuwbaar-2020"].latest.value == 5.8
    assert indicators["co2-eu-1990"].measurements == ()  # listed, never invented
    # A measurement after the as-of date is not in a report as of earlier.
    record_measurement(app, "co2-eu-1990", 12.0, date(2016, 6, 30), "later")
    again = progress_report(app, date(2015, 7, 1), AS_OF, AS_OF)
    assert {i.indicator.id: i for i in again.indicators}["co2-eu-1990"].measurements == ()


def test_progress_formats(app: App) -> None:
    from docx import Document
    from pypdf import PdfReader

    record_measurement(app, "hernieuwbaar-2020", 5.8, date(2015, 12, 31), "CBS (fictief)")
    md = voortgang(app, date(2015, 7, 1), AS_OF, AS_OF, "md").content.decode()
    assert md == voortgang(app, date(2015, 7, 1), AS_OF, AS_OF, "md").content.decode()
    assert "Periode 1 juli 2015 tot en met 15 januari 2016" in md
    assert "gereed op 25 september 2015, beloofd Q3-2015" in md
    assert "| 1.3.1 | Klimaatambassadeur | Najaar 2015 | Q2-2016 |" in md
    assert "5,8 % op 31 december 2015" in md and "geen meting" in md
    # An ongoing item without a date reads as its state and the plan's words, not "gereed
    # Periodiek" (walk29 13); a dated one keeps "gereed Q3-2016, …".
    assert "3.5 Lessen Green Deals delen (PIANOo): doorlopend (plan: Periodiek)" in md
    assert "wacht op 1.2.1 (plan: Afhankelijk van overleg bestuurlijke afspraken)" in md
    assert "gereed Periodiek" not in md and "gereed Afhankelijk" not in md
    html = voortgang(app, date(2015, 7, 1), AS_OF, AS_OF, "html").content.decode()
    assert "data:image/svg+xml;base64," in html  # the indicator chart
    assert "doorlopend (plan: Periodiek)" in html and "gereed Periodiek" not in html
    pdf = voortgang(app, date(2015, 7, 1), AS_OF, AS_OF, "pdf").content
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    for heading in ("1. Inleiding", "2. Voortgang per stap", "3. Indicatoren", "4. Samenvatting"):
        assert heading in text
    assert "Vertraagd of gewijzigd" in text and "5,8 % op 31 december 2015" in text
    # The PDF's annex is its own HTML file with every item, named in the PDF.
    made = voortgang(app, date(2015, 7, 1), AS_OF, AS_OF, "pdf")
    (annex,) = made.attachments
    assert annex.name == "voortgang-2015-07-01-2016-01-15-bijlage.html"
    assert annex.name in "".join(text.split())
    assert annex.content.decode().count('<tr><td class="date">') == 48
    doc = Document(io.BytesIO(voortgang(app, date(2015, 7, 1), AS_OF, AS_OF, "docx").content))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "3. Indicatoren" in headings and "Gerealiseerd" in headings
    bullets = [p.text for p in doc.paragraphs if p.style.name == "List Bullet"]
    assert any(
        b.startswith("1.1.1 Inventarisatie (IenM): gereed op 25 september 2015") for b in bullets
    )


def test_indicator_cli(tmp_path: Path, regie_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = tmp_path / "actions.yaml"
    shutil.copyfile(FIXTURES.parent.parent.parent / "plan" / "actions.yaml", plan)
    monkeypatch.setenv("REGIE_PLAN", str(plan))
    ok = regie("indicator", "record", "hernieuwbaar-2020", "5,8", "--on", "2015-12-31",
               "--source", "CBS")  # fmt: skip
    assert ok.code == 0, ok.err
    rows = json.loads(regie("indicator", "list", "-f", "json").out)
    row = next(r for r in rows if r["id"] == "hernieuwbaar-2020")
    assert row["latest"] == {"value": 5.8, "on": "2015-12-31", "source": "CBS"}
    assert row["target"] == 14 and row["source"].startswith("H1 Kader 1")
    bad = regie("indicator", "record", "hernieuwbaar", "x", "--on", "2015-12-31",
                "--source", "CBS")  # fmt: skip
    assert bad.code == 2 and "is not a number" in bad.err
    unknown = regie("indicator", "record", "nope", "1", "--on", "2015-12-31", "--source", "x")
    assert unknown.code == 2 and "unknown indicator 'nope'" in unknown.err


def test_second_unrelated_plan(tmp_path: Path) -> None:
    from docx import Document

    from regie.decisions import add_decision

    home = tmp_path / "home"
    home.mkdir()
    shutil.copyfile(FIXTURES / "second_programme.yaml", home / "actions.yaml")
    app = make_app(home)
    found = [m.on.isoformat() for m in meetings(app, "programmaraad")]
    assert found == ["2024-03-04", "2024-05-15", "2024-07-15", "2024-09-16", "2024-11-15"]
    add_decision(app, "programmaraad", date(2024, 5, 15), "Nulmeting later",
                 set_gereed=("1.1.2", "Q3 2024"))  # fmt: skip
    md = agenda(app, "programmaraad", date(2024, 7, 15), date(2024, 7, 1), "md").content.decode()
    assert "# Agenda Programmaraad Digitale Toegankelijkheid" in md
    decided = "besluit Programmaraad Digitale Toegankelijkheid, 15 mei 2024"
    assert f"oorspronkelijk Q2 2024, bijgesteld Q3 2024 ({decided})" in md
    assert "Datum vaststellen voor 2.2?" in md
    assert "MVI" not in md and "stuurgroep" not in md.lower()
    docx = agenda(app, "programmaraad", date(2024, 7, 15), date(2024, 7, 1), "docx").content
    assert Document(io.BytesIO(docx)).tables
    record_measurement(app, "wcag-aa", 41.5, date(2024, 6, 30), "Steekproef")
    progress = voortgang(app, date(2024, 1, 1), date(2024, 6, 30), date(2024, 7, 1), "md")
    text = progress.content.decode()
    assert "Voortgangsrapportage Programma Digitale Toegankelijkheid" in text
    assert "41,5 % op 30 juni 2024" in text
    # The introduction's example of a date kept as written is this plan's, not the MVI plan's.
    assert 'staan (bijvoorbeeld "maart 2024")' in text and "Najaar" not in text
    assert "wat volgt tot 31 december 2024" in text  # six calendar months after 30 June


def _words(reasons: tuple[object, ...]) -> tuple[str, ...]:
    """A change's reasons as the report words them (reports/templates/_progress_texts.j2)."""
    from reports.render import change_text

    return tuple(change_text(r, "reason") for r in reasons)


def test_a_doorlopend_item_says_its_word_once_from_layout_15(
    tmp_path: Path, database_url: str
) -> None:
    """walk49 12: *doorlopend (plan: doorlopend)* repeated the plan's word; layout 15 says it
    once, and keeps *(plan: …)* where the plan's word differs (*Periodiek*); a report archived
    at layout 14 is made again with it."""
    from regie.report_render import render_progress
    from regie.reports import _progress_report
    from tests.integration.reports_scenario import SEED_PLAN, migrated_app

    home = tmp_path / "home"
    home.mkdir()
    text = SEED_PLAN.read_text(encoding="utf-8")
    assert text.count('gereed: "Periodiek"') == 1
    (home / "actions.yaml").write_text(
        text.replace('gereed: "Periodiek"', 'gereed: "doorlopend"'), encoding="utf-8"
    )
    ongoing = migrated_app(home, database_url)
    report, _ = _progress_report(ongoing, date(2015, 7, 1), date(2015, 12, 31), AS_OF)
    for fmt in ("md", "html"):
        made = render_progress(report, fmt).decode()
        assert "(PIANOo): doorlopend" in made and "(plan: doorlopend)" not in made, fmt
    old, _ = _progress_report(ongoing, date(2015, 7, 1), date(2015, 12, 31), AS_OF, layout=14)
    assert "(PIANOo): doorlopend (plan: doorlopend)" in render_progress(old, "md").decode()
    periodic = migrated_app(tmp_path / "seed", database_url)
    seed, _ = _progress_report(periodic, date(2015, 7, 1), date(2015, 12, 31), AS_OF)
    assert "(PIANOo): doorlopend (plan: Periodiek)" in render_progress(seed, "md").decode()
