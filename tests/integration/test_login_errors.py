"""Review walk29 finding 12: the login page after a failed login, as the answer form after a
failed POST (WCAG 2.1 AA 3.3.1, 4.1.2): the title says there is an error, the error block takes
the focus without a script, and the fields are marked invalid and described by the message.
SQLite and PostgreSQL (the headless-Chromium check: test_web_a11y_browser.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from starlette.testclient import TestClient

from regie.users import add_user
from tests.integration.test_answer_form_errors import Page, _csrf, _describedby
from tests.integration.test_web_item_page import PASSWORD, _app
from web.app import create_app

FIELDS = ("gebruikersnaam", "wachtwoord")


def test_a_failed_login_marks_the_fields_and_focuses_the_error(
    tmp_path: Path, migrated_url: str
) -> None:
    app = _app(tmp_path, migrated_url)
    add_user(app, "office", PASSWORD, "P. Bureau", datetime.now(UTC))
    web = TestClient(create_app(app))
    form = web.get("/inloggen")
    first = Page(form.text)
    assert first.title.startswith("Inloggen – ")
    assert first.summary == {}
    for field in FIELDS:
        assert "aria-invalid" not in first.by_id[field]
        assert "aria-describedby" not in first.by_id[field]

    sent = {"gebruikersnaam": "office", "wachtwoord": "not the password", "csrf_token": ""}
    failed_page = web.post("/inloggen", data={**sent, "csrf_token": _csrf(form.text)})
    assert failed_page.status_code == 401
    failed = Page(failed_page.text)
    assert failed.title == "Fout: " + first.title
    assert "autofocus" in failed.summary and failed.summary.get("tabindex") == "-1"
    for field in FIELDS:
        element = failed.by_id[field]
        assert element.get("aria-invalid") == "true", field
        (described,) = _describedby(element)
        assert "de gebruikersnaam of het wachtwoord klopt niet" in failed.text[described]
    assert failed.by_id["gebruikersnaam"].get("value") == "office"  # kept, to correct
    assert failed.by_id["wachtwoord"].get("value") is None  # a password is never put back
