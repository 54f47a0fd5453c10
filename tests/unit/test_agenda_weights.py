"""Review "stuurgroep" findings 1 and 2: the points ter besluitvorming heaviest first — an
owner's slip to approve, a date the body set missed again, an unanswered escalation, a choice,
then routine — the longest late first within a weight; a short list cuts routine points only."""

from __future__ import annotations

from datetime import date

from governance.agenda import (
    DecisionAsked,
    ItemLine,
    _weight,
    by_weight,
    shortlist_asked,
)


def _asked(item_id: str, weight: str, late_since: date | None = None) -> DecisionAsked:
    line = ItemLine(
        item_id=item_id, step=1, action_id=item_id, action_title="", title=item_id,
        owners=("IenM",), gereed="Q4-2015", due=None, forecast=None, state="overdue",
        rag="red", stale=False, note=None, note_on=None, waiting_on=(),
    )  # fmt: skip
    return DecisionAsked(line, "overdue", weight, late_since)


def test_weights_follow_what_the_body_must_choose() -> None:
    assert _weight("slipped", escalated=True, set_by_decision=False) == "slip"
    assert _weight("overdue", escalated=True, set_by_decision=True) == "again"
    assert _weight("overdue", escalated=True, set_by_decision=False) == "escalated"
    assert _weight("escalated", escalated=True, set_by_decision=False) == "escalated"
    assert _weight("ratify", escalated=False, set_by_decision=False) == "choice"
    assert _weight("overdue", escalated=False, set_by_decision=False) == "routine"
    assert _weight("undated", escalated=False, set_by_decision=False) == "routine"


def test_heaviest_first_then_longest_late_then_plan_order() -> None:
    asked = [
        _asked("1.2.2", "routine"),
        _asked("2.3.2", "routine", date(2015, 9, 30)),
        _asked("3.5", "escalated", date(2016, 1, 4)),
        _asked("3.5.1", "slip", date(2015, 12, 31)),
        _asked("4.1.2", "again", date(2016, 12, 31)),
        _asked("3.5.2", "routine", date(2015, 12, 31)),
    ]
    ranked = [a.item.item_id for a in by_weight(asked)]
    assert ranked == ["3.5.1", "4.1.2", "3.5", "2.3.2", "3.5.2", "1.2.2"]


def test_a_short_list_cuts_routine_points_only() -> None:
    weighty = [_asked(f"1.{n}", "again", date(2016, 1, n)) for n in range(1, 5)]
    routine = [_asked(f"2.{n}", "routine", date(2015, 1, n)) for n in range(1, 5)]
    shown, cut = shortlist_asked(routine + weighty, 5)
    assert [a.item.item_id for a in shown] == ["1.1", "1.2", "1.3", "1.4", "2.1"]
    assert [a.item.item_id for a in cut] == ["2.2", "2.3", "2.4"]
    shown, cut = shortlist_asked(routine + weighty, 2)  # more weighty points than room
    assert len(shown) == 4 and {a.weight for a in shown} == {"again"} and len(cut) == 4
    shown, cut = shortlist_asked(routine, 10)
    assert len(shown) == 4 and cut == []
