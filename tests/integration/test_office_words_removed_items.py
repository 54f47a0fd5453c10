"""Review walk28 findings 9 and 13 (SQLite and PostgreSQL), with a plan whose office is the
"Programmasecretariaat": the calendar's link line, the update sheet's first line, a redacted
note's placeholder and the item page's "Door" name the office as the plan does, never "het
programmabureau". An item taken out of the plan is "Uit het plan:" in the feed (not
"Vervallen:", a body's or owner's decision), and its page (the feed's link) still shows it,
read-only, with a banner and its history."""

from __future__ import annotations

import csv
import io
import shutil
from datetime import UTC, datetime
from pathlib import Path

from starlette.testclient import TestClient

from regie.bootstrap import App, bootstrap
from regie.config import load_settings
from store import Repository
from tests.cli_in_process import regie
from tests.integration.server import TEST_SECRET_KEY
from tests.integration.test_web_item_page import visible

BE_PLAN = Path(__file__).resolve().parents[1] / "fixtures" / "plans" / "circulair_bouwen_be.yaml"
BASE = "https://regie.example.be"
PASSWORD = "a long enough password"
MORE = """\
      - id: "1.2"
        title: Circulaire aanbesteding
        owners: [OVAM]
        gereed: Q4-2026
      - id: "1.3"
        title: Sloopinventaris
        owners: [OVAM]
        gereed: Q1-2027
"""
REMOVED = MORE[MORE.index('      - id: "1.3"') :]


def _env(tmp_path: Path, url: str) -> dict[str, str]:
    plan = tmp_path / "plan.yaml"
    shutil.copy(BE_PLAN, plan)
    plan.write_text(plan.read_text(encoding="utf-8").rstrip("\n") + "\n" + MORE, "utf-8")
    return {
        "REGIE_HOME": str(tmp_path / "home"),
        "REGIE_DATABASE_URL": url,
        "REGIE_PLAN": str(plan),
        "REGIE_SECRET_KEY": TEST_SECRET_KEY,
        "REGIE_BASE_URL": BASE,
        "REGIE_NOTIFIER": "file",
        "PREFECT_API_URL": "",
    }


def _ok(*args: str, env: dict[str, str]) -> str:
    result = regie(*args, env=env)
    assert result.code == 0, (args, result.err)
    return result.out


def _client(app: App) -> TestClient:
    from regie.users import add_user, log_in
    from web.app import create_app
    from web.security import session_cookie_name

    now = datetime.now(UTC)
    add_user(app, "office", PASSWORD, "S. Ecretaris", now)
    token = log_in(app, "office", PASSWORD, now)
    assert token is not None
    return TestClient(create_app(app), cookies={session_cookie_name(app): token})


def _feed(tmp_path: Path, env: dict[str, str]) -> str:
    out = tmp_path / "feed.ics"
    _ok("calendar", "export", "--out", str(out), env=env)
    # Unfolded (RFC 5545 continuation lines) and unescaped enough to read as text.
    text = out.read_bytes().decode("utf-8")
    return text.replace("\r\n ", "").replace("\\n", "\n").replace("\\,", ",")


def test_the_plans_office_name_in_feed_sheet_redaction_and_item_page(
    tmp_path: Path, migrated_url: str
) -> None:
    env = _env(tmp_path, migrated_url)
    _ok("sync", env=env)
    _ok("update", "1.3", "--status", "on_track", "--comment", "Inventaris loopt", env=env)
    _ok("update", "1.2", "--status", "at_risk", "--comment", "Jan is ziek", env=env)
    app = bootstrap(load_settings(env))
    with app.session() as session:
        [noted] = Repository(session, app.programme_id()).status_updates(item="1.2")
    _ok("update", "redact", str(noted.id), "--reason", "naam en gezondheid", "--yes", env=env)

    feed = _feed(tmp_path, env)
    assert f"Voor het programmasecretariaat (met inlog): {BASE}/items/1.2" in feed
    assert "programmabureau" not in feed.lower()

    sheet = tmp_path / "blad.csv"
    _ok("update-sheet", "--out", str(sheet), env=env)
    rows = list(csv.reader(io.StringIO(sheet.read_text("utf-8-sig")), delimiter=";"))
    assert "Die komt bij het programmasecretariaat en kan" in rows[0][0]
    assert "programmabureau" not in rows[0][0]

    with app.session() as session:
        [redacted] = Repository(session, app.programme_id()).status_updates(item="1.2")
    assert redacted.comment is not None
    assert redacted.comment.startswith("[notitie verwijderd door het programmasecretariaat op ")

    page = _client(app).get("/items/1.3")
    assert page.status_code == 200
    shown = visible(page.text)
    assert "Inventaris loopt" in shown and "Programmasecretariaat" in shown
    assert "programmabureau" not in shown.lower()


def test_an_item_taken_out_of_the_plan_in_the_feed_and_on_its_page(
    tmp_path: Path, migrated_url: str
) -> None:
    env = _env(tmp_path, migrated_url)
    _ok("sync", env=env)
    _ok("update", "1.3", "--status", "on_track", "--comment", "Inventaris loopt", env=env)
    _feed(tmp_path, env)  # published while in the plan
    plan = Path(env["REGIE_PLAN"])
    plan.write_text(plan.read_text(encoding="utf-8").replace(REMOVED, ""), "utf-8")
    assert "1 archived" in _ok("sync", env=env)

    feed = _feed(tmp_path, env)
    event = feed[feed.index("UID:1.3@") : feed.index("END:VEVENT", feed.index("UID:1.3@"))]
    assert "STATUS:CANCELLED" in event and "SEQUENCE:1" in event
    assert "SUMMARY:Uit het plan: [1.3] Sloopinventaris" in event
    assert "Actie: 1.3 Sloopinventaris" in event  # the action itself left: its title (walk54b 5)
    assert "Vervallen" not in event
    assert f"URL:{BASE}/items/1.3" in event

    app = bootstrap(load_settings(env))
    client = _client(app)
    page = client.get("/items/1.3")
    assert page.status_code == 200, page.text
    shown = visible(page.text)
    assert "1.3 Sloopinventaris" in shown
    assert "Dit punt is op " in shown and " uit het plan gehaald." in shown
    assert "Stand uit het plan gehaald" in shown
    assert "Inventaris loopt" in shown  # its status updates
    assert "Gereed (plan) Q1-2027" in shown  # as it last stood in the plan
    assert 'role="status"' in page.text
    assert client.get("/items/9.9").status_code == 404  # never in the plan: still not found
    # An item still in the plan has no banner.
    assert "uit het plan gehaald" not in visible(client.get("/items/1.2").text)
