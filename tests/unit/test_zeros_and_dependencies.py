"""What 0 means for the reminder numbers that allow it (docs/plan-schema.md, "Numbers and their
ranges"), day by day through the reminder rules; and what an action's `depends_on` does
(docs/plan-schema.md, "Dependencies")."""

from __future__ import annotations

from datetime import date

from governance.assessment import assess
from governance.plan import Plan
from governance.rag import State
from governance.reminders import PromptRecord, ReminderPlan, plan_reminders
from governance.workdays import WorkCalendar
from tests.unit.planbuilder import (
    Updates,
    act,
    contact,
    dependent,
    make_plan,
    ms,
    policy,
    quarter,
)

CAL = WorkCalendar("NL")
DUE = date(2015, 9, 30)  # Q3-2015, a Wednesday
DAYS = list(CAL.working_days_in(date(2015, 8, 3), date(2015, 12, 31)))
ANN, PO = contact("ann", "IenM"), contact("po", "Bureau", office=True)


def one_item(**overrides: int | bool) -> Plan:
    item = act("1.1", ms("1.1.1", quarter(2015, 3)))
    return make_plan(item, contacts=(ANN, PO), reminders=policy(**overrides))


def simulate(plan: Plan) -> list[ReminderPlan]:
    """One run per working day with no answers, what was queued fed back as history."""
    history: list[PromptRecord] = []
    out = []
    for d in DAYS:
        result = plan_reminders(plan, assess(plan, [], d, calendar=CAL), history, d, CAL)
        history.extend(result.records)
        out.append(result)
    return out


def prompts(results: list[ReminderPlan]) -> list[tuple[date, str]]:
    return [(r.as_of, i.stage) for r in results for d in r.digests for i in d.items]


def escalations(results: list[ReminderPlan]) -> list[tuple[date, str]]:
    return [(r.as_of, e.kind) for r in results for e in r.escalations]


def at(stage: str) -> str:
    return f"{stage}@{DUE.isoformat()}"


def test_overdue_every_days_0_stops_the_prompts_at_the_due_date() -> None:
    results = simulate(one_item(overdue_every_days=0, escalate_after_unanswered=0))
    assert prompts(results) == [
        (CAL.window_start(DUE, 15), at("first")),
        (CAL.window_start(DUE, 5), at("second")),
        (DUE, at("due")),
    ]
    # The overdue escalation still comes.
    assert escalations(results) == [(CAL.add_working_days(DUE, 10), "overdue")]
    with_repeats = prompts(simulate(one_item(escalate_after_unanswered=0)))
    assert (CAL.add_working_days(DUE, 5), at("overdue-1")) in with_repeats


def test_first_and_second_prompt_days_0_prompt_on_the_due_date_only() -> None:
    plan = one_item(first_prompt_days=0, second_prompt_days=0, escalate_after_unanswered=0)
    assert prompts(simulate(plan))[:1] == [(DUE, at("due"))]
    day_before = CAL.add_working_days(DUE, -1)
    assert assess(plan, [], day_before, calendar=CAL).items["1.1.1"].state is State.ON_TRACK
    assert assess(plan, [], DUE, calendar=CAL).items["1.1.1"].state is State.DUE_SOON


def test_escalate_after_overdue_days_0_escalates_on_the_first_day_overdue() -> None:
    results = simulate(one_item(escalate_after_overdue_days=0, escalate_after_unanswered=0))
    assert escalations(results) == [(CAL.add_working_days(DUE, 1), "overdue")]


def test_escalate_after_unanswered_0_never_escalates_for_unanswered_prompts() -> None:
    results = simulate(one_item(escalate_after_unanswered=0, escalate_after_overdue_days=366))
    assert len(prompts(results)) > 5 and escalations(results) == []
    assert escalations(simulate(one_item(escalate_after_overdue_days=366)))  # 2: they come


def test_dependency_lead_days_0_makes_a_dependent_item_due_the_day_its_dependency_is_done() -> None:
    plan = make_plan(
        act("1.1", ms("1.1.1", quarter(2015, 3))),
        act("1.2", ms("1.2.1", dependent(), depends_on=("1.1",))),
        contacts=(ANN, PO),
        reminders=policy(dependency_lead_days=0),
    )
    ups = Updates()
    ups.add("1.1.1", "done", date(2015, 9, 15))
    item = assess(plan, ups.all, date(2015, 9, 15), calendar=CAL).items["1.2.1"]
    assert item.due == date(2015, 9, 15)
    later = assess(plan, ups.all, date(2015, 9, 16), calendar=CAL).items["1.2.1"]
    assert later.state is State.OVERDUE


def test_an_actions_depends_on_holds_its_own_gereed_or_else_its_milestones() -> None:
    """README's "waiting: dependent on an unfinished action" read as: an action with
    depends_on makes its milestones wait. It does not: only a dependent gereed waits. An
    action's depends_on is its own gereed's; without a gereed of its own, each milestone's
    (a dated one lists it, as any dated item does)."""
    plan = make_plan(
        act("1.1", ms("1.1.1", quarter(2015, 4))),
        act("1.2", ms("1.2.1", quarter(2015, 4)), period=dependent(), depends_on=("1.1",)),
        act("1.3", ms("1.3.1", quarter(2015, 4)), depends_on=("1.1",)),  # no gereed of its own
        act("1.4", period=quarter(2015, 4), depends_on=("1.1",)),  # dated
        contacts=(ANN, PO),
    )
    items = assess(plan, [], date(2015, 9, 1), calendar=CAL).items
    assert {i: (items[i].state, items[i].waiting_on) for i in items} == {
        "1.1.1": (State.ON_TRACK, ()),
        "1.2": (State.WAITING, ("1.1",)),
        "1.2.1": (State.ON_TRACK, ()),  # not waiting
        "1.3.1": (State.ON_TRACK, ("1.1",)),  # 1.3 has no gereed: its milestones hold it
        "1.4": (State.ON_TRACK, ("1.1",)),  # dated: listed, not waiting
    }


def test_a_milestone_depending_on_its_own_action_would_wait_for_itself() -> None:
    """Why the plan file refuses it (governance/planfile/deps.py): built directly, the
    milestone waits on its action, which is done only when that milestone is."""
    plan = make_plan(
        act("2.4", ms("2.4.1", dependent(), depends_on=("2.4",)), period=quarter(2015, 3)),
        contacts=(ANN, PO),
    )
    ups = Updates()
    ups.add("2.4", "done", date(2015, 9, 1))  # the action's own gereed: done
    item = assess(plan, ups.all, date(2016, 6, 1), calendar=CAL).items["2.4.1"]
    assert (item.state, item.waiting_on) == (State.WAITING, ("2.4",))
