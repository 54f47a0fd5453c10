"""A feed GET needs no write: against a database the app may only read (a read-only role, a
read-only SQLite file) it still answers 200 with the feed, and 304 to a repeat."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from regie.bootstrap import App
from regie.feeds import create_token
from tests.integration.feed_clients import synced_app

NOW = datetime(2016, 1, 11, 9, 0, tzinfo=UTC)


def _read_only(app: App) -> None:
    """Every new connection of the app's engine refuses writes (SQLite ``query_only``;
    PostgreSQL read-only transactions, as for a role granted SELECT only)."""
    engine = app.engine
    engine.dispose()

    @sa.event.listens_for(engine, "connect")
    def _refuse_writes(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        if engine.dialect.name == "sqlite":
            cursor.execute("PRAGMA query_only = ON")
        else:
            cursor.execute("SET default_transaction_read_only = on")
            dbapi_connection.commit()
        cursor.close()


def test_a_feed_is_served_from_a_read_only_database(tmp_path: Path, migrated_url: str) -> None:
    from regie.bootstrap import bootstrap
    from web.app import create_app

    app = synced_app(tmp_path, migrated_url)
    token = create_token(app, "programme", "test", NOW)
    path = f"/calendar/{token.token}.ics"

    reader = bootstrap(app.settings)  # the web server, allowed to read only
    _read_only(reader)
    with reader.engine.connect() as connection:  # the refusal is real
        try:
            connection.execute(sa.text("UPDATE calendar_tokens SET label = 'x'"))
            connection.commit()
            raise AssertionError("the database accepted a write")
        except sa.exc.DBAPIError:
            connection.rollback()
    web_app = create_app(reader)
    web_app.state.not_modified.REFRESH_SECONDS = 3600
    client = TestClient(web_app, raise_server_exceptions=False)
    first = client.get(path)  # the first GET ever: nothing of the feed recorded yet
    assert first.status_code == 200, first.text
    assert first.headers["content-type"] == "text/calendar; charset=utf-8"
    assert b"BEGIN:VEVENT" in first.content
    etag = first.headers["etag"]
    again = client.get(path, headers={"If-None-Match": etag})
    assert (again.status_code, again.content) == (304, b"")
    assert again.headers["etag"] == etag
    full = TestClient(create_app(reader), raise_server_exceptions=False)  # no memory: full path
    assert full.get(path, headers={"If-None-Match": etag}).status_code == 304
    assert full.get(path).content == first.content

    # Writable again: the same bytes are served and recorded (the stamps did not depend on it).
    writer = TestClient(create_app(bootstrap(app.settings)))
    assert writer.get(path).content == first.content
    assert writer.get(path, headers={"If-None-Match": etag}).status_code == 304


def test_a_feed_is_served_while_another_process_holds_sqlite_s_write_lock(
    tmp_path: Path, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import store.db
    from regie.bootstrap import bootstrap
    from store import upgrade
    from web.app import create_app

    upgrade(sqlite_url)
    app = synced_app(tmp_path, sqlite_url)
    token = create_token(app, "programme", "test", NOW)
    monkeypatch.setattr(store.db, "SQLITE_BUSY_TIMEOUT_MS", 100)  # new connections wait 0.1 s
    server = bootstrap(app.settings)
    client = TestClient(create_app(server), raise_server_exceptions=False)
    other = sa.create_engine(sqlite_url)
    with other.connect() as holder:  # another process in the middle of a write
        holder.exec_driver_sql("BEGIN IMMEDIATE")
        first = client.get(f"/calendar/{token.token}.ics")
        assert first.status_code == 200, first.text
        assert b"BEGIN:VEVENT" in first.content
        etag = first.headers["etag"]
        again = client.get(f"/calendar/{token.token}.ics", headers={"If-None-Match": etag})
        assert again.status_code == 304
        holder.exec_driver_sql("ROLLBACK")
    other.dispose()
    writable = TestClient(create_app(bootstrap(app.settings)))
    assert writable.get(f"/calendar/{token.token}.ics").content == first.content


def test_a_feed_request_does_not_wait_for_another_connection_s_lock(
    tmp_path: Path, migrated_url: str
) -> None:
    """A connection holding the feed tables' write locks (a forgotten ``psql`` session, a long
    transaction) does not keep a subscriber waiting for the database's lock timeout (here ten
    minutes): the request answers with the feed, unrecorded, and records it once free."""
    import dataclasses
    import threading

    from regie.bootstrap import bootstrap
    from web.app import create_app

    app = synced_app(tmp_path, migrated_url)
    token = create_token(app, "programme", "test", NOW)
    path = f"/calendar/{token.token}.ics"
    patient = dataclasses.replace(app.settings, db_lock_timeout=600.0)
    client = TestClient(create_app(bootstrap(patient)), raise_server_exceptions=False)
    answers: list[Any] = []
    other = sa.create_engine(migrated_url)
    with other.connect() as holder:
        if holder.dialect.name == "sqlite":
            holder.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            holder.exec_driver_sql(
                "LOCK TABLE calendar_tokens, feed_entries, feed_meetings IN EXCLUSIVE MODE"
            )
        request = threading.Thread(target=lambda: answers.append(client.get(path)), daemon=True)
        request.start()
        request.join(timeout=60)  # without a brief wait it would wait ten minutes
        answered_while_locked = not request.is_alive()
        holder.rollback()
    request.join()
    other.dispose()
    assert answered_while_locked, "the feed request waited for the other connection's lock"
    first = answers[0]
    assert first.status_code == 200, first.text
    assert b"BEGIN:VEVENT" in first.content
    with app.engine.connect() as connection:  # nothing was recorded while the lock was held
        used = connection.execute(
            sa.text("SELECT last_used_at FROM calendar_tokens WHERE id = :id"), {"id": token.id}
        ).scalar_one()
    assert used is None
    # Free again: a later request records it (recording paused a minute: a new server here).
    later = TestClient(create_app(bootstrap(app.settings)))
    assert later.get(path).content == first.content
    with app.engine.connect() as connection:
        used = connection.execute(
            sa.text("SELECT last_used_at FROM calendar_tokens WHERE id = :id"), {"id": token.id}
        ).scalar_one()
    assert used is not None
