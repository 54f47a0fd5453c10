"""walk57b 4: a form sent after the session ended (12 hours) went to the login, and the login
back to the form's own address, which answers a GET with 405 "Dit kan hier niet". The login now
brings the officer back to the page the form is on, and says that what was sent was not stored."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from starlette.testclient import TestClient

from tests.integration.test_web_item_page import PASSWORD, _app, visible
from web.app import create_app


@pytest.mark.parametrize(
    ("form", "page"),
    [
        ("/items/1.1.1/corrigeren", "/items/1.1.1#corrigeren"),
        ("/agenda/3/intrekken", "/agenda"),
        ("/agenda", "/agenda"),  # the subscription form posts to its own page
    ],
)
def test_a_form_sent_without_a_session_comes_back_to_its_page(
    tmp_path: Path, migrated_url: str, form: str, page: str
) -> None:
    from datetime import UTC, datetime

    from regie.services import sync
    from regie.users import add_user

    app = _app(tmp_path, migrated_url)
    sync(app, None)
    add_user(app, "office", PASSWORD, "P. Bureau", datetime.now(UTC))
    web = TestClient(create_app(app))  # no session cookie: it expired
    sent = web.post(form, data={"csrf_token": "x", "note": "getypt"}, follow_redirects=False)
    assert sent.status_code == 303
    location = urlsplit(sent.headers["location"])
    assert location.path == "/inloggen"
    query = parse_qs(location.query)
    assert query == {"volgende": [page], "verlopen": ["1"]}
    shown = visible(web.get(sent.headers["location"]).text)
    assert "Uw sessie was verlopen. Wat u net verstuurde is niet opgeslagen" in shown
    login = web.get("/inloggen")
    csrf = login.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    done = web.post(
        "/inloggen",
        data={"csrf_token": csrf, "volgende": page, "gebruikersnaam": "office",
              "wachtwoord": PASSWORD},
        follow_redirects=False,
    )  # fmt: skip
    assert done.status_code == 303 and done.headers["location"] == page
    back = web.get(page.split("#")[0])
    assert back.status_code == 200  # the page, not "Dit kan hier niet" (405)
