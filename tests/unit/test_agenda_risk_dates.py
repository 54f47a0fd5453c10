"""Agenda layout 19 (walk54 2): an item without a date whose owner reports *risico* is still put
to the body for its date (*Datum vaststellen*) or, waiting on a dependency, for its term; the risk
no longer hides that question (governance.agenda_asked.missing_date, decisions_asked's
``risk_dates``). An ongoing item and a dated one at risk are not asked for a date."""

from __future__ import annotations

from datetime import date

from governance.agenda import decisions_asked, item_lines
from governance.agenda_asked import missing_date
from governance.assessment import Assessment, assess
from governance.plan import Plan
from governance.rag import State
from tests.unit.planbuilder import Updates, act, dependent, from_, make_plan, ms, quarter, tbd

RISK = date(2015, 5, 4)
NOW = date(2015, 6, 1)


def _plan() -> Plan:
    return make_plan(
        act(
            "1.1",
            ms("1.1.1", tbd()),  # Ntb
            ms("1.1.2", dependent(), depends_on=("1.1.1",)),  # waits on 1.1.1
            ms("1.1.3", quarter(2015, 4)),  # dated
        ),
        act("2.1", period=from_(date(2015, 1, 1))),  # ongoing: no date to set
        act("3.1", ms("3.1.1", dependent())),  # dependent, no dependency named: no date
    )


def _assess(plan: Plan, risk: bool) -> Assessment:
    updates = Updates()
    for item_id in ("1.1.1", "1.1.2", "1.1.3", "2.1", "3.1.1"):
        updates.add(item_id, "at_risk" if risk else "on_track", RISK)
    return assess(plan, updates.all, NOW)


def _asked(plan: Plan, now: Assessment, risk_dates: bool) -> dict[str, str]:
    asked = decisions_asked(now, item_lines(plan, now), risk_dates=risk_dates)
    return {a.item.item_id: a.reason for a in asked}


def test_an_item_at_risk_without_a_date_is_still_asked_for_it() -> None:
    plan = _plan()
    at_risk, calm = _assess(plan, True), _assess(plan, False)
    # The owner's risk outranks "no date" and "waiting" in the item's state (and colours it).
    assert {i.item_id: i.state for i in at_risk.items.values()} == dict.fromkeys(
        ("1.1.1", "1.1.2", "1.1.3", "2.1", "3.1.1"), State.AT_RISK
    )
    expected = {"1.1.1": "undated", "1.1.2": "waiting", "3.1.1": "undated"}
    assert _asked(plan, calm, True) == expected  # without the risk: the same questions
    assert _asked(plan, at_risk, True) == expected  # layout 19: the risk hides none of them
    assert _asked(plan, at_risk, False) == {}  # layouts up to 18: the risk hid them
    assert {i: missing_date(at_risk.items[i]) for i in ("1.1.3", "2.1")} == {
        "1.1.3": None,
        "2.1": None,
    }
    # review54 5: the assessor's own split, kept beside the risk, is what missing_date reads.
    assert {i.item_id: i.undated_state for i in at_risk.items.values()} == {
        i.item_id: i.state if i.due is None else None for i in calm.items.values()
    }


def test_the_question_is_traced_back_as_a_date_question() -> None:
    """*Eerder voorgelegd* finds the earlier meetings at which the item had no date, as for an
    undated item without a risk."""
    plan = _plan()
    now = _assess(plan, True)
    earlier = [date(2015, 3, 2), date(2015, 5, 11)]
    asked = decisions_asked(now, item_lines(plan, now), earlier_meetings=earlier, risk_dates=True)
    (point,) = [a for a in asked if a.item.item_id == "1.1.1"]
    assert (point.reason, point.weight, point.earlier) == ("undated", "routine", tuple(earlier))
