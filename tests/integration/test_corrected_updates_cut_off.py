"""fix57a 1: an agenda pack or progress report made at a data cut-off reads a correction
recorded by then as the daily assessment does since fix56s: the corrected update counts for
neither the latest update nor the forecast. A correction recorded after the cut-off changes
nothing it said. On the report scenario: 1.2.1's answer of 8 January 2016 (*risico*, expected
31 March 2016) is corrected on 12 January (*op schema*, no date): the withdrawn date no longer
makes 1.2.1 *verschoven*, nor asks to accord it. A pack (layout 21) or report (layout 20) made
with the correction applied (as they are without a cut-off) is made again byte for byte;
older layouts, made before corrections replaced anything, are made again counting the
corrected update. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from regie.bootstrap import App
from tests.cli_in_process import regie
from tests.integration.reports_scenario import AS_OF, MEETING, cli_env, scenario_app
from tests.integration.test_cycle import rows

PERIOD = (date(2015, 10, 1), date(2015, 12, 31))
#: The pack's and the report's words for 1.2.1 with the forecast the correction withdrew.
SLIPPED = "| 31-03-2016 | verschoven, met risico | rood |"
ACCORD = "Verschuiving van 1.2.1 naar 31 maart 2016 accorderen?"
EXPECTED = "1.2.1 Verkennen draagvlak: gereed Najaar 2015 (verwacht 31 maart 2016)"
WITHDRAWN = "| 1.2.1 | Verkennen draagvlak | Najaar 2015 | nog geen nieuwe datum |"
#: 1.2.1 as the correction leaves it: late, no date.
LATE = "| 1.2.1 | Verkennen draagvlak | IenM | Najaar 2015 | 30-11-2015 | — | te laat"


def _correct(app: App) -> None:
    [(update_id,)] = rows(app, "SELECT id FROM status_updates WHERE item_code = '1.2.1'")
    done = regie(
        "update", "1.2.1", "-s", "on_track", "--as-of", "2016-01-12", "--corrects",
        str(update_id), "--comment", "Verkeerde knop", env=cli_env(app),
    )  # fmt: skip
    assert done.code == 0, done.err


def _documents(app: App) -> tuple[bytes, bytes, list[int]]:
    """The pack and the report made now and archived, and their archive ids."""
    from regie.reports import agenda, voortgang

    pack = agenda(app, "stuurgroep", MEETING, AS_OF, "md")
    report = voortgang(app, *PERIOD, AS_OF, "md")
    return pack.content, report.content, [pack.archive_id or 0, report.archive_id or 0]


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:
    return scenario_app(tmp_path / "home", database_url)


def test_a_correction_counts_from_the_cut_off_that_holds_it(app: App) -> None:
    from regie.reports import agenda_formats, reproduce, voortgang_formats

    pack, report, earlier = _documents(app)
    assert SLIPPED in pack.decode() and ACCORD in pack.decode()
    assert EXPECTED in report.decode()
    _correct(app)
    # Made before the correction was recorded: made again as they were.
    for archived, content in zip(earlier, (pack, report), strict=True):
        again = reproduce(app, archived)
        assert again.matches and again.content == content

    pack, report, later = _documents(app)
    text = pack.decode()
    assert LATE in text and SLIPPED not in text and ACCORD not in text
    assert EXPECTED not in report.decode() and WITHDRAWN in report.decode()
    cuts = []
    for archived, content in zip(later, (pack, report), strict=True):
        again = reproduce(app, archived)  # at its data cut-off, which holds the correction
        assert again.matches and again.content == content
        assert again.recorded_until is not None
        cuts.append(again.recorded_until)
    # Made at that cut-off on request (`--recorded-until`): the same documents.
    [at_cut] = agenda_formats(
        app, "stuurgroep", MEETING, AS_OF, ("md",), archive=False, recorded_until=cuts[0]
    )
    assert at_cut.content == pack
    [at_cut] = voortgang_formats(app, *PERIOD, AS_OF, ("md",), archive=False,
                                 recorded_until=cuts[1])  # fmt: skip
    assert at_cut.content == report


def test_earlier_layouts_at_a_cut_off_count_the_corrected_update(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pack of layout 20 and a report of layout 19 were made before a correction replaced
    anything: made again at a cut-off holding the correction, they still say *verschoven*."""
    from governance import progress
    from regie import report_build
    from regie.report_build import AGENDA_CORRECTED_UPDATES_FROM
    from regie.reports import agenda_formats, voortgang_formats

    assert AGENDA_CORRECTED_UPDATES_FROM == 21 and progress.CORRECTED_UPDATES_FROM == 20
    _correct(app)
    _, _, (pack_id, report_id) = _documents(app)
    from regie.reports import reproduce

    pack_cut = reproduce(app, pack_id).recorded_until
    report_cut = reproduce(app, report_id).recorded_until
    with monkeypatch.context() as then:
        then.setattr(report_build, "AGENDA_LAYOUT", 20)
        [old] = agenda_formats(
            app, "stuurgroep", MEETING, AS_OF, ("md",), archive=False, recorded_until=pack_cut
        )
    # The correction is the latest update, the date it withdrew the forecast still.
    assert "| 30-11-2015 | 31-03-2016 | verschoven (nagekomen" in old.content.decode()
    assert ACCORD in old.content.decode()
    with monkeypatch.context() as then:
        then.setattr(progress, "LAYOUT", 19)
        [old] = voortgang_formats(app, *PERIOD, AS_OF, ("md",), archive=False,
                                  recorded_until=report_cut)  # fmt: skip
    assert EXPECTED in old.content.decode()
