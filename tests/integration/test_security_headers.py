"""Every response carries the anti-framing, CSP, nosniff and referrer headers (security review
finding 7: the answer-link pages sent none of them), without overriding a header its handler
set on purpose: the answer pages' ``Referrer-Policy: no-referrer`` and ``Cache-Control``, a
feed's caching headers. Static files keep their caching (no ``no-store`` added)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from starlette.testclient import TestClient

from tests.integration.link_setup import FIRST_DAY, link_app, queue_and_send
from web.app import create_app
from web.pages import SECURITY_HEADERS

PASSWORD = "Zomer2026-Sterk!lang"
CSP = SECURITY_HEADERS["Content-Security-Policy"]


def assert_protected(response: httpx.Response, *, referrer: str = "same-origin") -> None:
    """The security headers, each exactly once."""
    name = f"{response.request.method} {response.request.url.path} {response.status_code}"
    for header, value in (
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("content-security-policy", CSP),
        ("referrer-policy", referrer),
    ):
        assert response.headers.get_list(header) == [value], (name, header)
    assert "frame-ancestors 'none'" in CSP
    # No page runs a script, so none may run: README's "no scripts at all" (walk57b 8).
    assert "script-src 'none'" in CSP and "'unsafe-inline'" not in CSP


def _csrf(page: str) -> str:
    return page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def test_every_kind_of_response_carries_the_security_headers(
    migrated_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from regie.feeds import create_token
    from regie.users import add_user, log_in
    from web.security import session_cookie_name

    app = link_app(migrated_url, tmp_path)
    ((_, token),) = queue_and_send(app, FIRST_DAY)["anna"]
    web = TestClient(create_app(app))

    # The answer link: form, stored, used (409), unknown (404), a bad form (422); no-referrer
    # and no-store as the page set them, once each.
    form = web.get(f"/antwoord/{token}")
    bad = web.post(f"/antwoord/{token}", data={"status": "nope", "csrf_token": _csrf(form.text)})
    done = web.post(
        f"/antwoord/{token}",
        data={
            "status": "at_risk",
            "note": "Wacht op de aanbesteding",
            "csrf_token": _csrf(form.text),
        },
    )
    used = web.get(f"/antwoord/{token}")
    unknown = web.get(f"/antwoord/{'A' * 22}.{'B' * 22}")
    assert [r.status_code for r in (form, bad, done, used, unknown)] == [200, 422, 200, 409, 404]
    for page in (form, bad, done, used, unknown):
        assert_protected(page, referrer="no-referrer")
        assert page.headers.get_list("cache-control") == ["no-store"]

    # The office: login form, a redirect to it, a page, an unknown address (404), a method
    # not taken (405), a plain-text 404 under /static/.
    now = datetime.now(UTC)
    add_user(app, "office", PASSWORD, "P. Bureau", now)
    session = log_in(app, "office", PASSWORD, now)
    assert session is not None
    office = TestClient(web.app, cookies={session_cookie_name(app): session})
    responses = [
        web.get("/inloggen"),
        web.get("/", follow_redirects=False),
        office.get("/"),
        office.get("/bestaat-niet"),
        office.post("/"),
        office.get("/static/nope.css"),
    ]
    assert [r.status_code for r in responses] == [200, 303, 200, 404, 405, 404]
    for response in responses:
        assert_protected(response)

    # A static file: protected, but its caching is its own (no no-store added).
    css = web.get("/static/regie.css")
    assert css.status_code == 200
    assert_protected(css)
    assert "cache-control" not in css.headers and css.headers["etag"]

    # A calendar feed: 200, then 304 (answered before routing), 404 for an unknown token;
    # its own Cache-Control kept.
    feed_token = create_token(app, "org:GEM", None, now).token
    feed = web.get(f"/calendar/{feed_token}.ics")
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
    again = web.get(f"/calendar/{feed_token}.ics", headers={"if-none-match": feed.headers["etag"]})
    gone = web.get(f"/calendar/{'A' * 32}.ics")
    assert [again.status_code, gone.status_code] == [304, 404]
    for response in (feed, again, gone):
        assert_protected(response)
    assert feed.headers.get_list("cache-control") == [feed.headers["cache-control"]]
    assert feed.headers["cache-control"].startswith("private, max-age=")

    # /healthz, and the 500 of an unexpected error: a Dutch line, not Starlette's English
    # page, with the headers although it is answered outside the middleware.
    assert_protected(web.get("/healthz"))

    def broken(app: object) -> str:
        raise RuntimeError("a bug")

    monkeypatch.setattr("regie.health.database_problem", broken)
    failing = TestClient(create_app(app), raise_server_exceptions=False)
    error = failing.get("/healthz")
    assert error.status_code == 500
    assert error.text == "Er is iets misgegaan in Regie. Probeer het later opnieuw.\n"
    assert_protected(error)
    assert error.headers["cache-control"] == "no-store"
