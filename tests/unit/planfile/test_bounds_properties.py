"""A plan that validates can be run: for random numbers in every bounded field (and random dates
in the plan's years), a plan the parser accepts goes through what `regie status`, `regie cycle`,
`regie meeting list` and `prepare-meeting` compute (assessment, reminders, next checks, meeting
dates and their lead days) without raising. docs/plan-schema.md, "Numbers and their ranges"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from governance.assessment import assess
from governance.meetings import meeting_days_off, schedule_meetings
from governance.next_checks import Scheduler
from governance.plan import ReminderPolicy
from governance.planfile import PlanInvalid, parse_plan
from governance.reminders import plan_reminders
from governance.updates import StatusUpdate, UpdateStatus
from governance.workdays import WorkCalendar
from tests.unit.planfile.plantext import plan_text

#: Each bounded whole number of the schema with its range (governance/planfile/build.py,
#: extras.py, items.py).
RANGES = {
    "first_prompt_days": (0, 366),
    "second_prompt_days": (0, 366),
    "overdue_every_days": (0, 366),
    "after_escalation_every_days": (0, 366),
    "escalate_after_unanswered": (0, 99),
    "unanswered_grace_days": (0, 366),
    "escalate_after_overdue_days": (0, 366),
    "open_ended_every_months": (1, 12),
    "stale_after_days": (1, 366),
    "dependency_lead_days": (0, 366),
    "pack_days": (1, 365),
    "request_days": (2, 366),
    "duration": (1, 1440),
    "interval": (1, 24),
    "day": (1, 31),
    "number": (1, 999),
}


def inside(low: int, high: int) -> st.SearchStrategy[int]:
    """In range, often at its ends."""
    return st.one_of(st.sampled_from([low, high]), st.integers(low, high))


#: Out of range: what broke `regie cycle`, `status` and `meeting list` before.
HUGE = [10**6, 5 * 10**6, 10**20, 3 * 10**25, -(10**25)]


def outside(low: int, high: int) -> st.SearchStrategy[int]:
    """Just or far outside the range (to be refused)."""
    return st.one_of(st.sampled_from([low - 1, high + 1, *HUGE]), st.integers(-(10**25), 10**25))


def year() -> st.SearchStrategy[int]:
    return st.one_of(st.sampled_from([1900, 1901, 2015, 2198, 2199]), st.integers(1900, 2199))


@dataclass
class Shape:
    """What a test plan is made of besides its numbers."""

    start_year: int = 2015
    years: int = 3
    every: str = "month"
    when: str = "weekday: dinsdag, nth: 2"  # or "day: {day}"
    rule_month: int = 1
    until: bool = True
    dates_day: int = 2
    quarter: int = 3
    on_due_date: bool = True
    days: tuple[int, int] = (200, 30)  # as_of: days after the start, days after the end


def plan_for(n: dict[str, int], shape: Shape) -> tuple[str, list[date]]:
    """A plan with the numbers ``n`` (every name in :data:`RANGES`) and the as_of days to run
    it on: the start, a day in its term, the end and a day after it."""
    start_year = shape.start_year
    end_year = min(start_year + shape.years, 2199)
    until = f", until: {end_year}-12-31" if shape.until else ""
    when = shape.when.format(day=n["day"])
    rule = (
        f"{{every: {shape.every}, interval: {n['interval']}, {when}, "
        f"start: {date(start_year, shape.rule_month, 1)}{until}}}"
    )
    meetings = (
        f"{{dates: [{start_year}-06-0{shape.dates_day}], rule: {rule}, "
        f"pack_days: {n['pack_days']}, request_days: {n['request_days']}, "
        f"duration: {n['duration']}}}"
    )
    reminders = ", ".join(f"{k}: {n[k]}" for k in list(RANGES)[:10])
    s = n["number"]
    steps = f"""\
        - number: {s}
          title: S
          actions:
            - id: "{s}.1"
              title: A
              owners: [IenM]
              milestones:
                - {{id: "{s}.1.1", title: M, gereed: Q{shape.quarter}-{start_year}}}
                - {{id: "{s}.1.2", title: N, gereed: Vanaf {start_year}}}
            - {{id: "{s}.2", title: B, owners: [RIVM], gereed: Afhankelijk van {s}.1,
               depends_on: ["{s}.1"]}}
            - {{id: "{s}.3", title: C, owners: [IenM], gereed: Periodiek}}
        """
    text = plan_text(
        steps,
        programme=f"{{id: p, title: P, start: {start_year}-01-01, end: {end_year}-12-31}}",
        reminders=f"{{{reminders}, on_due_date: {str(shape.on_due_date).lower()}}}",
        contacts="[{id: po, name: PO, organisation: IenM, programme_office: true}]",
        governance=f"[{{id: stuurgroep, name: Stuurgroep, purpose: P, meetings: {meetings}}}]",
    )
    first, last = date(start_year, 1, 1), date(end_year, 12, 31)
    after_start, after_end = shape.days
    return text, [first, first + timedelta(after_start), last, last + timedelta(after_end)]


def runs_or_is_refused(text: str, days: list[date]) -> bool:
    """True when the plan validates, and then runs; False when refused, at a line each."""
    try:
        plan = parse_plan(text, "fuzz.yaml")
    except PlanInvalid as exc:
        assert all(p.line > 0 for p in exc.problems), exc
        return False
    cal = WorkCalendar.for_plan(plan)
    s = plan.steps[0].number
    done = StatusUpdate(f"{s}.1.1", UpdateStatus.DONE, days[1], id=1)
    risk = StatusUpdate(f"{s}.3", UpdateStatus.AT_RISK, days[0], id=2)
    for as_of in days:  # status and cycle: assess, remind, schedule the next checks
        updates = [u for u in (done, risk) if u.reported_on <= as_of]
        assessment = assess(plan, updates, as_of, calendar=cal)
        plan_reminders(plan, assessment, [], as_of, cal)
        scheduler = Scheduler(as_of, plan.reminders, cal)
        for item in assessment.items.values():
            scheduler.next_check(item)
    # meeting list (over the programme's term) and prepare-meeting (its request and pack days)
    first, last = plan.programme.start, plan.programme.end
    assert first is not None and last is not None
    body = plan.governance[0]
    schedule = body.meetings
    assert schedule is not None
    for meeting in schedule_meetings(body.id, schedule, [], first, last):
        cal.add_working_days(meeting.on, -schedule.pack_days)
        cal.add_working_days(meeting.on, -schedule.request_days)
    meeting_days_off([schedule], cal.is_working_day, first, last)
    return True


_POLICY = ReminderPolicy()
#: The defaults (a day and an interval for the rule): valid together.
BASE = {
    **{k: getattr(_POLICY, k) for k in list(RANGES)[:10]},
    "pack_days": 5,
    "request_days": 10,
    "duration": 120,
    "interval": 1,
    "day": 15,
    "number": 1,
}


@pytest.mark.parametrize("name", list(RANGES))
def test_each_number_at_its_ends_runs_and_beyond_them_is_refused(name: str) -> None:
    """Deterministic: the ends of each range run (with the other numbers at their defaults),
    the values just outside and the huge ones the reviewer tried are refused."""
    low, high = RANGES[name]
    shape = Shape(when="day: {day}") if name == "day" else Shape()
    for value in (low, high):
        n = {**BASE, name: value}
        if name == "first_prompt_days":
            n["second_prompt_days"] = min(n["second_prompt_days"], value)
        if name == "second_prompt_days":
            n["first_prompt_days"] = max(n["first_prompt_days"], value)
        if name == "pack_days":
            n["request_days"] = max(n["request_days"], value + 1)
        if name == "request_days":
            n["pack_days"] = min(n["pack_days"], value - 1)
        assert runs_or_is_refused(*plan_for(n, shape)), (name, value)
    for value in (low - 1, high + 1, *HUGE):
        assert not runs_or_is_refused(*plan_for({**BASE, name: value}, shape)), (name, value)


@st.composite
def plans(draw: st.DrawFn, wild: str) -> tuple[str, list[date]]:
    """A plan with every number in range but ``wild``, which is as often outside."""
    n = {
        name: draw(st.one_of(inside(low, high), outside(low, high)) if name == wild else
                   inside(low, high))
        for name, (low, high) in RANGES.items()
    }  # fmt: skip
    if draw(st.integers(0, 3)):  # mostly keep to the rules between two numbers
        n["second_prompt_days"] = min(n["second_prompt_days"], n["first_prompt_days"])
        n["request_days"] = max(n["request_days"], n["pack_days"] + 1)
    every = draw(st.sampled_from(["week", "month", "quarter", "year"]))
    if every == "week":
        when = f"weekday: {draw(st.sampled_from(['maandag', 'vrijdag']))}"
    elif draw(st.booleans()):
        when = "day: {day}"
    else:
        when = f"weekday: dinsdag, nth: {draw(st.sampled_from([1, 2, 3, 4, -1]))}"
    shape = Shape(
        start_year=draw(year()),
        years=draw(st.integers(0, 4)),
        every=every,
        when=when,
        rule_month=draw(st.integers(1, 12)),
        until=draw(st.booleans()),
        dates_day=draw(st.integers(1, 9)),
        quarter=draw(st.integers(1, 4)),
        on_due_date=draw(st.booleans()),
        days=(draw(st.integers(0, 5 * 366)), draw(st.integers(0, 400))),
    )
    return plan_for(n, shape)


@pytest.mark.parametrize("wild", list(RANGES))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_plan_that_validates_runs(wild: str, data: st.DataObject) -> None:
    """Random: every number drawn in its range but one, ``wild``, drawn anywhere; other parts
    of the plan (years, rule, as_of days) drawn too. Valid implies it runs."""
    event("valid" if runs_or_is_refused(*data.draw(plans(wild))) else "refused")
