"""Review "newprog" finding 12 end to end, on SQLite and PostgreSQL: the file outbox's copy
carries the From and Reply-To the mail itself would, the message names the plan's own office
("Programmasecretariaat"), and it invites a reply by mail only when one reaches the office."""

from __future__ import annotations

import re
import shutil
from datetime import date
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

from notifications.base import Message
from notifications.email import EmailNotifier
from regie.bootstrap import App, bootstrap
from regie.config import load_settings
from tests.integration.server import TEST_SECRET_KEY

BE_PLAN = Path(__file__).resolve().parents[1] / "fixtures" / "plans" / "circulair_bouwen_be.yaml"
DAY = date(2025, 9, 25)  # 1.1 (OVAM) is asked about for the first time
MAIL_FROM = "Secretariaat Circulair Bouwen <regie@cb.example.be>"


def _app(tmp_path: Path, url: str, plan_text: str | None = None, **env: str) -> App:
    plan = tmp_path / "plan.yaml"
    if plan_text is None:
        shutil.copy(BE_PLAN, plan)
    else:
        plan.write_text(plan_text, encoding="utf-8")
    settings = {
        "REGIE_HOME": str(tmp_path / "home"),
        "REGIE_DATABASE_URL": url,
        "REGIE_PLAN": str(plan),
        "REGIE_SECRET_KEY": TEST_SECRET_KEY,
        **env,
    }
    return bootstrap(load_settings(settings))


def _sent(app: App) -> EmailMessage:
    from regie.cycle import deadline_check, send_reminders

    assert deadline_check(app, DAY).queued
    send_reminders(app)
    (eml,) = [p for p in app.settings.outbox_dir.glob("*.eml") if ":ovam:" in p.read_text()]
    mail = message_from_bytes(eml.read_bytes(), policy=default)
    assert isinstance(mail, EmailMessage)
    return mail


def _words(mail: EmailMessage) -> str:
    parts = [mail.get_body(("plain",)), mail.get_body(("html",))]
    return " ".join(" ".join(str(p.get_content()).split()) for p in parts if p is not None)


def test_the_file_copy_has_the_mails_from_and_reply_to(tmp_path: Path, migrated_url: str) -> None:
    app = _app(
        tmp_path,
        migrated_url,
        REGIE_NOTIFIER="file,email",  # the copy first: nothing leaves the machine
        REGIE_SMTP_HOST="smtp.invalid",
        REGIE_MAIL_FROM=MAIL_FROM,
    )
    copy = _sent(app)
    email = app.channel("email")
    assert isinstance(email, EmailNotifier)
    real = email.compose(
        Message(
            key=str(copy["X-Regie-Key"]),
            kind=str(copy["X-Regie-Kind"]),
            recipient="ovam",
            recipient_name="A. Peeters",
            subject=str(copy["Subject"]),
            text="",
            email="a.peeters@example.org",
        )
    )
    assert (copy["From"], copy["Reply-To"]) == (real["From"], real["Reply-To"])
    assert copy["Reply-To"] == "secretariaat@example.org"  # the programme office's contact
    text = _words(copy)
    assert "Programmasecretariaat Circulair Bouwen" in text
    assert "Antwoordt u op deze e-mail, dan komt uw antwoord bij het programmasecretariaat" in text
    assert "rogrammabureau" not in text


def test_without_a_reply_address_the_copy_invites_no_reply(
    tmp_path: Path, migrated_url: str
) -> None:
    """File only, no REGIE_MAIL_REPLY_TO and no office contact with an address: a reply would
    go to Regie's own From, which nobody reads, so the message does not ask for one."""
    text = BE_PLAN.read_text(encoding="utf-8").replace("    email: secretariaat@example.org\n", "")
    copy = _sent(_app(tmp_path, migrated_url, text, REGIE_NOTIFIER="file"))
    assert copy["Reply-To"] is None
    words = _words(copy)
    assert "Antwoordt u" not in words and "antwoorden" not in words
    assert "Programmasecretariaat Circulair Bouwen" in words


def test_file_only_the_copy_replies_to_the_office(tmp_path: Path, migrated_url: str) -> None:
    copy = _sent(_app(tmp_path, migrated_url, REGIE_NOTIFIER="file"))
    assert copy["From"] == "Regie <regie@regie.invalid>"
    assert copy["Reply-To"] == "secretariaat@example.org"
    assert "Antwoordt u op deze e-mail" in _words(copy)


def test_the_answer_pages_name_the_plans_office(tmp_path: Path, migrated_url: str) -> None:
    from starlette.testclient import TestClient

    from web.app import create_app

    app = _app(tmp_path, migrated_url, REGIE_NOTIFIER="file")
    copy = _sent(app)
    text = copy.get_body(("plain",))
    assert text is not None
    (token,) = re.findall(r"Antwoorden: \S+/antwoord/(\S+)", str(text.get_content()))
    web = TestClient(create_app(app))
    form = web.get(f"/antwoord/{token}")
    assert form.status_code == 200
    assert "Uw toelichting komt bij het programmasecretariaat" in form.text
    (csrf,) = re.findall(r'name="csrf_token" value="([^"]+)"', form.text)
    done = web.post(
        f"/antwoord/{token}",
        data={"status": "at_risk", "note": "Wacht op de aanbesteding", "csrf_token": csrf},
    )
    assert done.status_code == 200, done.text
    assert "Het programmasecretariaat ziet uw antwoord" in done.text
    used = web.get(f"/antwoord/{token}")
    assert "al gebruikt" in used.text
    assert "contact op met het programmasecretariaat (Actieplan Circulair Bouwen" in used.text
    login = web.get("/inloggen")
    assert "Voor medewerkers van het programmasecretariaat." in login.text
    for page in (form, done, used, login):
        assert "rogrammabureau" not in page.text
