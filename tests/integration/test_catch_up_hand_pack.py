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
from tests.integration.mail_setup import Clock
from tests.integration.reports_scenario import migrated_app

EXAMPLE = ROOT / "docs" / "examples" / "eigen-programma.yaml"
JULY, OCTOBER = date(2026, 7, 9), date(2026, 10, 8)
JULY_PACK, OCTOBER_PACK = date(2026, 7, 2), date(2026, 10, 1)
CHANGED = date(2026, 7, 6)  # after July's pack, before its meeting
ZONE = "Europe/Amsterdam"  # the example plan's
MARK = "(nog niet in het vorige agendapakket)"
INTRO = (
    "Ook opgenomen, gemarkeerd met „nog niet in het vorige agendapakket”: wat vóór die "
    "vergadering gebeurde of werd vastgelegd, maar nog niet in het agendapakket voor die "
    "vergadering stond (stand 2 juli 2026)."
)


@pytest.fixture
def recorded(tmp_path: Path, database_url: str) -> App:
    """The example plan synced on 1 June 2026, 1.1.1 finished and 1.2 at risk on 6 July (noon),
    no pack made yet."""
    from governance.answers import OFFICE, AnswerInput
    from regie.answers import check_answer, store_answers
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


def _by_hand(app: App, clock: Clock, at: datetime, as_of: date) -> None:
    """July's pack made with `regie report agenda` as of ``as_of``, archived at ``at`` (Regie's
    clock pinned there), never queued; the clock then moves on to October's pack day."""
    from regie.reports import agenda

    clock.now = at
    made = agenda(app, "stuurgroep", JULY, as_of, "md")  # by hand, archived
    assert made.archive_id is not None
    clock.now = datetime.combine(OCTOBER_PACK, time(9), UTC)


@pytest.fixture
def app(recorded: App, sender_clock: Clock) -> App:
    """:func:`recorded` with July's pack made by hand on 2 July, as of that day."""
    _by_hand(recorded, sender_clock, datetime.combine(JULY_PACK, time(9), UTC), JULY_PACK)
    return recorded


def _made(app: App, monkeypatch: pytest.MonkeyPatch, layout: int) -> str:
    """October's pack at ``layout``, archived and made again byte for byte."""
    from regie.reports import agenda

    return made_at(app, monkeypatch, "agenda", layout,
                   lambda: agenda(app, "stuurgroep", OCTOBER, OCTOBER_PACK, "md"))  # fmt: skip


