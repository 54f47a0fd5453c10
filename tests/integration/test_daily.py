"""The incremental daily cycle on real databases records what a full assessment would.

Each day the cycle runs (incrementally once it can), and the test then assesses every item from
scratch against the same database: the states stored for the day, the events recorded on it,
the prompts queued and the outbox messages rendered must be exactly the full assessment's.
Updates arrive between days (some back-filled, some post-dated) and the plan is edited (a date
moved, an action removed and restored).
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
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
from governance.rag import STATE_VALUES
from governance.reminders import OpenCounts, ReminderPlan, open_elsewhere, plan_reminders
from governance.reminders.overview import NOTHING
from governance.tally import COLOUR_ORDER
from governance.updates import StatusUpdate, UpdateStatus
from governance.workdays import WorkCalendar
from regie.bootstrap import App
from regie.cycle import CheckReport, deadline_check, office_channel, quiet
from regie.forecasts import quoted_forecasts
from regie.messages import escalation_handovers, former_contacts, named_items, outbox_messages
from regie.open_elsewhere import escalations_elsewhere
from store import Repository
from store.assessment_query import assessment_updates
from store.former_contacts import former_contact_names, former_contact_organisations
from store.prompt_rows import prompts_of
from store.records import OutboxRecord
from store.states import latest_states
from tests.conftest import SEED_PLAN
from tests.integration.test_cycle import make_app

_STATUSES = (UpdateStatus.ON_TRACK, UpdateStatus.AT_RISK, UpdateStatus.DONE)


@functools.cache
def _seed() -> Plan:
    """The seed plan, parsed once per process (≈ 0.12 s each time; a Plan is frozen, and the
    tests edit copies of it)."""
    return load_plan(SEED_PLAN)


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


#: The days the cycle runs besides every day (fix57k): from one to the next 7 days, a month
#: (the 28th), or 1 to 17 days (weekends among them).
_GAPS = {
    "weekly": lambda day, rng: day + timedelta(days=7),
    "monthly": lambda day, rng: date(day.year + day.month // 12, day.month % 12 + 1, 28),
    "irregular": lambda day, rng: day + timedelta(days=rng.choice((1, 2, 3, 4, 6, 9, 13, 17))),
}


def test_incremental_cycle_equals_full_assessment_every_day(
    tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _incremental_equals_full(tmp_path, database_url, monkeypatch, None)


@pytest.mark.parametrize("cadence", sorted(_GAPS))
def test_incremental_cycle_equals_full_assessment_on_days_with_gaps(
    tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch, cadence: str
) -> None:
    """As every day, with the cycle run on days apart: each run day's states, events, prompts
    and messages are a full assessment's (a next check set too late would miss one)."""
    _incremental_equals_full(tmp_path, database_url, monkeypatch, cadence)


def _incremental_equals_full(
    tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch, cadence: str | None
) -> None:
    from store import prompt_rows

    # The prompts on record looked up through the index one day, the items' prompts read the
    # next (the seed alone would mostly have them read: fewer prompts than keys): each day is
    # compared with the rules applied to the whole stored history either way.
    ways = itertools.cycle((False, True, False))
    used: list[bool] = []
    held = prompt_rows.held_prompts

    def read_or_probe(*args: Any) -> Any:
        used.append(next(ways))
        return held(*args[:-1], 10**9) if used[-1] else None

    monkeypatch.setattr(prompt_rows, "held_prompts", read_or_probe)
    app = make_app(tmp_path, database_url)
    seed = _seed()
    rng = random.Random(8)
    day, last = date(2015, 9, 28), date(2016, 2, 12)
    incremental_days = 0
    gaps = random.Random(3)
    while day <= last:
        plan = _edited(seed, day)
        report = deadline_check(app, day, plan=plan)
        incremental_days += report.assessed < len(plan.deadlines())
        _assert_day_is_full_assessment(app, report, plan, day)
        # Tomorrow's news: a few updates, some for earlier days, some for later ones. Each with
        # a comment, an author and a source, which the memory does not keep: a message that
        # showed them would differ on the days their items are judged from their memory rows
        # (_assert_outbox_is).
        # Some recorded by a decision (a restore's update): no owner's answer to a prompt, also
        # where the item is judged from its memory row (which keeps the source).
        _answers(app, plan, day, rng, most=3, label="stand van zaken", decisions=0.3)
        day = day + timedelta(days=1) if cadence is None else _GAPS[cadence](day, gaps)
    if cadence is None:
        assert incremental_days > 80  # of 138: the incremental path is what ran most days
        assert used.count(False) > 50 and used.count(True) > 30  # both ways, many days
    else:
        assert incremental_days >= 2
    with app.engine.connect() as conn:
        remembered = conn.execute(sa.text("SELECT count(*) FROM item_memory")).scalar_one()
    assert remembered == len(seed.deadlines())


