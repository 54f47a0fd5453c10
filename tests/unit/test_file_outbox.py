"""The file outbox writes what the SMTP sender would send: a mail client can open the file."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes
from email.utils import parsedate_to_datetime
from pathlib import Path

from notifications.base import Message
from notifications.file_outbox import FileOutbox


def _message(text: str = "Beste C. Contact,\n", queued_at: datetime | None = None) -> Message:
    return Message(
        key="reminder:p:c:2015-10-01:digest",
        kind="reminder_digest",
        recipient="c",
        recipient_name="C. Contact",
        subject="[P] Verzoek om update: 1 punt",
        text=text,
        email="c@example.org",
        queued_at=queued_at,
    )


def test_a_written_message_has_a_date_and_says_it_was_sent_automatically(tmp_path: Path) -> None:
    queued = datetime(2015, 10, 1, 6, 30, tzinfo=UTC)
    message = _message(queued_at=queued)
    delivery = FileOutbox(tmp_path).send(message)
    mail = message_from_bytes(Path(str(delivery.external_id)).read_bytes())
    assert parsedate_to_datetime(mail["Date"]) == queued
    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail["Subject"] == message.subject


def _written(tmp_path: Path, text: str) -> tuple[bytes, str]:
    message = _message(text)
    raw = Path(str(FileOutbox(tmp_path).send(message).external_id)).read_bytes()
    body = message_from_bytes(raw).get_payload(decode=True)
    assert isinstance(body, bytes)
    return raw, body.decode()


def test_an_ordinary_text_stays_readable_as_a_plain_file(tmp_path: Path) -> None:
    raw, body = _written(tmp_path, "Beste C. Contact,\n\nDe stand van één punt.\n")
    assert b"De stand van \xc3\xa9\xc3\xa9n punt." in raw  # 8bit: the file reads as written
    assert body == "Beste C. Contact,\n\nDe stand van één punt.\n"


def test_a_line_past_the_mail_limit_is_encoded_so_a_relay_keeps_it(tmp_path: Path) -> None:
    # A long toelichting can make one line longer than RFC 5322's 998 octets.
    note = "toelichting " * 100 + "één"
    raw, body = _written(tmp_path, f"Beste C. Contact,\n\n{note}\n")
    assert max(len(line) for line in raw.splitlines()) <= 998
    assert body == f"Beste C. Contact,\n\n{note}\n"


def test_a_copy_carries_the_attachments_read_from_the_archive_and_checked(
    tmp_path: Path,
) -> None:
    """As the mail does (the agenda pack's PDF): read through the reader at send time; a file
    not there, or not the one queued, writes no copy."""
    import hashlib
    from dataclasses import replace

    import pytest

    from notifications.base import Attachment, NotifierError

    pdf = b"%PDF-1.7 a pack"
    ref = Attachment(
        "agenda-sg-2016-04-12.pdf", "application/pdf", 7, hashlib.sha256(pdf).hexdigest()
    )
    message = replace(_message(), attachments=(ref,), programme="p")
    asked: list[tuple[int, str | None]] = []

    def archive(a: Attachment, programme: str | None) -> bytes | None:
        asked.append((a.archive_id, programme))
        return {7: pdf, 8: b"another"}.get(a.archive_id)

    delivery = FileOutbox(tmp_path / "ok", read_attachment=archive).send(message)
    mail = message_from_bytes(Path(str(delivery.external_id)).read_bytes())
    files = [p for p in mail.walk() if p.get_filename()]
    assert asked == [(7, "p")]
    assert [(p.get_filename(), p.get_content_type()) for p in files] == [
        ("agenda-sg-2016-04-12.pdf", "application/pdf")
    ]
    assert files[0].get_payload(decode=True) == pdf
    for archive_id, said in ((9, "is missing from the report archive"), (8, "does not match")):
        moved = replace(message, attachments=(replace(ref, archive_id=archive_id),))
        with pytest.raises(NotifierError, match=said):
            FileOutbox(tmp_path / "bad", read_attachment=archive).send(moved)
        assert not list((tmp_path / "bad").glob("*.eml"))
