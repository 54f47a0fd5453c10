"""The 304 fast path in process: answered from memory, forgotten on revocation and change."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from regie.feeds import create_token, revoke_token
from regie.history import record_update
from tests.integration.feed_clients import synced_app

NOW = datetime(2016, 1, 11, 9, 0, tzinfo=UTC)


def test_304_from_memory_until_revoked_or_changed(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import web.feeds
    from web.app import create_app

    app = synced_app(tmp_path, migrated_url)
    token = create_token(app, "programme", "test", NOW)
    web_app = create_app(app)
    memory = web_app.state.not_modified
    memory.REFRESH_SECONDS = 3600  # checks happen when this test says (check_now): no timing
    client = TestClient(web_app)
    path = f"/calendar/{token.token}.ics"
    full_path = []
    real = web.feeds.serve_token_feed

    def counted(*args: object) -> object:
        full_path.append(args[1])
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(web.feeds, "serve_token_feed", counted)

    first = client.get(path)
    assert first.status_code == 200 and len(full_path) == 1
    etag = first.headers["etag"]
    for _ in range(3):
        again = client.get(path, headers={"If-None-Match": etag})
        assert (again.status_code, again.content) == (304, b"")
        assert (again.headers["etag"], again.headers["last-modified"]) == (
            etag, first.headers["last-modified"]
        )  # fmt: skip
    assert len(full_path) == 1  # the 304s came from memory, not the full path
    assert client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200
    assert len(full_path) == 2  # another ETag takes the full path

    # New data: the memory forgets at the next check.
    record_update(app, "1.1.2", "at_risk", as_of=NOW.date(), forecast=None,
                  completed_on=None, comment="Later", author=None)  # fmt: skip
    memory.check_now()
    changed = client.get(path, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    etag = changed.headers["etag"]
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
    assert len(full_path) == 3

    revoke_token(app, token.id, NOW)
    memory.check_now()  # in `serve` at most REFRESH_SECONDS (0.25 s) after the revocation
    ended = client.get(path, headers={"If-None-Match": etag})  # the ended calendar
    assert ended.status_code == 200 and b"BEGIN:VEVENT" in ended.content
    assert ended.headers["etag"] != etag
    assert memory.answer(token.token, etag) is None


def test_last_used_times_survive_a_failed_write_and_are_flushed_at_shutdown(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import store.feeds
    from regie.feeds import NotModified, list_tokens

    app = synced_app(tmp_path, migrated_url)
    token = create_token(app, "programme", "test", NOW)
    memory = NotModified(app)
    memory._pending_used[token.id] = NOW  # as a 304 from memory leaves it
    real = store.feeds.mark_served

    def down(*args: object, **kwargs: object) -> None:
        raise RuntimeError("database briefly unreachable")

    monkeypatch.setattr(store.feeds, "mark_served", down)
    memory.flush()  # fails quietly, keeps the time for the next try
    monkeypatch.setattr(store.feeds, "mark_served", real)
    (row,) = list_tokens(app)
    assert row["last_used"] is None
    memory.flush()  # the server stops
    (row,) = list_tokens(app)
    assert row["last_used"] == NOW.isoformat()
