"""PDF from the report's HTML with WeasyPrint (Pango from Debian: see .ci/run)."""

from __future__ import annotations

import sys
from typing import Any


def html_to_pdf(html: str) -> bytes:
    result: bytes = (
        import_weasyprint().HTML(string=html, base_url=None).write_pdf(uncompressed_pdf=False)
    )
    return result


def import_weasyprint() -> Any:
    """WeasyPrint, imported without ``ctypes.util.find_library``'s helper processes.

    WeasyPrint tries several names per library (for Windows, macOS and Linux); cffi hands
    each name it cannot open directly to ``find_library``, which on Linux runs ldconfig, gcc
    and ld: 36 processes, ≈ 0.3 s of every PDF command. Each list also holds the library's
    Linux soname, which the dynamic loader opens without help, so on Linux ``find_library``
    answers "not found" during the import. Should that not be enough (an unusual system), the
    import is done again the ordinary way.
    """
    if "weasyprint" in sys.modules or not sys.platform.startswith("linux"):
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
    """What a PDF with charts needs before its first chart, done ahead (in a worker process,
    :mod:`reports.background`): matplotlib with its font list, and WeasyPrint. (A warm-up
    document does not pay: a first document lays out no slower than a second.)"""
    from reports.charts import get_ready as charts_ready

    charts_ready()
    import_weasyprint()
