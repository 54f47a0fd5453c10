"""walk56d 7: a moved meeting's old day in the body's feed says where the meeting went, as the
members' notice did ("Verplaatst naar vrijdag 13 juni 2025"); a meeting that was cancelled, or a
move nobody was told of, still reads "Vervallen". Read by ical.js, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from regie.bootstrap import App
from regie.feeds import build_feed
from regie.prepare import prepare_meetings
from tests.integration.answer_app import answers_app
from tests.integration.feed_clients import ical_js
from tests.integration.test_meeting_notices import DAYS, FIRST_RUN, MOVE_DAY, _plan

TITLE = "Stuurgroep Fietsroutes"


def _feed(app: App, as_of: date) -> dict[str, dict[str, Any]]:
    """The stuurgroep's feed for ``as_of`` by meeting day, built as the server builds it."""
    from feeds.scope import parse_scope

    plan = app.load_plan()
    body = build_feed(app, plan, parse_scope("body:stuurgroep", plan), as_of).body
    return {e["uid"].split("@")[0].removeprefix("stuurgroep-"): e for e in ical_js(body)["events"]}


def test_a_told_move_says_where_the_meeting_went_and_a_cancellation_says_vervallen(
    migrated_url: str, tmp_path: Path
) -> None:
    plan_file = _plan(tmp_path / "plan.yaml", DAYS)
    app = answers_app(migrated_url, tmp_path / "home", plan_file)
    prepare_meetings(app, FIRST_RUN)
    assert _feed(app, FIRST_RUN)["2025-06-12"]["summary"] == TITLE

    # 12 June moves to Friday 13 June and 14 August is dropped; the members are told both.
    _plan(plan_file, ("2025-06-13", DAYS[1]))
    told = prepare_meetings(app, MOVE_DAY)
    assert told.changed == [
        "stuurgroep 2025-06-12 moved to 2025-06-13", "stuurgroep 2025-08-14 cancelled"
    ]  # fmt: skip
    feed = _feed(app, MOVE_DAY)
    moved, dropped = feed["2025-06-12"], feed["2025-08-14"]
    assert (moved["status"], moved["sequence"]) == ("CANCELLED", 1)
    assert moved["summary"] == f"Verplaatst naar vrijdag 13 juni 2025: {TITLE}"
    assert "de vergadering is verplaatst naar vrijdag 13 juni 2025." in moved["description"]
    assert "niet meer in de planning" not in moved["description"]
    assert feed["2025-06-13"]["status"] == "CONFIRMED"
    assert (dropped["status"], dropped["summary"]) == ("CANCELLED", f"Vervallen: {TITLE}")
    assert "op deze datum staat de vergadering niet meer in de planning" in dropped["description"]
    # Built again: the same events (the told move is stable, SEQUENCE raised once).
    assert _feed(app, MOVE_DAY) == feed


def test_a_move_nobody_was_told_of_stays_a_cancellation(migrated_url: str, tmp_path: Path) -> None:
    """The feed is built before the cycle told the members (the plan just edited): the old day
    reads "Vervallen"; once they are told, it says where the meeting went."""
    plan_file = _plan(tmp_path / "plan.yaml", DAYS)
    app = answers_app(migrated_url, tmp_path / "home", plan_file)
    prepare_meetings(app, FIRST_RUN)
    _feed(app, FIRST_RUN)
    _plan(plan_file, ("2025-06-13", *DAYS[1:]))
    before = _feed(app, MOVE_DAY)["2025-06-12"]
    assert before["summary"] == f"Vervallen: {TITLE}"
    prepare_meetings(app, MOVE_DAY)
    after = _feed(app, MOVE_DAY)["2025-06-12"]
    assert after["summary"] == f"Verplaatst naar vrijdag 13 juni 2025: {TITLE}"
    assert after["sequence"] == before["sequence"] == 1  # a new text, not another move
    assert after["lastModified"] > before["lastModified"]
