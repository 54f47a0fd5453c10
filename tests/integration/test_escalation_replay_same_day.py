"""fix57m (review57 1): `regie replay --to` a day, then `regie cycle` on that same day. The live
rerun escalates every item the replay escalated and that is still late and unanswered, once,
under its ``…:after-replay`` key, in the day's second escalation digest (``…:2``, sent), each
with an event of its own beside the replay's; later days never again, incrementally or judging
every item. Whether a replayed escalation reached anyone is decided per escalation (the digest
that carried it), not per office contact and day: one the rerun did not escalate again still
reached nobody. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from governance.workdays import WorkCalendar
from regie.bootstrap import App
from regie.cycle import deadline_check, send_reminders
from store import Repository
from tests.integration.test_escalation_after_replay import LIVE, REPLAYED, _raised, _replay, _state
from tests.integration.test_escalation_delivery import make_app

CAL = WorkCalendar("NL")
RAISED, AFTER = "regie.escalation.raised", ":after-replay"
LAST = REPLAYED[-1]  # `regie replay --to` it, then the day's `regie cycle`
SECOND = f"escalation:mvi-2015-2020:programmabureau:{LAST}:2"
#: 1.2.1's date in the seed plan, and one that is not due yet on the replay's last day.
DUE = 'title: Verkennen draagvlak\n            gereed: "Najaar 2015"'
NOT_DUE = DUE.replace("Najaar 2015", "Q1-2016")


def _digest_items(app: App, key: str) -> tuple[str, str]:
    """The status and text of the escalation digest under ``key``."""
    with app.session() as session:
        (digest,) = [m for m in Repository(session, app.programme_id()).outbox() if m.key == key]
    return digest.status, digest.body_text


def test_a_cycle_on_the_replays_last_day_escalates_its_escalations_once(
    tmp_path: Path, database_url: str
) -> None:
    app = make_app(tmp_path, database_url)
    replayed = _replay(app)
    on_last = _raised_on(app, LAST)  # the replay's own events of the day
    assert len(on_last) == 8
    report = deadline_check(app, LAST)
    send_reminders(app)
    new = {e.item_id: e.payload["key"] for e in report.events if e.name == RAISED}
    # Every one, those the replay raised on this very day too (8 of the 14 were missing).
    assert new == {i: f"{key}{AFTER}" for i, key in replayed.items()}
    assert _raised_on(app, LAST) == on_last | {(i, f"{k}{AFTER}") for i, k in replayed.items()}
    status, text = _digest_items(app, SECOND)
    assert status == "sent"
    for item in replayed:
        assert f"- {item} " in text
    for day in LIVE:
        later = deadline_check(app, day)
        send_reminders(app)
        assert later.incremental
        assert not (_raised(app, day).keys() & replayed.keys())  # never twice


def test_a_replayed_escalation_the_rerun_did_not_repeat_still_reached_nobody(
    tmp_path: Path, database_url: str
) -> None:
    """1.2.1, escalated by the replay on its last day, is not due yet when that day's cycle
    runs (the office had its date wrong), and late again after: the escalation the replay made
    for it never reached the office, so the next live day makes it, once. The rerun's digest
    (``…:2``) carried the day's other items, not this one."""
    app = make_app(tmp_path, database_url)
    plan = tmp_path / "actions.yaml"
    replayed = _replay(app)
    assert "1.2.1" in _raised(app, LAST)
    text = plan.read_text(encoding="utf-8")
    assert text.count(DUE) == 1
    plan.write_text(text.replace(DUE, NOT_DUE), encoding="utf-8")
    deadline_check(app, LAST)
    send_reminders(app)
    assert ("1.2.1", f"{replayed['1.2.1']}{AFTER}") not in _raised_on(app, LAST)
    status, body = _digest_items(app, SECOND)
    assert status == "sent" and "- 1.2.1 " not in body and "- 1.3.1 " in body
    plan.write_text(text, encoding="utf-8")  # the date put right again
    deadline_check(app, LIVE[0])
    send_reminders(app)
    assert _raised(app, LIVE[0]) == {"1.2.1": f"{replayed['1.2.1']}:after-replay"}
    for day in LIVE[1:]:
        deadline_check(app, day)
        assert "1.2.1" not in _raised(app, day)  # once


def _raised_on(app: App, day: date) -> set[tuple[str, str]]:
    """(item, escalation key) of every escalation event of ``day``."""
    with app.session() as session:
        events = Repository(session, app.programme_id()).events(since=day)
    return {
        (e.item_id, e.payload["key"]) for e in events if e.name == RAISED and e.occurred_on == day
    }


def test_incremental_days_after_a_same_day_rerun_equal_full_ones(
    tmp_path: Path, database_url: str
) -> None:
    """Replayed days, the last one then run live, and every working day live after it: once as
    the daily cycle runs them, once judging every item each day (on SQLite). The same memory,
    events, prompts and messages on every day."""
    days = [*REPLAYED, LAST, *CAL.working_days_in(LIVE[0], date(2016, 1, 22))]
    for home in ("daily", "full"):
        (tmp_path / home).mkdir()
    daily = make_app(tmp_path / "daily", database_url)
    full = make_app(tmp_path / "full", f"sqlite:///{tmp_path / 'full.db'}")
    kinds = []
    for n, day in enumerate(days):
        replay = n < len(REPLAYED)
        kinds.append(deadline_check(daily, day, replay=replay).incremental)
        deadline_check(full, day, replay=replay, full_assessment=True)
        assert _state(daily) == _state(full), (n, day)
    # The rerun judges every item (a replayed day's memory), the days after it the few.
    rerun = len(REPLAYED)
    assert not kinds[rerun] and all(kinds[rerun + 1 : rerun + 4])


def test_the_reruns_own_escalations_of_the_replays_last_day_count(
    tmp_path: Path, database_url: str
) -> None:
    """The replay escalated a late item after 55 working days of silence, the day's cycle after
    20 (the office changed the setting): the rerun escalates 1.1.1 (53 days) under its plain
    key, in the day's second digest, beside the replay's 8 of the day under their
    ``…:after-replay`` keys. It reached the office: never again."""
    app = make_app(tmp_path, database_url)
    plan = tmp_path / "actions.yaml"
    text = plan.read_text(encoding="utf-8")
    late = "escalate_after_overdue_days: 20\n"
    plan.write_text(text.replace(late, late.replace("20", "55")), encoding="utf-8")
    for day in REPLAYED:
        deadline_check(app, day, replay=True)
    assert "1.1.1" not in {item for item, _ in _raised_on(app, LAST)} and _raised_on(app, LAST)
    plan.write_text(text, encoding="utf-8")
    deadline_check(app, LAST)
    send_reminders(app)
    rerun = _raised_on(app, LAST)
    assert ("1.1.1", "escalation:1.1.1:none:overdue") in rerun
    assert _digest_items(app, SECOND)[0] == "sent"
    for day in LIVE:
        deadline_check(app, day)
        assert "1.1.1" not in _raised(app, day)  # never twice
