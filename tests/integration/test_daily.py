"""The incremental daily cycle on real databases records what a full assessment would.

Each day the cycle runs (incrementally once it can), and the test then assesses every item from
scratch against the same database: the states stored for the day, the events recorded on it,
the prompts queued and the outbox messages rendered must be exactly the full assessment's.
Updates arrive between days (some back-filled, some post-dated) and the plan is edited (a date
moved, an action removed and restored).
"""

from __future__ import annotations

import dataclasses
import json
import random
import threading
from collections.abc import Collection
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from governance.assessment import Assessment, assess
from governance.assessor import PlanIndex
from governance.periods import Period, PeriodKind
from governance.plan import Plan
from governance.planfile.load import load_plan
from governance.reminders import ReminderPlan, plan_reminders
from governance.updates import StatusUpdate, UpdateStatus
from governance.workdays import WorkCalendar
from regie.bootstrap import App
from regie.cycle import CheckReport, deadline_check, office_channel, quiet
from regie.messages import outbox_messages
from store import Repository
from store.assessment_query import assessment_updates
from store.records import OutboxRecord
from store.states import latest_states
from tests.conftest import SEED_PLAN
from tests.integration.test_cycle import make_app

_STATUSES = (UpdateStatus.ON_TRACK, UpdateStatus.AT_RISK, UpdateStatus.DONE)


def _edited(plan: Plan, day: date) -> Plan:
    """From November an action is gone and a milestone's date moved; January restores both."""
    if not date(2015, 11, 1) <= day < date(2016, 1, 1):
        return plan
    steps = []
    for s in plan.steps:
        actions = []
        for a in s.actions:
            if a.id == "2.1":
                continue
            if a.milestones and a.milestones[0].period and a.milestones[0].period.end:
                first = a.milestones[0]
                end = first.period.end + timedelta(days=40)  # type: ignore[union-attr]
                moved = dataclasses.replace(first, period=Period(PeriodKind.DATE, "x", end, end))
                a = dataclasses.replace(a, milestones=(moved, *a.milestones[1:]))
            actions.append(a)
        steps.append(dataclasses.replace(s, actions=tuple(actions)))
    return dataclasses.replace(plan, steps=tuple(steps), source_hash="edited")


def test_incremental_cycle_equals_full_assessment_every_day(
    tmp_path: Path, database_url: str
) -> None:
    app = make_app(tmp_path, database_url)
    seed = load_plan(SEED_PLAN)
    rng = random.Random(8)
    pid = seed.programme.id
    day, last = date(2015, 9, 28), date(2016, 2, 12)
    incremental_days = 0
    while day <= last:
        plan = _edited(seed, day)
        report = deadline_check(app, day, plan=plan)
        incremental_days += report.assessed < len(plan.deadlines())
        _assert_day_is_full_assessment(app, report, plan, day)
        with app.session() as session:
            repo = Repository(session, pid)
            # Tomorrow's news: a few updates, some for earlier days, some for later ones. Each
            # with a comment, an author and a source, which the memory does not keep: a
            # message that showed them would differ on the days their items are judged from
            # their memory rows (_assert_outbox_is).
            current = [d.item_id for d in plan.deadlines()]
            for n in range(rng.randint(0, 3)):
                reported = day + timedelta(days=rng.choice((-20, -3, 0, 0, 0, 5)))
                repo.add_status_update(
                    StatusUpdate(
                        rng.choice(current), rng.choice(_STATUSES), reported,
                        forecast=reported + timedelta(days=rng.randint(-10, 90))
                        if rng.random() < 0.3 else None,
                        comment=f"stand van zaken {day} ({n})", author=f"eigenaar-{n}",
                        source="web", recorded_at=datetime.combine(day, time(18), UTC),
                    )
                )  # fmt: skip
            session.commit()
        day += timedelta(days=1)
    assert incremental_days > 80  # of 138: the incremental path is what ran most days
    with app.engine.connect() as conn:
        remembered = conn.execute(sa.text("SELECT count(*) FROM item_memory")).scalar_one()
    assert remembered == len(seed.deadlines())


