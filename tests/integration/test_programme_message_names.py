"""Review walk28 finding 2: two programmes in one REGIE_HOME, each with its own database and
one sender domain, both start status round 1 on the same day. Their outbox keys are the same
(``round:1:<contact>:request``: keys are unique per programme only), so the file outbox's
names and the Message-IDs carry the programme: two sets of files, two Message-IDs per
contact, and a bounce of one programme's request is recorded for that programme only.
Messages named the old way (before names carried the programme) are still found: their file
is not written twice and a bounce quoting their Message-ID still finds them. SQLite and
PostgreSQL; a real SMTP server (aiosmtpd)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pytest

from notifications.base import Message, message_id
from notifications.file_outbox import FileOutbox, file_name, to_email
from regie.bootstrap import App, bootstrap
from regie.config import load_settings
from regie.cycle import send_reminders
from regie.rounds import start_round
from store import Repository
from store.records import OutboxRecord
from tests.cli_in_process import regie
from tests.fakes.smtp import SmtpServer
from tests.integration.answer_app import ANSWERS_PLAN
from tests.integration.mail_setup import mail_env
from tests.integration.test_mail_bounces import dsn

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning", "ignore::DeprecationWarning")

DAY = date(2025, 6, 2)
ANSWER_BY = date(2025, 6, 20)
A, B = "wegen-test", "wegen-test-b"


def _plans(tmp_path: Path) -> tuple[Path, Path]:
    """Programme A (the answers fixture) and B: the same plan under another id and title."""
    a = tmp_path / "a.yaml"
    a.write_text(ANSWERS_PLAN.read_text(encoding="utf-8"), encoding="utf-8")
    text = a.read_text(encoding="utf-8")
    b = tmp_path / "b.yaml"
    b.write_text(
        text.replace(f"  id: {A}\n", f"  id: {B}\n", 1).replace(
            "  short_title: Fietsroutes\n", "  short_title: Fietsroutes B\n", 1
        ),
        encoding="utf-8",
    )
    return a, b


def _own_database(tmp_path: Path) -> str:
    """Programme B's own database (SQLite), A's is the test's (SQLite or PostgreSQL)."""
    from store import upgrade

    url = f"sqlite:///{tmp_path / 'b.db'}"
    upgrade(url)
    return url


def _env(tmp_path: Path, url: str, plan: Path, **extra: str) -> dict[str, str]:
    return {
        "REGIE_HOME": str(tmp_path / "home"),  # one home for both programmes
        "REGIE_DATABASE_URL": url,
        "REGIE_PLAN": str(plan),
        "REGIE_NOTIFIER": "file",
        "REGIE_BASE_URL": "",
        "PREFECT_API_URL": "",
        **extra,
    }


def _round(app: App) -> list[str]:
    report = start_round(app, "stuurgroep", ANSWER_BY, None, DAY)
    assert report.started and report.queued
    sent = send_reminders(app)
    assert sorted(sent.sent) == sorted(report.queued), sent
    return sorted(report.queued)


def _mail(path: Path) -> EmailMessage:
    mail = message_from_bytes(path.read_bytes(), policy=default)
    assert isinstance(mail, EmailMessage)
    return mail


def test_two_programmes_in_one_home_write_their_own_round_requests(
    tmp_path: Path, migrated_url: str
) -> None:
    plan_a, plan_b = _plans(tmp_path)
    app_a = bootstrap(load_settings(_env(tmp_path, migrated_url, plan_a)))
    app_b = bootstrap(load_settings(_env(tmp_path, _own_database(tmp_path), plan_b)))
    keys_a, keys_b = _round(app_a), _round(app_b)
    assert keys_a == keys_b  # the same keys: round 1 of each, the same contacts

    outbox = app_a.settings.outbox_dir
    assert outbox == app_b.settings.outbox_dir
    mails = {p.name: _mail(p) for p in outbox.glob("*.eml")}
    assert len(mails) == 2 * len(keys_a), sorted(mails)
    by_programme: dict[str, set[str]] = {A: set(), B: set()}
    ids: dict[str, set[str]] = {}
    for name, mail in mails.items():
        programme = B if name.startswith(f"round_{B}_") else A
        assert name.startswith(f"round_{programme}_1_"), name
        # Each file is its own programme's message, not the other's under a shared name.
        assert str(mail["Subject"]).startswith(
            "[Fietsroutes B]" if programme == B else "[Fietsroutes]"
        ), (name, mail["Subject"])
        by_programme[programme].add(str(mail["X-Regie-Key"]))
        ids.setdefault(str(mail["X-Regie-Key"]), set()).add(str(mail["Message-ID"]))
    assert by_programme == {A: set(keys_a), B: set(keys_b)}
    assert all(len(found) == 2 for found in ids.values()), ids  # one Message-ID each


