"""The progress report's *vastgelegd op* of a plan-file edit is the office's day: an edit synced
at 00:30 in Amsterdam (23:30 UTC the day before) was recorded on the Amsterdam day. A report
archived with layout 4 keeps UTC's date, so that it reproduces. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from regie.bootstrap import App
from tests.integration.reports_scenario import migrated_app
from tests.integration.test_plan_edits_as_of import FIRST_SYNC, _edit_plan, _sync

#: 00:30 on 20 December 2016 in Amsterdam (UTC+1): still 19 December in UTC.
EDIT_SYNC = datetime(2016, 12, 19, 23, 30, tzinfo=UTC)


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:
    return migrated_app(tmp_path / "home", database_url)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_an_edit_just_after_midnight_is_recorded_on_the_office_day(app: App, fmt: str) -> None:
    from regie.reports import _progress_report, render_progress

    _sync(app, FIRST_SYNC)
    _edit_plan(app)
    _sync(app, EDIT_SYNC)
    start, end, as_of = date(2015, 1, 1), date(2016, 12, 31), date(2017, 1, 10)
    report, _ = _progress_report(app, start, end, as_of)
    text = render_progress(report, fmt).decode()
    assert "Q4-2015 → Q2-2017 (vastgelegd op 20 december 2016)" in text
    assert "19 december 2016" not in text
    # Layout 4 (archived before this fix) shows the date as it did, byte for byte.
    old, _ = _progress_report(app, start, end, as_of, layout=4)
    assert (
        "Q4-2015 → Q2-2017 (vastgelegd op 19 december 2016)" in render_progress(old, fmt).decode()
    )
