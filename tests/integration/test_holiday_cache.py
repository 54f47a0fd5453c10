"""The plan's public holidays kept on disk: the package's own answer, used when warm (without
importing the package), computed again when the country, the years or the package change."""

from __future__ import annotations

import os
import pickle
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from governance import workdays
from governance.plan import CalendarConfig, Plan
from governance.workdays import WorkCalendar, public_holidays
from regie import disk_cache, holiday_cache
from regie.holiday_cache import kept_years, load_plan_holidays
from tests.fresh import in_fresh_process
from tests.unit.planbuilder import act, make_plan, quarter

TODAY = date(2016, 1, 15)
#: A Wednesday that is no public holiday anywhere in these tests.
ORDINARY = date(2016, 6, 1)


@pytest.fixture(autouse=True)
def nothing_known(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with no holidays handed in (the table is process-wide)."""
    monkeypatch.setattr(workdays, "_KNOWN", {})


def _plan(country: str = "NL") -> Plan:
    plan = make_plan(act("1.1", period=quarter(2016, 2)))
    programme = replace(plan.programme, start=date(2015, 1, 1), end=date(2020, 12, 31))
    return replace(plan, programme=programme, calendar=CalendarConfig(holidays_country=country))


def _forget() -> None:
    workdays._KNOWN.clear()


def test_the_cache_holds_the_package_answer_and_is_read_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = _plan()
    load_plan_holidays(plan, tmp_path, TODAY)
    [entry] = tmp_path.glob("holidays-*.pickle")
    years = kept_years(plan, TODAY)
    assert years.start <= 2015 and years.stop > 2020
    with entry.open("rb") as f:
        assert pickle.load(f) == public_holidays("NL", years)
    assert not WorkCalendar("NL").is_working_day(date(2016, 4, 27))  # Koningsdag

    # A warm load uses what is stored (here doctored: ORDINARY made a holiday), not the package.
    table = public_holidays("NL", years)
    table[2016] = table[2016] | {ORDINARY}
    entry.write_bytes(pickle.dumps(table))
    _forget()
    load_plan_holidays(plan, tmp_path, TODAY)
    assert WorkCalendar("NL").is_holiday(ORDINARY)

    # Another installed package version: computed again, in a new entry.
    _forget()
    upgraded = f"{holiday_cache.package_version()}\n__version__ = 'upgraded'"
    monkeypatch.setattr(holiday_cache, "package_version", lambda: upgraded)
    load_plan_holidays(plan, tmp_path, TODAY)
    assert not WorkCalendar("NL").is_holiday(ORDINARY)
    assert len(list(tmp_path.glob("holidays-*.pickle"))) == 2


def test_a_damaged_entry_is_computed_again(tmp_path: Path) -> None:
    load_plan_holidays(_plan(), tmp_path, TODAY)
    [entry] = tmp_path.glob("holidays-*.pickle")
    for damage in (b"not a pickle", pickle.dumps({2016: {"2016-04-27"}})):
        entry.write_bytes(damage)
        _forget()
        load_plan_holidays(_plan(), tmp_path, TODAY)
        assert WorkCalendar("NL").is_holiday(date(2016, 4, 27))
        with entry.open("rb") as f:
            assert pickle.load(f) == public_holidays("NL", kept_years(_plan(), TODAY))


def test_a_failed_write_leaves_no_temporary_file_and_the_command_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(src: object, dst: object) -> None:
        raise PermissionError("refused")

    monkeypatch.setattr(disk_cache.os, "replace", refuse)
    load_plan_holidays(_plan(), tmp_path, TODAY)
    assert list(tmp_path.iterdir()) == []
    assert not WorkCalendar("NL").is_working_day(date(2016, 4, 27))  # known all the same


def test_writing_an_entry_removes_stale_temporary_files_of_its_own(tmp_path: Path) -> None:
    """Left by a process that died while writing: ours once over an hour old; not another
    cache's, nor one being written right now."""
    stale, fresh, other = (tmp_path / n for n in ("holidays-a.tmp", "holidays-b.tmp", "tmpc.tmp"))
    for path in (stale, fresh, other):
        path.write_bytes(b"half")
    hours_ago = time.time() - 2 * disk_cache.STALE_TMP
    for path in (stale, other):
        os.utime(path, (hours_ago, hours_ago))
    load_plan_holidays(_plan(), tmp_path, TODAY)
    assert not stale.exists() and fresh.exists() and other.exists()
    assert len(list(tmp_path.glob("holidays-*.pickle"))) == 1


def test_another_country_or_term_is_another_entry(tmp_path: Path) -> None:
    load_plan_holidays(_plan("NL"), tmp_path, TODAY)
    load_plan_holidays(_plan("BE"), tmp_path, TODAY)
    assert len(list(tmp_path.glob("holidays-*.pickle"))) == 2
    belgium = WorkCalendar("BE")
    assert belgium.is_holiday(date(2016, 7, 21))  # Nationale feestdag
    assert not belgium.is_holiday(date(2016, 4, 27))  # Koningsdag is Dutch
    later = replace(_plan(), programme=replace(_plan().programme, end=date(2040, 1, 1)))
    load_plan_holidays(later, tmp_path, TODAY)
    assert len(list(tmp_path.glob("holidays-*.pickle"))) == 3


def test_an_unknown_country_stores_nothing_and_fails_where_it_is_used(tmp_path: Path) -> None:
    from governance.workdays import UnknownHolidaysCountry

    with pytest.raises(UnknownHolidaysCountry):  # the commands word it (test_faults_input)
        load_plan_holidays(_plan("XX"), tmp_path, TODAY)
    assert list(tmp_path.glob("*")) == []
    with pytest.raises(ValueError, match="unknown holidays country 'XX'"):
        WorkCalendar("XX").is_holiday(TODAY)


def _warm_count(cache: str) -> tuple[bool, int, bool]:
    load_plan_holidays(_plan(), Path(cache), TODAY)
    cal = WorkCalendar("NL")
    days = cal.working_days_between(date(2015, 12, 1), date(2016, 6, 1))
    return "holidays" in sys.modules, days, cal.is_holiday(date(2016, 5, 5))


def test_a_warm_cache_does_not_import_the_package(tmp_path: Path) -> None:
    load_plan_holidays(_plan(), tmp_path, TODAY)  # cold: computed and stored
    imported, days, ascension = in_fresh_process(_warm_count, str(tmp_path))
    assert not imported
    assert days == WorkCalendar("NL").working_days_between(date(2015, 12, 1), date(2016, 6, 1))
    assert ascension
