"""Migration 0015 on SQLite and PostgreSQL: the append-only triggers let a running erasure make
exactly its changes, refuse everything else, and the downgrade restores the old triggers."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from store import downgrade, make_engine, upgrade
from store.models import OutboxRow, ProgrammeRow, StatusUpdateRow
from tests.integration.old_schema import before_0018

NOW = datetime(2016, 1, 4, 9, 30, tzinfo=UTC)
ERASE_UPDATE = "UPDATE status_updates SET author = 'vertrokken-1' WHERE author = 'jdevries'"
ERASE_OUTBOX = (
    "UPDATE outbox SET recipient_name = '', body_text = 'weg' WHERE recipient = 'jdevries'"
)
REFUSED = "append-only|stays sent|never deleted"
ERASE_LINK = "DELETE FROM answer_links WHERE contact_code = 'jdevries'"


def _seed(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            sa.insert(ProgrammeRow).values(id="p", title="P", created_at=NOW, updated_at=NOW)
        )
        for author in ("jdevries", "office"):
            conn.execute(
                sa.insert(before_0018(StatusUpdateRow)).values(
                    programme_id="p",
                    item_code="1.1",
                    status="on_track",
                    author=author,
                    reported_on=date(2016, 1, 4),
                    source="cli",
                    recorded_at=NOW,
                )
            )
        conn.execute(
            sa.insert(OutboxRow).values(
                programme_id="p",
                key="reminder:jdevries:2016-01-04",
                kind="reminder_digest",
                recipient="jdevries",
                recipient_name="J. de Vries",
                subject="Verzoek",
                body_text="Beste J. de Vries",
                payload={},
                status="sent",
                created_at=NOW,
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO answer_links (programme_id, token, contact_code, item_code, "
                "outbox_key, created_at) VALUES ('p', 't', 'jdevries', '1.1', 'k', :t)"
            ),
            {"t": NOW.replace(tzinfo=None)},
        )


def _refused(engine: sa.Engine, *statements: str) -> None:
    for statement in statements:
        # The triggers' own words: not a trigger left pointing at a dropped table.
        with pytest.raises(sa.exc.DBAPIError, match=REFUSED), engine.begin() as conn:
            conn.execute(sa.text(statement))


def _erase(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO erasures (programme_id, contact_code, pseudonym, forgotten_at, "
                "in_progress) VALUES ('p', 'jdevries', 'vertrokken-1', :t, true)"
            ),
            {"t": NOW.replace(tzinfo=None)},
        )
        for statement in (ERASE_UPDATE, ERASE_OUTBOX, ERASE_LINK):
            conn.execute(sa.text(statement))
        conn.execute(sa.text("UPDATE erasures SET in_progress = false"))


def test_0015_up_down_and_up_again(database_url: str) -> None:
    upgrade(database_url, "0014")
    engine = make_engine(database_url)
    try:
        _seed(engine)
        _refused(engine, ERASE_UPDATE, ERASE_OUTBOX, ERASE_LINK)  # what 0015 is for
        upgrade(database_url)
        _refused(engine, ERASE_UPDATE, ERASE_OUTBOX, ERASE_LINK)  # no erasure running
        _erase(engine)
        with engine.connect() as conn:
            authors = conn.execute(sa.text("SELECT author FROM status_updates ORDER BY id"))
            assert list(authors.scalars()) == ["vertrokken-1", "office"]
            assert conn.scalar(sa.text("SELECT count(*) FROM answer_links")) == 0
        _refused(
            engine,
            "UPDATE status_updates SET author = 'x'",
            "UPDATE status_updates SET status = 'done'",
            "DELETE FROM status_updates",
            "UPDATE outbox SET body_text = 'x'",
            "DELETE FROM outbox",
        )
        downgrade(database_url, "0014")
        assert "erasures" not in sa.inspect(engine).get_table_names()
        _refused(
            engine,
            "UPDATE status_updates SET author = 'vertrokken-1' WHERE author = 'office'",
            "DELETE FROM status_updates",
            "UPDATE outbox SET body_text = 'x'",
        )
        upgrade(database_url)
        _refused(engine, "UPDATE status_updates SET author = 'vertrokken-1'")
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_an_erasure_left_open_never_commits_on_postgres(postgres_url: str) -> None:
    upgrade(postgres_url)
    engine = make_engine(postgres_url)
    try:
        _seed(engine)
        with pytest.raises(sa.exc.DBAPIError, match="own transaction"), engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO erasures (programme_id, contact_code, pseudonym, forgotten_at, "
                    "in_progress) VALUES ('p', 'jdevries', 'vertrokken-1', now(), true)"
                )
            )
        with engine.connect() as conn:
            assert conn.scalar(sa.text("SELECT count(*) FROM erasures")) == 0
    finally:
        engine.dispose()
