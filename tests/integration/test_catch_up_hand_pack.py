"""Agenda layout 19's catch-up after a pack the office made by hand (review54 6), on the example
plan with 1.1.1 due on 6 July 2026. The stuurgroep meets on 9 July and 8 October 2026; the office
makes July's pack with ``regie report agenda`` as of 2 July (archived, never queued by Regie).
Between that pack and the meeting 1.1.1 is finished (6 July) and GGD reports 1.2 at risk (6
July). October's pack lists both, marked *nog niet in het vorige agendapakket*, and is made
again byte for byte from the archive (it read the hand-made pack, within its data cut-off).
Before, only a pack the meeting preparation sent counted, so neither was ever listed."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from regie.bootstrap import App
from tests.cli import ROOT
from tests.integration.layout_golden import made_at
from tests.integration.reports_scenario import migrated_app

EXAMPLE = ROOT / "docs" / "examples" / "eigen-programma.yaml"
JULY, OCTOBER = date(2026, 7, 9), date(2026, 10, 8)
JULY_PACK, OCTOBER_PACK = date(2026, 7, 2), date(2026, 10, 1)
CHANGED = date(2026, 7, 6)  # after July's pack, before its meeting
MARK = "(nog niet in het vorige agendapakket)"
INTRO = (
    "Ook opgenomen, gemarkeerd met „nog niet in het vorige agendapakket”: wat vóór die "
    "vergadering gebeurde of werd vastgelegd, maar nog niet in het agendapakket voor die "
    "vergadering stond (stand 2 juli 2026)."
)


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:
    from governance.answers import OFFICE, AnswerInput
    from regie.answers import check_answer, store_answers
    from regie.reports import agenda
    from store import sync_plan

    home = tmp_path / "home"
    home.mkdir()
    plan_file = home / "actions.yaml"
    shutil.copyfile(EXAMPLE, plan_file)
    text = plan_file.read_text(encoding="utf-8")
    assert text.count("gereed: Q3-2026") == 1
    plan_file.write_text(text.replace("gereed: Q3-2026", "gereed: 6 juli 2026"), encoding="utf-8")
    app = migrated_app(home, database_url)
    plan = app.load_plan()
    with app.session() as session, session.begin():  # fixed: the documents show no wall clock
        sync_plan(session, plan, now=datetime(2026, 6, 1, 9, tzinfo=UTC), plan_path=str(plan.path))
    made = agenda(app, "stuurgroep", JULY, JULY_PACK, "md")  # by hand, archived
    assert made.archive_id is not None
    noon = datetime.combine(CHANGED, time(12), UTC)
    answers = [
        AnswerInput("1.1.1", "done", None, CHANGED, None),
        AnswerInput("1.2", "at_risk", None, None, None),
    ]
    store_answers(app, plan, [
        replace(check_answer(plan, a, OFFICE, CHANGED), source="cli", recorded_at=noon)
        for a in answers
    ])  # fmt: skip
    return app


def _made(app: App, monkeypatch: pytest.MonkeyPatch, layout: int) -> str:
    """October's pack at ``layout``, archived and made again byte for byte."""
    from regie.reports import agenda

    return made_at(app, monkeypatch, "agenda", layout,
                   lambda: agenda(app, "stuurgroep", OCTOBER, OCTOBER_PACK, "md"))  # fmt: skip


def test_a_pack_made_by_hand_is_the_one_the_body_got(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    from regie.report_build import AGENDA_LAYOUT

    assert AGENDA_LAYOUT == 19
    new, old = _made(app, monkeypatch, 19), _made(app, monkeypatch, 18)
    assert INTRO in new
    assert f"| 1.1.1 | Locaties gekozen | gereed gekomen op 06-07-2026 {MARK} |" in new
    worse = new.split("**Wat is verslechterd**")[1].split("**Overige wijzigingen**")[0]
    assert f"| 1.2 | Gezondheidseffecten in beeld | risico gemeld op 06-07-2026 {MARK} |" in worse
    # Layout 18, as built: a pack made by hand was no pack, so neither is listed.
    assert MARK not in old and "gereed gekomen op 06-07-2026" not in old


def test_a_pack_the_meeting_preparation_sent_comes_before_one_made_by_hand() -> None:
    from regie.report_build import _shown_before
    from store.agenda_read import PacksRead

    made_at = datetime(2026, 7, 2, 7, tzinfo=UTC)
    hand_at = datetime(2026, 7, 3, 7, tzinfo=UTC)
    read = PacksRead(
        listed={JULY: (None, made_at)},
        not_counted={},
        questions={JULY: (None, 19, JULY_PACK, made_at)},
        by_hand={JULY: (date(2026, 7, 3), hand_at), OCTOBER: (OCTOBER_PACK, hand_at)},
    )
    held = {JULY, OCTOBER}
    found = _shown_before(read, OCTOBER, held)
    assert found is not None and (found.meeting, found.as_of, found.made_at) == (
        JULY, JULY_PACK, made_at,
    )  # fmt: skip
    assert not found.gone
    # Only earlier meetings; a meeting no longer held (moved) is marked gone.
    assert _shown_before(read, JULY, held) is None
    by_hand = replace(read, listed={}, questions={})
    later = _shown_before(by_hand, date(2027, 1, 14), {JULY, date(2026, 10, 15)})
    assert later is not None and later.meeting == OCTOBER and later.gone
    # Moved to 5 October, after the pack's day (1 October): the body had it there.
    moved = _shown_before(by_hand, date(2027, 1, 14), {JULY, date(2026, 10, 5)})
    assert moved is not None and moved.meeting == OCTOBER and moved.gone
    # Review54c 1: its meeting moved to before its day (the body never got it for a meeting),
    # moved later or cancelled (no meeting held after July until this one): July's counts.
    for held in ({JULY, date(2026, 9, 24)}, {JULY}):
        back = _shown_before(by_hand, date(2027, 1, 14), held)
        assert back is not None and back.meeting == JULY and not back.gone
