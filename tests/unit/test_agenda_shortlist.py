"""A pack's long lists are cut to the most severe entries, counted, and kept in plan order."""

from __future__ import annotations

from datetime import date

from governance.agenda import DecisionAsked, ItemLine, shortlist


def _line(item_id: str, rag: str, due: date | None = None) -> ItemLine:
    return ItemLine(
        item_id=item_id, step=1, action_id="1.1", action_title="A", title=item_id,
        owners=("O",), gereed="Q1-2016", due=due, forecast=None, state="at_risk", rag=rag,
        stale=False, note=None, note_on=None, waiting_on=(),
    )  # fmt: skip


def test_a_list_that_fits_is_kept_as_it_is() -> None:
    lines = [_line("1", "amber"), _line("2", "red")]
    assert shortlist(lines, 2) == (lines, 0)


def test_a_long_list_keeps_the_most_severe_in_their_own_order() -> None:
    lines = [
        _line("1", "amber", date(2016, 1, 1)),
        _line("2", "red", date(2016, 3, 1)),
        _line("3", "amber", date(2015, 1, 1)),
        _line("4", "red", date(2016, 2, 1)),
        _line("5", "green"),
    ]
    shown, hidden = shortlist(lines, 3)
    assert [x.item_id for x in shown] == ["2", "3", "4"]  # red, red, then the earliest amber
    assert hidden == 2


def test_questions_are_cut_by_reason_first() -> None:
    asked = [
        DecisionAsked(_line("1", "grey"), "undated"),
        DecisionAsked(_line("2", "red"), "slipped"),
        DecisionAsked(_line("3", "red"), "overdue"),
    ]
    shown, hidden = shortlist(asked, 2)
    assert [a.item.item_id for a in shown] == ["2", "3"] and hidden == 1
