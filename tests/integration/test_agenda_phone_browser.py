"""Review "stuurgroep" finding 8 in headless Chromium: the mailed agenda pack (its HTML) reads
on a phone (375 px): no page wider than the screen, the question of each point ter
besluitvorming on screen, the step tables' rows as cards with their column names; printed, the
tables stay tables. Layout only: the database makes no difference (SQLite)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from regie.reports import agenda_pack, render_agenda
from tests.integration.browser import save_artifact
from tests.integration.reports_scenario import AS_OF, MEETING, migrated_app, seed_scenario

if TYPE_CHECKING:
    from playwright.sync_api import Page

PHONE = {"width": 375, "height": 812}


@pytest.fixture(scope="module")
def pack_html(tmp_path_factory: pytest.TempPathFactory) -> str:
    home = tmp_path_factory.mktemp("phone") / "home"
    app = migrated_app(home, f"sqlite:///{home.parent / 'regie.db'}")
    seed_scenario(app)
    return render_agenda(agenda_pack(app, "stuurgroep", MEETING, AS_OF), "html").decode()


def test_the_pack_reads_on_a_phone(page: Page, pack_html: str) -> None:
    page.set_viewport_size(PHONE)
    page.set_content(pack_html)
    save_artifact(page, "agenda-pack-375.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    questions = page.locator("table.asked td.question")
    assert questions.count() > 10
    for n in range(questions.count()):
        box = questions.nth(n).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    # A step table's row is a card: each cell under its column's name, nothing overlaps.
    assert (
        page.evaluate(
            """() => getComputedStyle(document.querySelector('table.items td[data-label="Stand"]'),
                                  '::before').content"""
        )
        == '"Stand: "'
    )
    badge = page.locator("table.items td[data-label='RAG'] .rag").first.bounding_box()
    note = page.locator("table.items td[data-label='Laatste toelichting']").first.bounding_box()
    assert badge is not None and note is not None
    assert badge["y"] + badge["height"] <= note["y"]


def test_print_keeps_the_tables(page: Page, pack_html: str) -> None:
    page.set_viewport_size(PHONE)
    page.emulate_media(media="print")
    page.set_content(pack_html)
    shown = page.evaluate(
        """() => [...document.querySelectorAll('table.cards thead')]
                 .map(h => getComputedStyle(h).display)"""
    )
    assert shown and set(shown) == {"table-header-group"}


def test_the_pack_on_a_wide_screen_is_unchanged_tables(page: Page, pack_html: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.set_content(pack_html)
    assert (
        page.evaluate("() => getComputedStyle(document.querySelector('table.asked thead')).display")
        == "table-header-group"
    )
