"""Two installations' `regie serve` on one host, different ports (docs/new-programme.md §6):
one browser logged in to both. Browsers keep a host's cookies for every port, so with one
cookie name for both, logging in to the second logged the office out of the first (walk56c 3)."""

from __future__ import annotations

import re
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from regie.bootstrap import bootstrap
from regie.config import load_settings
from regie.users import add_user
from tests.cli_in_process import regie
from tests.integration.server import Server, running_server
from web.security import cookie_names, installation_cookie_names

PLANS = Path(__file__).resolve().parent.parent / "fixtures" / "plans"
PASSWORD = "correct horse battery staple"


def _installation(home: Path, plan: Path) -> dict[str, str]:
    env = {"REGIE_HOME": str(home), "REGIE_PLAN": str(plan), "REGIE_DATABASE_URL": ""}
    synced = regie("sync", env=env)
    assert synced.code == 0, synced.err
    add_user(bootstrap(load_settings(env)), "office", PASSWORD, "P. Bureau", datetime.now(UTC))
    return env


def _log_in(browser: httpx.Client, server: Server) -> None:
    form = browser.get(f"{server.url}/inloggen")
    found = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert found, form.text
    done = browser.post(
        f"{server.url}/inloggen",
        data={"gebruikersnaam": "office", "wachtwoord": PASSWORD, "volgende": "/",
              "csrf_token": found.group(1)},
    )  # fmt: skip
    assert done.status_code == 303 and browser.get(f"{server.url}/").status_code == 200


@pytest.mark.parametrize("base_url", ["set", "left at its default"])
def test_logging_in_to_a_second_installation_on_another_port_keeps_the_first_login(
    tmp_path: Path, base_url: str
) -> None:
    """fix57c 4: also when both leave REGIE_BASE_URL at its default (one address for both)."""
    envs = [
        _installation(tmp_path / "lucht", PLANS / "minimal.yaml"),
        _installation(tmp_path / "water", PLANS / "toegankelijkheid.yaml"),
    ]
    if base_url != "set":  # else the server's own address (tests.integration.server)
        envs = [{**env, "REGIE_BASE_URL": ""} for env in envs]
    with ExitStack() as stack, httpx.Client(follow_redirects=False, timeout=30) as browser:
        first, second = (stack.enter_context(running_server(env)) for env in envs)
        _log_in(browser, first)
        _log_in(browser, second)  # one cookie jar, as a browser has: same host, other port
        assert browser.get(f"{first.url}/").status_code == 200  # before: 303 to /inloggen
        assert browser.get(f"{second.url}/").status_code == 200
        held = {cookie.name for cookie in browser.cookies.jar if cookie.domain.endswith("0.0.1")}
        names = {installation_cookie_names(load_settings(s.env)).session for s in (first, second)}
        assert len(names) == 2 and names <= held
        if base_url == "set":  # the names of fix56k: nobody logs in again
            assert names == {cookie_names(first.url).session, cookie_names(second.url).session}
        # Logging out of one leaves the other logged in.
        page = browser.get(f"{second.url}/")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token
        out = browser.post(f"{second.url}/uitloggen", data={"csrf_token": token.group(1)})
        assert out.status_code == 303
        assert browser.get(f"{second.url}/").status_code == 303
        assert browser.get(f"{first.url}/").status_code == 200


def test_the_cookie_names_follow_the_base_url_and_the_prefix_rules() -> None:
    """One name per public address; https at the host's root: ``__Host-`` (Secure, Path=/, no
    Domain), under a sub-path ``__Secure-`` (``__Host-`` requires Path=/); plain http: none.
    A trailing slash or the host's case is the same address."""
    a, b = cookie_names("http://127.0.0.1:8561"), cookie_names("http://127.0.0.1:8562")
    assert a.session != b.session and a.nonce != b.nonce
    assert a.session.startswith("regie_session_") and a.nonce.startswith("regie_nonce_")
    assert cookie_names("https://Regie.Example.org/") == cookie_names("https://regie.example.org")
    assert cookie_names("https://regie.example.org").session.startswith("__Host-regie_session_")
    sub = cookie_names("https://example.org/lucht/")
    assert sub.session.startswith("__Secure-regie_session_")
    assert sub != cookie_names("https://example.org/water/")


def test_left_at_its_default_the_base_url_is_hashed_with_the_database_address() -> None:
    """fix57c 4: REGIE_BASE_URL set: the name of fix56k (by that URL alone); left at its
    default, every installation has that same URL: the database's address goes in too, without
    its password (a password changed is the same installation; a short hash of it in every
    browser would help guess it)."""
    home = {"REGIE_HOME": "/srv/lucht"}
    given = load_settings({**home, "REGIE_BASE_URL": "http://127.0.0.1:8000"})
    assert installation_cookie_names(given) == cookie_names("http://127.0.0.1:8000")
    lucht = installation_cookie_names(load_settings(home))
    water = installation_cookie_names(load_settings({"REGIE_HOME": "/srv/water"}))
    assert len({lucht, water, installation_cookie_names(given)}) == 3
    assert lucht.session.startswith("regie_session_") and lucht.nonce.startswith("regie_nonce_")

    def on(password: str, database: str = "regie") -> str:
        url = f"postgresql+psycopg://regie:{password}@db.example.org/{database}"
        return installation_cookie_names(load_settings({**home, "REGIE_DATABASE_URL": url})).session

    assert on("s3cret") == on("other") != on("s3cret", "water")
