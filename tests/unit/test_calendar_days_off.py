"""The work calendar a plan configures (review "newprog", findings 2 and 9): extra days off
(``calendar.extra_days_off``) count as non-working days everywhere, a lowercase country code is
read, and meeting rules are checked for days off over exactly the meetings they yield, the same
whatever today is. A Belgian plan (tests/fixtures/plans/circulair_bouwen_be.yaml) throughout."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from governance.assessment import assess
from governance.incremental import basis
from governance.meetings import (
    Frequency,
    MeetingRule,
    MeetingSchedule,
    meeting_days_off,
    meeting_term,
)
from governance.plan import ExtraDayOff, Plan
from governance.planfile import validate_plan_file
from governance.workdays import WorkCalendar
from tests.unit.planfile.plantext import plan, plan_text, problems

BE_PLAN = Path(__file__).resolve().parents[1] / "fixtures" / "plans" / "circulair_bouwen_be.yaml"


def be_plan() -> Plan:
    found, found_problems = validate_plan_file(BE_PLAN)
    assert found is not None and not found_problems, found_problems
    return found


def without_end(p: Plan) -> Plan:
    return dataclasses.replace(p, programme=dataclasses.replace(p.programme, end=None))


def with_days_off(p: Plan, *days: date) -> Plan:
    extra = tuple(ExtraDayOff(d) for d in days)
    return dataclasses.replace(p, calendar=dataclasses.replace(p.calendar, extra_days_off=extra))


# --- the plan file -----------------------------------------------------------------------------


def test_extra_days_off_are_read_as_dates_or_dates_with_a_name_and_be_is_belgium() -> None:
    p = be_plan()
    assert p.calendar.holidays_country == "BE"  # written 'be'
    assert p.calendar.timezone == "Europe/Brussels"
    assert p.calendar.extra_days_off == (
        ExtraDayOff(date(2025, 7, 11), "Feestdag van de Vlaamse Gemeenschap"),
        ExtraDayOff(date(2025, 9, 29), "Sluitingsdag"),
        ExtraDayOff(date(2025, 12, 26), None),
    )
    listed = plan(
        plan_text(calendar="{holidays_country: nl, extra_days_off: [2016-01-04, 2015-12-31]}")
    )
    assert listed.calendar.holidays_country == "NL"
    assert [d.on for d in listed.calendar.extra_days_off] == [date(2015, 12, 31), date(2016, 1, 4)]


def test_wrong_extra_days_off_are_named_at_their_line_and_column() -> None:
    assert problems(
        plan_text(
            calendar="""\
            extra_days_off:
              - 2025-07-11
              - 11 juli 2025
              - {date: 2025-07-11, name: Vlaamse feestdag}
              - {name: Sluitingsdag}
              - {date: 2025-02-30, naam: x}
              - [2025-12-26]
            """
        )
    ) == [
        "plan.yaml:6:7: each entry in 'extra_days_off' must be a date written as YYYY-MM-DD,"
        " not the text '11 juli 2025'",
        "plan.yaml:7:14: extra day off 2025-07-11 is listed twice (first at line 5)",
        "plan.yaml:8:7: missing required key 'date' in an extra day off",
        "plan.yaml:9:14: 'date' of an extra day off: no such date '2025-02-30'",
        "plan.yaml:9:26: unknown key 'naam' in an extra day off (did you mean 'name'?)",
        "plan.yaml:10:7: each entry in 'extra_days_off' must be a date (YYYY-MM-DD) or a mapping"
        " {date: YYYY-MM-DD, name: …}, not a list",
    ]
    assert problems(plan_text(calendar="{extra_days_off: 2025-07-11}")) == [
        "plan.yaml:3:28: 'extra_days_off' must be a list, not the date 2025-07-11"
    ]
    assert problems(plan_text(calendar="{holidays_country: BEL}")) == [
        "plan.yaml:3:30: holidays_country 'BEL' must be a two-letter country code such as 'NL'"
        " (did you mean 'BE', België?)"
    ]
    # A country's name, in Dutch or English (walk58a 7: 'Belgie' was told only of 'NL').
    assert problems(plan_text(calendar="{holidays_country: Belgie}")) == [
        "plan.yaml:3:30: holidays_country 'Belgie' must be a two-letter country code such as 'NL'"
        " (did you mean 'BE', België?)"
    ]
    assert problems(plan_text(calendar="{holidays_country: Germany}"))[0].endswith(
        "(did you mean 'DE', Duitsland?)"
    )
    assert problems(plan_text(calendar="{holidays_country: Atlantis}"))[0].endswith("'NL'")
    assert problems(plan_text(calendar="{holidays_country: BE-VLG}")) == [
        "plan.yaml:3:30: holidays_country 'BE-VLG' must be a two-letter country code such as"
        " 'NL': list a region's own days off under 'extra_days_off'"
    ]


# --- counting working days ---------------------------------------------------------------------


def test_the_plans_calendar_counts_its_extra_days_off() -> None:
    cal = WorkCalendar.for_plan(be_plan())
    assert not cal.is_working_day(date(2025, 7, 11))  # Friday, Flemish holiday: listed
    assert not cal.is_working_day(date(2025, 7, 21))  # Belgian national day: the package's
    assert cal.is_working_day(date(2025, 7, 10))
    assert cal.working_days_between(date(2025, 7, 10), date(2025, 7, 14)) == 1  # Thu → Mon
    assert cal.add_working_days(date(2025, 9, 26), 1) == date(2025, 9, 30)  # Fri → Tue
    assert cal.window_start(date(2025, 9, 30), 2) == date(2025, 9, 25)
    # Without the list the same days are working days: what the fix adds.
    plain = WorkCalendar.for_plan(with_days_off(be_plan()))
    assert plain.is_working_day(date(2025, 7, 11))
    assert plain.window_start(date(2025, 9, 30), 2) == date(2025, 9, 26)


def test_days_overdue_skip_the_extra_days_off() -> None:
    """Escalations count working days overdue: an office closure is not one of them."""
    p = be_plan()  # 1.1 is due Q3-2025: 30 September 2025
    later = date(2025, 10, 2)
    assert assess(p, [], later).items["1.1"].working_days_overdue == 2
    closed = with_days_off(p, date(2025, 10, 1))
    assert assess(closed, [], later).items["1.1"].working_days_overdue == 1


def test_a_changed_list_of_days_off_forces_a_full_assessment() -> None:
    """The incremental daily step's basis includes the calendar's days off: a day off added
    (or moved) changes every window, so the next day is assessed in full."""
    p = be_plan()
    moved = with_days_off(p, date(2025, 7, 11), date(2025, 9, 30), date(2025, 12, 26))
    assert basis(p, WorkCalendar.for_plan(p)) != basis(moved, WorkCalendar.for_plan(moved))
    assert basis(p, WorkCalendar.for_plan(p)) == basis(be_plan(), WorkCalendar.for_plan(p))


# --- meetings on days off ----------------------------------------------------------------------


def test_the_meetings_term_is_the_programmes_or_a_fixed_span_from_its_start() -> None:
    assert meeting_term(date(2025, 1, 1), date(2028, 12, 31)) == (
        date(2025, 1, 1), date(2028, 12, 31)
    )  # fmt: skip
    assert meeting_term(date(2025, 3, 1), None) == (date(2025, 3, 1), date(2045, 12, 31))
    assert meeting_term(None, None) == (date(2000, 1, 1), date(2020, 12, 31))


@pytest.mark.parametrize("drop_end", [False, True])
def test_the_check_covers_the_meetings_the_plan_lists(drop_end: bool) -> None:
    """The days-off check and the meeting list (regie.reports) expand rules over one term."""
    from regie.reports import _term

    p = be_plan()
    p = without_end(p) if drop_end else p
    assert meeting_term(p.programme.start, p.programme.end) == _term(p)


def test_a_rule_is_not_checked_past_the_programmes_end() -> None:
    """Regiegroep: the first Monday of each quarter, no 'until': the programme ends on
    2028-12-31, so 1 January and 2 April 2029 (holidays) are no meetings and no problems."""
    from regie.bootstrap import _meetings_on_days_off

    assert _meetings_on_days_off(be_plan()) == []


def test_an_open_ended_rule_is_checked_over_a_fixed_span_whatever_today_is() -> None:
    """Without a programme end the rule runs 20 years from the start (as the meeting list):
    the same problems on every day, each saying how to stop the rule sooner."""
    from regie.bootstrap import _meetings_on_days_off

    found = _meetings_on_days_off(without_end(be_plan()))
    days = [m.split(",")[0].removeprefix("the meeting rule gives ") for _, m in found]
    assert days == [
        "2029-05-10", "2032-11-11", "2037-05-14", "2038-11-11", "2040-05-10",  # stuurgroep
        "2029-01-01", "2029-04-02", "2035-01-01", "2037-04-06", "2040-04-02", "2042-04-07",
    ]  # fmt: skip
    assert all(
        m.endswith("(the programme has no 'end', so the rule runs through 2045-12-31: give it "
                   "an 'until' to stop it sooner)")
        for _, m in found
    )  # fmt: skip


def test_a_meeting_on_an_extra_day_off_is_named_as_such() -> None:
    schedule = MeetingSchedule(
        dates=(date(2025, 7, 11),),
        rule=MeetingRule(Frequency.MONTH, date(2025, 9, 1), day=29, until=date(2025, 10, 31)),
    )
    p = be_plan()
    names = {d.on: d.name for d in p.calendar.extra_days_off}
    cal = WorkCalendar.for_plan(p)
    found = meeting_days_off([schedule], cal.is_working_day, *_TERM, names)
    assert [m.split(", not")[0] for _, m in found] == [
        "meeting date 2025-07-11 is an extra day off (Feestdag van de Vlaamse Gemeenschap)",
        "the meeting rule gives 2025-09-29, an extra day off (Sluitingsdag)",
    ]


_TERM = (date(2025, 1, 1), date(2028, 12, 31))


def test_the_holidays_kept_cover_the_meetings_term_whatever_today_is() -> None:
    """The check at every load reads the cached holidays: the years kept cover the meetings'
    term (20 years from the start without an end), not only the years around today."""
    from regie.holiday_cache import kept_years

    open_ended = without_end(be_plan())
    for today in (date(2025, 1, 2), date(2026, 12, 4), date(2030, 1, 2)):
        years = kept_years(open_ended, today)
        assert years.start <= 2025 and years.stop > 2045 and today.year in years


def test_every_reason_a_day_is_off_is_named_and_a_listed_date_is_found_at_its_index() -> None:
    """walk54 6: `plan validate` words a meeting's day off as `regie meeting add` does (the
    holiday named, a weekend day that is also a day off given both), and places a listed date's
    problem at its own index in ``dates`` (its first listing), not at the list."""
    from governance.meetings import day_off_words

    extra = {date(2027, 7, 11): "Feestdag van de Vlaamse Gemeenschap", date(2027, 12, 24): None}
    holidays = {date(2027, 7, 21): "Nationale feestdag", date(2027, 12, 25): "Kerstmis"}

    def named(d: date) -> str | None:
        return holidays.get(d)

    assert day_off_words(date(2027, 7, 21), extra, named) == "a public holiday (Nationale feestdag)"
    assert day_off_words(date(2027, 12, 25), extra, named) == (
        "a Saturday and a public holiday (Kerstmis)"
    )
    assert day_off_words(date(2027, 7, 11), extra, named) == (
        "a Sunday and an extra day off (Feestdag van de Vlaamse Gemeenschap)"
    )
    assert day_off_words(date(2027, 12, 24), extra, named) == "an extra day off"
    assert day_off_words(date(2027, 7, 17), extra, named) == "a Saturday"
    assert day_off_words(date(2027, 5, 5), extra, lambda d: "") == "a public holiday"
    listed = (date(2027, 7, 9), date(2027, 7, 11), date(2027, 7, 21))
    schedule = MeetingSchedule(
        dates=listed, dates_index=((listed[0], 0), (listed[1], 3), (listed[2], 1))
    )
    off = {date(2027, 7, 21)}
    found = meeting_days_off(
        [None, schedule], lambda d: d.weekday() < 5 and d not in off, *_TERM, extra,
        public_holiday=named,
    )  # fmt: skip
    assert found == [
        (
            ("governance", 1, "meetings", "dates", 3),
            "meeting date 2027-07-11 is a Sunday and an extra day off (Feestdag van de Vlaamse "
            "Gemeenschap), not a working day",
        ),
        (
            ("governance", 1, "meetings", "dates", 1),
            "meeting date 2027-07-21 is a public holiday (Nationale feestdag), not a working day",
        ),
    ]
