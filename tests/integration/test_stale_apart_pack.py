"""Agenda layout 18 and progress layout 17 (words53), golden files in Markdown and HTML: the
stuurgroep's previous meeting (8 October 2026) came before Regie's first assessment (4 December
2026); 20 working days on, the ongoing item 2.2 nobody reported on is *verouderd* and makes step
2 amber. Layout 18 lists that as *Oranje door een verouderd punt, geen verslechtering* (2.2),
saying in the same line that the previous meeting predates the first assessment, and keeps the
risk reported since (1.1.2) under *verslechterd*; layout 17 said *Verslechterd …: Stap 2 … groen
→ oranje*. When Regie followed the plan before that meeting and 2.2 only since, the line says
that of 2.2 (review53 3: the last test). The progress report of layout 17 says in its reading
guide what *(verouderd)* means; layout 16 did not. The golden files of agenda layout 17 and
progress layout 16 were made by the code before words53 (main at 63f5c91); each layout is made
again byte for byte, archived and reproduced. ``REGIE_UPDATE_GOLDEN=1`` writes the current
layouts' files. The first assessed days are stored as the daily cycle stores them
(test_first_assessed_cycles.py runs the cycles)."""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from regie.bootstrap import App
from tests.cli import ROOT
from tests.integration.reports_scenario import migrated_app

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
UPDATE = os.environ.get("REGIE_UPDATE_GOLDEN") == "1"
EXAMPLE = ROOT / "docs" / "examples" / "eigen-programma.yaml"
FIRST = date(2026, 12, 4)  # Regie's first assessment, after the meeting of 8 October 2026
EARLY = date(2026, 9, 1)  # Regie followed the plan before that meeting (the last test only)
LATER = date(2027, 1, 5)  # 20 working days on: 2.2 (ongoing, never reported on) is verouderd
MEETING = date(2027, 1, 14)
PERIOD = (date(2026, 7, 1), date(2026, 12, 31))
RISK = date(2026, 12, 15)  # 1.1.2 reported at risk: a real deterioration since the meeting
LAYOUT_ONLY = pytest.mark.one_database("the documents' layout, from the md documents' SQL")
STALE = (
    "Oranje door een verouderd punt, geen verslechtering: Stap 2. Verminderen: groen → oranje "
    "(verouderd: 2.2)."
)
BEFORE = (
    "Regie beoordeelde het programma voor het eerst op 4 december 2026, na de vorige vergadering "
    "(8 oktober 2026), dus bij die vergadering kon dit punt nog niet verouderd zijn."
)
GUIDE = "Een punt is verouderd (zo gemarkeerd in de bijlage) als er 20 werkdagen geen"


def _app(tmp_path: Path, database_url: str, first: Callable[[str], date]) -> App:
    """The example plan synced, each item first assessed on ``first(code)`` (as the daily
    cycle stores it) and 1.1.2 reported at risk on RISK."""
    from governance.answers import OFFICE, AnswerInput
    from governance.assessment import assess
    from regie.answers import check_answer, store_answers
    from store import sync_plan
    from store.models_faults import ItemFirstAssessedRow

    home = tmp_path / "home"
    home.mkdir()
    shutil.copyfile(EXAMPLE, home / "actions.yaml")
    app = migrated_app(home, database_url)
    plan = app.load_plan()
    synced = datetime(2026, 12, 1, 9, tzinfo=UTC)  # fixed: the documents show no wall clock
    with app.session() as session, session.begin():
        sync_plan(session, plan, now=synced, plan_path=str(plan.path))
        session.execute(
            ItemFirstAssessedRow.__table__.insert(),
            [{"programme_id": plan.programme.id, "item_code": code, "as_of": first(code),
              "recorded_at": datetime.combine(first(code), time(6), UTC)}
             for code in assess(plan, [], FIRST).items],
        )  # fmt: skip
    answer = AnswerInput("1.1.2", "at_risk", date(2027, 6, 30), None, None)
    update = check_answer(plan, answer, OFFICE, RISK)
    at = datetime.combine(RISK, time(12), UTC)
    store_answers(app, plan, [replace(update, source="cli", recorded_at=at)])
    return app


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:
    return _app(tmp_path, database_url, lambda code: FIRST)


