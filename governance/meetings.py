"""When governance bodies meet: dates listed in the plan, a repeating rule, one-off meetings.

Pure: a rule is expanded over an explicit window, never from the clock. The rule is a small,
readable subset of iCalendar's RRULE (docs/plan-schema.md, ``meetings``): every N weeks, months,
quarters or years, on a weekday (the nth of the period's first month, or every week) or a day of
the month, from a start date until an end date, minus exceptions.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from enum import StrEnum

#: Weekday names the plan file may use (Dutch and English), Monday = 0.
WEEKDAYS: dict[str, int] = {
    **{n: i for i, n in enumerate(("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag",
                                   "zaterdag", "zondag"))},
    **{n: i for i, n in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday",
                                   "saturday", "sunday"))},
}  # fmt: skip


#: Where a value stands in the plan file: (line, column), 1-based (the file is the plan's path).
Place = tuple[int, int]


class Frequency(StrEnum):
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


_MONTHS_PER = {Frequency.MONTH: 1, Frequency.QUARTER: 3, Frequency.YEAR: 12}


@dataclass(frozen=True, slots=True)
class MeetingRule:
    """``every`` ``interval`` periods from ``start``: the ``nth`` ``weekday`` of the period's first
    month (nth -1 = the last), every ``weekday`` (weekly), or day ``day`` of that month."""

    every: Frequency
    start: date
    interval: int = 1
    weekday: int | None = None
    nth: int | None = None
    day: int | None = None
    until: date | None = None
    exceptions: tuple[date, ...] = ()
    #: Where the plan file gives ``until`` (not part of the rule): an ``until`` after the
    #: programme's end is warned of there (:func:`governance.programme_end.rule_past_end`).
    until_at: Place | None = field(default=None, compare=False)

    def dates(self, first: date, last: date) -> Iterator[date]:
        """The rule's dates in ``[first, last]`` (and within start … until), ascending."""
        last = min(last, self.until) if self.until else last
        first = max(first, self.start)
        for day in self._all(last):
            if day >= first and day not in self.exceptions:
                yield day

    def gives(self, day: date) -> bool:
        """Whether the rule, its exceptions aside, has a meeting on ``day``."""
        return day in self._around(day)

    def nearest(self, day: date) -> date | None:
        """The meeting the rule gives (not skipped under ``except``) nearest to ``day``, the
        earlier of two as near; None when the rule gives none."""
        found = [d for d in self._around(day) if d not in self.exceptions]
        return min(found, key=lambda d: (abs(d - day), d), default=None)

    def _around(self, day: date) -> list[date]:
        """The rule's dates, exceptions aside, from its start to one repeat past ``day``."""
        if self.every is Frequency.WEEK:
            span = timedelta(weeks=self.interval + 1)
        else:
            span = timedelta(days=31 * (_MONTHS_PER[self.every] * self.interval + 1))
        last = max(day, self.start) + span
        if self.until is not None:
            last = min(last, self.until)
        return list(self._all(last))

    def _all(self, last: date) -> Iterator[date]:
        if self.every is Frequency.WEEK:
            weekday = self.start.weekday() if self.weekday is None else self.weekday
            day = self.start + timedelta(days=(weekday - self.start.weekday()) % 7)
            while day <= last:
                yield day
                day += timedelta(weeks=self.interval)
            return
        step = _MONTHS_PER[self.every] * self.interval
        year, month = self.start.year, self.start.month
        while date(year, month, 1) <= last:
            found = self._in_month(year, month)
            if found is not None and self.start <= found <= last:
                yield found
            month += step
            year, month = year + (month - 1) // 12, (month - 1) % 12 + 1

    def _in_month(self, year: int, month: int) -> date | None:
        length = calendar.monthrange(year, month)[1]
        if self.day is not None:
            return date(year, month, self.day) if self.day <= length else None
        weekday = self.start.weekday() if self.weekday is None else self.weekday
        days = [d for d in range(1, length + 1) if date(year, month, d).weekday() == weekday]
        nth = self.nth or 1
        if nth > len(days):
            return None
        return date(year, month, days[nth - 1] if nth > 0 else days[nth])


@dataclass(frozen=True, slots=True)
class MeetingSchedule:
    """A body's meetings as the plan gives them: listed dates and/or a rule."""

    dates: tuple[date, ...] = ()
    rule: MeetingRule | None = None
    time: time | None = None
    location: str | None = None
    pack_days: int = 5  # working days before a meeting the agenda pack goes out
    request_days: int = 10  # working days before a meeting owners are asked for an update
    duration: int = 120  # minutes a meeting lasts (calendar feeds: its end time)
    # The dates came with an example plan (docs/examples) and are not the programme's own:
    # validation warns until the flag is removed, feeds say "voorbeelddatum".
    example: bool = False
    #: Where the plan file lists each of ``dates`` (its first listing; not part of the
    #: schedule): a date after the programme's end is warned of there.
    dates_at: tuple[tuple[date, Place], ...] = field(default=(), compare=False)
    #: Each of ``dates`` with its index in the plan file's ``dates`` list (its first listing;
    #: not part of the schedule): a problem with the date is reported there.
    dates_index: tuple[tuple[date, int], ...] = field(default=(), compare=False)

    def listed_from(self, first: date) -> list[date]:
        """The listed dates held over a term from ``first``: every one on or after it, also one
        after the term's last day. A date listed after the programme's end is a closing
        meeting (the final report, the discharge), listed on purpose: it is kept (`regie plan
        validate` warns, in case the year is a typo); a rule stops at the end."""
        return [d for d in self.dates if d >= first]


