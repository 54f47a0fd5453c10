"""The default notifier: one .eml file per message under REGIE_HOME/outbox/.

Files are named after the idempotency key, so a message sent twice (a crash between delivery
and bookkeeping) lands on the same file instead of a second copy.
"""

from __future__ import annotations

import hashlib
import os
import re
from email.message import EmailMessage
from email.utils import format_datetime, formatdate, make_msgid
from pathlib import Path

from notifications.base import Delivery, Message, NotifierError

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def file_name(key: str) -> str:
    """A readable, filesystem-safe, collision-free name for an idempotency key."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:10]
    return f"{_UNSAFE.sub('_', key).strip('_')[:120]}-{digest}.eml"


def message_id(key: str, domain: str = "regie.invalid") -> str:
    """A stable Message-ID per key, so mail clients can spot a duplicate delivery."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:24]
    return f"<{digest}@{domain}>"


def to_email(message: Message) -> EmailMessage:
    mail = EmailMessage()
    mail["Subject"] = message.subject
    mail["To"] = (
        f"{message.recipient_name} <{message.email}>" if message.email else (message.recipient_name)
    )
    mail["From"] = "Regie <regie@regie.invalid>"
    mail["Message-ID"] = message_id(message.key) if message.key else make_msgid()
    # As the SMTP sender writes them: a mail client opening the file shows when it was queued.
    queued = message.queued_at
    mail["Date"] = format_datetime(queued) if queued is not None else formatdate(localtime=True)
    mail["Auto-Submitted"] = "auto-generated"
    mail["X-Regie-Key"] = message.key
    mail["X-Regie-Kind"] = message.kind
    mail.set_content(message.text, cte="8bit")  # readable as a plain file, too
    if message.html:
        mail.add_alternative(message.html, subtype="html")
    return mail


class FileOutbox:
    channel = "file"

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def send(self, message: Message) -> Delivery:
        target = self.directory / file_name(message.key)
        data = to_email(message).as_bytes()
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            if not target.exists():
                tmp = target.with_suffix(".tmp")
                tmp.write_bytes(data)
                os.replace(tmp, target)  # atomic: a reader never sees half a message
        except OSError as exc:
            raise NotifierError(f"cannot write {target}: {exc.strerror or exc}") from exc
        return Delivery(self.channel, str(target))