def test_a_pack_made_by_hand_is_the_one_the_body_got(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    new, old = _made(app, monkeypatch, 19), _made(app, monkeypatch, 18)
    assert INTRO in new
    assert f"| 1.1.1 | Locaties gekozen | gereed gekomen op 06-07-2026 {MARK} |" in new
    worse = new.split("**Wat is verslechterd**")[1].split("**Overige wijzigingen**")[0]
    assert f"| 1.2 | Gezondheidseffecten in beeld | risico gemeld op 06-07-2026 {MARK} |" in worse
    # Layout 18, as built: a pack made by hand was no pack, so neither is listed.
    assert MARK not in old and "gereed gekomen op 06-07-2026" not in old


def test_a_pack_the_meeting_preparation_sent_comes_before_one_made_by_hand() -> None:
    from regie.pack_earlier import shown_before
    from store.agenda_read import HandPack, PacksRead

    made_at = datetime(2026, 7, 2, 7, tzinfo=UTC)
    hand_at = datetime(2026, 7, 3, 7, tzinfo=UTC)
    read = PacksRead(
        listed={JULY: (None, made_at)},
        not_counted={},
        questions={JULY: (None, 19, JULY_PACK, made_at)},
        by_hand={
            JULY: (HandPack(date(2026, 7, 3), hand_at),),
            OCTOBER: (HandPack(OCTOBER_PACK, hand_at),),
        },
    )
    held = {JULY, OCTOBER}
    found = shown_before(read, OCTOBER, held, ZONE)
    assert found is not None and (found.meeting, found.as_of, found.made_at) == (
        JULY, JULY_PACK, made_at,
    )  # fmt: skip
    assert not found.gone
    # Only earlier meetings; a meeting no longer held (moved) is marked gone.
    assert shown_before(read, JULY, held, ZONE) is None
    by_hand = replace(read, listed={}, questions={})
    later = shown_before(by_hand, date(2027, 1, 14), {JULY, date(2026, 10, 15)}, ZONE)
    assert later is not None and later.meeting == OCTOBER and later.gone
    # Moved to 5 October, after the pack's day (1 October): the body had it there.
    moved = shown_before(by_hand, date(2027, 1, 14), {JULY, date(2026, 10, 5)}, ZONE)
    assert moved is not None and moved.meeting == OCTOBER and moved.gone
    # Review54c 1: its meeting moved to before its day (the body never got it for a meeting),
    # moved later or cancelled (no meeting held after July until this one): July's counts.
    for held in ({JULY, date(2026, 9, 24)}, {JULY}):
        back = shown_before(by_hand, date(2027, 1, 14), held, ZONE)
        assert back is not None and back.meeting == JULY and not back.gone


def test_a_pack_made_by_hand_counts_only_when_made_before_its_meetings_day() -> None:
    """Review54c 5, the rule alone: the last pack made for a meeting before its day (in the
    plan's zone, or the simulation's day kept with it) counts; a look back made on or after
    that day does not, and without one the window counts as if no pack went out."""
    from regie.pack_earlier import shown_before
    from store.agenda_read import HandPack, PacksRead

    before = HandPack(JULY_PACK, datetime(2026, 7, 2, 9, tzinfo=UTC))
    # 8 July 22:30 UTC is 9 July, the meeting's day, in Amsterdam: a look back already.
    late = HandPack(date(2026, 7, 8), datetime(2026, 7, 8, 22, 30, tzinfo=UTC))
    march = HandPack(date(2026, 7, 8), datetime(2027, 3, 1, 9, tzinfo=UTC))

    def shown(*made: HandPack) -> date | None:
        read = PacksRead(listed={}, not_counted={}, by_hand={JULY: made})
        found = shown_before(read, OCTOBER, {JULY, OCTOBER}, ZONE)
        return None if found is None else found.as_of

    assert shown(before) == JULY_PACK
    assert shown(before, march) == JULY_PACK  # the look back made in March is not it
    assert shown(before, late) == JULY_PACK
    assert shown(march) is None and shown(late) is None
    # In UTC 8 July 22:30 is still the day before the meeting.
    read = PacksRead(listed={}, not_counted={}, by_hand={JULY: (late,)})
    assert shown_before(read, OCTOBER, {JULY, OCTOBER}, "UTC") is not None
    # A simulation keeps its own day: archived in March by the wall clock, made on 8 July.
    assert shown(march._replace(made_on=date(2026, 7, 8))) == date(2026, 7, 8)
    assert shown(before._replace(made_on=JULY)) is None


def test_a_look_back_at_a_meeting_held_is_not_the_pack_the_body_got(
    recorded: App, sender_clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Review54c 5: in March 2027 the office looks back at July's pack (`regie report agenda
    --meeting 2026-07-09 --as-of 2026-07-02`), for a body no pack went out to. October's pack
    (made after it, so it reads it) does not take it as the body's pack: the window counts as
    if no pack went out. Before, it took it as the pack of 2 July and caught up from it, with
    data read in March."""
    _by_hand(recorded, sender_clock, datetime(2027, 3, 1, 9, tzinfo=UTC), JULY_PACK)
    sender_clock.now = datetime(2027, 3, 1, 10, tzinfo=UTC)
    new = _made(recorded, monkeypatch, 19)
    assert "Wat er is veranderd sinds de vorige vergadering (9 juli 2026)" in new
    assert INTRO not in new and MARK not in new
    assert "gereed gekomen op 06-07-2026" not in new  # before the meeting: as with no pack


def test_a_pack_made_before_the_meeting_counts_despite_a_later_look_back(
    app: App, sender_clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """July's pack made on 2 July, then looked at again on 20 July as of 8 July: the one made
    before the meeting is the body's (its day, 2 July, in the intro), not the later one."""
    _by_hand(app, sender_clock, datetime(2026, 7, 20, 9, tzinfo=UTC), date(2026, 7, 8))
    new = _made(app, monkeypatch, 19)
    assert INTRO in new
    assert f"| 1.1.1 | Locaties gekozen | gereed gekomen op 06-07-2026 {MARK} |" in new


@pytest.mark.parametrize(("simulated", "counts"), [(date(2026, 7, 8), True), (JULY, False)])
def test_in_a_simulation_a_pack_is_made_on_the_simulations_day(
    recorded: App, monkeypatch: pytest.MonkeyPatch, simulated: date, counts: bool
) -> None:
    """REGIE_SIMULATE: archiving stamps the wall clock (December 2026, after every meeting
    here), so the pack keeps the simulation's day (``made_on``, the last day `regie cycle
    --simulate` ran) and the rule reads that: made on 8 July it counts, on 9 July it does not."""
    from regie import services
    from regie.reports import agenda

    monkeypatch.setattr(recorded, "settings", replace(recorded.settings, simulate=True))
    monkeypatch.setattr(services, "simulated_day", lambda app, programme_id: simulated)
    made = agenda(recorded, "stuurgroep", JULY, JULY_PACK, "md")
    assert made.parameters["made_on"] == simulated.isoformat()
    new = _made(recorded, monkeypatch, 19)
    assert (INTRO in new) is counts
