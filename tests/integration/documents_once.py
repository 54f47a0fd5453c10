"""A pack's PDF and charts made once per test process for the same input.

Laying a pack's PDF out (WeasyPrint) and drawing its charts (matplotlib) is most of what a
meeting preparation costs (≈ 2–4 CPU-s per pack), and tests of what a pack *says* or which
packs are sent (the same seed scenario, on SQLite and then on PostgreSQL) make the same PDF
and the same charts again and again. Both are pure functions of their input (the archive's
hashes and ``reproduce`` rely on that), so for such tests the first call with an input is the
real one and a later call with the same input gets its bytes: a test that reads what a PDF says
still reads a PDF laid out from that very HTML. Tests that a document is the same bytes again
(reproduced, made in a worker or in-process) must make it each time and do not use this: the
``documents_made_once`` fixture is asked for by name, test by test.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable
from typing import Any

import pytest

#: (function, sha256 of its pickled arguments) → what it returned and the test that made it:
#: this process's.
_MADE: dict[tuple[str, str], tuple[Any, object]] = {}


def _once(name: str, real: Callable[..., Any], test: object) -> Callable[..., Any]:
    def made_once(*args: Any, **kwargs: Any) -> Any:
        key = (name, hashlib.sha256(pickle.dumps((args, kwargs))).hexdigest())
        found = _MADE.get(key)
        if found is None:
            found = _MADE[key] = (real(*args, **kwargs), test)
        elif found[1] is test:
            # Made again within the test that made it (a "comes out the same again" check):
            # made for real, never the kept bytes compared with themselves (review52).
            again = real(*args, **kwargs)
            assert again == found[0], f"{name} made different output for the same input"
        made = found[0]
        return dict(made) if isinstance(made, dict) else made  # a caller's own dict

    return made_once


def make_documents_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """PDFs and charts made once per input in this process, for the test ``monkeypatch``
    belongs to (the ``documents_made_once`` fixture)."""
    from reports import charts, pdf

    test = object()  # this test's token
    monkeypatch.setattr(pdf, "html_to_pdf", _once("html_to_pdf", pdf.html_to_pdf, test))
    for chart in ("rag_summary", "timeline"):
        monkeypatch.setattr(charts, chart, _once(chart, getattr(charts, chart), test))
