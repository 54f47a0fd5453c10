"""The first cycle after a recorded restore (walk58d 5): the restored database does not know
what went out after the backup, so the cycle queues and sends nothing, says why and what to
do (docs/operations.md, "Restore", step 4), and exits 1; a cycle after it sends as always. A
`--no-send` cycle (step 4 as written) answers the restore too. A dry run with a channel that
leaves no trace (e-mail, Slack) says it cannot tell what went out. SQLite and PostgreSQL: the
restore is recorded the same way for both (`regie db restore --yes`, `--record-only`)."""

from __future__ import annotations

import json
from pathlib import Path

from regie.backup import record_restore
from regie.bootstrap import App
from tests.cli_in_process import regie
from tests.integration.test_cycle import make_app, rows


def _env(app: App, tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        "REGIE_HOME": str(app.settings.home),
        "REGIE_PLAN": str(app.settings.plan_path),
        "REGIE_DATABASE_URL": app.settings.database_url,
        "REGIE_NOTIFIER": "file",
        "PREFECT_API_URL": "",
        "PREFECT_HOME": str(tmp_path / "prefect"),
        **extra,
    }


def _statuses(app: App, day: str) -> set[object]:
    return {r[0] for r in rows(app, f"SELECT status FROM outbox WHERE created_on = '{day}'")}


def test_the_first_cycle_after_a_restore_holds_its_messages(
    tmp_path: Path, database_url: str
) -> None:
    app = make_app(tmp_path, database_url)
    env = _env(app, tmp_path)
    assert regie("sync", env=env).code == 0
    record_restore(app, "regie-2015-09-30.dump", None)  # as `db restore --record-only` does
    held = regie("cycle", "--as-of", "2015-10-01", env=env)
    assert held.code == 1  # someone must look before anything goes out
    [line] = [x for x in held.err.splitlines() if "restore" in x]
    pending = rows(app, "SELECT count(*) FROM outbox WHERE status = 'pending'")[0][0]
    assert isinstance(pending, int) and pending > 0
    assert line.startswith("regie: a restore from regie-2015-09-30.dump was recorded ")
    assert (
        f" and no cycle has run since: this cycle sent nothing ({pending} messages pending), "
        "since messages sent after the backup may be queued again; look at `regie outbox "
        "--status pending`, mark those known to have gone out with `regie outbox mark-sent "
        'KEY… --yes`, then `regie send` (docs/operations.md, "Restore", step 4)'
    ) in line
    assert "ran: in-process (held after the restore: " in held.out
    assert _statuses(app, "2015-10-01") == {"pending"}
    assert not list(app.settings.outbox_dir.glob("*.eml"))
    # The next cycle (here a rerun of the same day, which records no new assessed day) sends.
    again = regie("cycle", "--as-of", "2015-10-01", env=env)
    assert again.code == 0, again.err
    assert "restore" not in again.err
    after = _statuses(app, "2015-10-01")
    assert "sent" in after and "pending" not in after
    [cycled] = rows(app, "SELECT payload FROM events WHERE name = 'regie.db.restore_cycled'")
    payload = json.loads(cycled[0]) if isinstance(cycled[0], str) else cycled[0]
    assert payload["held"] is True  # recorded: this cycle held them (`regie events`)


def test_a_no_send_cycle_after_a_restore_answers_it(tmp_path: Path, database_url: str) -> None:
    app = make_app(tmp_path, database_url)
    env = _env(app, tmp_path)
    assert regie("cycle", "--as-of", "2015-10-01", env=env).code == 0
    record_restore(app, "regie-2015-09-30.db", None)
    queued = regie("cycle", "--full", "--no-send", "--as-of", "2015-10-02", env=env)
    assert queued.code == 0, queued.err
    assert "restore" not in queued.err  # asked for: nothing held, nothing to say
    assert regie("cycle", "--as-of", "2015-10-05", env=env).code == 0


def test_a_dry_run_after_a_restore_says_what_it_cannot_tell(
    tmp_path: Path, sqlite_url: str
) -> None:
    app = make_app(tmp_path, sqlite_url)
    env = _env(app, tmp_path)
    assert regie("sync", env=env).code == 0
    record_restore(app, "regie-2015-09-30.db", None)
    dry = regie("cycle", "--dry-run", "--as-of", "2015-10-01", env=env)
    assert dry.code == 0, dry.err
    assert "restore" not in dry.out  # the file outbox: "would send again" names them
    mail = _env(
        app, tmp_path, REGIE_NOTIFIER="email", REGIE_SMTP_HOST="127.0.0.1",
        REGIE_MAIL_FROM="regie@example.nl", REGIE_SMTP_SECURITY="none",
    )  # fmt: skip
    dry = regie("cycle", "--dry-run", "--as-of", "2015-10-01", env=mail)
    assert dry.code == 0, dry.err
    assert (
        ": what went out since the backup by email leaves no trace here, so this dry run cannot "
        "tell which of these messages were sent already; the cycle will queue them and send "
        "none until they are looked at"
    ) in dry.out
    assert rows(app, "SELECT count(*) FROM outbox") == [(0,)]  # a dry run: nothing recorded
