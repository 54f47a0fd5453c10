"""Stored messages hold no working answer link (security review, finding 2).

The outbox row (and so the database, its backups and replicas) holds a placeholder where a
link's id and MAC go; the sender derives the link again (HMAC under REGIE_SECRET_KEY) and puts
it in just before a channel gets the message: e-mail, file outbox and Slack carry a working
link, and a retry sends the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from governance.clock import utcnow
from notifications.base import Delivery, Message, NotifierError
from notifications.file_outbox import FileOutbox, to_email
from regie.answer_links import check_link
from regie.bootstrap import App, bootstrap
from regie.config import load_settings
from regie.cycle import deadline_check, send_reminders
from store import Repository
from store.urls import sqlite_file
from tests.fakes.slack_api import FakeSlack
from tests.fakes.smtp import SmtpServer
from tests.integration.link_setup import FIRST_DAY, delivered_text, link_app, queue_and_send
from tests.integration.mail_setup import ROOT
from tests.integration.old_schema import later_columns
from tests.integration.server import TEST_SECRET_KEY
from tests.integration.test_delivery import CONTACTS, USERS
from web.app import create_app

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning", "ignore::DeprecationWarning")

#: A link as it answers: /antwoord/<id>.<mac> (both URL-safe base64 of 16 bytes).
WORKING = re.compile(r"/antwoord/([A-Za-z0-9_-]{16,64})\.([A-Za-z0-9_-]{16,64})")


def outbox_dump(app: App) -> str:
    """Every column of every outbox row as text (what a backup or pg_dump holds of them)."""
    with app.engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT * FROM outbox ORDER BY id")).all()
    return "\n".join(repr(tuple(row)) for row in rows)


def database_bytes(app: App) -> bytes:
    """The SQLite database file (and its WAL) as bytes; b'' on PostgreSQL."""
    name = sqlite_file(app.engine.url.render_as_string(hide_password=False))
    if name is None:
        return b""
    app.engine.dispose()
    files = (Path(name), Path(f"{name}-wal"))
    return b"".join(p.read_bytes() for p in files if p.exists())


def assert_nothing_answers(app: App, tokens: list[str]) -> None:
    dump = outbox_dump(app)
    assert not WORKING.search(dump)  # no link with an id and a MAC …
    assert "{answer-link:" in dump  # … but the placeholders where they go
    raw = database_bytes(app)
    for token in tokens:
        link_id, _, mac = token.partition(".")
        assert link_id not in dump and mac not in dump
        assert link_id.encode() not in raw and mac.encode() not in raw


# --- the file outbox (default channel) -----------------------------------------------------------


@pytest.fixture
def app(migrated_url: str, tmp_path: Path) -> App:
    return link_app(migrated_url, tmp_path)


def test_a_backup_holds_no_working_link_and_the_delivered_message_does(app: App) -> None:
    ((item, token),) = queue_and_send(app, FIRST_DAY)["anna"]
    assert item == "1.1.1"
    with app.session() as session:
        (message,) = [
            m for m in Repository(session, "wegen-test").outbox() if m.recipient == "anna"
        ]
    assert message.status == "sent"
    assert "Antwoorden: http://regie.test/antwoord/{answer-link:" in message.body_text
    assert_nothing_answers(app, [token])
    web = TestClient(create_app(app))
    assert web.get(f"/antwoord/{token}").status_code == 200  # the delivered link works
    html = to_email_html(app, message.key)
    assert f'href="http://regie.test/antwoord/{token}"' in html


def to_email_html(app: App, key: str) -> str:
    from email import message_from_bytes, policy

    from notifications.base import scoped_key
    from notifications.file_outbox import file_name

    mail = message_from_bytes(
        (app.settings.outbox_dir / file_name(scoped_key(key, app.programme_id()))).read_bytes(),
        policy=policy.default,
    )
    part = mail.get_body(("html",))  # type: ignore[attr-defined]
    return str(part.get_content())


def mail_bytes(message: Message) -> bytes:
    """The message as the file outbox writes it, MIME boundaries aside (random per call)."""
    mail = to_email(message)
    data = mail.as_bytes()
    for part in mail.walk():
        boundary = part.get_boundary()
        if boundary:
            data = data.replace(boundary.encode(), b"BOUNDARY")
    return data


class Flaky:
    """The file outbox, but the first attempt fails (a channel that was down)."""

    channel = "file"

    def __init__(self, directory: Path) -> None:
        self.inner = FileOutbox(directory)
        self.seen: list[Message] = []

    def send(self, message: Message) -> Delivery:
        self.seen.append(message)
        if len(self.seen) == 1:
            raise NotifierError("down for a moment")
        return self.inner.send(message)


def test_a_retry_sends_the_same_bytes_with_the_same_working_link(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    flaky = Flaky(app.settings.outbox_dir)
    monkeypatch.setattr(app, "notifier", lambda plan=None: flaky)
    report = deadline_check(app, FIRST_DAY)
    (key,) = [k for k in report.queued if ":anna:" in k]
    first = send_reminders(app, keys=[key])
    assert [k for k, _ in first.failed] == [key]
    later = utcnow() + timedelta(minutes=2)  # past the first retry's backoff
    with mock.patch("governance.clock.utcnow", return_value=later):
        again = send_reminders(app, keys=[key])
    assert again.sent == [key]
    one, two = flaky.seen
    assert (one.text, one.html) == (two.text, two.html)
    assert mail_bytes(one) == mail_bytes(two)
    (token,) = [f"{m[0]}.{m[1]}" for m in WORKING.findall(two.text)]
    assert token in delivered_text(app, key)
    check_link(app, app.load_plan(), token, utcnow())  # answers
    assert_nothing_answers(app, [token])


def test_without_the_key_at_send_time_the_message_waits(app: App) -> None:
    report = deadline_check(app, FIRST_DAY)
    (key,) = [k for k in report.queued if ":anna:" in k]
    keyless = replace(app, settings=replace(app.settings, secret_key=None))
    sent = send_reminders(keyless, keys=[key])
    ((failed, reason),) = sent.failed
    assert failed == key and "REGIE_SECRET_KEY" in reason
    assert not (app.settings.outbox_dir).exists() or not any(app.settings.outbox_dir.iterdir())


# --- e-mail (SMTP) and Slack, through the router -------------------------------------------------


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack(users=dict(USERS), channels={"CPMO"}) as fake:
        yield fake


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


def routed_app(tmp_path: Path, url: str, slack: FakeSlack, smtp: SmtpServer) -> App:
    contacts = tmp_path / "contacts.yaml"
    contacts.write_text(CONTACTS, encoding="utf-8")
    env = {
        "REGIE_HOME": str(tmp_path / "home"),
        "REGIE_DATABASE_URL": url,
        "REGIE_PLAN": str(ROOT / "plan" / "actions.yaml"),
        "REGIE_CONTACTS": str(contacts),
        "REGIE_NOTIFIER": "slack,email",
        "REGIE_SLACK_BOT_TOKEN": slack.token,
        "REGIE_SLACK_API_URL": slack.base_url,
        "REGIE_SLACK_OFFICE_CHANNEL": "CPMO",
        "REGIE_SLACK_RATE": "1000",
        "REGIE_SMTP_HOST": "127.0.0.1",
        "REGIE_SMTP_PORT": str(smtp.port),
        "REGIE_SMTP_SECURITY": "none",
        "REGIE_MAIL_FROM": "Programmabureau MVI <regie@mvi.example.nl>",
        "REGIE_SECRET_KEY": TEST_SECRET_KEY,
        "REGIE_BASE_URL": "https://regie.example.nl",
    }
    return bootstrap(load_settings(env))


def _links(text: str) -> list[str]:
    return [f"{m[0]}.{m[1]}" for m in WORKING.findall(text)]


def test_mail_and_slack_carry_working_links_the_database_none(
    tmp_path: Path, migrated_url: str, slack: FakeSlack, smtp: SmtpServer
) -> None:
    app = routed_app(tmp_path, migrated_url, slack, smtp)
    deadline_check(app, date(2015, 10, 15))
    send_reminders(app)
    mailed: list[str] = []
    for mail in smtp.mails():
        text = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        html = mail.get_body(("html",)).get_content()  # type: ignore[union-attr]
        assert "{answer-link:" not in text and "{answer-link:" not in html
        assert _links(text) == _links(html)
        mailed += _links(text)
    posted: list[str] = []
    for post in slack.posts():
        text: Any = post.get("text") or ""
        assert "{answer-link:" not in text
        posted += _links(text)
    # rivm and pianoo by e-mail; office and ienm in Slack, whose notification text carries no
    # answer links (its buttons answer; walk28 #19)
    assert mailed and slack.posts() and not posted
    plan = app.load_plan()
    for token in mailed:
        check_link(app, plan, token, utcnow())  # each one answers
    assert_nothing_answers(app, mailed)


# --- migration 0021: links stored by earlier versions ---------------------------------------------


def _old_style_links(monkeypatch: pytest.MonkeyPatch) -> None:
    """LinkMaker as it was before 0021: a random id, the whole URL into the stored texts."""
    import secrets

    from regie.answer_links import LinkMaker, link_mac
    from store.answers import NewLink, address_hash, token_hash

    def old_call(self: LinkMaker, contact_id: str, item_id: str, message_key: str) -> str:
        token = secrets.token_urlsafe(16)
        mac = link_mac(self.secret, token, self.programme_id, contact_id, item_id, message_key)
        address = self.addresses.get(contact_id)
        recipient = address_hash(address) if address else None
        self._made.append(NewLink(token_hash(token), contact_id, item_id, message_key, recipient))
        return f"{self.base_url}/antwoord/{token}.{mac}"

    monkeypatch.setattr(LinkMaker, "__call__", old_call)


def _triggers_hold(app: App) -> None:
    with app.engine.begin() as connection, pytest.raises(sa.exc.DatabaseError):
        connection.execute(sa.text("UPDATE outbox SET body_text = 'x' WHERE status = 'sent'"))
    with app.engine.begin() as connection, pytest.raises(sa.exc.DatabaseError):
        connection.execute(sa.text("UPDATE answer_links SET token = 'x'"))


@pytest.mark.parametrize("with_key", [True, False], ids=["key", "no-key"])
def test_0021_takes_the_links_out_of_stored_texts(
    app: App,
    migrated_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    with_key: bool,
) -> None:
    """With the key the queued message's link becomes a placeholder (derived again at send
    time); without it (ops review, finding 2) the stored link stays, is delivered as it is and
    answers, and the upgrade says how many queued messages still carry one."""
    from store import downgrade, upgrade

    app.ensure_schema()  # at head now; the App does not look again
    app.engine.dispose()
    downgrade(migrated_url, "0020")
    with monkeypatch.context() as old, later_columns(app.engine):
        _old_style_links(old)
        ((_, sent_token),) = queue_and_send(app, FIRST_DAY)["anna"]
        report = deadline_check(app, FIRST_DAY + timedelta(days=14))  # queued, not sent
        (pending_key,) = [k for k in report.queued if ":anna:" in k]
        with app.session() as session:
            rows = {m.key: m for m in Repository(session, "wegen-test").outbox()}
        (pending_token,) = _links(rows[pending_key].body_text)
        assert sent_token in outbox_dump(app) and pending_token in outbox_dump(app)  # pre-0021
    app.engine.dispose()
    if with_key:
        monkeypatch.setenv("REGIE_SECRET_KEY", TEST_SECRET_KEY)
    else:
        monkeypatch.delenv("REGIE_SECRET_KEY", raising=False)
    capsys.readouterr()
    upgrade(migrated_url)
    said = capsys.readouterr().err

    dump = outbox_dump(app)
    if with_key:
        assert_nothing_answers(app, [sent_token, pending_token])
        assert not WORKING.search(dump)
        assert "0021" not in said
    else:
        assert set(_links(dump)) == {pending_token}  # the queued message's link only
        assert "1 queued message keeps its answer link as stored (it is delivered" in said
    assert sent_token.partition(".")[0] not in dump
    with app.session() as session:
        rows = {m.key: m for m in Repository(session, "wegen-test").outbox()}
    sent = next(m for m in rows.values() if m.status == "sent" and m.recipient == "anna")
    assert "Antwoorden: [link verwijderd]" in sent.body_text
    assert "[link verwijderd]" in (sent.body_html or "")
    pending = rows[pending_key]
    if with_key:
        assert "Antwoorden: http://regie.test/antwoord/{answer-link:" in pending.body_text
        assert "/antwoord/{answer-link:" in str(pending.payload)
    else:
        assert f"Antwoorden: http://regie.test/antwoord/{pending_token}" in pending.body_text
        assert "{answer-link:" not in str(pending.payload)
    _triggers_hold(app)

    web = TestClient(create_app(app))
    assert web.get(f"/antwoord/{sent_token}").status_code == 200  # delivered: keeps working
    if with_key:
        assert web.get(f"/antwoord/{pending_token}").status_code == 404  # its id is gone
    assert send_reminders(app, keys=[pending_key]).sent == [pending_key]
    delivered = delivered_text(app, pending_key)
    if with_key:
        (token,) = _links(delivered)  # derived at send time, answers
        assert f'href="http://regie.test/antwoord/{token}"' in to_email_html(app, pending_key)
        assert web.get(f"/antwoord/{token}").status_code == 200
        assert web.get(f"/antwoord/{sent_token}").status_code == 410  # replaced by the newer
    else:
        assert _links(delivered) == [pending_token]  # delivered as it was stored, and answers
        assert f'href="http://regie.test/antwoord/{pending_token}"' in to_email_html(
            app, pending_key
        )
        assert web.get(f"/antwoord/{pending_token}").status_code == 200
        assert web.get(f"/antwoord/{sent_token}").status_code == 410  # replaced by the newer
