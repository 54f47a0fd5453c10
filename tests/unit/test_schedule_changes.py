"""walk32a 6: how a body's meeting days changed since last seen (pure)."""

from __future__ import annotations

from datetime import date

from governance.meetings import schedule_changes

AS_OF = date(2026, 12, 1)
D17, D18, D20 = date(2026, 12, 17), date(2026, 12, 18), date(2026, 12, 20)


def test_a_day_gone_and_a_day_added_ahead_is_a_move() -> None:
    changes = schedule_changes([D17, D20], [D18, D20], AS_OF)
    assert changes.moved == ((D17, D18),)
    assert changes.cancelled == () and changes.moved_past == ()
    assert changes.added == (D18,) and changes.gone == (D17,)


def test_a_day_gone_alone_is_cancelled_and_a_day_added_alone_is_neither() -> None:
    assert schedule_changes([D17, D20], [D20], AS_OF).cancelled == (D17,)
    added = schedule_changes([D17], [D17, D20], AS_OF)
    assert added.moved == () and added.cancelled == () and added.added == (D20,)


def test_held_meetings_and_moves_into_the_past_are_told_to_nobody() -> None:
    held = schedule_changes([date(2026, 11, 12), D17], [date(2026, 11, 11), D17], AS_OF)
    assert held.moved == held.moved_past == held.cancelled == ()
    assert held.gone == (date(2026, 11, 12),)
    late = schedule_changes([D17], [date(2026, 11, 30)], AS_OF)
    assert late.moved == () and late.cancelled == ()
    assert late.moved_past == ((D17, date(2026, 11, 30)),)


def test_nothing_changed_is_empty() -> None:
    assert schedule_changes([D17, D18], [D18, D17], AS_OF) == schedule_changes([], [], AS_OF)
