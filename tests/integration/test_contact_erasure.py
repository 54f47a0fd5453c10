"""`regie contact export|forget` (AVG art. 15 and 17) on SQLite and PostgreSQL: the export holds
every row about a contact; forgetting changes exactly what it says and nothing else, and the
append-only triggers still refuse everything else."""

from __future__ import annotations

import json
import os
import shutil
import stat
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from regie.bootstrap import App, bootstrap
from regie.config import load_settings
from regie.errors import InvalidInput
from tests.conftest import SEED_PLAN
from tests.integration.server import TEST_SECRET_KEY

WHO = "telos-voorbeeld"
NAME = "H. Voorbeeld (Telos, fictief)"
EMAIL = "h.voorbeeld.telos@example.org"
ENTRY = (
    "  - id: telos-voorbeeld\n    name: H. Voorbeeld (Telos, fictief)\n    organisation: Telos\n"
    "    email: h.voorbeeld.telos@example.org\n    role: onderzoeker (fictief voorbeeld)\n"
)
NOW = datetime(2015, 10, 9, 12, tzinfo=UTC)
SKIP = {"alembic_version"}


def _app(tmp_path: Path, url: str) -> App:
    plan = tmp_path / "plan.yaml"
    shutil.copy(SEED_PLAN, plan)
    return bootstrap(
        load_settings({"REGIE_HOME": str(tmp_path / "home"), "REGIE_DATABASE_URL": url,
                       "REGIE_PLAN": str(plan)})
    )  # fmt: skip


def _history(app: App) -> None:
    """Reminders to WHO sent through the file outbox, one queued, an update with a note by WHO,
    Slack caches and answer links; then WHO leaves the plan."""
    from regie.cycle import deadline_check, send_reminders
    from regie.history import record_update
    from regie.services import sync

    deadline_check(app, date(2015, 10, 1))
    send_reminders(app)
    record_update(
        app, "2.3.1", "at_risk", as_of=date(2015, 10, 2), forecast=date(2015, 12, 1),
        completed_on=None, comment="vertraagd door ziekte", author=WHO,
    )  # fmt: skip
    record_update(
        app, "2.3.1", "at_risk", as_of=date(2015, 10, 5), forecast=date(2015, 12, 1),
        completed_on=None, comment="door het bureau", author=None,
    )  # fmt: skip
    deadline_check(app, date(2015, 10, 8))  # queued, not sent
    with app.engine.begin() as conn:
        pid = app.programme_id()
        # A message given up on, the mail server's reply quoting the address.
        dead = conn.execute(
            sa.text("SELECT min(id) FROM outbox WHERE recipient = :c AND status = 'sent'"),
            {"c": WHO},
        ).scalar_one()
        conn.execute(
            sa.text(
                "INSERT INTO outbox (programme_id, key, kind, recipient, recipient_name, email, "
                "subject, body_text, payload, created_on, status, attempts, last_error, "
                "created_at) SELECT programme_id, 'dead-one', 'round_request', recipient, "
                "recipient_name, "
                "email, subject, body_text, payload, created_on, 'dead', 5, :e, created_at "
                "FROM outbox WHERE id = :id"
            ),
            {"e": f"550 5.1.1 <{EMAIL}>: Recipient address rejected", "id": dead},
        )
        conn.execute(
            sa.text(
                "INSERT INTO slack_users (programme_id, slack_user_id, contact_code, email, "
                "looked_up_at) VALUES (:p, 'U0TELOS', :c, :e, :t)"
            ),
            {"p": pid, "c": WHO, "e": EMAIL, "t": NOW.replace(tzinfo=None)},
        )
        conn.execute(
            sa.text(
                "INSERT INTO slack_lookups (email, user_id, looked_up_at) "
                "VALUES (:e, 'U0TELOS', :t), ('other@example.org', 'U0OTHER', :t)"
            ),
            {"e": EMAIL, "t": NOW.replace(tzinfo=None)},
        )
        conn.execute(
            sa.text(
                "INSERT INTO answer_links (programme_id, token, contact_code, item_code, "
                "outbox_key, created_at, used_at) VALUES "
                "(:p, 'unused', :c, '2.3.1', 'k1', :t, NULL), "
                "(:p, 'used', :c, '2.3.1', 'k2', :t, :t)"
            ),
            {"p": pid, "c": WHO, "t": NOW.replace(tzinfo=None)},
        )
    plan = app.settings.plan_path
    text = plan.read_text(encoding="utf-8")
    assert ENTRY in text
    plan.write_text(text.replace(ENTRY, ""), encoding="utf-8")
    sync(app, None)


