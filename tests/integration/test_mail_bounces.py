"""Bounces and the sender's address (task mail24): `regie mail bounces` reads delivery status
notifications (RFC 3464 and plain mailer-daemon texts) from .eml files, maildirs and mboxes,
matches them to our messages by Message-ID or X-Regie-Key, records each once, and a contact
whose address bounces for good gets no more e-mail until the plan changes the address or a
later send to it goes through; a 5xx refusal of our sender (MAIL FROM) stops the batch and
keeps every message queued. A real SMTP server (aiosmtpd), the local fake Slack, SQLite and
PostgreSQL."""

from __future__ import annotations

import json
import mailbox
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
import sqlalchemy as sa

from notifications.base import Message
from notifications.email import EmailNotifier
from notifications.file_outbox import to_email
from regie.bootstrap import App, bootstrap
from regie.bounce_reports import NotABounce, parse
from regie.bounces import bouncing
from regie.config import load_settings
from regie.cycle import deadline_check, send_reminders
from store.models_delivery import MailBounceRow
from tests.cli_in_process import regie
from tests.fakes.slack_api import FakeSlack
from tests.fakes.smtp import SmtpServer
from tests.integration.mail_setup import CONTACTS, DAY, FROM, ROOT, Clock, mail_env, outbox_rows

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning", "ignore::DeprecationWarning")


GONE = "telos@example.nl"


def dsn(original: EmailMessage, *, status: str = "5.1.1", action: str = "failed",
        regie_key: bool = True, own_id: str = "<dsn-1@mx.example.nl>") -> bytes:  # fmt: skip
    """A bounce as Postfix writes it: multipart/report, the recipient's status, the headers of
    the message it returns (with or without our X-Regie-Key)."""
    headers = "".join(
        f"{k}: {v}\n"
        for k, v in original.items()
        if k.lower() in ("from", "to", "subject", "message-id", "date")
        or (regie_key and k.lower() == "x-regie-key")
    )
    boundary = "DSN-BOUNDARY"
    text = f"""\
From: MAILER-DAEMON@mx.example.nl (Mail Delivery System)
To: regie@mvi.example.nl
Subject: Undelivered Mail Returned to Sender
Date: Thu, 15 Oct 2015 09:30:00 +0200
Message-ID: {own_id}
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="{boundary}"

--{boundary}
Content-Type: text/plain; charset=us-ascii

I'm sorry to have to inform you that your message could not be delivered.

--{boundary}
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.nl
Arrival-Date: Thu, 15 Oct 2015 09:29:58 +0200

Final-Recipient: rfc822; {GONE}
Original-Recipient: rfc822;{GONE}
Action: {action}
Status: {status}
Diagnostic-Code: smtp; 550 {status} <{GONE}>: Recipient address rejected: User unknown

--{boundary}
Content-Type: text/rfc822-headers

{headers}
--{boundary}--
"""
    return text.encode()


def plain_bounce(original: EmailMessage) -> bytes:
    """A non-standard bounce: a mailer-daemon's text, the original quoted inline."""
    return f"""\
From: Mail Delivery Subsystem <postmaster@oud.example.nl>
To: regie@mvi.example.nl
Subject: Mail delivery failed: returning message to sender
Date: Thu, 15 Oct 2015 10:00:00 +0200

This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its recipients:

  {GONE}
    host mx.oud.example.nl: 550 No such mailbox here

------ This is a copy of the message, including all the headers. ------

Message-ID: {original["Message-ID"]}
To: {original["To"]}
Subject: {original["Subject"]}
""".encode()


def _message(**kw: object) -> Message:
    values: dict[str, object] = {
        "key": "reminder:telos:2015-10-15:digest", "kind": "reminder_digest",
        "recipient": "telos", "recipient_name": "T. Elos", "subject": "[MVI] Verzoek",
        "text": "Beste T. Elos,\n", "email": GONE,
    }  # fmt: skip
    values.update(kw)
    return Message(**values)  # type: ignore[arg-type]


# --- reading bounces ------------------------------------------------------------------------


