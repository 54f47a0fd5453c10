"""The default notifier: one .eml file per message under REGIE_HOME/outbox/.

Files are named after the idempotency key and the programme (:func:`notifications.base.scoped_key`),
so a message sent twice (a crash between delivery and bookkeeping) lands on the same file
instead of a second copy, and two programmes sharing a REGIE_HOME never share a file.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from email.message import EmailMessage
from email.utils import format_datetime, formatdate, make_msgid
from pathlib import Path

from notifications.base import (
    Attachment,
    AttachmentReader,
    Delivery,
    Message,
    NotifierError,
    attach,
    message_id,
    read_attachments,
    scoped_key,
    subject_header,
    to_header,
)

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def file_name(key: str) -> str:
    """A readable, filesystem-safe, collision-free name for an idempotency key."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:10]
    return f"{_UNSAFE.sub('_', key).strip('_')[:120]}-{digest}.eml"


def file_names(key: str, programme: str | None) -> list[str]:
    """The names message ``key`` of ``programme`` may have in the file outbox: its own
    (:func:`scoped_key`) and, for a key that did not name its programme, the name it was
    written under before file names carried the programme (one name when they are the same)."""
    return list(dict.fromkeys([file_name(scoped_key(key, programme)), file_name(key)]))


def copies(directory: Path, key: str, programme: str | None = None) -> list[Path]:
    """The files under ``directory`` that hold message ``key`` of ``programme``: its .eml
    under either name (:func:`file_names`), and the .tmp a send that crashed before renaming
    it left behind (only those that exist)."""
    targets = [directory / name for name in file_names(key, programme)]
    return [p for t in targets for p in (t, t.with_suffix(".tmp")) if p.exists()]


#: The copy's From when no REGIE_MAIL_FROM is configured: nobody reads it.
DEFAULT_FROM = "Regie <regie@regie.invalid>"


def to_email(
    message: Message,
    *,
    mail_from: str | None = None,
    reply_to: str | None = None,
    files: list[tuple[Attachment, bytes]] | None = None,
) -> EmailMessage:
    """The message as the mail would go out: ``mail_from`` and ``reply_to`` as the SMTP
    notifier sets them (:meth:`regie.bootstrap.App.mail_reply_to`), so the office previews what
    a reply would reach. ``files``: its attachments, read (:func:`read_attachments`)."""
    mail = EmailMessage()
    mail["Subject"] = subject_header(message.subject)
    mail["To"] = to_header(message.recipient_name, message.email or None)
    mail["From"] = mail_from or DEFAULT_FROM
    if reply_to:
        mail["Reply-To"] = reply_to
    # The SMTP mail's Message-ID (its sender's domain): one message, one id, in both.
    mail["Message-ID"] = (
        message_id(message.key, mail_from, message.programme) if message.key else make_msgid()
    )
    # As the SMTP sender writes them: a mail client opening the file shows when it was queued.
    queued = message.queued_at
    mail["Date"] = format_datetime(queued) if queued is not None else formatdate(localtime=True)
    mail["Auto-Submitted"] = "auto-generated"
    mail["X-Regie-Key"] = message.key
    mail["X-Regie-Kind"] = message.kind
    mail.set_content(message.text, cte=_text_encoding(message.text))
    if message.html:
        mail.add_alternative(message.html, subtype="html")
    attach(mail, files or [])
    return mail


#: RFC 5322's limit on a line, in octets without its CRLF.
_LINE_MAX = 998


def _text_encoding(text: str) -> str:
    """8bit keeps the file readable as plain text; a line past RFC 5322's limit (a long note
    or title) would not survive a relay, so such a text goes quoted-printable as SMTP sends it."""
    longest = max((len(line.encode()) for line in text.splitlines()), default=0)
    return "8bit" if longest <= _LINE_MAX else "quoted-printable"


class FileOutbox:
    channel = "file"

    def __init__(
        self,
        directory: Path,
        *,
        mail_from: str | None = None,
        reply_to: str | None = None,
        read_attachment: AttachmentReader | None = None,
    ) -> None:
        self.directory = directory
        self.mail_from = mail_from
        self.reply_to = reply_to
        #: Where a message's attachments are read (the report archive): the copy carries them
        #: as the mail does.
        self.read_attachment = read_attachment

    def send(self, message: Message) -> Delivery:
        target = self.directory / file_name(message.name)
        earlier = _earlier_copy(self.directory, message)
        if earlier is not None:
            return Delivery(self.channel, str(earlier))
        files = read_attachments(message, self.read_attachment)
        data = to_email(
            message, mail_from=self.mail_from, reply_to=self.reply_to, files=files
        ).as_bytes()
        try:
            _private_directory(self.directory)
            if not target.exists():
                tmp = target.with_suffix(".tmp")
                # 0600, whatever the umask: a message names its owner and carries answer links
                # (a leftover .tmp of a crashed send is replaced, not reused with its mode)
                with contextlib.suppress(FileNotFoundError):
                    tmp.unlink()
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                os.replace(tmp, target)  # atomic: a reader never sees half a message
        except OSError as exc:
            raise NotifierError(f"cannot write {target}: {exc.strerror or exc}") from exc
        return Delivery(self.channel, str(target))


def _earlier_copy(directory: Path, message: Message) -> Path | None:
    """This very message's file under the key-only name it was written under before names
    carried the programme (an attempt that reached the file but not the bookkeeping, a
    database restored from before it was sent): it is not written a second time. The file
    counts only when its Subject, To and Date (the time the row was queued) are this
    message's: under that name another programme's message may lie. Its To may be the one
    written before names were quoted (``Jansen, P. <p@…>``, :func:`_unquoted_to`)."""
    legacy = directory / file_name(message.key)
    if legacy.name == file_name(message.name) or not legacy.exists():
        return None
    from email import policy
    from email.parser import BytesHeaderParser

    try:
        with legacy.open("rb") as handle:
            headers = BytesHeaderParser(policy=policy.default).parse(handle)
    except OSError:
        return None
    mine = to_email(message)
    same = message.queued_at is not None and all(
        str(headers.get(h, "")) == str(mine.get(h, "")) for h in ("Subject", "Date")
    )
    to = str(headers.get("To", ""))
    return legacy if same and to in (str(mine["To"]), _unquoted_to(message)) else None


def _unquoted_to(message: Message) -> str:
    """The To header as the file outbox wrote it before it quoted names (walk29 finding 5:
    ``Jansen, P. <p@…>``), read back as a parser reads it from the file."""
    old = EmailMessage()
    old["To"] = (
        f"{message.recipient_name} <{message.email}>" if message.email else message.recipient_name
    )
    return str(old["To"])


def _private_directory(path: Path) -> None:
    """``path`` and its missing parents made 0700 (an existing directory is left as it is):
    as :func:`store.files.private_directory`, which this layer may not import."""
    missing: list[Path] = []
    current = path
    while not current.exists() and current != current.parent:
        missing.append(current)
        current = current.parent
    for directory in reversed(missing):
        with contextlib.suppress(FileExistsError):
            directory.mkdir(mode=0o700)
