"""The embedded SQLite database, migrated by the first command after a code upgrade (a read-only
one like `regie status` too), is copied first (outage2): beside it, at its old revision, 0600,
named on stderr with how to bring it back; a fresh database gets no copy; a few copies kept."""

from __future__ import annotations

import sqlite3
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

from regie.history import office_time
from regie.sqlite_copy import KEEP_BEFORE_UPGRADE, keep_before_upgrade
from store.db import downgrade, head_revision, upgrade
from tests.cli_in_process import regie

ROOT = Path(__file__).resolve().parents[2]


def _env(home: Path) -> dict[str, str]:
    return {
        "REGIE_HOME": str(home),
        "REGIE_DATABASE_URL": "",
        "REGIE_PLAN": str(ROOT / "plan" / "actions.yaml"),
    }


def _revision(path: Path) -> str:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return str(db.execute("SELECT version_num FROM alembic_version").fetchone()[0])
    finally:
        db.close()


def _copies(home: Path) -> list[Path]:
    return sorted(home.glob("regie.db.before-*"))


def test_a_status_command_upgrades_an_older_database_and_keeps_a_copy(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = _env(home)
    synced = regie("sync", env=env)
    assert synced.code == 0, synced.err
    database = home / "regie.db"
    url = f"sqlite:///{database}"
    downgrade(url, "0020")  # as a database of an earlier Regie (with rows: the synced plan)
    assert _copies(home) == []

    status = regie("status", "--as-of", "2015-10-01", env=env)
    assert status.code == 0, status.err
    head = head_revision()
    assert _revision(database) == head
    [copy] = _copies(home)
    assert copy.name.startswith(f"regie.db.before-{head}-")
    assert _revision(copy) == "0020"  # the database as it was
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    [line] = [line for line in status.err.splitlines() if "kept as" in line]
    assert f"from revision 0020 to {head}" in line
    assert str(copy) in line and f"`regie db restore {copy} --yes`" in line
    # This version would migrate the copy again: the way back starts with the earlier one.
    assert "(to go back: install the earlier version of Regie again, then `regie db" in line
    assert line.endswith("; this version would upgrade it again)")
    db = sqlite3.connect(copy)
    try:  # a whole database, with its rows
        assert db.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        assert db.execute("SELECT count(*) FROM contacts").fetchone()[0] > 0
    finally:
        db.close()

    again = regie("status", "--as-of", "2015-10-01", env=env)
    assert again.code == 0 and "kept as" not in again.err  # at the head: nothing to copy
    assert _copies(home) == [copy]


def test_a_fresh_database_gets_no_copy(tmp_path: Path) -> None:
    home = tmp_path / "home"
    status = regie("status", "--as-of", "2015-10-01", env=_env(home))
    assert status.code == 0, status.err
    assert (home / "regie.db").is_file() and _copies(home) == []
    assert "kept as" not in status.err


def test_only_the_newest_copies_are_kept(tmp_path: Path) -> None:
    database = tmp_path / "regie.db"
    upgrade(f"sqlite:///{database}")
    other = tmp_path / "regie.db.before-notes.txt"  # not a copy: left alone
    other.write_text("x", encoding="utf-8")
    start = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
    made = [
        keep_before_upgrade(database, f"00{22 + n}", now=start + timedelta(minutes=n))
        for n in range(KEEP_BEFORE_UPGRADE + 2)
    ]
    assert _copies(tmp_path) == sorted([*made[-KEEP_BEFORE_UPGRADE:], other])
    assert keep_before_upgrade(database, "0026", now=start + timedelta(minutes=4)) == made[-1]


def test_a_restore_knows_the_copy_kept_before_an_upgrade(tmp_path: Path) -> None:
    """Regie's own copy is named as such, not "not made by `regie db backup`?", and the restore
    says that this version would upgrade it again (walk58d 4)."""
    home = tmp_path / "home"
    env = _env(home)
    assert regie("sync", env=env).code == 0
    database = home / "regie.db"
    downgrade(f"sqlite:///{database}", "0020")
    assert regie("status", "--as-of", "2015-10-01", env=env).code == 0
    [copy] = _copies(home)
    head = head_revision()
    stamp = copy.name.rsplit("-", 1)[1]
    at = datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    shown = regie("db", "restore", str(copy), env=env)
    assert shown.code == 0, shown.err
    lines = shown.out.splitlines()
    assert lines[0] == (
        f"backup {copy}: the copy Regie kept before the upgrade to revision {head} "
        f"({office_time(at, 'Europe/Amsterdam')})"
    )
    assert "not made by `regie db backup`" not in shown.out
    assert (
        f"the backup is at revision 0020 (this Regie: {head}): restored with this version it "
        "is upgraded again; to go back to the earlier version, install it again first, then "
        'restore (docs/operations.md, "Upgrade")'
    ) in lines
    # A backup at this version's revision needs no such words.
    backup = tmp_path / "now.db"
    assert regie("db", "backup", str(backup), env=env).code == 0
    assert "the backup is at revision" not in regie("db", "restore", str(backup), env=env).out
