"""The file outbox writes what the SMTP sender would send: a mail client can open the file."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes
from email.utils import parsedate_to_datetime
from pathlib import Path

from notifications.base import Message
from notifications.file_outbox import FileOutbox


def test_a_written_message_has_a_date_and_says_it_was_sent_automatically(tmp_path: Path) -> None:
    queued = datetime(2015, 10, 1, 6, 30, tzinfo=UTC)
    message = Message(
        key="reminder:p:c:2015-10-01:digest",
        kind="reminder_digest",
        recipient="c",
        recipient_name="C. Contact",
        subject="[P] Verzoek om update: 1 punt",
        text="Beste C. Contact,\n",
        email="c@example.org",
        queued_at=queued,
    )
    delivery = FileOutbox(tmp_path).send(message)
    mail = message_from_bytes(Path(str(delivery.external_id)).read_bytes())
    assert parsedate_to_datetime(mail["Date"]) == queued
    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail["Subject"] == message.subject
