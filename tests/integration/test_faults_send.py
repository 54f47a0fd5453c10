"""Fault suite, the send path: one bad message never strands the others (issue #7 §1)."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from regie.bootstrap import App
from regie.cycle import deadline_check, send_reminders
from tests.cli_in_process import regie
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
    for _ in range(4):  # make the retry due now, and its first attempt a day old (the give-up
        # window), as time passing would
        with app.engine.begin() as conn:
            conn.execute(
                sa.text(
                    "UPDATE outbox SET next_attempt_at = '2000-01-01 00:00:00', "
                    "first_attempt_at = '2000-01-01 00:00:00' WHERE status = 'failed'"
                )
            )
        report = send_reminders(app)
    assert report.dead == [bad]
    statuses = Counter(s for _, s in rows(app, "SELECT key, status FROM outbox"))
    assert statuses == {"sent": len(queued) - 1, "dead": 1}


def test_send_and_outbox_commands_say_what_failed_and_why(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {"REGIE_HOME": str(home), "REGIE_DATABASE_URL": ""}
    home.mkdir()
    app = make_app(tmp_path, f"sqlite:///{home / 'regie.db'}")
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


def test_delivery_and_the_audit_log_work_without_a_readable_plan(tmp_path: Path) -> None:
    """§4: someone is editing the plan (broken) or it is gone: queued messages still go out."""
    home = tmp_path / "home"
    home.mkdir()
    app = make_app(tmp_path, f"sqlite:///{home / 'regie.db'}")
    queued = deadline_check(app, date(2015, 10, 1)).queued
    app.engine.dispose()
    broken = tmp_path / "plan.yaml"
    broken.write_text("schema: 1\nprogramme: [\n")
    for plan in (broken, tmp_path / "missing.yaml"):
        env = {"REGIE_HOME": str(home), "REGIE_DATABASE_URL": "", "REGIE_PLAN": str(plan)}
        events = regie("events", "--format", "json", env=env)
        assert events.code == 0, events.err
        assert json.loads(events.out)
        listed = regie("outbox", "--format", "json", env=env)
        assert listed.code == 0, listed.err
        assert len(json.loads(listed.out)) == len(queued)
    sent = regie("send", env=env)
    assert sent.code == 0, sent.err
    assert f"{len(queued)} sent" in sent.out


def test_a_message_is_checked_again_before_it_goes_out(tmp_path: Path, database_url: str) -> None:
    """#9 §4: items done or cancelled after queueing are left out; an empty digest is not sent."""
    from regie.history import record_update
    from regie.recheck import NOTHING_LEFT

    app = make_app(tmp_path, database_url)
    # The owners asked a week before (recorded as given): the overdue items escalate on the 1st.
    deadline_check(app, date(2015, 9, 24), replay=True)
    deadline_check(app, date(2015, 10, 1))
    for item, status in (("2.3.1", "done"), ("2.2.1", "cancelled")):
        record_update(
            app, item, status, as_of=date(2015, 10, 2), forecast=None, completed_on=None,
            comment=None, author=None,
        )  # fmt: skip
    report = send_reminders(app)
    status = {str(k): (s, e) for k, s, e in rows(app, "SELECT key, status, last_error FROM outbox")}
    rivm = (
        "reminder:mvi-2015-2020:rivm-voorbeeld:2015-10-01:digest"  # only 2.2.1: nothing left to ask
    )
    assert rivm in report.skipped and rivm not in report.sent
    assert status[rivm][0] == "suppressed" and str(status[rivm][1]).startswith(NOTHING_LEFT)
    telos = (
        "reminder:mvi-2015-2020:telos-voorbeeld:2015-10-01:digest"  # 2.3.1 done, 2.3.2 still open
    )
    escalation = (
        "escalation:mvi-2015-2020:programmabureau:2015-10-01"  # 2.2.1 and 2.3.1 both finished
    )
    assert escalation in report.skipped
    assert telos in report.sent
    body = str(rows(app, f"SELECT body_text FROM outbox WHERE key = '{telos}'")[0][0])
    assert "2.3.2" in body and "2.3.1" not in body
    sent = [f.read_text(encoding="utf-8") for f in app.settings.outbox_dir.glob("*telos*.eml")]
    assert len(sent) == 1 and "2.3.2" in sent[0] and "2.3.1" not in sent[0]
    from email import message_from_string, policy

    subject = str(message_from_string(sent[0], policy=policy.default)["Subject"])
    assert "1 punt" in subject  # the subject was rendered again, too


def test_send_counts_the_messages_left_unsent_because_their_items_finished(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    env = {"REGIE_HOME": str(home), "REGIE_DATABASE_URL": ""}
    home.mkdir()
    app = make_app(tmp_path, f"sqlite:///{home / 'regie.db'}")
    queued = deadline_check(app, date(2015, 10, 1)).queued
    app.engine.dispose()
    # RIVM's digest asks only about 2.2.1; the office cancels it before the digest goes out.
    cancel = regie("update", "2.2.1", "--status", "cancelled", "--as-of", "2015-10-02", env=env)
    assert cancel.code == 0, cancel.err
    sent = regie("send", env=env)
    assert sent.code == 0, sent.err
    n = len(queued) - 1
    assert sent.out.startswith(
        f"file: {n} sent, 0 failed, 1 not sent (their items finished since they were queued)"
    )
