"""The agenda pack for the seed at 2016-01-15: golden HTML and Markdown, PDF and DOCX content."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from governance.agenda import AgendaPack
from regie.bootstrap import App
from regie.reports import agenda, agenda_pack
from reports.render import asked_question
from tests.fresh import in_fresh_process
from tests.integration.reports_scenario import AS_OF, MEETING, make_app, scenario_app

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
UPDATE = os.environ.get("REGIE_UPDATE_GOLDEN") == "1"
# The subject of these is how a pack is laid out; the SQL that reads it is the PostgreSQL tests'
# left here (python -m tests.tools.pg_statements checks).
LAYOUT_ONLY = pytest.mark.one_database(
    "the pack's layout, from SQL this file's PostgreSQL tests run"
)


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:
    return scenario_app(tmp_path / "home", database_url, golden=True)  # tests.golden_seed


def _golden(name: str, content: bytes) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_bytes(content)
    assert path.exists(), f"{path} missing: run with REGIE_UPDATE_GOLDEN=1"
    assert content == path.read_bytes(), f"{name} differs from the golden file"


@pytest.mark.parametrize("fmt", ["md", pytest.param("html", marks=LAYOUT_ONLY)])
def test_golden_and_byte_identical(app: App, fmt: str) -> None:
    first = agenda(app, "stuurgroep", MEETING, AS_OF, fmt)
    second = agenda(app, "stuurgroep", MEETING, AS_OF, fmt)
    assert first.content == second.content
    assert first.sha256 == second.sha256
    _golden(f"agenda_stuurgroep_2016-04-12_asof_2016-01-15.{fmt}", first.content)


@LAYOUT_ONLY
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_pack_of_layout_2_is_made_again_byte_for_byte(app: App, fmt: str) -> None:
    """A pack archived with layout 2 (*eerder voorgelegd* counted the earlier meetings, with
    or without a pack; no contact changes) is made again as it was: the golden file of layout
    2, and reproduce matches."""
    from regie.reports import _agenda_pack, _archive, render_agenda, reproduce

    plan = app.load_plan()
    pack, _ = _agenda_pack(app, "stuurgroep", MEETING, AS_OF, layout=2)
    old = render_agenda(pack, fmt, layout=2)
    golden = GOLDEN / f"agenda_stuurgroep_2016-04-12_asof_2016-01-15.layout2.{fmt}"
    assert old == golden.read_bytes()
    parameters = {"body": "stuurgroep", "meeting": MEETING.isoformat(), "as_of": AS_OF.isoformat(),
                  "layout": 2}  # fmt: skip
    archived = _archive(app, plan, "agenda", fmt, "Agenda", AS_OF, parameters, old, True)
    again = reproduce(app, archived.archive_id)
    assert again.matches and again.content == old


@LAYOUT_ONLY
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_pack_of_layout_4_is_made_again_byte_for_byte(app: App, fmt: str) -> None:
    """A pack archived with layout 4 (it said *item* where packs now say *punt*) is made again
    with its frozen templates: the golden file of layout 4, and reproduce matches."""
    from regie.reports import _agenda_pack, _archive, render_agenda, reproduce

    plan = app.load_plan()
    pack, _ = _agenda_pack(app, "stuurgroep", MEETING, AS_OF, layout=4)
    old = render_agenda(pack, fmt, layout=4)
    golden = GOLDEN / f"agenda_stuurgroep_2016-04-12_asof_2016-01-15.layout4.{fmt}"
    assert old == golden.read_bytes()
    parameters = {"body": "stuurgroep", "meeting": MEETING.isoformat(), "as_of": AS_OF.isoformat(),
                  "layout": 4}  # fmt: skip
    archived = _archive(app, plan, "agenda", fmt, "Agenda", AS_OF, parameters, old, True)
    again = reproduce(app, archived.archive_id)
    assert again.matches and again.content == old
    assert agenda(app, "stuurgroep", MEETING, AS_OF, fmt).content != old  # layout 5: punten


@LAYOUT_ONLY
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_pack_of_layout_5_is_made_again_byte_for_byte(app: App, fmt: str) -> None:
    """A pack archived with layout 5 (every change of colour under *verslechterd*) is made
    again with its frozen templates: the golden file of layout 5, and reproduce matches."""
    from regie.reports import _agenda_pack, _archive, render_agenda, reproduce

    plan = app.load_plan()
    pack, _ = _agenda_pack(app, "stuurgroep", MEETING, AS_OF, layout=5)
    old = render_agenda(pack, fmt, layout=5)
    golden = GOLDEN / f"agenda_stuurgroep_2016-04-12_asof_2016-01-15.layout5.{fmt}"
    assert old == golden.read_bytes()
    parameters = {"body": "stuurgroep", "meeting": MEETING.isoformat(), "as_of": AS_OF.isoformat(),
                  "layout": 5}  # fmt: skip
    archived = _archive(app, plan, "agenda", fmt, "Agenda", AS_OF, parameters, old, True)
    again = reproduce(app, archived.archive_id)
    assert again.matches and again.content == old


@LAYOUT_ONLY
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_pack_of_layout_9_is_made_again_byte_for_byte(app: App, fmt: str) -> None:
    """A pack archived with layout 9 (*verschoven* without *met risico*, walk32a 11) is made
    again as it was: the golden file of layout 9, and reproduce matches."""
    from regie.reports import _agenda_pack, _archive, render_agenda, reproduce

    plan = app.load_plan()
    pack, _ = _agenda_pack(app, "stuurgroep", MEETING, AS_OF, layout=9)
    old = render_agenda(pack, fmt, layout=9)
    golden = GOLDEN / f"agenda_stuurgroep_2016-04-12_asof_2016-01-15.layout9.{fmt}"
    assert old == golden.read_bytes()
    parameters = {"body": "stuurgroep", "meeting": MEETING.isoformat(), "as_of": AS_OF.isoformat(),
                  "layout": 9}  # fmt: skip
    archived = _archive(app, plan, "agenda", fmt, "Agenda", AS_OF, parameters, old, True)
    again = reproduce(app, archived.archive_id)
    assert again.matches and again.content == old


@LAYOUT_ONLY
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_pack_of_layout_13_is_made_again_byte_for_byte(app: App, fmt: str) -> None:
    """A pack archived with layout 13 (page 1: *eerst de punten die om een keuze vragen*;
    *eerder voorgelegd* by item, walk46 11b–d) is made again as it was: the golden file of
    layout 13, and reproduce matches."""
    from regie.reports import _agenda_pack, _archive, render_agenda, reproduce

    plan = app.load_plan()
    pack, _ = _agenda_pack(app, "stuurgroep", MEETING, AS_OF, layout=13)
    old = render_agenda(pack, fmt, layout=13)
    golden = GOLDEN / f"agenda_stuurgroep_2016-04-12_asof_2016-01-15.layout13.{fmt}"
    assert old == golden.read_bytes()
    parameters = {"body": "stuurgroep", "meeting": MEETING.isoformat(), "as_of": AS_OF.isoformat(),
                  "layout": 13}  # fmt: skip
    archived = _archive(app, plan, "agenda", fmt, "Agenda", AS_OF, parameters, old, True)
    again = reproduce(app, archived.archive_id)
    assert again.matches and again.content == old


@LAYOUT_ONLY
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_pack_of_layout_6_is_made_again_byte_for_byte(app: App, fmt: str) -> None:
    """A pack archived with layout 6 (its PDF broke long title words without a hyphen) is
    made again as it was: the golden file of layout 6, and reproduce matches."""
    from regie.reports import _agenda_pack, _archive, render_agenda, reproduce

    plan = app.load_plan()
    pack, _ = _agenda_pack(app, "stuurgroep", MEETING, AS_OF, layout=6)
    old = render_agenda(pack, fmt, layout=6)
    golden = GOLDEN / f"agenda_stuurgroep_2016-04-12_asof_2016-01-15.layout6.{fmt}"
    assert old == golden.read_bytes()
    parameters = {"body": "stuurgroep", "meeting": MEETING.isoformat(), "as_of": AS_OF.isoformat(),
                  "layout": 6}  # fmt: skip
    archived = _archive(app, plan, "agenda", fmt, "Agenda", AS_OF, parameters, old, True)
    again = reproduce(app, archived.archive_id)
    assert again.matches and again.content == old


@pytest.mark.parametrize("fmt", ["md", pytest.param("html", marks=LAYOUT_ONLY)])
def test_a_pack_archived_before_layout_2_is_made_again_byte_for_byte(app: App, fmt: str) -> None:
    """A pack archived without a layout (before layout 2) is made again with layout 1's frozen
    templates: the same bytes as then (the golden file of layout 1), and reproduce matches."""
    from regie.reports import _agenda_pack, _archive, render_agenda, reproduce

    plan = app.load_plan()
    # Its data as layout 1 read them (layout 17 counts *verouderd* otherwise: fresh50).
    pack, _ = _agenda_pack(app, "stuurgroep", MEETING, AS_OF, layout=1)
    old = render_agenda(pack, fmt, layout=1)
    assert (
        old == (GOLDEN / f"agenda_stuurgroep_2016-04-12_asof_2016-01-15.layout1.{fmt}").read_bytes()
    )
    parameters = {"body": "stuurgroep", "meeting": MEETING.isoformat(), "as_of": AS_OF.isoformat()}
    archived = _archive(app, plan, "agenda", fmt, "Agenda", AS_OF, parameters, old, True)
    again = reproduce(app, archived.archive_id)
    assert again.matches and again.content == old
    new = agenda(app, "stuurgroep", MEETING, AS_OF, fmt)  # archived with its layout
    assert new.content != old and reproduce(app, new.archive_id).matches


@LAYOUT_ONLY
def test_pack_content(app: App) -> None:
    pack = agenda_pack(app, "stuurgroep", MEETING, AS_OF)
    assert pack.previous is not None and pack.previous.on.isoformat() == "2016-01-12"
    assert pack.next is not None and pack.next.on.isoformat() == "2016-07-12"
    # The decision of 12 January moved 1.3.1; the original gereed is kept.
    assert [d.decision.item_id for d in pack.decisions] == ["1.3.1"]
    line = next(x for x in pack.annex if x.item_id == "1.3.1")
    assert line.gereed == (
        "oorspronkelijk Najaar 2015, bijgesteld Q2-2016 "
        "(besluit Stuurgroep Plan van aanpak MVI, 12 januari 2016)"
    )
    assert line.state == "on_track"
    asked = {a.item.item_id: a for a in pack.asked}
    assert asked_question(asked["1.2.2"]) == "Datum vaststellen voor 1.2.2?"
    assert asked_question(asked["1.3.2"]) == "Nieuwe datum vaststellen voor 1.3.2?"
    assert asked["4.2"].reason == "waiting"
    assert "1.1.1" not in asked  # done
    assert "1.3.1" not in asked  # moved by the decision, now on track
    assert asked["3.6.1"].reason == "undated"
    # Green items are counted, amber and red listed.
    for step in pack.steps:
        assert all(x.rag in ("amber", "red") for x in step.exceptions)
        assert sum(step.counts.values()) == step.total
    assert sum(s.total for s in pack.steps) == len(pack.annex)
    ahead = {x.item_id for x in pack.ahead}
    assert {"1.4", "1.5.4", "1.3.1"} <= ahead  # due April–June 2016, before 12 July


def test_an_escalation_the_body_decided_on_is_not_put_to_it_again(app: App) -> None:
    """1.3.1 was escalated on 1 December 2015 and moved by the stuurgroep on 12 January: the
    pack does not ask to chase its owner. 3.9, escalated the same day and not decided on, is
    still asked."""
    from datetime import date

    from governance.events import ESCALATION_RAISED, DomainEvent
    from store import Repository
    from store.records import EventRecord

    raised = date(2015, 12, 1)
    events = [
        DomainEvent(ESCALATION_RAISED, item, raised, {}, "office") for item in ("1.3.1", "3.9")
    ]
    programme = app.load_plan().programme.id
    with app.session() as session, session.begin():
        Repository(session, programme).record_events(
            EventRecord(e.name, e.item_id, e.occurred_on, dict(e.payload), e.key) for e in events
        )
    asked = {a.item.item_id: a for a in agenda_pack(app, "stuurgroep", MEETING, AS_OF).asked}
    assert "1.3.1" not in asked
    assert asked_question(asked["3.9"]) == (
        "Eigenaar aanspreken over 3.9 (escalatie van 1 december 2015 onbeantwoord)?"
    )
    markdown = agenda(app, "stuurgroep", MEETING, AS_OF, "md", archive=False).content.decode()
    # Layout 15 (close48 3): one pair of brackets on page 1, the reason's; the question has none.
    # The reason says what it is about; the question does not say it again (review48 5).
    assert asked_question(asked["3.9"], plain=True) == "Eigenaar van 3.9 aanspreken?"
    assert "**Eigenaar van 3.9 aanspreken?** (escalatie onbeantwoord sinds " in markdown
    assert "onbeantwoorde" not in markdown
    assert "(escalatie van" not in markdown and ")** (" not in markdown
    assert "1.3.1 aanspreken" not in markdown
    # A pack archived at layout 14 keeps the question it had.
    from regie.report_render import render_agenda

    old = render_agenda(agenda_pack(app, "stuurgroep", MEETING, AS_OF), "md", layout=14).decode()
    assert "**Eigenaar aanspreken over 3.9 (escalatie van 1 december 2015 onbeantwoord)?**" in old
    assert "over 1.3.1 (escalatie" not in old
    # Another body's decision about 3.9 answers it too; this body's pack does not list that
    # decision among its own.
    from governance.decisions import Decision, DecisionKind
    from store.reports_repo import ReportsRepository

    other = Decision(
        "landelijk-overleg", date(2016, 1, 5), DecisionKind.DECISION, "3.9 besproken", "3.9"
    )
    with app.session() as session, session.begin():
        ReportsRepository(session, programme).add_decision(other)
    pack = agenda_pack(app, "stuurgroep", MEETING, AS_OF)
    assert "3.9" not in {a.item.item_id for a in pack.asked}
    assert all(line.decision.body_id == "stuurgroep" for line in pack.decisions)


@LAYOUT_ONLY
def test_notes_are_inert_in_html_and_markdown(app: App) -> None:
    html = agenda(app, "stuurgroep", MEETING, AS_OF, "html", archive=False).content.decode()
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # An HTML page computes no formula: the note as written (agenda layout 22, walk57b 5; the
    # CSV exports quote it, layout 21 quoted it here too).
    assert "=HYPERLINK(" in html and "&#39;=HYPERLINK(" not in html
    md = agenda(app, "stuurgroep", MEETING, AS_OF, "md", archive=False).content.decode()
    assert "\\<script\\>" in md and "\\*\\*vet\\*\\*" in md and "\\$x^2\\$" in md
    assert "\\[zie\\](http://x) \\# kop \\| pijp" in md


@LAYOUT_ONLY
def test_pdf_has_sections_and_numbers(app: App, documents_made_once: None) -> None:
    from pypdf import PdfReader

    pdf = agenda(app, "stuurgroep", MEETING, AS_OF, "pdf").content
    assert pdf.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    flat = " ".join(text.split())
    for heading in (
        "1. Opening en vaststellen agenda",
        "2. Besluitenlijst vorige vergadering",
        "3. Voortgang per stap",
        "4. Ter besluitvorming",
        "5. Vooruitblik",
        "6. Rondvraag en sluiting",
        "Bijlage: overzicht van alle punten",
    ):
        assert heading in flat, heading
    assert "Datum vaststellen voor 1.2.2?" in flat
    assert "12 april 2016" in flat
    # Shown as text, not run (a narrow column may wrap it: compare without white space).
    assert "<script>alert(1)</script>" in "".join(text.split())
    # The full table is a file of its own, named in the PDF; the PDF keeps the exceptions.
    assert "agenda-stuurgroep-2016-04-12-bijlage.html" in "".join(text.split())
    assert "1.2.1 Verkennen draagvlak" in flat  # red, in section 3
    # Green 1.1.2 is no exception in section 3; due 31-03, before the meeting, it is announced
    # in section 5 only (layout 20, walk55e 1).
    assert flat.count("Uitvoeren overlegronde") == 1
    ahead = flat.index("5. Vooruitblik")
    assert ahead < flat.index("Uitvoeren overlegronde") < flat.index("6. Rondvraag", ahead)


@LAYOUT_ONLY
def test_pdf_hyphenates_title_words_and_keeps_header_words_apart(
    app: App, documents_made_once: None
) -> None:
    """Layout 7 (review walk29): a title word too long for its column is hyphenated by the
    pack's language, never broken without a hyphen ("Opdrachtformulerin|g"); the owner's
    column is wide enough for its header ("EigenaarGereed" ran together)."""
    from pypdf import PdfReader

    from tests.pdf_words import broken_words, title_words

    pack = agenda_pack(app, "stuurgroep", MEETING, AS_OF)
    pdf = agenda(app, "stuurgroep", MEETING, AS_OF, "pdf", archive=False).content
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    words = title_words([t for line in pack.annex for t in (line.title, line.action_title)])
    hyphenated, bare = broken_words(text, words)
    assert bare == []
    assert hyphenated  # the seed's long words do need breaking in these columns
    assert "EigenaarGereed" not in text and "Eigenaar" in text


@LAYOUT_ONLY
def test_pdf_annex_file_has_every_item(app: App) -> None:
    from regie.reports import agenda_formats, annex_name

    # As the command line makes them: charts and PDF in a worker process (reports.background).
    html, pdf = agenda_formats(app, "stuurgroep", MEETING, AS_OF, ("html", "pdf"), background=True)
    assert (html.format, pdf.format) == ("html", "pdf")
    assert html.attachments == ()
    assert html.content == agenda(app, "stuurgroep", MEETING, AS_OF, "html").content
    (annex,) = pdf.attachments
    pack = agenda_pack(app, "stuurgroep", MEETING, AS_OF)
    assert annex.name == annex_name(pack) == "agenda-stuurgroep-2016-04-12-bijlage.html"
    assert (annex.kind, annex.format, annex.archive_id is not None) == (
        "agenda-bijlage",
        "html",
        True,
    )
    text = annex.content.decode()
    assert text.count('<tr><td class="date">') == len(pack.annex) == 48
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "<script>" not in text
    # The same pack gives the same bytes: PDF and annex are deterministic too, and a PDF made
    # in one process is the worker's.
    again = agenda(app, "stuurgroep", MEETING, AS_OF, "pdf", archive=False)
    assert (again.sha256, again.attachments[0].sha256) == (pdf.sha256, annex.sha256)


def _refuse(fmt: str, charts: object = None) -> bytes:
    raise AssertionError("the PDF was laid out again instead of receiving its charts")


def test_the_worker_lays_the_pdf_out_while_a_helper_draws_the_charts(
    app: App, database_url: str
) -> None:
    """What the worker process does (here in a fresh process, as the command's worker is one):
    a helper forked from it draws the charts while it lays the PDF out around blank
    placeholders of their sizes; the drawn charts are then put in, and the PDF is the one made
    in one go, byte for byte."""
    if not database_url.startswith("sqlite"):
        pytest.skip("layout and charts only: the database makes no difference (CI time)")
    in_fresh_process(_lay_out_while_a_helper_draws, agenda_pack(app, "stuurgroep", MEETING, AS_OF))


def _lay_out_while_a_helper_draws(pack: AgendaPack) -> None:
    from functools import partial

    from PIL import Image

    from regie import pdf_worker, reports

    draw = partial(reports._agenda_charts, pack)
    sizes = draw(("size",))["size"]
    drawn = pdf_worker._draw_in_worker(draw, ("svg", "png"), partial(reports.render_agenda, pack))
    assert set(drawn) == {"svg", "png"} and drawn["png"].keys() == sizes.keys()
    for name, png in drawn["png"].items():  # the sizes known before drawing are the PNGs'
        width, height = Image.open(io.BytesIO(png)).size
        assert sizes[name] == f"{width}x{height}".encode(), name
    assert pdf_worker._EARLY and pdf_worker._EARLY[0].document is not None
    pdf = pdf_worker._pdf_in_worker(_refuse)
    assert pdf == reports.render_agenda(pack, "pdf")


def _pack_without_the_orm(home: str, database_url: str) -> tuple[list[str], AgendaPack]:
    import sys

    pack = agenda_pack(make_app(Path(home), database_url), "stuurgroep", MEETING, AS_OF)
    heavy = ("sqlalchemy.orm", "store.models", "holidays", "matplotlib", "weasyprint")
    return [name for name in heavy if name in sys.modules], pack


def test_the_pack_is_read_on_a_plain_connection(app: App, database_url: str) -> None:
    """A PDF's layout waits for the pack: assembling it imports no ORM and no table classes
    (store.reports_read), nor the holidays package once its cache is warm (regie.holiday_cache),
    and it is the pack this process assembles. What store.reports_read returns is checked
    against the write paths in tests/integration/test_reports_read.py."""
    home = str(app.settings.home)
    loaded, pack = in_fresh_process(_pack_without_the_orm, home, database_url)
    assert loaded == []
    assert pack.decisions and pack == agenda_pack(app, "stuurgroep", MEETING, AS_OF)


@LAYOUT_ONLY
def test_docx_has_headings_and_tables(app: App) -> None:
    from docx import Document

    content = agenda(app, "stuurgroep", MEETING, AS_OF, "docx").content
    doc = Document(io.BytesIO(content))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[0] == "Agenda Stuurgroep Plan van aanpak MVI"
    assert "4. Ter besluitvorming" in headings
    assert "Bijlage: overzicht van alle punten" in headings
    pack = agenda_pack(app, "stuurgroep", MEETING, AS_OF)
    annex = doc.tables[-1]
    assert annex.rows[0].cells[0].text == "Nr"
    assert len(annex.rows) == 1 + len(pack.annex)
    ids = [row.cells[0].text for row in annex.rows[1:]]
    assert ids == [x.item_id for x in pack.annex]
    # Ter besluitvorming: one table per weight, heaviest first, the question first.
    asked = [t for t in doc.tables if t.rows[0].cells[1].text.startswith("Vraag aan")]
    assert sum(len(t.rows) - 1 for t in asked) == len(pack.asked)
    body = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "<script>alert(1)</script> **vet** $x^2$ \\textbf{x}" in body
    assert doc.inline_shapes  # the charts are in


@LAYOUT_ONLY
def test_long_lists_end_with_a_count_and_the_annex(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    from governance.agenda import LIMITS
    from regie.reports import render_agenda

    monkeypatch.setitem(LIMITS, "asked", 3)
    monkeypatch.setitem(LIMITS, "ahead", 1)
    pack = agenda_pack(app, "stuurgroep", MEETING, AS_OF)
    assert len(pack.asked) > 3 and len(pack.ahead) > 1
    md = render_agenda(pack, "md").decode()
    section = md.split("## 4. Ter besluitvorming")[1].split("## 5.")[0]
    # Every question is put to the board in the documents people edit and read on screen.
    assert section.count("| **") == len(pack.asked) and "En nog" not in section
    assert f"En nog {len(pack.ahead) - 1} punten — zie bijlage." in md.split("## 5.")[1]
    html = render_agenda(pack, "html").decode()
    assert html.count('class="question"') == len(pack.asked)


@LAYOUT_ONLY
def test_the_pdf_cuts_the_questions_and_its_annex_file_lists_them_all(
    app: App, monkeypatch: pytest.MonkeyPatch, documents_made_once: None
) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    from governance.agenda import LIMITS
    from regie.reports import render_agenda, render_agenda_annex

    monkeypatch.setitem(LIMITS, "asked", 3)
    pack = agenda_pack(app, "stuurgroep", MEETING, AS_OF)
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(render_agenda(pack, "pdf"))).pages)
    # Only routine points are cut, each named; the three slips to approve stay.
    flat = " ".join(text.split())
    routine = [a.item.item_id for a in pack.asked if a.weight == "routine"]
    assert len(pack.asked) - len(routine) == 3
    assert f"Verder {len(routine)} routinepunten (datum of termijn vaststellen) voor:" in flat
    assert all(x in "".join(text.split()) for x in routine)
    for slip in ("1.2.1", "3.1.1", "3.3.2"):
        assert f"Verschuiving van {slip} naar" in flat
    annex = render_agenda_annex(pack).decode()
    assert f"Ter besluitvorming: alle {len(pack.asked)} punten, de zwaarste eerst" in annex
    assert annex.count('class="question"') == len(pack.asked)
    monkeypatch.setitem(LIMITS, "asked", len(pack.asked))  # nothing cut: the annex has items only
    assert 'class="question"' not in render_agenda_annex(pack).decode()
