"""Dutch dates in words, without Babel's data files in the pure domain: '12 januari 2016'."""

from __future__ import annotations

from datetime import date

MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip
WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


def long_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def day_and_date(day: date) -> str:
    """'donderdag 27 mei 2027': a meeting's day as the members' notices name it."""
    return f"{WEEKDAYS[day.weekday()]} {long_date(day)}"
