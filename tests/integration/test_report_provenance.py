"""What a report rests on (audit findings 1, 2, 3, 9, 10, 13): a report for a past day uses the
decisions in force then; the archive keeps the plan's hash, the maker and the data cut-off and
can make the report again; a due date moved in the plan file without a decision is warned about
and listed; back-dated updates are accepted and marked; the same sheet is not imported twice;
a dry run names messages already in the file outbox. SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from regie.bootstrap import App
from reports.render import asked_question
from tests.cli_in_process import regie
from tests.integration.mail_setup import Clock
from tests.integration.reports_scenario import AS_OF, MEETING, scenario_app
from tests.integration.server import TEST_SECRET_KEY

BEFORE_DECISION = date(2016, 1, 8)  # the decision on 1.3.1 is of the meeting of 12 January 2016
DECISION_MEETING = date(2016, 1, 12)


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:
    return scenario_app(tmp_path / "home", database_url)


def _env(app: App) -> dict[str, str]:
    return {
        "REGIE_HOME": str(app.settings.home),
        "REGIE_PLAN": str(app.settings.plan_path),
        "REGIE_DATABASE_URL": app.settings.database_url,
    }


def _update(app: App, item: str, status: str, on: date, **extra: object) -> str:
    from regie.history import record_update

    return record_update(
        app, item, status, as_of=on, forecast=extra.get("forecast"),  # type: ignore[arg-type]
        completed_on=extra.get("completed_on"), comment=None, author=None,  # type: ignore[arg-type]
    )  # fmt: skip


def test_a_report_before_a_decision_does_not_know_it(app: App) -> None:
    from regie.reports import agenda_pack, progress_report

    # The owner asks for a later date before the meeting; the meeting decides on it.
    _update(app, "1.3.1", "at_risk", date(2016, 1, 5), forecast=date(2016, 3, 31))
    before = progress_report(app, date(2015, 10, 1), date(2015, 12, 31), BEFORE_DECISION)
    line = next(x for x in before.annex if x.item_id == "1.3.1")
    assert line.gereed == "Najaar 2015" and line.due == date(2015, 11, 30)
    changed = {c.item.item_id: c for s in before.steps for c in s.changed}
    assert changed["1.3.1"].promised == "Najaar 2015"
    assert not any("besluit" in r for r in _words(changed["1.3.1"].reasons))

    pack = agenda_pack(app, "stuurgroep", DECISION_MEETING, BEFORE_DECISION)
    asked = {a.item.item_id: a for a in pack.asked}
    assert asked["1.3.1"].reason == "slipped"
    assert asked_question(asked["1.3.1"]) == "Verschuiving van 1.3.1 naar 31 maart 2016 accorderen?"

    # From the meeting on, the decision holds.
    after = agenda_pack(app, "stuurgroep", MEETING, AS_OF)
    line = next(x for x in after.annex if x.item_id == "1.3.1")
    assert line.gereed.startswith("oorspronkelijk Najaar 2015, bijgesteld Q2-2016")
    assert "1.3.1" not in {a.item.item_id for a in after.asked}


def test_the_archive_says_what_a_report_rests_on_and_makes_it_again(app: App) -> None:
    from regie.decisions import add_decision
    from regie.reports import archived_report, reproduce, voortgang
    from store.actor import acting_as

    with acting_as("r.auditor"):
        made = voortgang(app, date(2015, 7, 1), AS_OF, AS_OF, "md")
    kept = archived_report(app, made.archive_id or 0)
    assert kept.plan_sha256 == app.load_plan().source_hash
    assert kept.made_by == "r.auditor" and kept.made_via == "cli"
    assert kept.data_until is not None and kept.data_until <= kept.created_at

    # Later: a back-dated update, a decision that re-dates an item, a hand edit of the plan.
    _update(app, "3.1.1", "done", date(2016, 1, 14), completed_on=date(2016, 1, 14))
    add_decision(app, "stuurgroep", MEETING, "Draagvlak later", set_gereed=("1.2.1", "Q3-2016"))
    plan_file = Path(app.settings.plan_path)
    plan_file.write_text(
        plan_file.read_text(encoding="utf-8").replace('gereed: "Q1-2016"', 'gereed: "Q2-2016"', 1),
        encoding="utf-8",
    )
    now = voortgang(app, date(2015, 7, 1), AS_OF, AS_OF, "md", archive=False)
    assert now.sha256 != made.sha256

    again = reproduce(app, made.archive_id or 0)
    assert again.plan_source == "kept" and again.recorded_until == kept.data_until
    assert again.matches, "the archived report is not made again byte for byte"
    assert hashlib.sha256(again.content).hexdigest() == made.sha256

    out = regie("report", "reproduce", str(made.archive_id), env=_env(app))
    assert out.code == 0, out.err
    assert "matches the archived" in out.out and "the plan kept with it" in out.out
    cut = kept.data_until.isoformat()
    rebuilt = regie(
        "report", "voortgang", "--from", "2015-07-01", "--to", AS_OF.isoformat(),
        "--format", "md", "--recorded-until", cut, "--out", str(plan_file.parent / "r.md"),
        env=_env(app),
    )  # fmt: skip
    assert rebuilt.code == 0, rebuilt.err
    assert "not archived" in rebuilt.out
    listed = regie("report", "list", "--format", "json", env=_env(app))
    rows = [r for r in json.loads(listed.out) if r["kind"] == "voortgang"]
    assert len(rows) == 1 and rows[0]["made_by"] == "r.auditor"
    assert rows[0]["data_until"] == cut


def test_a_due_date_moved_without_a_decision_is_warned_about_and_listed(app: App) -> None:
    from regie.reports import _progress_report, progress_report, voortgang
    from regie.services import today

    plan_file = Path(app.settings.plan_path)
    text = plan_file.read_text(encoding="utf-8")
    anchor = 'title: Verkennen draagvlak\n            gereed: "Najaar 2015"'
    assert anchor in text
    plan_file.write_text(
        text.replace(anchor, 'title: Verkennen draagvlak\n            gereed: "Q2-2016"'),
        encoding="utf-8",
    )
    checked = regie("plan", "validate", env=_env(app))
    assert checked.code == 0, checked.err
    warning = "1.2.1 gereed was 'Najaar 2015' (due 2015-11-30), now 'Q2-2016' (due 2016-06-30)"
    assert warning in checked.out and "no decision recorded" in checked.out
    synced = regie("sync", env=_env(app))
    assert synced.code == 0, synced.err
    lines = [line for line in synced.out.splitlines() if "no decision recorded" in line]
    assert len(lines) == 1 and warning in lines[0]  # 1.3.1, moved by a decision: no warning

    # A report as of the day the edit was synced (or later) lists it (progress layout 22,
    # walk58b 2: the edits recorded up to its stand date, as its plan is rewound).
    synced_on = today(app, app.load_plan())
    report = progress_report(app, date(2015, 10, 1), date(2015, 12, 31), synced_on)
    changed = {c.item.item_id: c for s in report.steps for c in s.changed}
    # Promised as first written; now the plan's new date (the owner's forecast of 31 March
    # 2016 has lapsed by then), which the reason names.
    assert changed["1.2.1"].promised == "Najaar 2015"
    assert changed["1.2.1"].now == "Q2-2016"
    assert [(e.gereed_before, e.gereed_after) for e in changed["1.2.1"].edits] == [
        ("Najaar 2015", "Q2-2016")
    ]
    md = voortgang(app, date(2015, 10, 1), date(2015, 12, 31), synced_on, "md").content.decode()
    assert "datum gewijzigd in het plan zonder besluit: Najaar 2015 → Q2-2016" in md
    assert "1.3.1" in md and "zonder besluit: Najaar 2015 → Q2-2016 (vastgelegd" in md
    # As of a day before it was synced: not yet (layout 21 listed it).
    earlier = voortgang(app, date(2015, 10, 1), date(2015, 12, 31), AS_OF, "md").content
    assert "Najaar 2015 → Q2-2016" not in earlier.decode()
    old, _ = _progress_report(app, date(2015, 10, 1), date(2015, 12, 31), AS_OF, layout=21)
    assert any(c.item.item_id == "1.2.1" and c.edits for s in old.steps for c in s.changed)


def test_a_back_dated_update_is_accepted_said_and_marked(
    app: App,
    sender_clock: Clock,  # after app: the day an update is recorded on is the test's (clock54)
) -> None:
    from regie.reports import voortgang
    from store import Repository

    with app.session() as session, session.begin():
        Repository(session, app.load_plan().programme.id).record_assessed_day(AS_OF)
    said = _update(app, "2.4.1", "on_track", date(2016, 1, 5))
    assert said.splitlines()[1].startswith(
        "note: 1 update back-dated to 2016-01-05, before the last assessed day 2016-01-15: accepted"
    )
    from regie.services import today as office_today

    today = office_today(app)  # the office's date, not UTC's (they differ 23:00–24:00 UTC)
    md = voortgang(app, date(2015, 7, 1), AS_OF, AS_OF, "md").content.decode()
    row = [line for line in md.splitlines() if line.startswith("| 2.4.1 |")][-1]  # the annex
    assert f"(nagekomen, vastgelegd op {today:%d-%m-%Y})" in row
    on_time = [line for line in md.splitlines() if line.startswith("| 3.3.2 |")][-1]
    assert "nagekomen" not in on_time  # recorded on the day it reports for
    fresh = _update(app, "3.3.2", "on_track", AS_OF)  # not before the last assessed day
    assert "back-dated" not in fresh


def test_the_same_sheet_is_not_imported_twice(app: App, tmp_path: Path) -> None:
    from regie.answer_import import import_updates
    from regie.errors import InvalidInput
    from store import Repository

    sheet = tmp_path / "sheet.csv"
    sheet.write_text("item,status,note\n2.4.1,at_risk,vertraging\n", encoding="utf-8")
    first = import_updates(app, sheet, date(2016, 1, 14))
    assert first.startswith(f"{sheet}: 1 update recorded")
    copy = tmp_path / "kopie.csv"
    copy.write_bytes(sheet.read_bytes())
    with pytest.raises(InvalidInput) as refused:
        import_updates(app, copy, date(2016, 1, 14))
    assert len(refused.value.lines) == 1
    assert (
        "the same content was imported before as import 1 (sheet.csv, for 2016-01-14"
        in (refused.value.lines[0])
    )
    assert "--again" in refused.value.lines[0]

    def answers() -> int:
        with app.session() as session:
            updates = Repository(session, "mvi-2015-2020").status_updates(until=AS_OF)
        return sum(1 for u in updates if u.item_id == "2.4.1")

    assert answers() == 1
    assert import_updates(app, copy, date(2016, 1, 14), again=True).startswith(f"{copy}: 1 update")
    assert answers() == 2


def test_a_dry_run_names_messages_the_file_outbox_already_holds(app: App) -> None:
    from notifications.file_outbox import file_name
    from regie.cycle import deadline_check
    from store import Repository

    queued = deadline_check(app, AS_OF).queued
    assert queued
    # As after a restore from a backup taken before they went out: sent (files written), but
    # pending in the database.
    outbox = app.settings.outbox_dir
    outbox.mkdir(parents=True, exist_ok=True)
    (outbox / file_name(queued[0])).write_text("sent before", encoding="utf-8")
    with app.session() as session:
        pending = [r.key for r in Repository(session, "mvi-2015-2020").outbox(status="pending")]
    assert queued[0] in pending
    dry = deadline_check(app, AS_OF, dry_run=True)
    assert dry.resend == [queued[0]]
    assert dry.summary()["resend"] == [queued[0]]


def test_report_files_the_archive_no_longer_holds_are_named(app: App) -> None:
    from regie.reports import ARCHIVE_COPIES, copy_name, voortgang

    made = voortgang(app, date(2015, 7, 1), AS_OF, AS_OF, "md")
    folder = app.settings.home / ARCHIVE_COPIES
    copy = folder / copy_name(made.archive_id or 0, made.sha256, "md")
    assert copy.read_bytes() == made.content and copy.stat().st_mode & 0o777 == 0o600
    listed = regie("report", "list", env=_env(app))
    assert listed.code == 0 and "not in the archive" not in listed.err
    # As after a restore from a backup taken before archief 9 was made.
    lost = copy_name(9, "0123456789abcdef" * 4, "pdf")
    (folder / lost).write_bytes(b"%PDF")
    listed = regie("report", "list", env=_env(app))
    assert listed.code == 0
    assert f"1 report file in {folder} not in the archive" in listed.err and lost in listed.err


def test_kept_plan_texts_and_imports_are_append_only(app: App, tmp_path: Path) -> None:
    import sqlalchemy as sa

    from regie.answer_import import import_updates
    from regie.reports import voortgang

    voortgang(app, date(2015, 7, 1), AS_OF, AS_OF, "md")
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("item,status\n2.4.1,at_risk\n", encoding="utf-8")
    import_updates(app, sheet, date(2016, 1, 14))
    for table in ("plan_texts", "update_imports"):
        for statement in (f"UPDATE {table} SET sha256 = 'x'", f"DELETE FROM {table}"):
            with app.session() as session, pytest.raises(sa.exc.DBAPIError):
                session.execute(sa.text(statement))
                session.commit()


def test_the_reports_page_says_who_made_each_version_and_from_what(app: App) -> None:
    from starlette.testclient import TestClient

    from regie.reports import voortgang
    from regie.users import add_user, log_in
    from store.actor import acting_as
    from web.app import create_app
    from web.security import session_cookie_name

    with acting_as("r.auditor"):
        made = voortgang(app, date(2015, 7, 1), AS_OF, AS_OF, "md")
    now = datetime.now(UTC)
    add_user(app, "office", "a long enough password", "P. Bureau", now)
    token = log_in(app, "office", "a long enough password", now)
    assert token is not None
    from regie.bootstrap import bootstrap
    from regie.config import load_settings

    served = bootstrap(load_settings({**_env(app), "REGIE_SECRET_KEY": TEST_SECRET_KEY}))
    web = TestClient(create_app(served), follow_redirects=False)
    web.cookies.set(session_cookie_name(served), token)
    text = web.get("/rapporten").text
    assert "precies zoals het is verstuurd" not in text
    assert "door r.auditor, op de opdrachtregel; niet door Regie verstuurd" in text
    plan_hash = app.load_plan().source_hash or ""
    assert f"plan <code>{plan_hash[:12]}</code>" in text
    assert made.data_until is not None
    from web.timestamps import dutch_instant

    zone = served.settings.timezone or app.load_plan().calendar.timezone
    assert f"gegevens tot {dutch_instant(made.data_until, zone)}" in text  # the office's time


def _words(reasons: tuple[object, ...]) -> tuple[str, ...]:
    """A change's reasons as the report words them (reports/templates/_progress_texts.j2)."""
    from reports.render import change_text

    return tuple(change_text(r, "reason") for r in reasons)
