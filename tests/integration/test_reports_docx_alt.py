"""The charts in a Word report (agenda pack, progress report) carry the same alt text as in
the HTML and the PDF: the picture's description (``wp:docPr descr``) states its content —
counts per colour, which items are red or amber, the measurements — not just "Picture 1"."""

from __future__ import annotations

import html
import io
import re
from datetime import date
from pathlib import Path

import pytest

from regie.bootstrap import App
from regie.reports import agenda, record_measurement, voortgang
from tests.integration.migrated_template import shared_templates
from tests.integration.reports_scenario import AS_OF, MEETING, make_app, seed_scenario

WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:

    shared_templates().fill_if_empty(database_url)  # empty: a copy of the migrated template
    app = make_app(tmp_path / "home", database_url)
    seed_scenario(app)
    record_measurement(app, "hernieuwbaar-2020", 5.8, date(2015, 12, 31), "CBS (fictief)")
    return app


def _descriptions(docx: bytes) -> list[str]:
    from docx import Document

    doc = Document(io.BytesIO(docx))
    assert doc.inline_shapes
    return [s._inline.docPr.get("descr") for s in doc.inline_shapes]


def _html_alts(page: bytes) -> list[str]:
    return [html.unescape(a) for a in re.findall(r'<img src="[^"]*" alt="([^"]*)">', page.decode())]


def test_agenda_charts_in_word_have_the_html_alt_text(app: App) -> None:
    docx = agenda(app, "stuurgroep", MEETING, AS_OF, "docx", archive=False).content
    page = agenda(app, "stuurgroep", MEETING, AS_OF, "html", archive=False).content
    said = _descriptions(docx)
    assert said == _html_alts(page)
    assert len(said) == 5  # the RAG overview and one timeline per step
    assert "Stap 1: 7 groen, 4 rood, 1 grijs" in said[0]
    assert "Rood: 1.2.1 Verkennen draagvlak (deadline 30-11-2015, prognose 31-03-2016)" in said[1]


def test_progress_charts_in_word_have_the_html_alt_text(app: App) -> None:
    start = date(2015, 7, 1)
    docx = voortgang(app, start, AS_OF, AS_OF, "docx", archive=False).content
    page = voortgang(app, start, AS_OF, AS_OF, "html", archive=False).content
    (said,) = _descriptions(docx)
    assert [said] == _html_alts(page)
    assert "31-12-2015: 5,8" in said and "Streefwaarde" in said