def _json(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "{[":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _dump(app: App) -> dict[str, dict[Any, dict[str, Any]]]:
    inspector = sa.inspect(app.engine)
    out: dict[str, dict[Any, dict[str, Any]]] = {}
    with app.engine.connect() as conn:
        for table in sorted(set(inspector.get_table_names()) - SKIP):
            rows = conn.execute(sa.text(f"SELECT * FROM {table}")).mappings().all()
            keys = inspector.get_pk_constraint(table)["constrained_columns"]
            out[table] = {
                tuple(r[k] for k in keys): {k: _json(v) for k, v in r.items()} for r in rows
            }
    return out


def test_export_holds_every_row_about_the_contact(tmp_path: Path, migrated_url: str) -> None:
    from regie.erasure import export_contact, write_export

    app = _app(tmp_path, migrated_url)
    _history(app)
    data = export_contact(app, WHO, NOW)
    assert data["contacts"][0]["name"] == NAME and data["contacts"][0]["archived_at"]
    assert any(r["kind"] == "created" for r in data["plan_revisions"])
    assert "sent" in {m["status"] for m in data["outbox"]}
    assert all(m["email"] == EMAIL for m in data["outbox"])
    assert any(m["sent_at"] for m in data["outbox"])
    assert [u["comment"] for u in data["status_updates"]] == ["vertraagd door ziekte"]
    assert any(e["name"] == "regie.status.updated" for e in data["events"])
    assert data["prompts"] and data["slack_users"][0]["slack_user_id"] == "U0TELOS"
    assert [s["email"] for s in data["slack_lookups"]] == [EMAIL]
    assert len(data["answer_links"]) == 2 and "token" not in data["answer_links"][0]
    assert data["outbox_files"] and data["erasure"] is None
    out = tmp_path / "export.json"
    umask = os.umask(0o022)
    try:
        assert "exported" in write_export(data, out)
    finally:
        os.umask(umask)
    assert json.loads(out.read_text("utf-8"))["contact"] == WHO
    assert stat.S_IMODE(out.stat().st_mode) == 0o600  # one person's data: theirs and the office's
    with pytest.raises(InvalidInput, match="already exists"):
        write_export(data, out)


def test_forget_refuses_a_contact_still_in_the_plan(tmp_path: Path, migrated_url: str) -> None:
    from regie.erasure import forget_contact
    from regie.services import sync

    app = _app(tmp_path, migrated_url)
    sync(app, None)
    with pytest.raises(InvalidInput, match="remove them from the plan first"):
        forget_contact(app, WHO, NOW, notes=False, apply=True)


def test_forget_changes_exactly_what_it_says(tmp_path: Path, migrated_url: str) -> None:
    from regie.erasure import forget_contact

    app = _app(tmp_path, migrated_url)
    _history(app)
    files = sorted((app.settings.home / "outbox").glob("*.eml"))
    mine = [f for f in files if EMAIL in f.read_text("utf-8")]
    assert mine and len(mine) < len(files)
    before = _dump(app)
    dry = forget_contact(app, WHO, NOW, notes=False, apply=False)
    assert not dry.done and dry.counts["outbox"] > 0
    assert _dump(app) == before  # a dry run changes nothing
    report = forget_contact(app, WHO, NOW, notes=False, apply=True)
    assert report.done and report.pseudonym.startswith("vertrokken-")
    assert {k: v for k, v in report.counts.items()} == {k: v for k, v in dry.counts.items()}
    after = _dump(app)
    pseudonym = report.pseudonym

    # The tables it names change only in the columns it names; every other table is untouched.
    allowed = {
        "contacts": {"name", "email", "slack"},
        "plan_revisions": {"before", "after"},
        "status_updates": {"author"},
        "events": {"payload"},
        "outbox": {"recipient_name", "email", "slack", "subject", "body_text", "body_html",
                   "payload", "status", "next_attempt_at", "last_error"},
    }  # fmt: skip
    removed = {"answer_links", "slack_users", "slack_lookups"}
    added = {"erasures", "events"}
    for table, rows in before.items():
        now_rows = after[table]
        for key, row in rows.items():
            if key not in now_rows:
                assert table in removed, (table, row)
                continue
            changed = {k for k in row if row[k] != now_rows[key][k]}
            assert changed <= allowed.get(table, set()), (table, key, changed)
        new = set(now_rows) - set(rows)
        assert not new or table in added, (table, new)
    # Removed: only WHO's unused link and caches.
    assert [r["token"] for r in after["answer_links"].values()] == ["used"]
    assert after["slack_users"] == {}
    assert [r["email"] for r in after["slack_lookups"].values()] == ["other@example.org"]
    # Nothing left that names them, except in archived reports (none here).
    text = json.dumps({t: list(r.values()) for t, r in after.items()}, default=str)
    assert NAME not in text and EMAIL not in text and "U0TELOS" not in text
    [update] = [u for u in after["status_updates"].values() if u["author"] == pseudonym]
    assert update["comment"] == "vertraagd door ziekte" and update["status"] == "at_risk"
    assert not any(u["author"] == WHO for u in after["status_updates"].values())
    # Keys unchanged; unsent messages suppressed; bodies a placeholder.
    theirs = [m for m in after["outbox"].values() if m["recipient"] == WHO]
    assert theirs and all(pseudonym in m["body_text"] for m in theirs)
    assert {m["status"] for m in theirs} <= {"sent", "suppressed", "dead"}
    # A dead message's server reply keeps its gist, not the address.
    [dead] = [m for m in theirs if m["key"] == "dead-one"]
    assert dead["last_error"] == f"550 5.1.1 <{pseudonym}>: Recipient address rejected"
    assert [e for e in after["events"].values() if e["name"] == "regie.contact.forgotten"]
    [erasure] = after["erasures"].values()
    assert erasure["pseudonym"] == pseudonym and not erasure["in_progress"]
    # Their .eml files are gone, the others stay.
    left = sorted((app.settings.home / "outbox").glob("*.eml"))
    assert left == [f for f in files if f not in mine]
    # Again: the same pseudonym, nothing more to change but the event.
    again = forget_contact(app, WHO, NOW.replace(hour=13), notes=True, apply=True)
    assert again.pseudonym == pseudonym
    assert again.counts.get("status_updates") == 1  # the note now blanked
    assert again.counts.get("contacts") is None


def test_triggers_still_refuse_ordinary_changes(tmp_path: Path, migrated_url: str) -> None:
    from regie.erasure import forget_contact

    app = _app(tmp_path, migrated_url)
    _history(app)
    forget_contact(app, WHO, NOW, notes=False, apply=True)
    pseudonym = "vertrokken-1"
    attempts = [
        "UPDATE status_updates SET author = 'someone'",
        f"UPDATE status_updates SET author = '{pseudonym}', status = 'done'",
        "UPDATE status_updates SET comment = NULL",
        "DELETE FROM status_updates",
        "UPDATE events SET payload = '{}'",
        "DELETE FROM events",
        "UPDATE plan_revisions SET after = NULL",
        "DELETE FROM plan_revisions",
        "UPDATE outbox SET body_text = 'x' WHERE status = 'sent'",
        "DELETE FROM outbox",
        "DELETE FROM answer_links",
        "UPDATE prompts SET contact_code = 'x'",
    ]
    for statement in attempts:
        with pytest.raises(sa.exc.DBAPIError), app.engine.begin() as conn:
            conn.execute(sa.text(statement))
    # Even with an erasure marked running, only that contact's rows open up (the office's
    # update is not theirs).
    with pytest.raises(sa.exc.DBAPIError), app.engine.begin() as conn:
        conn.execute(sa.text("UPDATE erasures SET in_progress = true"))
        conn.execute(sa.text(f"UPDATE status_updates SET author = '{pseudonym}'"))


def test_send_and_cycle_work_after_a_forget_and_the_page_shows_the_pseudonym(
    tmp_path: Path, migrated_url: str
) -> None:
    from starlette.testclient import TestClient

    from regie.cycle import deadline_check, send_reminders
    from regie.erasure import forget_contact
    from regie.users import add_user, log_in
    from web.app import create_app
    from web.security import session_cookie_name

    app = _app(tmp_path, migrated_url)
    _history(app)
    report = forget_contact(app, WHO, NOW, notes=False, apply=True)
    send_reminders(app)
    checked = deadline_check(app, date(2015, 10, 15))
    assert checked is not None
    send_reminders(app)
    with app.engine.connect() as conn:
        statuses = conn.execute(
            sa.text("SELECT DISTINCT status FROM outbox WHERE recipient = :c"), {"c": WHO}
        ).scalars()
        assert set(statuses) <= {"sent", "suppressed", "dead"}  # dead: given up before

    settings = load_settings(
        {"REGIE_HOME": str(tmp_path / "home"), "REGIE_DATABASE_URL": migrated_url,
         "REGIE_PLAN": str(app.settings.plan_path), "REGIE_SECRET_KEY": TEST_SECRET_KEY}
    )  # fmt: skip
    web_app = bootstrap(settings)
    now = datetime.now(UTC)
    add_user(web_app, "office", "a long enough password", "P. Bureau", now)
    token = log_in(web_app, "office", "a long enough password", now)
    assert token is not None
    page = TestClient(create_app(web_app), cookies={session_cookie_name(web_app): token}).get(
        "/items/2.3.1"
    )
    assert page.status_code == 200
    assert report.pseudonym in page.text
    assert NAME not in page.text and EMAIL not in page.text


def test_forget_a_disabled_user(tmp_path: Path, migrated_url: str) -> None:
    from regie.erasure import forget_user
    from regie.users import add_user, disable_user, list_users, log_in

    app = _app(tmp_path, migrated_url)
    now = datetime.now(UTC)
    add_user(app, "jan", "a long enough password", "Jan de Vries", now)
    add_user(app, "piet", "a long enough password", "Piet", now)
    assert log_in(app, "jan", "a long enough password", now)
    with pytest.raises(InvalidInput, match="disable them first"):
        forget_user(app, "jan")
    disable_user(app, "jan", now)
    assert forget_user(app, "jan") == "user jan forgotten: now vertrokken-gebruiker-1"
    users = {u["username"]: u for u in list_users(app, now)}
    assert set(users) == {"vertrokken-gebruiker-1", "piet"}
    assert "Jan de Vries" not in json.dumps(list_users(app, now))
    with app.engine.connect() as conn:
        assert conn.scalar(sa.text("SELECT count(*) FROM web_sessions")) == 0
