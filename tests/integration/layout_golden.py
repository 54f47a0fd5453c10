"""What every layout test of a pack or report repeats (review54b 10): the plan stored as synced
at a fixed moment (the documents show no wall clock), and a document made at a layout, equal to
its golden file and made again byte for byte from the archive."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import pytest

if TYPE_CHECKING:
    from regie.bootstrap import App
    from regie.report_archive import Rendered

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
UPDATE = os.environ.get("REGIE_UPDATE_GOLDEN") == "1"


def synced_at(app: App, now: datetime) -> None:
    """The plan file stored as synced at ``now``."""
    from store import sync_plan

    plan = app.load_plan()
    with app.session() as session, session.begin():
        sync_plan(session, plan, now=now, plan_path=str(plan.path))


def made_at(
    app: App,
    monkeypatch: pytest.MonkeyPatch,
    kind: Literal["agenda", "voortgang"],
    layout: int,
    make: Callable[[], Rendered],
    golden: str | None = None,
) -> str:
    """The document ``make`` archives with the ``kind``'s layout set to ``layout``: equal to
    the golden file ``golden`` (None: none kept; written first with ``REGIE_UPDATE_GOLDEN=1``
    when ``layout`` is the one in force) and made again byte for byte by `regie report
    reproduce`. Its text with every run of whitespace one space, for ``in`` checks."""
    from governance import progress
    from regie import report_build
    from regie.reports import reproduce

    module, name = (report_build, "AGENDA_LAYOUT") if kind == "agenda" else (progress, "LAYOUT")
    current = getattr(module, name)
    with monkeypatch.context() as then:
        then.setattr(module, name, layout)
        made = make()
    assert made.parameters["layout"] == layout
    if golden is not None:
        if UPDATE and layout == current:
            (GOLDEN / golden).write_bytes(made.content)
        assert made.content == (GOLDEN / golden).read_bytes(), golden
    again = reproduce(app, made.archive_id or 0)
    assert again.matches and again.content == made.content
    return " ".join(made.content.decode().split())
