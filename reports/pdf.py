"""PDF from the report's HTML with WeasyPrint (Pango from Debian: see .ci/run)."""

from __future__ import annotations

import sys
from typing import Any


def html_to_pdf(html: str) -> bytes:
    return write(lay_out(html))


def lay_out(html: str) -> Any:
    """WeasyPrint's laid-out document (pages), not yet written: see :func:`swap_images`."""
    return import_weasyprint().HTML(string=html, base_url=None).render()


def write(document: Any) -> bytes:
    """The PDF of a laid-out document, tagged (PDF/UA's structure: headings, lists, tables
    with their header cells, figures with their alt text, reading order; ``/MarkInfo`` and
    ``/DisplayDocTitle``), so that a screen reader can read it. Tagging is done while
    writing, from the laid-out boxes: a document laid out around placeholders
    (:func:`swap_images`) is tagged the same. Not the ``pdf/ua-1`` variant: that only adds
    an XMP stream claiming conformance, which no validator has confirmed here."""
    result: bytes = document.write_pdf(
        uncompressed_pdf=False, pdf_tags=True, finisher=_stable_header_ids
    )
    return result


def _stable_header_ids(document: Any, pdf: Any) -> None:
    """Number the tags' table header ids in order. WeasyPrint names a ``TH`` element and
    the ``/Headers`` of its cells after the header box's ``id()``, a memory address: the
    same report would give different bytes in each process (the archive's hash, the
    worker's PDF against the one made in-process)."""
    import pydyf

    renamed: dict[Any, str] = {}
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Dictionary) and obj.get("S") == "/TH" and "ID" in obj:
            renamed[obj["ID"].string] = f"th{len(renamed) + 1}"
            obj["ID"] = pydyf.String(renamed[obj["ID"].string])
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Dictionary) and obj.get("S") == "/TD":
            attributes = obj.get("A")
            if isinstance(attributes, pydyf.Dictionary) and "Headers" in attributes:
                attributes["Headers"] = pydyf.Array(
                    pydyf.String(renamed[header.string])
                    for header in attributes["Headers"]
                    if header.string in renamed
                )


def placeholder_png(width: int, height: int, index: int) -> bytes:
    """A blank PNG of a chart's size, to lay a PDF out before the chart is drawn (each one
    different, so WeasyPrint keeps them apart)."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("L", (width, height), index % 256).save(out, format="PNG")
    return out.getvalue()


def swap_images(document: Any, real: dict[str, str]) -> bool:
    """Put the real images (placeholder URI → real URI) into a laid-out ``document``, in place.

    Layout needs only an image's size, so a document laid out with same-sized placeholders is
    the document laid out with the images; WeasyPrint draws the image a box holds when it
    writes the PDF (same bytes as a document that had them from the start: a test checks).
    False (document unusable) when a placeholder is not in it or a real image differs in
    size: lay the real HTML out instead."""
    by_id = {_image_id(uri): uri for uri in real}
    boxes = [box for box in _image_boxes(document) if box.replacement.id in by_id]
    if {box.replacement.id for box in boxes} != set(by_id):
        return False
    uris = [real[by_id[box.replacement.id]] for box in boxes]
    html = "".join(f'<img src="{uri}" style="width:1px">' for uri in dict.fromkeys(uris))
    made = {box.replacement.id: box.replacement for box in _image_boxes(lay_out(html))}
    images = [made[_image_id(uri)] for uri in uris]
    sizes = [(image.width, image.height) for image in images]
    if sizes != [(box.replacement.width, box.replacement.height) for box in boxes]:
        return False
    for box, image in zip(boxes, images, strict=True):
        box.replacement = image
    return True


def _image_boxes(document: Any) -> list[Any]:
    """The boxes of a laid-out document that show a raster image (WeasyPrint has no public
    walk of its boxes; ``Page._page_box`` has been there since version 53)."""
    from weasyprint.images import RasterImage

    return [
        box
        for page in document.pages
        for box in page._page_box.descendants()
        if isinstance(getattr(box, "replacement", None), RasterImage)
    ]


def _image_id(uri: str) -> str:
    """WeasyPrint's id of the image at ``uri`` (``images.get_image_from_uri``)."""
    from hashlib import md5

    return md5(uri.encode(), usedforsecurity=False).hexdigest()


def import_weasyprint() -> Any:
    """WeasyPrint, imported without ``ctypes.util.find_library``'s helper processes.

    WeasyPrint tries several names per library (for Windows, macOS and Linux); cffi hands
    each name it cannot open directly to ``find_library``, which on Linux runs ldconfig, gcc
    and ld: 36 processes, ≈ 0.3 s of every PDF command. Each list also holds the library's
    Linux soname, which the dynamic loader opens without help, so on Linux ``find_library``
    answers "not found" during the import. Should that not be enough (an unusual system), the
    import is done again the ordinary way. With other threads running (a server, a flow's task
    runner) it is the ordinary import: swapping a module's function and stdout would be theirs
    too.
    """
    import threading

    if (
        "weasyprint" in sys.modules
        or not sys.platform.startswith("linux")
        or threading.active_count() > 1
    ):
        import weasyprint

        return weasyprint
    import contextlib
    import ctypes.util
    import io

    real = ctypes.util.find_library
    ctypes.util.find_library = _not_found
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # its hint on a failed load
            import weasyprint

        return weasyprint
    except OSError:
        for name in [m for m in sys.modules if m.partition(".")[0] == "weasyprint"]:
            del sys.modules[name]
    finally:
        ctypes.util.find_library = real
    import weasyprint

    return weasyprint


def _not_found(name: str) -> None:
    return None


def get_ready() -> None:
    """What laying out a PDF needs, done ahead (in a worker process, :mod:`reports.background`;
    its charts are drawn elsewhere: :func:`reports.charts.get_ready`). (A warm-up document does
    not pay: a first document lays out no slower than a second.)"""
    import_weasyprint()
