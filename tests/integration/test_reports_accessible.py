"""The seed's agenda pack and progress report are accessible: a tagged PDF (headings, tables
with header cells, figures whose alt text states their content, the title shown) and HTML
without axe-core violations (contrast of the RAG badges, table captions and header scopes)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from regie.bootstrap import App
from regie.reports import agenda, record_measurement, voortgang
from tests.integration.browser import AXE, _missing
from tests.integration.reports_scenario import AS_OF, MEETING, make_app, seed_scenario
from tests.unit.test_pdf_tags import struct_elements

if TYPE_CHECKING:
    from playwright.sync_api import Page


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:
    if not database_url.startswith("sqlite"):
        pytest.skip("layout, tags and axe only: the database makes no difference (CI time)")
    app = make_app(tmp_path / "home", database_url)
    seed_scenario(app)
    record_measurement(app, "hernieuwbaar-2020", 5.8, date(2015, 12, 31), "CBS (fictief)")
    return app


def _tags(pdf: bytes) -> tuple[Any, list[Any], Counter[str]]:
    catalog, elements = struct_elements(pdf)
    return catalog, elements, Counter(str(e["/S"]) for e in elements)


def _title(pdf: bytes) -> str:
    from io import BytesIO

    from pypdf import PdfReader

    metadata = PdfReader(BytesIO(pdf)).metadata
    return str(metadata.title if metadata else "")


def test_the_agenda_pdf_is_tagged(app: App) -> None:
    pdf = agenda(app, "stuurgroep", MEETING, AS_OF, "pdf", archive=False).content
    catalog, elements, tags = _tags(pdf)
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert catalog["/Lang"] == "nl"
    # The title the viewer shows has the meeting's date in words (layout 23, walk58c 5).
    assert _title(pdf) == "Agenda Stuurgroep Plan van aanpak MVI 12 april 2016"
    # H3: "Sinds de vorige vergadering", one per step, and one per weight of the points ter
    # besluitvorming (here: slips to approve, routine).
    assert tags["/H1"] == 1 and tags["/H2"] >= 7 and tags["/H3"] == 7
    # Every table has its header row; each data cell names its headers.
    assert tags["/Table"] >= 7 and tags["/THead"] == tags["/Table"]
    headers = {e["/ID"] for e in elements if e["/S"] == "/TH"}
    assert len(headers) == tags["/TH"]
    for cell in (e for e in elements if e["/S"] == "/TD"):
        assert set(cell["/A"]["/Headers"]) <= headers
    # In the tables' bodies only the total row has a header cell, its first: the counts
    # beside it are data cells.
    rows = [r.get_object() for e in elements if e["/S"] == "/TBody" for r in e["/K"]]
    cells = [[str(c.get_object()["/S"]) for c in row["/K"]] for row in rows]
    assert [row for row in cells if "/TH" in row] == [["/TH"] + ["/TD"] * 6]
    alts = [str(e["/Alt"]) for e in elements if e["/S"] == "/Figure"]
    assert len(alts) == 5  # the RAG overview and one timeline per step
    assert "Stap 1: 7 groen, 4 rood, 1 grijs" in alts[0]
    assert "Rood: 1.2.1 Verkennen draagvlak (deadline 30-11-2015, prognose 31-03-2016)" in alts[1]


def test_the_progress_pdf_is_tagged(app: App) -> None:
    pdf = voortgang(app, date(2015, 7, 1), AS_OF, AS_OF, "pdf", archive=False).content
    catalog, elements, tags = _tags(pdf)
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    # The period in words after a comma, not run into the title (layout 22, walk58c 5).
    assert _title(pdf).endswith(", 1 juli 2015 tot en met 15 januari 2016"), _title(pdf)
    assert tags["/H1"] == 1 and tags["/H3"] >= 4 and tags["/H4"] >= 16
    assert tags["/Table"] >= 3 and tags["/TH"] and tags["/L"]
    (alt,) = [str(e["/Alt"]) for e in elements if e["/S"] == "/Figure"]
    assert "31-12-2015: 5,8" in alt and "Streefwaarde" in alt


def _axe(page: Page) -> dict[str, Any]:
    if not AXE.exists():
        _missing("axe-core not installed (npm ci --prefix tests/js)")
    page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                            'best-practice']}
        })"""
    )
    return result


@pytest.mark.parametrize("report", ["agenda", "voortgang"])
def test_the_report_html_passes_axe(app: App, page: Page, report: str) -> None:
    if report == "agenda":
        html = agenda(app, "stuurgroep", MEETING, AS_OF, "html", archive=False).content
    else:
        html = voortgang(app, date(2015, 7, 1), AS_OF, AS_OF, "html", archive=False).content
    assert b"rag-grey" in html  # the badge whose contrast was too low
    page.set_content(html.decode())
    result = _axe(page)
    violations = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
    assert violations == []
    assert "color-contrast" in {rule["id"] for rule in result["passes"]}
    incomplete = {rule["id"] for rule in result["incomplete"]}
    assert not incomplete & {"th-has-data-cells", "td-headers-attr", "color-contrast"}
