"""walk55d 1 in the closing meeting's pack (agenda layout 20): 1.3 (*Afhankelijk van …*,
``depends_on: 1.1``) after 1.1 was cancelled has no date counted from the cancellation; the
pack asks its date and says the predecessor was cancelled, in the question and in the table;
layout 19 is made again as built (1.3 dated from the cancellation, late). SQLite and
PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_in_process import regie
from tests.integration.test_closing_meeting import _closing_env
from tests.integration.test_closing_pack import _pack
from tests.integration.test_programme_end import _app

QUESTION = (
    "Datum vaststellen voor 1.3, nu voorganger 1.1 is vervallen, of het punt laten vervallen?"
)


def test_a_cancelled_predecessor_is_said_and_its_dependents_date_asked(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = _closing_env(tmp_path, migrated_url)
    app = _app(env)
    cancel = regie(
        "update", "1.1", "--status", "cancelled", "--comment", "Geschrapt", "--as-of",
        "2025-11-03", env=env,
    )  # fmt: skip
    assert cancel.code == 0, cancel.err
    new = _pack(app, monkeypatch, 20)
    assert QUESTION in new
    assert "voorganger 1.1 vervallen" in new  # the item's line in the table
    # 1.3 is among the items without a date now, not waiting: nobody asks it after the end.
    assert "Daarnaast wacht" not in new
    old = _pack(app, monkeypatch, 19)
    assert "voorganger 1.1" not in old
    assert "Nieuwe datum vaststellen voor 1.3 of het punt laten vervallen?" in old


def test_the_progress_report_and_the_item_page_say_the_predecessor_was_cancelled(
    tmp_path: Path, migrated_url: str
) -> None:
    from regie.bootstrap import bootstrap
    from regie.config import load_settings
    from tests.integration.server import TEST_SECRET_KEY
    from tests.integration.test_web_item_page import _client, visible

    env = _closing_env(tmp_path, migrated_url)
    cancel = regie(
        "update", "1.1", "--status", "cancelled", "--comment", "Geschrapt", "--as-of",
        "2025-11-03", env=env,
    )  # fmt: skip
    assert cancel.code == 0, cancel.err
    report = regie(
        "report", "voortgang", "--from", "2025-07-01", "--to", "2025-12-31", "--as-of",
        "2026-01-15", "--format", "md", env={**env, "REGIE_SIMULATE": "1"},
    )  # fmt: skip
    assert report.code == 0, report.err
    text = " ".join(report.out.split())
    assert "1.3 " in text and "voorganger 1.1 vervallen" in text
    app = bootstrap(load_settings({**env, "REGIE_SECRET_KEY": TEST_SECRET_KEY}))
    page = _client(app).get("/items/1.3")
    assert page.status_code == 200
    assert "Voorganger vervallen 1.1: geen datum af te leiden" in visible(page.text)
