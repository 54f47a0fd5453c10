"""Headless Chromium (Debian's package) driven by Playwright, and an axe-core scan — reusable:
tests/conftest.py registers this module as a plugin, so any test can ask for ``browser`` or
``page`` and call :func:`axe_violations` / :func:`save_artifact`.

No browser is downloaded: Playwright drives /usr/bin/chromium (``REGIE_TEST_CHROMIUM``
overrides). Outside CI the tests skip when Chromium or Playwright is missing; in CI they fail.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "tests" / "js" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(os.environ.get("REGIE_TEST_ARTIFACTS") or ROOT / "var" / "test-artifacts")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def _missing(what: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the browser tests: {what}")
    pytest.skip(what)


# Module scope, not session: Playwright's sync API keeps an event loop running in the main
# thread while it is open, and Prefect then treats every later test as async
# (`state.result()` returns a coroutine).
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = os.environ.get("REGIE_TEST_CHROMIUM") or shutil.which("chromium")
    if not executable:
        _missing("Chromium not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright not installed (pip install -e '.[dev]')")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_FLAGS, headless=True
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh context (no cookies) per test; CSP bypassed only so axe-core can be injected."""
    context = browser.new_context(locale="nl-NL", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@contextmanager
def phone_page(browser: Browser, width: int = 375, height: int = 812) -> Iterator[Page]:
    """A page in a phone's emulated device metrics (``is_mobile``: the meta viewport counts,
    as on a phone; without one Chromium lays the page out 980 px wide and zooms it out). A
    desktop window of the same width ignores the viewport, so only this shows it missing."""
    context = browser.new_context(
        locale="nl-NL", viewport={"width": width, "height": height}, device_scale_factor=2,
        is_mobile=True, has_touch=True, bypass_csp=True,
    )  # fmt: skip
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        yield page
    finally:
        context.close()


def axe_violations(page: Page, impacts: tuple[str, ...] = ("serious", "critical")) -> list[Any]:
    """Run axe-core (WCAG 2.1 A/AA rules) on the page; the violations of the given impacts."""
    if not AXE.exists():
        _missing("axe-core not installed (npm ci --prefix tests/js)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}
        })"""
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def save_artifact(page: Page, name: str, *, full_page: bool = True) -> Path:
    """A screenshot kept after the run (var/test-artifacts/ or $REGIE_TEST_ARTIFACTS)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=full_page)
    return path


def appears(locator: Locator) -> bool:
    """Whether the locator is (or becomes, within the page's timeout) visible.

    ``is_visible()`` does not wait: right after a click that submits a form, Playwright has
    only seen the navigation start, and the check may still run on the old page (a flaky CI
    failure after *Intrekken*). Raises Playwright's TimeoutError when it never shows.
    """
    locator.wait_for(state="visible")
    return True
