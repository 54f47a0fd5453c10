"""A pack the meeting preparation archives and sends is made again byte for byte (walk56d 1):
it is archived with the data cut-off its own reading gives (the status round's instants, the
earlier packs it read), as a pack made with ``regie report agenda`` is. The usual case: a round
nobody answered, started after the last record; the generic cut-off lay before it, so a rebuild
left the *Statusronde* out. A pack the preparation archived so before is made again from the
records up to its archiving (its archived bytes and cut-off untouched); a DOCX is made again
byte for byte too (walk56d 5), one archived with the clock's ZIP times entry for entry."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from regie.bootstrap import App
from regie.reports import add_meeting, agenda_formats, reproduce
from tests.cli_in_process import regie
from tests.integration.link_setup import link_app
from tests.integration.migrated_template import copy_recorded, shared_templates
from tests.integration.reports_scenario import cli_env

MEETING = date(2025, 6, 17)
PACK_DAY = date(2025, 6, 10)  # 5 working days before: the round's answer-by day too
ROUND = "Gevraagd op 2 juni 2025, antwoorden tot 10 juni 2025: 0 van de 4 punten beantwoord."


def _prepare(app: App) -> App:
    """The daily meeting preparation from 19 May up to pack day: the round starts on 2 June,
    nobody answers, and the pack is archived (HTML, PDF, annex) and queued to the members."""
    from regie.prepare import meeting_day

    add_meeting(app, "stuurgroep", MEETING, None, None, None)
    day = date(2025, 5, 19)
    while day <= PACK_DAY:
        meeting_day(app, day)
        day += timedelta(days=1)
    return app


def _prepared_home(name: str, home: Path, database_url: str, build: Any) -> App:
    """``build``'s preparation, run once per worker and database kind and copied for each test
    (:func:`copy_recorded`; the plan is a fixture file outside the home, read by both)."""
    copy_recorded(name, home, database_url, build, plan_file=None)
    return link_app(database_url, home)


def _record(home: Path, database_url: str) -> None:
    _prepare(link_app(_migrated(database_url), home))


def _record_before(home: Path, database_url: str) -> None:
    """As the preparation archived before walk56d 1: without the pack's cut-off, so the
    archive stored the generic one of the records alone (the archive is append-only)."""
    import regie.reports

    built = regie.reports._agenda_pack
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(regie.reports, "_agenda_pack", lambda *a, **k: (built(*a, **k)[0], None))
        _prepare(link_app(_migrated(database_url), home))


def _migrated(database_url: str) -> str:
    shared_templates().fill_if_empty(database_url)
    return database_url


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> App:
    return _prepared_home("prepared-pack", tmp_path, database_url, _record)


@pytest.fixture
def archived_before(database_url: str, tmp_path: Path) -> App:
    """The same, archived as the preparation did before walk56d 1 (:func:`_record_before`)."""
    return _prepared_home("prepared-pack-before", tmp_path, database_url, _record_before)


def _prepared(app: App) -> list[Any]:
    from regie.report_archive import archived

    return [r for r in archived(app) if r.made_via == "prepare"]


def _round_started(app: App) -> datetime:
    import sqlalchemy as sa

    from store.models_answers import StatusRoundRow

    with app.session() as session:
        return session.execute(sa.select(StatusRoundRow.started_at)).scalar_one()


def _sent_text(app: App) -> str:
    from regie.prepare import PACK_KIND
    from store import Repository

    with app.session() as session:
        sent = [m for m in Repository(session, "wegen-test").outbox() if m.kind == PACK_KIND]
    assert sent
    return sent[0].body_text


def test_the_pack_the_preparation_sent_is_made_again_byte_for_byte(app: App) -> None:
    """HTML, PDF and annex from the stored cut-off (no repair), the round in them; the mail's
    text is the Markdown made from the same cut-off."""
    from reports.plain_text import markdown_to_text

    files = _prepared(app)
    assert sorted((r.kind, r.format) for r in files) == [
        ("agenda", "html"), ("agenda", "pdf"), ("agenda-bijlage", "html"),
    ]  # fmt: skip
    for r in files:
        again = reproduce(app, r.id)
        assert again.matches, f"archief {r.id} ({r.kind} {r.format}) is not made again"
        assert again.stored_cut_off is None and again.recorded_until == r.data_until
    html = next(r for r in files if r.kind == "agenda" and r.format == "html")
    assert ROUND in reproduce(app, html.id).content.decode()
    # Its cut-off is the pack's own: the newest thing it read is the round's start.
    assert html.data_until == _round_started(app)
    (md,) = agenda_formats(
        app, "stuurgroep", MEETING, PACK_DAY, ("md",), archive=False,
        recorded_until=html.data_until,
    )  # fmt: skip
    plan = app.load_plan()
    owners = {o.label for o in plan.organisations} | {o.id for o in plan.organisations}
    assert markdown_to_text(md.content.decode(), owners) == _sent_text(app)
    assert ROUND in md.content.decode()


def test_its_cut_off_read_again_from_its_archiving_is_the_stored_one(app: App) -> None:
    """Read from the records up to its archiving, the pack's cut-off is the one stored with it
    (the round's start, ≈ the preparation's run before the archiving), not the archiving
    itself: the stored cut-off is the newest record it read. Its bytes depend on that record:
    a moment earlier, the *Statusronde* is missing (a pack stored with its cut-off too early is
    caught)."""
    from datetime import UTC

    from regie.report_build import _agenda_pack

    for r in _prepared(app):
        assert r.created_at > r.data_until
        _, read = _agenda_pack(
            app, "stuurgroep", MEETING, PACK_DAY, recorded_until=r.created_at,
            layout=r.parameters["layout"],
        )  # fmt: skip
        assert read == r.data_until == _round_started(app), r.kind
    html = next(r for r in _prepared(app) if r.kind == "agenda" and r.format == "html")
    earlier = reproduce(app, html.id, html.data_until - timedelta(microseconds=1))
    assert not earlier.matches and "Statusronde" not in earlier.content.decode()
    # Made from a moment after the last record (the round's close, after the pack), its
    # cut-off is that record, not the moment.
    import sqlalchemy as sa

    from store.models_answers import StatusRoundRow

    with app.session() as session:
        closed = session.execute(sa.select(StatusRoundRow.closed_at)).scalar_one()
    moment = datetime.now(UTC)
    (md,) = agenda_formats(
        app, "stuurgroep", MEETING, PACK_DAY, ("md",), archive=False, recorded_until=moment,
    )  # fmt: skip
    assert closed is not None and md.data_until == closed < moment


def test_the_same_pack_by_hand_in_markdown_and_word_is_made_again_byte_for_byte(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Made with ``regie report agenda`` in Markdown and DOCX after the preparation: both
    reproduce, the DOCX also when rebuilt an hour of wall clock later (its ZIP entries)."""
    made = agenda_formats(app, "stuurgroep", MEETING, PACK_DAY, ("md", "docx"))
    later = time.time() + 3600
    monkeypatch.setattr(time, "time", lambda: later)  # zipfile stamps entries from the clock
    for r in made:
        again = reproduce(app, r.archive_id or 0)
        assert again.matches, f"the {r.format} is not made again byte for byte"


