"""What day off a date is, in the one wording every command uses (`regie meeting add`,
`regie plan validate`, `regie round --answer-by`): :func:`governance.meetings.day_off_words`,
given the public holiday's name as the ``holidays`` package gives it."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from governance.meetings import HolidayName
    from governance.plan import Plan
    from governance.workdays import WorkCalendar


def day_off(plan: Plan, on: date) -> str | None:
    """What ``on`` is when it is no working day of the plan's calendar (``calendar.
    holidays_country``): ``a Saturday``, ``a public holiday (Koningsdag)``, ``a Sunday and a
    public holiday (Eerste Kerstdag)``; None on a working day. The holiday is named as the
    ``holidays`` package names it in the country's own language; an extra day off as the plan
    names it. The words are :func:`governance.meetings.day_off_words`, as `regie plan validate`
    says them of a meeting date (walk54 6)."""
    from governance.meetings import day_off_words
    from governance.workdays import WorkCalendar

    calendar = WorkCalendar.for_plan(plan)
    if calendar.is_working_day(on):
        return None
    extra = {d.on: d.name for d in plan.calendar.extra_days_off}
    return day_off_words(on, extra, public_holiday(plan, calendar))


def public_holiday(plan: Plan, calendar: WorkCalendar) -> HolidayName:
    """The plan's public holiday on a day (:data:`governance.meetings.HolidayName`): its name
    in the country's own language ("" if the package gives none), None on no holiday."""
    country = plan.calendar.holidays_country

    def name(on: date) -> str | None:
        if not calendar.is_holiday(on):
            return None
        return _holiday_name(country, on) or ""

    return name


def _holiday_name(country: str, on: date) -> str | None:
    """The holiday's name in the country's default language (not the locale's: the same
    text wherever the command runs)."""
    import holidays

    try:
        found = holidays.country_holidays(country, years=on.year)
        language = getattr(found, "default_language", None)
        if language:
            found = holidays.country_holidays(country, years=on.year, language=language)
    except NotImplementedError:  # pragma: no cover - load_plan has refused such a country
        return None
    name = found.get(on)
    return str(name) if name else None
