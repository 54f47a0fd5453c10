"""A note stored before notes were checked (security review, findings 5, 6 and 8) may hold
control characters (ESC, BEL; NUL on SQLite) and a direction override (U+202E). Every place
that shows it shows U+FFFD there instead (governance.characters.displayable): the calendar feed
(RFC 5545 allows no control character), the office pages, the agenda pack and the progress
report, the update sheet; the DOCX is still made."""

from __future__ import annotations

import io
import re
import shutil
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from regie.bootstrap import App, bootstrap
from regie.config import load_settings
from tests.conftest import SEED_PLAN
from tests.integration.feed_clients import ical_js, icalendar_events
from tests.integration.migrated_template import copy_recorded, shared_templates
from tests.integration.reports_scenario import AS_OF, MEETING, seed_scenario
from tests.integration.server import TEST_SECRET_KEY

ITEM = "1.1.2"  # IenM's, due Q1-2016: amber on the pack, an event in its writer's feed
NOTE = "Vertraging\x1b[31m\x07 bij \u202egnp.exe leverancier"
SHOWN = "Vertraging\ufffd[31m\ufffd bij \ufffdgnp.exe leverancier"
#: What no rendered text may hold: C0 (tab and line feed aside; carriage return only before a
#: line feed, as CSV and iCalendar end their lines), DEL, C1, the direction changers.
BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]|\r(?!\n)")
PASSWORD = "a long enough password"


def _app(home: Path, database_url: str) -> App:
    return bootstrap(
        load_settings({"REGIE_HOME": str(home), "REGIE_DATABASE_URL": database_url,
                       "REGIE_PLAN": str(home / "plan.yaml"), "REGIE_SECRET_KEY": TEST_SECRET_KEY})
    )  # fmt: skip


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:
    """The report scenario, then the old note on 1.1.2 stored as old data was (recorded once
    per worker and database kind, copied for each test: :func:`copy_recorded`)."""
    home = tmp_path / "home"
    copy_recorded("old-note-characters", home, database_url, _record, plan_file="plan.yaml")
    return _app(home, database_url)


def _record(home: Path, database_url: str) -> None:
    """The report scenario, then the old note on 1.1.2 stored as old data was: without the
    check (a NUL too on SQLite; PostgreSQL never could store one)."""
    from governance.answers import OFFICE, AnswerInput
    from regie.answers import check_answer, store_answers
    from store.files import private_directory

    shared_templates().fill_if_empty(database_url)
    private_directory(home)
    shutil.copy(SEED_PLAN, home / "plan.yaml")
    app = _app(home, database_url)
    seed_scenario(app)
    plan = app.load_plan()
    note = NOTE + ("\x00" if database_url.startswith("sqlite") else "")
    update = check_answer(plan, AnswerInput(ITEM, "at_risk", note="x"), OFFICE, date(2016, 1, 14))
    store_answers(app, plan, [replace(update, comment=note, source="cli", author="ienm-voorbeeld")])
    with app.session() as session:
        from store import Repository

        stored = [u.comment for u in Repository(session, plan.programme.id).status_updates()]
    assert note in stored  # verbatim in the database


def _clean(text: str) -> str:
    found = BAD.search(text)
    assert found is None, (
        f"{found.group()!r} at {found.start()}: {text[found.start() - 40 :][:80]!r}"
    )
    return text


def test_the_calendar_feed_holds_no_control_character(app: App) -> None:
    from regie.feeds import export_feed

    body = export_feed(app, "contact:ienm-voorbeeld", AS_OF)  # the note's writer's feed
    _clean(body.decode())
    uid = f"{ITEM}@mvi-2015-2020.regie"
    js = {e["uid"]: e for e in ical_js(body)["events"]}
    assert f"Laatste toelichting: {SHOWN}" in js[uid]["description"]
    assert str(icalendar_events(body)[uid]["DESCRIPTION"]) == js[uid]["description"]


def test_the_office_pages_hold_none(app: App) -> None:
    from regie.users import add_user, log_in
    from web.app import create_app
    from web.security import session_cookie_name

    now = datetime.now(UTC)
    add_user(app, "office", PASSWORD, "P. Bureau", now)
    token = log_in(app, "office", PASSWORD, now)
    assert token is not None
    web = TestClient(create_app(app), cookies={session_cookie_name(app): token})
    page = web.get(f"/items/{ITEM}?datum={AS_OF.isoformat()}")
    assert page.status_code == 200, page.text[:300]
    assert SHOWN in _clean(page.text)
    overview = web.get(f"/?datum={AS_OF.isoformat()}")
    assert overview.status_code == 200, overview.text[:300]
    _clean(overview.text)


def test_the_pack_and_the_report_hold_none_and_the_docx_is_made(app: App) -> None:
    from docx import Document

    from regie.reports import agenda, voortgang

    for fmt in ("html", "md"):
        text = _clean(agenda(app, "stuurgroep", MEETING, AS_OF, fmt).content.decode())
        assert (SHOWN if fmt == "html" else "Vertraging\ufffd\\[31m\ufffd bij") in text
    report = _clean(voortgang(app, date(2015, 7, 1), AS_OF, AS_OF, "md").content.decode())
    assert "Vertraging\ufffd\\[31m\ufffd bij \ufffdgnp.exe" in report
    _clean(voortgang(app, date(2015, 7, 1), AS_OF, AS_OF, "html").content.decode())
    for content in (
        agenda(app, "stuurgroep", MEETING, AS_OF, "docx").content,
        voortgang(app, date(2015, 7, 1), AS_OF, AS_OF, "docx").content,
    ):
        doc = Document(io.BytesIO(content))
        cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
        text = "\n".join([p.text for p in doc.paragraphs] + cells)
        assert SHOWN in _clean(text)


def test_the_update_sheet_holds_none(app: App) -> None:
    from regie.update_sheet import update_sheet

    content, _ = update_sheet(app, AS_OF)
    text = _clean(content.decode("utf-8-sig"))
    assert f"risico (2016-01-14): {SHOWN}" in text
