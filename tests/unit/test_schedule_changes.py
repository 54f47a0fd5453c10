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


def test_a_cancellation_and_a_later_move_are_not_paired_across_a_kept_meeting() -> None:
    """review13 3: cancel 10 March, move 12 May to 19 May (14 April stays): not "10 March moved
    to 19 May" and "12 May cancelled"."""
    march, april, may12, may19 = (date(2027, 3, 10), date(2027, 4, 14), date(2027, 5, 12),
                                  date(2027, 5, 19))  # fmt: skip
    changes = schedule_changes([march, april, may12], [april, may19], AS_OF)
    assert changes.moved == ((may12, may19),)
    assert changes.cancelled == (march,)


def test_an_added_one_off_is_not_the_new_day_of_a_later_move() -> None:
    """review13 3: a one-off on 3 March beside 14 April moved to 21 April (10 March stays)."""
    mar3, mar10, apr14, apr21 = (date(2027, 3, 3), date(2027, 3, 10), date(2027, 4, 14),
                                 date(2027, 4, 21))  # fmt: skip
    changes = schedule_changes([mar10, apr14], [mar3, mar10, apr21], AS_OF)
    assert changes.moved == ((apr14, apr21),)
    assert changes.cancelled == ()


def test_a_meeting_on_the_runs_own_day_is_still_ahead() -> None:
    """review13 1: the morning run comes before the meeting: today's cancelled meeting, or one
    moved to today, is told."""
    today = date(2026, 12, 17)
    assert schedule_changes([today, D20], [D20], today).cancelled == (today,)
    assert schedule_changes([D18], [today], today).moved == ((D18, today),)
    assert schedule_changes([today], [D18], today).moved == ((today, D18),)


def test_a_day_that_joins_unpaired_is_new_and_a_move_target_or_past_day_is_not() -> None:
    """review13 2: an added day still ahead (today's included) with none gone is ``new``."""
    added = schedule_changes([D17], [AS_OF, D17, D20], AS_OF)
    assert added.new == (AS_OF, D20)
    moved = schedule_changes([D17, D20], [D18, D20], AS_OF)
    assert moved.new == ()
    assert schedule_changes([D17], [date(2026, 11, 30), D17], AS_OF).new == ()


def test_pair_days_keeps_to_the_same_gap() -> None:
    from governance.meetings import pair_days

    assert pair_days([D17], [D18], [D20]) == [(D17, D18)]
    assert pair_days([D17], [D20], [D18]) == []