def _made(app: App, monkeypatch: pytest.MonkeyPatch, kind: str, layout: int, fmt: str) -> str:
    """The document at ``layout``, equal to its golden file and reproduced from the archive."""
    from governance import progress
    from regie import report_build
    from regie.reports import agenda, reproduce, voortgang

    with monkeypatch.context() as then:
        if kind == "agenda":
            then.setattr(report_build, "AGENDA_LAYOUT", layout)
            made = agenda(app, "stuurgroep", MEETING, LATER, fmt)
            name = f"agenda_stale_stuurgroep_{MEETING}_asof_{LATER}.layout{layout}.{fmt}"
        else:
            then.setattr(progress, "LAYOUT", layout)
            made = voortgang(app, *PERIOD, LATER, fmt)
            name = f"voortgang_stale_{PERIOD[0]}_{PERIOD[1]}_asof_{LATER}.layout{layout}.{fmt}"
    assert made.parameters["layout"] == layout
    if UPDATE and layout == (report_build.AGENDA_LAYOUT if kind == "agenda" else progress.LAYOUT):
        (GOLDEN / name).write_bytes(made.content)
    assert made.content == (GOLDEN / name).read_bytes(), name
    again = reproduce(app, made.archive_id or 0)
    assert again.matches and again.content == made.content
    return " ".join(made.content.decode().split())


@pytest.mark.parametrize("fmt", ["md", pytest.param("html", marks=LAYOUT_ONLY)])
def test_staleness_regie_could_not_see_is_not_said_to_be_worse(
    app: App, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    from governance.progress import LAYOUT
    from regie.report_build import AGENDA_LAYOUT

    assert (AGENDA_LAYOUT, LAYOUT) == (19, 17)
    new, old = (_made(app, monkeypatch, "agenda", n, fmt) for n in (18, 17))
    strong = "strong>" if fmt == "html" else "**"
    # The risk reported since stays a deterioration, at both layouts.
    for pack in (new, old):
        assert (
            "Verslechterd sinds de vorige vergadering: 1 nieuw risico of verschuiving gemeld"
            in pack
        )
        assert f"Wat is verslechterd{'</h4>' if fmt == 'html' else strong}" in pack
    # Layout 18: step 2's amber is 2.2's staleness alone, which 8 October could not show.
    assert f"{STALE} {BEFORE}" in new  # in het kort: the reason in the line itself
    end = "</h4>" if fmt == "html" else strong
    head = f"Oranje door een verouderd punt (geen verslechtering){end}"
    assert head in new and BEFORE in new.split(head)[1]  # and in part 3, under its heading
    assert "Wat er is veranderd sinds de vorige vergadering (8 oktober 2026), tot en met " \
           f"5 januari 2027.{'</p>' if fmt == 'html' else ' **Wat is'}" in new  # fmt: skip
    assert "Stap 2. Verminderen: groen → oranje" not in new.split(STALE)[0]
    assert "gemeld; Stap 2" not in new
    # Layout 17 (made again as built): step 2 listed as worse, no first assessment named.
    assert "gemeld; Stap 2. Verminderen: groen → oranje." in old
    assert "geen verslechtering" not in old and BEFORE not in old

    report, earlier = (_made(app, monkeypatch, "voortgang", n, fmt) for n in (17, 16))
    assert GUIDE in report and "(verouderd)" in report
    assert "Een punt is verouderd" not in earlier and "(verouderd)" in earlier


@LAYOUT_ONLY
def test_the_pdf_says_what_the_html_says(app: App) -> None:
    from pypdf import PdfReader

    from regie.reports import agenda, voortgang

    def text(pdf: bytes) -> str:
        pages = PdfReader(io.BytesIO(pdf)).pages
        return " ".join(" ".join(page.extract_text() for page in pages).split())

    pack = text(agenda(app, "stuurgroep", MEETING, LATER, "pdf", archive=False).content)
    assert STALE in pack and BEFORE in pack
    report = text(voortgang(app, *PERIOD, LATER, "pdf", archive=False).content)
    assert "Een punt is verouderd (zo gemarkeerd in de bijlage)" in report


@LAYOUT_ONLY
def test_an_item_followed_only_since_the_meeting_gives_its_reason_itself(
    tmp_path: Path, database_url: str
) -> None:
    """review53 3: Regie followed the plan before the previous meeting (8 October), 2.2 only
    since FIRST (as an item added to the plan since): the pack names no first assessment of the
    programme, and the line itself says why 2.2's staleness is no deterioration."""
    from regie.reports import agenda

    app = _app(tmp_path, database_url, lambda code: FIRST if code == "2.2" else EARLY)
    made = agenda(app, "stuurgroep", MEETING, LATER, "md", archive=False).content.decode()
    why = (
        "Regie is dit punt pas na de vorige vergadering (8 oktober 2026) gaan volgen, dus bij die "
        "vergadering kon het nog niet verouderd zijn."
    )
    assert f"{STALE} {why}" in made.splitlines()
    assert "**Oranje door een verouderd punt (geen verslechtering)**" in made.splitlines()
    assert made.count(why) == 2 and "voor het eerst" not in made