def test_a_pack_archived_with_the_generic_cut_off_is_made_again_from_its_archiving(
    archived_before: App,
) -> None:
    """Its stored cut-off lies before the round: the rebuild from it leaves the round out, so
    ``reproduce`` makes it again from the records up to its archiving and says so; a cut-off
    given (``--recorded-until``) is kept as given."""
    app = archived_before
    files = _prepared(app)
    assert len(files) == 3
    early = files[0].data_until
    assert early < _round_started(app)  # as walk56d saw it
    for r in files:
        again = reproduce(app, r.id)
        assert again.matches, f"archief {r.id} ({r.kind} {r.format}) is not made again"
        if r.kind == "agenda":  # the annex has no round: its stored cut-off gives it
            # Rebuilt from the records up to its archiving: what it read ends at the round.
            assert again.stored_cut_off == early and again.recorded_until == _round_started(app)
    html = next(r for r in files if r.kind == "agenda" and r.format == "html")
    given = reproduce(app, html.id, early)  # what the stored cut-off alone gives
    assert not given.matches and given.stored_cut_off is None
    assert ROUND in reproduce(app, html.id).content.decode()
    assert "Statusronde" not in given.content.decode()
    done = regie("report", "reproduce", str(html.id), env=cli_env(app))
    assert done.code == 0, done.err
    assert "matches the archived" in done.out
    read = _round_started(app).isoformat()
    assert f"its stored data cut-off ({early.isoformat()}) is earlier than what it read" in (
        done.out
    )
    assert f"rebuilt from the records recorded up to {read} and" in done.out
    assert "rebuilt from the records recorded up to its archiving instead" in done.out


def test_a_word_file_archived_with_the_clock_s_entry_times_is_made_again_entry_for_entry(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A DOCX archived before its entries had fixed times: not byte for byte, but every file
    in it is the rebuild's: said so, exit 0."""
    import reports.docx

    monkeypatch.setattr(reports.docx, "_fixed_package", lambda data, as_of: data)  # as before
    (made,) = agenda_formats(app, "stuurgroep", MEETING, PACK_DAY, ("docx",))
    monkeypatch.undo()
    again = reproduce(app, made.archive_id or 0)
    assert not again.matches and again.same_entries and again.agrees
    assert again.outcome == "same-entries"
    done = regie("report", "reproduce", str(made.archive_id), env=cli_env(app))
    assert done.code == 0, done.err
    assert "matches, entry for entry (not byte for byte), the archived" in done.out
    assert "only the ZIP entries' times or order differ" in done.out
