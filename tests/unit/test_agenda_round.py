"""The pack's *Statusronde* counted without a store (governance.agenda_round): which rounds
belong to the meeting, several counted as one, the unanswered items in the plan's order and cut
after a limit."""

from __future__ import annotations

from datetime import date

import pytest

from governance import agenda_round
from governance.agenda_round import RoundFacts, round_outcome, rounds_for_meeting
from tests.unit.planbuilder import act, make_plan, ms, quarter

PLAN = make_plan(
    act("1.2", ms("1.2.1", quarter(2025, 3)), owners=("GEM",)),
    act("1.10", ms("1.10.1", quarter(2025, 3)), owners=("IPO",)),
)
ROUND = RoundFacts(7, "stuurgroep", date(2025, 6, 2), date(2025, 6, 13), date(2025, 6, 13))
AFTER = date(2025, 6, 20)


def test_unanswered_items_in_the_plan_order_an_item_gone_from_the_plan_last() -> None:
    asked = [("1.10.1", "IPO"), ("1.2.1", "GEM"), ("9.9", "VNG"), ("1.10.1", "IPO")]
    outcome = round_outcome(PLAN, [(ROUND, asked, set())], AFTER)
    assert outcome is not None
    assert [(i.item_id, i.owners) for i in outcome.unanswered] == [
        ("1.2.1", ("GEM",)), ("1.10.1", ("IPO",)), ("9.9", ("VNG",)),
    ]  # fmt: skip
    assert (outcome.asked, outcome.answered, outcome.still_open, outcome.more) == (3, 0, False, 0)


