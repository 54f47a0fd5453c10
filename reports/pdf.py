"""PDF from the report's HTML with WeasyPrint (Pango from Debian: see .ci/run)."""

from __future__ import annotations


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    result: bytes = HTML(string=html, base_url=None).write_pdf(uncompressed_pdf=False)
    return result
