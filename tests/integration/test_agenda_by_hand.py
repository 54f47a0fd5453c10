"""`regie report agenda` made by hand lists the decisions the daily run's pack would: after a
meeting that passed without a pack, its decision list starts where the last pack sent ended
(one shared function with the ``prepare-meeting`` flow), says so on stderr and keeps it with
the archived pack, which reproduces. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from regie.bootstrap import App
from tests.cli_in_process import regie
from tests.integration.mail_setup import Clock, sender_clock
from tests.integration.reports_scenario import cli_env, scenario_app

__all__ = ["sender_clock"]  # the fixture, used by name


@pytest.fixture
def app(tmp_path: Path, database_url: str, documents_made_once: None) -> App:
    return scenario_app(tmp_path / "home", database_url)  # a copy of the seed plan


def _archived_packs(app: App, meeting: str) -> list[dict[str, str]]:
    from store.reports_repo import ReportsRepository

    with app.session() as session:
        rows = ReportsRepository(session, app.programme_id()).archived()
        return [dict(r.parameters) for r in rows
                if r.kind == "agenda" and r.parameters.get("meeting") == meeting]  # fmt: skip


def test_a_pack_by_hand_starts_where_the_last_sent_pack_ended(app: App) -> None:
    from regie.prepare import prepare_meetings
    from regie.reports import archived, reproduce
    from store.states import record_assessed_day

    plan = app.load_plan()
    with app.session() as session, session.begin():  # the daily run was there from 2016
        record_assessed_day(session, plan.programme.id, date(2016, 1, 4), datetime.now(UTC))
    assert prepare_meetings(app, date(2016, 4, 5)).packs  # the April pack goes out
    env = cli_env(app)
    decided = regie("decision", "add", "--body", "stuurgroep", "--meeting", "2016-04-12",
                    "--text", "Wetsvoorstel aanhouden", "--item", "1.4", env=env)  # fmt: skip
    assert decided.code == 0, decided.err
    # No pack for the July meeting; the office makes October's by hand.
    made = regie("report", "agenda", "--body", "stuurgroep", "--meeting", "2016-10-11",
                 "--as-of", "2016-10-04", "--format", "md", env=env)  # fmt: skip
    assert made.code == 0, made.err
    assert "decision list from 2016-04-12" in made.err
    decisions = made.out.split("2. Besluitenlijst")[1].split("3. Voortgang")[0]
    assert "Wetsvoorstel aanhouden" in decisions
    # In the pack itself too (layout 21, walk56a 6), not only on stderr; layout 22 (walk57a 1)
    # says what Regie knows.
    assert (
        "Vorige vergadering: 12 juli 2016. De lijst begint bij de vergadering van 12 april 2016: "
        "voor geen van de vergaderingen daarna is vooraf een agendapakket in Regie gemaakt, "
        "daarom staan hun besluiten ook hier.\n"
    ) in decisions
    (parameters,) = _archived_packs(app, "2016-10-11")
    assert parameters["decisions_from"] == "2016-04-12"
    (row,) = [r for r in archived(app) if r.parameters.get("meeting") == "2016-10-11"]
    assert reproduce(app, row.id).matches


def _october_by_hand(app: App, clock: Clock) -> tuple[str, str]:
    """walk57a 1: the daily run there from 2016, no pack sent; the office makes April's pack by
    hand (as of 5 April, on 6 April), the stuurgroep decides on 12 April, July passes without a
    pack and the office makes October's by hand. October's pack (Markdown) and its stderr."""
    from store.states import record_assessed_day

    plan = app.load_plan()
    with app.session() as session, session.begin():
        record_assessed_day(
            session, plan.programme.id, date(2016, 1, 4), datetime(2016, 1, 4, 18, tzinfo=UTC)
        )
    env = cli_env(app)
    clock.now = datetime(2016, 4, 6, 9, tzinfo=UTC)
    april = regie("report", "agenda", "--body", "stuurgroep", "--meeting", "2016-04-12",
                  "--as-of", "2016-04-05", "--format", "md", env=env)  # fmt: skip
    assert april.code == 0, april.err
    clock.now = datetime(2016, 4, 13, 9, tzinfo=UTC)
    decided = regie("decision", "add", "--body", "stuurgroep", "--meeting", "2016-04-12",
                    "--text", "Wetsvoorstel aanhouden", "--item", "1.4", env=env)  # fmt: skip
    assert decided.code == 0, decided.err
    clock.now = datetime(2016, 10, 5, 9, tzinfo=UTC)
    made = regie("report", "agenda", "--body", "stuurgroep", "--meeting", "2016-10-11",
                 "--as-of", "2016-10-04", "--format", "md", env=env)  # fmt: skip
    assert made.code == 0, made.err
    return made.out, made.err


def test_a_pack_made_by_hand_is_its_meetings_pack_for_the_decision_list(
    app: App, sender_clock: Clock
) -> None:
    """walk57a 1 (agenda layout 22): April's pack made by hand counts, as it does for *sinds de
    vorige vergadering*: October's list starts at April's meeting, not at the first meeting, and
    its sentence says no pack was made in Regie for July; part 3 names the same April pack."""
    pack, err = _october_by_hand(app, sender_clock)
    assert (
        "decision list from 2016-04-12: no agenda pack was made in Regie before the "
        "meetings after it" in err
    ), err
    decisions = pack.split("2. Besluitenlijst")[1].split("3. Voortgang")[0]
    assert (
        "Vorige vergadering: 12 juli 2016. De lijst begint bij de vergadering van 12 april 2016: "
        "voor geen van de vergaderingen daarna is vooraf een agendapakket in Regie gemaakt, "
        "daarom staan hun besluiten ook hier.\n"
    ) in decisions
    assert "Wetsvoorstel aanhouden" in decisions
    assert "zonder agendapakket" not in pack
    # Part 3 catches up from the same pack: one rule.
    assert (
        "maar nog niet in het agendapakket voor de vergadering van 12 april 2016 stond (stand 5 "
        "april 2016)."
    ) in pack
    (parameters,) = _archived_packs(app, "2016-10-11")
    assert parameters["decisions_from"] == "2016-04-12"


def test_a_pack_made_again_as_of_its_cut_off_equals_the_archived_one(
    app: App, sender_clock: Clock
) -> None:
    """walk57a 1: `--recorded-until` the archived pack's own cut-off starts the decision list
    where that pack did (the packs, the outbox and the daily run as recorded then)."""
    from regie.reports import archived, reproduce

    pack, _ = _october_by_hand(app, sender_clock)
    (row,) = [r for r in archived(app) if r.parameters.get("meeting") == "2016-10-11"]
    assert row.data_until is not None and reproduce(app, row.id).content.decode() == pack
    again = regie("report", "agenda", "--body", "stuurgroep", "--meeting", "2016-10-11",
                  "--as-of", "2016-10-04", "--format", "md",
                  "--recorded-until", row.data_until.isoformat(), env=cli_env(app))  # fmt: skip
    assert again.code == 0, again.err
    assert again.out == pack


def test_an_older_layout_is_made_again_without_the_sentence(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pack of layout 20 said why its list starts earlier on stderr only, one of layout 21
    that the meetings after it had no pack: each is made again so."""
    from regie import report_build
    from regie.reports import agenda_formats, reproduce

    for layout in (20, 21, 22):
        with monkeypatch.context() as then:
            then.setattr(report_build, "AGENDA_LAYOUT", layout)
            (made,) = agenda_formats(app, "stuurgroep", date(2016, 10, 11), date(2016, 10, 4),
                                     ("html",), decisions_from=date(2016, 4, 12))  # fmt: skip
        assert made.archive_id is not None and reproduce(app, made.archive_id).matches
        html = made.content.decode()
        said = "De lijst begint bij de vergadering van 12 april 2016:" in html
        assert said is (layout >= 21)
        # Layout 22 (walk57a 1): what Regie knows, not that the meetings had no pack.
        assert ("zonder agendapakket" in html) is (layout == 21)
        assert ("vooraf een agendapakket in Regie gemaakt" in html) is (layout == 22)


