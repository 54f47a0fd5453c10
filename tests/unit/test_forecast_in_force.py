"""walk55a 2: the *Prognose* every output shows is the owner's forecast in force
(governance.forecasts.forecast_in_force), the rule of the progress report's *Nu*: none for a
done item, none for one a later decision or plan-file edit moved; a forecast the owner gave
after the decision stands (also one before the due date, which *Nu* leaves to the due date).
The assessment keeps the standing forecast (the reminders judge by it). Progress layout 19's
annex and agenda layout 20's lines apply the rule; older layouts are made again as before."""

from __future__ import annotations

from datetime import UTC, date, datetime

from governance.agenda import build_agenda
from governance.assessment import Assessment, assess
from governance.decisions import Decision, DecisionKind
from governance.forecasts import forecast_in_force, forecasts_in_force
from governance.meetings import Meeting
from governance.plan import GovernanceBody, Plan
from governance.progress import build_progress
from governance.provenance import DueChange
from tests.unit.planbuilder import Updates, act, make_plan, ms, quarter

MEETING = date(2016, 1, 13)  # the stuurgroep moved 1.1.1, 1.1.3 and 1.1.4
EDITED = datetime(2016, 2, 1, 9, tzinfo=UTC)  # 1.1.5's date moved in the plan file
NOW = date(2016, 3, 1)


def _decision(item_id: str, gereed: str) -> Decision:
    return Decision("stuurgroep", MEETING, DecisionKind.SET_GEREED, "Verschoven", item_id,
                    "Q4-2015", gereed)  # fmt: skip


DECISIONS = (
    _decision("1.1.1", "Q2-2016"),
    _decision("1.1.3", "Q4-2016"),
    _decision("1.1.4", "Q2-2016"),
)
EDITS = (DueChange("1.1.5", "Q4-2015", "Q2-2016", date(2015, 12, 31), date(2016, 6, 30), EDITED),)


def _plan() -> Plan:
    return make_plan(
        act(
            "1.1",
            ms("1.1.1", quarter(2016, 2)),  # old forecast, a decision, then done
            ms("1.1.2", quarter(2016, 2)),  # a forecast nothing moved since
            ms("1.1.3", quarter(2016, 4)),  # a forecast given after the decision
            ms("1.1.4", quarter(2016, 2)),  # a forecast older than the decision
            ms("1.1.5", quarter(2016, 2)),  # a forecast older than a plan-file edit
        )
    )


def _assess(plan: Plan, on: date = NOW) -> Assessment:
    u = Updates()
    u.add("1.1.1", "at_risk", date(2015, 5, 14), forecast=date(2015, 11, 30))
    u.add("1.1.1", "done", date(2016, 2, 25), completed_on=date(2016, 2, 25))
    u.add("1.1.2", "at_risk", date(2015, 12, 1), forecast=date(2016, 5, 29))
    u.add("1.1.2", "on_track", date(2016, 2, 1))  # no forecast: the earlier one stands
    u.add("1.1.3", "at_risk", date(2016, 2, 2), forecast=date(2016, 11, 15))
    u.add("1.1.4", "at_risk", date(2015, 12, 1), forecast=date(2016, 5, 29))
    u.add("1.1.5", "at_risk", date(2015, 12, 1), forecast=date(2016, 5, 29))
    return assess(plan, u.all, on)


def test_only_the_forecast_in_force_is_shown() -> None:
    plan = _plan()
    now = _assess(plan)
    # The assessment keeps every standing forecast: the reminders judge by it.
    assert now.items["1.1.1"].forecast == date(2015, 11, 30)
    assert now.items["1.1.4"].forecast == date(2016, 5, 29)
    shown = forecasts_in_force(plan, now.items.values(), DECISIONS, EDITS, NOW)
    assert shown == {
        "1.1.1": None,  # done: *gereed op …*, no forecast
        "1.1.2": date(2016, 5, 29),  # nothing moved: it stands across an update without one
        "1.1.3": date(2016, 11, 15),  # given after the decision: the owner's latest word
        "1.1.4": None,  # the decision of 13 January came after it
        "1.1.5": None,  # the plan-file edit of 1 February came after it
    }
    # Before the decision's meeting and the edit's day, nothing had moved yet.
    before = _assess(plan, date(2016, 1, 12))
    item = before.items["1.1.4"]
    assert forecast_in_force(plan, item, DECISIONS, EDITS, before.as_of) == date(2016, 5, 29)
    item = before.items["1.1.5"]
    assert forecast_in_force(plan, item, DECISIONS, EDITS, before.as_of) == date(2016, 5, 29)


def test_the_progress_report_annex_shows_the_forecast_in_force() -> None:
    plan = _plan()
    now = _assess(plan)

    def annex(layout: int) -> dict[str, date | None]:
        report = build_progress(
            plan, now, date(2015, 1, 1), date(2016, 2, 29),
            decisions=DECISIONS, due_changes=EDITS, layout=layout,
        )  # fmt: skip
        return {x.item_id: x.forecast for x in report.annex if x.item_id != "1.1"}

    assert annex(19) == {
        "1.1.1": None,
        "1.1.2": date(2016, 5, 29),
        "1.1.3": date(2016, 11, 15),
        "1.1.4": None,
        "1.1.5": None,
    }
    # Layout 18 (archived reports) is made again with the standing forecast.
    assert annex(18) == {i: now.items[i].forecast for i in annex(18)}
    assert annex(18)["1.1.1"] == date(2015, 11, 30)


def test_the_agenda_pack_shows_the_forecast_in_force() -> None:
    plan = _plan()
    now = _assess(plan)
    body = GovernanceBody("stuurgroep", "Stuurgroep", "Sturen")

    def pack(in_force: bool) -> dict[str, date | None]:
        built = build_agenda(
            plan, now, body, Meeting("stuurgroep", date(2016, 3, 8)),
            previous=Meeting("stuurgroep", MEETING), next_meeting=None,
            decisions=DECISIONS, due_changes=EDITS, forecasts_in_force=in_force,
        )  # fmt: skip
        return {x.item_id: x.forecast for x in built.annex if x.item_id != "1.1"}

    assert pack(True) == {
        "1.1.1": None,
        "1.1.2": date(2016, 5, 29),
        "1.1.3": date(2016, 11, 15),
        "1.1.4": None,
        "1.1.5": None,
    }
    assert pack(False)["1.1.1"] == date(2015, 11, 30)  # layouts up to 19: as before
    assert pack(False)["1.1.4"] == date(2016, 5, 29)
