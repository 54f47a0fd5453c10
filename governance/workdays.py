"""Working days: Monday to Friday minus public holidays (the ``holidays`` package) and extra days.

Every reminder window, stale limit and dependency lead in a plan is counted in working days.
The counting conventions, used throughout Regie:

- ``working_days_between(a, b)`` counts the working days in the half-open interval ``(a, b]``,
  and is negative, ``-(working days in (b, a])``, when ``b < a``. So Friday → Monday is 1 and a
  day to itself is 0.
- ``add_working_days(d, n)`` is the n-th working day strictly after ``d`` (n > 0) or strictly
  before it (n < 0); n == 0 returns ``d`` unchanged. From a non-working day this counts from the
  previous working day going forward (Saturday + 1 = Monday) and from the next working day going
  back (Saturday − 1 = Friday). For n ≥ 0, ``working_days_between(d, add_working_days(d, n)) == n``;
  for n < 0 the same holds when ``d`` is a working day.
- ``working_days_in(start, end)`` yields the working days of the closed interval ``[start, end]``.
- ``window_start(due, n)`` is the first day ``d`` with ``working_days_between(d, due) <= n``: the
  day a window of "n working days before the due date" opens.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from governance.plan import Plan

_DAY = timedelta(days=1)

#: Public holidays by (country, year) handed in from a cache (:func:`know_public_holidays`):
#: the ``holidays`` package is imported only for a year not known here, because importing it
#: loads every country's module (≈ 0.1–0.25 s of every command).
_KNOWN: dict[tuple[str, int], frozenset[date]] = {}


#: Each (year, days off)'s :class:`_Year`, made once per process (≈ 0.5 ms each, a few per
#: calendar, and every cycle, check and page makes a calendar of its own).
_YEARS: dict[tuple[int, frozenset[date]], _Year] = {}


class UnknownHolidaysCountry(ValueError):
    """The ``holidays`` package knows no such country (found when holidays are first needed:
    validating a plan does not import the package)."""


def public_holidays(country: str, years: Iterable[int]) -> dict[int, frozenset[date]]:
    """Per year, the public holidays the ``holidays`` package gives for that year (weekend ones
    included); :class:`UnknownHolidaysCountry` for a country it does not know."""
    import holidays

    out: dict[int, frozenset[date]] = {}
    for year in years:
        try:
            found = holidays.country_holidays(country, years=year)
        except NotImplementedError as exc:  # the package's way to say "unknown country"
            raise UnknownHolidaysCountry(f"unknown holidays country {country!r}") from exc
        out[year] = frozenset(found.keys())
    return out


def know_public_holidays(country: str, by_year: Mapping[int, Iterable[date]]) -> None:
    """Hand in public holidays computed earlier (by :func:`public_holidays`, e.g. kept in a
    cache), so that calendars of ``country`` need not import the package for those years."""
    for year, days in by_year.items():
        _KNOWN[country, year] = frozenset(days)


def _public_holidays_in(country: str, year: int) -> frozenset[date]:
    known = _KNOWN.get((country, year))
    if known is None:
        known = _KNOWN[country, year] = public_holidays(country, (year,))[year]
    return known


class WorkCalendar:
    """Working days for one country; holiday years are computed once and cached."""

    def __init__(self, country: str = "NL", extra_holidays: Iterable[date] = ()) -> None:
        self.country = country
        self._extra = frozenset(extra_holidays)
        # Per year: the days off (weekend ones included).
        self._days_off: dict[int, frozenset[date]] = {}
        # Per year, made when a count first reaches it: :class:`_Year` (working days by index).
        self._years: dict[int, _Year] = {}
        # (due, n) → :meth:`window_start`: a due date's window opens on the same day whatever
        # the day it is asked on, and a plan's few hundred due dates are asked about each day.
        self._windows: dict[tuple[date, int], date] = {}

    @classmethod
    def for_plan(cls, plan: Plan, extra_holidays: Iterable[date] = ()) -> WorkCalendar:
        """The calendar a plan file configures: ``calendar.holidays_country``'s public holidays
        and ``calendar.extra_days_off`` (with ``extra_holidays`` besides)."""
        return cls(
            plan.calendar.holidays_country,
            plan.calendar.extra_dates().union(extra_holidays),
        )

    def fingerprint(self) -> str:
        """What makes two calendars count alike (country and extra days off)."""
        return f"{self.country}|{','.join(sorted(d.isoformat() for d in self._extra))}"

    def __repr__(self) -> str:
        return f"WorkCalendar({self.country!r}, extra_holidays={len(self._extra)})"

    # --- holidays ---------------------------------------------------------------------------

    def holidays_in(self, year: int) -> frozenset[date]:
        """Public holidays (and extra days off) in ``year``, weekend ones included."""
        cached = self._days_off.get(year)
        if cached is None:
            extra = {d for d in self._extra if d.year == year}
            cached = _public_holidays_in(self.country, year) | frozenset(extra)
            self._days_off[year] = cached
        return cached

    def is_holiday(self, d: date) -> bool:
        return d in self.holidays_in(d.year)

    def is_working_day(self, d: date) -> bool:
        return d.weekday() < 5 and not self.is_holiday(d)

    # --- moving and counting ----------------------------------------------------------------

    def working_day_on_or_after(self, d: date) -> date:
        while not self.is_working_day(d):
            d += _DAY
        return d

    def working_day_on_or_before(self, d: date) -> date:
        while not self.is_working_day(d):
            d -= _DAY
        return d

    def _year(self, year: int) -> _Year:
        found = self._years.get(year)
        if found is None:
            days_off = self.holidays_in(year)
            # Shared by calendars alike (each cycle makes its own): a year's index is read-only.
            found = _YEARS.get((year, days_off))
            if found is None:
                found = _YEARS[year, days_off] = _Year(year, days_off)
            self._years[year] = found
        return found

    def add_working_days(self, d: date, n: int) -> date:
        """The n-th working day after (n > 0) or before (n < 0) ``d``; see the module notes.

        By index into each year's working days (:class:`_Year`), moving a year at a time when
        the count leaves it: only the years from ``d`` to the answer are worked out.
        """
        if n == 0:
            return d
        year = self._years.get(d.year) or self._year(d.year)
        offset = d.toordinal() - year.first
        if n > 0:
            k = year.through[offset] + n - 1  # the index of the answer in the year's days
            while k >= len(year.days):
                k -= len(year.days)
                year = self._year(year.year + 1)
        else:
            # Working days before d in its year: those through d, less d itself if it is one.
            k = year.through[offset] - (offset in year.working) + n
            while k < 0:
                year = self._year(year.year - 1)
                k += len(year.days)
        return date.fromordinal(year.days[k])

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in ``(a, b]``; negative (working days in ``(b, a]``) when ``b < a``."""
        if b < a:
            return -self.working_days_between(b, a)
        years = self._years
        first = years.get(a.year) or self._year(a.year)
        last = first if b.year == a.year else years.get(b.year) or self._year(b.year)
        count = (
            last.through[b.toordinal() - last.first] - first.through[a.toordinal() - first.first]
        )
        for year in range(a.year, b.year):
            count += len((years.get(year) or self._year(year)).days)
        return count

    def working_days_in(self, start: date, end: date) -> Iterator[date]:
        """The working days of ``[start, end]`` in order (nothing when ``end < start``)."""
        d = start
        while d <= end:
            if self.is_working_day(d):
                yield d
            d += _DAY

    def window_start(self, due: date, n: int) -> date:
        """The first day that lies at most ``n`` working days before ``due``."""
        key = (due, n)
        opens = self._windows.get(key)
        if opens is None:
            opens = self._windows[key] = self.add_working_days(
                self.working_day_on_or_before(due), -n
            )
        return opens


class _Year:
    """One year's working days, for counting by index: ``through[i]`` the working days from
    1 January through the day ``first + i`` (an ordinal), ``days`` their ordinals in order,
    ``working`` the indexes ``i`` that are working days."""

    __slots__ = ("days", "first", "through", "working", "year")

    def __init__(self, year: int, days_off: frozenset[date]) -> None:
        self.year = year
        self.first = date(year, 1, 1).toordinal()
        off = {d.toordinal() for d in days_off}
        days: list[int] = []
        through: list[int] = []
        working: set[int] = set()
        for ordinal in range(self.first, date(year, 12, 31).toordinal() + 1):
            # Ordinal 1, 1 January of year 1, is a Monday: Saturday and Sunday leave 5 and 6.
            if (ordinal - 1) % 7 < 5 and ordinal not in off:
                working.add(ordinal - self.first)
                days.append(ordinal)
            through.append(len(days))
        self.days, self.through, self.working = days, through, frozenset(working)
