"""An item escalates for being overdue only once its owner was asked about the date it is
overdue against and had their time to answer (governance.reminders, "Asked first"): never on
the first day of a programme adopted mid-way, of an item added to the plan already overdue or
of a due date moved into the past."""

from __future__ import annotations

import dataclasses
from datetime import date

from governance.assessment import assess
from governance.next_checks import Scheduler
from governance.plan import Plan
from governance.remember import remember
from governance.reminders import (
    PromptRecord,
    ReminderPlan,
    contacts_of,
    facts_from_history,
    plan_reminders,
    plan_reminders_from,
    prompt_questions,
)
from governance.updates import StatusUpdate
from governance.workdays import WorkCalendar
from tests.unit.planbuilder import Updates, act, contact, make_plan, ms, on, policy, quarter

CAL = WorkCalendar("NL")
DUE = date(2015, 9, 30)  # Q3-2015
ADOPTED = date(2016, 11, 1)  # Regie's first day: the item is a year overdue, nobody was asked
ANN, PO = contact("ann", "IenM"), contact("po", "Bureau", office=True)


def one_item(period: object = None, **overrides: int | bool) -> Plan:
    item = act("1.1", ms("1.1.1", period or quarter(2015, 3)))  # type: ignore[arg-type]
    return make_plan(item, contacts=(ANN, PO), reminders=policy(**overrides))


def run(
    plan: Plan,
    days: list[date],
    updates: list[StatusUpdate] | None = None,
    history: list[PromptRecord] | None = None,
) -> list[ReminderPlan]:
    """One run per day, what was queued fed back as history."""
    history = [] if history is None else history
    out = []
    for d in days:
        result = plan_reminders(plan, assess(plan, updates or [], d, calendar=CAL), history, d, CAL)
        history.extend(result.records)
        out.append(result)
    return out


def working(start: date, n: int) -> list[date]:
    return [CAL.add_working_days(start, k) for k in range(n)]


def escalated(results: list[ReminderPlan]) -> list[tuple[date, str]]:
    return [(r.as_of, e.kind) for r in results for e in r.escalations]


def prompted(results: list[ReminderPlan]) -> list[tuple[date, str]]:
    return [(r.as_of, i.stage) for r in results for d in r.digests for i in d.items]


def test_the_first_run_after_adopting_regie_asks_and_escalates_after_the_grace() -> None:
    plan = one_item(escalate_after_unanswered=0)
    grace = plan.reminders.unanswered_grace_days
    results = run(plan, working(ADOPTED, 12))
    assert prompted(results)[0][0] == ADOPTED  # asked on the first day
    assert results[0].escalations == ()  # not escalated the same day
    # Escalated once the owner's time to answer has passed, whatever the days overdue.
    assert escalated(results) == [(CAL.add_working_days(ADOPTED, grace), "overdue")]


def test_with_unanswered_escalation_on_the_first_overdue_escalation_still_waits() -> None:
    plan = one_item()  # the defaults: two unanswered prompts escalate too
    results = run(plan, working(ADOPTED, 12))
    assert escalated(results) == [(CAL.add_working_days(ADOPTED, 5), "overdue")]


def test_grace_0_escalates_the_day_after_the_first_prompt() -> None:
    plan = one_item(unanswered_grace_days=0, escalate_after_unanswered=0)
    results = run(plan, working(ADOPTED, 4))
    assert escalated(results) == [(CAL.add_working_days(ADOPTED, 1), "overdue")]


def test_an_item_added_already_overdue_waits_for_its_prompt_and_the_grace() -> None:
    """Another item ran under Regie for months; 2.1.1 is added to the plan already overdue."""
    old = act("1.1", ms("1.1.1", quarter(2016, 4)))
    added = act("2.1", ms("2.1.1", quarter(2016, 2)))  # due 30 June 2016
    before = make_plan(old, contacts=(ANN, PO), reminders=policy(escalate_after_unanswered=0))
    after = make_plan(old, added, contacts=(ANN, PO), reminders=policy(escalate_after_unanswered=0))
    history: list[PromptRecord] = []
    run(before, working(date(2016, 8, 1), 60), history=history)
    day = CAL.add_working_days(date(2016, 8, 1), 60)
    results = run(after, working(day, 8), history=history)
    mine = [
        (d, k)
        for r in results
        for e in r.escalations
        if e.item_id == "2.1.1"
        for d, k in [(r.as_of, e.kind)]
    ]
    assert mine == [(CAL.add_working_days(day, 5), "overdue")]


def test_a_due_date_moved_into_the_past_is_asked_about_before_it_escalates() -> None:
    """Prompts about the old date do not count for the new one."""
    later, earlier = date(2016, 11, 30), date(2016, 3, 31)
    history: list[PromptRecord] = []
    old_plan = one_item(on(later), escalate_after_unanswered=0)
    run(old_plan, working(date(2016, 11, 1), 10), history=history)  # first@2016-11-30 asked
    assert {r.stage for r in history} == {"first@2016-11-30"}
    moved_on = CAL.add_working_days(date(2016, 11, 1), 10)
    new_plan = one_item(on(earlier), escalate_after_unanswered=0)
    results = run(new_plan, working(moved_on, 8), history=history)
    assert results[0].escalations == ()
    assert prompted(results)[0][1].endswith("@2016-03-31")
    assert escalated(results) == [(CAL.add_working_days(moved_on, 5), "overdue")]