def test_a_standard_report_a_delay_a_plain_bounce_and_a_mail_that_is_none() -> None:
    original = to_email(_message(), mail_from=FROM)
    [failed] = parse("a.eml", dsn(original))  # type: ignore[misc]
    assert (failed.recipient, failed.status, failed.permanent) == (GONE, "5.1.1", True)
    assert failed.message_id == original["Message-ID"]
    assert failed.regie_key == "reminder:telos:2015-10-15:digest"
    assert failed.diagnostic and "User unknown" in failed.diagnostic

    [delayed] = parse("b.eml", dsn(original, status="4.4.1", action="delayed"))  # type: ignore[misc]
    assert (delayed.status, delayed.permanent) == ("4.4.1", False)

    [plain] = parse("c.eml", plain_bounce(original))  # type: ignore[misc]
    assert (plain.message_id, plain.recipient, plain.permanent) == (
        original["Message-ID"], GONE, True,
    )  # fmt: skip
    assert plain.diagnostic and "550 No such mailbox" in plain.diagnostic

    assert isinstance(parse("d.eml", original.as_bytes()), NotABounce)


def test_the_file_copy_and_the_smtp_mail_carry_the_same_message_id() -> None:
    message = _message()
    smtp = EmailNotifier("127.0.0.1", 25, mail_from=FROM, security="none").compose(message)
    assert smtp["Message-ID"] == to_email(message, mail_from=FROM)["Message-ID"]
    assert str(smtp["Message-ID"]).endswith("@mvi.example.nl>")


# --- the whole way: send, bounce, record, route ---------------------------------------------


def next_reminder(app: App, sender_clock: Clock) -> None:
    """The next days' checks until one queues a reminder to Telos."""
    for n in range(1, 15):
        sender_clock.now += timedelta(days=1)
        if any(":telos:" in k for k in deadline_check(app, DAY + timedelta(days=n)).queued):
            return
    raise AssertionError("no reminder to telos in two weeks")


def _bouncing(app: App) -> set[str]:
    with app.session() as session:
        return set(bouncing(session, app.load_plan()))


