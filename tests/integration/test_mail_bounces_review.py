"""Bounce handling after review mailrep: an unreadable mail does not stop the run, a forgotten
contact's bounce is not recorded again, the address we mailed is the one marked, a bouncing
contact's messages wait (and go to the new address once it is fixed), a bounce is matched
within its own programme, the office is told by its Slack channel too, doctor and the cycle
summary say what they should. A real SMTP server (aiosmtpd), SQLite and PostgreSQL."""

from __future__ import annotations

import mailbox
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from regie.bootstrap import bootstrap
from regie.bounce_reports import parse
from regie.bounces import _ours, read_bounces
from regie.config import load_settings
from regie.cycle import deadline_check, send_reminders
from regie.delivery import unreachable_contacts
from store.bounces import SentMessage
from store.models_delivery import MailBounceRow
from tests.cli_in_process import regie
from tests.fakes.slack_api import FakeSlack
from tests.fakes.smtp import SmtpServer
from tests.integration.mail_setup import mail_env, outbox_rows
from tests.integration.test_mail_bounces import (
    CONTACTS,
    DAY,
    GONE,
    Clock,
    _bouncing,
    dsn,
    next_reminder,
    plain_bounce,
)

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning", "ignore::DeprecationWarning")


def _sent_and_bounced(tmp_path: Path, env: dict[str, str], relay: SmtpServer) -> bytes:
    """Send the day's reminders; the bounce of the one to Telos."""
    app = bootstrap(load_settings(env))
    deadline_check(app, DAY)
    assert send_reminders(app).sent
    original = next(m for m in relay.mails() if m["To"].addresses[0].addr_spec == GONE)
    return dsn(original)


def test_a_bounce_in_an_unknown_charset_is_read_and_an_unreadable_mail_is_skipped(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with SmtpServer() as relay:
        env = mail_env(tmp_path, migrated_url, relay)
        bounce = _sent_and_bounced(tmp_path, env, relay)
        original = next(m for m in relay.mails() if m["To"].addresses[0].addr_spec == GONE)
        # A mailer-daemon's text in a charset Python does not know (common in real mailboxes).
        odd = plain_bounce(original).replace(
            b"Date:", b"Content-Type: text/plain; charset=unknown-8bit\nDate:", 1
        )
        [report] = parse("odd.eml", odd)  # type: ignore[misc]
        assert (report.recipient, report.permanent) == (GONE, True)

        box = mailbox.Maildir(tmp_path / "Maildir")
        box.add(odd)
        box.add(bounce)
        done = regie("mail", "bounces", str(tmp_path / "Maildir"), env=env)
        assert done.code == 0, done.err
        assert "Traceback" not in done.err
        assert "2 bounces recorded" in done.out and _bouncing(bootstrap(load_settings(env)))

    # Whatever else the parser trips over: that mail is skipped, one line, the rest is read.
    from regie import bounce_reports

    real = bounce_reports.parse

    def fragile(source: str, raw: bytes) -> object:
        if raw == odd:
            raise ValueError("broken\nheader")
        return real(source, raw)

    monkeypatch.setattr(bounce_reports, "parse", fragile)
    run = read_bounces(bootstrap(load_settings(env)), [tmp_path / "Maildir"])
    [line] = run.unreadable
    assert line.endswith("could not be read (broken header)") and run.read == 1
    assert run.already == 1


def test_a_forgotten_contact_s_bounce_is_not_recorded_again(
    tmp_path: Path, migrated_url: str
) -> None:
    with SmtpServer() as relay:
        env = mail_env(tmp_path, migrated_url, relay)
        box = mailbox.Maildir(tmp_path / "Maildir")
        box.add(_sent_and_bounced(tmp_path, env, relay))
        assert regie("mail", "bounces", str(tmp_path / "Maildir"), env=env).code == 0
    contacts = tmp_path / "contacts.yaml"
    entry = (
        "  - id: telos\n    name: T. Elos\n    organisation: Telos\n    email: telos@example.nl\n"
    )
    contacts.write_text(contacts.read_text("utf-8").replace(entry, ""), encoding="utf-8")
    assert regie("sync", env=env).code == 0
    assert regie("contact", "forget", "telos", "--yes", env=env).code == 0

    again = regie("mail", "bounces", "--quiet", str(tmp_path / "Maildir"), env=env)
    assert again.code == 0, again.err
    assert GONE not in again.out and "telos" not in again.out
    with bootstrap(load_settings(env)).session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(MailBounceRow)) == 0


