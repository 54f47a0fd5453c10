"""cancel46: a meeting cancelled during its status round (walk33 2). The round goes to a
neighbour only when that meeting's own round would have started by the round's answer-by date;
a meeting weeks later gets a round of its own, so its pack rests on fresh answers. And the
notice of a cancelled meeting says what becomes of the pack already received (walk33 5). On the
second programme (Fietsroutes), SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from regie.bootstrap import App
from regie.cycle import send_reminders
from regie.meeting_notices import KIND, ROUND_KIND
from regie.prepare import pack_key, prepare_meetings
from regie.rounds import round_status
from store import Repository
from store.agenda_read import packs_sent
from store.models import OutboxRow
from tests.integration.answer_app import answers_app
from tests.integration.test_meeting_notices import DAYS, _plan
from tests.integration.test_meeting_notices_rounds import (
    _outbox,
    _round_plan,
    _slack,
    _with_round,
)


def _pack_text(app: App, meeting: str, contact: str = "anna") -> str:
    with app.session() as session:
        (pack,) = [
            m for m in Repository(session, "wegen-test").outbox()
            if m.key.startswith(f"agenda-pack:stuurgroep:{meeting}:{contact}")
        ]  # fmt: skip
    return " ".join(pack.body_text.split())


def test_the_meeting_weeks_after_a_cancelled_one_gets_a_round_of_its_own(
    migrated_url: str, tmp_path: Path
) -> None:
    """12 June is cancelled on 3 June, during its round (answers by 4 June). The next meeting,
    10 July, has its own round start on 26 June (ten working days before), long after 4 June:
    the round of 12 June prepares no meeting, and 10 July gets its round and a pack on it."""
    app, plan_file = _with_round(tmp_path, migrated_url)
    _round_plan(plan_file, DAYS[1:])
    cancelled = prepare_meetings(app, date(2025, 6, 3))
    assert cancelled.changed == [
        "stuurgroep 2025-06-12 cancelled",
        "stuurgroep round 1 (answers by 2025-06-04) now for no meeting, was 2025-06-12: 1 more "
        "asked owner told",
    ]
    says = (
        "De statusronde met antwoorden vóór 4 juni 2025 was voor de vergadering van 12 juni 2025 "
        "en hoort nu bij geen vergadering meer. Voor de vergadering van donderdag 10 juli "
        "2025 volgt een eigen statusronde. De datum voor antwoorden blijft 4 juni 2025."
    )
    assert says in " ".join(_outbox(app, KIND, "meeting-cancelled:")["carla"].split())
    assert says in " ".join(_outbox(app, ROUND_KIND)["wim"].split())
    assert says in " ".join(_slack(app, "meeting-cancelled:", "anna").split())
    assert prepare_meetings(app, date(2025, 6, 25)).rounds == []  # not yet due
    # layout13 (review46 1): a pack of 10 July of layout 12 ties the round of 12 June to it
    # (the nearer meeting, as built); layout 13 does not.
    from regie.reports import _agenda_pack

    for layout, asked_on in ((12, date(2025, 6, 2)), (13, None)):
        early, _ = _agenda_pack(
            app, "stuurgroep", date(2025, 7, 10), date(2025, 6, 25), layout=layout
        )
        found = early.status_round.asked_on if early.status_round else None
        assert found == asked_on, layout
    started = prepare_meetings(app, date(2025, 6, 26))
    assert started.rounds == ["stuurgroep 2025-07-10"]
    assert [(r["round"], r["meeting_on"]) for r in round_status(app, date(2025, 6, 26))] == [
        (1, None),
        (2, "2025-07-10"),
    ]
    # A run again asks nothing twice.
    assert prepare_meetings(app, date(2025, 6, 27)).rounds == []
    # The pack of 10 July (pack day 3 July) counts its own round, not the one of 12 June.
    assert prepare_meetings(app, date(2025, 7, 3)).packs
    pack = _pack_text(app, "2025-07-10")
    assert "Gevraagd op 26 juni 2025, antwoorden tot 3 juli 2025" in pack
    assert "Gevraagd op 2 juni 2025" not in pack


def test_a_meeting_whose_round_would_start_by_the_answer_by_date_takes_the_round_over(
    migrated_url: str, tmp_path: Path
) -> None:
    """12 June cancelled; the meeting on 19 June has its own round start on 4 June, the day the
    answers of 12 June's round are due: that round prepares it, and it gets none of its own."""
    days = ("2025-06-12", "2025-06-19", *DAYS[1:])
    app, plan_file = _with_round(tmp_path, migrated_url, days)
    _round_plan(plan_file, days[1:])
    moved = prepare_meetings(app, date(2025, 6, 3))
    assert moved.changed[-1] == (
        "stuurgroep round 1 (answers by 2025-06-04) now for 2025-06-19, was 2025-06-12: 1 more "
        "asked owner told"
    )
    assert moved.rounds == [] and prepare_meetings(app, date(2025, 6, 4)).rounds == []
    assert [(r["round"], r["meeting_on"]) for r in round_status(app, date(2025, 6, 4))] == [
        (1, "2025-06-19")
    ]


