"""Meeting rules, schedules and the plan file's `meetings:` checks."""

from __future__ import annotations

from datetime import date, time

import pytest

from governance.meetings import (
    Frequency,
    Meeting,
    MeetingRule,
    MeetingSchedule,
    previous_and_next,
    schedule_meetings,
)
from governance.plan import Plan
from governance.planfile import PlanInvalid, parse_plan
from tests.conftest import SEED_PLAN

FIRST, LAST = date(2015, 1, 1), date(2017, 12, 31)


def test_quarterly_second_tuesday() -> None:
    rule = MeetingRule(Frequency.QUARTER, date(2015, 10, 1), weekday=1, nth=2)
    assert list(rule.dates(FIRST, date(2016, 10, 31))) == [
        date(2015, 10, 13), date(2016, 1, 12), date(2016, 4, 12), date(2016, 7, 12),
        date(2016, 10, 11),
    ]  # fmt: skip


def test_last_friday_monthly_until_and_exceptions() -> None:
    rule = MeetingRule(
        Frequency.MONTH, date(2016, 1, 1), weekday=4, nth=-1, until=date(2016, 4, 30),
        exceptions=(date(2016, 2, 26),),
    )  # fmt: skip
    assert list(rule.dates(FIRST, LAST)) == [
        date(2016, 1, 29),
        date(2016, 3, 25),
        date(2016, 4, 29),
    ]


def test_day_31_skips_short_months_and_weekly_interval() -> None:
    monthly = MeetingRule(Frequency.MONTH, date(2016, 1, 1), day=31, until=date(2016, 5, 31))
    assert list(monthly.dates(FIRST, LAST)) == [
        date(2016, 1, 31),
        date(2016, 3, 31),
        date(2016, 5, 31),
    ]
    weekly = MeetingRule(Frequency.WEEK, date(2016, 1, 6), weekday=0, interval=2)
    assert list(weekly.dates(FIRST, date(2016, 2, 10))) == [
        date(2016, 1, 11), date(2016, 1, 25), date(2016, 2, 8)
    ]  # fmt: skip
    yearly = MeetingRule(Frequency.YEAR, date(2015, 6, 1), weekday=3, nth=1)
    assert list(yearly.dates(FIRST, LAST)) == [date(2015, 6, 4), date(2016, 6, 2), date(2017, 6, 1)]


def test_schedule_merges_listed_rule_and_one_off() -> None:
    schedule = MeetingSchedule(
        dates=(date(2016, 2, 2),),
        rule=MeetingRule(Frequency.QUARTER, date(2016, 1, 1), weekday=1, nth=2),
        time=time(10),
        location="Den Haag",
    )
    extra = [
        Meeting("sg", date(2016, 4, 12), time(14), "Utrecht", "db"),
        Meeting("x", date(2016, 3, 1)),
    ]
    found = schedule_meetings("sg", schedule, extra, date(2016, 1, 1), date(2016, 6, 30))
    assert [(m.on, m.time, m.source) for m in found] == [
        (date(2016, 1, 12), time(10), "plan"),
        (date(2016, 2, 2), time(10), "plan"),
        (date(2016, 4, 12), time(14), "db"),
    ]
    before, after = previous_and_next(found, date(2016, 2, 2))
    assert before is not None and before.on == date(2016, 1, 12)
    assert after is not None and after.on == date(2016, 4, 12)


