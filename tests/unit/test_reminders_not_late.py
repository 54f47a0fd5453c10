"""No prompt asks what the owner has just answered (walk32b 1): a slip reported before the due
date is silent until its forecast, then followed up and escalated."""

from __future__ import annotations

from datetime import date

from governance.plan import Plan
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
