"""Feeds over real HTTP against `regie serve`: 200 with caching headers, 304, 404, revocation
(the ended calendar)."""

from __future__ import annotations

import json
import re
import shutil
import urllib.error
import urllib.request
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest

from tests import cli
from tests.cli_in_process import regie
from tests.integration.feed_clients import ical_js
from tests.integration.server import running_server

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "plans" / "feeds.yaml"


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def env(tmp_path: Path, database_url: str) -> dict[str, str]:
    plan = tmp_path / "plan.yaml"
    shutil.copy(FIXTURE, plan)
    env = {
        "REGIE_HOME": str(tmp_path / "home"),
        "REGIE_DATABASE_URL": database_url,
        "REGIE_PLAN": str(plan),
    }
    assert regie("db", "upgrade", env=env).code == 0
    assert regie("sync", env=env).code == 0
    return env


def test_feed_caching_304_404_and_revocation(env: dict[str, str]) -> None:
    # Real processes: the server sees a change within NotModified.REFRESH_SECONDS (0.25 s) of
    # its last check; a command in process can commit and be followed by a GET sooner.
    with running_server(env) as server:
        made = cli.regie("calendar", "token", "create", "--scope", "org:GGD",
                         "--label", "K. Bakker", env=server.env)  # fmt: skip
        assert made.code == 0, made.err
        url = re.search(r"(http://\S+\.ics)", made.out)
        webcal = re.search(r"(webcal://\S+\.ics)", made.out)
        assert url and webcal and webcal.group(1) == url.group(1).replace("http://", "webcal://")
        url_text = url.group(1)
        assert url_text.startswith(server.url + "/calendar/")
        assert len(url_text.rsplit("/", 1)[1]) - len(".ics") >= 22  # ≥ 128 bits, url-safe

        status, headers, body = get(url_text)
        assert status == 200
        assert headers["content-type"] == "text/calendar; charset=utf-8"
        assert headers["cache-control"].startswith("private, max-age=")
        etag, modified = headers["etag"], headers["last-modified"]
        assert etag.startswith('"') and not etag.startswith("W/")
        events = ical_js(body)["events"]
        assert {e["uid"] for e in events} == {
            "1.1.1@zorg-test.regie", "1.1.2@zorg-test.regie", "1.1.3@zorg-test.regie"
        }  # fmt: skip

        status, headers, body304 = get(url_text, {"If-None-Match": etag})
        assert (status, body304, headers["etag"]) == (304, b"", etag)
        assert headers["last-modified"] == modified

        # New data: new ETag, and Last-Modified does not move backwards.
        update = cli.regie("update", "1.1.2", "--status", "at_risk", "--comment", "Later; sorry",
                           "--as-of", "2016-01-11", env=server.env)  # fmt: skip
        assert update.code == 0, update.err
        status, headers, body2 = get(url_text, {"If-None-Match": etag})
        assert status == 200 and headers["etag"] != etag
        assert parsedate_to_datetime(headers["last-modified"]) >= parsedate_to_datetime(modified)
        assert b"Later" not in body2  # an organisation's feed carries no notes
        etag2 = headers["etag"]
        for _ in range(3):  # the first may take the full path; later ones come from memory
            assert get(url_text, {"If-None-Match": etag2})[0] == 304

        unknown = get(f"{server.url}/calendar/{'A' * 32}.ics")
        listed = json.loads(cli.regie("calendar", "token", "list", "--format", "json",
                                      env=server.env).out)  # fmt: skip
        assert [(t["scope"], t["label"]) for t in listed] == [("org:GGD", "K. Bakker")]
        assert listed[0]["last_used"] is not None and listed[0]["revoked"] is None
        assert "token" not in listed[0] and url_text.rsplit("/", 1)[1] not in json.dumps(listed)

        revoked = cli.regie("calendar", "token", "revoke", str(listed[0]["id"]), env=server.env)
        assert revoked.code == 0
        # A revoked link serves a valid calendar without the old events (calendar apps keep
        # the last copy of a feed that answers an error); a link never issued: 404.
        assert unknown[0] == 404
        gone = get(url_text)
        assert gone[0] == 200 and gone[1]["content-type"].startswith("text/calendar")
        ended = ical_js(gone[2])
        assert "beëindigd" in ended["name"] and len(ended["events"]) == 1
        assert "ingetrokken" in ended["events"][0]["description"]
        assert "GGD" not in gone[2].decode() and "K. Bakker" not in gone[2].decode()
        assert get(url_text, {"If-None-Match": etag})[0] == 200
        # The 304 memory forgets on revocation: the current ETag gets the ended calendar too.
        # (Its bound is NotModified.REFRESH_SECONDS, 0.25 s; the revoke command takes longer.)
        assert get(url_text, {"If-None-Match": etag2})[0] == 200
        assert get(url_text, {"If-None-Match": gone[1]["etag"]})[0] == 304


def test_token_commands_refuse_bad_input(env: dict[str, str]) -> None:
    bad = regie("calendar", "token", "create", "--scope", "step:9", env=env)
    assert bad.code == 2
    assert bad.err.strip() == "--scope: scope 'step:9': no such step (known: 1, 2)"
    missing = regie("calendar", "token", "revoke", "99", env=env)
    assert (missing.code, missing.err.strip()) == (2, "calendar token 99: no such token")


def test_revoking_a_revoked_token_says_since_when_and_changes_nothing(
    env: dict[str, str],
) -> None:
    """Like `db upgrade` on an up-to-date database: the token is in the state asked for, so
    exit 0, but the command says it did nothing (and keeps the first revocation time)."""
    made = regie("calendar", "token", "create", "--label", "K. Bakker", env=env)
    assert made.code == 0, made.err
    first = regie("calendar", "token", "revoke", "1", env=env)
    assert (first.code, first.out) == (0, "calendar token 1 revoked\n")
    (token,) = json.loads(regie("calendar", "token", "list", "--format", "json", env=env).out)
    when = datetime.fromisoformat(token["revoked"]).strftime("%Y-%m-%d %H:%M UTC")
    again = regie("calendar", "token", "revoke", "1", env=env)
    assert (again.code, again.err) == (0, "")
    assert again.out == f"calendar token 1 was already revoked on {when}, nothing to do\n"
    (still,) = json.loads(regie("calendar", "token", "list", "--format", "json", env=env).out)
    assert still["revoked"] == token["revoked"]