def _with_meetings(block: str) -> str:
    text = SEED_PLAN.read_text(encoding="utf-8")
    anchor = '    source: "H3 Stap 2"\n  # An existing body'
    assert anchor in text
    return text.replace(anchor, '    source: "H3 Stap 2"\n' + block + "  # An existing body")


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ("    meetings: {time: '25:00', dates: [2016-01-01]}\n", "'time' must be HH:MM"),
        ("    meetings: {rule: {every: fortnight, start: 2016-01-01}}\n", "'every' must be one of"),
        ("    meetings: {rule: {every: month, weekday: dinsdg, start: 2016-01-01}}\n",
         "unknown weekday 'dinsdg' (did you mean 'dinsdag'?)"),
        ("    meetings: {rule: {every: month, weekday: di, start: 2016-01-01}}\n",
         "unknown weekday 'di' (did you mean 'dinsdag'?)"),
        ("    meetings: {rule: {every: month, weekday: tu, start: 2016-01-01}}\n",
         "unknown weekday 'tu' (did you mean 'tuesday'?)"),
        ("    meetings: {rule: {every: month, weekday: x, start: 2016-01-01}}\n",
         "unknown weekday 'x': a day's full name in Dutch or English, such as 'dinsdag' or"),
        ("    meetings: {rule: {every: month, nth: 5, start: 2016-01-01}}\n",
         "'nth' must be 1, 2, 3, 4 or -1"),
        ("    meetings: {rule: {every: month, day: 3, weekday: maandag, start: 2016-01-01}}\n",
         "give either 'day' or 'weekday'/'nth', not both"),
        ("    meetings: {rule: {every: month}}\n", "missing required key 'start' in meeting rule"),
        ("    meetings: {location: Utrecht}\n", "give 'dates', a 'rule', or both"),
        ("    meetings: {dates: [2016-02-30]}\n", "no such date"),
        ("    meetings: {dates: [2016-02-03], duration: 0}\n", "'duration' must be 1–1440 minutes"),
    ],
)  # fmt: skip
def test_bad_meetings_are_reported_with_position(block: str, message: str) -> None:
    with pytest.raises(PlanInvalid) as exc:
        parse_plan(_with_meetings(block), "plan.yaml")
    assert any(message in p.message and p.line > 0 for p in exc.value.problems), exc.value


def test_seed_meetings_and_indicators() -> None:
    plan = parse_plan(SEED_PLAN.read_text(encoding="utf-8"), "actions.yaml")
    body = plan.body("stuurgroep")
    assert body is not None and body.meetings is not None and body.meetings.rule is not None
    assert body.meetings.time == time(10) and body.meetings.pack_days == 5
    assert body.meetings.duration == 120  # not given: the documented default
    ids = [i.id for i in plan.indicators()]
    assert ids == [
        "co2-eu-1990", "co2-nl-niet-ets-2005", "energiebesparing", "hernieuwbaar-2020",
        "hernieuwbaar-2023",
    ]  # fmt: skip
    assert all(i.source and i.source.startswith("H1 Kader 1") for i in plan.indicators())


def days_off(plan: Plan) -> list[tuple[tuple[str | int, ...], str]]:
    from governance.meetings import meeting_days_off
    from governance.workdays import WorkCalendar

    schedules = [b.meetings for b in plan.governance]
    working = WorkCalendar("NL").is_working_day
    return meeting_days_off(schedules, working, date(2015, 1, 1), date(2020, 12, 31))


def test_meetings_on_days_off_are_found_where_the_plan_gives_them() -> None:
    """A body meets on working days: a listed Saturday, a rule's 15th that is a Sunday and a
    rule date on a public holiday (Christmas) are each named, at 'dates' or 'rule'; a day the
    rule skips under 'except' is not. Nothing is moved."""
    block = (
        "    meetings:\n"
        "      dates: [2016-02-02, 2016-02-06]\n"
        "      rule: {every: month, day: 15, start: 2016-04-01, until: 2016-12-31,\n"
        "             except: [2016-10-15]}\n"
    )
    plan = parse_plan(_with_meetings(block), "plan.yaml")
    index = next(i for i, b in enumerate(plan.governance) if b.meetings and b.meetings.dates)
    found = days_off(plan)
    here = ("governance", index, "meetings")
    assert [(where[:3], where[3], message.split(",")[0]) for where, message in found] == [
        (here, "dates", "meeting date 2016-02-06 is a Saturday"),
        (here, "rule", "the meeting rule gives 2016-05-15"),  # a Sunday
    ]
    assert found[1][1].startswith("the meeting rule gives 2016-05-15, a Sunday, not a working")
    # 2016-10-15, a Saturday too, is skipped under 'except': not a problem.
    koningsdag = "    meetings: {dates: [2016-04-26, 2016-04-27]}\n"  # a Tuesday, a Wednesday
    plan = parse_plan(_with_meetings(koningsdag), "plan.yaml")
    found = days_off(plan)
    assert [m for _, m in found] == [
        "meeting date 2016-04-27 is a public holiday, not a working day"
    ]
