"""Dutch dates in words and Dutch numbers, without Babel's data files in the pure domain:
'12 januari 2016', '2.000'."""

from __future__ import annotations

from datetime import date

MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip
WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


def long_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def dutch_number(number: int) -> str:
    """A whole number with Dutch thousands separators: 2000 → '2.000', -12345 → '-12.345'."""
    return f"{number:,}".replace(",", ".")


def day_and_date(day: date) -> str:
    """'donderdag 27 mei 2027': a meeting's day as the members' notices name it."""
    return f"{WEEKDAYS[day.weekday()]} {long_date(day)}"