def test_a_long_list_is_cut_and_says_how_many_more(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(agenda_round, "LISTED", 2)
    asked = [("1.10.1", "IPO"), ("1.2.1", "GEM"), ("9.9", "VNG")]
    outcome = round_outcome(PLAN, [(ROUND, asked, set())], AFTER)
    assert outcome is not None
    assert ([i.item_id for i in outcome.unanswered], outcome.more) == (["1.2.1", "1.10.1"], 1)


def test_open_round_and_the_counts() -> None:
    still = RoundFacts(7, "stuurgroep", date(2025, 6, 2), date(2025, 6, 13), None)
    requests = [("1.2.1", "GEM"), ("1.10.1", "IPO")]
    outcome = round_outcome(PLAN, [(still, requests, {"1.2.1"})], date(2025, 6, 10))
    assert outcome is not None
    assert (outcome.asked, outcome.answered, outcome.still_open) == (2, 1, True)
    assert round_outcome(PLAN, [(still, [], set())], date(2025, 6, 10)) is None
    assert round_outcome(PLAN, [], date(2025, 6, 10)) is None


def test_several_rounds_count_as_one_an_item_answered_in_either() -> None:
    later = RoundFacts(9, "stuurgroep", date(2025, 6, 4), date(2025, 6, 12), None)
    outcome = round_outcome(
        PLAN,
        [
            (ROUND, [("1.2.1", "GEM"), ("1.10.1", "IPO")], set()),
            (later, [("1.2.1", "GEM")], {"1.2.1"}),
        ],
        date(2025, 6, 10),
    )
    assert outcome is not None
    assert (outcome.asked_on, outcome.answer_by) == (date(2025, 6, 2), date(2025, 6, 13))
    assert (outcome.asked, outcome.answered, outcome.still_open) == (2, 1, True)
    assert [i.item_id for i in outcome.unanswered] == ["1.10.1"]


def test_the_rounds_of_this_meeting_not_the_previous_ones_or_another_bodys() -> None:
    earlier = RoundFacts(3, "stuurgroep", date(2025, 3, 3), date(2025, 3, 14), date(2025, 3, 14))
    other = RoundFacts(8, "regieteam", date(2025, 6, 3), date(2025, 6, 12), None)
    later = RoundFacts(9, "stuurgroep", date(2025, 6, 4), date(2025, 6, 12), None)
    rounds = [later, earlier, ROUND, other]
    meeting, previous = date(2025, 6, 17), date(2025, 3, 18)
    found = rounds_for_meeting(rounds, "stuurgroep", meeting, previous, date(2025, 6, 16))
    assert found == [ROUND, later]
    assert rounds_for_meeting(rounds, "stuurgroep", meeting, previous, date(2025, 6, 1)) == []
    assert rounds_for_meeting(rounds, "stuurgroep", date(2025, 3, 18), None,
                              date(2025, 3, 17)) == [earlier]  # fmt: skip


def test_a_round_recorded_for_a_meeting_is_that_meetings_whatever_its_answer_by() -> None:
    """A weekly body: the round for the 17th asks answers by the 10th, the previous meeting's
    day (review7 1). A round without a recorded meeting keeps the answer-by rule."""
    tenth, seventeenth = date(2025, 6, 10), date(2025, 6, 17)
    for_tenth = RoundFacts(1, "stuurgroep", date(2025, 5, 26), date(2025, 6, 3), None, tenth)
    for_17th = RoundFacts(2, "stuurgroep", date(2025, 6, 3), tenth, None, seventeenth)
    by_hand = RoundFacts(3, "stuurgroep", date(2025, 6, 4), date(2025, 6, 16), None)
    rounds = [for_tenth, for_17th, by_hand]
    assert rounds_for_meeting(rounds, "stuurgroep", tenth, date(2025, 6, 3), tenth) == [for_tenth]
    assert rounds_for_meeting(rounds, "stuurgroep", seventeenth, tenth, seventeenth) == [
        for_17th, by_hand,
    ]  # fmt: skip


def test_a_round_whose_meeting_moved_prepares_the_next_meeting_after_it() -> None:
    """review8 3: the meeting recorded with a round was moved (17 → 24 June) or dropped: the
    round prepares the nearer known meeting after its answer-by date without a round of its own
    (here the next one), in the pack as in its mails (review10a 3)."""
    from regie.rounds import round_meeting
    from store.answers import Round

    tenth, seventeenth, moved = date(2025, 6, 10), date(2025, 6, 17), date(2025, 6, 24)
    for_17th = RoundFacts(2, "stuurgroep", date(2025, 6, 3), tenth, None, seventeenth)
    meetings = [tenth, moved]
    assert rounds_for_meeting([for_17th], "stuurgroep", moved, tenth, moved, meetings) == [for_17th]
    assert rounds_for_meeting([for_17th], "stuurgroep", tenth, None, tenth, meetings) == []
    # Still on the 17th: that meeting's, not the next one's.
    kept = [tenth, seventeenth, moved]
    assert rounds_for_meeting([for_17th], "stuurgroep", moved, seventeenth, moved, kept) == []
    r = Round(2, "p", "stuurgroep", tenth, None, date(2025, 6, 3), None, seventeenth)
    # 24 June's own round would start on 10 June, the answer-by date: it takes the round over.
    assert round_meeting({"stuurgroep": meetings}, r, [r], PLAN) == moved
    assert round_meeting({"stuurgroep": kept}, r, [r], PLAN) == seventeenth
    assert round_meeting({"stuurgroep": [tenth]}, r, [r], PLAN) is None  # dropped, none after


def test_a_meeting_moved_earlier_keeps_its_round_and_the_next_meeting_its_own() -> None:
    """review10a 3: the round for 19 June (answers by 12 June), the meeting moved to 17 June:
    it prepares 17 June, the nearer of its neighbours, not 10 July. A meeting before its
    answer-by date, or one with a round of its own, is not it."""
    from governance.agenda_round import tie_rounds

    old, new, following = date(2025, 6, 19), date(2025, 6, 17), date(2025, 7, 10)
    moved = (1, old, date(2025, 6, 12))
    assert tie_rounds([moved], [new, following]) == {1: new}
    assert tie_rounds([moved, (2, new, date(2025, 6, 10))], [new, following]) == {
        1: following, 2: new,
    }  # fmt: skip
    assert tie_rounds([moved], [date(2025, 6, 11), following]) == {1: following}
    by_hand = (3, None, date(2025, 6, 11))  # review10a 4: the first on or after answer-by
    assert tie_rounds([by_hand], [old, following]) == {3: old}


def test_each_rule_ties_a_round_of_a_moved_meeting_as_its_layout_did() -> None:
    """layout35 1: a round recorded for 19 June, answers by 12 June; the meeting moved to 17 June
    (known: 17 June, 10 July). Layout 8's rule: the recorded meeting only (neither); 9's: the
    next known (10 July); 10's: the nearer known after its answer-by (17 June); 12's as 10's
    (no ``asks_from`` given: every meeting's own round would have started in time)."""
    from governance.agenda_round import TieRule

    moved = RoundFacts(
        4, "stuurgroep", date(2025, 6, 5), date(2025, 6, 12), None, date(2025, 6, 19)
    )
    known = (date(2025, 6, 17), date(2025, 7, 10))

    def picked(meeting: date, previous: date | None, rule: TieRule) -> bool:
        found = rounds_for_meeting([moved], "stuurgroep", meeting, previous, meeting, known, rule)
        return found == [moved]

    july, june = known[1], known[0]
    assert [picked(june, None, r) for r in TieRule] == [False, False, True, True]
    assert [picked(july, june, r) for r in TieRule] == [False, True, False, False]


def test_a_moved_round_takes_over_a_meeting_only_when_its_own_round_would_have_started() -> None:
    """cancel46 (walk33 2): the round for 12 June (answers by 4 June), 12 June cancelled. A
    neighbour whose own round starts by 4 June takes it over; 10 July, whose own round starts
    on 26 June, does not: it gets a round of its own, and the cancelled meeting's prepares none
    (the rule of the rounds' mails and of layout 13's *Statusronde*; layouts 10–12 kept theirs)."""
    from governance.agenda_round import TieRule, tie_rounds

    starts = {date(2025, 6, 19): date(2025, 6, 4), date(2025, 7, 10): date(2025, 6, 26)}
    cancelled = (1, date(2025, 6, 12), date(2025, 6, 4))
    june, july = starts
    assert tie_rounds([cancelled], [june, july], starts.__getitem__) == {1: june}
    assert tie_rounds([cancelled], [july], starts.__getitem__) == {1: None}
    assert tie_rounds([cancelled], [july]) == {1: july}  # without: the nearer, however late
    facts = RoundFacts(1, "stuurgroep", date(2025, 5, 28), date(2025, 6, 4), None, cancelled[1])

    def picked(rule: TieRule) -> bool:
        found = rounds_for_meeting(
            [facts], "stuurgroep", july, None, july, [july], rule, starts.__getitem__
        )
        return found == [facts]

    assert (picked(TieRule.NEARER), picked(TieRule.FRESH)) == (True, False)


def test_a_correction_answers_a_round_only_when_what_it_corrects_is_the_round_s() -> None:
    """review7 8: reported in the round and correcting nothing, or an update of the round:
    an answer; correcting an update from before the round (a typo fix): none."""
    from governance.agenda_round import answered_in_round, answers_round

    start = date(2025, 6, 2)
    assert answers_round(date(2025, 6, 3), None, start)
    assert answers_round(date(2025, 6, 3), date(2025, 6, 2), start)
    assert not answers_round(date(2025, 6, 3), date(2025, 5, 30), start)
    assert not answers_round(date(2025, 6, 1), None, start)
    rows = [
        ("1.1", date(2025, 6, 3), date(2025, 5, 30)),
        ("1.2", date(2025, 6, 4), None),
        ("1.3", date(2025, 6, 4), date(2025, 6, 3)),
    ]
    assert answered_in_round(rows, start) == {"1.2", "1.3"}


def test_first_of_chain_follows_corrections_to_the_update_that_corrects_nothing() -> None:
    from governance.agenda_round import first_of_chain

    parents: dict[int, int | None] = {1: None, 2: 1, 3: 2, 4: None}
    assert first_of_chain(None, parents) is None  # not a correction
    assert first_of_chain(1, parents) == 1
    assert first_of_chain(3, parents) == 1  # a correction of 3 continues 1 → 2 → 3
    assert first_of_chain(9, parents) == 9  # an update not read ends the chain


def test_each_agenda_layout_keeps_the_round_rule_it_was_built_with() -> None:
    """cancel46: layout 13 ties rounds by the fresh rule; archived packs of layouts 10–12 are
    made again with the nearer meeting, however late (as built), and 8–9 with theirs."""
    from governance.agenda_round import TieRule
    from regie.report_build import round_tie_rule

    assert [round_tie_rule(n) for n in (8, 9, 10, 11, 12, 13)] == [
        TieRule.RECORDED, TieRule.NEXT, TieRule.NEARER, TieRule.NEARER, TieRule.NEARER,
        TieRule.FRESH,
    ]  # fmt: skip


def test_a_round_s_step_scope_with_a_leading_zero_is_the_step_items_name() -> None:
    """review46 13: ``step:01`` was accepted and then matched no item (``str(item.step)`` is
    ``"1"``): the round had nothing to ask."""
    from regie.rounds import parse_scope

    assert parse_scope(PLAN, "step:01") == ("step", "1")
    assert parse_scope(PLAN, "step:1") == ("step", "1")
