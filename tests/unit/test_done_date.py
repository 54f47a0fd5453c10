"""The day an owner says an item was finished (Slack's "Gereed…", the answer form): not after
today, not more than the plan's ``new_date_max_years`` back (a slip of the year wheel) — and
never bounded by the item's period: a deadline says when it must be done, not when work began."""

from __future__ import annotations

from datetime import date

from governance.new_date import DateProblem, done_date_problem, earliest_done, initial_new_date
from governance.workdays import WorkCalendar
from regie.texts import date_text

TODAY = date(2016, 6, 15)


def test_the_day_may_lie_up_to_the_plans_years_back_and_not_after_today() -> None:
    assert earliest_done(TODAY) == date(2014, 6, 15)
    assert done_date_problem(date(2014, 6, 15), TODAY) is None
    refused = done_date_problem(date(2014, 6, 14), TODAY)
    assert refused is DateProblem.TOO_FAR_BACK and "meer dan 2 jaar terug" in date_text(refused, 2)
    ahead = done_date_problem(date(2016, 6, 16), TODAY)
    assert ahead is DateProblem.FUTURE and "in de toekomst" in date_text(ahead, 2)
    assert done_date_problem(TODAY, TODAY) is None
    assert done_date_problem(None, TODAY) is None  # empty: today


def test_the_plans_setting_moves_the_first_day() -> None:
    assert earliest_done(TODAY, 5) == date(2011, 6, 15)
    assert done_date_problem(date(2012, 1, 2), TODAY, 5) is None
    refused = done_date_problem(date(2014, 6, 14), TODAY, 1)
    assert refused is DateProblem.TOO_FAR_BACK and "meer dan 1 jaar terug" in date_text(refused, 1)


def test_a_leap_day_rolls_to_the_28th() -> None:
    assert earliest_done(date(2016, 2, 29)) == date(2014, 2, 28)


def test_the_new_date_picker_never_starts_on_a_day_off() -> None:
    # Two weeks after Saturday 5 December 2026 is a Saturday; after Friday 11 December, Eerste
    # Kerstdag (a Friday) and the weekend after it: the picker starts on the next working day.
    nl = WorkCalendar("NL")
    assert initial_new_date(date(2026, 12, 5), None, nl) == date(2026, 12, 21)
    assert initial_new_date(date(2026, 12, 11), None, nl) == date(2026, 12, 28)
    assert initial_new_date(date(2026, 12, 2), None, nl) == date(2026, 12, 16)  # a Wednesday
    # The owner's own forecast ahead stays what it is, a Saturday too.
    assert initial_new_date(date(2026, 12, 2), date(2026, 12, 19), nl) == date(2026, 12, 19)
