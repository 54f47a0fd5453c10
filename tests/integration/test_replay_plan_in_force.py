"""walk56a 1: `regie replay` (and a cycle for a past day) judges each day by the plan in force
on it: a decision of a later meeting (a date moved, an item dropped) does not apply before its
meeting, as in `regie status --as-of`. A replay records what checking day by day would have
recorded, the decisions taken at their meetings. SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from regie.bootstrap import App
from regie.cycle import CheckReport, deadline_check
from regie.history import replay
from tests.cli_in_process import regie
from tests.integration.reports_scenario import cli_env, migrated_app
from tests.integration.test_cycle import rows

START, MEETING, END = date(2015, 11, 2), date(2016, 1, 12), date(2016, 1, 29)
MOVE = ("--item", "1.3.1", "--set-gereed", "1.3.1", "Q2-2016", "--text", "Uitgesteld")
CANCEL = ("--cancel", "1.3.2", "--text", "Gezant vervalt")
ADDS = ("--adds", "1.3.4", "--text", "Ambassadeur circulaire economie erbij")


def _decisions(app: App) -> None:
    """The meeting's three decisions: a date moved, an item dropped, one added (the plan file
    given it first)."""
    path = Path(str(app.settings.plan_path))
    text = path.read_text(encoding="utf-8")
    old = (
        "            title: Voorzitter Platform Biodiversiteit, Ecosysteemdiensten en Economie\n"
        '            gereed: "Najaar 2015"\n'
    )
    new = old + '          - id: "1.3.4"\n            title: Ambassadeur circulaire economie\n'
    new += '            gereed: "Q2-2016"\n'
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    for decision in (MOVE, CANCEL, ADDS):
        _decide(app, *decision)


def _decide(app: App, *args: str) -> None:
    done = regie(
        "decision", "add", "--body", "stuurgroep", "--meeting", MEETING.isoformat(), *args,
        env=cli_env(app),
    )  # fmt: skip
    assert done.code == 0, done.err


def _events(app: App, item: str | None = None) -> list[tuple[object, ...]]:
    where = f" WHERE item_code = '{item}'" if item else ""
    found = rows(app, f"SELECT name, item_code, occurred_on, payload FROM events{where}")
    return sorted(
        (
            (str(on), name, code, json.loads(p) if isinstance(p, str) else p)
            for name, code, on, p in found
            if not str(name).startswith("regie.decision")
        ),
        key=lambda e: (e[0], e[1], e[2], json.dumps(e[3], sort_keys=True)),
    )


def _prompts(app: App) -> list[tuple[object, ...]]:
    return sorted(rows(app, "SELECT key, recipient, status, subject, body_text FROM outbox"))


def test_a_replay_records_what_checking_day_by_day_would_have(
    tmp_path: Path, database_url: str
) -> None:
    replayed = migrated_app(tmp_path / "a", database_url)
    assert regie("sync", env=cli_env(replayed)).code == 0
    _decisions(replayed)
    replay(replayed, START, END)

    # The reference: another home checked every working day (its reminders suppressed too, as
    # a replay's), the decisions recorded at the meeting (its plan file edited then); on SQLite
    # for both kinds (a second database).
    daily = migrated_app(tmp_path / "b", f"sqlite:///{tmp_path / 'daily.db'}")
    assert regie("sync", env=cli_env(daily)).code == 0
    from governance.workdays import WorkCalendar

    for day in WorkCalendar.for_plan(daily.load_plan()).working_days_in(START, END):
        if day == MEETING:
            _decisions(daily)
        deadline_check(daily, day, replay=True)

    moved = _events(replayed, "1.3.1")
    # Before the meeting 1.3.1 was due in the autumn of 2015 (not Q2-2016) …
    first = moved[0]
    assert first[0] == START.isoformat() and first[3]["gereed"] == "Najaar 2015", moved
    assert any(e[1] == "regie.milestone.overdue" and e[0] < MEETING.isoformat() for e in moved)
    # … and from the meeting on, Q2-2016.
    assert any(e[0] == MEETING.isoformat() and e[3].get("gereed") == "Q2-2016" for e in moved)
    # 1.3.2 was open (and late) until the meeting dropped it.
    dropped = _events(replayed, "1.3.2")
    assert [e[0] for e in dropped if e[1] == "regie.milestone.cancelled"] == [MEETING.isoformat()]
    assert dropped[0][3]["to"] != "cancelled"
    # 1.3.4 came into the plan at the meeting that added it.
    added = _events(replayed, "1.3.4")
    assert added and added[0][0] == MEETING.isoformat(), added
    # Everything the replay recorded is what the day-by-day run recorded.
    assert _events(replayed) == _events(daily)
    assert _prompts(replayed) == _prompts(daily)


def test_a_cycle_for_a_past_day_uses_that_days_plan(tmp_path: Path, database_url: str) -> None:
    app = migrated_app(tmp_path / "home", database_url)
    assert regie("sync", env=cli_env(app)).code == 0
    _decide(app, *MOVE)
    report = deadline_check(app, date(2015, 12, 1))
    assert _states(report, "1.3.1") == [("regie.milestone.overdue", "Najaar 2015")]
    # The plan file keeps the decision: a day after the meeting has it.
    later = deadline_check(app, date(2016, 1, 13))
    assert _states(later, "1.3.1") == [("regie.milestone.on-track", "Q2-2016")]


def _states(report: CheckReport, item: str) -> list[tuple[str, object]]:
    return [
        (e.name, e.payload.get("gereed"))
        for e in report.events
        if e.item_id == item and e.name.startswith("regie.milestone.")
    ]
