"""A past day's view uses the plan as it stood then: a plan-file edit synced after the day (a
milestone added or removed, a date, owner or title changed) did not apply yet and is undone, in
`regie status --as-of` and in the reports (review longrun, finding 5). A revision is stamped with
the time of the sync that recorded it; the programme's first sync is the earliest plan known
and is never undone. SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from regie.bootstrap import App
from tests.cli_in_process import regie
from tests.integration.reports_scenario import cli_env, migrated_app

FIRST_SYNC = datetime(2015, 9, 1, 10, 0, tzinfo=UTC)
EDIT_SYNC = datetime(2016, 12, 20, 10, 0, tzinfo=UTC)  # 11:00 in Amsterdam, 20 December 2016


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:
    return migrated_app(tmp_path / "home", database_url)  # a copy of the seed plan


_env = cli_env


def _edit_plan(app: App) -> None:
    """The longrun review's December edit: 3.1.1 re-dated (and handed to PIANOo) without a
    decision, a new milestone 3.1.9; and 3.1.2 taken out."""
    path = Path(str(app.settings.plan_path))
    text = path.read_text(encoding="utf-8")
    old = (
        '          - id: "3.1.1"\n'
        "            title: Uitvoeren behoeftepeiling\n"
        '            gereed: "Q4-2015"\n'
        "            owners: [IenM]\n"
        '          - id: "3.1.2"\n'
        "            title: Verwerken uitkomsten in jaarprogramma\n"
        '            gereed: "Q4-2015"\n'
        "            owners: [PIANOo]\n"
        '            depends_on: ["3.1.1"]\n'
    )
    new = (
        '          - id: "3.1.1"\n'
        "            title: Uitvoeren behoeftepeiling\n"
        '            gereed: "Q2-2017"\n'
        "            owners: [PIANOo]\n"
        '          - id: "3.1.9"\n'
        "            title: Nieuwe actie evaluatie behoeftepeiling\n"
        '            gereed: "Q3-2017"\n'
        "            owners: [IenM]\n"
    )
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _sync(app: App, now: datetime) -> None:
    from store import sync_plan

    plan = app.load_plan()
    with app.session() as session, session.begin():
        sync_plan(session, plan, now=now, plan_path=str(plan.path))


def _rows(app: App, as_of: date) -> dict[str, dict[str, Any]]:
    from regie.services import status_rows

    return {row["id"]: row for row in status_rows(app, as_of)[1]}


def _as_first_planned(rows: dict[str, dict[str, Any]]) -> None:
    assert rows["3.1.1"]["gereed"] == "Q4-2015"
    assert rows["3.1.1"]["due"] == "2015-12-31"
    assert rows["3.1.1"]["owners"] == ["IenM"]
    assert "3.1.9" not in rows  # added later
    assert rows["3.1.2"]["gereed"] == "Q4-2015"  # taken out later
    assert rows["3.1.2"]["owners"] == ["PIANOo"]


def _as_edited(rows: dict[str, dict[str, Any]]) -> None:
    assert rows["3.1.1"]["gereed"] == "Q2-2017"
    assert rows["3.1.1"]["owners"] == ["PIANOo"]
    assert rows["3.1.9"]["gereed"] == "Q3-2017"
    assert "3.1.2" not in rows


def test_an_edit_synced_after_the_day_is_undone_one_synced_by_then_applies(app: App) -> None:
    _sync(app, FIRST_SYNC)
    _edit_plan(app)
    _sync(app, EDIT_SYNC)

    _as_first_planned(_rows(app, date(2016, 9, 1)))
    assert _rows(app, date(2016, 9, 1))["3.1.1"]["state"] == "overdue"
    _as_first_planned(_rows(app, date(2016, 12, 19)))
    _as_edited(_rows(app, date(2016, 12, 20)))  # synced that morning: the day's plan has it
    _as_edited(_rows(app, date(2017, 1, 10)))
    # Before the first sync: the plan as first synced, the earliest known.
    _as_first_planned(_rows(app, date(2015, 6, 1)))

    from regie.reports import progress_report, render_progress

    past = render_progress(
        progress_report(app, date(2015, 1, 1), date(2016, 6, 30), date(2016, 9, 1)), "md"
    ).decode()
    assert "3.1.9" not in past
    assert "Verwerken uitkomsten in jaarprogramma" in past  # 3.1.2, still in the plan then
    # The plan of that day has the old date; the later change without a decision is not
    # listed either (progress layout 22, walk58b 2: the edits up to its stand date); layout 21
    # listed it with the day it was recorded.
    assert "Q4-2015 → Q2-2017" not in past
    from regie.reports import _progress_report

    then, _ = _progress_report(
        app, date(2015, 1, 1), date(2016, 6, 30), date(2016, 9, 1), layout=21
    )
    assert "zonder besluit: Q4-2015 → Q2-2017 (vastgelegd op 20 december 2016)" in (
        render_progress(then, "md").decode()
    )
    later = render_progress(
        progress_report(app, date(2015, 1, 1), date(2016, 12, 31), date(2017, 3, 15)), "md"
    ).decode()
    assert "3.1.9" in later
    assert "Q4-2015 → Q2-2017" in later


def test_an_edit_synced_now_does_not_apply_to_a_past_day(app: App) -> None:
    """Revisions are stamped with the wall-clock time of the sync: in a replay of past days every
    simulated day precedes an edit synced now, so `--as-of` a past day shows the plan as first
    synced; today's view has the edit. A decision's own plan revisions count from its meeting."""
    env = _env(app)
    assert regie("sync", env=env).code == 0
    _edit_plan(app)
    synced = regie("sync", env=env)
    assert synced.code == 0, synced.err
    moved = regie("decision", "add", "--body", "stuurgroep", "--meeting", "2016-01-12",
                  "--text", "Verkenning klimaatambassadeur uitgesteld tot Q2-2016",
                  "--set-gereed", "1.3.1", "Q2-2016", env=env)  # fmt: skip
    assert moved.code == 0, moved.err

    shown = regie("status", "--as-of", "2016-09-01", "--format", "json", env=env)
    assert shown.code == 0, shown.err
    past = {row["id"]: row for row in json.loads(shown.out)}
    _as_first_planned(past)
    assert past["1.3.1"]["gereed"] == "Q2-2016"  # the decision of January 2016 stands

    from regie.services import today

    _as_edited(_rows(app, today(app)))


def test_a_calendar_export_for_a_past_day_shows_that_days_plan(app: App) -> None:
    """walk32b 6: `calendar export --as-of` showed today's plan where `status --as-of` showed
    the day's: a date moved (or an item added) after the day is not in the day's feed."""
    from icalendar import Calendar

    from regie.feeds import export_feed

    _sync(app, FIRST_SYNC)
    _edit_plan(app)
    _sync(app, EDIT_SYNC)

    def events(as_of: date | None) -> dict[str, str]:
        feed = Calendar.from_ical(export_feed(app, "programme", as_of, record=None))
        found = {}
        for event in feed.walk("VEVENT"):
            summary = str(event["SUMMARY"])
            if summary.startswith("[3.1."):
                found[summary.split("]")[0][1:]] = event.decoded("DTSTART").isoformat()
        return found

    then = events(date(2016, 9, 1))
    assert then["3.1.1"] == "2015-12-31" and then["3.1.2"] == "2015-12-31"
    assert "3.1.9" not in then
    now = events(None)  # today's feed: the edited plan
    assert now["3.1.1"] == "2017-06-30" and "3.1.2" not in now