def test_a_bounce_is_recorded_once_named_by_doctor_told_the_office_and_stops_the_mail(
    tmp_path: Path, migrated_url: str, sender_clock: Clock
) -> None:
    with SmtpServer() as relay:
        env = mail_env(tmp_path, migrated_url, relay)
        app = bootstrap(load_settings(env))
        deadline_check(app, DAY)
        assert send_reminders(app).sent
        to_telos = [m for m in relay.mails() if m["To"].addresses[0].addr_spec == GONE]
        assert to_telos
        original = to_telos[0]

        # A maildir with the standard report (matched by Message-ID alone), an mbox with a
        # plain bounce of the same message, a delay and a mail that is no bounce.
        box = mailbox.Maildir(tmp_path / "Maildir")
        box.add(dsn(original, regie_key=False))
        box.add(dsn(original, status="4.2.2", action="delayed", own_id="<dsn-2@mx>"))
        box.add(b"From: someone@example.nl\nSubject: hallo\n\nGewoon een mail.\n")
        mbox = mailbox.mbox(tmp_path / "bounces.mbox")
        mbox.add(plain_bounce(original))
        mbox.flush()
        done = regie("mail", "bounces", str(tmp_path / "Maildir"), str(tmp_path / "bounces.mbox"),
                     env=env)  # fmt: skip
        assert done.code == 0, done.err
        assert done.out.count("bounce: telos <telos@example.nl>") == 2, done.out
        assert "delayed (noted, nothing changes): telos" in done.out
        assert "skipped:" in done.out and "programme office told: 1" in done.out
        assert _bouncing(app) == {"telos"}

        again = regie("mail", "bounces", str(tmp_path / "Maildir"), str(tmp_path / "bounces.mbox"),
                      env=env)  # fmt: skip
        assert again.code == 0, again.err
        assert "0 bounces recorded, 0 delays noted, 3 read before" in again.out
        assert "programme office told" not in again.out

        # The office is told once, by a message of its own, sent with the next batch.
        notices = [r for r in outbox_rows(app).values() if r.kind == "mail_bounce"]
        assert [(r.recipient, r.status) for r in notices] == [("office", "pending")]
        said = "E-mail aan T. Elos komt niet aan (host mx.oud.example.nl: 550"
        assert said in notices[0].body_text

        # `regie doctor` names the contact and why.
        doctor = regie("doctor", env=env)
        line = next(x for x in doctor.out.splitlines() if " mail: " in x)
        assert line.startswith("warning") and "telos <telos@example.nl> (host mx.oud" in line

        # The next reminder to Telos is not mailed: it waits, failed, with the reason.
        relay.received.clear()
        next_reminder(app, sender_clock)
        report = send_reminders(app)
        assert GONE not in {r for m in relay.received for r in m.recipients}
        assert "pmo@example.nl" in {r for m in relay.received for r in m.recipients}  # the notice
        waiting = [
            r for r in outbox_rows(app).values() if r.recipient == "telos" and r.status != "sent"
        ]
        assert waiting and {r.status for r in waiting} == {"failed"}
        assert all("komt niet aan (host mx.oud" in str(r.last_error) for r in waiting)
        assert report.failed

        # A new address in the contact list clears it: the mail goes again.
        contacts = tmp_path / "contacts.yaml"
        contacts.write_text(CONTACTS.replace(GONE, "t.elos@example.nl"), encoding="utf-8")
        assert _bouncing(bootstrap(load_settings(env))) == set()
        doctor = regie("doctor", env=env)
        assert "warning mail" not in doctor.out
        relay.received.clear()
        sender_clock.now += timedelta(hours=1)
        assert {r.key for r in waiting} <= set(send_reminders(bootstrap(load_settings(env))).sent)
        assert {r for m in relay.received for r in m.recipients} == {"t.elos@example.nl"}

    # The bounces name the contact and the address: an export shows them, forgetting erases them.
    out = tmp_path / "inzage.json"
    assert regie("contact", "export", "telos", "--out", str(out), env=env).code == 0
    assert len(json.loads(out.read_text("utf-8"))["mail_bounces"]) == 3
    entry = (
        "  - id: telos\n    name: T. Elos\n    organisation: Telos\n    email: t.elos@example.nl\n"
    )
    assert entry in contacts.read_text("utf-8")
    contacts.write_text(contacts.read_text("utf-8").replace(entry, ""), encoding="utf-8")
    assert regie("sync", env=env).code == 0
    forgot = regie("contact", "forget", "telos", "--yes", env=env)
    assert forgot.code == 0, forgot.err
    with bootstrap(load_settings(env)).session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(MailBounceRow)) == 0


def test_a_contact_with_slack_gets_the_next_reminder_there_and_a_later_send_clears_it(
    tmp_path: Path, migrated_url: str, sender_clock: Clock
) -> None:
    with SmtpServer() as relay, FakeSlack(users={GONE: "UTELOS"}) as slack:
        env = mail_env(
            tmp_path, migrated_url, relay, REGIE_NOTIFIER="email,slack",
            REGIE_SLACK_API_URL=slack.base_url, REGIE_SLACK_BOT_TOKEN=slack.token,
            REGIE_SLACK_RATE="1000",
        )  # fmt: skip
        app = bootstrap(load_settings(env))
        deadline_check(app, DAY)
        send_reminders(app)
        original = next(m for m in relay.mails() if m["To"].addresses[0].addr_spec == GONE)
        (tmp_path / "bounce.eml").write_bytes(dsn(original))
        assert regie("mail", "bounces", str(tmp_path / "bounce.eml"), env=env).code == 0

        relay.received.clear()
        next_reminder(app, sender_clock)
        report = send_reminders(app)
        telos = [r for r in outbox_rows(app).values() if r.recipient == "telos" and r.sent_at
                 and r.sent_at > sender_clock.now - timedelta(minutes=1)]  # fmt: skip
        assert telos and {r.channel for r in telos} == {"slack"}
        assert any("komt niet aan" in note for _, note in report.notes)
        assert GONE not in {r for m in relay.received for r in m.recipients}

        # A set-up test still mails the address; accepted, it clears the mark.
        sender_clock.now += timedelta(minutes=5)
        tested = regie("notify", "test", "telos", env=env)
        assert tested.code == 0, tested.err
        assert _bouncing(app) == set()


