"""The office's *Opvolging* page in headless Chromium, as the other office pages are checked
(tests/integration/test_web_layout_browser.py): at a laptop's 1366 px and a phone's 360 px it
does not scroll sideways, every row links to its item, and axe finds no serious or critical
violation (WCAG 2.1 A/AA); on a phone the rows are labelled cards."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.integration.browser import axe_violations, save_artifact
from tests.integration.test_web_follow_up import _scenario
from tests.integration.test_web_layout_browser import WIDTHS, _show

if TYPE_CHECKING:
    from playwright.sync_api import Page


@pytest.fixture(scope="module")
def follow_up_html(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The page as the app serves it on the scenario's day (the module's one database)."""
    with pytest.MonkeyPatch.context() as patch:
        _, web = _scenario(tmp_path_factory.mktemp("follow-up"), "", patch)
        got = web.get("/opvolging")
    assert got.status_code == 200
    return got.text


@pytest.mark.parametrize("size", WIDTHS, ids=["1366px", "360px"])
def test_the_follow_up_page_fits_links_each_item_and_passes_axe(
    page: Page, follow_up_html: str, size: dict[str, int]
) -> None:
    page.set_viewport_size(size)
    _show(page, follow_up_html)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= size["width"], (size, width)
    links = page.locator('main table.follow-up td[data-label="Nr"] a')
    assert links.count() > 3
    assert links.first.get_attribute("href") == f"/items/{links.first.inner_text()}"
    assert page.get_by_role("link", name="Opvolging").get_attribute("aria-current") == "page"
    assert page.get_by_role("table", name="Berichten die hun ontvanger niet bereikten").count()
    assert axe_violations(page) == []
    if size["width"] == 360:  # a labelled card per row: the labels are the column headers
        card = page.locator("main table.follow-up tbody tr").first
        label = card.locator('td[data-label="Gevraagd sinds"]')
        assert label.is_visible()
        before = page.evaluate(
            "getComputedStyle(document.querySelector("
            "'main table.follow-up td[data-label=\"Gevraagd sinds\"]'), '::before').content"
        )
        assert "Gevraagd sinds" in before
        save_artifact(page, "follow-up-360px.png")
    else:
        assert page.locator("main table.follow-up thead th").first.is_visible()
        save_artifact(page, "follow-up-1366px.png")
