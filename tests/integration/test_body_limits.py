"""review55 1, 4: a body over its limit is refused however it is framed, and read no further
than the limit: the login form (64 000 bytes) and Slack's interactivity endpoint (100 000),
called as a server calls them, with a body streamed in pieces and no ``Content-Length``. And
the answer form's limit fits any note its field accepts. SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from starlette.types import ASGIApp, Message

from regie.bootstrap import App
from store import Repository
from tests.integration.link_setup import FIRST_DAY, link_app, queue_and_send
from tests.integration.slack_requests import SIGNING_SECRET, sign
from tests.integration.test_web_item_page import visible
from web.app import create_app
from web.forms import OFFICE_FORM_BYTES
from web.slack import MAX_BODY

PIECE = 10_000  # bytes per streamed piece
PIECES = 500  # 5 MB in all, far over every limit


@pytest.fixture
def app(migrated_url: str, tmp_path: Path) -> App:
    app = link_app(migrated_url, tmp_path)
    app.settings = replace(app.settings, slack_signing_secret=SIGNING_SECRET)
    return app


def streamed(asgi: ASGIApp, path: str, headers: dict[str, str]) -> tuple[int, int]:
    """POST ``PIECES`` pieces of ``PIECE`` bytes to ``path`` as a server passes a chunked body
    on (one ``http.request`` message per piece); the response's status and the pieces read."""
    read = 0
    status = 0
    done = asyncio.Event()

    async def receive() -> Message:
        nonlocal read
        if read < PIECES:
            read += 1
            return {"type": "http.request", "body": b"a" * PIECE, "more_body": read < PIECES}
        await done.wait()
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif not message.get("more_body", False):
            done.set()

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
        "root_path": "", "client": ("127.0.0.1", 50000), "server": ("testserver", 80),
        "headers": [
            (b"host", b"testserver"), (b"transfer-encoding", b"chunked"),
            *((k.encode(), v.encode()) for k, v in headers.items()),
        ],
    }  # fmt: skip
    asyncio.run(asgi(scope, receive, send))
    return status, read


def test_a_streamed_login_form_is_refused_at_the_limit_not_read_whole(app: App) -> None:
    status, read = streamed(
        create_app(app), "/inloggen", {"content-type": "application/x-www-form-urlencoded"}
    )
    assert status == 413
    assert read * PIECE <= OFFICE_FORM_BYTES + PIECE  # the old code read all 5 MB


def test_a_streamed_slack_request_is_refused_at_the_limit_not_read_whole(app: App) -> None:
    _, headers = sign(b"a" * PIECE * PIECES)
    status, read = streamed(create_app(app), "/slack/interactivity", headers)
    assert status == 413
    assert read * PIECE <= MAX_BODY + PIECE  # the old code read all 5 MB, then refused
    no_answers(app)


def test_slack_refuses_a_declared_length_over_its_limit(app: App) -> None:
    body, headers = sign(b"payload=" + b"a" * MAX_BODY)
    response = TestClient(create_app(app)).post(
        "/slack/interactivity", content=body, headers=headers
    )
    assert response.status_code == 413
    no_answers(app)


def test_a_note_of_2000_emoji_fits_the_answer_form(app: App) -> None:
    """review55 4: a note the field accepts (2000 characters, each 12 bytes percent-encoded)
    reaches the answer's checks; the old 20 000-byte limit refused it with 413."""
    ((_, token),) = queue_and_send(app, FIRST_DAY)["anna"]
    web = TestClient(create_app(app), raise_server_exceptions=False)
    page = web.get(f"/antwoord/{token}").text
    csrf = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    sent = {"status": "on_track", "note": "😀" * 2000, "csrf_token": csrf}
    response = web.post(f"/antwoord/{token}", data=sent, follow_redirects=False)
    assert len(response.request.content) > 24_000
    # Read and checked: the item is overdue, so the form asks for a date (422) and gives the
    # note back whole, where the old limit refused it unread (413).
    assert response.status_code == 422, visible(response.text)[:300]
    assert "😀" * 2000 in response.text
    assert "te groot" not in visible(response.text)


def test_an_answer_form_over_its_limit_says_why(app: App) -> None:
    """The 413 page says the form was too large and how long a note may be (Dutch, in the
    template), not only that the answer is not valid."""
    ((_, token),) = queue_and_send(app, FIRST_DAY)["anna"]
    web = TestClient(create_app(app), raise_server_exceptions=False)
    big = web.post(
        f"/antwoord/{token}",
        content=b"note=" + b"a" * 40_000,
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert big.status_code == 413
    text = visible(big.text)
    assert "Het formulier was te groot om te verwerken" in text
    assert "een toelichting mag hoogstens 2.000 tekens lang zijn" in text
    no_answers(app)


def no_answers(app: App) -> None:
    with app.session() as session:
        assert Repository(session, "wegen-test").status_updates() == []
