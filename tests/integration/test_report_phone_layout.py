"""Agenda layout 23 and progress layout 22 (walk58c 1, 5): the HTML pack, its annex and the
progress report have a meta viewport and share the narrow-screen rules
(``reports/templates/_phone.css.j2``), and their titles say dates in words; the layouts before
are made again as they were (no viewport, the annex without phone rules, ISO dates). Each is
archived and made again byte for byte (the browser test, test_agenda_phone_browser.py, shows
the pages reflow on a phone)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from regie.bootstrap import App
from tests.integration.layout_golden import made_at
from tests.integration.reports_scenario import AS_OF, MEETING, scenario_app

VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1">'
PHONE_RULES = "@media screen and (max-width: 40em)"
START, END = date(2015, 7, 1), date(2015, 12, 31)


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:
    return scenario_app(tmp_path / "home", database_url)


def _title(html: str) -> str:
    found = re.search(r"<title>(.*?)</title>", html)
    assert found is not None
    return found.group(1)


def test_the_pack_and_its_annex_have_a_viewport_and_the_date_in_words_from_layout_23(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    from regie import agenda_layouts, report_build
    from regie.reports import agenda, agenda_pack, render_agenda_annex

    def pack(layout: int) -> str:
        return made_at(app, monkeypatch, "agenda", layout,
                       lambda: agenda(app, "stuurgroep", MEETING, AS_OF, "html"))  # fmt: skip

    old, new = pack(22), pack(23)
    assert VIEWPORT not in old and VIEWPORT in new
    assert "<title>Agenda Stuurgroep Plan van aanpak MVI 2016-04-12</title>" in old
    assert "<title>Agenda Stuurgroep Plan van aanpak MVI 12 april 2016</title>" in new
    # The rules are the shared partial's, once: any table that is no card scrolls on its own.
    assert old.count(PHONE_RULES) == new.count(PHONE_RULES) == 1
    assert "table:not(.cards) { display: block; overflow-x: auto; }" in new
    built = agenda_pack(app, "stuurgroep", MEETING, AS_OF)
    annexes = {n: render_agenda_annex(built, n).decode() for n in (22, 23)}
    assert PHONE_RULES not in annexes[22] and VIEWPORT not in annexes[22]
    assert PHONE_RULES in annexes[23] and VIEWPORT in annexes[23]
    assert report_build.AGENDA_LAYOUT == agenda_layouts.AGENDA_PHONE_FROM == 23


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_the_progress_report_has_a_viewport_and_a_comma_before_its_period_from_layout_22(
    app: App, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    from governance import progress, progress_layouts
    from regie.reports import voortgang

    def report(layout: int) -> str:
        return made_at(app, monkeypatch, "voortgang", layout,
                       lambda: voortgang(app, START, END, AS_OF, fmt))  # fmt: skip

    old, new = report(21), report(22)
    assert progress.LAYOUT == progress_layouts.PHONE_FROM == 22
    if fmt == "md":  # the Markdown has no head: the same in both layouts
        assert old == new
        return
    assert VIEWPORT not in old and PHONE_RULES not in old
    assert VIEWPORT in new and new.count(PHONE_RULES) == 1
    period = "1 juli 2015 tot en met 31 december 2015"
    assert _title(old).endswith(f"uit te voeren benchmark {period}")  # run into the title
    assert _title(new).endswith(f"uit te voeren benchmark, {period}")