#: What the notice says of a received pack that asked for decisions, and of one that asked none
#: (follow46: no points to come back).
ASKED_SAYS = (
    "De agenda voor 12 juni 2025 heeft u al ontvangen; die vervalt met de vergadering: er "
    "wordt niet over besloten. De punten die daarop ter besluitvorming stonden, komen terug "
    "op de agenda van de volgende vergadering (donderdag 10 juli 2025) als ze dan nog een "
    "besluit vragen. Die agenda wordt opnieuw opgesteld, met de stand van dat moment, en u "
    "ontvangt hem zoals gebruikelijk vóór de vergadering."
)
NOTHING_ASKED_SAYS = (
    "De agenda voor 12 juni 2025 heeft u al ontvangen; die vervalt met de vergadering. De "
    "agenda van de volgende vergadering (donderdag 10 juli 2025) wordt opgesteld met de stand "
    "van dat moment, en u ontvangt hem zoals gebruikelijk vóór de vergadering."
)


def _cancel_plan(path: Path, days: tuple[str, ...], overdue: bool) -> Path:
    """The plan of :func:`_plan`; ``overdue``: milestone 1.1.1 due in Q1 2025, so that the pack
    for 12 June asks the body about it (due in Q2, the pack asks nothing)."""
    _plan(path, days)
    if overdue:
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("gereed: Q2-2025", "gereed: Q1-2025", 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("overdue", [True, False], ids=["asked", "nothing-asked"])
def test_a_cancelled_meeting_s_notice_says_what_becomes_of_the_pack_received(
    migrated_url: str, tmp_path: Path, overdue: bool
) -> None:
    """walk33 5: the pack for 12 June went out; 12 June is then cancelled. A member who received
    it reads that it lapses and that what it asked comes back on the next meeting's pack (10
    July) if still open, in the mail and on Slack; one whose pack never arrived reads nothing
    of it. A pack that asked no decision has nothing to come back: only that it lapses and that
    the next pack is made as usual (follow46)."""
    plan_file = _cancel_plan(tmp_path / "plan.yaml", DAYS, overdue)
    app = answers_app(migrated_url, tmp_path / "home", plan_file)
    assert prepare_meetings(app, date(2025, 6, 5)).packs
    with app.reading() as connection:  # what the pack put to the body, as its archive keeps it
        listed, _ = packs_sent(connection, "wegen-test", "stuurgroep").listed[date(2025, 6, 12)]
    assert listed == (frozenset({"1.1.1"}) if overdue else frozenset())
    with app.session() as session, session.begin():  # Carla's was given up on: never received
        session.execute(
            sa.update(OutboxRow)
            .where(OutboxRow.key == pack_key("stuurgroep", date(2025, 6, 12), "carla"))
            .values(status="dead")
        )
    assert not send_reminders(app).failed
    _cancel_plan(plan_file, DAYS[1:], overdue)
    assert prepare_meetings(app, date(2025, 6, 6)).changed == ["stuurgroep 2025-06-12 cancelled"]
    told = {k: " ".join(v.split()) for k, v in _outbox(app, KIND, "meeting-cancelled:").items()}
    says, other = (ASKED_SAYS, NOTHING_ASKED_SAYS) if overdue else (NOTHING_ASKED_SAYS, ASKED_SAYS)
    assert says in told["bram"] and says in told["office"]
    assert other not in told["bram"]
    assert "De agenda voor 12 juni 2025" not in told["carla"]
    assert says in " ".join(_slack(app, "meeting-cancelled:", "anna").split())
    with app.session() as session:
        (html,) = [
            m.body_html for m in Repository(session, "wegen-test").outbox()
            if m.kind == KIND and m.recipient == "bram"
        ]  # fmt: skip
    assert "die vervalt met de vergadering" in (html or "")
    assert ("ter besluitvorming stonden" in (html or "")) is overdue


def test_a_cancelled_last_meeting_s_notice_promises_no_next_agenda(
    migrated_url: str, tmp_path: Path
) -> None:
    """walk46 2: the body's last meeting (10 July) is cancelled after its pack went out: with no
    meeting left, the notice says so instead of promising the next meeting's agenda."""
    plan_file = _plan(tmp_path / "plan.yaml", DAYS[:2])
    app = answers_app(migrated_url, tmp_path / "home", plan_file)
    assert prepare_meetings(app, date(2025, 7, 3)).packs
    assert not send_reminders(app).failed
    _plan(plan_file, DAYS[:1])
    assert prepare_meetings(app, date(2025, 7, 4)).changed == ["stuurgroep 2025-07-10 cancelled"]
    told = " ".join(_outbox(app, KIND, "meeting-cancelled:")["bram"].split())
    assert (
        "De agenda voor 10 juli 2025 heeft u al ontvangen; die vervalt met de vergadering: er "
        "wordt niet over besloten. Er staat geen vergadering meer gepland; komt er een bij, dan "
        "staan de punten die daarop ter besluitvorming stonden op de agenda daarvan als ze dan "
        "nog een besluit vragen."
    ) in told
    assert "volgende vergadering" not in told
    assert "Er staat geen vergadering meer gepland" in _slack(app, "meeting-cancelled:", "anna")
