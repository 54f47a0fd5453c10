"""The reminder rules after an escalation (back-off), on a hand-over to a new contact, and with
an update a decision recorded (governance.reminders, module notes)."""

from __future__ import annotations

import dataclasses
import functools
from datetime import date

import pytest

from governance.assessment import assess
from governance.decisions import DECISION_SOURCE
from governance.incremental import basis
from governance.plan import Plan
from governance.reminders import Handover, PromptRecord, ReminderPlan, plan_reminders
from governance.reminders.escalations import escalates_unprompted
from governance.updates import StatusUpdate, UpdateStatus
from governance.workdays import WorkCalendar
from tests.unit.planbuilder import act, contact, make_plan, ms, policy, quarter
from tests.unit.test_reminders import (
    ANN,
    CAL,
    DUE,
    PO,
    at,
    escalations,
    one_item,
    prompts,
    simulate,
    working,
)

day = functools.partial(CAL.add_working_days, DUE)
FIRST = CAL.window_start(DUE, 15)
#: 10 working days overdue (``escalate_after_overdue_days``), asked on the due date: the
#: escalation (the prompts before the due date count for no escalation, walk32b 2).
ESCALATED = day(10)
BEA = contact("bea", "IenM")


def overdue_prompts(results: list[ReminderPlan]) -> list[tuple[date, str, str]]:
    return [p for p in prompts(results) if "overdue" in p[2]]


def test_after_an_escalation_the_overdue_prompts_come_monthly() -> None:
    """Silent and 10 working days overdue: an escalation; from then on the owner is prompted
    every 20 working days (overdue-4, -8 …), not every 5."""
    results = simulate(one_item(), [], working(FIRST, day(45)))
    assert [(d, kind) for d, _, kind in escalations(results)] == [(ESCALATED, "overdue")]
    assert [(d, s) for d, _, s in overdue_prompts(results)] == [
        (day(5), at("overdue-1")),
        (day(10), at("overdue-2")),  # the day of the escalation: queued before it
        (day(20), at("overdue-4")),
        (day(40), at("overdue-8")),
    ]


def test_the_overdue_reason_counts_working_days_of_silence_not_prompts() -> None:
    """The second count is working days without an answer, said as such: a bare "10 without
    answer" read as ten unanswered prompts (walk49 11)."""
    results = simulate(one_item(), [], working(FIRST, ESCALATED))
    (reason,) = [e.reason for r in results for e in r.escalations]
    assert reason == "10 working days overdue, 10 working days without an answer"


OVERDUE = ("escalate_after_overdue_days",)
GRACE = ("first_prompt_days", "unanswered_grace_days")
UNANSWERED = ("escalate_after_unanswered", "unanswered_grace_days")


@pytest.mark.parametrize(
    ("settings", "warned"),
    [
        # walk49 3: escalated after 6 working days, the first overdue prompt due after 7.
        ({"overdue_every_days": 7, "escalate_after_overdue_days": 6, "unanswered_grace_days": 3},
         (6, 7, OVERDUE)),
        # The same day: the prompt is queued just before the escalation, too late to answer.
        ({"overdue_every_days": 10}, (10, 10, OVERDUE)),
        # The grace after the first prompt (2 working days before the due date) holds the
        # escalation back past the overdue prompt; a shorter one does not.
        ({"overdue_every_days": 7, "escalate_after_overdue_days": 6, "first_prompt_days": 2,
          "second_prompt_days": 1, "unanswered_grace_days": 10}, None),
        ({"overdue_every_days": 7, "escalate_after_overdue_days": 6, "first_prompt_days": 2,
          "second_prompt_days": 1, "unanswered_grace_days": 9}, (7, 7, GRACE)),
        # review49b 2: the due-date prompt counts, so one unanswered prompt escalates after
        # the grace, long before overdue-1 (the review's `regie replay` settings).
        ({"first_prompt_days": 8, "second_prompt_days": 3, "overdue_every_days": 7,
          "unanswered_grace_days": 3, "escalate_after_unanswered": 1}, (3, 7, UNANSWERED)),
        ({"overdue_every_days": 7, "unanswered_grace_days": 8, "escalate_after_unanswered": 1},
         None),
        # Two prompts: the second is overdue-1 itself, counted from the next day at least.
        ({"unanswered_grace_days": 0, "escalate_after_unanswered": 2}, None),
        ({"overdue_every_days": 3, "unanswered_grace_days": 0, "escalate_after_unanswered": 1},
         (1, 3, UNANSWERED)),
        ({}, None),  # the defaults: overdue-1 after 5, the escalation after 10
        ({"overdue_every_days": 0}, None),  # no overdue prompts at all: a choice
    ],
)  # fmt: skip
def test_settings_that_escalate_before_the_first_overdue_prompt_are_found(
    settings: dict[str, int], warned: tuple[int, int, tuple[str, ...]] | None
) -> None:
    """What `plan validate` warns of, checked against the days the rules give: the escalation
    comes on or before ``overdue-1`` exactly when :func:`escalates_unprompted` says so."""
    plan = one_item(**{"escalate_after_unanswered": 0, **settings})
    assert escalates_unprompted(plan.reminders) == warned
    results = simulate(plan, [], working(FIRST, day(30)))
    (escalated, _, kind), *_ = escalations(results)
    first = [d for d, _, stage in prompts(results) if "overdue" in stage][:1]
    if settings.get("overdue_every_days") == 0:
        assert not first  # no overdue prompt by choice: no warning
    else:  # none at all: the back-off after the escalation left overdue-1 out
        assert (not first or escalated <= first[0]) == (warned is not None)
    if warned is not None:
        assert escalated == day(warned[0])
        assert kind == ("unanswered" if warned[2] == UNANSWERED else "overdue")