_REVERTED = date(2015, 10, 15)


def test_a_rerun_of_the_day_after_answers_leaves_it_and_the_next_day_right(
    tmp_path: Path, database_url: str
) -> None:
    """Every day checked twice, the second time after the day's answers came in (what the
    ``reassess-on-update`` deployment does): the rerun's states, counts, memory and tally are
    a full assessment's, its events are the morning's and the full assessment's (the log is
    append-only), and the next day's first run equals a full assessment. The rerun is
    incremental: the items answered or edited since, and what depends on them.
    The plan file is edited between the two runs of 1 November (an action removed, a date
    moved) and of 1 January (both restored); on 15 October the morning's run alone has that
    edit, so the rerun finds items back in their states of the day before (no event, and the
    morning's rows of the day removed)."""
    app = make_app(tmp_path, database_url)
    seed = _seed()
    rng = random.Random(8)
    pid = seed.programme.id
    day, last = date(2015, 9, 28), date(2016, 2, 12)
    while day <= last:
        plan = _edited(seed, day - timedelta(days=1))  # the morning's: yesterday's plan file
        if day == _REVERTED:  # edited for the morning only: the rerun finds items back
            plan = _edited(seed, date(2015, 11, 15))
        report = deadline_check(app, day, plan=plan)
        _assert_day_is_full_assessment(app, report, plan, day)
        _answers(app, plan, day, rng, most=3, label="antwoord", at=time(14))
        morning = _state_event_keys(app, pid, day)
        plan = _edited(seed, day)
        again = deadline_check(app, day, plan=plan)
        assert again.incremental, day  # only what was answered (and depends on it) judged
        with app.session() as session:
            full = _full_assessment(session, plan, day)
            _assert_states_are(session, pid, full, day)
        assert again.counts == {k: v for k, v in full.counts().items() if v}, day
        assert again.programme_rag == full.programme.value, day
        # A full rerun's state events (against the states before the day) join the morning's.
        assert _state_event_keys(app, pid, day) == morning | {e.key for e in full.events}, day
        _assert_memory_is(app, plan, full)
        _assert_tally_fits_rows(app)
        day += timedelta(days=1)


def _retitled(plan: Plan, item_id: str) -> Plan:
    """``plan`` with the title of action ``item_id`` changed (its plan entry edited)."""
    steps = tuple(
        dataclasses.replace(
            s,
            actions=tuple(
                dataclasses.replace(a, title=f"{a.title} (herzien)") if a.id == item_id else a
                for a in s.actions
            ),
        )
        for s in plan.steps
    )
    return dataclasses.replace(plan, steps=steps, source_hash=f"retitled {item_id}")


def test_an_item_prompted_in_the_morning_and_edited_before_a_rerun_escalates_after_grace(
    tmp_path: Path, database_url: str
) -> None:
    """From 28 September on, 1 October's run queues action 3.5's second prompt, unanswered
    five working days later (``unanswered_grace_days``): then it escalates. Its plan entry
    edited before a rerun, the rerun judges it again and finds that prompt on record (not
    prompted now): it must still be checked when the grace ends, and that day's incremental
    run raises the escalation a full assessment raises."""
    app = make_app(tmp_path, database_url)
    seed = _seed()
    pid = seed.programme.id
    for day in (date(2015, 9, 28), date(2015, 9, 29), date(2015, 9, 30), date(2015, 10, 1)):
        deadline_check(app, day, plan=seed)
    with app.session() as session:
        prompted = [p for p in Repository(session, pid).prompt_history(day) if p.item_id == "3.5"]
    assert [p.queued_on for p in prompted if not p.is_escalation][-1:] == [day]
    edited = _retitled(seed, "3.5")
    rerun = deadline_check(app, day, plan=edited)
    assert rerun.incremental and rerun.assessed >= 1
    calendar = WorkCalendar.for_plan(seed)
    nextday = calendar.add_working_days(day, seed.reminders.unanswered_grace_days)
    for later in calendar.working_days_in(day + timedelta(days=1), nextday):
        report = deadline_check(app, later, plan=edited)
        assert report.incremental
        _assert_day_is_full_assessment(app, report, edited, later)
    with app.session() as session:
        raised = [
            p.stage
            for p in Repository(session, pid).prompt_history(nextday)
            if p.item_id == "3.5" and p.queued_on == nextday
        ]
    assert any(s.startswith("escalation:3.5:") and s.endswith(":unanswered") for s in raised)