def test_a_refused_sender_stops_the_batch_keeps_every_message_queued_and_doctor_says_so(
    tmp_path: Path, migrated_url: str, sender_clock: Clock
) -> None:
    with SmtpServer(sender_reply="553 5.7.1 Sender address rejected: not owned by user") as relay:
        env = mail_env(tmp_path, migrated_url, relay)
        app = bootstrap(load_settings(env))
        queued = deadline_check(app, DAY).queued
        report = send_reminders(app)
        assert report.stopped and "REGIE_MAIL_FROM" in report.stopped
        assert report.failed == [] and report.dead == []
        rows = outbox_rows(app)
        assert {(rows[k].status, rows[k].attempts) for k in queued} == {("pending", 0)}
        sent = regie("send", env=env)
        assert sent.code == 1
        stopped = [x for x in sent.err.splitlines() if "REGIE_MAIL_FROM" in x]
        assert len(stopped) == 1 and "553 5.7.1" in stopped[0], sent.err
        doctor = regie("doctor", env=env)
        line = next(x for x in doctor.out.splitlines() if " mail: " in x)
        assert line.startswith("fail") and "REGIE_MAIL_FROM" in line

        relay.sender_reply = None  # the sender is fixed: everything goes out, doctor is calm
        sender_clock.now += timedelta(minutes=1)
        assert sorted(send_reminders(app).sent) == sorted(queued)
        doctor = regie("doctor", env=env)
        assert "fail    mail" not in doctor.out


# --- a sender per programme -----------------------------------------------------------------


def _plan_with_sender(tmp_path: Path, sender: str) -> Path:
    text = (ROOT / "plan" / "actions.yaml").read_text(encoding="utf-8")
    plan = tmp_path / "actions.yaml"
    line = "  id: mvi-2015-2020\n"
    plan.write_text(text.replace(line, f"{line}  mail_from: {sender}\n", 1), encoding="utf-8")
    return plan


def test_the_plan_sets_the_programme_s_own_sender_for_the_mail_and_its_file_copy(
    tmp_path: Path, migrated_url: str, sender_clock: Clock
) -> None:
    sender = "'Programma MVI <mvi@inkoop.example.nl>'"
    plan = _plan_with_sender(tmp_path, sender)
    with SmtpServer() as relay:
        env = mail_env(tmp_path, migrated_url, relay, REGIE_PLAN=str(plan),
                   REGIE_NOTIFIER="email")  # fmt: skip
        app = bootstrap(load_settings(env))
        deadline_check(app, DAY)
        assert send_reminders(app).sent
        mails = relay.mails()
        assert {str(m["From"]) for m in mails} == {"Programma MVI <mvi@inkoop.example.nl>"}
        assert {r.sender for r in relay.received} == {"mvi@inkoop.example.nl"}
        copy = app.channel("file")
        assert getattr(copy, "mail_from", None) == "Programma MVI <mvi@inkoop.example.nl>"

    with SmtpServer(sender_reply="550 5.7.1 Sender not allowed") as refusing:
        env = mail_env(tmp_path, migrated_url, refusing, REGIE_PLAN=str(plan))
        next_reminder(bootstrap(load_settings(env)), sender_clock)
        report = send_reminders(bootstrap(load_settings(env)))
        assert report.stopped and "programme.mail_from in the plan" in report.stopped
        doctor = regie("doctor", env=env)
        line = next(x for x in doctor.out.splitlines() if " mail: " in x)
        assert "fix programme.mail_from in the plan, then" in line, line
        assert "REGIE_MAIL_FROM" not in line

    bad = _plan_with_sender(tmp_path, "'het programmabureau'")
    checked = regie("plan", "validate", str(bad), env={**env, "REGIE_PLAN": str(bad)})
    assert checked.code == 2
    at = bad.read_text(encoding="utf-8").splitlines().index("  mail_from: 'het programmabureau'")
    assert f"{bad}:{at + 1}:" in checked.err  # the line the sender was written on
    assert "mail_from 'het programmabureau'" in checked.err
