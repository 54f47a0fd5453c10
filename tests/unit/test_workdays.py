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


# --- counting by index (each year's working days): the same answers as stepping day by day ---

#: Extra days off around year ends and a whole week, so counts cross them as they cross years.
EXTRA = WorkCalendar(
    "NL",
    [date(2016, 12, 30), date(2017, 1, 2), date(2019, 12, 31), date(2020, 1, 2)]
    + [date(2018, 7, 2) + timedelta(days=i) for i in range(5)],
)


def _stepped_add(cal: WorkCalendar, d: date, n: int) -> date:
    step = timedelta(days=1 if n > 0 else -1)
    left = abs(n)
    while left:
        d += step
        left -= cal.is_working_day(d)
    return d


def _stepped_between(cal: WorkCalendar, a: date, b: date) -> int:
    if b < a:
        return -_stepped_between(cal, b, a)
    return sum(cal.is_working_day(a + timedelta(days=i)) for i in range(1, (b - a).days + 1))


@given(days, st.integers(-700, 700))
def test_adding_matches_stepping_day_by_day(d: date, n: int) -> None:
    for cal in (NL, EXTRA):
        assert cal.add_working_days(d, n) == _stepped_add(cal, d, n)


@given(days, st.integers(-800, 800))
def test_counting_matches_stepping_day_by_day(a: date, span: int) -> None:
    b = a + timedelta(days=span)
    for cal in (NL, EXTRA):
        assert cal.working_days_between(a, b) == _stepped_between(cal, a, b)


@pytest.mark.parametrize(
    ("d", "n", "expected"),
    [
        (date(2016, 12, 29), 1, date(2017, 1, 3)),  # over 30 Dec, the weekend, 1 and 2 Jan
        (date(2017, 1, 3), -1, date(2016, 12, 29)),
        (date(2016, 12, 31), -1, date(2016, 12, 29)),  # from a Saturday, back
        (date(2016, 12, 31), 1, date(2017, 1, 3)),
        (date(2018, 6, 29), 1, date(2018, 7, 9)),  # over the week off
        (date(2019, 12, 30), 1, date(2020, 1, 3)),  # 31 Dec, 1 and 2 Jan off
        (date(2020, 1, 6), -2, date(2019, 12, 30)),
    ],
)
def test_adding_over_year_ends_and_days_off(d: date, n: int, expected: date) -> None:
    assert EXTRA.add_working_days(d, n) == expected
    if EXTRA.is_working_day(d):
        assert EXTRA.working_days_between(d, expected) == n


def test_only_the_years_counted_through_are_worked_out() -> None:
    """A count works out the holidays of the years it passes through, no others (a year not
    handed in imports the holidays package: RESULTS §5, round 23)."""
    cal = WorkCalendar("NL")
    cal.add_working_days(date(2019, 12, 20), 5)
    assert set(cal._days_off) == {2019}
    cal.add_working_days(date(2019, 12, 20), 10)
    assert set(cal._days_off) == {2019, 2020}
    cal.add_working_days(date(2016, 1, 8), -10)
    assert set(cal._days_off) == {2015, 2016, 2019, 2020}
    cal.working_days_between(date(2012, 3, 1), date(2012, 3, 9))
    assert set(cal._days_off) == {2012, 2015, 2016, 2019, 2020}


def test_counts_index_each_year_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Thousands of counts a day (RESULTS §5, round 23): each year's days off are looked at
    once, when its index of working days is made, not again per count."""
    cal = WorkCalendar("NL")
    asked: list[int] = []
    holidays_in = cal.holidays_in

    def counted(year: int) -> frozenset[date]:
        asked.append(year)
        return holidays_in(year)

    monkeypatch.setattr(cal, "holidays_in", counted)
    for i in range(200):
        d = date(2019, 1, 1) + timedelta(days=i)
        cal.add_working_days(d, 15)
        cal.add_working_days(d, -5)
        cal.working_days_between(d, date(2019, 10, 1))
    assert sorted(asked) == [2018, 2019]