def test_an_incremental_rerun_leaves_every_table_as_a_full_rerun(tmp_path: Path) -> None:
    """The same days on two SQLite databases, each checked in the morning and again after its
    answers and an action's plan entry edited: the rerun incremental on one, in full on the
    other. After every rerun each table holds the same rows (ids, timestamps and claim tokens
    aside): states, events, prompts, outbox, memory (next checks included) and tally."""
    seed = _seed()
    apps = [make_app(tmp_path / name, f"sqlite:///{tmp_path / name}.db") for name in "ab"]
    actions = [a.id for a in seed.actions()]
    rng = random.Random(15)
    day = date(2015, 9, 28)
    while day <= date(2015, 12, 31):
        plan = _edited(seed, day - timedelta(days=1))
        for app in apps:
            deadline_check(app, day, plan=plan)
        answers = rng.getstate()
        for app in apps:  # the same answers on both
            rng.setstate(answers)
            _answers(app, plan, day, rng, most=4, label="antwoord", at=time(14))
        edited = _retitled(_edited(seed, day), rng.choice(actions))
        incremental = deadline_check(apps[0], day, plan=edited)
        full = deadline_check(apps[1], day, plan=edited, full_assessment=True)
        assert incremental.incremental and not full.incremental, day
        tables = [_table_rows(tmp_path / f"{name}.db") for name in "ab"]
        assert tables[0] == tables[1], (day, [t for t in tables[0] if tables[0][t] != tables[1][t]])
        day += timedelta(days=1)


def _table_rows(path: Path) -> dict[str, list[str]]:
    """Every table's rows, sorted, without ids, timestamps and claim tokens."""
    import sqlite3

    connection = sqlite3.connect(path)
    try:
        names = [n for (n,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )]  # fmt: skip
        out = {}
        for name in names:
            columns = [
                f'"{r[1]}"'
                for r in connection.execute(f'PRAGMA table_info("{name}")')
                if r[2] != "DATETIME" and r[1] not in ("id", "claim_token")
            ]
            rows = connection.execute(f'SELECT {", ".join(columns)} FROM "{name}"')
            out[name] = sorted(map(repr, rows))
        return out
    finally:
        connection.close()


def _state_event_keys(app: App, pid: str, day: date) -> set[str]:
    """The keys of the assessment's events recorded for ``day`` (not the reminders' nor the
    updates' own)."""
    with app.session() as session:
        events = Repository(session, pid).events(since=day)
    others = ("regie.reminder.", "regie.escalation.", "regie.status.")
    return {
        e.dedupe_key for e in events if e.occurred_on == day and not e.dedupe_key.startswith(others)
    }


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
    plan = _seed()
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


def test_a_dependent_item_whose_dependency_was_cancelled_is_undated_every_day(
    tmp_path: Path, database_url: str
) -> None:
    """walk55d 1: action 1.2 (4.2 and 4.3 depend on its milestone 1.2.1 since fix57h) is
    cancelled, milestone by milestone, after the first run: 4.2 is then undated (no date
    counted from the cancellation), on the incremental days as in a full assessment, and never
    asked for an update: its owner is told once that the predecessor was cancelled (fix57f 1),
    no more."""
    app = make_app(tmp_path, database_url)
    plan = _seed()
    pid = plan.programme.id
    first, last = date(2015, 10, 1), date(2015, 11, 13)
    deadline_check(app, first, plan=plan)
    dropped = PlanIndex(plan).dependency_items("1.2")
    with app.session() as session:
        repo = Repository(session, pid)
        for n, item_id in enumerate(dropped):
            repo.add_status_update(
                StatusUpdate(
                    item_id, UpdateStatus.CANCELLED, first + timedelta(days=n),
                    comment="geschrapt", recorded_at=datetime.combine(first, time(18), UTC),
                )
            )  # fmt: skip
        session.commit()
    day = first + timedelta(days=1)
    while day <= last:
        report = deadline_check(app, day, plan=plan)
        _assert_day_is_full_assessment(app, report, plan, day)
        day += timedelta(days=1)
    with app.session() as session:
        state = {r.item_id: r for r, _ in latest_states(session, pid, last, inclusive=True)}
        prompted = [(p.stage, p.contact_id) for p in prompts_of(session, pid, last, ["4.2"])]
    assert (state["4.2"].state, state["4.2"].due) == ("undated", None)
    stages = [stage for stage, _ in prompted]
    assert stages and set(stages) == {"predecessor-cancelled@1.2.1"}, prompted
    assert len(prompted) == len(set(prompted))  # once per contact


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
    with app.session() as session:
        full = _full_assessment(session, plan, day)
    # The report's counts and colour, from the memory's tally on incremental days.
    assert report.counts == {k: v for k, v in full.counts().items() if v}, day
    assert report.programme_rag == full.programme.value, day
    _assert_stored_day_is(app, plan, full, day)
    _assert_tally_fits_rows(app)