@dataclass(frozen=True, slots=True)
class Meeting:
    body_id: str
    on: date
    time: time | None = None
    location: str | None = None
    source: str = "plan"  # plan (listed or rule) or db (added with `regie meeting add`)
    note: str | None = None


def schedule_meetings(
    body_id: str,
    schedule: MeetingSchedule | None,
    extra: Iterable[Meeting],
    first: date,
    last: date,
    *,
    listed_after_last: bool = True,
) -> list[Meeting]:
    """Every meeting of one body over the term ``[first, last]`` (:func:`meeting_term`), by
    date: the rule's within it; listed dates (:meth:`MeetingSchedule.listed_from`) and one-off
    meetings (``extra``) from ``first`` on, also after ``last``: both name their day on
    purpose. A one-off meeting on a day the plan already has replaces it (its time or location
    may differ). The one list of a body's meetings: rounds, packs, feeds, escalations and
    `regie meeting list` all read it (through the application's one reader of meetings).
    ``listed_after_last`` False: listed dates after ``last`` are left out (as before end46; an
    archived pack of agenda layout 12 or before is made again so)."""
    out: dict[date, Meeting] = {}
    if schedule is not None:
        days = set(d for d in schedule.listed_from(first) if listed_after_last or d <= last)
        if schedule.rule is not None:
            days.update(schedule.rule.dates(first, last))
        for day in days:
            out[day] = Meeting(body_id, day, schedule.time, schedule.location)
    for meeting in extra:
        if meeting.body_id == body_id and first <= meeting.on:
            out[meeting.on] = meeting
    return [out[d] for d in sorted(out)]


def previous_and_next(meetings: list[Meeting], on: date) -> tuple[Meeting | None, Meeting | None]:
    """The meeting before ``on`` and the one after it (``meetings`` sorted by date)."""
    before = [m for m in meetings if m.on < on]
    after = [m for m in meetings if m.on > on]
    return (before[-1] if before else None, after[0] if after else None)


#: English day names, Monday first (diagnostics are English; not the locale's).
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

#: The first day of the meetings' term when the programme gives no start.
TERM_START = date(2000, 1, 1)
#: Years of meetings after the start when the programme gives no end: a rule without ``until``
#: in a plan without ``programme.end`` yields meetings through 31 December of start + this.
OPEN_TERM_YEARS = 20


def meeting_term(start: date | None, end: date | None) -> tuple[date, date]:
    """The days a plan's meetings are expanded over, from the programme's ``start`` and ``end``
    (either may be missing): its whole term, or a fixed span from its start when it has no end.
    It depends on the plan alone, never on today: the meetings listed, fed and checked for
    days off are the same every day, so a plan that is valid today stays valid."""
    first = start or TERM_START
    return first, end or date(first.year + OPEN_TERM_YEARS, 12, 31)


#: A day's public holiday: its name ("" when it has none), None when the day is no public
#: holiday (the application's reader of the holidays package: regie.report_reads).
HolidayName = Callable[[date], str | None]


def day_off_words(
    d: date,
    extra_days_off: Mapping[date, str | None],
    public_holiday: HolidayName | None = None,
) -> str:
    """What day off ``d`` is, every reason, for a one-line problem: "a Saturday", "an extra
    day off (Sluitingsdag)", "a public holiday (Nationale feestdag)", "a Sunday and an extra
    day off (Feestdag van de Vlaamse Gemeenschap)" (``extra_days_off``: date → its name, if
    any; ``public_holiday``: see :data:`HolidayName`). The one wording of `regie meeting add`,
    `regie plan validate` and `regie round --answer-by`. Without ``public_holiday``, a weekday
    that is no extra day off is taken to be an unnamed public holiday (``d`` is a day off)."""
    weekend = f"a {DAY_NAMES[d.weekday()]}" if d.weekday() >= 5 else None
    holiday: str | None
    if d in extra_days_off:
        name = extra_days_off[d]
        holiday = f"an extra day off ({name})" if name else "an extra day off"
    elif public_holiday is not None:
        name = public_holiday(d)
        named = f"a public holiday ({name})" if name else "a public holiday"
        holiday = None if name is None else named
    else:
        holiday = None if weekend else "a public holiday"
    if weekend and holiday:
        return f"{weekend} and {holiday}"
    return weekend or holiday or "a public holiday"


