"""Dates from people within reason: ISO only, within the programme's life plus a margin."""

from __future__ import annotations

from datetime import date

import pytest

from governance.dates import Life, outside_life, parse_iso_date, programme_life
from tests.unit.planbuilder import act, make_plan, ms, quarter


@pytest.mark.parametrize("text", ["20160301", "2016-W10-1", "1-2-2016", "2016-02-30", ""])
def test_only_calendar_dates_in_iso_form(text: str) -> None:
    with pytest.raises(ValueError, match="not a date"):
        parse_iso_date(text)


def test_life_is_the_programme_plus_three_years_either_side() -> None:
    plan = make_plan(act("1.1", ms("1.1.1", quarter(2016, 2)), ms("1.1.2", quarter(2019, 4))),
                     start=None)  # fmt: skip
    life = programme_life(plan)  # from the earliest and latest dated item, without a start
    assert life == Life(date(2013, 4, 1), date(2022, 12, 31))
    assert date(2013, 4, 1) in life and date(2013, 3, 31) not in life
    assert outside_life(life, {"--on": date(2020, 1, 1), "--to": date(9999, 12, 31)}) == [
        "--to: 9999-12-31 is beyond the programme's life plus margin (2013-04-01 … "
        "2022-12-31; the programme itself runs 2016-04-01 … 2019-12-31)"
    ]


def test_reaching_a_day_stretches_the_life_with_the_margin_on_that_side() -> None:
    life = Life(date(2015, 1, 1), date(2020, 12, 31))
    assert life.reaching(date(1990, 12, 31)) == Life(date(1987, 12, 31), date(2020, 12, 31))
    assert life.reaching(date(2030, 2, 28)) == Life(date(2015, 1, 1), date(2033, 2, 28))
    wide = Life(date(2010, 1, 1), date(2030, 12, 31))
    assert wide.reaching(date(2016, 5, 1)) == wide  # the day and its margin inside: unchanged
    assert life.reaching(date(9999, 12, 31)).last == date(9999, 12, 31)  # no overflow
    assert life.reaching(date(1, 1, 1)).first == date(1, 1, 1)