def test_a_forwarded_bounce_marks_the_address_we_mailed(tmp_path: Path, migrated_url: str) -> None:
    with SmtpServer() as relay:
        env = mail_env(tmp_path, migrated_url, relay)
        raw = _sent_and_bounced(tmp_path, env, relay)
        # A forwarding mailbox: the final recipient is not the address we wrote to.
        forwarded = raw.replace(
            f"Final-Recipient: rfc822; {GONE}".encode(),
            b"Final-Recipient: rfc822; t.elos@nieuw.example.nl",
        ).replace(f"Original-Recipient: rfc822;{GONE}\n".encode(), b"")
        (tmp_path / "b.eml").write_bytes(forwarded)
        done = regie("mail", "bounces", str(tmp_path / "b.eml"), env=env)
        assert done.code == 0, done.err
        assert f"bounce: telos <{GONE}>" in done.out
        assert "programme office told: 1" in done.out
        app = bootstrap(load_settings(env))
        assert _bouncing(app) == {"telos"}
        with app.session() as session:
            [said] = session.scalars(sa.select(MailBounceRow.diagnostic))
        assert said and said.endswith("(reported for t.elos@nieuw.example.nl)")


def test_a_bouncing_contact_s_messages_wait_and_go_to_the_new_address(
    tmp_path: Path, migrated_url: str, sender_clock: Clock
) -> None:
    with SmtpServer() as relay:
        env = mail_env(tmp_path, migrated_url, relay)
        (tmp_path / "b.eml").write_bytes(_sent_and_bounced(tmp_path, env, relay))
        assert regie("mail", "bounces", str(tmp_path / "b.eml"), env=env).code == 0
        app = bootstrap(load_settings(env))
        next_reminder(app, sender_clock)
        for _ in range(8):  # more tries than MAX_ATTEMPTS, over a day
            send_reminders(bootstrap(load_settings(env)))
            sender_clock.now += timedelta(hours=3)
        waiting = {
            k: r for k, r in outbox_rows(app).items() if r.recipient == "telos" and not r.sent_at
        }
        assert waiting and {(r.status, r.attempts) for r in waiting.values()} == {("failed", 0)}

        # The office corrects the address: the waiting messages go there, and say so.
        (tmp_path / "contacts.yaml").write_text(
            CONTACTS.replace(GONE, "t.elos@example.nl"), encoding="utf-8"
        )
        relay.received.clear()
        report = send_reminders(bootstrap(load_settings(env)))
        assert set(waiting) <= set(report.sent)
        assert {r for m in relay.received for r in m.recipients} >= {"t.elos@example.nl"}
        assert GONE not in {r for m in relay.received for r in m.recipients}
        rows = outbox_rows(app)
        assert {rows[k].email for k in waiting} == {"t.elos@example.nl"}


def test_a_bounce_is_matched_within_its_own_programme() -> None:
    def sent(programme: str, email: str | None) -> SentMessage:
        return SentMessage(programme, "report-due:r:2025-12-31:pmo", "pmo", "PMO", email)

    a, b = sent("a", "pmo@a.nl"), sent("b", "pmo@b.nl")
    assert _ours([b, a], "a", "pmo@a.nl") == a
    not_ours = _ours([b, a], "a", "pmo@b.nl")
    assert isinstance(not_ours, str) and "of programme b, not this one" in not_ours
    assert isinstance(_ours([b], "a", None), str)
    # Neither address is the reported one (a forward): not guessed.
    unsure = _ours([b, a], "a", "elders@x.nl")
    assert isinstance(unsure, str) and "cannot tell which" in unsure
    # One programme only: its message, whatever address the report names.
    assert _ours([a], "a", "elders@x.nl") == a
    # The same key to the same address in both: the whole Message-ID (its domain is the
    # programme's sender's) tells them apart; without it the address is dead for both.
    a2 = SentMessage("a", a.key, "pmo", "PMO", "pmo@x.nl", external_id="<d@a.example>")
    b2 = SentMessage("b", a.key, "pmo", "PMO", "pmo@x.nl", external_id="<d@b.example>")
    assert _ours([b2, a2], "a", "pmo@x.nl", "<d@A.example>") == a2
    assert "not this one" in str(_ours([b2, a2], "a", "pmo@x.nl", "<d@b.example>"))
    assert _ours([b2, a2], "a", "pmo@x.nl", None) == a2
    assert _ours([b2, a2], "b", "pmo@x.nl", None) == b2


