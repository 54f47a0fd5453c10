"""walk46 3: a body's last meeting that passed without an agenda pack is said for a few days,
truthfully (no next pack lists its decisions), not on every daily run for good. SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from regie.prepare import prepare_meetings
from store.states import record_assessed_day
from tests.integration.answer_app import answers_app
from tests.integration.test_meeting_notices import DAYS, FIRST_RUN, _plan


def test_a_last_meeting_without_a_pack_is_said_truthfully_for_its_pack_days(
    migrated_url: str, tmp_path: Path
) -> None:
    app = answers_app(migrated_url, tmp_path / "home", _plan(tmp_path / "plan.yaml", DAYS))
    assert prepare_meetings(app, FIRST_RUN).packs == []  # records the programme and its days
    with app.session() as session, session.begin():  # the daily run was there from May
        record_assessed_day(session, "wegen-test", FIRST_RUN, datetime.now(UTC))
    # No run from May until after the last meeting (14 August): it got no pack.
    after = prepare_meetings(app, date(2025, 8, 15))
    assert after.missed == ["stuurgroep 2025-08-14"]
    assert after.skipped == [
        "stuurgroep 2025-08-14: the meeting passed without an agenda pack (none was queued "
        "before it); stuurgroep has no meeting after it, so no pack lists its decisions"
    ]
    # Said up to five working days (pack_days) after the meeting, then no more.
    assert prepare_meetings(app, date(2025, 8, 21)).missed == ["stuurgroep 2025-08-14"]
    assert prepare_meetings(app, date(2025, 8, 22)).missed == []
    assert prepare_meetings(app, date(2025, 10, 1)).skipped == []
