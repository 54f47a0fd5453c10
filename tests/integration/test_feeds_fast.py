"""The 304 fast path in process: answered from memory, forgotten on revocation and change."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from starlette.testclient import TestClient

from regie.bootstrap import bootstrap
from regie.config import load_settings
from regie.feeds import create_token, revoke_token
from regie.history import record_update
from regie.services import sync

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "plans" / "feeds.yaml"
NOW = datetime(2016, 1, 11, 9, 0, tzinfo=UTC)


def test_304_from_memory_until_revoked_or_changed(tmp_path: Path, migrated_url: str) -> None:
    from web.app import create_app

    plan = tmp_path / "plan.yaml"
    shutil.copy(FIXTURE, plan)
    app = bootstrap(
        load_settings({"REGIE_HOME": str(tmp_path / "home"), "REGIE_DATABASE_URL": migrated_url,
                       "REGIE_PLAN": str(plan), "REGIE_SECRET_KEY": "x" * 40})
    )  # fmt: skip
    sync(app, None)
    token = create_token(app, "programme", "test", NOW)
    web = create_app(app)
    memory = web.state.not_modified
    memory.REFRESH_SECONDS = 0  # check the snapshot on every request: no timing in this test
    client = TestClient(web)
    path = f"/calendar/{token.token}.ics"

    first = client.get(path)
    assert first.status_code == 200
    etag = first.headers["etag"]
    assert memory.answer(token.token, etag) is not None  # remembered by the full path
    again = client.get(path, headers={"If-None-Match": etag})
    assert (again.status_code, again.content) == (304, b"")
    assert (again.headers["etag"], again.headers["last-modified"]) == (
        etag, first.headers["last-modified"]
    )  # fmt: skip
    assert memory.answer(token.token, '"other"') is None  # another ETag takes the full path

    # New data: the memory forgets.
    record_update(app, "1.1.2", "at_risk", as_of=NOW.date(), forecast=None,
                  completed_on=None, comment="Later", author=None)  # fmt: skip
    assert memory.answer(token.token, etag) is None
    changed = client.get(path, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    etag = changed.headers["etag"]
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304

    revoke_token(app, token.id, NOW)
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 404
    assert memory.answer(token.token, etag) is None
