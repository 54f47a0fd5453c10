"""Fault suite, the send path: one bad message never strands the others (issue #7 §1)."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from regie.bootstrap import App
from regie.cycle import deadline_check, send_reminders
from tests.cli import regie
from tests.integration.test_cycle import make_app, rows


def poison_one(app: App) -> str:
    """Give one queued message a line break in its recipient name, as a message queued before
    header values were checked would have: the mail library refuses such a header."""
    key = str(rows(app, "SELECT key FROM outbox WHERE status = 'pending' ORDER BY id")[0][0])
    with app.engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE outbox SET recipient_name = :name WHERE key = :key"),
            {"name": "Jan\nBcc: everyone@example.org", "key": key},
        )
    return key


def test_a_poison_message_fails_alone_and_the_rest_go_out(
    tmp_path: Path, database_url: str
) -> None:
    app = make_app(tmp_path, database_url)
    queued = deadline_check(app, date(2015, 10, 1)).queued
    assert len(queued) >= 3
    bad = poison_one(app)
    report = send_reminders(app)
    assert sorted(report.sent) == sorted(k for k in queued if k != bad)
    assert [key for key, _ in report.failed] == [bad]
    assert "ValueError" in report.failed[0][1] and "\n" not in report.failed[0][1]
    status = dict(rows(app, "SELECT key, status FROM outbox"))
    assert Counter(status.values()) == {"sent": len(queued) - 1, "failed": 1}
    error = rows(app, f"SELECT last_error FROM outbox WHERE key = '{bad}'")[0][0]
    assert "ValueError" in str(error)


def test_a_poison_message_dies_alone_after_its_last_attempt(
    tmp_path: Path, sqlite_url: str
) -> None:
    app = make_app(tmp_path, sqlite_url)
    queued = deadline_check(app, date(2015, 10, 1)).queued
    bad = poison_one(app)
    send_reminders(app)
    for _ in range(4):  # make the retry due now, as time passing would
        with app.engine.begin() as conn:
            conn.execute(
                sa.text(
                    "UPDATE outbox SET next_attempt_at = '2000-01-01 00:00:00' "
                    "WHERE status = 'failed'"
                )
            )
        report = send_reminders(app)
    assert report.dead == [bad]
    statuses = Counter(s for _, s in rows(app, "SELECT key, status FROM outbox"))
    assert statuses == {"sent": len(queued) - 1, "dead": 1}


def test_send_and_outbox_commands_say_what_failed_and_why(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {"REGIE_HOME": str(home), "REGIE_DATABASE_URL": ""}
    app = make_app(tmp_path, f"sqlite:///{home / 'regie.db'}")
    home.mkdir()
    deadline_check(app, date(2015, 10, 1))
    bad = poison_one(app)
    app.engine.dispose()
    sent = regie("send", env=env)
    assert sent.code == 1
    assert "1 failed" in sent.out
    assert f"failed {bad}: ValueError" in sent.err
    listed = regie("outbox", "--status", "failed", "--format", "json", env=env)
    assert listed.code == 0
    (row,) = json.loads(listed.out)
    assert row["key"] == bad and "ValueError" in row["last_error"]
    table = regie("outbox", "--status", "failed", env=env)
    assert "ValueError" in table.out
