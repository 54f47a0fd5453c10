"""The pack's *Statusronde* counted without a store (governance.agenda_round): which round
belongs to the meeting, and the unanswered items in the plan's order."""

from __future__ import annotations

from datetime import date

from governance.agenda_round import RoundFacts, round_for_meeting, round_outcome
from tests.unit.planbuilder import act, make_plan, ms, quarter

PLAN = make_plan(
    act("1.2", ms("1.2.1", quarter(2025, 3)), owners=("GEM",)),
    act("1.10", ms("1.10.1", quarter(2025, 3)), owners=("IPO",)),
)
ROUND = RoundFacts(7, "stuurgroep", date(2025, 6, 2), date(2025, 6, 13), date(2025, 6, 13))


def test_unanswered_items_in_the_plan_order_an_item_gone_from_the_plan_last() -> None:
    asked = [("1.10.1", "IPO"), ("1.2.1", "GEM"), ("9.9", "VNG"), ("1.10.1", "IPO")]
    outcome = round_outcome(PLAN, ROUND, asked, set(), date(2025, 6, 20))
    assert outcome is not None
    assert [(i.item_id, i.owners) for i in outcome.unanswered] == [
        ("1.2.1", ("GEM",)), ("1.10.1", ("IPO",)), ("9.9", ("VNG",)),
    ]  # fmt: skip
    assert (outcome.asked, outcome.answered, outcome.still_open) == (3, 0, False)


def test_open_round_and_the_counts() -> None:
    still = RoundFacts(7, "stuurgroep", date(2025, 6, 2), date(2025, 6, 13), None)
    outcome = round_outcome(PLAN, still, [("1.2.1", "GEM"), ("1.10.1", "IPO")], {"1.2.1"},
                            date(2025, 6, 10))  # fmt: skip
    assert outcome is not None
    assert (outcome.asked, outcome.answered, outcome.still_open) == (2, 1, True)
    assert round_outcome(PLAN, still, [], set(), date(2025, 6, 10)) is None


def test_the_round_of_this_meeting_not_the_previous_ones_or_another_bodys() -> None:
    earlier = RoundFacts(3, "stuurgroep", date(2025, 3, 3), date(2025, 3, 14), date(2025, 3, 14))
    other = RoundFacts(8, "regieteam", date(2025, 6, 3), date(2025, 6, 12), None)
    rounds = [earlier, ROUND, other]
    meeting, previous = date(2025, 6, 17), date(2025, 3, 18)
    assert round_for_meeting(rounds, "stuurgroep", meeting, previous, date(2025, 6, 16)) == ROUND
    assert round_for_meeting(rounds, "stuurgroep", meeting, previous, date(2025, 6, 1)) is None
    assert round_for_meeting(rounds, "stuurgroep", date(2025, 3, 18), None,
                             date(2025, 3, 17)) == earlier  # fmt: skip