#: The memory's rows counted as the stored tally counts them: per action and colour, per state.
_COUNTED_ACTIONS = sa.text(
    "SELECT programme_id, action_code, "
    + ", ".join(f"sum(CASE WHEN rag = '{c}' THEN 1 ELSE 0 END)" for c in COLOUR_ORDER)
    + " FROM item_memory GROUP BY programme_id, action_code"
)
_COUNTED_STATES = sa.text(
    "SELECT programme_id, state, count(*) FROM item_memory GROUP BY programme_id, state"
)
_STORED_ACTIONS = sa.text(
    f"SELECT programme_id, action_code, {', '.join(COLOUR_ORDER)} FROM memory_action_tally"
)
_STORED_STATES = sa.text("SELECT programme_id, state, item_count FROM memory_state_tally")


def _assert_tally_fits_rows(app: App) -> None:
    """The stored tally (changed in place on incremental days) is the rows' own count."""
    with app.engine.connect() as conn:
        for stored, counted in (
            (_STORED_ACTIONS, _COUNTED_ACTIONS),
            (_STORED_STATES, _COUNTED_STATES),
        ):
            rows = sorted(map(tuple, conn.execute(stored).all()))
            assert rows and rows == sorted(map(tuple, conn.execute(counted).all()))


def _assert_outbox_is(
    app: App,
    session: Session,
    messages: list[OutboxRecord],
    plan: Plan,
    full: Assessment,
    reminders: ReminderPlan,
    day: date,
) -> None:
    """The messages queued for ``day`` (of the outbox's ``messages``) are, key for key,
    those the full assessment renders: kind, recipient and addresses, subject, both bodies and
    the payload (with what the templates were given). The delivery fields (status, attempts,
    timestamps, claim) are the store's. The test app has no REGIE_SECRET_KEY, so the digests
    carry no answer links."""
    assert not app.settings.secret_key
    stored = {m.key: _message(m) for m in messages if m.created_on == day}
    # As the cycle: a hand-over names a predecessor removed from the plan (archived); an
    # escalated item that changed hands lately says so.
    pid = plan.programme.id
    held = prompts_of(session, pid, day, {e.item_id for e in reminders.escalations})
    orgs = former_contact_organisations(session, pid)
    handed = escalation_handovers(plan, full, reminders, held, orgs)
    former = former_contact_names(session, pid, former_contacts(plan, reminders, handed))
    rendered = outbox_messages(
        plan,
        full,
        reminders,
        None,
        office_channel=office_channel(app),
        former=former,
        handed=handed,
        # Each digest's other open items, as the full assessment counts them (walk55b 3).
        elsewhere=open_elsewhere(plan, _states(full), reminders.digests, day),
        # The escalations' copies too, as the full assessment counts them (fix57f 2).
        overview=escalations_elsewhere(
            plan, full, reminders, OpenCounts(plan, NOTHING, day, today=_states(full))
        ),
        # The latest answers' forecasts as quoted: own, or an earlier one in force (walk56a 3).
        forecasts=quoted_forecasts(
            session, plan, [full.items[i] for i in named_items(reminders)], day
        ),
    )
    wanted: dict[str, tuple[object, ...]] = {}
    for m in rendered:
        wanted.setdefault(m.key, _message(m))  # as the outbox: the first of a key is kept
    assert stored.keys() == wanted.keys(), day
    for key, message in wanted.items():
        assert stored[key] == message, (day, key)


def _states(assessment: Assessment) -> dict[str, str]:
    return {i: STATE_VALUES[item.state] for i, item in assessment.items.items()}


def _message(m: OutboxRecord) -> tuple[object, ...]:
    """An outbox message's content; the payload as the JSON column gives it back."""
    payload = json.loads(json.dumps(dict(m.payload)))
    return (
        m.kind, m.recipient, m.recipient_name, m.email, m.slack, m.subject, m.body_text,
        m.body_html, payload, m.created_on,
    )  # fmt: skip


def _full_assessment(session: Session, plan: Plan, day: date) -> Assessment:
    from store.first_assessed import first_assessed_days

    pid = plan.programme.id
    previous = Repository(session, pid).previous_states(before=day)
    return assess(
        plan, assessment_updates(session, pid, day), day,
        previous.states if previous else None, WorkCalendar.for_plan(plan),
        previous.stale if previous else None,
        first_assessed=first_assessed_days(session, pid),
    )  # fmt: skip


