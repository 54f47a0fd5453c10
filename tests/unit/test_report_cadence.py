"""The cadences of a reporting obligation Regie reads, and the periods they give
(governance.progress): "tweejaarlijks" is every two years, as the MVI plan means it."""

from __future__ import annotations

from datetime import date

import pytest

from governance.plan import ReportObligation
from governance.progress import (
    CADENCE_NAMES,
    add_months,
    cadence_months,
    delivery_window,
    period_after,
)


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("tweejaarlijks", 24), ("Tweejaarlijkse", 24), ("om de twee jaar", 24),
        ("jaarlijks", 12), (" Jaarlijkse ", 12), ("per jaar", 12),
        ("halfjaarlijks", 6), ("twee keer per jaar", 6), ("per  halfjaar", 6),
        ("per kwartaal", 3), ("driemaandelijks", 3), ("maandelijks", 1),
        ("periodiek", None), ("bij afronding", None), ("", None), (None, None),
    ],
)  # fmt: skip
def test_cadences_read(text: str | None, months: int | None) -> None:
    assert cadence_months(text) == months


def test_every_cadence_the_command_line_names_is_read() -> None:
    assert all(cadence_months(name) for name in CADENCE_NAMES)


def test_cadence_periods_from_the_start_through_the_last_one_over() -> None:
    """The periods a first progress report covers (regie.report_period): from the programme's
    start, whole periods of the cadence, through the last one over on the day."""
    from dataclasses import replace

    from governance.report_due import cadence_periods
    from tests.integration.store_plans import make_sample_plan

    def over(start: date, cadence: str, day: date) -> list[tuple[date, date]]:
        programme = replace(sample.programme, start=start, end=None)
        plan = replace(sample, programme=programme)
        return cadence_periods(plan, ReportObligation("r", "R", "Kamer", cadence=cadence), day)

    sample = make_sample_plan()
    start = date(2015, 1, 1)
    assert over(start, "tweejaarlijks", date(2016, 12, 30)) == []
    assert over(start, "tweejaarlijks", date(2016, 12, 31)) == [(start, date(2016, 12, 31))]
    assert over(start, "tweejaarlijks", date(2017, 3, 15)) == [(start, date(2016, 12, 31))]
    # A first report made late covers every whole period since the start.
    assert over(start, "tweejaarlijks", date(2019, 1, 10)) == [
        (start, date(2016, 12, 31)), (date(2017, 1, 1), date(2018, 12, 31)),
    ]  # fmt: skip
    assert over(date(2024, 3, 15), "per kwartaal", date(2024, 9, 14)) == [
        (date(2024, 3, 15), date(2024, 6, 14)), (date(2024, 6, 15), date(2024, 9, 14)),
    ]  # fmt: skip


def test_the_period_after_keeps_its_length_at_a_month_end() -> None:
    assert period_after(date(2016, 12, 31), 24) == (date(2017, 1, 1), date(2018, 12, 31))
    assert period_after(date(2024, 6, 30), 6) == (date(2024, 7, 1), date(2024, 12, 31))
    assert add_months(date(2015, 8, 31), 6) == date(2016, 2, 29)


def test_the_items_a_report_delivers_are_due_up_to_the_end_of_the_next_period() -> None:
    biennial = ReportObligation("r", "R", "Kamer", cadence="tweejaarlijks", action="4.4")
    start, end = date(2015, 1, 1), date(2016, 12, 31)
    assert delivery_window(start, end, biennial) == date(2018, 12, 31)
    # Without a cadence Regie reads: the report's own length.
    assert delivery_window(start, end, None) == date(2018, 12, 31)


def test_a_window_past_the_calendars_end_stops_there() -> None:
    assert delivery_window(date(9990, 1, 1), date(9999, 12, 31), None) == date.max
    assert add_months(date(9999, 6, 1), 12) == date.max


def test_no_period_after_the_programme_s_end_and_the_one_it_cuts_ends_on_it() -> None:
    from dataclasses import replace

    from governance.report_due import cadence_periods, obligation_dues
    from tests.integration.store_plans import make_sample_plan

    plan = make_sample_plan()
    plan = replace(
        plan,
        programme=replace(plan.programme, start=date(2025, 1, 1), end=date(2026, 6, 30)),
        reports=(ReportObligation(id="j", title="Jaarverslag", recipient="Raad",
                                  cadence="jaarlijks"),),
    )  # fmt: skip
    [obligation] = plan.reports
    assert cadence_periods(plan, obligation, date(2030, 1, 1)) == [
        (date(2025, 1, 1), date(2025, 12, 31)),
        (date(2026, 1, 1), date(2026, 6, 30)),
    ]
    assert cadence_periods(plan, obligation, date(2026, 6, 29)) == [
        (date(2025, 1, 1), date(2025, 12, 31))
    ]
    dues = list(obligation_dues(plan, obligation, date(2030, 1, 1)))
    assert [(d.due, d.start, d.end) for d in dues] == [
        (date(2025, 12, 31), date(2025, 1, 1), date(2025, 12, 31)),
        (date(2026, 6, 30), date(2026, 1, 1), date(2026, 6, 30)),
    ]
    # An end on a period's last day cuts nothing.
    whole = replace(plan, programme=replace(plan.programme, end=date(2025, 12, 31)))
    assert cadence_periods(whole, obligation, date(2030, 1, 1)) == [
        (date(2025, 1, 1), date(2025, 12, 31))
    ]