def test_a_dependent_item_is_judged_from_its_finished_dependencies_updates(
    tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Actions 4.2 and 4.3 depend on action 1.2: their due day counts from the completion of
    its milestones 1.2.1 and 1.2.2. Both are reported done (completed in September) after
    the first run; on the later days 4.2 is judged again when its next check comes, while
    1.2.1 and 1.2.2, finished and not updated since, are not chosen. Their rows do not tell
    their completion days, so their updates must be read still: else 4.2 is judged as if
    still waiting on 1.2. Every day equals a full assessment."""
    import governance.incremental

    judged: dict[date, set[str]] = {}
    assess_selected = governance.incremental.assess_selected

    def spy(index: PlanIndex, item_ids: Collection[str], updates: Any, as_of: date,
            *args: Any, **kwargs: Any) -> Assessment:  # fmt: skip
        judged[as_of] = set(item_ids)
        return assess_selected(index, item_ids, updates, as_of, *args, **kwargs)

    # regie.daily imports it when it assesses: the spy only records what each day chose.
    monkeypatch.setattr(governance.incremental, "assess_selected", spy)
    app = make_app(tmp_path, database_url)
    plan = load_plan(SEED_PLAN)
    pid = plan.programme.id
    first, last = date(2015, 10, 1), date(2015, 10, 30)
    deadline_check(app, first, plan=plan)
    with app.session() as session:
        repo = Repository(session, pid)
        for item_id, completed in (("1.2.1", date(2015, 9, 1)), ("1.2.2", date(2015, 9, 3))):
            repo.add_status_update(
                StatusUpdate(
                    item_id, UpdateStatus.DONE, first, completed_on=completed,
                    comment="afgerond", recorded_at=datetime.combine(first, time(18), UTC),
                )
            )  # fmt: skip
        session.commit()
    day = first + timedelta(days=1)
    while day <= last:
        report = deadline_check(app, day, plan=plan)
        _assert_day_is_full_assessment(app, report, plan, day)
        day += timedelta(days=1)
    finished = {"1.2.1", "1.2.2"}
    assert finished <= judged[first + timedelta(days=1)]  # chosen the day they were updated
    # The case at stake: 4.2 judged on a later day without its dependencies chosen, and (as
    # the full assessment says) no longer waiting on them.
    later = [d for d, ids in sorted(judged.items()) if "4.2" in ids and not ids & finished]
    assert later, judged
    with app.session() as session:
        state = {
            r.item_id: r.state for r, _ in latest_states(session, pid, later[0], inclusive=True)
        }
    assert state["4.2"] not in ("waiting", "done")


def _assert_states_are(session: Session, pid: str, full: Assessment, day: date) -> None:
    """The states stored for ``day`` are the full assessment's."""
    stored = {r.item_id: r for r, _ in latest_states(session, pid, day, inclusive=True)}
    for item in full.items.values():
        got = stored[item.item_id]
        want = (item.state.value, item.rag.value, item.stale, item.due)
        assert (got.state, got.rag, got.stale, got.due) == want, (day, item.item_id)


def _assert_day_is_full_assessment(app: App, report: CheckReport, plan: Plan, day: date) -> None:
    """The day's report (counts, programme colour), stored states, recorded events, queued
    prompts and outbox messages are those of a full assessment of every item against the same
    database (with the prompts recorded before the day)."""
    cal = WorkCalendar.for_plan(plan)
    with app.session() as session:
        repo = Repository(session, plan.programme.id)
        full = _full_assessment(session, plan, day)
        # The report's counts and colour, from the memory's tally on incremental days.
        assert report.counts == {k: v for k, v in full.counts().items() if v}, day
        assert report.programme_rag == full.programme.value, day
        _assert_states_are(session, plan.programme.id, full, day)
        before = [r for r in repo.prompt_history(until=day) if r.queued_on < day]
        reminders = plan_reminders(plan, full, before, day, cal)
        if not cal.is_working_day(day):
            reminders = quiet(reminders)
        queued = sorted(
            (r.item_id, r.stage, r.contact_id)
            for r in repo.prompt_history(until=day)
            if r.queued_on == day
        )
        assert queued == sorted((r.item_id, r.stage, r.contact_id) for r in reminders.records)
        recorded = {e.dedupe_key for e in repo.events(since=day) if e.occurred_on == day}
        wanted = {e.key for e in [*full.events, *reminders.events]}
        assert recorded == wanted, day
        _assert_outbox_is(app, repo, plan, full, reminders, day)


def _assert_outbox_is(
    app: App, repo: Repository, plan: Plan, full: Assessment, reminders: ReminderPlan, day: date
) -> None:
    """The messages queued for ``day`` are, key for key, those the full assessment renders:
    kind, recipient and addresses, subject, both bodies and the payload (with what the
    templates were given). The delivery fields (status, attempts, timestamps, claim) are the
    store's. The test app has no REGIE_SECRET_KEY, so the digests carry no answer links."""
    assert not app.settings.secret_key
    stored = {m.key: _message(m) for m in repo.outbox() if m.created_on == day}
    rendered = outbox_messages(plan, full, reminders, None, office_channel=office_channel(app))
    wanted: dict[str, tuple[object, ...]] = {}
    for m in rendered:
        wanted.setdefault(m.key, _message(m))  # as the outbox: the first of a key is kept
    assert stored.keys() == wanted.keys(), day
    for key, message in wanted.items():
        assert stored[key] == message, (day, key)


def _message(m: OutboxRecord) -> tuple[object, ...]:
    """An outbox message's content; the payload as the JSON column gives it back."""
    payload = json.loads(json.dumps(dict(m.payload)))
    return (
        m.kind, m.recipient, m.recipient_name, m.email, m.slack, m.subject, m.body_text,
        m.body_html, payload, m.created_on,
    )  # fmt: skip


def _full_assessment(session: Session, plan: Plan, day: date) -> Assessment:
    pid = plan.programme.id
    previous = Repository(session, pid).previous_states(before=day)
    return assess(
        plan, assessment_updates(session, pid, day), day,
        previous.states if previous else None, WorkCalendar.for_plan(plan),
        previous.stale if previous else None,
    )  # fmt: skip


def test_an_inconsistent_memory_is_replaced_by_a_full_assessment(
    tmp_path: Path, database_url: str
) -> None:
    """A memory whose rows no longer fit the plan (here: an action's rows moved to an action
    not in the plan, their number and the plan file unchanged) is noticed by its counts: the
    day is assessed in full, as a full assessment says, and the memory rebuilt."""
    app = make_app(tmp_path, database_url)
    plan = load_plan(SEED_PLAN)
    day = date(2015, 10, 5)
    deadline_check(app, day, plan=plan)
    day += timedelta(days=1)
    # An action none of whose items is checked again tomorrow: its colour comes from the counts.
    quiet_actions = sa.text(
        "SELECT action_code FROM item_memory GROUP BY action_code "
        "HAVING min(next_check) > :day ORDER BY action_code"
    ).bindparams(sa.bindparam("day", type_=sa.Date))
    with app.engine.begin() as conn:
        action = conn.execute(quiet_actions, {"day": day}).scalars().first()
        assert action is not None
        conn.execute(
            sa.text("UPDATE item_memory SET action_code = 'verdwenen' WHERE action_code = :a"),
            {"a": action},
        )
    report = deadline_check(app, day, plan=plan)
    assert report.assessed == len(plan.deadlines())  # in full
    _assert_day_is_full_assessment(app, report, plan, day)
    with app.engine.connect() as conn:
        codes = conn.execute(sa.text("SELECT action_code FROM item_memory")).scalars().all()
    assert "verdwenen" not in codes and len(codes) == len(plan.deadlines())
    # Repaired: the next day is incremental again, and right.
    day += timedelta(days=1)
    report = deadline_check(app, day, plan=plan)
    assert report.assessed < len(plan.deadlines())
    _assert_day_is_full_assessment(app, report, plan, day)


def test_a_lost_memory_row_is_assessed_again(tmp_path: Path, database_url: str) -> None:
    """A memory row lost with the plan file unchanged: the count differs from the plan's, so
    the ids are read and the item is re-assessed; the day equals a full assessment and the
    memory holds every item again."""
    app = make_app(tmp_path, database_url)
    plan = load_plan(SEED_PLAN)
    day = date(2015, 10, 5)
    deadline_check(app, day, plan=plan)
    deadline_check(app, day + timedelta(days=1), plan=plan)
    with app.engine.begin() as conn:
        conn.execute(
            sa.text("DELETE FROM item_memory WHERE item_code = :c"),
            {"c": plan.deadlines()[3].item_id},
        )
    day += timedelta(days=2)
    report = deadline_check(app, day, plan=plan)
    assert report.assessed < len(plan.deadlines())
    _assert_day_is_full_assessment(app, report, plan, day)
    with app.engine.connect() as conn:
        n = conn.execute(sa.text("SELECT count(*) FROM item_memory")).scalar_one()
    assert n == len({d.item_id for d in plan.deadlines()})


def test_no_two_threads_use_one_connection_at_once(tmp_path: Path, database_url: str) -> None:
    """The daily cycle's store work beside the computing (store.dialect.alongside): no
    statement starts on a connection while another thread's is running on it, over a week of
    full and incremental days with updates arriving (PostgreSQL runs a worker thread)."""
    lock = threading.Lock()
    running: dict[int, list[str]] = {}
    overlaps: list[tuple[str, str, str]] = []
    threads: set[str] = set()

    def before(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        key, me = id(conn.connection.dbapi_connection), threading.current_thread().name
        with lock:
            threads.add(me)
            overlaps.extend((me, other, statement[:80]) for other in running.get(key, ()))
            running.setdefault(key, []).append(me)

    def after(conn, *_: object) -> None:
        with lock:
            running[id(conn.connection.dbapi_connection)].remove(threading.current_thread().name)

    def failed(context: sa.engine.ExceptionContext) -> None:
        if context.connection is not None:
            after(context.connection)

    app = make_app(tmp_path, database_url)
    plan = load_plan(SEED_PLAN)
    pid = plan.programme.id
    rng = random.Random(6)
    listeners = [
        ("before_cursor_execute", before),
        ("after_cursor_execute", after),
        ("handle_error", failed),
    ]
    for name, listener in listeners:
        event.listen(Engine, name, listener)
    try:
        day = date(2015, 10, 2)
        for _ in range(7):
            report = deadline_check(app, day, plan=plan)
            with app.session() as session:
                repo = Repository(session, pid)
                for _ in range(3):
                    repo.add_status_update(
                        StatusUpdate(
                            rng.choice(plan.deadlines()).item_id, rng.choice(_STATUSES), day,
                            recorded_at=datetime.combine(day, time(18), UTC),
                        )
                    )  # fmt: skip
                session.commit()
            day += timedelta(days=1)
        assert report.assessed < len(plan.deadlines())  # incremental days ran too
    finally:
        for name, listener in listeners:
            event.remove(Engine, name, listener)
    assert not overlaps
    if app.engine.dialect.name == "postgresql":
        assert any(t.startswith("regie-store") for t in threads)  # the worker did run
