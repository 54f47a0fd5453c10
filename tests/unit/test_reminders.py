"""The reminder policy: stages, catch-up, digests per contact, escalations, idempotency."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from governance import reminders
from governance.assessment import assess
from governance.periods import Period
from governance.plan import Plan
from governance.reminders import (
    PromptRecord,
    ReminderPlan,
    current_stage,
    free_key,
    plan_reminders,
    stages,
    with_free_keys,
)
from governance.updates import StatusUpdate, UpdateStatus
from governance.workdays import WorkCalendar
from tests.unit.planbuilder import (
    Updates,
    act,
    contact,
    dependent,
    from_,
    make_plan,
    month,
    ms,
    on,
    policy,
    quarter,
    tbd,
)

CAL = WorkCalendar("NL")
DUE = date(2015, 9, 30)  # Q3-2015
ANN, PO = contact("ann", "IenM"), contact("po", "Bureau", office=True)


def one_item(**overrides: int | bool) -> Plan:
    item = act("1.1", ms("1.1.1", quarter(2015, 3)))
    return make_plan(item, contacts=(ANN, PO), reminders=policy(**overrides))


def today(
    plan: Plan, updates: list[StatusUpdate], as_of: date, history: list[PromptRecord]
) -> ReminderPlan:
    assessment = assess(plan, updates, as_of, calendar=CAL)
    return plan_reminders(plan, assessment, history, as_of, CAL)


def simulate(
    plan: Plan,
    updates: list[StatusUpdate],
    days: Iterable[date],
    history: list[PromptRecord] | None = None,
) -> list[ReminderPlan]:
    """One run per day, feeding what was queued back as history."""
    history = [] if history is None else history
    out = []
    for d in days:
        result = today(plan, updates, d, history)
        history.extend(result.records)
        out.append(result)
    return out


def prompts(results: list[ReminderPlan]) -> list[tuple[date, str, str]]:
    return [(r.as_of, i.item_id, i.stage) for r in results for d in r.digests for i in d.items]


def escalations(results: list[ReminderPlan]) -> list[tuple[date, str, str]]:
    return [(r.as_of, e.key, e.kind) for r in results for e in r.escalations]


def working(a: date, b: date) -> list[date]:
    return list(CAL.working_days_in(a, b))


FIRST = CAL.window_start(DUE, 15)
SECOND = CAL.window_start(DUE, 5)


def at(stage: str, due: date = DUE) -> str:
    """The name of a dated stage: the stage and the due date it is about."""
    return f"{stage}@{due.isoformat()}"


# --- stages ----------------------------------------------------------------------------------


def test_stages_follow_the_due_date() -> None:
    plan = one_item()

    def stage(as_of: date) -> str | None:
        item = assess(plan, [], as_of, calendar=CAL).items["1.1.1"]
        found = current_stage(item, as_of, plan.reminders, CAL, end=None)
        return found.name if found else None

    assert stage(FIRST - timedelta(days=1)) is None
    assert stage(FIRST) == at("first")
    assert stage(SECOND) == at("second")
    assert stage(DUE) == at("due")
    assert stage(CAL.add_working_days(DUE, 4)) == at("due")
    assert stage(CAL.add_working_days(DUE, 5)) == at("overdue-1")
    assert stage(CAL.add_working_days(DUE, 14)) == at("overdue-2")
    assert stage(CAL.add_working_days(DUE, 15)) == at("overdue-3")


#: The overdue stages at their own cadence, also after an escalation (no back-off).
NO_BACK_OFF = {"after_escalation_every_days": 5}


def test_daily_runs_prompt_every_stage_once_on_the_day_it_opens() -> None:
    plan = one_item(**NO_BACK_OFF)
    results = simulate(plan, [], working(date(2015, 8, 3), CAL.add_working_days(DUE, 12)))
    assert [(d, s) for d, _, s in prompts(results)] == [
        (FIRST, at("first")),
        (SECOND, at("second")),
        (DUE, at("due")),
        (CAL.add_working_days(DUE, 5), at("overdue-1")),
        (CAL.add_working_days(DUE, 10), at("overdue-2")),
    ]


def test_catch_up_after_a_gap_sends_only_the_current_stage_once() -> None:
    plan = one_item()
    history: list[PromptRecord] = []
    before = simulate(plan, [], [FIRST - timedelta(days=1)], history)
    assert prompts(before) == []
    # The runs for the whole first window were missed; the next one lands in the second window.
    after = simulate(
        plan, [], working(CAL.add_working_days(SECOND, 1), DUE - timedelta(1)), history
    )
    assert [(d, s) for d, _, s in prompts(after)] == [
        (CAL.add_working_days(SECOND, 1), at("second"))
    ]


def test_a_late_catch_up_is_not_followed_by_a_prompt_the_next_day() -> None:
    """Missed runs end a working day before overdue-2: overdue-1 is caught up, and overdue-2
    is left out (overdue_every_days 5: at least 3 working days apart); overdue-3 asks as
    planned. Missed runs that end early in a stage leave the next one as it was."""
    plan = one_item(**NO_BACK_OFF)
    day = functools.partial(CAL.add_working_days, DUE)
    every_day = working(DUE, day(20))
    late = simulate(plan, [], [d for d in every_day if d not in {day(k) for k in range(5, 9)}])
    assert [(d, s) for d, _, s in prompts(late)] == [
        (DUE, at("due")),
        (day(9), at("overdue-1")),
        (day(15), at("overdue-3")),
        (day(20), at("overdue-4")),
    ]
    early = simulate(plan, [], [d for d in every_day if d != day(5)])
    assert [(d, s) for d, _, s in prompts(early)] == [
        (DUE, at("due")),
        (day(6), at("overdue-1")),
        (day(10), at("overdue-2")),
        (day(15), at("overdue-3")),
        (day(20), at("overdue-4")),
    ]


def test_a_missed_first_day_does_not_lose_the_prompt() -> None:
    plan = one_item()
    late = CAL.add_working_days(FIRST, 2)
    results = simulate(plan, [], working(late, CAL.add_working_days(late, 3)))
    assert [(d, s) for d, _, s in prompts(results)] == [(late, at("first"))]


def test_no_prompts_for_done_cancelled_undated_or_waiting_items() -> None:
    plan = make_plan(
        act(
            "1.1",
            ms("1.1.1", quarter(2015, 3)),
            ms("1.1.2", quarter(2015, 3)),
            ms("1.1.3", tbd()),
            ms("1.1.4", dependent(), depends_on=("1.2",)),
        ),
        act("1.2", period=quarter(2016, 4)),
        contacts=(ANN, PO),
    )
    ups = Updates()
    ups.add("1.1.1", "done", date(2015, 8, 3))
    ups.add("1.1.2", "cancelled", date(2015, 8, 3))
    results = simulate(plan, ups.all, working(date(2015, 8, 3), date(2015, 12, 31)))
    assert {item for _, item, _ in prompts(results)} == set()


def test_an_answer_in_a_stage_suppresses_that_stage_only() -> None:
    plan = one_item()
    ups = Updates()
    ups.add("1.1.1", "on_track", CAL.add_working_days(FIRST, 1))
    results = simulate(plan, ups.all, working(CAL.add_working_days(FIRST, 1), DUE))
    assert [(d, s) for d, _, s in prompts(results)] == [(SECOND, at("second")), (DUE, at("due"))]
    # An answer from before the stage opened does not count for it.
    early = Updates()
    early.add("1.1.1", "on_track", CAL.add_working_days(FIRST, -1))
    results = simulate(plan, early.all, working(FIRST, FIRST))
    assert [s for _, _, s in prompts(results)] == [at("first")]


def test_a_slipped_item_is_prompted_on_its_forecast_and_escalates_from_its_lapse() -> None:
    """Past its due date the owner's forecast is the commitment: no prompt before it, a prompt
    on the forecast day (``due@F``), overdue prompts counted from F, and the overdue
    escalation ``escalate_after_overdue_days`` (10) after F: not the day after F (review
    "owner", finding 6)."""
    plan = one_item(escalate_after_unanswered=0)
    ups = Updates()
    forecast = date(2015, 10, 30)  # a Friday
    ups.add("1.1.1", "at_risk", DUE, forecast=forecast)
    days = working(CAL.add_working_days(DUE, 1), CAL.add_working_days(forecast, 12))
    results = simulate(plan, ups.all, days)
    assert [(d, s) for d, _, s in prompts(results)] == [
        (forecast, at("due", forecast)),
        (CAL.add_working_days(forecast, 5), at("overdue-1", forecast)),
        (CAL.add_working_days(forecast, 10), at("overdue-2", forecast)),
    ]
    assert escalations(results) == [
        (CAL.add_working_days(forecast, 10), "escalation:1.1.1:1:overdue", "overdue")
    ]
    (raised,) = [r for r in results if r.escalations]
    assert "10 past the forecast 2015-10-30" in raised.escalations[0].reason


def test_a_forecast_shared_by_items_due_on_different_days_is_staged_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past their due dates, items whose owners gave the same forecast share its stage, whatever
    their due dates and states: it is worked out once a day (RESULTS §5, round 23), and it is
    each item's own stage."""
    plan = make_plan(
        act(
            "1.1",
            ms("1.1.1", quarter(2015, 1)),
            ms("1.1.2", quarter(2015, 2)),
            ms("1.1.3", quarter(2015, 3)),
            ms("1.1.4", quarter(2015, 4)),  # a forecast before the due date: not the forecast's
        ),
        contacts=(ANN, PO),
        reminders=policy(),
    )
    ups = Updates()
    forecast = date(2015, 10, 30)
    for item, status in (("1.1.1", "at_risk"), ("1.1.2", "on_track"), ("1.1.3", "at_risk")):
        ups.add(item, status, date(2015, 7, 1), forecast=forecast)
    ups.add("1.1.4", "on_track", date(2015, 7, 1), forecast=forecast)
    as_of = CAL.add_working_days(forecast, 7)
    assessment = assess(plan, ups.all, as_of, calendar=CAL)
    alone = {i: current_stage(item, as_of, plan.reminders, CAL, end=None) for i, item in
             assessment.items.items()}  # fmt: skip
    worked_out: list[date] = []
    staged = stages._forecast_stage

    def counted(f: date, *args: object) -> object:
        worked_out.append(f)
        return staged(f, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(stages, "_forecast_stage", counted)
    questions = reminders.prompt_questions(assessment, as_of, plan.reminders, CAL, end=None)
    assert worked_out == [forecast]
    assert {i: q.stage for i, q in questions.items()} == {
        i: None if stage is None else stage.name for i, stage in alone.items()
    }
    assert {questions[i].stage for i in ("1.1.1", "1.1.2", "1.1.3")} == {at("overdue-1", forecast)}
    assert questions["1.1.4"].stage is None  # its due date's window has not opened


def test_a_forecast_on_a_day_off_is_prompted_on_the_next_working_day() -> None:
    plan = one_item()
    ups = Updates()
    forecast = date(2015, 10, 31)  # a Saturday
    ups.add("1.1.1", "at_risk", DUE, forecast=forecast)
    results = simulate(plan, ups.all, working(CAL.add_working_days(DUE, 1), date(2015, 11, 3)))
    assert [(d, s) for d, _, s in prompts(results)] == [(date(2015, 11, 2), at("due", forecast))]
    assert escalations(results) == []


def test_unanswered_prompts_escalate_after_the_owners_grace_over_the_holidays() -> None:
    """The second unanswered prompt (the first overdue one) on Christmas Eve: the owner has 5
    working days to answer it (25 and 26 December and 1 January are holidays), so the
    escalation for two unanswered prompts comes on 4 January, not on 28 December (review
    "owner", finding 5)."""
    item = act("3.1", ms("3.1.1", on(date(2026, 12, 18))))  # due Friday 18 December 2026
    rules = {"overdue_every_days": 4, "escalate_after_overdue_days": 20}
    plan = make_plan(item, contacts=(ANN, PO), reminders=policy(**rules))
    days = working(date(2026, 12, 1), date(2027, 1, 8))
    results = simulate(plan, [], days)
    assert (date(2026, 12, 18), "3.1.1", "due@2026-12-18") in prompts(results)
    assert (date(2026, 12, 24), "3.1.1", "overdue-1@2026-12-18") in prompts(results)
    assert [(d, kind) for d, _, kind in escalations(results)] == [(date(2027, 1, 4), "unanswered")]
    assert CAL.working_days_between(date(2026, 12, 24), date(2027, 1, 4)) == 5
    # 0: the escalation the day after the prompt that makes the count, as before.
    eager = make_plan(item, contacts=(ANN, PO), reminders=policy(**rules, unanswered_grace_days=0))
    assert [d for d, _, _ in escalations(simulate(eager, [], days))] == [date(2026, 12, 28)]


def test_ongoing_items_get_one_prompt_per_quarter_from_their_start() -> None:
    start = date(2016, 1, 4)
    plan = make_plan(
        act("1.1", period=from_(start)),
        contacts=(ANN, PO),
        reminders=policy(escalate_after_unanswered=0),
    )
    ups = Updates()
    ups.add("1.1", "on_track", date(2016, 7, 1))  # answered on the first day of Q3
    results = simulate(plan, ups.all, working(date(2015, 12, 1), date(2016, 9, 30)))
    assert [(d, s) for d, _, s in prompts(results)] == [
        (start, "periodic-2016Q1"),
        (date(2016, 4, 1), "periodic-2016Q2"),
    ]


def test_the_questions_need_the_programme_end_and_ask_no_ongoing_item_after_it() -> None:
    """tidy49: ``end`` has no default, so no caller can leave the plan's end out by accident;
    after it an item without a deadline has no quarterly stage left."""
    plan = make_plan(
        act("1.1", period=from_(date(2016, 1, 4))), contacts=(ANN, PO), reminders=policy()
    )
    as_of = date(2016, 4, 1)  # the first day of Q2: its quarterly prompt
    assessment = assess(plan, [], as_of, calendar=CAL)
    asked = reminders.prompt_questions(assessment, as_of, plan.reminders, CAL, end=None)
    assert asked["1.1"].stage == "periodic-2016Q2"
    ended = reminders.prompt_questions(
        assessment, as_of, plan.reminders, CAL, end=date(2016, 3, 31)
    )
    assert ended["1.1"].stage is None
    with pytest.raises(TypeError, match="end"):
        reminders.prompt_questions(assessment, as_of, plan.reminders, CAL)  # type: ignore[call-arg]


# --- digests ---------------------------------------------------------------------------------


def test_one_digest_per_contact_per_day_and_the_office_covers_missing_contacts() -> None:
    bob = contact("bob", "IenM")
    plan = make_plan(
        act("1.1", ms("1.1.1", quarter(2015, 3)), ms("1.1.2", quarter(2015, 3))),
        act("1.2", ms("1.2.1", quarter(2015, 3)), owners=("EZ",)),
        act("1.3", ms("1.3.1", quarter(2015, 3)), owners=("IenM", "EZ")),
        contacts=(ANN, bob, PO),
    )
    result = today(plan, [], FIRST, [])
    by_contact = {d.contact_id: d for d in result.digests}
    assert set(by_contact) == {"ann", "bob", "po"}
    for who in ("ann", "bob"):
        assert [i.item_id for i in by_contact[who].items] == ["1.1.1", "1.1.2", "1.3.1"]
        assert all(i.note is None for i in by_contact[who].items)
    office = by_contact["po"].items
    assert [(i.item_id, i.note) for i in office] == [
        ("1.2.1", "no contact for EZ"),
        ("1.3.1", "no contact for EZ"),
    ]
    assert by_contact["ann"].key == f"reminder:test:ann:{FIRST.isoformat()}:digest"
    assert by_contact["ann"].items[0].due == DUE and by_contact["ann"].items[0].stage == at("first")
    queued = [(e.name, e.item_id, e.payload["contact"]) for e in result.events]
    assert len(queued) == 8 and {n for n, _, _ in queued} == {"regie.reminder.queued"}
    assert len({e.key for e in result.events}) == 8


def test_reruns_are_stable_and_idempotent() -> None:
    plan = one_item()
    first = today(plan, [], FIRST, [])
    assert today(plan, [], FIRST, []) == first
    assert [e.key for e in today(plan, [], FIRST, []).events] == [e.key for e in first.events]
    rerun = today(plan, [], FIRST, list(first.records))
    assert rerun.digests == () and rerun.records == ()


def test_prompts_nobody_can_receive_are_reported() -> None:
    plan = make_plan(act("1.1", ms("1.1.1", quarter(2015, 3))))
    result = today(plan, [], FIRST, [])
    assert result.digests == ()
    assert [(i.item_id, i.stage) for i in result.unaddressed] == [("1.1.1", at("first"))]


# --- escalations -----------------------------------------------------------------------------


def test_escalation_after_two_unanswered_prompts_is_raised_once() -> None:
    # Overdue later than the two prompts from the due date on (``due``, ``overdue-1``) and
    # the grace after the second; the first and second before the due date do not count.
    plan = one_item(escalate_after_overdue_days=20)
    results = simulate(plan, [], working(date(2015, 8, 3), date(2015, 12, 31)))
    assert escalations(results) == [
        (CAL.add_working_days(DUE, 10), "escalation:1.1.1:none:unanswered", "unanswered")
    ]
    day = next(r for r in results if r.escalations)
    (digest,) = day.escalation_digests
    assert (digest.contact_id, digest.key) == ("po", f"escalation:test:po:{day.as_of.isoformat()}")
    assert digest.escalations[0].contact_ids == ("po",)
    raised = [e for r in results for e in r.events if e.name == "regie.escalation.raised"]
    assert [e.item_id for e in raised] == ["1.1.1"]


def test_a_rerun_of_the_day_queues_its_digests_under_keys_not_taken() -> None:
    """Keys an earlier run of the day queued are avoided (``key:2``, ``key:3`` …) for the
    digests and escalation digests alike; the reminder events name the digest that carries
    them; nothing changes when no key of the day is taken."""
    plan = one_item()
    results = simulate(plan, [], working(date(2015, 8, 3), date(2015, 12, 31)))
    day = next(r for r in results if r.digests)
    (digest,) = day.digests
    assert with_free_keys(day, set()) is day
    assert with_free_keys(day, {"elders"}) == day
    again = with_free_keys(day, {digest.key})
    assert [d.key for d in again.digests] == [f"{digest.key}:2"]
    assert again.digests[0].items == digest.items and again.records == day.records
    queued = [e for e in again.events if e.name == "regie.reminder.queued"]
    assert queued and {e.payload["digest"] for e in queued} == {f"{digest.key}:2"}
    assert [e.key for e in again.events] == [e.key for e in day.events]
    escalated = next(r for r in results if r.escalation_digests)
    (office,) = escalated.escalation_digests
    later = with_free_keys(escalated, {office.key, f"{office.key}:2"})
    assert [e.key for e in later.escalation_digests] == [f"{office.key}:3"]
    assert later.escalation_digests[0].escalations == office.escalations
    # Each escalation event names the digest that carries it to each contact, renamed too.
    raised = [e for e in escalated.events if e.name == "regie.escalation.raised"]
    assert raised and {e.payload["digests"] for e in raised} == {office.key}
    renamed = [e for e in later.events if e.name == "regie.escalation.raised"]
    assert {e.payload["digests"] for e in renamed} == {f"{office.key}:3"}
    assert [e.key for e in renamed] == [e.key for e in raised]
    assert free_key("k", ()) == "k" and free_key("k", {"k", "k:2", "k:3"}) == "k:4"


def test_a_new_answer_then_more_silence_escalates_again() -> None:
    plan = one_item()
    ups = Updates()
    answer = ups.add("1.1.1", "at_risk", CAL.add_working_days(DUE, 1))
    results = simulate(plan, ups.all, working(date(2015, 8, 3), date(2015, 12, 31)))
    # Before the answer: first + second unanswered, but asked before the due date they do
    # not escalate (walk32b 2). After it: silent for 10 working days, overdue.
    assert escalations(results) == [
        (CAL.add_working_days(DUE, 11), f"escalation:1.1.1:{answer.id}:overdue", "overdue"),
    ]


def test_escalation_after_ten_working_days_overdue() -> None:
    plan = one_item(escalate_after_unanswered=0)
    days = working(date(2015, 8, 3), date(2015, 12, 31))
    assert escalations(simulate(plan, [], days)) == [
        (CAL.add_working_days(DUE, 10), "escalation:1.1.1:none:overdue", "overdue")
    ]
    # An answer after the due date restarts the count from the answer.
    ups = Updates()
    answer = ups.add("1.1.1", "at_risk", CAL.add_working_days(DUE, 3))
    assert escalations(simulate(plan, ups.all, days)) == [
        (CAL.add_working_days(DUE, 13), f"escalation:1.1.1:{answer.id}:overdue", "overdue")
    ]


def test_no_escalation_for_done_items() -> None:
    plan = one_item()
    ups = Updates()
    ups.add("1.1.1", "done", CAL.add_working_days(SECOND, 1))
    results = simulate(plan, ups.all, working(date(2015, 8, 3), date(2015, 12, 31)))
    assert escalations(results) == []
    assert [s for _, _, s in prompts(results)] == [at("first"), at("second")]


def test_without_a_programme_office_an_escalation_is_still_raised_once() -> None:
    plan = make_plan(act("1.1", ms("1.1.1", quarter(2015, 3))), contacts=(ANN,))
    results = simulate(plan, [], working(date(2015, 8, 3), date(2015, 12, 31)))
    assert [key for _, key, _ in escalations(results)] == ["escalation:1.1.1:none:overdue"]
    assert all(r.escalation_digests == () for r in results)
    (raised,) = [e for r in results for e in r.events if e.name == "regie.escalation.raised"]
    assert raised.payload["contacts"] == ""


def test_the_assessment_must_be_for_the_same_day() -> None:
    plan = one_item()
    assessment = assess(plan, [], FIRST, calendar=CAL)
    with pytest.raises(ValueError, match="assessment is for"):
        plan_reminders(plan, assessment, [], FIRST + timedelta(days=1), CAL)


# --- a changed due date: every due date gets its own stages ----------------------------------


def single(period: Period, **overrides: int | bool) -> Plan:
    return make_plan(
        act("1.1", ms("1.1.2", period)), contacts=(ANN, PO), reminders=policy(**overrides)
    )


def revised(
    before: Plan, after: Plan, days: tuple[date, date, date], updates: list[StatusUpdate]
) -> tuple[list[ReminderPlan], list[ReminderPlan]]:
    """Daily runs on ``before`` from days[0], then on ``after`` from days[1] up to days[2]."""
    start, revised_on, end = days
    history: list[PromptRecord] = []
    old = simulate(before, updates, working(start, revised_on - timedelta(days=1)), history)
    return old, simulate(after, updates, working(revised_on, end), history)


def stages_for(due: date, *names: str, on: date | None = None) -> list[tuple[date, str]]:
    """(day it opens, stage) of the usual stages of ``due``; the first may open late, ``on``."""
    opens = {
        "first": CAL.window_start(due, 15),
        "second": CAL.window_start(due, 5),
        "due": CAL.working_day_on_or_after(due),
        "overdue-1": CAL.add_working_days(due, 5),
        "overdue-2": CAL.add_working_days(due, 10),
    }
    out = [(opens[n], at(n, due)) for n in names]
    return [(on, out[0][1]), *out[1:]] if on else out


def test_a_due_date_moved_later_gets_its_own_prompts_and_escalation() -> None:
    old_due, new_due = date(2016, 3, 31), date(2016, 9, 30)  # 1.1.2: Q1-2016 became Q3-2016
    days = (date(2016, 3, 1), date(2016, 4, 15), CAL.add_working_days(new_due, 10))
    ups = Updates()
    answer = ups.add("1.1.2", "on_track", days[1])  # the owner agrees to the new date
    old, new = revised(
        single(quarter(2016, 1), **NO_BACK_OFF),
        single(quarter(2016, 3), **NO_BACK_OFF),
        days,
        ups.all,
    )
    before = [(d, s) for d, _, s in prompts(old)]
    assert before[:3] == stages_for(old_due, "first", "second", "due")
    # ... up to the overdue stage of the last run before the revision.
    overdue = CAL.working_days_between(old_due, old[-1].as_of) // 5
    assert overdue >= 1 and before[-1][1] == at(f"overdue-{overdue}", old_due)
    # The old date's first/second/due/overdue prompts do not stand in for the new date's.
    assert [(d, s) for d, _, s in prompts(new)] == stages_for(
        new_due, "first", "second", "due", "overdue-1", "overdue-2"
    )
    # Silent since the answer: one escalation in the new run, once the new date is 10 working
    # days past (the prompts before it do not count as unanswered, walk32b 2).
    assert escalations(new) == [
        (
            CAL.add_working_days(new_due, 10),
            f"escalation:1.1.2:{answer.id}:overdue",
            "overdue",
        )
    ]


def test_a_due_date_moved_earlier_gets_its_own_prompts() -> None:
    old_due, new_due = date(2016, 12, 31), date(2016, 12, 21)  # Q4-2016 became 21 Dec 2016
    revised_on = date(2016, 12, 12)
    # Revised after the old first prompt, before the new second window: the new first is due.
    assert CAL.window_start(old_due, 15) < revised_on < CAL.window_start(new_due, 5)
    days = (date(2016, 11, 1), revised_on, CAL.add_working_days(new_due, 4))
    old, new = revised(single(quarter(2016, 4)), single(on(new_due)), days, [])
    assert [(d, s) for d, _, s in prompts(old)] == stages_for(old_due, "first")
    # The new first is asked late, on the 12th, two working days before the second window
    # opens: the second is left out (not two prompts in three days); the due date asks.
    assert CAL.working_days_between(revised_on, CAL.window_start(new_due, 5)) == 2
    assert [(d, s) for d, _, s in prompts(new)] == stages_for(
        new_due, "first", "due", on=revised_on
    )


def test_a_revision_that_keeps_the_due_date_prompts_no_stage_twice() -> None:
    # Q3-2016 rewritten as "2016-09": a new text, the same due date.
    due = date(2016, 9, 30)
    days = (date(2016, 8, 1), CAL.add_working_days(CAL.window_start(due, 15), 2), due)
    old, new = revised(single(quarter(2016, 3)), single(month(2016, 9)), days, [])
    assert [(d, s) for d, _, s in prompts(old)] == stages_for(due, "first")
    assert [(d, s) for d, _, s in prompts(new)] == stages_for(due, "second", "due")


def test_a_dependent_item_is_prompted_for_every_date_it_gets() -> None:
    plan = make_plan(
        act("1.1", ms("1.1.1", quarter(2015, 3)), ms("1.1.2", dependent(), depends_on=("1.1.1",))),
        contacts=(ANN, PO),
    )
    lead = plan.reminders.dependency_lead_days
    ups = Updates()
    ups.add("1.1.1", "done", date(2015, 9, 1))
    ups.add("1.1.1", "on_track", date(2015, 10, 1))  # reopened: 1.1.2 waits again
    ups.add("1.1.1", "done", date(2015, 11, 2))
    first_due = CAL.add_working_days(date(2015, 9, 1), lead)
    second_due = CAL.add_working_days(date(2015, 11, 2), lead)
    # Reopened before the first date's overdue prompt, so that one is never due.
    assert first_due < date(2015, 10, 1) < CAL.add_working_days(first_due, 5)
    results = simulate(
        plan, ups.all, working(date(2015, 8, 3), CAL.add_working_days(second_due, 4))
    )
    assert [(d, s) for d, item, s in prompts(results) if item == "1.1.2"] == [
        *stages_for(first_due, "first", "second", "due"),
        *stages_for(second_due, "first", "second", "due"),
    ]


def test_unanswered_counts_distinct_stages_not_contacts() -> None:
    bob = contact("bob", "IenM")
    item = act("1.1", ms("1.1.1", quarter(2015, 3)))
    rules = policy(escalate_after_overdue_days=20)
    plan = make_plan(item, contacts=(ANN, bob, PO), reminders=rules)
    results = simulate(plan, [], working(date(2015, 8, 3), date(2015, 12, 31)))
    first_day = next(r for r in results if r.as_of == DUE)
    assert len(first_day.records) == 2  # one stage, two contacts
    assert escalations(results) == [
        (CAL.add_working_days(DUE, 10), "escalation:1.1.1:none:unanswered", "unanswered")
    ]


# --- property: replaying two years never duplicates a prompt or an event ----------------------

PLAN = make_plan(
    act("1.1", ms("1.1.1", quarter(2015, 3)), ms("1.1.2", quarter(2016, 1)), period=tbd()),
    act("1.2", ms("1.2.1", dependent(), depends_on=("1.1.1",)), ms("1.2.2", quarter(2016, 2))),
    act("2.1", period=from_(date(2015, 10, 1))),
    act("2.2", period=quarter(2015, 4), owners=("EZ",), depends_on=("1.2",)),
    act("2.3", ms("2.3.1", quarter(2016, 3), owners=("IenM", "EZ"))),
    contacts=(ANN, contact("bob", "IenM"), PO),
)
ITEMS = [d.item_id for d in PLAN.deadlines()]
START, END = date(2015, 6, 1), date(2017, 5, 31)
DAYS = working(START, END)


@st.composite
def histories(draw: st.DrawFn) -> tuple[list[StatusUpdate], list[date]]:
    updates = [
        StatusUpdate(
            draw(st.sampled_from(ITEMS)),
            draw(st.sampled_from(list(UpdateStatus))),
            START + timedelta(days=draw(st.integers(0, 730))),
            forecast=draw(st.none() | st.dates(START, END)),
            id=n + 1,
        )
        for n in range(draw(st.integers(0, 15)))
    ]
    skip = draw(st.sets(st.integers(0, len(DAYS) - 1), max_size=200))
    return updates, [d for i, d in enumerate(DAYS) if i not in skip]


@settings(max_examples=12, deadline=None)
@given(histories())
def test_replaying_two_years_never_queues_or_emits_twice(
    case: tuple[list[StatusUpdate], list[date]],
) -> None:
    updates, days = case
    history: list[PromptRecord] = []
    previous: dict[str, str] | None = None
    previous_stale: frozenset[str] | None = None
    stages: set[tuple[str, str]] = set()
    keys: set[str] = set()
    for as_of in days:
        assessment = assess(
            PLAN, updates, as_of, previous=previous, calendar=CAL, previous_stale=previous_stale
        )
        result = plan_reminders(PLAN, assessment, history, as_of, CAL)
        queued_today = {(r.item_id, r.stage) for r in result.records}
        assert not queued_today & stages, as_of
        stages |= queued_today
        # Transition events exactly for the items whose state changed.
        changed = {i for i, s in assessment.states().items() if (previous or {}).get(i) != s}
        moved = {e.item_id for e in assessment.events if e.name != "regie.milestone.stale"}
        assert moved == changed
        for event in [*assessment.events, *result.events]:
            assert event.key not in keys
            keys.add(event.key)
        history.extend(result.records)
        previous, previous_stale = assessment.states(), assessment.stale_ids()


def test_a_deadline_on_a_day_off_is_asked_about_on_the_last_working_day_before_it() -> None:
    # "december 2016" ends on Saturday 31 December; 26 December 2016 (Tweede Kerstdag) is a
    # holiday. The deadline's prompt comes before it, while the item is not yet te laat, not on
    # the next working day after it.
    for gereed, due, asked in (
        (month(2016, 12), date(2016, 12, 31), date(2016, 12, 30)),
        (on(date(2016, 12, 26)), date(2016, 12, 26), date(2016, 12, 23)),
    ):
        plan = make_plan(act("1.1", ms("1.1.1", gereed)), contacts=(ANN, PO), reminders=policy())
        days = working(CAL.window_start(due, 6), CAL.add_working_days(due, 2))
        results = simulate(plan, [], days)
        asked_due = [
            (r.as_of, i.state)
            for r in results
            for d in r.digests
            for i in d.items
            if i.stage == at("due", due)
        ]
        assert asked_due == [(asked, "due_soon")]
