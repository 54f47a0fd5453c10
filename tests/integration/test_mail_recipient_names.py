"""Review walk29 finding 5: a contact named the Dutch way ("Jansen, P."), or with quotes and an
"ë", is one recipient in the To header — of the SMTP mail (a real SMTP server, aiosmtpd) and
of its file copy alike (notifications.base.to_header). A file the outbox wrote before it quoted
names is still recognised as the message's own."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pytest

from notifications.base import Message
from notifications.email import EmailNotifier
from notifications.file_outbox import FileOutbox, file_name, to_email
from tests.fakes.smtp import SmtpServer

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning", "ignore::DeprecationWarning")

NAMES = ["Jansen, P.", 'Jansen, Piët "PJ" (IenM)', "Anna de Wit"]
QUEUED = datetime(2025, 6, 2, 8, 0, tzinfo=UTC)


def _message(name: str, email: str | None = "p.jansen@example.org") -> Message:
    return Message(
        key="round:1:jansen:request", kind="round_request", recipient="jansen",
        recipient_name=name, subject="[Fietsroutes] Statusronde", text="Beste P. Jansen,\n",
        email=email, queued_at=QUEUED, programme="wegen-test",
    )  # fmt: skip


def _read(data: bytes) -> EmailMessage:
    mail = message_from_bytes(data, policy=policy.default)
    assert isinstance(mail, EmailMessage)
    return mail


def _recipients(mail: EmailMessage) -> list[tuple[str, str]]:
    return [(a.display_name, a.addr_spec) for a in mail["To"].addresses]


@pytest.mark.parametrize("name", NAMES)
def test_the_file_copy_and_the_smtp_mail_have_one_recipient_with_the_whole_name(
    tmp_path: Path, name: str
) -> None:
    written = FileOutbox(tmp_path).send(_message(name))
    copy = _read(Path(str(written.external_id)).read_bytes())
    assert _recipients(copy) == [(name, "p.jansen@example.org")]

    with SmtpServer() as smtp:
        notifier = EmailNotifier(
            "127.0.0.1", smtp.port, mail_from="Regie <regie@example.nl>", security="none",
            timeout=10,
        )  # fmt: skip
        notifier.send(_message(name))
        [received] = smtp.mails()
        assert smtp.received[0].recipients == ["p.jansen@example.org"]
    assert _recipients(received) == [(name, "p.jansen@example.org")]
    assert str(copy["To"]) == str(received["To"])  # the preview is the mail as it goes out


def test_a_copy_for_a_contact_without_an_address_names_one_recipient(tmp_path: Path) -> None:
    """A contact only on Slack: the copy's To is the name alone, still one recipient."""
    written = FileOutbox(tmp_path).send(_message("Jansen, P.", email=None))
    to = _read(Path(str(written.external_id)).read_bytes())["To"]
    assert [g.display_name for g in to.groups] == ["Jansen, P."]
    assert to.addresses == ()


@pytest.mark.parametrize("address", ["p..q@example.org", "p@example..org"])
def test_an_address_the_plan_accepts_is_still_written_to_the_file_outbox(
    tmp_path: Path, address: str
) -> None:
    """review6: the strict header parser refuses some addresses the plan accepts; the file copy
    is still written (as before names were quoted), the name still one recipient's. SMTP keeps
    refusing it in its own words (:class:`EmailNotifier` reports the address)."""
    from notifications.base import to_header

    written = FileOutbox(tmp_path).send(_message("Jansen, P.", email=address))
    data = Path(str(written.external_id)).read_bytes()
    assert f'To: "Jansen, P." <{address}>'.encode() in data
    assert to_header("Jansen, P.", address) == f'"Jansen, P." <{address}>'
    from email.errors import HeaderParseError

    with pytest.raises((ValueError, HeaderParseError)):
        to_header("Jansen, P.", address, strict=True)


def _unquoted_copy(message: Message) -> bytes:
    """The message's file as the outbox wrote it before names were quoted (and before file
    names carried the programme): ``To: Jansen, P. <p.jansen@…>``."""
    mail = EmailMessage()
    mail["Subject"] = message.subject
    to = f"{message.recipient_name} <{message.email}>" if message.email else message.recipient_name
    mail["To"] = to
    mail["Date"] = format_datetime(QUEUED)
    mail.set_content(message.text)
    return mail.as_bytes()


@pytest.mark.parametrize("email", ["p.jansen@example.org", None], ids=["email", "no-email"])
@pytest.mark.parametrize("name", NAMES)
def test_a_file_written_with_the_unquoted_name_is_still_the_message_s_own(
    tmp_path: Path, name: str, email: str | None
) -> None:
    message = _message(name, email=email)
    legacy = tmp_path / file_name(message.key)  # the name before it carried the programme
    legacy.write_bytes(_unquoted_copy(message))
    assert FileOutbox(tmp_path).send(message).external_id == str(legacy)
    assert [p.name for p in tmp_path.iterdir()] == [legacy.name]  # not written a second time


def test_another_recipient_s_file_under_the_old_name_is_not_taken_for_it(tmp_path: Path) -> None:
    message = _message("Jansen, P.")
    legacy = tmp_path / file_name(message.key)
    legacy.write_bytes(_unquoted_copy(_message("Jansen, Q.")))
    written = Path(str(FileOutbox(tmp_path).send(message).external_id))
    assert written != legacy
    assert _recipients(_read(written.read_bytes())) == [("Jansen, P.", "p.jansen@example.org")]
    assert str(to_email(message)["To"]) == str(_read(written.read_bytes())["To"])
