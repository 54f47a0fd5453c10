"""review54 3 and 5: one rule for which decision ratified a date moved in the plan file
without one (:mod:`governance.ratification`), shared by the progress report's *bekrachtigd bij
besluit* and the agenda pack's *…accorderen?* (layout 19, ``to_ratify(by_rule=True)``)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from governance import agenda
from governance.assessment import assess
from governance.decisions import Decision, DecisionKind, ReportRef
from governance.plan import Plan
from governance.planfile import load_plan
from governance.provenance import DueChange, undecided_run, undecided_runs
from governance.ratification import ratifying_decision, revising_decision
from tests.conftest import SEED_PLAN

EDITED = datetime(2016, 1, 12, 10, tzinfo=UTC)  # 11:00 in Amsterdam, the meeting's day
EDIT = DueChange("3.9", "Voorjaar 2016", "Q2-2017", date(2016, 5, 31), date(2017, 6, 30), EDITED)
AS_OF = date(2016, 4, 5)
ZONE = "Europe/Amsterdam"


def _decision(
    on: date = date(2016, 1, 12),
    kind: DecisionKind = DecisionKind.DECISION,
    *,
    at: datetime | None = None,
    after: str | None = None,
    approves: ReportRef | None = None,
    item_id: str = "3.9",
) -> Decision:
    return Decision(
        "stuurgroep", on, kind, "Besproken", item_id=item_id, gereed_after=after,
        recorded_at=at, approves=approves,
    )  # fmt: skip


@pytest.fixture(scope="module")
def plan() -> Plan:
    return load_plan(SEED_PLAN)


def test_a_text_decision_after_the_edit_ratifies_it() -> None:
    later = _decision(date(2016, 2, 1))
    assert ratifying_decision(EDIT, [later], AS_OF, ZONE) is later
    assert revising_decision(EDIT, [later], AS_OF, ZONE) is None
    # Not one taken after ``as_of``, nor one about another item.
    assert ratifying_decision(EDIT, [later], date(2016, 1, 31), ZONE) is None
    assert ratifying_decision(EDIT, [_decision(date(2016, 2, 1), item_id="1.4")], AS_OF) is None


def test_on_the_edits_day_only_a_decision_recorded_after_it() -> None:
    before = _decision(at=datetime(2016, 1, 12, 9, tzinfo=UTC))
    after = _decision(at=datetime(2016, 1, 12, 11, tzinfo=UTC))
    assert ratifying_decision(EDIT, [before], AS_OF, ZONE) is None
    assert ratifying_decision(EDIT, [before, after], AS_OF, ZONE) is after


def test_a_move_elsewhere_a_cancel_or_a_report_approval_ratifies_nothing() -> None:
    elsewhere = _decision(date(2016, 2, 1), DecisionKind.SET_GEREED, after="Q4-2017")
    cancel = _decision(date(2016, 2, 1), DecisionKind.CANCEL)
    approval = _decision(date(2016, 2, 1), approves=ReportRef("kwartaal", AS_OF, AS_OF))
    same = _decision(date(2016, 3, 1), DecisionKind.SET_GEREED, after="q2-2017")
    assert ratifying_decision(EDIT, [elsewhere, cancel, approval], AS_OF, ZONE) is None
    assert revising_decision(EDIT, [elsewhere, cancel, approval], AS_OF, ZONE) is elsewhere
    assert ratifying_decision(EDIT, [elsewhere, same], AS_OF, ZONE) is same


def test_the_runs_start_again_after_a_decided_move() -> None:
    decided = DueChange(
        "3.9", "Q2-2017", "Q3-2017", None, None, datetime(2016, 2, 1, tzinfo=UTC),
        _decision(date(2016, 2, 1), DecisionKind.SET_GEREED, after="Q3-2017"),
    )  # fmt: skip
    again = DueChange("3.9", "Q3-2017", "Q4-2017", None, None, datetime(2016, 3, 1, tzinfo=UTC))
    other = DueChange("1.4", "Q1-2016", "Q2-2016", None, None, EDITED)
    assert undecided_runs([again, other, decided, EDIT]) == {"3.9": [again], "1.4": [other]}
    assert undecided_run([EDIT, other], "3.9") == [EDIT]


def test_layout_19s_question_follows_the_rule_older_ones_any_decision(plan: Plan) -> None:
    """to_ratify: a report's approval naming the item, or a decision of the edit's day taken
    before it, answered *…accorderen?* in layout 18's packs; from layout 19 it is still asked."""
    assessment = assess(plan, [], AS_OF)
    approval = _decision(date(2016, 2, 1), approves=ReportRef("kwartaal", AS_OF, AS_OF))
    earlier = _decision(at=datetime(2016, 1, 12, 9, tzinfo=UTC))
    asked = {"3.9": ("Voorjaar 2016", "Q2-2017")}
    for answer in (approval, earlier):
        assert agenda.to_ratify(assessment, [EDIT], [answer], ZONE) == {}
        assert agenda.to_ratify(assessment, [EDIT], [answer], ZONE, by_rule=True) == asked
    later = _decision(date(2016, 2, 1))
    assert agenda.to_ratify(assessment, [EDIT], [later], ZONE, by_rule=True) == {}
