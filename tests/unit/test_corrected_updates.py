"""review56 2: an update a correction replaced counts for neither the latest update nor the
latest forecast (governance.updates.latest_updates), from the correction's own day on."""

from __future__ import annotations

from datetime import UTC, date, datetime

from governance.updates import StatusUpdate, UpdateStatus, latest_updates

AT = datetime(2025, 6, 10, 9, tzinfo=UTC)


def _u(uid: int, on: date, forecast: date | None = None, corrects: int | None = None,
       status: UpdateStatus = UpdateStatus.AT_RISK) -> StatusUpdate:  # fmt: skip
    return StatusUpdate(
        "1.1.1", status, on, forecast, recorded_at=AT.replace(minute=uid), id=uid,
        corrects=corrects,
    )  # fmt: skip


EARLIER = _u(1, date(2025, 5, 1), date(2025, 7, 1))
DATED = _u(2, date(2025, 6, 2), date(2025, 8, 1))
WITHDRAWN = _u(3, date(2025, 6, 5), corrects=2)  # the correction gives no date


def test_a_correction_without_a_forecast_withdraws_the_corrected_date() -> None:
    latest, forecasts = latest_updates([DATED, WITHDRAWN], date(2025, 6, 5))
    assert latest["1.1.1"] is WITHDRAWN
    assert forecasts == {}  # was {"1.1.1": 2025-08-01}


def test_the_forecast_before_the_corrected_update_stands_again() -> None:
    """As if the corrected answer had never been given: the correction, like any update without
    a date, leaves the latest date given before it standing."""
    _, forecasts = latest_updates([EARLIER, DATED, WITHDRAWN], date(2025, 6, 30))
    assert forecasts == {"1.1.1": date(2025, 7, 1)}


def test_before_the_correction_s_day_the_corrected_update_counts() -> None:
    latest, forecasts = latest_updates([EARLIER, DATED, WITHDRAWN], date(2025, 6, 4))
    assert latest["1.1.1"] is DATED
    assert forecasts == {"1.1.1": date(2025, 8, 1)}


def test_a_chain_of_corrections_counts_its_last_link_only() -> None:
    again = _u(4, date(2025, 6, 6), date(2025, 9, 1), corrects=3)
    updates = (u for u in [EARLIER, DATED, WITHDRAWN, again])  # any iterable, read once
    latest, forecasts = latest_updates(updates, date(2025, 6, 6))
    assert latest["1.1.1"] is again
    assert forecasts == {"1.1.1": date(2025, 9, 1)}


def test_a_correction_counts_even_where_its_order_ties_with_the_corrected_update() -> None:
    """The rule does not lean on the order: a corrected update is left out even where it would
    sort after its correction (the store never numbers them so; the pure rule holds anyway)."""
    corrected = _u(9, date(2025, 6, 2), date(2025, 8, 1))
    fix = StatusUpdate(
        "1.1.1", UpdateStatus.ON_TRACK, date(2025, 6, 2), recorded_at=corrected.recorded_at,
        id=8, corrects=9,
    )  # fmt: skip
    latest, forecasts = latest_updates([corrected, fix], date(2025, 6, 2))
    assert latest["1.1.1"] is fix and forecasts == {}
