"""A chart's alt text reaches the Word file intact whatever an owner typed into an item's title
(quotes, brackets, Markdown, backslashes): the Markdown title is escaped, the DOCX reader
unescapes it into the picture's description."""

from __future__ import annotations

import io
from datetime import date

from reports.docx import markdown_to_docx
from reports.render import environment

NASTY = 'Item "A" [b] (c) *d* \\e | f_g `h` <i> $j$ ! #k'


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, format="PNG")
    return out.getvalue()


def test_an_alt_text_with_markdown_characters_is_kept_whole() -> None:
    line = (
        environment()
        .overlay(autoescape=False)
        .from_string('![Tijdlijn](chart:t "{{ alt|md_title }}")')
        .render(alt=NASTY)
    )
    plain = "![Zonder](chart:u)"
    docx = markdown_to_docx(
        f"# Kop\n\n{line}\n\n{plain}\n", {"t": _png(), "u": _png()}, title="t",
        as_of=date(2016, 1, 15),
    )  # fmt: skip
    from docx import Document

    doc = Document(io.BytesIO(docx))
    shapes = list(doc.inline_shapes)
    assert [s._inline.docPr.get("descr") for s in shapes] == [NASTY, None]
    captions = [p.text for p in doc.paragraphs if p.style is not None and p.style.name == "Caption"]
    assert captions == ["Tijdlijn", "Zonder"]
