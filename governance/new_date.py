"""The date an owner gives for an overdue item ("Nieuwe datum…", "Loopt vast…"): checked
before anything is stored, with one Dutch sentence per problem for the form or Slack modal.

A forecast in the past says nothing new (the item stays overdue), and one years ahead is
almost always a mis-click in a date picker (the year wheel); both are refused at the field.
"""

from __future__ import annotations

from datetime import date

#: How far ahead a new date may lie; further is refused as a likely slip of the picker.
MAX_YEARS_AHEAD = 2


def latest_allowed(today: date) -> date:
    """The last date :func:`new_date_problem` accepts (29 February rolls to 28)."""
    year = today.year + MAX_YEARS_AHEAD
    try:
        return today.replace(year=year)
    except ValueError:
        return today.replace(year=year, day=28)


def new_date_problem(day: date | None, today: date, *, required: bool) -> str | None:
    """The problem with an overdue item's new expected date, None when there is none."""
    if day is None:
        return "Kies de nieuwe verwachte datum." if required else None
    if day < today:
        return "Deze datum ligt in het verleden. Kies vandaag of een latere datum."
    if day > latest_allowed(today):
        return f"Deze datum ligt meer dan {MAX_YEARS_AHEAD} jaar vooruit. Kies een eerdere datum."
    return None


def initial_new_date(today: date, forecast: date | None = None) -> date:
    """What the date picker shows first: the standing forecast when it still lies ahead,
    else two weeks from today (never a date in the past)."""
    from datetime import timedelta

    if forecast is not None and forecast >= today:
        return forecast
    return today + timedelta(days=14)
