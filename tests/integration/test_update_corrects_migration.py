"""Migration 0029: ``status_updates.corrects`` (walk28 #12). Updates recorded before it keep
their rows and correct nothing; a correction must name an update that exists, an update is
corrected once (a unique index), updates stay append-only; down again, the rows stay."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from store import downgrade, make_engine, upgrade
from store.models import ProgrammeRow

NOW = datetime(2016, 1, 4, 9, 30, tzinfo=UTC)
INSERT = (
    "INSERT INTO status_updates (id, programme_id, item_code, status, reported_on, source,"
    " recorded_at{extra}) VALUES (:id, 'p', '1.1', 'done', :day, 'cli', :at{values})"
)


def _columns(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return {c["name"] for c in sa.inspect(engine).get_columns("status_updates")}
    finally:
        engine.dispose()


def test_0029_adds_corrects_and_keeps_the_updates(database_url: str) -> None:
    upgrade(database_url, "0028")
    engine = make_engine(database_url)
    with engine.begin() as conn:
        conn.execute(
            sa.insert(ProgrammeRow).values(id="p", title="P", created_at=NOW, updated_at=NOW)
        )
        conn.execute(sa.text(INSERT.format(extra="", values="")),
                     {"id": 1, "day": date(2016, 1, 4), "at": NOW})  # fmt: skip
    engine.dispose()
    assert "corrects" not in _columns(database_url)

    upgrade(database_url)
    engine = make_engine(database_url)
    with_corrects = INSERT.format(extra=", corrects", values=", :corrects")
    try:
        with engine.begin() as conn:
            rows = conn.execute(sa.text("SELECT id, corrects FROM status_updates")).all()
            assert [tuple(r) for r in rows] == [(1, None)]
            day = date(2016, 1, 5)
            conn.execute(sa.text(with_corrects), {"id": 2, "day": day, "at": NOW, "corrects": 1})
            with pytest.raises(sa.exc.IntegrityError), conn.begin_nested():  # corrected once
                conn.execute(
                    sa.text(with_corrects), {"id": 3, "day": day, "at": NOW, "corrects": 1}
                )
            with pytest.raises(sa.exc.IntegrityError), conn.begin_nested():  # no such update
                conn.execute(
                    sa.text(with_corrects), {"id": 4, "day": day, "at": NOW, "corrects": 99}
                )
            with pytest.raises(sa.exc.DatabaseError), conn.begin_nested():  # append-only
                conn.execute(sa.text("UPDATE status_updates SET corrects = NULL WHERE id = 2"))
    finally:
        engine.dispose()

    downgrade(database_url, "0028")
    assert "corrects" not in _columns(database_url)
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            ids = conn.execute(sa.text("SELECT id FROM status_updates ORDER BY id")).scalars()
            assert list(ids) == [1, 2]
    finally:
        engine.dispose()
    upgrade(database_url)  # and up again
    assert "corrects" in _columns(database_url)
