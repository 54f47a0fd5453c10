"""Dates from people, within reason: ISO only, and within the programme's life plus a margin.

Every channel (command line, e-mail forms, Slack) reads dates through :func:`parse_iso_date`
and checks them against :func:`programme_life`, so that ``9999-12-31`` or ``0001-01-01`` never
reaches an append-only table. Pure: the caller passes the plan and the day.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from governance.plan import Plan

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

#: Years before the programme's start and after its end that still make sense (late items
#: slip past the end; an update may be back-dated to the run-up).
MARGIN_YEARS = 3


def parse_iso_date(text: str) -> date:
    """``YYYY-MM-DD`` and nothing else (``date.fromisoformat`` also takes ``20160301`` and
    ``2016-W10-1``, which nobody means in a form); :class:`ValueError` otherwise."""
    value = text.strip()
    if not _ISO_DATE.fullmatch(value):
        raise ValueError(f"{shorten(text)!r} is not a date (use YYYY-MM-DD)")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a date in the calendar") from None


@dataclass(frozen=True, slots=True)
class Life:
    """The span of days a date about the programme may fall in (its life plus the margin)."""

    first: date
    last: date
    #: The programme's own first and last day, which ``first`` … ``last`` widen: a message
    #: names both, or "before the programme's life (2012-01-01 …)" reads as its real start.
    planned: tuple[date, date] | None = field(default=None, compare=False)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first <= day <= self.last

    def around(self, day: date) -> Life:
        """The life stretched to reach ``day`` plus the margin (an update made after the
        programme's planned end may still forecast a little beyond it)."""
        last = max(self.last, _shift(day, MARGIN_YEARS))
        return Life(min(self.first, day), last, self.planned)

    def reaching(self, day: date) -> Life:
        """The life stretched to ``day`` with the margin on either side (an indicator's
        baseline year, long before the programme, is measured around that year)."""
        return Life(
            min(self.first, _shift(day, -MARGIN_YEARS)),
            max(self.last, _shift(day, MARGIN_YEARS)),
            self.planned,
        )

    def describe(self) -> str:
        if self.planned is None:
            return f"{self.first} … {self.last}"
        start, end = self.planned
        return f"{self.first} … {self.last}; the programme itself runs {start} … {end}"


def programme_life(plan: Plan) -> Life:
    """The programme's start and end (else its earliest and latest dated item), widened by
    :data:`MARGIN_YEARS` on each side."""
    starts = [d.period.start for d in plan.deadlines() if d.period and d.period.start]
    ends = [d.period.end for d in plan.deadlines() if d.period and d.period.end]
    first = plan.programme.start or min(starts + ends, default=None)
    last = plan.programme.end or max(starts + ends, default=None)
    planned = (first, last) if first is not None and last is not None else None
    if first is None or last is None:  # a plan without a single date: only the margin's sense
        first = last = first or last or date(2000, 1, 1)
    return Life(_shift(first, -MARGIN_YEARS), _shift(last, MARGIN_YEARS), planned)


def outside_life(life: Life, days: Mapping[str, date]) -> list[str]:
    """One problem per named day (``{"--on": day}``) outside ``life``."""
    return [
        f"{name}: {day} is beyond the programme's life plus margin ({life.describe()})"
        for name, day in days.items()
        if day not in life
    ]


def _shift(day: date, years: int) -> date:
    year = min(max(day.year + years, 1), 9999)
    return day.replace(year=year, day=min(day.day, 28) if day.month == 2 else day.day)


def shorten(text: str, limit: int = 60) -> str:
    """``text`` on one line, at most ``limit`` characters (``…`` marks the cut): how an
    over-long or multi-line value is echoed back, never 100,000 characters on one line."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
