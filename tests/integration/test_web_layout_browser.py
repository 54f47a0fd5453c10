"""Long text does not widen the office's pages, and the phone overview is compact (walk57c 5,
11), in headless Chromium at a laptop's 1366 px and a phone's 360 px: a note with a long link,
a subscription's long description (one stored before the form limited it too), and the
overview's item cards, with the site's style sheet on the pages as the app serves them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.integration.browser import axe_violations, save_artifact
from tests.integration.test_web_item_page import _app, _client

if TYPE_CHECKING:
    from playwright.sync_api import Page
    from starlette.testclient import TestClient

CSS = Path(__file__).resolve().parents[2] / "web" / "static" / "regie.css"
URL = (
    "https://pzh.sharepoint.example.nl/sites/Deltaplan-Water/Gedeelde%20documenten/"
    "Voortgangsrapportage-Zoetwatervoorziening-2026-Q4.docx"
)
WIDTHS = ({"width": 1366, "height": 768}, {"width": 360, "height": 740})


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    from regie.feeds import create_token
    from regie.history import record_update
    from regie.services import sync

    app = _app(tmp_path_factory.mktemp("layout"), "")
    sync(app, None)
    record_update(
        app, "2.3.1", "at_risk", as_of=date(2015, 6, 1), forecast=date(2015, 9, 30),
        completed_on=None, comment=f"Vertraagd; zie {URL}", author=None,
    )  # fmt: skip
    now = datetime(2015, 6, 1, 9, tzinfo=UTC)
    create_token(app, "programme", "y" * 600, now)  # stored before the form's limit
    create_token(app, "programme", "x" * 200, now)
    return _client(app)


def _show(page: Page, html: str) -> None:
    page.set_content(html)
    page.add_style_tag(path=str(CSS))


@pytest.mark.parametrize("path", ["/", "/?stap=2", "/te-laat", "/items/2.3.1", "/agenda"])
def test_long_text_wraps_instead_of_widening_the_page(
    page: Page, office: TestClient, path: str
) -> None:
    got = office.get(path)
    assert got.status_code == 200
    for size in WIDTHS:
        page.set_viewport_size(size)
        _show(page, got.text)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= size["width"], (path, size, width)
    assert axe_violations(page) == [], path  # the new filters, the sections' list, the cards
    if path == "/agenda":  # the revoke buttons are on the screen, not 6000 px to the right
        button = page.get_by_role("button", name="Intrekken").first.bounding_box()
        assert button is not None and button["x"] + button["width"] <= 360
        save_artifact(page, "agenda-long-description-360px.png")


def test_a_phone_shows_an_item_in_a_compact_card(page: Page, office: TestClient) -> None:
    """The number and title share a line, as do state and RAG; a forecast or note not given
    is left out of the card; on a laptop the table keeps every column."""
    html = office.get("/?stap=1").text
    page.set_viewport_size(WIDTHS[1])
    _show(page, html)
    card = page.locator("main table.responsive tbody tr").first

    def top(label: str) -> float:
        box = card.locator(f'td[data-label="{label}"]').bounding_box()
        assert box is not None, label
        return box["y"]

    assert top("Nr") == top("Punt")
    assert top("Stand") == top("RAG")
    assert not card.locator('td[data-label="Prognose"]').is_visible()  # none given: "–"
    heights = page.evaluate(
        "[...document.querySelectorAll('main table.responsive tbody tr')].map(r => r.offsetHeight)"
    )
    assert max(heights) < 260, heights  # 279 to 303 px before: one line per cell
    save_artifact(page, "overview-cards-360px.png")
    page.set_viewport_size(WIDTHS[0])
    _show(page, html)
    assert card.locator('td[data-label="Prognose"]').is_visible()
    assert page.locator("main table.responsive thead th").first.is_visible()
