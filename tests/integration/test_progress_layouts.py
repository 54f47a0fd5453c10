"""A progress report archived with layout 3 (before late deliveries were listed as changed and
before the report said *punt*) is made again byte for byte: golden files made by layout 3's
code, and reproduce matches; the current layout differs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from regie.bootstrap import App
from tests.integration.reports_scenario import AS_OF, scenario_app

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
START, END = date(2015, 7, 1), date(2015, 12, 31)
NAME = "voortgang_2015-07-01_2015-12-31_asof_2016-01-15.layout3"


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:
    return scenario_app(tmp_path / "home", database_url, golden=True)  # tests.golden_seed


LAYOUT4 = "voortgang_2015-07-01_2015-12-31_asof_2016-01-15.layout4"


#: Layouts 5 and 6: before chapter 2 named the items outside the period and the PDF
#: hyphenated (layout 5: before the obligation's title, as layout 4).
LAYOUT5 = "voortgang_2015-07-01_2015-12-31_asof_2016-01-15.layout5"
LAYOUT6 = "voortgang_2015-07-01_2015-12-31_asof_2016-01-15.layout6"
# Every layout reads the same stored report; PostgreSQL reads it for layout 5.
LAYOUT_ONLY = pytest.mark.one_database("the report's layout, from the same SQL as layout 5")


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize(
    ("layout", "golden"),
    [
        pytest.param(3, NAME, marks=LAYOUT_ONLY),
        pytest.param(4, LAYOUT4, marks=LAYOUT_ONLY),
        (5, LAYOUT5),
        pytest.param(6, LAYOUT6, marks=LAYOUT_ONLY),
    ],
)
def test_an_archived_layout_is_made_again_byte_for_byte(
    app: App, fmt: str, layout: int, golden: str
) -> None:
    """Golden files made by each layout's code (layout 4: before the obligation's title was
    the heading and the office's notes were attributed to it); reproduce matches, and the
    current layout differs."""
    from regie.reports import (
        _archive,
        _progress_report,
        render_progress,
        render_progress_annex,
        reproduce,
    )

    plan = app.load_plan()
    report, _ = _progress_report(app, START, END, AS_OF, layout=layout)
    old = render_progress(report, fmt)
    assert old == (GOLDEN / f"{golden}.{fmt}").read_bytes()
    assert render_progress_annex(report) == (GOLDEN / f"{golden}.bijlage.html").read_bytes()
    parameters = {"from": START.isoformat(), "to": END.isoformat(), "as_of": AS_OF.isoformat(),
                  "layout": layout}  # fmt: skip
    archived = _archive(app, plan, "voortgang", fmt, "Voortgang", AS_OF, parameters, old, True)
    again = reproduce(app, archived.archive_id)
    assert again.matches and again.content == old
    new, _ = _progress_report(app, START, END, AS_OF)
    assert render_progress(new, fmt) != old
