"""The reports read the first days real cycles stored (review51 4): a cycle on day D and a
simulated one 20 working days later, with an item added to the plan file in between. From
agenda layout 17 and progress layout 16 on, an item's silence counts from the day Regie first
assessed it, read from ``item_first_assessed``: the long-silent ongoing item 2.2 is
*verouderd*, the added item 2.3 is not. The same data at the older layouts (agenda 16,
progress 15) shows the old rule's flags (2.3 too, silent since the programme's start); every
archived document is made again as built (``reproduce``). Agenda 18 and progress 17 (words53)
say what that staleness is: not *verslechterd* since a meeting before the first cycle, and
what *(verouderd)* means. SQLite and PostgreSQL, with the example plan of
docs/new-programme.md (the scenario of test_first_assessed.py)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import sqlalchemy as sa

from regie.bootstrap import App
from tests.cli import ROOT
from tests.cli_in_process import regie
from tests.integration.reports_scenario import cli_env, migrated_app

if TYPE_CHECKING:
    from regie.reports import Rendered

EXAMPLE = ROOT / "docs" / "examples" / "eigen-programma.yaml"
FIRST = date(2026, 12, 4)  # D, a Friday: the first cycle
LATER = date(2027, 1, 5)  # D + 20 working days (NL holidays): the stale limit from D
MEETING = date(2027, 1, 14)  # the stuurgroep's next meeting (2nd Thursday of the quarter)
PERIOD = (date(2026, 7, 1), date(2026, 12, 31))
ADDED = """      - id: "2.3"
        title: Voorlichting over luchtkwaliteit
        owners: [GGD]
        gereed: doorlopend
"""
#: The items both rules call *verouderd* on LATER: silent since before D (1.1.1 overdue).
SILENT = {"1.1.1", "2.2"}


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:
    home = tmp_path / "home"
    home.mkdir()
    shutil.copyfile(EXAMPLE, home / "actions.yaml")  # migrated_app's plan name
    return migrated_app(home, database_url)


def _synced_on(app: App, day: date) -> None:
    """The plan file stored as synced on ``day`` (06:00 UTC), before that day's cycle, which
    then finds it unchanged: with the wall clock, a run after LATER would store a revision
    later than the reports' day, which would not show it."""
    from datetime import UTC, datetime, time

    from store import sync_plan

    plan = app.load_plan()
    with app.session() as session, session.begin():
        sync_plan(session, plan, now=datetime.combine(day, time(6), UTC), plan_path=str(plan.path))


def _cycle(app: App, day: date, *flags: str) -> None:
    done = regie(
        "cycle", *flags, "--no-send", "--as-of", day.isoformat(),
        env=cli_env(app) | {"PREFECT_API_URL": ""},
    )  # fmt: skip
    assert done.code == 0, done.out + done.err


def _another_programme(app: App) -> None:
    """Another programme in the same database whose 1.1.1 and 2.2 were first assessed on
    LATER: read as this programme's days, they would hide both items' silence (its id sorts
    after this one's, and its rows are written last, so they would win)."""
    from datetime import UTC, datetime

    from store.models import ProgrammeRow
    from store.models_faults import ItemFirstAssessedRow

    at = datetime.now(UTC)
    with app.session() as session, session.begin():
        session.add(ProgrammeRow(id="zz-ander", title="Ander", created_at=at, updated_at=at))
        session.flush()
        session.execute(
            ItemFirstAssessedRow.__table__.insert(),
            [{"programme_id": "zz-ander", "item_code": code, "as_of": LATER, "recorded_at": at}
             for code in SILENT],
        )  # fmt: skip


def _stale_rows(text: str) -> set[str]:
    """The codes of the table rows that say *(verouderd)*."""
    rows = (line.split("|") for line in text.splitlines() if line.startswith("| "))
    return {cells[1].strip() for cells in rows if "(verouderd)" in "|".join(cells)}


def _made_again(app: App, made: Rendered) -> str:
    """The archived document's text; ``reproduce`` makes the same bytes at its layout."""
    from regie.reports import reproduce

    assert made.archive_id is not None
    again = reproduce(app, made.archive_id)
    assert again.matches and again.content == made.content
    return made.content.decode()


def _agenda(app: App, monkeypatch: pytest.MonkeyPatch, layout: int, as_of: date) -> str:
    from regie import report_build
    from regie.reports import agenda

    with monkeypatch.context() as then:
        then.setattr(report_build, "AGENDA_LAYOUT", layout)
        made = agenda(app, "stuurgroep", MEETING, as_of, "md")
    assert made.parameters["layout"] == layout
    return _made_again(app, made)


def _progress(app: App, monkeypatch: pytest.MonkeyPatch, layout: int, as_of: date) -> str:
    from governance import progress
    from regie.reports import voortgang

    with monkeypatch.context() as then:
        then.setattr(progress, "LAYOUT", layout)
        made = voortgang(app, *PERIOD, as_of, "md")
    assert made.parameters["layout"] == layout
    return _made_again(app, made)


