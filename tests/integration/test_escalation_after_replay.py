"""fix57b: an escalation only `regie replay` raised reached nobody (its digest suppressed, never
sent), so the first live day the item is still late and unanswered escalates it once, to the
programme office, under a key of its own (``…:after-replay``); never again in that run. The
replay's own days do not escalate it twice, and a live escalation keeps counting. Incremental
days give what a full assessment of every day gives (memory, events, prompts, messages).
SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from governance.workdays import WorkCalendar
from regie.bootstrap import App
from regie.cycle import deadline_check, send_reminders
from store import Repository
from tests.integration.test_escalation_delivery import make_app

CAL = WorkCalendar("NL")
#: The replayed days (the seed plan's items escalate on the second and third) and the live ones.
REPLAYED = (date(2015, 11, 30), date(2015, 12, 7), date(2015, 12, 14))
LIVE = (date(2015, 12, 21), date(2015, 12, 28), date(2016, 1, 4), date(2016, 1, 11))
RAISED = "regie.escalation.raised"


def _raised(app: App, day: date) -> dict[str, str]:
    """Item → escalation key of the escalations raised on ``day``."""
    with app.session() as session:
        events = Repository(session, app.programme_id()).events(since=day)
    return {
        e.item_id: e.payload["key"] for e in events if e.name == RAISED and e.occurred_on == day
    }


def _replay(app: App) -> dict[str, str]:
    for day in REPLAYED:
        deadline_check(app, day, replay=True)
    return _raised(app, REPLAYED[1]) | _raised(app, REPLAYED[2])


def test_the_first_live_day_escalates_once_what_only_the_replay_escalated(
    tmp_path: Path, database_url: str
) -> None:
    app = make_app(tmp_path, database_url)
    replayed = _replay(app)
    assert {"1.1.1", "1.3.1"} <= replayed.keys()
    assert not any(key.endswith(":after-replay") for key in replayed.values())
    first = deadline_check(app, LIVE[0])
    send_reminders(app)
    live = _raised(app, LIVE[0])
    assert live.keys() == replayed.keys()  # every one still late and unanswered
    assert all(live[i] == f"{replayed[i]}:after-replay" for i in live)
    assert not first.incremental  # a replayed day's memory: the first live day judges all
    with app.session() as session:
        repo = Repository(session, app.programme_id())
        (office,) = [
            m for m in repo.outbox() if m.kind == "escalation_digest" and m.created_on == LIVE[0]
        ]
        events = [e for e in repo.events(since=LIVE[0]) if e.name == RAISED]
    assert office.status == "sent" and office.recipient == "programmabureau"
    # The stage's own words, as for any escalation: overdue as overdue, unanswered as such.
    reasons = {e.item_id: e.payload["reason"] for e in events}
    assert reasons["1.1.1"].startswith("58 working days overdue")
    assert reasons["1.3.1"] == "3 prompts unanswered"
    text = office.body_text
    assert "Reden: 58 werkdagen over de deadline, nog geen statusupdate" in text
    assert "Reden: herhaalde verzoeken om een update zijn onbeantwoord." in text
    for day in LIVE[1:]:
        later = deadline_check(app, day)
        send_reminders(app)
        assert later.incremental
        assert not (_raised(app, day).keys() & replayed.keys())  # never twice


def test_a_replay_does_not_escalate_its_own_escalations_again(
    tmp_path: Path, database_url: str
) -> None:
    app = make_app(tmp_path, database_url)
    replayed = _replay(app)
    deadline_check(app, LIVE[0], replay=True)  # a fourth replayed day
    assert not (_raised(app, LIVE[0]).keys() & replayed.keys())


def test_a_live_escalation_after_a_replay_counts(tmp_path: Path, database_url: str) -> None:
    """A replay that goes on after live days (a catch-up) does not escalate again what a live
    day escalated, and the live days after it do not either."""
    app = make_app(tmp_path, database_url)
    replayed = _replay(app)
    deadline_check(app, LIVE[0])
    for day in LIVE[1:3]:
        deadline_check(app, day, replay=True)
        assert not (_raised(app, day).keys() & replayed.keys())
    deadline_check(app, LIVE[3])
    assert not (_raised(app, LIVE[3]).keys() & replayed.keys())


def _state(app: App) -> dict[str, list[tuple[str, ...]]]:
    """What the days stored, without the wall-clock times (a flag as 0 or 1 on both databases)."""
    tables = {
        "memory": "SELECT item_code, state, rag, stale, due, next_check FROM item_memory",
        "events": "SELECT dedupe_key, name, item_code, occurred_on FROM events",
        "prompts": "SELECT item_code, stage, contact_code, queued_on FROM prompts",
        "outbox": "SELECT key, kind, recipient, status, subject FROM outbox",
    }
    with app.engine.connect() as conn:
        return {
            name: sorted(
                tuple(str(int(v)) if isinstance(v, bool) else str(v) for v in row)
                for row in conn.execute(sa.text(query))
            )
            for name, query in tables.items()
        }


@pytest.mark.parametrize("catch_up", [False, True], ids=["live-after", "catch-up-between"])
def test_incremental_days_after_a_replay_equal_full_ones(
    tmp_path: Path, database_url: str, catch_up: bool
) -> None:
    """Replayed days, then every working day live (with a catch-up replay of a week between
    them): once as the daily cycle runs them, once judging every item each day (on SQLite).
    The same memory, events, prompts and messages on every day."""
    days = [*REPLAYED, *CAL.working_days_in(LIVE[0], date(2016, 1, 22))]
    week = set(CAL.working_days_in(date(2015, 12, 28), date(2016, 1, 1)))
    for home in ("daily", "full"):
        (tmp_path / home).mkdir()
    daily = make_app(tmp_path / "daily", database_url)
    full = make_app(tmp_path / "full", f"sqlite:///{tmp_path / 'full.db'}")
    kinds = []
    for day in days:
        replay = day in REPLAYED or (catch_up and day in week)
        kinds.append(deadline_check(daily, day, replay=replay).incremental)
        deadline_check(full, day, replay=replay, full_assessment=True)
        assert _state(daily) == _state(full), day
    # The first live day after replayed ones judges every item, the days after it the few.
    live = days.index(LIVE[0])
    assert not kinds[live] and all(kinds[live + 1 : live + 4])
    assert kinds[days.index(LIVE[2])] is not catch_up


def test_the_replay_says_that_its_escalations_reached_nobody(
    tmp_path: Path, database_url: str
) -> None:
    from regie.history import replay

    app = make_app(tmp_path, database_url)
    *_, note, summary = replay(app, REPLAYED[0], REPLAYED[-1])
    assert summary.startswith("replayed 11 working days 2015-11-30 … 2015-12-14: ")
    assert note == (
        "14 items escalated on replayed days, to nobody: the first live `regie cycle` "
        "escalates those still late and unanswered to the programme office"
    )
