"""review55b 2: from agenda layout 20 a slip is put to the body only to the owner's forecast in
force, the date its *Prognose* column shows (governance.forecasts.forecast_in_force). An item
whose forecast a later date superseded is asked by its next reason (a plan-file edit to
ratify) or not at all; older layouts ask as before, to the standing forecast."""

from __future__ import annotations

from datetime import UTC, date, datetime

from governance.agenda import build_agenda
from governance.agenda_asked import DecisionAsked
from governance.assessment import assess
from governance.decisions import Decision, DecisionKind
from governance.meetings import Meeting
from governance.plan import GovernanceBody
from governance.provenance import DueChange
from reports.render import asked_question
from tests.unit.planbuilder import Updates, act, make_plan, ms, quarter

MEETING = date(2016, 1, 13)
NOW = date(2016, 3, 1)
FORECAST = date(2016, 5, 29)
PLAN = make_plan(
    act(
        "1.1",
        ms("1.1.6", quarter(2016, 1)),  # moved earlier in the plan file after the forecast
        ms("1.1.7", quarter(2016, 1)),  # moved earlier by a decision after the forecast
        ms("1.1.8", quarter(2016, 1)),  # the same decision, the forecast given after it
    )
)
EDITS = (
    DueChange("1.1.6", "Q2-2016", "Q1-2016", date(2016, 6, 30), date(2016, 3, 31),
              datetime(2016, 2, 1, 9, tzinfo=UTC)),
)  # fmt: skip
DECISIONS = tuple(
    Decision("stuurgroep", MEETING, DecisionKind.SET_GEREED, "Eerder", i, "Q2-2016", "Q1-2016")
    for i in ("1.1.7", "1.1.8")
)


def _asked(in_force: bool) -> dict[str, DecisionAsked]:
    u = Updates()
    u.add("1.1.6", "at_risk", date(2015, 12, 1), forecast=FORECAST)
    u.add("1.1.7", "at_risk", date(2015, 12, 1), forecast=FORECAST)
    u.add("1.1.8", "at_risk", date(2016, 2, 2), forecast=FORECAST)
    now = assess(PLAN, u.all, NOW)
    assert {now.items[i].state.value for i in ("1.1.6", "1.1.7", "1.1.8")} == {"slipped"}
    pack = build_agenda(
        PLAN, now, GovernanceBody("stuurgroep", "Stuurgroep", "Sturen"),
        Meeting("stuurgroep", date(2016, 3, 8)), previous=Meeting("stuurgroep", MEETING),
        next_meeting=None, decisions=DECISIONS, due_changes=EDITS, unratified=True,
        forecasts_in_force=in_force,
    )  # fmt: skip
    return {a.item.item_id: a for a in pack.asked}


def test_a_slip_is_asked_only_to_the_forecast_in_force() -> None:
    asked = _asked(True)
    # The plan file moved 1.1.6 after the owner's forecast: the body accords that move.
    assert asked["1.1.6"].reason == "ratify"
    assert asked["1.1.6"].item.forecast is None
    assert asked_question(asked["1.1.6"]) == (
        "Verschuiving van 1.1.6 van Q2-2016 naar Q1-2016 accorderen?"
    )
    # The body set 1.1.7's date after the forecast: nothing left to accord.
    assert "1.1.7" not in asked
    # The owner's forecast after the decision is in force: the slip to it is asked.
    assert asked["1.1.8"].reason == "slipped"
    assert asked["1.1.8"].forecast == asked["1.1.8"].item.forecast == FORECAST
    assert asked_question(asked["1.1.8"]) == "Verschuiving van 1.1.8 naar 29 mei 2016 accorderen?"


def test_layouts_up_to_19_ask_to_the_standing_forecast() -> None:
    asked = _asked(False)
    for item_id in ("1.1.6", "1.1.7", "1.1.8"):
        assert asked[item_id].reason == "slipped"
        assert asked[item_id].forecast == asked[item_id].item.forecast == FORECAST
    assert asked_question(asked["1.1.7"]) == "Verschuiving van 1.1.7 naar 29 mei 2016 accorderen?"
