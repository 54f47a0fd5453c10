"""``/healthz?full=1``: `regie doctor`'s checks (not the Prefect API's) for a request from this
machine or a logged-in officer; anyone else, and a request a local proxy forwarded, gets the
plain ``/healthz`` (the checks name files, the database and message keys)."""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from tests.integration.test_web_item_page import _app, _client

LOCAL = ("127.0.0.1", 50123)
CHECKS = [
    "database",
    "privileges",
    "plan",
    "last-assessed",
    "outbox",
    "reports",
    "secret-key",
    "base-url",
    "channels",
    "mail",
]


def test_full_health_only_for_this_machine_or_an_officer(tmp_path: Path, migrated_url: str) -> None:
    from regie.cycle import deadline_check
    from regie.services import today
    from web.app import create_app

    app = _app(tmp_path, migrated_url)
    web = create_app(app)
    anyone = TestClient(web)  # its address is "testclient": not this machine
    local = TestClient(web, client=LOCAL)
    assert (anyone.get("/healthz?full=1").status_code, anyone.get("/healthz?full=1").text) == (
        200,
        "ok\n",
    )
    proxied = local.get("/healthz?full=1", headers={"X-Forwarded-For": "203.0.113.9"})
    assert proxied.text == "ok\n"  # a proxy on this machine forwarded someone else's request
    assert local.get("/healthz").text == "ok\n"  # without full=1: as before

    # Never assessed: the full answer says so and is 503 (a monitor alerts on it).
    answer = local.get("/healthz?full=1")
    assert answer.status_code == 503
    assert answer.headers["cache-control"] == "no-store"
    lines = answer.text.splitlines()
    assert [line.split(":", 1)[0].split()[-1] for line in lines] == CHECKS
    assert "fail    last-assessed: mvi-2015-2020: no day assessed yet" in answer.text

    deadline_check(app, today(app))
    answer = local.get("/healthz?full=1&format=json")
    assert answer.status_code == 200
    found = {c["check"]: c["status"] for c in answer.json()}
    assert list(found) == CHECKS  # no Prefect check: the page asks no other server
    # The plan: the MVI plan's medeoverheden and bedrijfsleven (stuurgroep members) have no contact.
    assert found == {**dict.fromkeys(CHECKS, "ok"), "plan": "warning", "channels": "warning"}
    assert TestClient(web, client=("::1", 50124)).get("/healthz?full=1").text != "ok\n"

    officer = _client(app)  # logged in, from elsewhere
    answer = officer.get("/healthz?full=1")
    assert answer.status_code == 200
    assert answer.text.startswith("ok      database: ")
