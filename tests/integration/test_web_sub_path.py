"""The site behind a reverse proxy on a sub-path (walk31 #6): REGIE_BASE_URL
``https://intranet.example.org/regie/`` puts every address the pages make — links, form
actions, redirects, the stylesheet — under ``/regie``, whether the proxy takes the sub-path off
the request or passes it on. SQLite and PostgreSQL."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from httpx import Response
from starlette.testclient import TestClient

from regie.bootstrap import App, bootstrap
from regie.config import load_settings
from regie.users import add_user
from tests.conftest import SEED_PLAN
from tests.integration.server import TEST_SECRET_KEY
from tests.integration.test_answer_form_errors import _csrf
from tests.integration.test_web_item_page import PASSWORD
from web.app import create_app
from web.security import cookie_names

ADDRESS_ONLY = pytest.mark.one_database(
    "the site's addresses, from SQL this file's other PostgreSQL tests run"
)

BASE = "https://intranet.example.org/regie/"
ADDRESS = re.compile(r'(?:href|action|src)="([^"]*)"')


def _app(tmp_path: Path, url: str) -> App:
    plan = tmp_path / "plan.yaml"
    shutil.copy(SEED_PLAN, plan)
    return bootstrap(
        load_settings({"REGIE_HOME": str(tmp_path / "home"), "REGIE_DATABASE_URL": url,
                       "REGIE_PLAN": str(plan), "REGIE_SECRET_KEY": TEST_SECRET_KEY,
                       "REGIE_BASE_URL": BASE})
    )  # fmt: skip


def _site_addresses(html: str) -> list[str]:
    """The page's addresses on this site (not anchors, mail or other hosts)."""
    found = [a for a in ADDRESS.findall(html) if not a.startswith(("#", "mailto:", "http"))]
    assert found
    return found


def test_every_address_the_pages_make_is_under_the_sub_path(
    tmp_path: Path, migrated_url: str
) -> None:
    app = _app(tmp_path, migrated_url)
    add_user(app, "office", PASSWORD, "P. Bureau", datetime.now(UTC))
    web = TestClient(create_app(app), base_url="https://testserver", follow_redirects=False)

    # The proxy took the sub-path off: the login redirect puts it back.
    first = web.get("/")
    assert first.status_code == 303
    assert first.headers["location"] == "/regie/inloggen?volgende=/regie/"
    for path in ("/inloggen", "/regie/inloggen"):  # the sub-path taken off, or passed on
        form = web.get(path)
        assert form.status_code == 200
        assert all(a.startswith("/regie/") for a in _site_addresses(form.text)), path
        assert 'action="/regie/inloggen"' in form.text
        assert 'href="/regie/static/regie.css"' in form.text
    assert web.get("/regie/static/regie.css").status_code == 200
    assert web.get("/static/regie.css").status_code == 200

    logged_in = web.post(
        "/regie/inloggen",
        data={"gebruikersnaam": "office", "wachtwoord": PASSWORD, "volgende": "/regie/",
              "csrf_token": _csrf(form.text)},
    )  # fmt: skip
    assert logged_in.status_code == 303 and logged_in.headers["location"] == "/regie/"

    # Each page the menu and the overview link to, and each of their links, under /regie/.
    overview = web.get("/regie/")
    assert overview.status_code == 200
    pages = sorted({a.partition("?")[0] for a in _site_addresses(overview.text)})
    assert {
        "/regie/",
        "/regie/te-laat",
        "/regie/opvolging",
        "/regie/agenda",
        "/regie/besluiten",
    } <= set(pages)
    assert any(p.startswith("/regie/items/") for p in pages)
    for address in pages:
        if address in ("/regie/uitloggen", "/regie/static/regie.css"):
            continue
        page = web.get(address)
        assert page.status_code == 200, address
        assert all(a.startswith("/regie/") for a in _site_addresses(page.text)), address

    # A form's answer redirects under the sub-path too.
    token = _csrf(overview.text)
    out = web.post("/regie/uitloggen", data={"csrf_token": token})
    assert out.status_code == 303 and out.headers["location"] == "/regie/inloggen?uitgelogd=1"


@ADDRESS_ONLY
def test_an_address_outside_the_site_is_still_not_found(tmp_path: Path, migrated_url: str) -> None:
    web = TestClient(create_app(_app(tmp_path, migrated_url)), base_url="https://testserver")
    missing = web.get("/regie/bestaat-niet")
    assert missing.status_code == 404
    assert all(a.startswith("/regie/") for a in _site_addresses(missing.text))
    # A missing style sheet is still the browser's plain line, not a page.
    static = web.get("/regie/static/nope.css")
    assert static.status_code == 404 and static.headers["content-type"].startswith("text/plain")


def _cookie_paths(response: Response) -> dict[str, str]:
    """Each cookie the response sets or deletes, with its ``Path``."""
    found = {}
    for header in response.headers.get_list("set-cookie"):
        name, _, rest = header.partition("=")
        attributes = [part.strip().partition("=") for part in rest.split(";")[1:]]
        found[name] = next(value for key, _, value in attributes if key.lower() == "path")
    return found


@ADDRESS_ONLY
def test_the_session_and_form_cookies_stay_under_the_sub_path(
    tmp_path: Path, migrated_url: str
) -> None:
    """review10b 4: on a host shared with other applications (the reason for a sub-path) the
    office session's token and the login form's nonce are sent only to /regie/, and logging out
    deletes the cookie that was set (same path)."""
    app = _app(tmp_path, migrated_url)
    add_user(app, "office", PASSWORD, "P. Bureau", datetime.now(UTC))
    names = cookie_names(app.settings.base_url)  # __Secure-…: https under a sub-path
    assert names.session.startswith("__Secure-regie_session_")
    web = TestClient(create_app(app), base_url="https://testserver", follow_redirects=False)
    for path in ("/inloggen", "/regie/inloggen"):  # the sub-path taken off, or passed on
        fresh = TestClient(create_app(app), base_url="https://testserver")
        assert _cookie_paths(fresh.get(path)) == {names.nonce: "/regie/"}, path
    form = web.get("/regie/inloggen")
    logged_in = web.post(
        "/regie/inloggen",
        data={"gebruikersnaam": "office", "wachtwoord": PASSWORD, "volgende": "/regie/",
              "csrf_token": _csrf(form.text)},
    )  # fmt: skip
    assert logged_in.status_code == 303
    assert _cookie_paths(logged_in) == {names.session: "/regie/", names.nonce: "/regie/"}
    overview = web.get("/regie/")
    assert overview.status_code == 200  # the browser sends the cookie back under /regie/
    out = web.post("/regie/uitloggen", data={"csrf_token": _csrf(overview.text)})
    assert out.status_code == 303
    assert _cookie_paths(out) == {names.session: "/regie/"}
    assert f'{names.session}=""' in out.headers["set-cookie"]  # deleted, not set
    assert "secure" in out.headers["set-cookie"].lower()  # a __Secure- cookie's deletion too

    at_root = replace(app, settings=replace(app.settings, base_url="https://regie.example.org"))
    plain = TestClient(create_app(at_root), base_url="https://testserver")
    at_root_nonce = cookie_names(at_root.settings.base_url).nonce
    assert at_root_nonce.startswith("__Host-regie_nonce_")  # https, Path=/
    assert _cookie_paths(plain.get("/inloggen")) == {at_root_nonce: "/"}
