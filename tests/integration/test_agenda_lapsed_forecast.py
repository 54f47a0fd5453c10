"""walk57a 3: an owner's forecast after the deadline that passes without delivery (slipped,
amber, then overdue, red) is *nieuw te laat* under *Wat is verslechterd* from agenda layout 22:
*te laat: prognose … verstreken zonder oplevering*. Layout 21 counted only a deadline passing,
so an item whose deadline passed before the window was never listed; it is made again so.

The report scenario: 3.1.1 (Q4-2015, due 31 December 2015) is reported on 11 January 2016 with
a forecast of 15 February 2016, slipped on the day of the January meeting; April's pack (as of
5 April) finds it overdue. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from regie.bootstrap import App
from tests.integration.reports_scenario import scenario_app

APRIL, APRIL_PACK = date(2016, 4, 12), date(2016, 4, 5)
LAPSED = (
    "| 3.1.1 | Uitvoeren behoeftepeiling | te laat: prognose 15-02-2016 verstreken zonder "
    "oplevering |"
)


@pytest.fixture
def app(tmp_path: Path, database_url: str, documents_made_once: None) -> App:
    return scenario_app(tmp_path / "home", database_url)


def _worse(app: App, monkeypatch: pytest.MonkeyPatch, layout: int) -> str:
    """*Wat is verslechterd* of April's pack at ``layout``, archived and made again equal."""
    from regie import report_build
    from regie.reports import agenda, reproduce

    with monkeypatch.context() as then:
        then.setattr(report_build, "AGENDA_LAYOUT", layout)
        made = agenda(app, "stuurgroep", APRIL, APRIL_PACK, "md")
    assert made.archive_id is not None and reproduce(app, made.archive_id).matches
    text = made.content.decode()
    if "**Wat is verslechterd**" not in text:
        return ""
    return text.split("**Wat is verslechterd**")[1].split("\n**")[0].split("\n### ")[0]


def test_a_forecast_that_passed_without_delivery_is_new_late(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    from regie.report_build import AGENDA_LAPSED_FORECASTS_FROM, AGENDA_LAYOUT

    assert AGENDA_LAYOUT >= AGENDA_LAPSED_FORECASTS_FROM == 22
    worse = _worse(app, monkeypatch, 22)
    assert LAPSED in worse, worse
    assert "3.1.1" not in _worse(app, monkeypatch, 21)  # an archived layout 21, as built


def test_a_deadline_that_passed_after_the_meeting_still_reads_as_the_deadline(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An item late by its deadline in the window (no forecast after it) reads as before."""
    worse = _worse(app, monkeypatch, 22)
    late = [line for line in worse.splitlines() if "te laat: deadline" in line]
    assert late == [
        line for line in _worse(app, monkeypatch, 21).splitlines() if "te laat: deadline" in line
    ]
