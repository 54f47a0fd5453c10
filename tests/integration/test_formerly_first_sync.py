"""A ``formerly`` written in the plan from the start (an item renumbered before Regie was
adopted, walk56a 2): the first sync has no old id to carry, and says so at the item's line
instead of nothing; an import row for the old number names the item that says ``formerly`` it.
The answers test plan ("wegen-test"), SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from regie.bootstrap import App
from tests.cli_in_process import regie
from tests.integration.answer_app import ANSWERS_PLAN
from tests.integration.link_setup import link_app
from tests.integration.test_formerly import WITH_FORMERLY, _edit, _env, _line_of


@pytest.fixture
def app(migrated_url: str, tmp_path: Path) -> App:
    """Not synced yet; its plan renumbers 1.1.1 to 1.1.3 from the start."""
    plan = tmp_path / "plan.yaml"
    plan.write_text(ANSWERS_PLAN.read_text(encoding="utf-8"), encoding="utf-8")
    app = link_app(migrated_url, tmp_path / "home", plan)
    _edit(app, *WITH_FORMERLY)
    return app


def test_the_first_sync_says_a_formerly_carries_nothing(app: App) -> None:
    path = Path(app.settings.plan_path)
    line = _line_of(path, '          - id: "1.1.3"')
    first = regie("sync", env=_env(app))
    assert first.code == 0, first.err
    said = [s for s in (first.out + first.err).splitlines() if "formerly" in s]
    assert said == [
        f"warning: {path}:{line}:13: 1.1.3 says formerly: '1.1.1', but nothing was carried "
        "over: the database has no 1.1.1: this is the programme's first sync, so a "
        "renumbering from before Regie brings no history, and answers for 1.1.1 are not in "
        "the plan (import them under the new id)"
    ]
    again = regie("sync", env=_env(app))  # said once, as a carried formerly is
    assert again.code == 0, again.err
    assert "formerly" not in again.out + again.err


def test_an_import_row_for_the_old_number_names_the_new_one(app: App, tmp_path: Path) -> None:
    assert regie("sync", env=_env(app)).code == 0
    sheet = tmp_path / "historie.csv"
    sheet.write_text(
        "item;status;forecast;completed_on;note;contact\n1.1.1;on_track;;;Loopt;anna\n",
        encoding="utf-8",
    )
    refused = regie("import-updates", str(sheet), "--as-of", "2025-06-02", env=_env(app))
    assert refused.code == 2
    assert f"{sheet}:2: 1.1.1: not in the plan (1.1.3 says formerly: 1.1.1)" in refused.err
