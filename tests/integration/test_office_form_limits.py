"""walk55c 4: the office's forms (login and the logged-in ones) refuse a body too large or
malformed to read with a Dutch page, as the answer form does, never Starlette's English plain
text (``Field exceeded maximum size of 1024KB.``, ``Invalid multipart data.``). SQLite and
PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from httpx import Response
from starlette.testclient import TestClient

from regie.bootstrap import App
from regie.users import add_user
from store import Repository
from tests.integration.test_web_item_page import PASSWORD, _app, _client, visible
from web.app import create_app
from web.security import session_cookie_name

URLENCODED = {"content-type": "application/x-www-form-urlencoded"}


def chunked(size: int) -> Callable[[], Iterator[bytes]]:
    """A form body of ``size`` bytes sent as a generator: httpx sends it with
    ``Transfer-Encoding: chunked`` and no ``Content-Length``, as a streaming client may."""

    def body() -> Iterator[bytes]:
        yield b"gebruikersnaam="
        for _ in range((size - 15) // 10_000):
            yield b"a" * 10_000

    return body


#: Each bad body (or a function making it, for a streamed one), the status it is refused with
#: and the headers it is sent with.
BAD_BODIES: dict[str, tuple[bytes | Callable[[], Iterator[bytes]], int, dict[str, str]]] = {
    # Larger than Starlette's limit per field: its English 400 on the old code.
    "oversized": (b"a" * 1_100_000, 413, URLENCODED),
    # Over the limit with no length declared: read whole and parsed on the old code (the login's
    # CSRF refusal, 403), where it is refused once 64 000 bytes are read.
    "oversized chunked": (chunked(900_000), 413, URLENCODED),
    # What curl sends with a multipart type and no such body.
    "malformed multipart": (b"a" * 200, 400, {"content-type": "multipart/form-data; boundary=xx"}),
    # More fields than any form of the site has.
    "too many fields": (b"&".join(b"f%d=1" % n for n in range(50)), 400, URLENCODED),
    # A file where only text fields are expected.
    "a file": (
        b'--xx\r\nContent-Disposition: form-data; name="f"; filename="a.txt"\r\n\r\n'
        b"abc\r\n--xx--\r\n",
        400,
        {"content-type": "multipart/form-data; boundary=xx"},
    ),
}


def refused_in_dutch(response: Response, status: int) -> str:
    assert response.status_code == status, response.text[:200]
    assert response.headers["content-type"].startswith("text/html")
    assert "Field exceeded" not in response.text and "Invalid" not in response.text
    text = visible(response.text)
    if status == 413:  # says what was wrong, and the limits (walk57b 10)
        assert "Formulier te groot" in text
        assert (
            "Het formulier was te groot om te verwerken (meer dan 64.000 bytes; een toelichting "
            "mag hoogstens 2.000 tekens lang zijn) en is niet verwerkt." in text
        )
    else:
        assert "Formulier niet verwerkt" in text
        assert "Het formulier is niet volledig of niet geldig en is niet verwerkt." in text
    return text


@pytest.mark.parametrize("kind", list(BAD_BODIES))
def test_the_login_form_refuses_a_bad_body_in_dutch(
    tmp_path: Path, migrated_url: str, kind: str
) -> None:
    body, status, headers = BAD_BODIES[kind]
    app = _app(tmp_path, migrated_url)
    add_user(app, "office", PASSWORD, "P. Bureau", datetime.now(UTC))
    web = TestClient(create_app(app))
    web.get("/inloggen")  # its CSRF cookie, as a browser has it
    content = body() if callable(body) else body
    response = web.post("/inloggen", content=content, headers=headers, follow_redirects=False)
    text = refused_in_dutch(response, status)
    assert "Uitloggen" not in text  # nobody is logged in
    assert session_cookie_name(app) not in response.cookies


@pytest.mark.parametrize("kind", list(BAD_BODIES))
def test_a_logged_in_form_refuses_a_bad_body_in_dutch(
    tmp_path: Path, migrated_url: str, kind: str
) -> None:
    from regie.services import sync

    body, status, headers = BAD_BODIES[kind]
    app = _app(tmp_path, migrated_url)
    sync(app, None)
    web = _client(app)
    content = body() if callable(body) else body
    response = web.post(
        "/items/1.1.1/corrigeren", content=content, headers=headers, follow_redirects=False
    )
    text = refused_in_dutch(response, status)
    assert "Uitloggen" in text  # the officer's menu: still logged in, in the site's layout
    assert _updates(app) == []
    assert web.get("/").status_code == 200  # the session is untouched


def test_a_well_formed_login_still_logs_in(tmp_path: Path, migrated_url: str) -> None:
    app = _app(tmp_path, migrated_url)
    add_user(app, "office", PASSWORD, "P. Bureau", datetime.now(UTC))
    web = TestClient(create_app(app))
    page = web.get("/inloggen").text
    csrf = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    sent = {"gebruikersnaam": "office", "wachtwoord": PASSWORD, "csrf_token": csrf}
    response = web.post("/inloggen", data=sent, follow_redirects=False)
    assert response.status_code == 303


def _updates(app: App) -> list[object]:
    with app.session() as session:
        return list(Repository(session, app.programme_id()).status_updates(item="1.1.1"))


def test_a_well_formed_login_sent_chunked_still_logs_in(tmp_path: Path, migrated_url: str) -> None:
    """The counted read hands the whole body on to the form parser: a streamed form under the
    limit is read as one with a length."""
    from urllib.parse import urlencode

    app = _app(tmp_path, migrated_url)
    add_user(app, "office", PASSWORD, "P. Bureau", datetime.now(UTC))
    web = TestClient(create_app(app))
    page = web.get("/inloggen").text
    csrf = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    sent = urlencode({"gebruikersnaam": "office", "wachtwoord": PASSWORD, "csrf_token": csrf})
    in_pieces = (sent[n : n + 7].encode() for n in range(0, len(sent), 7))
    response = web.post("/inloggen", content=in_pieces, headers=URLENCODED, follow_redirects=False)
    assert "content-length" not in response.request.headers
    assert response.status_code == 303
