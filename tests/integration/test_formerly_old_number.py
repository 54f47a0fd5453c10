"""The old number of an item renumbered with ``formerly`` (walk55a 5): `regie status OLD` and
`regie update OLD` give one answer, naming the new number (no empty table, exit 0), and the
old item's page names the new number with a link to it. An id that left the plan without
``formerly`` is answered as before. The answers test plan ("wegen-test"), SQLite and
PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from regie.bootstrap import App
from tests.cli_in_process import regie
from tests.integration.answer_app import ANSWERS_PLAN
from tests.integration.link_setup import link_app
from tests.integration.test_formerly import WITH_FORMERLY, WITHOUT_FORMERLY, _edit, _env, _sync
from tests.integration.test_item_page_decision_author import _client
from tests.integration.test_web_item_page import visible

RENUMBERED = (
    "1.1.1: renumbered to 1.1.3 (formerly): its history is under 1.1.3; use `regie {} 1.1.3`"
)


@pytest.fixture
def app(migrated_url: str, tmp_path: Path) -> App:
    plan = tmp_path / "plan.yaml"
    plan.write_text(ANSWERS_PLAN.read_text(encoding="utf-8"), encoding="utf-8")
    app = link_app(migrated_url, tmp_path / "home", plan)
    assert regie("sync", env=_env(app)).code == 0
    return app


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_status_of_the_old_number_names_the_new_one(app: App, fmt: str) -> None:
    _edit(app, *WITH_FORMERLY)
    _sync(app)
    shown = regie("status", "1.1.1", "--format", fmt, env=_env(app))
    assert shown.code != 0 and shown.out == ""
    assert shown.err.strip().endswith(RENUMBERED.format("status")), shown.err
    assert regie("status", "1.1.3", env=_env(app)).code == 0


def test_update_of_the_old_number_names_the_new_one(app: App) -> None:
    _edit(app, *WITH_FORMERLY)
    _sync(app)
    refused = regie("update", "1.1.1", "-s", "on_track", "--comment", "x", env=_env(app))
    assert refused.code != 0
    assert refused.err.strip().endswith(RENUMBERED.format("update")), refused.err


def test_an_id_removed_without_formerly_is_answered_as_before(app: App) -> None:
    _edit(app, *WITHOUT_FORMERLY)
    _sync(app)
    shown = regie("status", "1.1.1", env=_env(app))
    assert shown.code == 0 and "renumbered" not in shown.out + shown.err
    refused = regie("update", "1.1.1", "-s", "on_track", env=_env(app))
    assert "no such action or milestone" in refused.err and "renumbered" not in refused.err


def test_the_old_item_s_page_names_and_links_the_new_number(app: App) -> None:
    _edit(app, *WITH_FORMERLY)
    _sync(app)
    page = _client(app).get("/items/1.1.1")
    assert page.status_code == 200
    text = visible(page.text)
    assert "1.1.1 is op " in text and " hernummerd tot 1.1.3 ; de geschiedenis is meegegaan" in text
    assert "Stand hernummerd tot 1.1.3 RAG" in text
    assert 'href="/items/1.1.3"' in page.text
    assert "uit het plan gehaald" not in text


def test_an_item_removed_without_formerly_keeps_its_page(app: App) -> None:
    _edit(app, *WITHOUT_FORMERLY)
    _sync(app)
    text = visible(_client(app).get("/items/1.1.1").text)
    assert "uit het plan gehaald" in text and "hernummerd" not in text