def test_without_back_off_the_overdue_prompts_stay_weekly() -> None:
    results = simulate(one_item(after_escalation_every_days=5), [], working(FIRST, day(20)))
    assert [s for _, _, s in overdue_prompts(results)] == [at(f"overdue-{n}") for n in (1, 2, 3, 4)]


def test_after_escalation_every_days_0_ends_the_overdue_prompts() -> None:
    results = simulate(one_item(after_escalation_every_days=0), [], working(FIRST, day(60)))
    assert [d for d, _, _ in escalations(results)] == [ESCALATED]
    assert [d for d, _, _ in overdue_prompts(results)] == [day(5), ESCALATED]  # none after it


def test_a_cadence_not_a_multiple_rounds_up() -> None:
    """7 working days after an escalation: every second overdue stage (10 working days)."""
    results = simulate(one_item(after_escalation_every_days=7), [], working(FIRST, day(30)))
    assert [s for _, _, s in overdue_prompts(results)] == [at(f"overdue-{n}") for n in (1, 2, 4, 6)]


def test_before_the_escalation_the_overdue_prompts_keep_their_cadence() -> None:
    """No escalation for unanswered prompts, and the overdue one after 15 working days: the
    weekly prompts go on until it, then slow down."""
    plan = one_item(escalate_after_unanswered=0, escalate_after_overdue_days=15)
    results = simulate(plan, [], working(FIRST, day(45)))
    assert [(d, kind) for d, _, kind in escalations(results)] == [(day(15), "overdue")]
    assert [s for _, _, s in overdue_prompts(results)] == [
        at(f"overdue-{n}") for n in (1, 2, 3, 4, 8)
    ]


def test_an_answer_from_the_owner_resumes_the_normal_cadence() -> None:
    """The owner answers (still late) during the back-off: a new run, prompted weekly again
    until it escalates (10 working days overdue and silent since the answer), then monthly."""
    answer = StatusUpdate("1.1.1", UpdateStatus.AT_RISK, day(22), id=1)
    results = simulate(one_item(), [answer], working(FIRST, day(50)))
    kinds = [(d, kind) for d, _, kind in escalations(results)]
    assert kinds == [(ESCALATED, "overdue"), (day(32), "overdue")]
    assert [(d, s) for d, _, s in overdue_prompts(results)] == [
        (day(5), at("overdue-1")),
        (day(10), at("overdue-2")),
        (day(20), at("overdue-4")),
        (day(25), at("overdue-5")),  # the answer of day 22 answered overdue-4
        (day(30), at("overdue-6")),
        (day(40), at("overdue-8")),  # escalated on day 32: monthly again
    ]


