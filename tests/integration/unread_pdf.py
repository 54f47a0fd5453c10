"""For test files that prepare agenda packs and never read a PDF: the PDF a pack's mail carries
stands in as a few deterministic bytes instead of WeasyPrint's layout (≈ 1.5–2 s of CPU per
pack, 44 % of two such files' CPU: RESULTS §17.3). Everything else of the pack — assembly,
HTML, charts, annex, Markdown, archive, mail — is made as always. The PDF itself is tested
where it is read: test_pack_mail_pdf, test_reports_agenda, test_agenda_decide_first."""

from __future__ import annotations

import hashlib

import pytest

STAND_IN = b"%PDF-1.7\n% tests.integration.unread_pdf: no layout, this test reads no PDF\n"


@pytest.fixture
def unread_pdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """``reports.pdf.html_to_pdf`` (looked up when a PDF is rendered) gives the stand-in and
    the HTML's hash: the same HTML, the same bytes, as a real PDF would be."""
    import reports.pdf

    def stand_in(html: str) -> bytes:
        return STAND_IN + hashlib.sha256(html.encode()).hexdigest().encode() + b"\n%%EOF\n"

    monkeypatch.setattr(reports.pdf, "html_to_pdf", stand_in)
