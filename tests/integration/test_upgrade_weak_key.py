"""A REGIE_SECRET_KEY an older release accepted, refused after an upgrade (walk29 finding 4):
the commands that sign answer links refuse it first, before the embedded SQLite database is
migrated, so the home stays at its revision with no copy made. (PostgreSQL is never migrated by
a command: `regie db upgrade`.)"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from store.db import downgrade
from tests.cli_in_process import regie
from tests.integration.test_upgrade_copy import _copies, _env, _revision

#: Long enough, but of one character: accepted before weak keys were refused.
WEAK_KEY = "a" * 40


@pytest.mark.parametrize(
    "command",
    [
        ("cycle", "--as-of", "2015-10-01"),
        ("round", "tick", "--as-of", "2015-10-01"),
        ("meeting", "prepare", "--as-of", "2015-10-01"),
    ],
)
def test_a_weak_key_is_refused_before_the_database_is_migrated(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    home = tmp_path / "home"
    env = _env(home)
    synced = regie("sync", env=env)
    assert synced.code == 0, synced.err
    database = home / "regie.db"
    downgrade(f"sqlite:///{database}", "0020")  # a home of an earlier release
    before = _rows(database)

    refused = regie(*command, env={**env, "REGIE_SECRET_KEY": WEAK_KEY})
    assert refused.code == 2, refused.out + refused.err
    (line,) = refused.err.strip().splitlines()
    assert line.startswith("REGIE_SECRET_KEY: too easy to guess:")
    assert _revision(database) == "0020"  # not migrated
    assert _copies(home) == []  # and no copy made: nothing changed
    assert _rows(database) == before


def _rows(database: Path) -> tuple[int, int]:
    db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return (
            db.execute("SELECT count(*) FROM status_updates").fetchone()[0],
            db.execute("SELECT count(*) FROM outbox").fetchone()[0],
        )
    finally:
        db.close()