@pytest.mark.parametrize("spoiled", ["tally", "rows"])
def test_an_inconsistent_memory_is_replaced_by_a_full_assessment(
    tmp_path: Path, database_url: str, spoiled: str
) -> None:
    """A memory that no longer fits the plan is noticed by its counts, and the day assessed
    in full, as a full assessment says, and the memory and its tally rebuilt. ``tally``: the
    stored counts of an action none of whose items is checked that day moved to an action not
    in the plan (their sum unchanged: the roll-ups miss the action). ``rows``: the rows of an
    action with an item checked that day moved so (their number unchanged: the tally has no
    count for that action to take that item's row from)."""
    app = make_app(tmp_path, database_url)
    plan = _seed()
    day = date(2015, 10, 5)
    deadline_check(app, day, plan=plan)
    # The first day an item's next check comes (not always the next: prompts that start on a
    # first run leave the next overdue stages out).
    with app.engine.connect() as conn:
        day = conn.execute(sa.text("SELECT min(next_check) FROM item_memory")).scalar_one()
    day = date.fromisoformat(str(day))
    quiet = (
        "HAVING min(next_check) > :day" if spoiled == "tally" else "HAVING min(next_check) <= :day"
    )
    actions = sa.text(
        f"SELECT action_code FROM item_memory GROUP BY action_code {quiet} ORDER BY action_code"
    ).bindparams(sa.bindparam("day", type_=sa.Date))
    table = "memory_action_tally" if spoiled == "tally" else "item_memory"
    with app.engine.begin() as conn:
        action = conn.execute(actions, {"day": day}).scalars().first()
        assert action is not None
        conn.execute(
            sa.text(f"UPDATE {table} SET action_code = 'verdwenen' WHERE action_code = :a"),
            {"a": action},
        )
    report = deadline_check(app, day, plan=plan)
    assert report.assessed == len(plan.deadlines())  # in full
    _assert_day_is_full_assessment(app, report, plan, day)  # the tally fits the rows again
    with app.engine.connect() as conn:
        codes = conn.execute(sa.text("SELECT action_code FROM item_memory")).scalars().all()
    assert "verdwenen" not in codes and len(codes) == len(plan.deadlines())
    # Repaired: the next day is incremental again, and right.
    day += timedelta(days=1)
    report = deadline_check(app, day, plan=plan)
    assert report.assessed < len(plan.deadlines())
    _assert_day_is_full_assessment(app, report, plan, day)


