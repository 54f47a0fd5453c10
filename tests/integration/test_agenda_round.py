"""The agenda pack's *Statusronde* (layout 8, walk29 7): how the status round before the meeting
went — asked, answered, the items without an answer — read within the pack's data cut-off, so a
rebuild says the same; no round, no section; a pack of layout 7 is made again without it."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest

from governance.answers import Answerer, AnswerInput
from regie.answers import record_answer
from regie.bootstrap import App
from regie.reports import add_meeting, agenda, reproduce
from regie.rounds import run_round_day
from reports.plain_text import markdown_to_text
from tests.integration.link_setup import link_app

SECTION_ONLY = pytest.mark.one_database(
    "the pack's round section, from SQL this file's other PostgreSQL tests run"
)

START = date(2025, 6, 2)  # a Monday
ANSWER_BY = date(2025, 6, 13)
MEETING = date(2025, 6, 17)
DURING = date(2025, 6, 10)  # the round still runs


@pytest.fixture
def app(migrated_url: str, tmp_path: Path) -> App:
    app = link_app(migrated_url, tmp_path)
    add_meeting(app, "stuurgroep", MEETING, None, None, None)
    return app


def _answer(app: App, item: str, by: str, day: date) -> None:
    record_answer(app, AnswerInput(item, "on_track"), Answerer(by, by), channel="web", as_of=day)


def _round(app: App) -> None:
    """A round for the meeting (four items asked); Carla (PROV) answers for 1.2 and 2.1."""
    run_round_day(app, START, body="stuurgroep", answer_by=ANSWER_BY)
    for item in ("1.2", "2.1"):
        _answer(app, item, "carla", date(2025, 6, 5))


def _md(app: App, as_of: date, *, archive: bool = False) -> str:
    return agenda(app, "stuurgroep", MEETING, as_of, "md", archive=archive).content.decode()


@SECTION_ONLY
def test_a_pack_after_the_round_says_how_it_went(app: App) -> None:
    _round(app)
    run_round_day(app, ANSWER_BY)  # closes it: the office's summary
    md = _md(app, ANSWER_BY)
    section = md[md.index("## Statusronde") : md.index("## 1. Opening")]
    assert section == (
        "## Statusronde\n\n"
        "Gevraagd op 2 juni 2025, antwoorden tot 13 juni 2025: 2 van de 4 punten beantwoord.\n\n"
        "Geen antwoord ontvangen op:\n\n"
        "- 1.1.1 Knelpuntenkaart (Gemeente Rivierstad)\n"
        "- 1.1.2 Prioriteiten (Gemeente Rivierstad)\n\n"
    )
    assert md.index("## In het kort") < md.index("## Statusronde")
    html = agenda(app, "stuurgroep", MEETING, ANSWER_BY, "html", archive=False).content.decode()
    assert '<h2 id="ronde">Statusronde</h2>' in html
    assert "antwoorden tot 13 juni 2025: 2 van de 4 punten beantwoord." in html
    assert "<li>1.1.2 Prioriteiten <small>(Gemeente Rivierstad)</small></li>" in html


@SECTION_ONLY
def test_a_round_still_open_says_so(app: App) -> None:
    _round(app)
    md = _md(app, DURING)
    assert (
        "Gevraagd op 2 juni 2025, de ronde loopt nog tot 13 juni 2025: tot nu toe 2 van de 4"
        " punten beantwoord.\n\nNog geen antwoord op:\n"
    ) in md


@SECTION_ONLY
def test_no_round_no_section(app: App) -> None:
    md = _md(app, ANSWER_BY)
    assert "Statusronde" not in md and "Geen antwoord" not in md
    html = agenda(app, "stuurgroep", MEETING, ANSWER_BY, "html", archive=False).content.decode()
    assert "Statusronde" not in html


@SECTION_ONLY
def test_a_round_of_an_earlier_meeting_is_not_this_ones(app: App) -> None:
    """A round whose answers were due by an earlier meeting prepared that one."""
    add_meeting(app, "stuurgroep", date(2025, 6, 12), None, None, None)
    _round(app)  # answers by 13 June: for the meeting of the 17th, not the 12th
    earlier = agenda(app, "stuurgroep", date(2025, 6, 12), DURING, "md", archive=False)
    assert "## Statusronde" not in earlier.content.decode()
    assert "## Statusronde" in _md(app, DURING)


def test_answers_and_closing_after_the_cut_off_do_not_change_a_rebuild(app: App) -> None:
    _round(app)
    made = agenda(app, "stuurgroep", MEETING, DURING, "md")
    # Later: an answer reported on the pack's day, then the round closes.
    _answer(app, "1.1.1", "anna", DURING)
    run_round_day(app, ANSWER_BY)
    assert "tot nu toe 3 van de 4 punten" in _md(app, DURING)  # a fresh pack counts it
    again = reproduce(app, made.archive_id or 0)
    assert again.matches, "the archived pack is not made again byte for byte"
    assert "tot nu toe 2 van de 4 punten" in again.content.decode()


@SECTION_ONLY
def test_a_round_started_after_the_last_update_is_in_the_cut_off(app: App) -> None:
    """The round's own records count for the cut-off: a rebuild still finds it."""
    run_round_day(app, START, body="stuurgroep", answer_by=ANSWER_BY)
    made = agenda(app, "stuurgroep", MEETING, DURING, "md")
    assert "tot nu toe 0 van de 4 punten" in made.content.decode()
    assert reproduce(app, made.archive_id or 0).matches


