"""A Word file is the same bytes whenever it is written (walk56d 5): its ZIP entries carry the
report's day (as its core properties), not the clock, in a fixed order, deflated; Word's first
two entries stay first, and python-docx reads it back."""

from __future__ import annotations

import io
import time
import zipfile
from datetime import date

import pytest

from reports.docx import markdown_to_docx

MD = "# Agenda\n\nTekst met **vet**.\n\n| Punt | Stand |\n|---|---|\n| 1.1 | gereed |\n"
AS_OF = date(2025, 6, 10)


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, format="PNG")
    return out.getvalue()


def _docx() -> bytes:
    md = MD + '\n![Tijdlijn](chart:t "Alt")\n'
    return markdown_to_docx(md, {"t": _png()}, title="Agenda", as_of=AS_OF)


def test_two_builds_an_hour_apart_are_byte_identical(monkeypatch: pytest.MonkeyPatch) -> None:
    first = _docx()
    later = time.time() + 3600
    monkeypatch.setattr(time, "time", lambda: later)  # zipfile stamps entries from the clock
    assert _docx() == first


def test_the_entries_carry_the_report_s_day_in_a_fixed_order() -> None:
    from docx import Document

    data = _docx()
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        infos = package.infolist()
        assert package.testzip() is None
    names = [i.filename for i in infos]
    assert names[:2] == ["[Content_Types].xml", "_rels/.rels"]
    assert names[2:] == sorted(names[2:]) and any(n.startswith("word/media/") for n in names)
    assert {i.date_time for i in infos} == {(2025, 6, 10, 0, 0, 0)}
    assert {i.compress_type for i in infos} == {zipfile.ZIP_DEFLATED}
    document = Document(io.BytesIO(data))
    assert document.paragraphs[0].text == "Agenda"
    assert document.core_properties.title == "Agenda"
