"""The item page with its status updates' sources in Dutch, in headless Chromium against the
real `regie serve`: the "Bron" column reads as the page's other columns do (also as a phone
card), and axe-core finds nothing serious."""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

import pytest

from governance.labels import SOURCE_LABELS
from tests.cli_in_process import regie
from tests.integration.browser import axe_violations
from tests.integration.server import Server, running_server
from tests.integration.test_web_a11y_browser import PHONE
from tests.integration.test_web_browser import FIXTURE, PASSWORD, _regie_stdin, log_in

if TYPE_CHECKING:
    from playwright.sync_api import Page


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Server:
    tmp = tmp_path_factory.mktemp("sources")
    plan = tmp / "plan.yaml"
    shutil.copy(FIXTURE, plan)
    env = {"REGIE_HOME": str(tmp / "home"), "REGIE_PLAN": str(plan), "REGIE_DATABASE_URL": ""}
    for args in (
        ("sync",),
        ("update", "1.1.2", "--status", "at_risk", "--comment", "Offerte loopt",
         "--author", "kbakker", "--as-of", "2016-03-01"),
    ):  # fmt: skip
        result = regie(*args, env=env)
        assert result.code == 0, result.err
    added = _regie_stdin(env, PASSWORD + "\n", "user", "add", "office", "--name", "P. Bureau",
                         "--password-stdin")  # fmt: skip
    assert added.returncode == 0, added.stderr
    with running_server(env) as running:
        yield running


def test_the_source_column_is_dutch_and_passes_axe(page: Page, server: Server) -> None:
    log_in(page, server)
    page.goto(server.url + "/items/1.1.2")
    cell = page.locator('td[data-label="Bron"]')
    assert cell.all_inner_texts() == [SOURCE_LABELS["cli"]]
    assert axe_violations(page) == []
    page.set_viewport_size(PHONE)
    assert cell.first.is_visible()
    assert int(page.evaluate("document.documentElement.scrollWidth")) <= PHONE["width"]
    assert axe_violations(page) == []
