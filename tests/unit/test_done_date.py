"""The day an owner says an item was finished (Slack's "Gereed…", the answer form): not after
today, not before the item's period began — unless that period has not begun yet (finished
ahead of it: any day so far may be true)."""

from __future__ import annotations

from datetime import date

from governance.new_date import done_date_problem, earliest_done
from governance.periods import parse_period
from governance.plan import Deadline, ItemLevel

TODAY = date(2016, 6, 15)


def _item(gereed: str | None) -> Deadline:
    period = parse_period(gereed) if gereed else None
    return Deadline("1.1.1", ItemLevel.MILESTONE, "1.1", 1, "Kaart", gereed, period, (), ())


def test_the_period_start_bounds_the_day_once_the_period_has_begun() -> None:
    earliest = earliest_done(_item("Q2-2016"), TODAY)
    assert earliest == date(2016, 4, 1)
    assert done_date_problem(date(2016, 4, 1), TODAY, earliest) is None
    refused = done_date_problem(date(2016, 3, 31), TODAY, earliest)
    assert refused is not None and "voor het begin van dit punt (1 april 2016)" in refused
    ahead = done_date_problem(date(2016, 6, 16), TODAY, earliest)
    assert ahead is not None and "in de toekomst" in ahead
    assert done_date_problem(None, TODAY, earliest) is None  # empty: today


def test_an_item_finished_ahead_of_its_period_may_give_any_day_so_far() -> None:
    assert earliest_done(_item("Q4-2016"), TODAY) is None
    assert (
        done_date_problem(date(2016, 1, 4), TODAY, earliest_done(_item("Q4-2016"), TODAY)) is None
    )


def test_an_item_without_a_dated_period_has_no_lower_bound() -> None:
    assert earliest_done(_item(None), TODAY) is None
    assert earliest_done(_item("Ntb"), TODAY) is None
    assert earliest_done(None, TODAY) is None