def test_a_bounce_of_one_programme_s_round_request_is_recorded_for_that_programme(
    tmp_path: Path, migrated_url: str
) -> None:
    plan_a, plan_b = _plans(tmp_path)
    with SmtpServer() as relay:
        # One sender for both (two programmes of one ministry): only the names tell them apart.
        env_a = mail_env(tmp_path, migrated_url, relay, REGIE_PLAN=str(plan_a),
                         REGIE_CONTACTS="")  # fmt: skip
        env_b = {**env_a, "REGIE_PLAN": str(plan_b), "REGIE_DATABASE_URL": _own_database(tmp_path)}
        app_a, app_b = (bootstrap(load_settings(e)) for e in (env_a, env_b))
        _round(app_a)
        relay.received.clear()
        _round(app_b)
        to_b = next(m for m in relay.mails() if m["To"].addresses[0].username == "anna")
    with app_a.session() as session:
        sent_a = Repository(session, A).outbox_message(str(to_b["X-Regie-Key"]))
    assert sent_a is not None and sent_a.external_id != str(to_b["Message-ID"])
    (tmp_path / "b.eml").write_bytes(dsn(to_b))

    as_a = regie("mail", "bounces", str(tmp_path / "b.eml"), env=env_a)
    assert as_a.code == 0, as_a.err
    assert "0 bounces recorded" in as_a.out and "not sent by this programme" in as_a.out
    as_b = regie("mail", "bounces", str(tmp_path / "b.eml"), env=env_b)
    assert as_b.code == 0, as_b.err
    assert "bounce: anna <anna@example.org>" in as_b.out, as_b.out


def test_a_message_sent_under_its_old_message_id_still_takes_its_bounce(
    tmp_path: Path, migrated_url: str
) -> None:
    """Sent before Message-IDs carried the programme: the stored id is the old one, and a
    bounce that quotes only it (no X-Regie-Key) finds the message."""
    plan_a, _ = _plans(tmp_path)
    with SmtpServer() as relay:
        env = mail_env(tmp_path, migrated_url, relay, REGIE_PLAN=str(plan_a), REGIE_CONTACTS="")
    app = bootstrap(load_settings(env))
    assert regie("sync", env=env).code == 0
    key = "round:1:anna:request"
    old_id = message_id(key, env["REGIE_MAIL_FROM"])  # as it was derived: from the key alone
    assert old_id != message_id(key, env["REGIE_MAIL_FROM"], A)
    record = OutboxRecord(
        key=key, kind="round_request", recipient="anna", recipient_name="Anna de Wit",
        email="anna@example.org", subject="[Fietsroutes] Statusronde", body_text="Beste Anna,\n",
        created_on=DAY,
    )  # fmt: skip
    now = datetime(2025, 6, 2, 8, 0, tzinfo=UTC)
    with app.session() as session, session.begin():
        repo = Repository(session, A)
        repo.enqueue([record])
        [claimed] = repo.claim_outbox(limit=1, now=now, keys=[key])
        repo.mark_sent(
            key, channel="email", external_id=old_id, now=now, claim_token=claimed.claim_token
        )
    original = EmailMessage()
    for header, value in (("From", env["REGIE_MAIL_FROM"]), ("To", "anna@example.org"),
                          ("Subject", record.subject), ("Message-ID", old_id)):  # fmt: skip
        original[header] = value
    (tmp_path / "old.eml").write_bytes(dsn(original, regie_key=False))
    read = regie("mail", "bounces", str(tmp_path / "old.eml"), env=env)
    assert read.code == 0, read.err
    assert "bounce: anna <anna@example.org>" in read.out, read.out


def _message(programme: str, subject: str, attempt: int = 1) -> Message:
    return Message(
        key="round:1:anna:request", kind="round_request", recipient="anna",
        recipient_name="Anna de Wit", subject=subject, text="Beste Anna,\n",
        email="anna@example.org", attempt=attempt,
        queued_at=datetime(2025, 6, 2, 8, 0, tzinfo=UTC), programme=programme,
    )  # fmt: skip


def test_a_file_written_under_the_old_name_is_not_written_again(tmp_path: Path) -> None:
    """A retry (or a restored database) of a message whose file went out under the key-only
    name: that file counts. Another programme's file under that name does not."""
    outbox = FileOutbox(tmp_path)
    mine = _message(A, "[Fietsroutes] Statusronde", attempt=2)
    legacy = tmp_path / file_name(mine.key)
    legacy.write_bytes(to_email(mine).as_bytes())
    assert outbox.send(mine).external_id == str(legacy)
    assert sorted(p.name for p in tmp_path.iterdir()) == [legacy.name]

    theirs = _message(B, "[Fietsroutes B] Statusronde")
    written = Path(str(outbox.send(theirs).external_id))
    assert written != legacy and written.name.startswith(f"round_{B}_1_anna_request-")
    assert str(_mail(written)["Subject"]) == "[Fietsroutes B] Statusronde"
    assert _mail(written)["Message-ID"] != _mail(legacy)["Message-ID"]
