"""Archived progress reports (layouts 3–7) and agenda packs (layouts 1, 2, 4–8) of a year with every
kind of change (tests/integration/changes_scenario.py: an owner change, items removed from the
plan, a decision that drops an item and one that brings it back, the office's correction, a
date moved in the plan file, steps better and worse) are made again byte for byte: golden files
frozen from the code as it was. The templates every layout shares (``_progress_texts.j2``,
``_since.j2``, ``_asked.j2``) word these changes: a change to them shows here before it reaches
an archived document. ``REGIE_UPDATE_GOLDEN=1`` writes the files (only for a new layout)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from regie.bootstrap import App
from tests.integration.changes_scenario import (
    MEETING,
    PACK_AS_OF,
    REPORT_AS_OF,
    REPORT_END,
    REPORT_START,
    changes_app,
)

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
UPDATE = os.environ.get("REGIE_UPDATE_GOLDEN") == "1"
REPORT = "voortgang_2016-01-01_2016-12-31_asof_2017-01-03.changes"
PACK = "agenda_stuurgroep_2016-10-11_asof_2016-10-01.changes"


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:
    return changes_app(tmp_path / "home", database_url)


def _differs(name: str, content: bytes) -> list[str]:
    """[name] when ``content`` is not the golden file's (written first with UPDATE)."""
    path = GOLDEN / name
    if UPDATE:
        path.write_bytes(content)
    return [] if path.exists() and path.read_bytes() == content else [name]


def test_archived_progress_reports_with_every_change_are_made_again(app: App) -> None:
    from regie.reports import _progress_report, render_progress, render_progress_annex

    differ: list[str] = []
    made: dict[tuple[int, str], str] = {}
    for layout in (3, 4, 5, 6, 7):
        report, _ = _progress_report(app, REPORT_START, REPORT_END, REPORT_AS_OF, layout=layout)
        for fmt in ("md", "html"):
            content = render_progress(report, fmt)
            differ += _differs(f"{REPORT}.layout{layout}.{fmt}", content)
            made[layout, fmt] = content.decode()
        differ += _differs(f"{REPORT}.layout{layout}.bijlage.html", render_progress_annex(report))
    assert differ == [], f"differ from the golden files: {differ}"
    # What the goldens hold: every word the shared template has for a change.
    for (layout, fmt), text in made.items():
        for words in (
            "eigenaar gewijzigd: PIANOo → IenM (vastgelegd op 21 september 2016)",
            "uit het plan verwijderd zonder besluit, met 3.6.1, 3.6.2 (vastgelegd op",
            "Onderzoek Rijksinkoop gaat toch door (hersteld)",
            "datum gewijzigd in het plan zonder besluit: 2016 → Q1-2017 (vastgelegd op",
            "toelichting eigenaar: ",
            "vervallen",
            "geen datum",
        ):
            assert words in text, (layout, fmt, words)
        office = "toelichting van het programmabureau: Correctie: de datum"
        assert (office in text) is (layout >= 6), (layout, fmt)


def test_archived_packs_with_every_change_are_made_again(app: App) -> None:
    from regie.reports import _agenda_pack, render_agenda

    differ: list[str] = []
    made: dict[tuple[int, str], str] = {}
    for layout in (1, 2, 4, 5, 6, 7, 8):
        # Layout 1: archived without a layout, its data read as layout 1 read them (the current
        # layout's stale clock differs: fresh50).
        pack, _ = _agenda_pack(app, "stuurgroep", MEETING, PACK_AS_OF, layout=layout)
        for fmt in ("md", "html"):
            content = render_agenda(pack, fmt, layout=layout)
            differ += _differs(f"{PACK}.layout{layout}.{fmt}", content)
            made[layout, fmt] = content.decode()
    assert differ == [], f"differ from the golden files: {differ}"
    for (layout, fmt), text in made.items():
        for words in (
            "eigenaar gewijzigd: PIANOo → IenM (vastgelegd op 21-09-2016)",
            "uit het plan verwijderd zonder besluit (vastgelegd op 21-09-2016)",
            "weer opgenomen, gereed Q3-2016",
            "datum gewijzigd in het plan zonder besluit: 2016 → Q1-2017",
        ):
            assert words in text, (layout, fmt, words)
        if layout >= 2:  # layout 1 said nothing of colours
            assert "Verslechterd sinds de vorige vergadering" in text, (layout, fmt)
            assert "oranje → rood" in text and "oranje → groen" in text, (layout, fmt)
        assert ("Verbeterd sinds de vorige vergadering" in text) is (layout >= 6), (layout, fmt)


def test_the_change_counts_take_the_plural_from_layout_21(app: App) -> None:
    """walk56d 4: *2 eigenaar gewijzigd* (layout 20 and before, as archived) is *2 eigenaren
    gewijzigd* from layout 21 on; a count of one keeps the singular noun."""
    from regie.reports import _agenda_pack, render_agenda

    said = {}
    for layout in (20, 21):
        pack, _ = _agenda_pack(app, "stuurgroep", MEETING, PACK_AS_OF, layout=layout)
        text = render_agenda(pack, "md", layout=layout).decode()
        said[layout] = next(line for line in text.splitlines() if " gereed gekomen, " in line)
    assert "1 datum gewijzigd, 2 eigenaar gewijzigd," in said[20]
    assert "1 datum gewijzigd, 2 eigenaren gewijzigd," in said[21]
