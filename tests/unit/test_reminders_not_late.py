"""No prompt asks what the owner has just answered, and no escalation is about an item that is
not late (walk32b 1 and 2): a slip reported before the due date is silent until its forecast,
then followed up and escalated; prompts before the due date never escalate, and a run the
earlier rule escalated for them is not escalated again."""

from __future__ import annotations

from datetime import date, timedelta

from governance.plan import Plan
from governance.reminders import PromptRecord
from tests.unit.planbuilder import Updates, act, contact, make_plan, ms, on, policy
from tests.unit.test_reminders import CAL, escalations, prompts, simulate, working

# Not the seed plan: a water-board programme with one milestone due Thursday 15 May 2025.
DUE = date(2025, 5, 15)
CARLA, OFFICE = contact("carla", "WS"), contact("office", "PB", office=True)


def _plan(**rules: int) -> Plan:
    item = act("1", ms("1.3", on(DUE, "15 mei 2025"), owners=("WS",)), owners=("WS",))
    return make_plan(item, contacts=(CARLA, OFFICE), reminders=policy(**rules))


def test_a_slip_reported_before_the_due_date_is_silent_until_the_forecast_then_escalates() -> None:
    """at_risk with a forecast of 30 June, reported on 6 May (after the first prompt, before the
    second): no second or due prompt, no escalation for them; from the forecast on the usual
    follow-up, and once the owner stays silent past it, one escalation."""
    forecast = date(2025, 6, 30)
    ups = Updates()
    answer = ups.add("1.3", "at_risk", date(2025, 5, 6), forecast=forecast)
    results = simulate(_plan(), ups.all, working(date(2025, 4, 1), date(2025, 9, 30)))
    asked = [(d, s) for d, _, s in prompts(results)]
    assert asked[0] == (CAL.window_start(DUE, 15), "first@2025-05-15")  # before the answer
    after = [(d, s) for d, s in asked if d > answer.reported_on]
    assert after[0] == (forecast, "due@2025-06-30")  # nothing between the answer and forecast
    assert after[1] == (CAL.add_working_days(forecast, 5), "overdue-1@2025-06-30")
    # One escalation, about the lapse of the forecast, in the run the answer started.
    assert escalations(results) == [
        (CAL.add_working_days(forecast, 10), f"escalation:1.3:{answer.id}:overdue", "overdue")
    ]


def test_prompts_before_the_due_date_never_escalate() -> None:
    """first and second unanswered, the grace 0 (both ripe well before the deadline) and the
    overdue escalation far off: no escalation before or on the due date; the first comes for
    the due and overdue-1 prompts, once the item is late."""
    plan = _plan(unanswered_grace_days=0, escalate_after_overdue_days=40)
    results = simulate(plan, [], working(date(2025, 4, 1), date(2025, 7, 31)))
    stages = [s for _, _, s in prompts(results)]
    assert stages[:3] == ["first@2025-05-15", "second@2025-05-15", "due@2025-05-15"]
    overdue_1 = CAL.add_working_days(DUE, 5)
    assert escalations(results) == [
        (CAL.add_working_days(overdue_1, 1), "escalation:1.3:none:unanswered", "unanswered")
    ]
    (raised,) = [e for r in results for e in r.escalations]
    assert raised.prompts == 2  # due and overdue-1: the two before the deadline not counted


def test_a_run_escalated_under_the_earlier_rule_is_not_escalated_again() -> None:
    """Upgrading mid-run: the earlier rule escalated the silent item on its due date as
    ``unanswered`` (first and second prompt unanswered). The rule now raises that same silence as
    ``overdue`` 10 working days later: another key, but the same run, which has escalated. The
    office hears of it once, not twice."""
    plan = _plan()
    before = working(date(2025, 4, 1), DUE - timedelta(days=1))
    after = working(DUE, date(2025, 7, 31))
    # Without the earlier escalation the silence escalates once it is overdue long enough.
    fresh = simulate(plan, [], [*before, *after])
    overdue = (CAL.add_working_days(DUE, 10), "escalation:1.3:none:overdue", "overdue")
    assert escalations(fresh) == [overdue]
    history = []
    asked = simulate(plan, [], before, history)
    assert [s for _, _, s in prompts(asked)] == ["first@2025-05-15", "second@2025-05-15"]
    # What the earlier rule recorded on the due date: the run's escalation, to the office.
    history.append(PromptRecord("1.3", "escalation:1.3:none:unanswered", "office", DUE))
    upgraded = simulate(plan, [], after, history)
    assert escalations(upgraded) == []
    assert prompts(upgraded)  # the owner is still asked: only the escalation is not repeated