def test_a_new_due_date_starts_with_the_normal_cadence() -> None:
    """Escalated for the old date; a revised gereed (no update) moves the date: the new
    date's overdue prompts come weekly until a new run would escalate (10 working days),
    then slow down again."""
    old = one_item()
    new_due = date(2016, 3, 31)
    moved = make_plan(
        act("1.1", ms("1.1.1", quarter(2016, 1))), contacts=(ANN, PO), reminders=policy()
    )
    history: list[PromptRecord] = []
    simulate(old, [], working(FIRST, day(25)), history)
    until = CAL.add_working_days(new_due, 45)
    results = simulate(moved, [], working(date(2016, 1, 4), until), history)
    later = [(d, s) for d, _, s in overdue_prompts(results)]
    assert later == [
        (CAL.add_working_days(new_due, 5), at("overdue-1", new_due)),
        (CAL.add_working_days(new_due, 20), at("overdue-4", new_due)),
        (CAL.add_working_days(new_due, 40), at("overdue-8", new_due)),
    ]
    assert escalations(results) == []  # this run escalated already (on the old date)


def handed_over(plan_before: Plan, plan_after: Plan, switch: date, end: date) -> list[ReminderPlan]:
    history: list[PromptRecord] = []
    simulate(plan_before, [], working(FIRST, switch), history)
    return simulate(plan_after, [], working(CAL.add_working_days(switch, 1), end), history)


def test_a_successor_gets_a_hand_over_and_the_normal_cadence_for_a_while() -> None:
    """ann leaves during the back-off, bea takes over: bea's first prompt comes at the next
    overdue stage as a hand-over (from ann, asked since the first prompt); she is prompted
    weekly until she could have escalated (10 working days), then monthly."""
    with_bea = dataclasses.replace(one_item(), contacts=(BEA, PO))
    results = handed_over(one_item(), with_bea, day(21), day(60))
    got = [(d.as_of, d.contact_id, i.stage, i.handover) for r in results for d in r.digests
           for i in d.items]  # fmt: skip
    assert got == [
        (day(25), "bea", at("overdue-5"), Handover(("ann",), FIRST, day(20), ("IenM",))),
        (day(30), "bea", at("overdue-6"), None),
        (day(40), "bea", at("overdue-8"), None),
        (day(60), "bea", at("overdue-12"), None),
    ]


def test_a_new_colleague_is_prompted_the_old_one_stays_backed_off() -> None:
    """bea joins beside ann, who stays: bea is asked at the normal cadence for a while, but
    took nothing over — no hand-over (walk55b 1); ann keeps the slower cadence."""
    both = dataclasses.replace(one_item(), contacts=(ANN, BEA, PO))
    results = handed_over(one_item(), both, day(21), day(40))
    got = [(d.as_of, d.contact_id, i.stage, i.handover is not None) for r in results
           for d in r.digests for i in d.items]  # fmt: skip
    assert got == [
        (day(25), "bea", at("overdue-5"), False),
        (day(30), "bea", at("overdue-6"), False),
        (day(40), "ann", at("overdue-8"), False),
        (day(40), "bea", at("overdue-8"), False),
    ]


def test_the_first_owner_is_no_hand_over() -> None:
    results = simulate(one_item(), [], working(FIRST, DUE))
    assert [i.handover for r in results for d in r.digests for i in d.items] == [None] * 3


def _prompted(plan: Plan, update: StatusUpdate, as_of: date) -> list[str]:
    assessment = assess(plan, [update], as_of, calendar=CAL)
    return [i.stage for d in plan_reminders(plan, assessment, [], as_of, CAL).digests
            for i in d.items]  # fmt: skip


@pytest.mark.parametrize(("source", "prompted"), [("cli", False), (DECISION_SOURCE, True)])
def test_a_decisions_update_answers_no_prompt(source: str, prompted: bool) -> None:
    """An on_track update on the day the second stage opens: the owner's answers it; the one
    a decision recorded (a restore by the stuurgroep) is not the owner's, who is prompted."""
    second = CAL.window_start(DUE, 5)
    update = StatusUpdate("1.1.1", UpdateStatus.ON_TRACK, second, source=source, id=1)
    assert _prompted(one_item(), update, second) == ([at("second")] if prompted else [])


def test_the_back_off_setting_is_part_of_the_basis() -> None:
    """A changed setting is another reminder policy: the next day is a full assessment."""
    cal = WorkCalendar("NL")
    plan = one_item()
    other = dataclasses.replace(plan, reminders=policy(after_escalation_every_days=40))
    assert basis(plan, cal) != basis(other, cal)
