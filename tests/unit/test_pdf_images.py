"""Laying a PDF out before its images exist (reports/pdf.py): swap in, or refuse."""

from __future__ import annotations

import base64

from reports.pdf import html_to_pdf, lay_out, placeholder_png, swap_images, write


def _uri(png: bytes) -> str:
    return f"data:image/png;base64,{base64.b64encode(png).decode()}"


def _html(*uris: str) -> str:
    return "".join(f'<p>Figuur</p><img src="{uri}">' for uri in uris)


def test_same_sized_images_swapped_in_give_the_pdf_made_with_them() -> None:
    real = [_uri(placeholder_png(40, 20, 200)), _uri(placeholder_png(30, 30, 100))]
    blank = [_uri(placeholder_png(40, 20, 0)), _uri(placeholder_png(30, 30, 1))]
    document = lay_out(_html(*blank))
    assert swap_images(document, dict(zip(blank, real, strict=True)))
    assert write(document) == html_to_pdf(_html(*real))


def test_a_different_size_or_a_missing_placeholder_is_refused() -> None:
    blank = _uri(placeholder_png(40, 20, 0))
    assert not swap_images(lay_out(_html(blank)), {blank: _uri(placeholder_png(40, 21, 9))})
    other = _uri(placeholder_png(40, 20, 1))
    assert not swap_images(lay_out(_html(blank)), {other: _uri(placeholder_png(40, 20, 9))})
