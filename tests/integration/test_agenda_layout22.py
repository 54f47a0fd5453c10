"""Agenda layout 22 (fix57d), on the example plan (the stuurgroep meets on 9 July and 8 October
2026, 14 January 2027):

- *Vooruitblik* with a next meeting lists what is due before that meeting's day and says so:
  1.1.1, due on 8 October (the next meeting's day), is left out of July's pack and listed in
  October's own pack (its look ahead starts at its day). Layout 21 listed it in July's,
  *tot en met de dag van de volgende vergadering*.
- A decision recorded late after a pack the office made by hand says that it answered the
  question that pack asked, as after a pack the meeting preparation sent: July's pack goes out
  and October's is made by hand, both asking *Eigenaar van 1.2 aanspreken?*; a decision of the
  July meeting about 1.2 is recorded after October's pack. Layout 21 marked it in January's
  pack without saying what it answered.

Each pack is archived and made again byte for byte."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from regie.bootstrap import App
from tests.cli import ROOT
from tests.integration.layout_golden import made_at
from tests.integration.mail_setup import Clock, sender_clock
from tests.integration.reports_scenario import migrated_app

__all__ = ["sender_clock"]  # the fixture, used by name

EXAMPLE = ROOT / "docs" / "examples" / "eigen-programma.yaml"
JULY, OCTOBER, JANUARY = date(2026, 7, 9), date(2026, 10, 8), date(2027, 1, 14)
JULY_PACK, OCTOBER_PACK, JANUARY_PACK = date(2026, 7, 2), date(2026, 10, 1), date(2027, 1, 7)
TEXT = "Nagekomen: de GGD levert het advies per halfjaar."
ASKED = "Eigenaar van 1.2 aanspreken?"
MARK = "nog niet in het vorige agendapakket"
ANSWERED = f"{TEXT} ({MARK}; hiermee is de vraag over dit punt uit dat pakket beantwoord)"
BEFORE = (
    "Wat gereed moet zijn vóór de volgende vergadering (8 oktober 2026); wat op die dag zelf "
    "gereed moet zijn, komt in het agendapakket voor die vergadering:"
)
UNTIL = "Wat gereed moet zijn tot en met de dag van de volgende vergadering (8 oktober 2026):"


def _at(day: date) -> datetime:
    return datetime.combine(day, time(9), UTC)


@pytest.fixture
def example(tmp_path: Path, database_url: str, sender_clock: Clock) -> App:
    """The example plan with 1.1.1 due on 8 October 2026, synced on 1 June 2026 (Regie's clock
    pinned: the documents show no wall clock), 1.2 escalated on 22 June."""
    from governance.events import ESCALATION_RAISED
    from store import Repository, sync_plan
    from store.records import EventRecord

    home = tmp_path / "home"
    home.mkdir()
    plan_file = home / "actions.yaml"
    shutil.copyfile(EXAMPLE, plan_file)
    text = plan_file.read_text(encoding="utf-8")
    assert text.count("gereed: Q3-2026") == 1
    plan_file.write_text(text.replace("gereed: Q3-2026", "gereed: 8 oktober 2026"), "utf-8")
    app = migrated_app(home, database_url)
    plan = app.load_plan()
    sender_clock.now = _at(date(2026, 6, 1))
    with app.session() as session, session.begin():
        sync_plan(session, plan, now=sender_clock.now, plan_path=str(plan.path))
        Repository(session, plan.programme.id).record_events(
            [EventRecord(ESCALATION_RAISED, "1.2", date(2026, 6, 22), {}, "office")]
        )
    return app


def _ahead(text: str) -> str:
    return text.split("5. Vooruitblik")[1].split("## 6.")[0]


def test_the_look_ahead_ends_before_the_next_meeting_s_day_and_says_so(
    example: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    from regie.report_build import AGENDA_AHEAD_BEFORE_NEXT_FROM, AGENDA_LAYOUT
    from regie.reports import agenda

    assert AGENDA_LAYOUT >= AGENDA_AHEAD_BEFORE_NEXT_FROM == 22

    def july(layout: int) -> str:
        return made_at(example, monkeypatch, "agenda", layout,
                       lambda: agenda(example, "stuurgroep", JULY, JULY_PACK, "md"))  # fmt: skip

    old, new = july(21), july(22)
    assert UNTIL in old and "| 1.1.1 |" in _ahead(old)
    assert BEFORE in new and "| 1.1.1 |" not in _ahead(new)
    # October's own pack lists it: due on its meeting's day, not late yet.
    october = made_at(
        example, monkeypatch, "agenda", 22,
        lambda: agenda(example, "stuurgroep", OCTOBER, OCTOBER_PACK, "md"),
    )  # fmt: skip
    assert "| 1.1.1 |" in _ahead(october)


@pytest.fixture
def late_after_hand(example: App, sender_clock: Clock) -> App:
    """July's pack sent by the meeting preparation, October's made by hand on 1 October (never
    queued by Regie), both asking about 1.2; then, on 20 October, July's decision about 1.2."""
    from regie.decisions import add_decision
    from regie.prepare import prepare_meetings
    from regie.reports import agenda

    sender_clock.now = _at(JULY_PACK)
    assert prepare_meetings(example, JULY_PACK).packs
    sender_clock.now = _at(OCTOBER_PACK)
    hand = agenda(example, "stuurgroep", OCTOBER, OCTOBER_PACK, "md")
    assert hand.archive_id is not None and ASKED in hand.content.decode()
    assert "1.2" in hand.parameters["listed"]  # kept as a sent pack keeps it
    sender_clock.now = _at(date(2026, 10, 20))
    add_decision(example, "stuurgroep", JULY, TEXT, item_id="1.2")
    sender_clock.now = _at(JANUARY_PACK)
    return example


def test_a_late_decision_after_a_pack_made_by_hand_says_what_it_answered(
    late_after_hand: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    from regie.report_build import AGENDA_HAND_ASKED_FROM
    from regie.reports import agenda

    assert AGENDA_HAND_ASKED_FROM == 22
    app = late_after_hand

    def january(layout: int) -> str:
        return made_at(app, monkeypatch, "agenda", layout,
                       lambda: agenda(app, "stuurgroep", JANUARY, JANUARY_PACK, "md"))  # fmt: skip

    old, new = january(21), january(22)
    assert ASKED not in new and ASKED not in old
    assert ANSWERED in new
    # Layout 21, as built: marked, not said to answer anything.
    assert f"{TEXT} ({MARK}) |" in old and "beantwoord" not in old


def test_a_pack_made_by_hand_reads_what_it_put_to_the_body() -> None:
    """The body's latest pack made by hand comes with its *ter besluitvorming* from layout 22;
    a sent one's is read apart (``packs_listed``)."""
    from regie.pack_earlier import shown_before
    from store.agenda_read import HandPack, PacksRead

    hand_at = datetime(2026, 10, 1, 7, tzinfo=UTC)
    read = PacksRead(
        listed={}, not_counted={},
        by_hand={OCTOBER: (HandPack(OCTOBER_PACK, hand_at, None, frozenset({"1.2"})),)},
    )  # fmt: skip
    held = {JULY, OCTOBER, JANUARY}
    now = shown_before(read, JANUARY, held, "Europe/Amsterdam", hand_asked=True)
    then = shown_before(read, JANUARY, held, "Europe/Amsterdam")
    assert now is not None and now.meeting == OCTOBER and now.listed == frozenset({"1.2"})
    assert then is not None and then.listed is None
