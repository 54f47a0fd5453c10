"""The PDF is tagged (reports/pdf.py): headings, tables with header cells, figures with alt
text, for screen readers; and its tags are the same bytes for the same document."""

from __future__ import annotations

import base64
import io
from typing import Any

from reports.pdf import html_to_pdf, lay_out, placeholder_png, write

PNG = "data:image/png;base64," + base64.b64encode(placeholder_png(40, 20, 7)).decode()
HTML = f"""<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>Proef</title></head>
<body><h1>Kop</h1><h2>Tabel</h2>
<table><thead><tr><th scope="col">Stap</th><th scope="col">Items</th></tr></thead>
<tbody><tr><td>1. Eerste</td><td>3</td></tr>
<tr><th scope="row">Totaal</th><td>3</td></tr></tbody></table>
<figure><img src="{PNG}" alt="Stap 1: 3 groen"><figcaption>Overzicht</figcaption></figure>
</body></html>"""


def struct_elements(pdf: bytes) -> tuple[Any, list[Any]]:
    """The PDF's catalog and its structure elements, depth first."""
    from pypdf import PdfReader

    catalog = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    found: list[Any] = []

    def walk(node: Any) -> None:
        node = node.get_object()
        found.append(node)
        kids = node.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            obj = kid.get_object() if hasattr(kid, "get_object") else kid
            if hasattr(obj, "keys") and "/S" in obj:  # not a marked-content number
                walk(obj)

    for top in catalog["/StructTreeRoot"]["/K"]:
        walk(top)
    return catalog, found


def test_the_pdf_is_tagged_for_screen_readers() -> None:
    catalog, elements = struct_elements(html_to_pdf(HTML))
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert catalog["/Lang"] == "nl"
    tags = [e["/S"] for e in elements]
    for tag in ("/H1", "/H2", "/Table", "/THead", "/TBody", "/TH", "/TD", "/Figure"):
        assert tag in tags, tag
    (figure,) = [e for e in elements if e["/S"] == "/Figure"]
    assert figure["/Alt"] == "Stap 1: 3 groen"
    headers = {e["/ID"]: e for e in elements if e["/S"] == "/TH"}
    assert sorted(headers) == ["th1", "th2", "th3"]
    # A data cell names its column's header, and in the total row the row's header too.
    cells = [list(e["/A"]["/Headers"]) for e in elements if e["/S"] == "/TD"]
    assert cells == [["th1"], ["th2"], ["th3", "th2"]]


def test_the_tags_are_the_same_bytes_for_the_same_document() -> None:
    """WeasyPrint names header cells after the memory address of their box: two documents
    laid out side by side (both alive, so at different addresses) must still give one PDF."""
    first, second = lay_out(HTML), lay_out(HTML)
    assert write(first) == write(second) == html_to_pdf(HTML)