OFFICE_IS_TELOS = CONTACTS.replace("    programme_office: true\n", "").replace(
    f"    email: {GONE}\n", f"    email: {GONE}\n    programme_office: true\n"
)


def test_the_only_office_contact_bounces_doctor_and_the_run_say_nobody_was_told(
    tmp_path: Path, migrated_url: str
) -> None:
    (tmp_path / "contacts.yaml").write_text(OFFICE_IS_TELOS, encoding="utf-8")
    with SmtpServer() as relay:
        env = mail_env(tmp_path, migrated_url, relay)
        (tmp_path / "b.eml").write_bytes(_sent_and_bounced(tmp_path, env, relay))
        done = regie("mail", "bounces", str(tmp_path / "b.eml"), env=env)
        assert done.code == 0, done.err
        assert f"nobody told: telos <{GONE}>" in done.out
        doctor = regie("doctor", env=env)
        line = next(x for x in doctor.out.splitlines() if " mail: " in x)
        assert "the only programme-office contact telos bounces" in line
        # The cycle summary's unreachable contacts name Telos (e-mail only, and it bounces).
        app = bootstrap(load_settings(env))
        [gone] = unreachable_contacts(app, app.load_plan(), ["telos"])
        assert gone.reason == f"email: {GONE} bounces"


def test_the_office_slack_channel_is_told_too(tmp_path: Path, migrated_url: str) -> None:
    (tmp_path / "contacts.yaml").write_text(OFFICE_IS_TELOS, encoding="utf-8")
    with SmtpServer() as relay, FakeSlack() as slack:
        env = mail_env(
            tmp_path, migrated_url, relay, REGIE_NOTIFIER="email,slack",
            REGIE_SLACK_API_URL=slack.base_url, REGIE_SLACK_BOT_TOKEN=slack.token,
            REGIE_SLACK_RATE="1000", REGIE_SLACK_OFFICE_CHANNEL="COFFICE",
        )  # fmt: skip
        (tmp_path / "b.eml").write_bytes(_sent_and_bounced(tmp_path, env, relay))
        done = regie("mail", "bounces", str(tmp_path / "b.eml"), env=env)
        assert done.code == 0, done.err
        assert "programme office told: 1" in done.out and "nobody told" not in done.out
        app = bootstrap(load_settings(env))
        [notice] = [r for r in outbox_rows(app).values() if r.kind == "mail_bounce"]
        assert (notice.recipient, notice.slack) == ("office-channel", "COFFICE")
        assert notice.payload.get("to_channel") is True


def test_the_mailbox_is_read_one_message_at_a_time(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing is read ahead (a mailbox that is never emptied only grows): a message removed
    from the maildir while the run reads the first one is not read at all, and the run goes
    on."""
    with SmtpServer() as relay:
        env = mail_env(tmp_path, migrated_url, relay)
        bounce = _sent_and_bounced(tmp_path, env, relay)
    box = mailbox.Maildir(tmp_path / "Maildir")
    first = box.add(bounce)
    second = box.add(b"From: someone@example.nl\nSubject: hallo\n\nGewoon een mail.\n")
    assert sorted(box.keys()) == sorted([first, second])
    from regie import bounce_reports

    real = bounce_reports.parse
    seen: list[str] = []

    def expunging(source: str, raw: bytes) -> object:
        seen.append(source)
        other = second if source.endswith(first) else first
        if other in box:
            box.remove(other)  # a mail client expunges it meanwhile
        return real(source, raw)

    monkeypatch.setattr(bounce_reports, "parse", expunging)
    run = read_bounces(bootstrap(load_settings(env)), [tmp_path / "Maildir"])
    assert len(seen) == 1 and run.read == 1 and not run.unreadable
