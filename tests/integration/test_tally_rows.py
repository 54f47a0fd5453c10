"""The tally's check against the memory's rows (``store.tallies.load_tally``): it counts the
programme's own rows, whatever other programmes the table holds, and on SQLite a table of one
programme is counted without reading its rows (perf58, issue #8)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from governance.incremental import Remembered
from governance.tally import Tally
from store import memory, tallies
from store.memory import MemoryHeader
from store.models import ProgrammeRow

NOW = datetime(2015, 9, 1, 8, 0, tzinfo=UTC)
DAY = date(2015, 9, 7)


def _programme(session: Session, programme_id: str) -> None:
    session.add(ProgrammeRow(id=programme_id, title=programme_id, created_at=NOW, updated_at=NOW))
    session.commit()


def _items(n: int, prefix: str) -> dict[str, Remembered]:
    rags = ("green", "amber", "red", "grey")
    return {
        f"{prefix}{i}": Remembered(
            "open", rags[i % 4], False, None, DAY, str(i % 3), None, None, None, None, None
        )
        for i in range(n)
    }


def _save(session: Session, programme_id: str, items: dict[str, Remembered]) -> None:
    header = MemoryHeader(DAY, "basis", "hash", 0)
    memory.save(session, programme_id, header, items, None, replace_all=True, recorded_at=NOW)
    session.commit()


def _delete_row(session: Session, programme_id: str, code: str) -> None:
    session.execute(
        sa.text("DELETE FROM item_memory WHERE programme_id = :p AND item_code = :c"),
        {"p": programme_id, "c": code},
    )


def test_the_tally_is_checked_against_the_programmes_own_rows(session: Session) -> None:
    """With a second programme's rows in the table (before and after it in key order), each
    programme's stored tally is trusted when it adds up to that programme's rows; a row of one
    removed by hand has that one's tally counted from its rows, the other's still trusted. With
    the table holding one programme only, a row removed by hand is noticed too."""
    for pid in ("b", "a", "c"):
        _programme(session, pid)
    own = {"b": _items(9, "b"), "a": _items(5, "a"), "c": _items(7, "c")}
    for pid, items in own.items():
        _save(session, pid, items)
    for pid, items in own.items():
        assert tallies.load_tally(session, pid) == Tally.of(items)._replace(stored=True)
    _delete_row(session, "b", "b0")
    left = {c: r for c, r in own["b"].items() if c != "b0"}
    assert tallies.load_tally(session, "b") == Tally.of(left)  # counted: not stored
    assert tallies.load_tally(session, "a").stored and tallies.load_tally(session, "c").stored
    session.rollback()
    for pid in ("a", "c"):
        session.execute(sa.text("DELETE FROM item_memory WHERE programme_id = :p"), {"p": pid})
    assert tallies.load_tally(session, "b") == Tally.of(own["b"])._replace(stored=True)
    _delete_row(session, "b", "b1")
    left = {c: r for c, r in own["b"].items() if c != "b1"}
    assert tallies.load_tally(session, "b") == Tally.of(left)
    session.rollback()


def test_sqlite_counts_one_programmes_table_without_reading_its_rows(session: Session) -> None:
    """SQLite: the row count of a table holding one programme's memory takes a handful of the
    engine's instructions, not a few per row (its B-tree counted page by page)."""
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("SQLite's own count")
    _programme(session, "p")
    n = 5_000
    _save(session, "p", _items(n, "p"))
    driver = session.connection().connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    steps = [0]

    def tick() -> int:
        steps[0] += 100
        return 0

    driver.set_progress_handler(tick, 100)
    try:
        tally = tallies.load_tally(session, "p")
    finally:
        driver.set_progress_handler(None, 0)
    assert tally == Tally.of(_items(n, "p"))._replace(stored=True)
    assert steps[0] < n  # row by row (the index scan): ≈ 3 instructions a row; now < 100
