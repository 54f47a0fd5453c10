"""The progress report's outlook counts every open item once (walk55e 2): late when its date
in force is before the report's day, else under *Vooruitblik* up to the horizon, also when it
is due on the period's last day (every quarter, half-year and month ends on one)."""

from __future__ import annotations

from datetime import date

import pytest

from governance.assessment import assess
from governance.periods import Period
from governance.progress import COUNTED_ONCE_FROM, build_progress
from regie.reports import render_progress
from tests.unit.planbuilder import act, make_plan, month, ms, on, quarter


def _outlook(
    gereed: dict[str, Period], start: date, end: date, as_of: date, *, layout: int | None = None
) -> tuple[list[str], int]:
    plan = make_plan(act("1.1", *(ms(i, p) for i, p in gereed.items())))
    kwargs = {} if layout is None else {"layout": layout}
    report = build_progress(plan, assess(plan, [], as_of), start, end, **kwargs)
    step = report.steps[0]
    return [x.item_id for x in step.ahead], step.late_open


@pytest.mark.parametrize(
    ("start", "end", "due"),
    [
        (date(2026, 1, 1), date(2026, 6, 30), quarter(2026, 2)),  # half-year, quarter's end
        (date(2026, 1, 1), date(2026, 6, 30), month(2026, 6)),  # half-year, month's end
        (date(2026, 1, 1), date(2026, 3, 31), quarter(2026, 1)),  # quarter
        (date(2026, 2, 1), date(2026, 2, 28), month(2026, 2)),  # month
        (date(2026, 1, 1), date(2026, 12, 31), on(date(2026, 12, 31))),  # year
    ],
)
def test_an_open_item_due_on_the_stand_day_is_announced(
    start: date, end: date, due: Period
) -> None:
    ahead, late = _outlook({"1.1.1": due}, start, end, end)
    assert (ahead, late) == (["1.1.1"], 0)


def test_the_day_before_is_late_the_day_after_is_ahead() -> None:
    start, end = date(2026, 1, 1), date(2026, 6, 30)
    gereed = {
        "1.1.1": on(date(2026, 6, 29)),
        "1.1.2": on(date(2026, 6, 30)),
        "1.1.3": on(date(2026, 7, 1)),
        "1.1.4": on(date(2026, 12, 31)),  # the horizon: six months on
        "1.1.5": on(date(2027, 1, 1)),  # beyond it
    }
    assert _outlook(gereed, start, end, end) == (["1.1.2", "1.1.3", "1.1.4"], 1)


def test_a_report_made_before_the_period_ends_announces_the_rest_of_it() -> None:
    start, end = date(2026, 1, 1), date(2026, 6, 30)
    gereed = {
        "1.1.1": on(date(2026, 6, 9)),
        "1.1.2": on(date(2026, 6, 10)),  # the report's day
        "1.1.3": month(2026, 6),
    }
    assert _outlook(gereed, start, end, date(2026, 6, 10)) == (["1.1.2", "1.1.3"], 1)


def test_a_report_made_after_the_period_counts_what_passed_since_as_late_only() -> None:
    start, end = date(2026, 1, 1), date(2026, 6, 30)
    gereed = {
        "1.1.1": on(date(2026, 6, 30)),
        "1.1.2": on(date(2026, 7, 9)),  # after the period, before the report's day
        "1.1.3": on(date(2026, 7, 10)),  # on the report's day
    }
    assert _outlook(gereed, start, end, date(2026, 7, 10)) == (["1.1.3"], 2)


def test_the_outlook_no_longer_says_nothing_is_planned() -> None:
    plan = make_plan(act("1.1", ms("1.1.1", quarter(2026, 2)), ms("1.1.2", quarter(2026, 1))))
    end = date(2026, 6, 30)
    report = build_progress(plan, assess(plan, [], end), date(2026, 1, 1), end)
    md = render_progress(report, "md").decode()
    assert "Niets gepland" not in md
    assert "- 1.1.1 Mijlpaal 1.1.1: gereed Q2-2026 (30 juni 2026)" in md
    assert "Daarnaast is 1 punt te laat en nog niet gereed" in md


def test_layouts_before_keep_their_outlook() -> None:
    start, end = date(2026, 1, 1), date(2026, 6, 30)
    gereed = {"1.1.1": on(date(2026, 6, 30)), "1.1.2": on(date(2026, 7, 9))}
    old = COUNTED_ONCE_FROM - 1
    assert _outlook(gereed, start, end, end, layout=old) == (["1.1.2"], 0)  # 1.1.1: neither
    assert _outlook(gereed, start, end, date(2026, 7, 10), layout=old) == (["1.1.2"], 2)