def test_a_tally_that_does_not_add_up_is_counted_again(
    tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stored tally missing, with an action or state lost, or with a count below zero (a
    hand edit, say):
    its sum differs from the rows', so the day counts the rows instead, stays incremental and
    right, and stores the counted tally; the next day changes that one in place."""
    import store.memory

    saved: list[object] = []
    original = store.memory.save

    def spy(*args: Any, **kwargs: Any) -> None:
        saved.append(kwargs.get("tally"))
        original(*args, **kwargs)

    monkeypatch.setattr(store.memory, "save", spy)
    app = make_app(tmp_path, database_url)
    plan = _seed()
    day = date(2015, 10, 5)
    deadline_check(app, day, plan=plan)
    for spoil in (
        "DELETE FROM memory_action_tally WHERE action_code = "
        "(SELECT min(action_code) FROM memory_action_tally)",
        "DELETE FROM memory_state_tally WHERE state = (SELECT min(state) FROM memory_state_tally)",
        # the sum kept, a count below zero: an action the day may not recount
        "UPDATE memory_action_tally SET green = green + red + 1, red = -1 WHERE action_code = "
        "(SELECT min(action_code) FROM memory_action_tally)",
        "DELETE FROM memory_action_tally",
        None,  # nothing spoiled: the stored tally changed in place
    ):
        if spoil is not None:
            with app.engine.begin() as conn:
                conn.execute(sa.text(spoil))
        day += timedelta(days=1)
        saved.clear()
        report = deadline_check(app, day, plan=plan)
        assert report.assessed < len(plan.deadlines())
        _assert_day_is_full_assessment(app, report, plan, day)
        assert len(saved) == 1 and (saved[0] is None) == (spoil is not None), (spoil, saved)


def test_a_forced_full_run_makes_the_tally_the_rows_own(tmp_path: Path, database_url: str) -> None:
    """Counts moved between colours and states outside the cycle (their sums unchanged) are
    not noticed by an incremental day; a full run asked for (from the memory) writes the rows'
    own tally."""
    app = make_app(tmp_path, database_url)
    plan = _seed()
    day = date(2015, 10, 5)
    deadline_check(app, day, plan=plan)
    with app.engine.begin() as conn:
        conn.execute(
            sa.text(
                "UPDATE memory_action_tally SET red = grey + green + amber + red, grey = 0, "
                "green = 0, amber = 0 WHERE action_code = "
                "(SELECT min(action_code) FROM memory_action_tally)"
            )
        )
        conn.execute(
            sa.text(
                "UPDATE memory_state_tally SET state = 'elders' WHERE state = "
                "(SELECT min(state) FROM memory_state_tally)"
            )
        )
    report = deadline_check(app, day + timedelta(days=1), plan=plan, full_assessment=True)
    assert report.assessed == len(plan.deadlines())
    _assert_day_is_full_assessment(app, report, plan, day + timedelta(days=1))


def test_a_rebuild_does_not_trust_a_spoiled_memory(tmp_path: Path, database_url: str) -> None:
    """A memory row edited by hand (a state and a latest update it never had, its next check
    today): the incremental day and a full run from the memory both trust it and judge the
    item wrongly; a rebuild (``regie cycle --full``) reads item_states and the updates
    instead, records the day (events against the states in item_states included) a full
    assessment records and writes the memory anew. The next day is incremental and right."""
    app = make_app(tmp_path, database_url)
    plan = _seed()
    day = date(2015, 10, 5)
    deadline_check(app, day, plan=plan)
    day += timedelta(days=1)
    pick = sa.text(
        "SELECT item_code FROM item_memory WHERE state = 'on_track' AND due > :day "
        "ORDER BY item_code"
    ).bindparams(sa.bindparam("day", type_=sa.Date))
    with app.engine.begin() as conn:
        item = conn.execute(pick, {"day": day}).scalars().first()
        assert item is not None
        conn.execute(
            sa.text(
                "UPDATE item_memory SET state = 'cancelled', latest_status = 'at_risk', "
                "latest_on = :before, latest_id = NULL, next_check = :day WHERE item_code = :c"
            ).bindparams(sa.bindparam("before", type_=sa.Date), sa.bindparam("day", type_=sa.Date)),
            {"before": day - timedelta(days=1), "day": day, "c": item},
        )
        # The state tally edited to fit (else the day notices the row and assesses in full).
        conn.execute(
            sa.text(
                "UPDATE memory_state_tally SET item_count = item_count - 1 WHERE state = 'on_track'"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO memory_state_tally (programme_id, state, item_count) "
                "VALUES (:p, 'cancelled', 1)"
            ),
            {"p": plan.programme.id},
        )
    with app.session() as session:
        wanted = {k: v for k, v in _full_assessment(session, plan, day).counts().items() if v}
    for trusting in ({}, {"full_assessment": True}):
        misled = deadline_check(app, day, plan=plan, dry_run=True, **trusting)
        assert misled.counts != wanted, trusting  # the spoiled row was believed
        # and its state: the events compare with it (an item back from "cancelled")
        assert any(e.item_id == item for e in misled.events), trusting
    report = deadline_check(app, day, plan=plan, rebuild_memory=True)
    assert report.assessed == len(plan.deadlines())
    assert (report.incremental, report.rebuilt) == (False, True)
    assert report.summary()["rebuilt"] is True
    _assert_day_is_full_assessment(app, report, plan, day)
    with app.session() as session:
        _assert_memory_is(app, plan, _full_assessment(session, plan, day))
    day += timedelta(days=1)
    report = deadline_check(app, day, plan=plan)
    assert report.incremental and report.assessed < len(plan.deadlines())
    _assert_day_is_full_assessment(app, report, plan, day)


def test_a_lost_memory_row_is_assessed_again(tmp_path: Path, database_url: str) -> None:
    """A memory row lost with the plan file unchanged: the count differs from the plan's, so
    the ids are read and the item is re-assessed; the day equals a full assessment and the
    memory holds every item again."""
    app = make_app(tmp_path, database_url)
    plan = _seed()
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
    plan = _seed()
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


def _policy_and_items(seed: Plan, day: date) -> Plan:
    """The days of the full runs' test: action 3.1 is new to the plan on 19 October (never
    assessed before: no item_states rows); from 2 November prompts start earlier and items go
    stale sooner (another policy: a full run, with changed states and stale flags); the
    removal and restoration of action 2.1 (_edited) on top."""
    plan = _edited(seed, day)
    if day < date(2015, 10, 19):
        steps = tuple(
            dataclasses.replace(s, actions=tuple(a for a in s.actions if a.id != "3.1"))
            for s in plan.steps
        )
        plan = dataclasses.replace(plan, steps=steps, source_hash="without-3.1")
    if day >= date(2015, 11, 2):
        policy = dataclasses.replace(plan.reminders, first_prompt_days=20, stale_after_days=12)
        plan = dataclasses.replace(plan, reminders=policy)
    return plan


#: Full runs: forced (``full_assessment``), on the new items' day, on another policy's day,
#: on the day action 2.1 goes and on the day it is back (a public holiday).
_FULL_DAYS = {
    date(2015, 10, 7): "forced",
    date(2015, 10, 19): "forced, new items",
    date(2015, 11, 2): "another policy, 2.1 gone",
    date(2015, 12, 1): "forced",
    date(2016, 1, 1): "forced, 2.1 restored",
}


def _full_days_cycle(app: App, seed: Plan, days: list[date], *, forget: bool) -> dict[date, int]:
    """The cycle on ``days`` with updates between them, full on ``_FULL_DAYS``; ``forget``
    deletes the memory before each of those (a full run the old way, from item_states and the
    updates), else one memory row is lost before the second. Returns the full days'
    re-assessed counts."""
    assessed: dict[date, int] = {}
    for day in days:
        plan = _policy_and_items(seed, day)
        full = day in _FULL_DAYS
        if full and forget:
            with app.engine.begin() as conn:
                conn.execute(sa.text("DELETE FROM item_memory"))
                conn.execute(sa.text("DELETE FROM assessment_memory"))
        elif day == date(2015, 10, 19):
            with app.engine.begin() as conn:
                conn.execute(
                    sa.text("DELETE FROM item_memory WHERE item_code = :c"),
                    {"c": plan.deadlines()[5].item_id},
                )
        report = deadline_check(app, day, plan=plan, full_assessment=full)
        if full:
            assessed[day] = report.assessed
        _add_updates(app, plan, day)
    return assessed


def _cycle_days() -> list[date]:
    days, day = [], date(2015, 9, 28)
    while day <= date(2016, 1, 8):
        if day.weekday() < 5 or day in _FULL_DAYS:
            days.append(day)
        day += timedelta(days=1)
    return days


def test_a_full_run_from_the_memory_equals_a_full_assessment(
    tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full run with a memory of the last assessed day (forced, another policy) takes the
    previous states and most latest updates from the memory rows: its states, events, prompts
    and messages are a full assessment's from item_states and the updates (items new to the
    plan, removed, restored, a lost memory row included), and it leaves the memory a full
    assessment writes (every plan item, nothing else)."""
    import regie.daily

    used: list[date] = []
    original = regie.daily._full_from_memory

    def spy(*args: Any, **kwargs: Any) -> Any:
        used.append(args[2])
        return original(*args, **kwargs)

    monkeypatch.setattr(regie.daily, "_full_from_memory", spy)
    app = make_app(tmp_path, database_url)
    seed = _seed()
    days = _cycle_days()
    checked = 0
    for n, day in enumerate(days):
        plan = _policy_and_items(seed, day)
        if day == date(2015, 10, 19):
            with app.engine.begin() as conn:  # a lost row on a full day: read from item_states
                conn.execute(
                    sa.text("DELETE FROM item_memory WHERE item_code = :c"),
                    {"c": plan.deadlines()[5].item_id},
                )
        deadline_check(app, day, plan=plan, full_assessment=day in _FULL_DAYS)
        if day in _FULL_DAYS or (n and days[n - 1] in _FULL_DAYS):
            with app.session() as session:
                full = _full_assessment(session, plan, day)
            _assert_stored_day_is(app, plan, full, day)
            _assert_memory_is(app, plan, full)
            _assert_tally_fits_rows(app)  # changed in place, or counted again (the lost row)
            checked += 1
        _add_updates(app, plan, day)
    assert used == sorted(_FULL_DAYS)  # each full day went the memory's way
    assert checked == 2 * len(_FULL_DAYS)


