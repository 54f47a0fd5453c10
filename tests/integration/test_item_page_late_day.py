"""The item page marks a back-dated update *nagekomen* by the office's date, as the reports do
(:func:`governance.agenda.recorded_late`), not by UTC's: recorded at 00:30 in Amsterdam (22:30
UTC in summer) two days after the day it reports for, it came in late; UTC's date says one."""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from pathlib import Path

import pytest

import governance.clock
from regie.history import record_update
from tests.integration.test_web_item_page import _app, _client, visible

REPORTED = date(2027, 6, 29)
RECORDED = datetime(2027, 6, 30, 22, 30, tzinfo=UTC)  # 1 July, 00:30 in Amsterdam


def test_a_late_update_is_marked_by_the_office_s_date(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Frozen(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> Frozen:  # type: ignore[override]
            return cls.fromtimestamp(RECORDED.timestamp(), tz)

    app = _app(tmp_path, migrated_url)
    with monkeypatch.context() as clock:  # Regie's one clock, while the answer is stored
        clock.setattr(governance.clock, "datetime", Frozen)
        record_update(app, "2.3.1", "at_risk", as_of=REPORTED, forecast=None,
                      completed_on=None, comment="Laat doorgegeven", author=None)  # fmt: skip

    page = _client(app).get(f"/items/2.3.1?datum={REPORTED.isoformat()}")
    assert page.status_code == 200
    shown = visible(page.text)
    assert "Laat doorgegeven" in shown
    assert "nagekomen, vastgelegd op 1 juli 2027" in shown
    assert "30 juni 2027" not in shown
