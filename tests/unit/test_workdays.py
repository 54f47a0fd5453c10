"""Working days around Dutch public holidays, and the counting conventions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance.plan import CalendarConfig
from governance.workdays import WorkCalendar
from tests.unit.planbuilder import act, make_plan, quarter

NL = WorkCalendar("NL")
days = st.dates(date(2014, 1, 1), date(2022, 12, 31))


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2016, 4, 27), "Koningsdag (Wednesday)"),
        (date(2016, 5, 5), "Hemelvaart (Thursday)"),
        (date(2016, 5, 16), "Tweede Pinksterdag"),
        (date(2016, 3, 28), "Tweede Paasdag"),
        (date(2016, 12, 26), "Tweede Kerstdag (Monday)"),
        (date(2015, 12, 25), "Eerste Kerstdag (Friday)"),
        (date(2016, 1, 1), "Nieuwjaarsdag"),
        (date(2020, 5, 5), "Bevrijdingsdag in a lustrum year"),
    ],
)
def test_dutch_public_holidays_are_not_working_days(day: date, name: str) -> None:
    assert day.weekday() < 5, name  # a weekday that is off only because of the holiday
    assert not NL.is_working_day(day)
    assert NL.is_holiday(day)


def test_ordinary_days_and_weekends() -> None:
    assert NL.is_working_day(date(2016, 4, 26))  # the Tuesday before Koningsdag
    assert NL.is_working_day(date(2021, 5, 5))  # Bevrijdingsdag outside a lustrum year
    assert not NL.is_working_day(date(2016, 4, 30))  # Saturday
    assert not NL.is_working_day(date(2016, 5, 1))  # Sunday


def test_add_working_days_skips_holidays() -> None:
    assert NL.add_working_days(date(2016, 4, 26), 1) == date(2016, 4, 28)  # over Koningsdag
    assert NL.add_working_days(date(2016, 5, 4), 1) == date(2016, 5, 6)  # over Hemelvaart
    assert NL.add_working_days(date(2015, 12, 24), 1) == date(2015, 12, 28)  # over Kerst
    assert NL.add_working_days(date(2015, 12, 28), -1) == date(2015, 12, 24)
    # Two weeks from Monday 25 April 2016: ten weekdays minus Koningsdag and Hemelvaart.
    assert NL.add_working_days(date(2016, 4, 22), 10) == date(2016, 5, 10)


def test_add_working_days_from_a_non_working_day() -> None:
    saturday = date(2016, 4, 30)
    assert NL.add_working_days(saturday, 1) == date(2016, 5, 2)  # Monday
    assert NL.add_working_days(saturday, -1) == date(2016, 4, 29)  # Friday
    assert NL.add_working_days(saturday, 0) == saturday
    assert NL.add_working_days(date(2016, 4, 27), 1) == date(2016, 4, 28)  # from Koningsdag


def test_working_days_between_is_half_open() -> None:
    friday, next_friday = date(2016, 4, 22), date(2016, 4, 29)
    assert NL.working_days_between(friday, next_friday) == 4  # Mon, Tue, Thu, Fri
    assert NL.working_days_between(next_friday, friday) == -4
    assert NL.working_days_between(friday, friday) == 0
    assert NL.working_days_between(date(2016, 4, 29), date(2016, 5, 2)) == 1  # Fri → Mon


def test_working_days_in_is_closed_and_ordered() -> None:
    got = list(NL.working_days_in(date(2016, 4, 25), date(2016, 5, 8)))
    assert got == [
        date(2016, 4, 25),
        date(2016, 4, 26),
        date(2016, 4, 28),
        date(2016, 4, 29),
        date(2016, 5, 2),
        date(2016, 5, 3),
        date(2016, 5, 4),
        date(2016, 5, 6),
    ]
    assert list(NL.working_days_in(date(2016, 5, 8), date(2016, 5, 1))) == []


def test_extra_holidays_and_unknown_country() -> None:
    closed = date(2016, 4, 26)
    cal = WorkCalendar("NL", extra_holidays=[closed])
    assert not cal.is_working_day(closed)
    assert cal.working_days_between(date(2016, 4, 25), date(2016, 4, 28)) == 1
    with pytest.raises(ValueError, match="XX"):
        WorkCalendar("XX").is_working_day(closed)


def test_for_plan_uses_the_configured_country() -> None:
    plan = make_plan(act("1.1", period=quarter(2016, 3)))
    belgian = type(plan)(
        plan.programme,
        plan.steps,
        plan.organisations,
        calendar=CalendarConfig(holidays_country="BE"),
    )
    national_day = date(2016, 7, 21)  # Belgium's national day, a Thursday
    assert WorkCalendar.for_plan(plan).is_working_day(national_day)
    assert not WorkCalendar.for_plan(belgian).is_working_day(national_day)


@given(days, st.integers(0, 300))
def test_adding_then_counting_round_trips(d: date, n: int) -> None:
    assert NL.working_days_between(d, NL.add_working_days(d, n)) == n
    assert NL.is_working_day(NL.add_working_days(d, n)) or n == 0


@given(days, st.integers(-300, -1))
def test_going_back_from_a_working_day_round_trips(d: date, n: int) -> None:
    start = NL.working_day_on_or_after(d)
    assert NL.working_days_between(start, NL.add_working_days(start, n)) == n


@given(days, st.integers(0, 120))
def test_counting_matches_enumeration(a: date, span: int) -> None:
    b = a + timedelta(days=span)
    listed = list(NL.working_days_in(a + timedelta(days=1), b))
    assert NL.working_days_between(a, b) == len(listed)
    assert NL.working_days_between(b, a) == -len(listed)
    assert all(NL.is_working_day(d) for d in listed)


@given(days, days, st.integers(0, 40))
def test_window_start_opens_the_window(due: date, d: date, n: int) -> None:
    opens = NL.window_start(due, n)
    assert (d >= opens) == (NL.working_days_between(d, due) <= n)