def _add_updates(app: App, plan: Plan, day: date) -> None:
    """A few updates after ``day``'s run, some counting from earlier days, some later."""
    rng = random.Random(day.toordinal())
    _answers(app, plan, day, rng, most=4, label="stand", offsets=(-20, -3, 0, 0, 5))


def _answers(
    app: App,
    plan: Plan,
    day: date,
    rng: random.Random,
    *,
    most: int,
    label: str,
    offsets: tuple[int, ...] = (-20, -3, 0, 0, 0, 5),
    at: time = time(18),
    decisions: float = 0.0,
) -> None:
    """Up to ``most`` updates of random plan items stored on ``day`` at ``at``, each counting
    from ``day`` plus one of ``offsets`` (back-filled, of the day, post-dated), some with a
    forecast; the share ``decisions`` of them recorded by a decision (source ``decision``)."""
    with app.session() as session:
        repo = Repository(session, plan.programme.id)
        current = [d.item_id for d in plan.deadlines()]
        for k in range(rng.randint(0, most)):
            reported = day + timedelta(days=rng.choice(offsets))
            repo.add_status_update(
                StatusUpdate(
                    rng.choice(current), rng.choice(_STATUSES), reported,
                    forecast=reported + timedelta(days=rng.randint(-10, 90))
                    if rng.random() < 0.3 else None,
                    comment=f"{label} {day} ({k})", author=f"eigenaar-{k}",
                    source="decision" if decisions and rng.random() < decisions else "web",
                    recorded_at=datetime.combine(day, at, UTC),
                )
            )  # fmt: skip
        session.commit()


