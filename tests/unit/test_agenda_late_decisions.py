"""Agenda layout 21 (walk56d 2): a decision of a meeting before the previous one, recorded
after the body's latest pack, reached no pack's decision list, yet answered the escalation that
pack had asked about: the question left the agenda without a word. The next pack lists it once,
marked *nog niet in het vorige agendapakket*, saying that it answered that question."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from governance.agenda import AgendaPack, build_agenda
from governance.agenda_model import ShownBefore
from governance.assessment import assess
from governance.decisions import Decision, DecisionKind
from governance.meetings import Meeting
from governance.plan import Plan
from governance.planfile import load_plan
from reports.render import environment
from tests.conftest import SEED_PLAN

RAISED = date(2015, 12, 1)  # 3.9 and 1.4 escalated; both on track otherwise on AS_OF
DECIDED = date(2015, 12, 8)  # the meeting whose decision about 3.9 is recorded late
PREVIOUS = date(2016, 1, 12)  # the previous meeting: its pack asked about both escalations
PACK_MADE = datetime(2016, 1, 5, 7, tzinfo=UTC)
SHOWN = ShownBefore(PREVIOUS, date(2016, 1, 5), PACK_MADE)
MEETING, AS_OF = date(2016, 4, 12), date(2016, 4, 5)
LATE = datetime(2016, 1, 20, 9, tzinfo=UTC)  # after the previous pack was made
MARK = "nog niet in het vorige agendapakket"


@pytest.fixture(scope="module")
def plan() -> Plan:
    return load_plan(SEED_PLAN)


def _decision(
    item_id: str | None, at: datetime, on: date = DECIDED, kind: str = "besluit"
) -> Decision:
    return Decision("stuurgroep", on, DecisionKind(kind), "Nagekomen", item_id, recorded_at=at)


def _pack(
    plan: Plan,
    decisions: list[Decision],
    *,
    late: bool = True,
    shown: ShownBefore | None = SHOWN,
    listed: frozenset[str] = frozenset({"3.9", "1.4"}),
) -> AgendaPack:
    body = next(b for b in plan.governance if b.id == "stuurgroep")
    return build_agenda(
        plan,
        assess(plan, [], AS_OF),
        body,
        Meeting("stuurgroep", MEETING),
        previous=Meeting("stuurgroep", PREVIOUS),
        next_meeting=None,
        decisions=decisions,
        escalations=[("3.9", RAISED), ("1.4", RAISED)],
        packs_listed={PREVIOUS: listed},
        shown=shown,
        late_decisions=late,
    )


def test_a_decision_recorded_after_the_pack_is_listed_once_and_says_what_it_answered(
    plan: Plan,
) -> None:
    """The walk's case: 3.9's question leaves the agenda, the decision that answered it is
    listed, marked, and says so; an escalation raised before the decision's meeting is
    answered by it (the body took the item up after it), as before."""
    pack = _pack(plan, [_decision("3.9", LATE)])
    asked = {a.item.item_id for a in pack.asked}
    assert "3.9" not in asked and "1.4" in asked
    [line] = pack.decisions
    assert (line.decision.meeting_on, line.early, line.answers) == (DECIDED, True, True)
    # Layout 20 (the old code): the decision is in no list, and the question is gone all the same.
    old = _pack(plan, [_decision("3.9", LATE)], late=False)
    assert old.decisions == () and "3.9" not in {a.item.item_id for a in old.asked}


def test_only_what_the_previous_pack_could_not_list_is_caught_up(plan: Plan) -> None:
    # Recorded before that pack was made: it was in that pack's list (its meeting's window).
    assert _pack(plan, [_decision("3.9", PACK_MADE)]).decisions == ()
    # A pack made after it was recorded listed it (the meeting after, once).
    after = ShownBefore(PREVIOUS, date(2016, 1, 5), datetime(2016, 1, 25, 7, tzinfo=UTC))
    assert _pack(plan, [_decision("3.9", LATE)], shown=after).decisions == ()
    # Without an earlier pack there is nothing to catch up on.
    assert _pack(plan, [_decision("3.9", LATE)], shown=None).decisions == ()
    # Another body's decision is not this body's to list.
    other = Decision("landelijk-overleg", DECIDED, DecisionKind.DECISION, "x", "3.9",
                     recorded_at=LATE)  # fmt: skip
    assert _pack(plan, [other]).decisions == ()


def test_a_late_decision_answers_only_what_the_pack_asked_and_it_settled(plan: Plan) -> None:
    # About an item the previous pack did not ask: listed, answering nothing.
    [line] = _pack(plan, [_decision("3.6.1", LATE)]).decisions
    assert (line.early, line.answers) == (True, False)
    # 3.9 was not in the previous pack: its question was not that pack's.
    [line] = _pack(plan, [_decision("3.9", LATE)], listed=frozenset({"1.4"})).decisions
    assert (line.early, line.answers) == (True, False)
    # A decision of the previous meeting itself is the ordinary list, not marked.
    [line] = _pack(plan, [_decision("3.9", LATE, on=PREVIOUS)]).decisions
    assert (line.early, line.answers) == (False, False)


def test_the_decision_list_marks_it_and_says_so_above(plan: Plan) -> None:
    pack = _pack(plan, [_decision("3.9", LATE), _decision("3.6.1", LATE)])
    module = environment().get_template("_since.j2").module
    assert str(module.late_intro(pack.decisions)) == (  # type: ignore[attr-defined]
        "Ook opgenomen, gemarkeerd met „nog niet in het vorige agendapakket”: besluiten van een "
        "eerdere vergadering die pas na het vorige agendapakket zijn vastgelegd."
    )
    marks = [str(module.late_mark(d)) for d in pack.decisions]  # type: ignore[attr-defined]
    assert marks == [
        f" ({MARK}; hiermee is de vraag over dit punt uit dat pakket beantwoord)",
        f" ({MARK})",
    ]
    assert str(module.late_intro(pack.decisions[1:])).startswith(  # type: ignore[attr-defined]
        "Ook opgenomen, gemarkeerd met „nog niet in het vorige agendapakket”: een besluit van "
        "een eerdere vergadering dat pas na het vorige agendapakket is vastgelegd."
    )