def test_an_owner_asked_about_the_due_date_before_is_not_made_to_wait_again() -> None:
    """The ordinary course: prompted before the due date, escalated ten working days after
    it, as before; an answer after the due date counts from the answer, and the prompts given
    before it still say the owner was asked."""
    plan = one_item(escalate_after_unanswered=0)
    days = list(CAL.working_days_in(date(2015, 8, 3), date(2015, 12, 31)))
    assert escalated(run(plan, days)) == [(CAL.add_working_days(DUE, 10), "overdue")]
    ups = Updates()
    answered = CAL.add_working_days(DUE, 2)
    ups.add("1.1.1", "on_track", answered)
    got = escalated(run(plan, days, ups.all))
    assert got == [(CAL.add_working_days(answered, 10), "overdue")]


def test_prompts_a_replay_recorded_count_as_asked() -> None:
    """``regie replay`` records the prompts of the days it replays as given: a programme whose
    owners were asked before replays those days, and its first live run escalates at once."""
    plan = one_item(escalate_after_unanswered=0)
    # As a replay of the days before: the overdue prompt given a week before the live day.
    replayed = run(plan, [CAL.add_working_days(ADOPTED, -6)])
    history = list(replayed[0].records)
    assert history and replayed[0].escalations == ()
    live = run(plan, [ADOPTED], history=history)
    assert escalated(live) == [(ADOPTED, "overdue")]


def test_the_next_check_is_the_day_the_grace_runs_out() -> None:
    """The incremental assessment looks at the item again on the day it escalates (no
    overdue prompt comes before it: that would be a next check of its own)."""
    plan = one_item(escalate_after_unanswered=0, overdue_every_days=60)
    assessment = assess(plan, [], ADOPTED, calendar=CAL)
    questions = prompt_questions(assessment, ADOPTED, plan.reminders, CAL, end=None)
    assert questions["1.1.1"].asked_about == ("@2015-09-30",)
    facts = facts_from_history([], questions, ADOPTED)
    reminders = plan_reminders_from(plan, assessment, questions, facts, ADOPTED, CAL)
    scheduler = Scheduler(ADOPTED, plan.reminders, CAL)
    memory = remember(assessment, reminders, scheduler, facts, recorded=True, end=None)
    assert memory["1.1.1"].next_check == CAL.add_working_days(ADOPTED, 5)


def test_a_successors_grace_runs_from_the_hand_over_request() -> None:
    """walk30 3: ann was asked about the due date a week before she left; bea, her successor,
    gets the hand-over request and her own ``unanswered_grace_days`` before the item escalates,
    not one counted from the prompt to ann. The next check the incremental assessment keeps
    is that same day."""
    plan = one_item(escalate_after_unanswered=0, overdue_every_days=3)
    grace = plan.reminders.unanswered_grace_days
    replayed = run(plan, [CAL.add_working_days(ADOPTED, -6)])  # ann asked, a week before
    history = list(replayed[0].records)
    assert {r.contact_id for r in history} == {"ann"} and replayed[0].escalations == ()
    assert escalated(run(plan, [ADOPTED], history=list(history))) == [(ADOPTED, "overdue")]

    bea = contact("bea", "IenM")
    successor = dataclasses.replace(plan, contacts=(bea, PO))
    results = run(successor, working(ADOPTED, 15), history=list(history))
    handed = [(r.as_of, i.handover is not None) for r in results for d in r.digests
              if d.contact_id == "bea" for i in d.items]  # fmt: skip
    assert handed and handed[0][1], handed  # her first prompt is the hand-over request
    first = handed[0][0]
    assert escalated(results) == [(CAL.add_working_days(first, grace), "overdue")]

    # The next check on the hand-over day is the day her grace runs out (incremental = full).
    day = first
    assessment = assess(successor, [], day, calendar=CAL)
    questions = prompt_questions(
        assessment, day, successor.reminders, CAL, contacts_of(successor), end=None
    )
    assert questions["1.1.1"].asked_of == frozenset({"bea"})
    before = [r for r in history + [x for r in results for x in r.records] if r.queued_on < day]
    facts = facts_from_history(before, questions, day)
    reminders = plan_reminders_from(successor, assessment, questions, facts, day, CAL)
    scheduler = Scheduler(day, successor.reminders, CAL)
    memory = remember(assessment, reminders, scheduler, facts, recorded=True,
                      questions=questions, end=None)  # fmt: skip
    check = memory["1.1.1"].next_check
    assert check is not None and day < check <= CAL.add_working_days(first, grace)
