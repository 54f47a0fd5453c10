"""A corrected decision's due change folds into its correction's (walk56d 3): pure."""

from __future__ import annotations

from datetime import UTC, date, datetime

from governance.decision_corrections import changes_folded, in_force
from governance.decisions import Decision, DecisionKind
from governance.provenance import DueChange

MEETING = date(2027, 3, 4)


def _decided(id_: int, before: str, after: str, corrects: int | None = None) -> Decision:
    return Decision("sg", MEETING, DecisionKind.SET_GEREED, "x", "1.2", before, after,
                    id=id_, corrects=corrects)  # fmt: skip


def _change(d: Decision, due_before: date, due_after: date, minute: int) -> DueChange:
    at = datetime(2027, 3, 5, 9, minute, tzinfo=UTC)
    return DueChange("1.2", d.gereed_before, d.gereed_after, due_before, due_after, at, d)


def test_a_chain_of_corrections_reads_as_one_change_from_the_date_before_the_meeting() -> None:
    jun = _decided(5, "Voorjaar 2027", "Jun 2027")
    aug = _decided(6, "Jun 2027", "Aug 2027", corrects=5)  # a typo corrected with a typo
    jul = _decided(7, "Aug 2027", "Jul 2027", corrects=6)
    changes = [
        _change(jun, date(2027, 5, 31), date(2027, 6, 30), 1),
        _change(aug, date(2027, 6, 30), date(2027, 8, 31), 2),
        _change(jul, date(2027, 8, 31), date(2027, 7, 31), 3),
    ]
    [one] = changes_folded(changes, [jun, aug, jul])
    assert (one.gereed_before, one.gereed_after) == ("Voorjaar 2027", "Jul 2027")
    assert (one.due_before, one.due_after, one.decision) == (
        date(2027, 5, 31),
        date(2027, 7, 31),
        jul,
    )
    assert in_force([jun, aug, jul]) == [jul]


def test_a_correction_that_moved_no_date_takes_the_change_over_and_one_back_leaves_none() -> None:
    jun = _decided(5, "Voorjaar 2027", "Jun 2027")
    same = _decided(6, "Voorjaar 2027", "juni 2027", corrects=5)  # the same due day: no change
    [taken] = changes_folded([_change(jun, date(2027, 5, 31), date(2027, 6, 30), 1)], [jun, same])
    assert (taken.gereed_before, taken.gereed_after, taken.decision) == (
        "Voorjaar 2027", "juni 2027", same
    )  # fmt: skip
    back = _decided(6, "Voorjaar 2027", "Voorjaar 2027", corrects=5)
    both = [
        _change(jun, date(2027, 5, 31), date(2027, 6, 30), 1),
        _change(back, date(2027, 6, 30), date(2027, 5, 31), 2),
    ]
    assert changes_folded(both, [jun, back]) == []
    assert changes_folded(both[:1], [jun]) == both[:1]  # nothing corrected: as they were
