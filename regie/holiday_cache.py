"""The plan's public holidays kept on disk next to the parse cache, so that a command does not
import the ``holidays`` package (it loads every country's module: ≈ 0.1–0.25 s) to count
working days.

The entry is keyed by the country the plan sets (``calendar.holidays_country``), the years kept
and the installed ``holidays`` package (its version file, read without importing it), so a
changed setting or an upgraded package computes the table again. A year outside the ones kept,
or an entry that does not load, is answered by the package itself, as before: the cache only
ever makes the same answer cheaper. Extra days off (``WorkCalendar(extra_holidays=…)``) are not
part of it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
import time
from datetime import date
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from governance.plan import Plan

#: Years kept around the programme's term (and around today, for a plan without one).
MARGIN = 5
#: Entries kept per directory; older ones are removed when a new one is written.
KEEP = 3
#: A temporary file of ours older than this (seconds) was left by a process that died.
STALE_TMP = 3600
#: Bump when what is stored changes shape.
FORMAT = 1


def load_plan_holidays(plan: Plan, cache_dir: Path, today: date) -> None:
    """Make the plan's public holidays known to :mod:`governance.workdays`: from the cache, or
    computed with the package and stored for the next command. Never fails a command: an
    unknown country or an unwritable cache leaves the calendar to say so when it is used."""
    from governance.workdays import know_public_holidays, public_holidays

    country = plan.calendar.holidays_country
    years = kept_years(plan, today)
    target = cache_dir / f"holidays-{_key(country, years)}.pickle"
    try:
        with target.open("rb") as f:
            stored = pickle.load(f)
        if _valid(stored, years):
            know_public_holidays(country, stored)
            return
    except Exception:
        pass
    try:
        computed = public_holidays(country, years)
    except ValueError:  # an unknown country: the calendar reports it where it is used
        return
    know_public_holidays(country, computed)
    _store(target, computed)


def kept_years(plan: Plan, today: date) -> range:
    start = plan.programme.start.year if plan.programme.start else today.year
    end = plan.programme.end.year if plan.programme.end else today.year
    return range(min(start, today.year) - MARGIN, max(end, today.year) + MARGIN + 1)


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


def _valid(stored: object, years: range) -> bool:
    return (
        isinstance(stored, dict)
        and set(stored) == set(years)
        and all(
            isinstance(days, frozenset) and all(type(d) is date for d in days)
            for days in stored.values()
        )
    )


def _store(target: Path, table: dict[int, frozenset[date]]) -> None:
    tmp: Path | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            dir=target.parent, prefix="holidays-", suffix=".tmp", delete=False
        ) as f:
            tmp = Path(f.name)
            pickle.dump(table, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, target)  # readers see a whole file or none
        tmp = None
        _clean(target.parent, time.time())
    except OSError:
        pass  # no cache, only slower: never a reason to fail a command
    finally:
        if tmp is not None:  # not put in place: never left behind
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)


def _clean(directory: Path, now: float) -> None:
    """Keep the newest :data:`KEEP` entries; remove temporary files of ours older than
    :data:`STALE_TMP` seconds (left by a process that died while writing one)."""
    older = sorted(directory.glob("holidays-*.pickle"), key=lambda p: p.stat().st_mtime)
    for old in older[:-KEEP]:
        old.unlink(missing_ok=True)
    for tmp in directory.glob("holidays-*.tmp"):
        with contextlib.suppress(OSError):
            if now - tmp.stat().st_mtime > STALE_TMP:
                tmp.unlink(missing_ok=True)
