"""A dependent item whose predecessor was cancelled, not delivered (walk55d 1): its date cannot
be derived, so it is undated and names the predecessor, not dated from the cancellation day."""

from __future__ import annotations

from datetime import date

from governance.assessment import State, assess
from governance.plan import Plan
from governance.workdays import WorkCalendar
from tests.unit.planbuilder import Updates, act, dependent, make_plan, ms, on, quarter

CAL = WorkCalendar("NL")


def chain(period_of_second: object = None) -> Plan:
    return make_plan(
        act("2.4", ms("2.4.1", quarter(2026, 4))),
        act("2.5", ms("2.5.1", period_of_second or dependent(), depends_on=("2.4.1",))),  # type: ignore[arg-type]
    )


def test_a_cancelled_predecessor_leaves_its_dependent_undated_naming_it() -> None:
    ups = Updates()
    ups.add("2.4.1", "cancelled", date(2026, 11, 15))
    item = assess(chain(), ups.all, date(2026, 12, 28), calendar=CAL).items["2.5.1"]
    # Before: due 20 working days after the cancellation, and late on 28 December.
    assert (item.state, item.due, item.cancelled_predecessors) == (State.UNDATED, None, ("2.4.1",))
    assert item.working_days_overdue == 0
    assert item.reason == "predecessor 2.4.1 cancelled"


def test_the_old_rule_dates_it_from_the_cancellation_for_earlier_layouts() -> None:
    ups = Updates()
    ups.add("2.4.1", "cancelled", date(2026, 11, 16))
    plan = chain()
    item = assess(plan, ups.all, date(2026, 12, 28), calendar=CAL, dropped=False).items["2.5.1"]
    lead = plan.reminders.dependency_lead_days
    assert item.due == CAL.add_working_days(date(2026, 11, 16), lead)
    assert (item.state, item.cancelled_predecessors) == (State.OVERDUE, ())


def test_an_action_with_one_milestone_done_is_delivered_not_dropped() -> None:
    plan = make_plan(
        act("1.1", ms("1.1.1", quarter(2026, 3)), ms("1.1.2", quarter(2026, 3))),
        act("1.2", ms("1.2.1", dependent(), depends_on=("1.1",))),
    )
    ups = Updates()
    ups.add("1.1.1", "done", date(2026, 9, 1))
    ups.add("1.1.2", "cancelled", date(2026, 9, 4))
    ups.add("1.1", "done", date(2026, 9, 4))
    item = assess(plan, ups.all, date(2026, 9, 7), calendar=CAL).items["1.2.1"]
    assert item.cancelled_predecessors == () and item.due is not None
    ups.add("1.1.1", "cancelled", date(2026, 9, 8))  # now nothing of 1.1 was delivered …
    ups.add("1.1", "cancelled", date(2026, 9, 8))
    item = assess(plan, ups.all, date(2026, 9, 9), calendar=CAL).items["1.2.1"]
    assert (item.state, item.cancelled_predecessors) == (State.UNDATED, ("1.1",))


def test_an_open_predecessor_beside_a_cancelled_one_keeps_it_waiting() -> None:
    plan = make_plan(
        act("1.1", ms("1.1.1", quarter(2026, 4)), ms("1.1.2", quarter(2026, 4))),
        act("1.2", ms("1.2.1", dependent(), depends_on=("1.1.1", "1.1.2"))),
    )
    ups = Updates()
    ups.add("1.1.1", "cancelled", date(2026, 11, 2))
    item = assess(plan, ups.all, date(2026, 11, 3), calendar=CAL).items["1.2.1"]
    assert (item.state, item.waiting_on) == (State.WAITING, ("1.1.2",))
    ups.add("1.1.2", "done", date(2026, 11, 20))
    item = assess(plan, ups.all, date(2026, 11, 23), calendar=CAL).items["1.2.1"]
    assert (item.state, item.due, item.cancelled_predecessors) == (State.UNDATED, None, ("1.1.1",))


def test_a_date_set_for_it_resolves_it() -> None:
    ups = Updates()
    ups.add("2.4.1", "cancelled", date(2026, 11, 15))
    dated = chain(on(date(2027, 3, 31)))  # decision add --set-gereed, or a plan edit
    item = assess(dated, ups.all, date(2026, 12, 28), calendar=CAL).items["2.5.1"]
    assert (item.state, item.due) == (State.ON_TRACK, date(2027, 3, 31))
    assert item.cancelled_predecessors == ()


def test_an_owner_at_risk_still_leaves_the_date_to_ask() -> None:
    ups = Updates()
    ups.add("2.4.1", "cancelled", date(2026, 11, 15))
    ups.add("2.5.1", "at_risk", date(2026, 11, 20))
    item = assess(chain(), ups.all, date(2026, 12, 28), calendar=CAL).items["2.5.1"]
    assert (item.state, item.undated_state, item.cancelled_predecessors) == (
        State.AT_RISK, State.UNDATED, ("2.4.1",)
    )  # fmt: skip