def meeting_days_off(
    schedules: Sequence[MeetingSchedule | None],
    is_working_day: Callable[[date], bool],
    first: date,
    last: date,
    extra_days_off: Mapping[date, str | None] | None = None,
    *,
    open_ended: bool = False,
    public_holiday: HolidayName | None = None,
) -> list[tuple[tuple[str | int, ...], str]]:
    """The meetings in ``[first, last]`` that fall on a day off (a weekend day, a public
    holiday or one of ``extra_days_off``: date → its name, if any), given the plan's governance
    bodies' schedules in file order: (where in the plan file, keys from the top; the problem).
    ``[first, last]`` is the meetings' term (:func:`meeting_term`): exactly the meetings the
    schedules yield are checked (a date listed after ``last`` too: it is held). A body meets
    on working days: a rule's 15th that is a Sunday is a mistake in the plan, refused rather
    than moved to a day nobody chose (skip it with ``except`` and list the day meant under
    ``dates``). ``open_ended``: the programme has no end, so a rule without ``until`` runs
    through ``last``; its problems say how to stop it. ``public_holiday`` names a day's
    holiday (:func:`day_off_words`). A listed date's problem is at that date in ``dates``
    (its first listing, :attr:`MeetingSchedule.dates_index`), not at the list."""
    extra = extra_days_off or {}

    def day_off(d: date) -> str:
        return day_off_words(d, extra, public_holiday)

    out: list[tuple[tuple[str | int, ...], str]] = []
    for index, schedule in enumerate(schedules):
        if schedule is None:
            continue
        where = ("governance", index, "meetings")
        listed_at = dict(schedule.dates_index)
        for d in schedule.listed_from(first):
            if not is_working_day(d):
                at = (*where, "dates", listed_at[d]) if d in listed_at else (*where, "dates")
                out.append((at, f"meeting date {d} is {day_off(d)}, not a working day"))
        if schedule.rule is not None:
            runs_on = ""
            if open_ended and schedule.rule.until is None:
                runs_on = (
                    f" (the programme has no 'end', so the rule runs through {last}: give it "
                    "an 'until' to stop it sooner)"
                )
            for d in schedule.rule.dates(first, last):
                if not is_working_day(d):
                    out.append(
                        (
                            (*where, "rule"),
                            f"the meeting rule gives {d}, {day_off(d)}, not a working day: skip "
                            "it under 'except' (and list the day meant under 'dates'), or "
                            f"choose a rule that gives working days{runs_on}",
                        )
                    )
    return out


@dataclass(frozen=True, slots=True)
class ScheduleChanges:
    """How a body's meeting days changed since they were last seen (:func:`schedule_changes`).

    ``moved``: (old day, new day) of meetings still ahead (``as_of`` included) that moved to a
    day still ahead; ``moved_past``: (old, new) of ones moved to a day before ``as_of`` (held,
    or recorded after the fact: nobody is told); ``cancelled``: days still ahead that left
    with no new day;
    ``new``: days still ahead that joined with none gone to pair (a meeting added, or one
    that comes back);
    ``added``/``gone``: every day that joined or left the schedule (what is remembered next)."""

    moved: tuple[tuple[date, date], ...] = ()
    moved_past: tuple[tuple[date, date], ...] = ()
    cancelled: tuple[date, ...] = ()
    new: tuple[date, ...] = ()
    added: tuple[date, ...] = ()
    gone: tuple[date, ...] = ()


def pair_days(
    olds: Iterable[date], news: Iterable[date], kept: Iterable[date]
) -> list[tuple[date, date]]:
    """Pair each old day, in date order, with the first free new day that has no ``kept``
    day between them (the same gap in the schedule: review13 3); days left over stay unpaired."""
    stay = sorted(kept)
    pairs: list[tuple[date, date]] = []
    free = sorted(news)
    for old in sorted(olds):
        for new in free:
            low, high = min(old, new), max(old, new)
            if not any(low < k < high for k in stay):
                pairs.append((old, new))
                free.remove(new)
                break
    return pairs


def schedule_changes(
    remembered: Iterable[date], current: Iterable[date], as_of: date
) -> ScheduleChanges:
    """Compare a body's meeting days as last seen with its schedule now, as of ``as_of``.

    A meeting on ``as_of`` itself is still ahead (the morning run comes before it). A day that
    left is paired with a day that joined, in date order, only when no meeting that stayed lies
    between them (review13 3: cancelling March and moving May is not "March moved to May"): the
    meeting moved. A day that left with none to pair is cancelled. Days before ``as_of`` that
    left (a held meeting taken out of the plan) are neither: they happened or not, and telling
    the members now helps nobody. A new day still ahead with none gone to pair is ``new``."""
    before, now = set(remembered), set(current)
    kept = sorted(before & now)
    gone = sorted(before - now)
    added = sorted(now - before)
    ahead = [d for d in gone if d >= as_of]
    moved = pair_days(ahead, [d for d in added if d >= as_of], kept)
    rest = [d for d in ahead if d not in {old for old, _ in moved}]
    moved_past = pair_days(rest, [d for d in added if d < as_of], kept)
    told = {old for old, _ in moved_past}
    taken = {new for _, new in moved}
    return ScheduleChanges(
        moved=tuple(moved),
        moved_past=tuple(moved_past),
        cancelled=tuple(d for d in rest if d not in told),
        new=tuple(d for d in added if d >= as_of and d not in taken),
        added=tuple(added),
        gone=tuple(gone),
    )
