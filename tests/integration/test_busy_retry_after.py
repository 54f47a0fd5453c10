"""Every 503 the web app gives for a busy or unreachable database says when to try again
(``Retry-After``, in seconds), as the 503 for a broken setup already did: the answer page an
owner opens from a mail (GET and POST), Slack's interactivity endpoint and /healthz. Nothing
was stored; the link still works."""

from __future__ import annotations

import contextlib
import dataclasses
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from regie.bootstrap import App
from tests.integration.link_setup import FIRST_DAY, link_app, queue_and_send
from tests.integration.slack_requests import SIGNING_SECRET, button, signed
from tests.integration.test_web_item_page import visible
from web.app import RETRY_SECONDS, create_app
from web.limits import BUSY_RETRY_SECONDS

DOWN = "postgresql://regie:x@127.0.0.1:9/regie"  # nothing listens on port 9


@contextlib.contextmanager
def _busy(app: App, url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The app's database made busy after start-up (its schema already checked): SQLite's file
    locked by another process's connection, a PostgreSQL server gone."""
    import store.db

    def new_engine() -> None:  # the next request connects anew, as after a restart
        app.engine.dispose()
        for cached in ("engine", "sessions"):
            app.__dict__.pop(cached, None)

    app.ensure_schema()
    new_engine()
    settings = app.settings
    if not url.startswith("sqlite"):
        app.settings = dataclasses.replace(settings, database_url=DOWN)
        try:
            yield
        finally:
            new_engine()
            app.settings = settings
        return
    monkeypatch.setattr(store.db, "SQLITE_BUSY_TIMEOUT_MS", 100)  # not 10 s per request
    holder = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None, timeout=10)
    try:
        holder.execute("PRAGMA locking_mode = EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        yield
    finally:
        holder.close()


def test_a_busy_database_answers_503_with_retry_after(
    migrated_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = link_app(migrated_url, tmp_path)
    app.settings = dataclasses.replace(app.settings, slack_signing_secret=SIGNING_SECRET)
    ((_, token), *_) = queue_and_send(app, FIRST_DAY)["anna"]
    web = TestClient(create_app(app))
    form = web.get(f"/antwoord/{token}")
    assert form.status_code == 200
    csrf = form.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    with _busy(app, migrated_url, monkeypatch):
        shown = web.get(f"/antwoord/{token}")
        posted = web.post(f"/antwoord/{token}", data={"status": "at_risk", "csrf_token": csrf})
        body, headers = signed(button("UANNA", "1.1.1", "on_track"))
        slack = web.post("/slack/interactivity", content=body, headers=headers)
        health = web.get("/healthz")
    for page, tried in ((shown, False), (posted, True)):
        assert page.status_code == 503, page.text
        assert page.headers["retry-after"] == str(BUSY_RETRY_SECONDS)
        assert 'data-reason="busy"' in page.text
        main = re.search(r"<main\b.*?>(.*?)</main>", page.text, re.S)
        assert main and "Probeer het zo opnieuw" in visible(main.group(1))
        # Only a submit had an answer that was not stored (walk56b 2).
        assert ("opgeslagen" in visible(main.group(1))) is tried, page.text
    assert slack.status_code == 503, slack.text
    assert slack.headers["retry-after"] == str(BUSY_RETRY_SECONDS)
    # /healthz asks for SELECT 1: a locked SQLite file still answers it, a server gone does not.
    if not migrated_url.startswith("sqlite"):
        assert health.status_code == 503, health.text
        assert health.headers["retry-after"] == str(BUSY_RETRY_SECONDS)
    # Nothing was stored: the link still works once the database is back.
    again = web.get(f"/antwoord/{token}")
    assert again.status_code == 200, again.text


def test_retry_after_is_seconds_and_short_for_a_busy_database() -> None:
    # A lock is held for seconds; a broken setup is fixed in minutes.
    assert isinstance(BUSY_RETRY_SECONDS, int) and 0 < BUSY_RETRY_SECONDS < RETRY_SECONDS
