"""DOCX from the report's Markdown with python-docx: real headings, real tables, PNG charts.

The Markdown templates produce a small subset (:mod:`reports.md_blocks`); this reads exactly
that, so the Word file carries the same text as the Markdown and the HTML. A chart's alt text is
the HTML's and the PDF's (:mod:`reports.charts`), as the picture's description (``wp:docPr
descr``, Word's "Alternatieve tekst").
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import UTC, date, datetime

from governance.characters import xml_safe
from reports.md_blocks import BOLD, HEADING, IMAGE, blocks, cells
from reports.render import md_unescape


def _add_text(paragraph: object, text: str) -> None:
    """Runs for ``**bold**`` spans and plain text; escapes removed."""
    pos = 0
    for match in BOLD.finditer(text):
        if match.start() > pos:
            paragraph.add_run(md_unescape(text[pos : match.start()]))  # type: ignore[attr-defined]
        paragraph.add_run(md_unescape(match.group(1))).bold = True  # type: ignore[attr-defined]
        pos = match.end()
    if pos < len(text):
        paragraph.add_run(md_unescape(text[pos:]))  # type: ignore[attr-defined]


def markdown_to_docx(
    markdown: str, images: Mapping[str, bytes], *, title: str, as_of: date
) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    # A character XML cannot hold (a control character in a note stored before notes were
    # checked) would stop the whole report: it is replaced instead.
    markdown, title = xml_safe(markdown), xml_safe(title)
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(10)
    section = doc.sections[0]
    section.left_margin = section.right_margin = Cm(1.8)
    for block in blocks(markdown):
        first = block[0]
        heading = HEADING.fullmatch(first)
        image = IMAGE.fullmatch(first.strip())
        if heading and len(block) == 1:
            level = len(heading.group(1))
            text = md_unescape(heading.group(2))
            if text.startswith("Bijlage"):
                new = doc.add_section()
                new.orientation = WD_ORIENT.LANDSCAPE
                new.page_width, new.page_height = new.page_height, new.page_width
            doc.add_heading(text, level=min(level - 1, 3) if level > 1 else 0)
        elif image:
            png = images.get(image.group(2))
            if png is not None:
                picture = doc.add_picture(io.BytesIO(png), width=Cm(16))
                if image.group(3):
                    picture._inline.docPr.set("descr", md_unescape(image.group(3)))
                doc.add_paragraph(md_unescape(image.group(1))).style = doc.styles["Caption"]
        elif all(line.startswith("- ") for line in block):
            for line in block:
                _add_text(doc.add_paragraph(style="List Bullet"), line[2:])
        elif first.startswith("|") and len(block) >= 2:
            header, rows = cells(first), [cells(r) for r in block[2:]]
            table = doc.add_table(rows=1 + len(rows), cols=len(header))
            table.style = doc.styles["Table Grid"]
            for col, text in enumerate(header):
                cell = table.rows[0].cells[col]
                cell.text = ""
                run = cell.paragraphs[0].add_run(md_unescape(text))
                run.bold = True
            for r, row_cells in enumerate(rows, start=1):
                for col, text in enumerate(row_cells[: len(header)]):
                    cell = table.rows[r].cells[col]
                    _add_text(cell.paragraphs[0], text)
            for row in table.rows:
                for cell in row.cells:
                    for p in cell.paragraphs:
                        for run in p.runs:
                            run.font.size = Pt(8)
        else:
            _add_text(doc.add_paragraph(), " ".join(line.strip() for line in block))
    # Fixed document properties: the same report gives the same properties.
    stamp = datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC)
    props = doc.core_properties
    props.title = title
    props.author = "Regie"
    props.last_modified_by = "Regie"
    props.created = props.modified = stamp
    props.revision = 1
    out = io.BytesIO()
    doc.save(out)
    return _fixed_package(out.getvalue(), as_of)


#: Entries first in the package, as Word writes them; the others follow by name.
_FIRST = ("[Content_Types].xml", "_rels/.rels")


def _fixed_package(data: bytes, as_of: date) -> bytes:
    """The package written again with what ``zipfile`` would stamp from the clock fixed: every
    entry dated ``as_of`` (midnight, as the core properties), in a fixed order, deflated, with
    fixed attributes; so the same report gives the same bytes (walk56d 5: python-docx lets each
    entry carry the time of writing, and ``regie report reproduce`` said DIFFERS)."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        entries = {info.filename: package.read(info) for info in package.infolist()}
    order = [n for n in _FIRST if n in entries] + sorted(n for n in entries if n not in _FIRST)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as fixed:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=(as_of.year, as_of.month, as_of.day, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            # As python-docx writes them on Linux (Unix, mode 0600), on any machine.
            info.create_system, info.external_attr = 3, 0o600 << 16
            fixed.writestr(info, entries[name])
    return out.getvalue()
