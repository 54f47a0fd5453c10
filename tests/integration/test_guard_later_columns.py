"""Migration 0030: while an erasure or a redaction runs, the append-only triggers let through
only its own change; who recorded an update (``recorded_by``, 0018) and which update it corrects
(``corrects``, 0029) stay as they are. Before 0030 such an UPDATE went through (review6 #2)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from store import downgrade, make_engine, upgrade
from store.models import ProgrammeRow
from store.models_erasure import ErasureRow, UpdateRedactionRow

NOW = datetime(2016, 1, 4, 9, 30, tzinfo=UTC)
INSERT = (
    "INSERT INTO status_updates (id, programme_id, item_code, status, reported_on, comment,"
    " author, source, recorded_at, recorded_by, corrects) VALUES (:id, 'p', '1.1', 'done', :day,"
    " 'bel Jan', 'c', 'web', :at, 'office', :corrects)"
)
REDACT = "UPDATE status_updates SET comment = '[verwijderd]'{extra} WHERE id = 2"
ERASE = "UPDATE status_updates SET author = 'vertrokken-1'{extra} WHERE id = 2"
OTHER_COLUMNS = (", corrects = NULL", ", recorded_by = 'someone else'")


@pytest.fixture
def engine(migrated_url: str) -> Iterator[sa.Engine]:
    # A copy of the worker's migrated template (what ``upgrade`` makes of an empty database):
    # the guards are 0030's; the test of before 0030 migrates down and up itself.
    engine = make_engine(migrated_url)
    with engine.begin() as conn:
        conn.execute(
            sa.insert(ProgrammeRow).values(id="p", title="P", created_at=NOW, updated_at=NOW)
        )
        for id_, corrects in ((1, None), (2, 1)):
            values = {"id": id_, "day": date(2016, 1, 4), "at": NOW, "corrects": corrects}
            conn.execute(sa.text(INSERT), values)
    yield engine
    engine.dispose()


def _redacting(conn: sa.Connection, statement: str) -> None:
    """``statement`` inside a running redaction of update 2, closed in the same transaction."""
    conn.execute(
        sa.insert(UpdateRedactionRow).values(
            programme_id="p", update_id=2, item_code="1.1", redacted_at=NOW,
            redacted_by="office", reason="AVG", in_progress=True,
        )
    )  # fmt: skip
    conn.execute(sa.text(statement))
    conn.execute(sa.update(UpdateRedactionRow).values(in_progress=False))


def _erasing(conn: sa.Connection, statement: str) -> None:
    """``statement`` inside a running erasure of contact c, closed in the same transaction."""
    conn.execute(
        sa.insert(ErasureRow).values(
            programme_id="p", contact_code="c", pseudonym="vertrokken-1", forgotten_at=NOW,
            in_progress=True,
        )
    )  # fmt: skip
    conn.execute(sa.text(statement))
    conn.execute(sa.update(ErasureRow).values(in_progress=False))


def _row(engine: sa.Engine) -> tuple[object, ...]:
    with engine.connect() as conn:
        query = "SELECT comment, author, recorded_by, corrects FROM status_updates WHERE id = 2"
        return tuple(conn.execute(sa.text(query)).one())


@pytest.mark.parametrize("extra", OTHER_COLUMNS)
def test_a_redaction_changes_the_note_and_nothing_else(engine: sa.Engine, extra: str) -> None:
    with pytest.raises(sa.exc.DatabaseError, match="append-only"), engine.begin() as conn:
        _redacting(conn, REDACT.format(extra=extra))
    assert _row(engine) == ("bel Jan", "c", "office", 1)

    with engine.begin() as conn:
        _redacting(conn, REDACT.format(extra=""))
    assert _row(engine) == ("[verwijderd]", "c", "office", 1)


@pytest.mark.parametrize("extra", OTHER_COLUMNS)
def test_an_erasure_changes_the_author_and_nothing_else(engine: sa.Engine, extra: str) -> None:
    with pytest.raises(sa.exc.DatabaseError, match="append-only"), engine.begin() as conn:
        _erasing(conn, ERASE.format(extra=extra))
    assert _row(engine) == ("bel Jan", "c", "office", 1)

    with engine.begin() as conn:
        _erasing(conn, ERASE.format(extra=""))
    assert _row(engine) == ("bel Jan", "vertrokken-1", "office", 1)


def test_before_0030_a_redaction_could_change_what_an_update_corrects(
    database_url: str, engine: sa.Engine
) -> None:
    downgrade(database_url, "0029")
    with engine.begin() as conn:
        _redacting(conn, REDACT.format(extra=", corrects = NULL"))
    assert _row(engine) == ("[verwijderd]", "c", "office", None)

    upgrade(database_url)  # and up again: the guard holds once more
    with pytest.raises(sa.exc.DatabaseError, match="append-only"), engine.begin() as conn:
        conn.execute(sa.update(UpdateRedactionRow).values(in_progress=True))
        conn.execute(sa.text("UPDATE status_updates SET corrects = 1 WHERE id = 2"))


@pytest.mark.parametrize("recorded_by", ["office", "someone else"])
def test_an_erasure_keeps_who_recorded_a_plan_revision(engine: sa.Engine, recorded_by: str) -> None:
    """A contact's plan revision loses the contact's data in an erasure; who recorded the
    revision stays (review7 9)."""
    from store.models import PlanRevisionRow

    with engine.begin() as conn:
        conn.execute(
            sa.insert(PlanRevisionRow).values(
                id=1, programme_id="p", recorded_at=NOW, entity="contact", code="c",
                kind="changed", field="email", before="c@x.nl", after="c@y.nl",
                plan_path="plan/contacts.yaml", recorded_by="office",
            )
        )  # fmt: skip
    erase = (
        f"UPDATE plan_revisions SET before = NULL, after = NULL, recorded_by = '{recorded_by}'"
        " WHERE id = 1"
    )
    if recorded_by == "office":
        with engine.begin() as conn:
            _erasing(conn, erase)
    else:
        with pytest.raises(sa.exc.DatabaseError, match="append-only"), engine.begin() as conn:
            _erasing(conn, erase)
    with engine.connect() as conn:
        row = conn.execute(sa.select(PlanRevisionRow.before, PlanRevisionRow.recorded_by)).one()
    assert tuple(row) == ((None, "office") if recorded_by == "office" else ("c@x.nl", "office"))
