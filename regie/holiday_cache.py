"""The plan's public holidays kept on disk next to the parse cache, so that a command does not
import the ``holidays`` package (it loads every country's module: ≈ 0.1–0.25 s) to count
working days.

The entry is keyed by the country the plan sets (``calendar.holidays_country``), the years kept
and the installed ``holidays`` package (its version file, read without importing it), so a
changed setting or an upgraded package computes the table again. A year outside the ones kept,
or an entry that does not load, is answered by the package itself, as before: the cache only
ever makes the same answer cheaper. The plan's extra days off (``calendar.extra_days_off``) are
not part of it: :meth:`~governance.workdays.WorkCalendar.for_plan` adds them, read from the plan.
"""

from __future__ import annotations

import hashlib
from datetime import date
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, TypeGuard

if TYPE_CHECKING:
    from governance.plan import Plan

#: Years kept either side of the meetings' term and of today.
MARGIN = 5
#: Bump when what is stored changes shape.
FORMAT = 1


def load_plan_holidays(plan: Plan, cache_dir: Path, today: date, *, write: bool = True) -> None:
    """Make the plan's public holidays known to :mod:`governance.workdays`: from the cache, or
    computed with the package and stored for the next command. An unwritable cache is only
    slower; an unknown country raises :class:`~governance.workdays.UnknownHolidaysCountry`
    (the plan is wrong: the parser does not import the package to find out); ``write=False``:
    the cache is only read."""
    from governance.workdays import know_public_holidays, public_holidays
    from regie import disk_cache

    country = plan.calendar.holidays_country
    years = kept_years(plan, today)
    target = cache_dir / f"holidays-{_key(country, years)}.pickle"
    stored = disk_cache.load(target)
    if _valid(stored, years):
        know_public_holidays(country, stored)
        return
    computed = public_holidays(country, years)
    know_public_holidays(country, computed)
    if write:
        disk_cache.store(target, computed, "holidays-")


def kept_years(plan: Plan, today: date) -> range:
    """The years whose holidays are kept: the plan's meetings' term (the programme's, or a
    fixed span from its start: :func:`governance.meetings.meeting_term`, so the meeting check
    at every load reads the cache) and today's year, with a margin either side. Only speed
    depends on ``today``: a year outside the range is answered by the package, alike."""
    from governance.meetings import meeting_term

    first, last = meeting_term(plan.programme.start, plan.programme.end)
    return range(min(first.year, today.year) - MARGIN, max(last.year, today.year) + MARGIN + 1)


def package_version() -> str:
    """The installed ``holidays`` package's version file, without importing the package."""
    spec = find_spec("holidays")
    if spec is None or not spec.submodule_search_locations:
        return "none"
    folder = Path(next(iter(spec.submodule_search_locations)))
    try:
        return f"{folder}\n{(folder / 'version.py').read_text(encoding='utf-8')}"
    except OSError:
        return f"{folder}\nunreadable"


def _key(country: str, years: range) -> str:
    text = f"{FORMAT}\n{country}\n{years.start}-{years.stop}\n{package_version()}"
    return hashlib.sha256(text.encode()).hexdigest()[:40]


def _valid(stored: object, years: range) -> TypeGuard[dict[int, frozenset[date]]]:
    return (
        isinstance(stored, dict)
        and set(stored) == set(years)
        and all(
            isinstance(days, frozenset) and all(type(d) is date for d in days)
            for days in stored.values()
        )
    )