def test_reports_count_silence_from_the_first_days_the_cycles_stored(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    from governance.progress import LAYOUT
    from governance.workdays import WorkCalendar
    from regie.report_build import AGENDA_LAYOUT
    from store.first_assessed import first_assessed_days
    from store.models import PlanRevisionRow

    # A new layout: say here what it changes. Agenda 18 and progress 17 (words53): wording only.
    # Progress 18 (walk54 1): a ratified plan-file edit's wording only. Agenda 19 (walk54,
    # walk54b): an undated item at risk asked for its date, what the previous pack could not
    # show, a removal's weight, an unratified date's promise, wording; none of it changes the
    # stale clock or this scenario's packs. Agenda 20 and progress 19 (note54): a count of one
    # in the singular, wording only. Agenda 21 (walk56a 6): replayed escalations left out of
    # *onbeantwoord*, a sentence for a decision list from before the previous meeting; neither
    # is in this scenario (no replay, every meeting's pack). Agenda 21 (walk56d 2, 4, 9, 10): a
    # decision recorded late listed, wording; not the stale clock. Progress 20 (walk56e 1,
    # walk56d 8): an idem row's promise, a Reden cell's full stop; not the stale clock either.
    # Agenda 22 (fix57d): *Vooruitblik* before the next meeting's day, a late decision after a
    # pack made by hand says what it answered; not the stale clock. Agenda 22 and progress 21
    # (fix57a): an item a later meeting's decision added is left out of an earlier day's plan,
    # a correction applied to the latest pack's data; no decision adds an item here, nor
    # corrects an update.
    # Agenda 22 (walk57a 1, 3): a pack made by hand counts for the decision list, a lapsed
    # forecast is *nieuw te laat*; neither is the stale clock.
    # Progress 21 (fix57h): the Reden's slip note, notes as written, the Kamer's words.
    # Agenda 23 and progress 22 (walk58c 1, 5): the HTML's viewport, narrow-screen rules and
    # title; progress 22 (walk58b 2, 5): the plan edits of its stand date, one date style;
    # agenda 23 (walk58a 4, 5): an escalated point's reason says when it was escalated, a
    # contact change counts by the moment it was recorded; none is the stale clock.
    assert (AGENDA_LAYOUT, LAYOUT) == (23, 22)
    plan = app.load_plan()
    calendar = WorkCalendar.for_plan(plan)
    assert calendar.add_working_days(FIRST, plan.reminders.stale_after_days) == LATER
    added_on = calendar.add_working_days(FIRST, 5)
    _synced_on(app, FIRST)
    _cycle(app, FIRST)
    plan_file = app.settings.plan_path
    plan_file.write_text(plan_file.read_text(encoding="utf-8") + ADDED, encoding="utf-8")
    _synced_on(app, added_on)
    _cycle(app, added_on, "--simulate")  # 2.3 first assessed on its first cycle
    _cycle(app, LATER, "--simulate")
    with app.session() as session:
        days = first_assessed_days(session, plan.programme.id)
        synced = session.scalars(sa.select(PlanRevisionRow.recorded_at.distinct())).all()
    assert days.pop("2.3") == added_on and set(days.values()) == {FIRST}
    # The cycles found the plan as synced: no revision at the wall clock's time.
    assert {at.date() for at in synced} == {FIRST, added_on}
    _another_programme(app)

    agenda, old_agenda = (_agenda(app, monkeypatch, n, LATER) for n in (17, 16))
    progress, old_progress = (_progress(app, monkeypatch, n, LATER) for n in (16, 15))
    for new, old in ((agenda, old_agenda), (progress, old_progress)):
        assert _stale_rows(new) == SILENT  # 2.3, added after D, is not
        assert _stale_rows(old) == SILENT | {"2.3"}  # the old rule: silent since the start
    assert (
        "| 2.3 | Voorlichting over luchtkwaliteit | GGD Voorbeeldregio | doorlopend | — | — "
        "| doorlopend | groen |" in progress
    )
    assert "geteld vanaf de eerste dag dat Regie het punt volgde" in agenda
    assert "geteld vanaf" not in old_agenda
    # Agenda 18 (words53): step 2 is amber by 2.2's staleness alone, which the previous meeting
    # (8 October, before the first cycle) could not show: not said to be worse; 17 said it was.
    current = _agenda(app, monkeypatch, 18, LATER)
    assert _stale_rows(current) == SILENT
    assert "Oranje door een verouderd punt, geen verslechtering: Stap 2. Verminderen: groen " \
           "→ oranje (verouderd: 2.2). Regie beoordeelde het programma voor het eerst op " \
           "4 december 2026, na de vorige vergadering (8 oktober 2026)" in current  # fmt: skip
    assert "Verslechterd" not in current
    assert (
        "Verslechterd sinds de vorige vergadering: Stap 2. Verminderen: groen → oranje." in agenda
    )
    # Progress 17 (words53): the reading guide says what (verouderd) means; 16 did not.
    guide = "Een punt is verouderd (zo gemarkeerd in de bijlage) als er 20 werkdagen"
    assert guide in _progress(app, monkeypatch, 17, LATER) and guide not in progress

    # The working day before the limit: nothing is verouderd yet by the stored days (a wrong
    # gate or another day read shows here), while the old rule flags all three.
    eve = calendar.add_working_days(FIRST, plan.reminders.stale_after_days - 1)
    assert _stale_rows(_agenda(app, monkeypatch, 18, eve)) == set()
    assert _stale_rows(_agenda(app, monkeypatch, 17, eve)) == set()
    assert _stale_rows(_progress(app, monkeypatch, 16, eve)) == set()
    assert _stale_rows(_agenda(app, monkeypatch, 16, eve)) == SILENT | {"2.3"}
    assert _stale_rows(_progress(app, monkeypatch, 15, eve)) == SILENT | {"2.3"}
