"""Feeds while the plan file is broken, and conditional requests (RFC 9110): the token is
checked first, a subscriber gets the last good feed (or a generic 503), nobody without a login
reads a path or a parser message; If-Modified-Since answers 304 when nothing is newer."""

from __future__ import annotations

import logging
import shutil
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from regie import plan_cache
from regie.bootstrap import App, bootstrap
from regie.config import load_settings
from regie.feeds import FeedUnavailable, create_token, revoke_token
from tests.integration.feed_clients import synced_app
from tests.integration.server import TEST_SECRET_KEY

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "plans" / "feeds.yaml"
NOW = datetime(2016, 1, 11, 9, 0, tzinfo=UTC)
UNKNOWN = "/calendar/" + "A" * 32 + ".ics"
GENERIC = "Deze agenda is tijdelijk niet beschikbaar. Probeer het later opnieuw.\n"


def _break(app: App) -> None:
    with app.settings.plan_path.open("a") as plan:
        plan.write("  - broken: [\n")


def _secret(text: str, app: App) -> bool:
    """Whether ``text`` gives away the server's file or the parser's message."""
    return str(app.settings.plan_path) in text or "YAML" in text or "yaml" in text


def test_a_broken_plan_file_is_told_to_nobody_without_a_login(
    tmp_path: Path, migrated_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    from regie.users import add_user, log_in
    from web.app import create_app
    from web.security import session_cookie_name

    app = synced_app(tmp_path, migrated_url)
    token = create_token(app, "programme", "test", NOW).token
    other = create_token(app, "org:GGD", "revoked later", NOW)
    web = create_app(app)
    client = TestClient(web)
    path = f"/calendar/{token}.ics"
    good = client.get(path)
    assert good.status_code == 200

    _break(app)
    revoke_token(app, other.id, NOW)
    web.state.not_modified.check_now()
    with caplog.at_level(logging.WARNING):
        for _ in range(3):
            # An unknown token: 404; a revoked one: the ended calendar, whatever the plan's
            # state.
            gone = client.get(UNKNOWN)
            assert (gone.status_code, gone.text) == (404, "Niet gevonden\n")
            ended = client.get(f"/calendar/{other.token}.ics")
            assert ended.status_code == 200 and "ingetrokken" in ended.text
            # A subscriber: the feed of the last good version of the plan, as it was.
            served = client.get(path)
            assert served.status_code == 200
            assert (served.content, served.headers["etag"]) == (
                good.content, good.headers["etag"]
            )  # fmt: skip
            refresh = client.get(path, headers={"If-None-Match": good.headers["etag"]})
            assert refresh.status_code == 304
    feeds_log = [r for r in caplog.records if r.name == "regie.feeds"]
    assert len(feeds_log) == 1  # once per version of the file, not per request
    assert feeds_log[0].levelno == logging.WARNING
    assert str(app.settings.plan_path) in feeds_log[0].getMessage()

    # Other pages without a login (an answer link): a generic Dutch page (its layout:
    # test_web_problem_pages), 503 and Retry-After.
    for answer in (client.get("/antwoord/abc"), client.post("/antwoord/abc", data={})):
        assert answer.status_code == 503
        assert answer.headers["retry-after"] == "300"
        assert "<h1>Regie is tijdelijk niet beschikbaar</h1>" in answer.text
        assert not _secret(answer.text, app)
    # The programme office, logged in, is told what to fix.
    now = datetime.now(UTC)
    add_user(app, "office", "een lang wachtwoord 123", "P. Bureau", now)
    session = log_in(app, "office", "een lang wachtwoord 123", now)
    assert session is not None
    office = TestClient(web, cookies={session_cookie_name(app): session}).get("/")
    assert office.status_code == 503
    assert "Regie kan deze pagina nu niet tonen: " in office.text
    assert str(app.settings.plan_path) in office.text

    # A process that never read a good version: 503, Retry-After, one generic Dutch line.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(plan_cache, "_cache", {})
        with pytest.raises(FeedUnavailable):
            web.state.not_modified.check_now()  # the 304 memory has nothing to serve either
        unavailable = client.get(path)
        assert (unavailable.status_code, unavailable.text) == (503, GENERIC)
        assert unavailable.headers["retry-after"] == "300"
        assert client.get(UNKNOWN).status_code == 404


def test_if_modified_since_is_answered_as_rfc_9110_says(tmp_path: Path, migrated_url: str) -> None:
    from web.app import create_app

    app = synced_app(tmp_path, migrated_url)
    token = create_token(app, "programme", "test", NOW).token
    client = TestClient(create_app(app))
    path = f"/calendar/{token}.ics"
    first = client.get(path)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    at = parsedate_to_datetime(modified)

    def status(**headers: str) -> int:
        sent = {k.replace("_", "-"): v for k, v in headers.items()}
        response = client.get(path, headers=sent)
        if response.status_code == 304:
            assert response.content == b""
            assert (response.headers["etag"], response.headers["last-modified"]) == (
                etag, modified
            )  # fmt: skip
        return response.status_code

    assert status(If_Modified_Since=modified) == 304  # exactly the Last-Modified sent
    assert status(If_Modified_Since=format_datetime(at + timedelta(days=1), usegmt=True)) == 304
    assert status(If_Modified_Since=format_datetime(at - timedelta(seconds=1), usegmt=True)) == 200
    assert status(If_Modified_Since="Sunday, 06-Nov-94 08:49:37 GMT") == 200  # obsolete form
    assert status(If_Modified_Since="gisteren") == 200  # not a date: ignored
    assert status(If_Modified_Since="") == 200
    # If-None-Match wins when present: a mismatch is 200 whatever the date, a match 304.
    assert status(If_None_Match='"other"', If_Modified_Since=modified) == 200
    old = format_datetime(at - timedelta(days=400), usegmt=True)
    assert status(If_None_Match=etag, If_Modified_Since=old) == 304
    head = client.head(path, headers={"If-Modified-Since": modified})
    assert head.status_code == 304


def test_healthz_names_no_database_detail(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Anyone may ask /healthz: an unreachable database is one line without the driver's text
    (its host and port); the server's log has that, once."""
    import web.app
    from web.app import create_app

    monkeypatch.setattr(web.app, "_logged", {})  # what earlier tests in this process logged

    plan = tmp_path / "plan.yaml"
    shutil.copy(FIXTURE, plan)
    down = "postgresql://regie:geheim@127.0.0.1:9/regie"  # nothing listens on port 9
    app = bootstrap(
        load_settings({"REGIE_HOME": str(tmp_path / "home"), "REGIE_DATABASE_URL": down,
                       "REGIE_PLAN": str(plan), "REGIE_SECRET_KEY": TEST_SECRET_KEY})
    )  # fmt: skip
    client = TestClient(create_app(app))
    with caplog.at_level(logging.WARNING):
        for _ in range(2):
            answer = client.get("/healthz")
            assert (answer.status_code, answer.text) == (503, "database: unavailable\n")
    logged = [r.getMessage() for r in caplog.records if r.name == "regie.web"]
    assert len(logged) == 1 and "127.0.0.1" in logged[0]
    assert "geheim" not in logged[0]