def _assert_stored_day_is(app: App, plan: Plan, full: Assessment, day: date) -> None:
    """States, events, prompts and messages of ``day`` as ``full`` says (see
    :func:`_assert_day_is_full_assessment`, without the report)."""
    cal = WorkCalendar.for_plan(plan)
    with app.session() as session:
        repo = Repository(session, plan.programme.id)
        _assert_states_are(session, plan.programme.id, full, day)
        # The prompts and the outbox read once each (nothing is written in this session): a
        # replay's outbox grows every day, and each message's payload is decoded.
        history = repo.prompt_history(until=day)
        messages = repo.outbox()
        before = [r for r in history if r.queued_on < day]
        # As the cycle: a hand-over's predecessors by the organisations of contacts removed.
        orgs = former_contact_organisations(session, plan.programme.id)
        undelivered = _undelivered(messages, day)
        reminders = plan_reminders(plan, full, before, day, cal, undelivered, former=orgs)
        if not cal.is_working_day(day):
            reminders = quiet(reminders)
        queued = sorted((r.item_id, r.stage, r.contact_id) for r in history if r.queued_on == day)
        assert queued == sorted((r.item_id, r.stage, r.contact_id) for r in reminders.records)
        recorded = {e.dedupe_key for e in repo.events(since=day) if e.occurred_on == day}
        assert recorded == {e.key for e in [*full.events, *reminders.events]}, day
        _assert_outbox_is(app, session, messages, plan, full, reminders, day)


def _undelivered(messages: list[OutboxRecord], day: date) -> set[tuple[str, str]]:
    """The (item, stage) pairs the reminder digests queued before ``day`` carried and none of
    them delivered (these tests queue and never send: every one of them). A withdrawn digest
    asked nobody: it neither delivers nor withholds."""
    carried: set[tuple[str, str]] = set()
    sent: set[tuple[str, str]] = set()
    for m in messages:
        withdrawn = m.status == "suppressed" and (m.last_error or "").startswith("withdrawn")
        if m.kind != "reminder_digest" or withdrawn or m.created_on is None:
            continue
        if m.created_on < day:
            pairs = {(i["id"], i["stage"]) for i in m.payload["items"]}
            carried |= pairs
            if m.status == "sent":
                sent |= pairs
    return carried - sent


def _assert_memory_is(app: App, plan: Plan, full: Assessment) -> None:
    """The memory holds every plan item and nothing else, as ``full`` judged it, with its
    plan entry's fingerprint and its latest update's id, day and status."""
    from governance.incremental import item_fingerprint

    with app.session() as session:
        from store.memory import load_all

        rows, fingerprints = load_all(session, plan.programme.id)
    by_id = {d.item_id: d for d in plan.deadlines()}
    assert rows.keys() == by_id.keys() == full.items.keys()
    for item_id, item in full.items.items():
        r = rows[item_id]
        latest = item.latest_update
        assert (r.state, r.rag, r.stale, r.due, r.action_id) == (
            item.state.value, item.rag.value, item.stale, item.due, item.action_id,
        ), item_id  # fmt: skip
        assert (r.latest_id, r.latest_on, r.latest_status, r.forecast) == (
            latest.id if latest else None, latest.reported_on if latest else None,
            latest.status.value if latest else None, item.forecast,
        ), item_id  # fmt: skip
        assert fingerprints[item_id] == item_fingerprint(by_id[item_id]), item_id


def test_a_full_run_from_the_memory_leaves_the_tables_of_one_without(tmp_path: Path) -> None:
    """The same days on two SQLite databases, the memory deleted before each full day on the
    second (the full run the old way): every table ends the same, row for row (timestamps
    and claim tokens aside), and the memory held for each full day on the first."""
    from benchmarks.step import table_hashes

    seed = _seed()
    days = _cycle_days()
    hashes = []
    for name, forget in (("memory", False), ("forgotten", True)):
        url = f"sqlite:///{tmp_path / name}.db"
        app = make_app(tmp_path / name, url)
        assessed = _full_days_cycle(app, seed, days, forget=forget)
        assert set(assessed) == set(_FULL_DAYS)
        app.engine.dispose()
        hashes.append(list(table_hashes(tmp_path / f"{name}.db")))
    assert hashes[0] == hashes[1]
