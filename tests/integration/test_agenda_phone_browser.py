"""Review "stuurgroep" finding 8 in headless Chromium: the mailed agenda pack (its HTML) reads
on a phone (375 px): no page wider than the screen, the question of each point ter
besluitvorming on screen, the step tables' rows as cards with their column names; printed, the
tables stay tables. Layout only: the database makes no difference (SQLite).

A phone is Chromium's mobile emulation (``phone_page``: device metrics, the meta viewport
honoured), not a narrow desktop window, which ignores a missing viewport (walk58c 1: the pack
had none, so a phone laid it out 980 px wide, zoomed out). The annex and the progress report
reflow at 320 px too (agenda layout 23, progress layout 22: the shared ``_phone.css.j2``)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pytest

from regie.reports import (
    _progress_report,
    agenda_pack,
    render_agenda,
    render_agenda_annex,
    render_progress,
    render_progress_annex,
)
from tests.integration.browser import phone_page, save_artifact
from tests.integration.reports_scenario import AS_OF, MEETING, migrated_app, seed_scenario

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, Page

    from regie.bootstrap import App

PHONE = {"width": 375, "height": 812}
START, END = date(2015, 7, 1), date(2015, 12, 31)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> App:
    home = tmp_path_factory.mktemp("phone") / "home"
    app = migrated_app(home, f"sqlite:///{home.parent / 'regie.db'}")
    seed_scenario(app)
    return app


@pytest.fixture(scope="module")
def pack_html(app: App) -> str:
    return render_agenda(agenda_pack(app, "stuurgroep", MEETING, AS_OF), "html").decode()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    with phone_page(browser, **PHONE) as page:
        yield page


def _reflows(page: Page, html: str, artifact: str, width: int) -> None:
    """Laid out at the phone's width (the viewport honoured: without it 980 px), nothing wider
    than the screen."""
    page.set_content(html)
    save_artifact(page, artifact, full_page=False)  # a full page of a long pack times out
    assert page.evaluate("window.innerWidth") == width
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_the_pack_reads_on_a_phone(phone: Page, pack_html: str) -> None:
    page = phone
    _reflows(page, pack_html, "agenda-pack-375.png", PHONE["width"])
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


def test_the_annex_reads_on_a_phone_of_320_px(browser: Browser, app: App) -> None:
    """The annex's points ter besluitvorming as cards (before: 618 px wide, no phone rules)."""
    annex = render_agenda_annex(agenda_pack(app, "stuurgroep", MEETING, AS_OF)).decode()
    with phone_page(browser, 320, 640) as page:
        _reflows(page, annex, "agenda-annex-320.png", 320)
        heads = page.evaluate(
            "() => [...document.querySelectorAll('table.cards thead')]"
            ".map(h => getComputedStyle(h).display)"
        )
        assert set(heads) <= {"none"}


def test_the_progress_report_and_its_annex_read_on_a_phone_of_320_px(
    browser: Browser, app: App
) -> None:
    """Before progress layout 22 the report had no viewport and no narrow-screen rules: 614 px
    wide, the whole page scrolled sideways. Now only a wide table scrolls, on its own."""
    report, _ = _progress_report(app, START, END, AS_OF)
    with phone_page(browser, 320, 640) as page:
        _reflows(page, render_progress(report, "html").decode(), "voortgang-320.png", 320)
        tables = page.evaluate(
            "() => [...document.querySelectorAll('table')].map(t => getComputedStyle(t).overflowX)"
        )
        assert tables and set(tables) == {"auto"}
        _reflows(page, render_progress_annex(report).decode(), "voortgang-bijlage-320.png", 320)