def test_after_a_sent_pack_the_list_starts_at_the_previous_meeting(app: App) -> None:
    made = regie("report", "agenda", "--body", "stuurgroep", "--meeting", "2016-04-12",
                 "--as-of", "2016-04-05", "--format", "md", env=cli_env(app))  # fmt: skip
    assert made.code == 0, made.err
    assert "decision list from" not in made.err
    assert "Vorige vergadering: 12 januari 2016.\n" in made.out  # nothing more to say
    (parameters,) = _archived_packs(app, "2016-04-12")
    assert "decisions_from" not in parameters


def test_a_pack_for_a_meeting_that_has_passed_says_so_and_is_archived(
    app: App, sender_clock: Clock
) -> None:
    """walk32a 10: a pack made after its meeting (for the record) is made and archived, with one
    note on stderr; before the meeting, no note."""
    sender_clock.now = datetime(2016, 4, 6, 9, 0, tzinfo=UTC)
    args = ["report", "agenda", "--body", "stuurgroep", "--format", "md"]
    ahead = regie(*args, "--meeting", "2016-04-12", env=cli_env(app))
    assert ahead.code == 0, ahead.err
    assert "note:" not in ahead.err, ahead.err
    sender_clock.now = datetime(2016, 4, 14, 9, 0, tzinfo=UTC)
    after = regie(*args, "--meeting", "2016-04-12", "--as-of", "2016-04-13", env=cli_env(app))
    assert after.code == 0, after.err
    assert after.err.splitlines()[-1] == (
        "note: the stuurgroep meeting of 2016-04-12 has passed (today is 2016-04-14); the pack "
        "is archived as of 2016-04-13"
    )
    assert len(_archived_packs(app, "2016-04-12")) == 2


@pytest.mark.parametrize("made", [datetime(2016, 4, 6, 9, tzinfo=UTC), None])
def test_the_meeting_run_calls_a_meeting_without_a_pack_by_the_decision_list_s_rule(
    app: App, sender_clock: Clock, made: datetime | None
) -> None:
    """fix57l (fix57g left it): `regie meeting prepare` (and `regie cycle`, the same report)
    no longer says April's meeting passed without an agenda pack when one was made for it by
    hand before its day: that pack is its pack for the decision list (:func:`regie.report_build.
    had_by_hand`). Without one, or with one made on its day (a look back), it still says so."""
    from store.states import record_assessed_day

    plan = app.load_plan()
    with app.session() as session, session.begin():
        record_assessed_day(
            session, plan.programme.id, date(2016, 1, 4), datetime(2016, 1, 4, 18, tzinfo=UTC)
        )
    env = cli_env(app)
    for at in (made, datetime(2016, 4, 12, 15, tzinfo=UTC)):  # before its day, then on it
        if at is None:
            continue
        sender_clock.now = at
        april = regie("report", "agenda", "--body", "stuurgroep", "--meeting", "2016-04-12",
                      "--as-of", "2016-04-05", "--format", "md", env=env)  # fmt: skip
        assert april.code == 0, april.err
    sender_clock.now = datetime(2016, 4, 13, 9, tzinfo=UTC)
    run = regie("meeting", "prepare", "--as-of", "2016-04-13", "--dry-run", env=env)
    assert run.code == 0, run.err
    line = "meeting stuurgroep 2016-04-12 passed without an agenda pack (none was queued before it)"
    assert (line in run.out) is (made is None), run.out
