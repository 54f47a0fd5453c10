"""walk56b 6: one day as a plan (and every mail and page) writes it, for the answer form's date
fields; nothing vaguer than a day, and the year always written."""

from __future__ import annotations

from datetime import date

import pytest

from governance.periods import parse_day

DAY = date(2027, 1, 15)


@pytest.mark.parametrize(
    "text",
    ["15 januari 2027", "15 Januari 2027", " 15  JANUARI  2027 ", "15 jan 2027", "15 jan. 2027",
     "15-jan-2027", "15-1-2027", "15/01/2027", "15.01.2027", "2027-01-15", "January 15, 2027"],
)  # fmt: skip
def test_a_day_written_as_the_plan_writes_one_is_read(text: str) -> None:
    assert parse_day(text) == DAY


@pytest.mark.parametrize(
    ("text", "day"),
    [("1 mrt 2027", date(2027, 3, 1)), ("31 mei 2027", date(2027, 5, 31)),
     ("30 sept 2027", date(2027, 9, 30)), ("1 okt. 2027", date(2027, 10, 1)),
     ("29 februari 2028", date(2028, 2, 29))],
)  # fmt: skip
def test_every_months_short_name_is_read(text: str, day: date) -> None:
    assert parse_day(text) == day


@pytest.mark.parametrize(
    "text",
    ["", "asdf", "15 januari", "januari 2027", "2027", "Q1 2027", "eind 2027", "29 februari 2027",
     "32 januari 2027", "15 foo 2027", "15 januari 27", "uiterlijk 15 januari 2027",
     "15 januari 2027 - 20 januari 2027", "vanaf 15 januari 2027", "15 januari 1850"],
)  # fmt: skip
def test_anything_but_one_day_is_none(text: str) -> None:
    assert parse_day(text) is None
