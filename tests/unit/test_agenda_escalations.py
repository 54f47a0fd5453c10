"""Which unanswered escalations an agenda pack puts to the body (ter besluitvorming).

An escalation is answered by an owner's update or by a decision about its item taken since it
was raised; an item done or cancelled since is not chased either."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from governance import agenda
from governance.agenda import build_agenda
from governance.assessment import Assessment, assess
from governance.decisions import Decision, DecisionKind
from governance.meetings import Meeting
from governance.plan import Plan
from governance.planfile import load_plan
from governance.provenance import DueChange
from governance.updates import StatusUpdate, UpdateStatus
from reports.render import asked_question
from tests.conftest import SEED_PLAN

AS_OF = date(2016, 4, 5)  # pack day of the stuurgroep meeting of 12 April 2016
RAISED = date(2015, 12, 1)
DECIDED = date(2016, 1, 12)  # the stuurgroep meeting in between
# 3.9 and 1.4 are on track (green) on AS_OF: an escalation is their only reason to be asked.
ESCALATIONS = [("3.9", RAISED), ("1.4", RAISED)]


@pytest.fixture(scope="module")
def plan() -> Plan:
    return load_plan(SEED_PLAN)


def _assess(plan: Plan, *updates: StatusUpdate) -> Assessment:
    return assess(plan, list(updates), AS_OF)


def _decision(item_id: str | None, on: date = DECIDED, kind: str = "besluit") -> Decision:
    return Decision("stuurgroep", on, DecisionKind(kind), "Besproken", item_id=item_id)


@pytest.mark.parametrize("kind", ["set_gereed", "cancel", "besluit"])
def test_a_decision_about_the_item_after_the_escalation_answers_it(plan: Plan, kind: str) -> None:
    assessment = _assess(plan)
    body = next(b for b in plan.governance if b.id == "stuurgroep")
    pack = build_agenda(
        plan,
        assessment,
        body,
        Meeting("stuurgroep", date(2016, 4, 12)),
        previous=Meeting("stuurgroep", DECIDED),
        next_meeting=None,
        decisions=[_decision("3.9", kind=kind)],
        escalations=ESCALATIONS,
    )
    asked = {a.item.item_id: a for a in pack.asked}
    assert "3.9" not in asked  # the body already decided about it
    assert asked["1.4"].reason == "escalated"  # no decision about 1.4: still put to the body
    assert asked_question(asked["1.4"]) == (
        "Eigenaar aanspreken over 1.4 (escalatie van 1 december 2015 onbeantwoord)?"
    )


def test_the_selection_counts_only_decisions_about_the_item(plan: Plan) -> None:
    assessment = _assess(plan)
    decisions = [_decision("3.9")]
    assert agenda.open_escalations(assessment, ESCALATIONS, decisions) == {"1.4": RAISED}


def test_a_decision_on_the_day_of_the_escalation_answers_it(plan: Plan) -> None:
    # Like an update on that day: days are all either side knows.
    assessment = _assess(plan)
    assert "3.9" not in agenda.open_escalations(assessment, ESCALATIONS, [_decision("3.9", RAISED)])


def test_unrelated_decisions_leave_the_escalation_open(plan: Plan) -> None:
    assessment = _assess(plan)
    decisions = [_decision("1.3.1", kind="set_gereed"), _decision(None), _decision("3.6.1")]
    assert agenda.open_escalations(assessment, ESCALATIONS, decisions) == {
        "3.9": RAISED,
        "1.4": RAISED,
    }


def test_a_decision_before_the_escalation_does_not_answer_it(plan: Plan) -> None:
    assessment = _assess(plan)
    earlier = _decision("3.9", date(2015, 10, 13))
    assert agenda.open_escalations(assessment, ESCALATIONS, [earlier])["3.9"] == RAISED


def test_a_decision_after_the_cut_off_does_not_count(plan: Plan) -> None:
    assessment = _assess(plan)
    later = _decision("3.9", date(2016, 4, 12))  # the meeting itself, after the pack's as_of
    assert agenda.open_escalations(assessment, ESCALATIONS, [later])["3.9"] == RAISED


def test_an_escalation_raised_again_after_the_decision_is_asked_from_then(plan: Plan) -> None:
    assessment = _assess(plan)
    again = date(2016, 2, 15)
    escalations = [*ESCALATIONS, ("3.9", again)]
    found = agenda.open_escalations(assessment, escalations, [_decision("3.9")])
    assert found["3.9"] == again
    # Without the decision the first, older escalation is the one to name.
    assert agenda.open_escalations(assessment, escalations)["3.9"] == RAISED


def test_an_update_after_the_escalation_answers_it(plan: Plan) -> None:
    answered = StatusUpdate("3.9", UpdateStatus.ON_TRACK, date(2015, 12, 3))
    stale = StatusUpdate("1.4", UpdateStatus.ON_TRACK, date(2015, 11, 20))
    assessment = _assess(plan, answered, stale)
    assert agenda.open_escalations(assessment, ESCALATIONS) == {"1.4": RAISED}


def test_an_item_done_since_is_not_chased(plan: Plan) -> None:
    done = StatusUpdate(
        "3.9", UpdateStatus.DONE, date(2015, 11, 20), completed_on=date(2015, 11, 20)
    )
    assessment = _assess(plan, done)
    assert assessment.items["3.9"].state.value == "done"
    assert agenda.open_escalations(assessment, ESCALATIONS) == {"1.4": RAISED}


def test_an_escalation_after_the_cut_off_is_ignored(plan: Plan) -> None:
    assessment = _assess(plan)
    assert agenda.open_escalations(assessment, [("3.9", date(2016, 4, 6))]) == {}


def _moved(item_id: str, at: datetime, decision: Decision | None = None) -> DueChange:
    return DueChange(
        item_id, "Voorjaar 2016", "Q2-2017", date(2016, 5, 31), date(2017, 6, 30), at, decision
    )


def test_a_due_date_moved_since_the_escalation_ends_it(plan: Plan) -> None:
    # A new date starts its own prompts and its own silence: the old one is not chased.
    assessment = _assess(plan)
    edited = datetime(2016, 1, 20, 9, tzinfo=UTC)
    assert agenda.open_escalations(assessment, ESCALATIONS, (), [_moved("3.9", edited)]) == {
        "1.4": RAISED
    }
    # A move before the escalation leaves it open.
    before = datetime(2015, 11, 2, 9, tzinfo=UTC)
    assert "3.9" in agenda.open_escalations(assessment, ESCALATIONS, (), [_moved("3.9", before)])


def test_a_date_moved_without_a_decision_is_put_to_the_body_not_one_with(plan: Plan) -> None:
    assessment = _assess(plan)
    lines = agenda.item_lines(plan, assessment)
    edited = datetime(2016, 1, 20, 9, tzinfo=UTC)
    asked = {
        a.item.item_id: a
        for a in agenda.decisions_asked(assessment, lines, ESCALATIONS, (), [_moved("3.9", edited)])
    }
    assert asked["3.9"].reason == "ratify"
    assert asked_question(asked["3.9"]) == (
        "Verschuiving van 3.9 van Voorjaar 2016 naar Q2-2017 accorderen?"
    )
    decided = _moved("3.9", edited, _decision("3.9", kind="set_gereed"))
    assert agenda.to_ratify(assessment, [decided]) == {}
    # A later decision about the item answers it; an earlier one does not.
    later = _decision("3.9", date(2016, 2, 1))
    assert agenda.to_ratify(assessment, [_moved("3.9", edited)], [later]) == {}
    assert agenda.to_ratify(assessment, [_moved("3.9", edited)], [_decision("3.9")]) == {
        "3.9": ("Voorjaar 2016", "Q2-2017")
    }


def test_an_edit_counts_on_the_office_day_not_the_utc_day(plan: Plan) -> None:
    # 23:30 UTC on 30 November is 00:30 on 1 December in Amsterdam: the day the escalation
    # was raised, so the move ends it there and not in UTC.
    assessment = _assess(plan)
    edited = datetime(2015, 11, 30, 23, 30, tzinfo=UTC)
    zone = plan.calendar.timezone
    assert zone == "Europe/Amsterdam"
    moved = [_moved("3.9", edited)]
    assert "3.9" not in agenda.open_escalations(assessment, ESCALATIONS, (), moved, zone)
    assert "3.9" in agenda.open_escalations(assessment, ESCALATIONS, (), moved, "UTC")
    # A decision of 30 November came before that edit in the office's day: it ratifies nothing.
    day_before = _decision("3.9", date(2015, 11, 30))
    assert "3.9" in agenda.to_ratify(assessment, moved, [day_before], zone)
    assert agenda.to_ratify(assessment, moved, [day_before], "UTC") == {}


def test_a_late_answer_is_dated_by_the_office_day() -> None:
    # Recorded 23:30 UTC on 3 March = 00:30 on 4 March in Amsterdam: more than a day after
    # the 2 March it reports for, so it came in late (nagekomen) there, not in UTC.
    at = datetime(2016, 3, 3, 23, 30, tzinfo=UTC)
    assert agenda.recorded_late(date(2016, 3, 2), at, "Europe/Amsterdam") == date(2016, 3, 4)
    assert agenda.recorded_late(date(2016, 3, 2), at, "UTC") is None


@pytest.mark.parametrize(
    ("source", "late"), [("email", True), ("decision", False), ("report", False)]
)
def test_only_an_owners_answer_comes_in_late(plan: Plan, source: str, late: bool) -> None:
    # Recorded a year after the day it counts for: *nagekomen* for an owner's answer; a
    # decision's update and a report's mark count from their own day by design.
    update = StatusUpdate(
        "3.9", UpdateStatus.DONE, date(2016, 3, 2), source=source,
        recorded_at=datetime(2017, 3, 2, 9, tzinfo=UTC),
    )  # fmt: skip
    line = agenda.item_lines(plan, _assess(plan, update))["3.9"]
    assert (line.recorded_late is not None) is late