@SECTION_ONLY
def test_a_pack_of_layout_7_is_made_again_without_the_section(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    from regie import report_build

    _round(app)
    with monkeypatch.context() as then:
        then.setattr(report_build, "AGENDA_LAYOUT", 7)  # where the pack and its parameters read it
        made = agenda(app, "stuurgroep", MEETING, DURING, "md")
    assert made.parameters["layout"] == 7
    assert "Statusronde" not in made.content.decode()
    again = reproduce(app, made.archive_id or 0)
    assert again.matches and "Statusronde" not in again.content.decode()
    assert "## Statusronde" in _md(app, DURING)  # today's layout has it


@SECTION_ONLY
def test_the_section_in_plain_text_and_word(app: App) -> None:
    """The formats made from the md and html pack carry it too (the mail's text part, Word)."""
    _round(app)
    text = markdown_to_text(_md(app, DURING))
    assert (
        "Statusronde\n-----------\n" in text and "1.1.2 Prioriteiten (Gemeente Rivierstad)" in text
    )
    made = agenda(app, "stuurgroep", MEETING, DURING, "docx", archive=False).content
    document = zipfile.ZipFile(io.BytesIO(made)).read("word/document.xml").decode()
    assert "Statusronde" in document and "Nog geen antwoord op:" in document


@SECTION_ONLY
def test_two_rounds_before_one_meeting_are_counted_as_one(app: App) -> None:
    """A round for everyone, then one for some owners only: the pack counts every item asked,
    not just the later round's (review7 2)."""
    from regie.rounds import start_round

    _round(app)
    start_round(app, "stuurgroep", date(2025, 6, 12), "owner:PROV", date(2025, 6, 4))
    md = _md(app, DURING)
    assert (
        "Gevraagd op 2 juni 2025, de ronde loopt nog tot 13 juni 2025: tot nu toe 2 van de 4"
        " punten beantwoord."
    ) in md
    assert (
        "- 1.1.1 Knelpuntenkaart (Gemeente Rivierstad)\n"
        "- 1.1.2 Prioriteiten (Gemeente Rivierstad)\n"
    ) in md


@SECTION_ONLY
def test_the_pack_counts_as_the_rounds_summary_did(app: App) -> None:
    """An answer reported on the closing day but recorded after the summary is not the round's,
    in the pack as in `regie round status` (review7 4)."""
    from regie.rounds import round_status

    _round(app)
    run_round_day(app, ANSWER_BY)  # closes it: the office's summary
    _answer(app, "1.1.1", "anna", ANSWER_BY)  # later that day
    md = _md(app, ANSWER_BY)
    (status,) = round_status(app, ANSWER_BY)
    assert (status["items"], status["answered"]) == (4, 2)
    assert "antwoorden tot 13 juni 2025: 2 van de 4 punten beantwoord." in md
    unanswered = [f"- {u['id']} {u['title']} ({', '.join(u['owner_names'])})"
                  for u in status["without_answer"]]  # fmt: skip
    assert "\n".join(unanswered) + "\n" in md


WEEKLY = date(2025, 6, 10)  # a meeting the week before MEETING: the body meets weekly


def _prepared_weekly(app: App) -> tuple[date, date]:
    """The daily meeting preparation (rounds started, chased, closed) for meetings on 10 and 17
    June; the two rounds' answer-by days (the meetings' pack days)."""
    from governance.workdays import WorkCalendar
    from regie.prepare import meeting_day

    add_meeting(app, "stuurgroep", WEEKLY, None, None, None)
    calendar = WorkCalendar.for_plan(app.load_plan())
    first, second = (calendar.add_working_days(on, -5) for on in (WEEKLY, MEETING))
    assert second == WEEKLY  # the next meeting's pack day is this meeting's day
    day = date(2025, 5, 19)
    while day <= WEEKLY:
        meeting_day(app, day)
        day += timedelta(days=1)
    return first, second


@SECTION_ONLY
def test_a_weekly_body_s_rounds_name_and_count_their_own_meeting(app: App) -> None:
    """The round started for the meeting of the 17th asks for answers by the 10th, the day of
    the meeting before: its mails name the 17th, and each meeting's pack counts its own round
    (review7 1; before, the answer-by date tied both rounds to the 10th)."""
    from store import Repository

    first, second = _prepared_weekly(app)
    with app.session() as session:
        outbox = Repository(session, "wegen-test").outbox()
    named = {(m.kind, m.payload["answer_by"], m.payload["meeting_on"]) for m in outbox
             if m.kind.startswith("round_")}  # fmt: skip
    assert {(b, on) for _, b, on in named} == {
        (first.isoformat(), WEEKLY.isoformat()), (second.isoformat(), MEETING.isoformat()),
    }  # fmt: skip
    assert ("round_summary", second.isoformat(), MEETING.isoformat()) in named
    request = next(m for m in outbox if m.kind == "round_request" and
                   m.payload["answer_by"] == second.isoformat())  # fmt: skip
    assert "Voor de vergadering van 17 juni 2025" in request.body_text
    on_tenth = agenda(app, "stuurgroep", WEEKLY, date(2025, 6, 5), "md", archive=False)
    assert "antwoorden tot 2 juni 2025: 0 van de 4 punten beantwoord." in (
        on_tenth.content.decode()
    )
    seventeenth = _md(app, WEEKLY)
    assert (
        "Gevraagd op 2 juni 2025, antwoorden tot 10 juni 2025: 0 van de 4 punten beantwoord."
    ) in seventeenth


@SECTION_ONLY
def test_a_close_recorded_after_the_pack_without_a_summary_does_not_change_a_rebuild(
    migrated_url: str, tmp_path: Path
) -> None:
    """A plan without a programme office contact: the round closes without a summary mail, so
    the outbox has no closing instant. Closed later for its answer-by day (a missed daily run
    caught up), it still reads as open in a rebuild of a pack made before (review7 6)."""
    from store import Repository
    from tests.integration.answer_app import ANSWERS_PLAN

    plan = tmp_path / "plan.yaml"
    text = ANSWERS_PLAN.read_text(encoding="utf-8")
    plan.write_text(text.replace("    programme_office: true\n", ""), encoding="utf-8")
    app = link_app(migrated_url, tmp_path / "home", plan)
    add_meeting(app, "stuurgroep", MEETING, None, None, None)
    _round(app)
    late = date(2025, 6, 16)  # the round's close was missed
    _answer(app, "1.1.1", "anna", late)
    made = agenda(app, "stuurgroep", MEETING, late, "md")
    assert "antwoorden tot 13 juni 2025: 3 van de 4 punten beantwoord." in made.content.decode()
    (closed,) = run_round_day(app, ANSWER_BY)["rounds"]  # run for the day it was due
    assert closed["closed"] and closed["queued"] == 0
    with app.session() as session:
        assert not [m for m in Repository(session, "wegen-test").outbox() if ":summary" in m.key]
    assert "2 van de 4 punten" in _md(app, late)  # a fresh pack counts up to its close
    again = reproduce(app, made.archive_id or 0)
    assert again.matches, "the archived pack is not made again byte for byte"


def _moved_meeting(
    migrated_url: str, tmp_path: Path, old: date, new: date, moved_on: date, until: date
) -> tuple[App, list[tuple[date, date | None]], list[str]]:
    """The second programme whose stuurgroep meets on ``old`` and 10 July 2025, ``old`` moved
    to ``new`` in the plan on ``moved_on``; the daily meeting preparation run from 19 May up to
    ``until``. The rounds (answer-by, meeting recorded) and the round requests' recipients."""
    from regie.prepare import meeting_day
    from store import Repository
    from store.answers import rounds
    from tests.integration.answer_app import ANSWERS_PLAN

    plan = tmp_path / "plan.yaml"
    schedule = "    members: [GEM, PROV]\n    meetings:\n      dates: [{}, 2025-07-10]\n"
    text = ANSWERS_PLAN.read_text(encoding="utf-8")

    def meets_on(day: date) -> None:
        plan.write_text(
            text.replace("    members: [GEM, PROV]\n", schedule.format(day.isoformat())),
            encoding="utf-8",
        )

    meets_on(old)
    app = link_app(migrated_url, tmp_path / "home", plan)
    day = date(2025, 5, 19)
    while day <= until:
        if day == moved_on:
            meets_on(new)
        meeting_day(app, day)
        day += timedelta(days=1)
    with app.session() as session:
        found = [(r.answer_by, r.meeting_on) for r in rounds(session, "wegen-test")]
        outbox = Repository(session, "wegen-test").outbox()
    return app, found, [m.recipient for m in outbox if m.kind == "round_request"]


def test_a_moved_meeting_keeps_the_round_started_for_it(migrated_url: str, tmp_path: Path) -> None:
    """Task round33 3: the plan's meeting of 12 June moved to 19 June after its round started
    (answers by its old pack day). The daily preparation starts no second round for the new pack
    day, neither while the first is open nor after it closed: its contacts are asked once, and
    the next meeting (10 July) still gets its own round."""
    from governance.planfile.load import load_plan
    from governance.workdays import WorkCalendar
    from tests.integration.answer_app import ANSWERS_PLAN

    calendar = WorkCalendar.for_plan(load_plan(ANSWERS_PLAN))
    old, new, following = date(2025, 6, 12), date(2025, 6, 19), date(2025, 7, 10)
    old_pack, new_pack = (calendar.add_working_days(on, -5) for on in (old, new))
    moved_on = date(2025, 6, 2)
    # The new round would be due while the old one runs, and after it closed.
    assert moved_on <= calendar.add_working_days(new, -10) <= old_pack < new_pack
    app, found, requests = _moved_meeting(
        migrated_url, tmp_path, old, new, moved_on, calendar.add_working_days(following, -9)
    )
    assert found == [(old_pack, old), (calendar.add_working_days(following, -5), following)]
    assert sorted(requests) == sorted([*set(requests)] * 2), requests  # once per round
    # The moved meeting's pack counts the one round (started before the move).
    pack = agenda(app, "stuurgroep", new, new_pack, "md", archive=False).content.decode()
    assert f"antwoorden tot {old_pack.day} juni 2025: 0 van de 4 punten beantwoord." in pack


@SECTION_ONLY
def test_a_meeting_moved_earlier_leaves_the_next_meeting_its_round(
    migrated_url: str, tmp_path: Path
) -> None:
    """The round for 19 June, once the meeting moved to 17 June, is tied to the next meeting
    (10 July) by the rule of the rounds' mails; its answers were due before 17 June, so it is
    not that meeting's round: 10 July still gets one."""
    from governance.planfile.load import load_plan
    from governance.workdays import WorkCalendar
    from tests.integration.answer_app import ANSWERS_PLAN

    calendar = WorkCalendar.for_plan(load_plan(ANSWERS_PLAN))
    old, following = date(2025, 6, 19), date(2025, 7, 10)
    _, found, _ = _moved_meeting(
        migrated_url, tmp_path, old, date(2025, 6, 17), date(2025, 6, 11),
        calendar.add_working_days(following, -9),
    )  # fmt: skip
    assert found == [
        (calendar.add_working_days(old, -5), old),
        (calendar.add_working_days(following, -5), following),
    ]


# On both databases: a stored round prepares the moved meeting, its contacts asked once.
def test_a_meeting_moved_earlier_before_its_new_pack_day_keeps_its_round(
    migrated_url: str, tmp_path: Path
) -> None:
    """review10a 3: the 19 June meeting moved to 17 June on 6 June, its new pack day still
    ahead. The round started for 19 June prepares 17 June (no second round, contacts asked
    once, the pack counts it, ``round status`` names it), and 10 July still gets its own."""
    from governance.planfile.load import load_plan
    from governance.workdays import WorkCalendar
    from regie.rounds import round_status
    from tests.integration.answer_app import ANSWERS_PLAN

    calendar = WorkCalendar.for_plan(load_plan(ANSWERS_PLAN))
    old, new, following = date(2025, 6, 19), date(2025, 6, 17), date(2025, 7, 10)
    old_pack, new_pack = (calendar.add_working_days(on, -5) for on in (old, new))
    moved_on = date(2025, 6, 6)
    assert calendar.add_working_days(old, -10) < moved_on < new_pack < old_pack
    app, found, requests = _moved_meeting(
        migrated_url, tmp_path, old, new, moved_on, calendar.add_working_days(following, -9)
    )
    assert found == [(old_pack, old), (calendar.add_working_days(following, -5), following)]
    assert sorted(requests) == sorted([*set(requests)] * 2), requests  # once per round
    assert [r["meeting_on"] for r in round_status(app)] == [new.isoformat(), following.isoformat()]
    pack = agenda(app, "stuurgroep", new, new_pack, "md", archive=False).content.decode()
    assert "0 van de 4 punten beantwoord" in pack, pack


def test_a_round_started_by_hand_without_a_meeting_is_the_meetings_round(
    migrated_url: str, tmp_path: Path
) -> None:
    """review10a 4: a round started by hand on 2 June without ``--meeting``, answers by 11 June:
    ``round status`` says it prepares the 19 June meeting, so the daily preparation starts none
    for that meeting (its contacts are asked once)."""
    from regie.prepare import meeting_day
    from regie.rounds import round_status
    from store import Repository
    from store.answers import rounds
    from tests.integration.answer_app import ANSWERS_PLAN

    plan = tmp_path / "plan.yaml"
    schedule = "    members: [GEM, PROV]\n    meetings:\n      dates: [2025-06-19, 2025-07-10]\n"
    text = ANSWERS_PLAN.read_text(encoding="utf-8")
    plan.write_text(text.replace("    members: [GEM, PROV]\n", schedule), encoding="utf-8")
    app = link_app(migrated_url, tmp_path / "home", plan)
    run_round_day(app, date(2025, 6, 2), body="stuurgroep", answer_by=date(2025, 6, 11))
    assert [r["meeting_on"] for r in round_status(app)] == ["2025-06-19"]
    day = date(2025, 6, 2)
    while day <= date(2025, 6, 12):
        meeting_day(app, day)
        day += timedelta(days=1)
    with app.session() as session:
        found = [(r.answer_by, r.meeting_on) for r in rounds(session, "wegen-test")]
        outbox = Repository(session, "wegen-test").outbox()
    assert found == [(date(2025, 6, 11), None)]
    asked = [m.recipient for m in outbox if m.kind == "round_request"]
    assert asked and sorted(asked) == sorted(set(asked)), asked


def _archived_pack(
    app: App, meeting_on: date, as_of: date, monkeypatch: pytest.MonkeyPatch, layout: int
) -> tuple[str, bool]:
    """A pack archived as a release of ``layout`` made it, and whether reproduce matches."""
    from regie import report_build

    with monkeypatch.context() as then:
        then.setattr(report_build, "AGENDA_LAYOUT", layout)  # as a release of that layout
        made = agenda(app, "stuurgroep", meeting_on, as_of, "md")
    assert made.parameters["layout"] == layout
    again = reproduce(app, made.archive_id or 0)
    assert again.content == made.content
    return made.content.decode(), again.matches


@SECTION_ONLY
def test_a_pack_of_layout_9_after_a_meeting_moved_earlier_keeps_its_rule(
    migrated_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """layout35 1: the 19 June meeting moved to 17 June after its round started. Layout 9 tied
    that round to the next known meeting (10 July, review8 3): its pack of 17 June had no
    *Statusronde* and is made again so; a new pack (layout 10) ties it to the nearer 17 June."""
    from governance.planfile.load import load_plan
    from governance.workdays import WorkCalendar
    from tests.integration.answer_app import ANSWERS_PLAN

    calendar = WorkCalendar.for_plan(load_plan(ANSWERS_PLAN))
    old, new = date(2025, 6, 19), date(2025, 6, 17)
    new_pack = calendar.add_working_days(new, -5)
    app, _, _ = _moved_meeting(migrated_url, tmp_path, old, new, date(2025, 6, 6), new_pack)
    pack, matches = _archived_pack(app, new, new_pack, monkeypatch, 9)
    assert "Statusronde" not in pack and matches
    made = agenda(app, "stuurgroep", new, new_pack, "md")
    assert made.parameters["layout"] == 19
    assert "## Statusronde" in made.content.decode()
    assert reproduce(app, made.archive_id or 0).matches


@SECTION_ONLY
def test_a_pack_of_layout_8_after_a_meeting_moved_later_keeps_its_rule(
    migrated_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """layout35 1: the 12 June meeting moved to 19 June after its round started. Layout 8 counted
    a round only for the meeting recorded with it: its pack of 19 June had no *Statusronde* and
    is made again so; layouts 9 and 10 tie it to 19 June."""
    from governance.planfile.load import load_plan
    from governance.workdays import WorkCalendar
    from tests.integration.answer_app import ANSWERS_PLAN

    calendar = WorkCalendar.for_plan(load_plan(ANSWERS_PLAN))
    old, new = date(2025, 6, 12), date(2025, 6, 19)
    new_pack = calendar.add_working_days(new, -5)
    app, _, _ = _moved_meeting(migrated_url, tmp_path, old, new, date(2025, 6, 2), new_pack)
    pack, matches = _archived_pack(app, new, new_pack, monkeypatch, 8)
    assert "Statusronde" not in pack and matches
    pack, matches = _archived_pack(app, new, new_pack, monkeypatch, 9)
    assert "## Statusronde" in pack and matches


def _latest_id(app: App, item: str) -> int:
    from store import Repository

    with app.session() as session:
        found = Repository(session, "wegen-test").status_updates(item=item)[-1].id
    assert found is not None
    return found


def _correct(app: App, item: str, day: date) -> None:
    """The office corrects the item's latest update (a reason: its note)."""
    record_answer(
        app, AnswerInput(item, "on_track", note="Typfout hersteld"), Answerer("office", "office"),
        channel="cli", as_of=day, corrects=_latest_id(app, item),
    )  # fmt: skip


def test_a_correction_of_an_update_from_before_the_round_is_no_answer(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    """review7 8: anna answered 1.1.1 before the round; the office fixes a typo in it during
    the round. That is not her answer to the round: the pack (layout 10) and `round status`
    count 2 of 4 and name 1.1.1, and the round chases her for it. A correction of an answer
    given in the round (carla's 1.2) still counts. A pack of layout 9 is made again as it was
    (it counted the correction)."""
    from regie import report_build
    from regie.rounds import round_status

    _answer(app, "1.1.1", "anna", START - timedelta(days=3))
    _round(app)
    _correct(app, "1.1.1", DURING)
    _correct(app, "1.2", DURING)
    (status,) = round_status(app, DURING)
    assert (status["items"], status["answered"]) == (4, 2)
    assert "1.1.1" in [u["id"] for u in status["without_answer"]]
    assert "anna" in status["silent_contacts"]
    md = _md(app, DURING)
    assert "tot nu toe 2 van de 4 punten beantwoord." in md
    assert "- 1.1.1 Knelpuntenkaart (Gemeente Rivierstad)\n" in md
    with monkeypatch.context() as then:
        then.setattr(report_build, "AGENDA_LAYOUT", 9)
        made = agenda(app, "stuurgroep", MEETING, DURING, "md")
    assert made.parameters["layout"] == 9
    assert "tot nu toe 3 van de 4 punten beantwoord." in made.content.decode()
    again = reproduce(app, made.archive_id or 0)
    assert again.matches


def test_a_correction_of_a_correction_of_an_update_from_before_the_round_is_no_answer(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    """round45 2: the office fixes anna's pre-round answer to 1.1.1 during the round, then fixes
    its own fix. Neither is her answer: the chain's first update is from before the round, so
    `round status`, the chase and the pack (layout 12) count 2 of 4 and name 1.1.1; a chain
    begun in the round (carla's 1.2, corrected twice) still counts. A pack of layout 11 judged
    the second fix by the first alone, counted it, and is made again so."""
    from regie import report_build
    from regie.rounds import round_status

    _answer(app, "1.1.1", "anna", START - timedelta(days=3))
    _round(app)
    for day in (DURING - timedelta(days=1), DURING):
        _correct(app, "1.1.1", day)
        _correct(app, "1.2", day)
    (status,) = round_status(app, DURING)
    assert (status["items"], status["answered"]) == (4, 2)
    assert "1.1.1" in [u["id"] for u in status["without_answer"]]
    assert "anna" in status["silent_contacts"]
    md = _md(app, DURING)
    assert "tot nu toe 2 van de 4 punten beantwoord." in md
    assert "- 1.1.1 Knelpuntenkaart (Gemeente Rivierstad)\n" in md
    with monkeypatch.context() as then:
        then.setattr(report_build, "AGENDA_LAYOUT", 11)
        made = agenda(app, "stuurgroep", MEETING, DURING, "md")
    assert made.parameters["layout"] == 11
    assert "tot nu toe 3 van de 4 punten beantwoord." in made.content.decode()
    assert reproduce(app, made.archive_id or 0).matches
