"""``/healthz?full=1`` behind a reverse proxy on the same machine (opsfix 4): the proxy connects
from loopback for everyone it serves, so a loopback request that carries any header a proxy adds
(``Forwarded``, any ``X-Forwarded-*`` — a proxy may set only ``-Proto`` or ``-Host`` —,
``X-Real-IP``, ``Via``, a CDN's client address) gets the plain answer, as a remote caller does;
only a logged-in officer gets the checks through the proxy."""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from tests.integration.test_web_item_page import _app, _client

FORWARDED = [
    ("Forwarded", "for=203.0.113.9;proto=https"),
    ("X-Forwarded-For", "203.0.113.9"),
    ("X-Real-IP", "203.0.113.9"),
    ("X-Forwarded-Proto", "https"),
    ("X-Forwarded-Host", "regie.example.nl"),
    ("X-Forwarded-Port", "443"),
    ("x-forwarded-server", "proxy.example.nl"),
    ("Via", "1.1 proxy.example.nl"),
    ("X-Client-IP", "203.0.113.9"),
    ("True-Client-IP", "203.0.113.9"),
    ("CF-Connecting-IP", "203.0.113.9"),
    ("X-Forwarded-For", ""),  # present, whatever its value
]


def test_a_forwarded_loopback_request_gets_the_plain_answer(
    tmp_path: Path, migrated_url: str
) -> None:
    from web.app import create_app

    app = _app(tmp_path, migrated_url)
    web = create_app(app)
    for peer in ("127.0.0.1", "::1", "127.0.1.1"):
        local = TestClient(web, client=(peer, 50123))
        direct = local.get("/healthz?full=1")
        assert direct.text != "ok\n" and "database: " in direct.text  # this machine itself
        for name, value in FORWARDED:
            answer = local.get("/healthz?full=1&format=json", headers={name: value})
            assert (answer.status_code, answer.text) == (200, "ok\n"), (peer, name)
    officer = _client(app)  # logged in: through the proxy too
    behind = officer.get("/healthz?full=1", headers={"X-Forwarded-Proto": "https"})
    assert behind.text.startswith("ok      database: ")


def test_which_requests_count_as_this_machines() -> None:
    from regie.health import from_this_machine

    assert from_this_machine("127.0.0.1", ["host", "user-agent", "accept"])
    assert from_this_machine("::1", [])
    assert not from_this_machine("203.0.113.9", [])
    assert not from_this_machine("testclient", [])
    assert not from_this_machine(None, [])
    assert not from_this_machine("", [])
    for name, _ in FORWARDED:
        assert not from_this_machine("127.0.0.1", ["host", name]), name
        assert not from_this_machine("127.0.0.1", [name.upper()]), name
