"""The Notifier protocol: one message in, one delivery receipt out."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from email.header import Header
from email.message import EmailMessage
from email.policy import EmailPolicy
from typing import Any, Protocol

from notifications.notes import Note


class NotifierError(Exception):
    """Delivery failed; the outbox keeps the message for another try. The text is the
    notifier's words (English: a server's or Slack's own error) or a :class:`Note` (worded in
    Dutch, as stored); ``note`` keeps its code and values."""

    def __init__(self, reason: str | Note) -> None:
        super().__init__(str(reason))
        self.note = reason if isinstance(reason, Note) else None
        #: The channel this attempt handed the message to without knowing whether it arrived
        #: (set by the router): the outbox keeps it, later attempts use that channel only.
        self.channel: str | None = None
        #: The server may have the message and no later attempt could tell (an SMTP server
        #: that did not answer the message's DATA): the outbox gives it up at once, unsent
        #: again, and the operator decides (`regie outbox mark-sent` or `retry`).
        self.unconfirmed = False


class Unreachable(NotifierError):
    """This channel cannot reach the recipient (no address, unknown Slack user): try the next."""


class Refused(Unreachable):
    """The channel's server refused this message for good: an SMTP 5xx reply (550 mailbox
    unavailable, 553 bad address), Slack's ``channel_not_found``. No later attempt would pass,
    so the outbox gives the message up at once (dead), the text naming the server's code and
    words; like :class:`Unreachable`, the next channel (if any) is tried first."""


class Bounced(Unreachable):
    """The recipient's e-mail address bounces (`regie mail bounces`): no attempt would pass
    until the address changes, so the message waits for that (or for another channel) and is
    not given up; like :class:`Unreachable`, the next channel (if any) is tried first."""


class ChannelDown(NotifierError):
    """The channel itself refuses service (bad credentials, server gone or not answering): stop
    the batch, as every other message would fail the same way. The text is one line, without
    secrets. ``maybe_delivered``: the message may have reached its recipient all the same (a
    post that timed out after it was sent), so no other channel may carry it (nothing twice);
    otherwise it clearly did not, and the router hands it to the next channel that reaches."""

    def __init__(self, reason: str | Note, *, maybe_delivered: bool = False) -> None:
        super().__init__(reason)
        self.maybe_delivered = maybe_delivered


class Postponed(NotifierError):
    """Not tried: the message's channel went down earlier in this batch (and no other channel
    may carry it). It goes back to the queue untried, without using up an attempt."""


class SenderRefused(ChannelDown):
    """The mail server refused our sender address (a 5xx reply to MAIL FROM): a configuration
    fault (REGIE_MAIL_FROM), not the message's. The batch stops and the message stays queued,
    untried, instead of using up its attempts."""


#: The Message-ID domain when there is no sender address (a file copy without SMTP settings).
NO_DOMAIN = "regie.invalid"


#: The key kinds that put their programme second: only these are their own name (a pack of a
#: body whose id equals the programme's, or a round of a numeric programme id, is not).
_NAMED_KINDS = frozenset({"reminder", "escalation"})


def scoped_key(key: str, programme: str | None) -> str:
    """The name of outbox message ``key`` of ``programme`` outside its database: its file in
    the file outbox and its Message-ID. An outbox key is unique per programme only (a round's
    ``round:1:…``, a pack's ``agenda-pack:stuurgroep:…`` recur in every programme), while
    programmes may share a REGIE_HOME and a sender domain; so the programme id goes in after
    the key's first part. A key that already names its programme there (``reminder:<programme>:…``,
    ``escalation:<programme>:…``) is its own name, as it always was, so those names did not
    change. The database keeps the key as it is: what was queued stays queued, nothing twice."""
    if not programme:
        return key
    kind, sep, rest = key.partition(":")
    if not sep:
        return f"{programme}:{key}"
    if kind in _NAMED_KINDS and rest.partition(":")[0] == programme:
        return key
    return f"{kind}:{programme}:{rest}"


def message_id(key: str, mail_from: str | None = None, programme: str | None = None) -> str:
    """The stable Message-ID of the message with idempotency ``key`` of ``programme``, the same
    for the SMTP mail and its file copy: mail clients spot a duplicate delivery, and a bounce
    that quotes it finds its message (:mod:`regie.bounces`). The domain is the sender's (some
    servers distrust a foreign one); the part before it, derived from :func:`scoped_key`, is
    what identifies it (without ``programme``: from the key alone, as before per-programme
    names; messages sent so went out with it and their bounces match their stored id)."""
    from email.utils import parseaddr

    digest = hashlib.sha256(scoped_key(key, programme).encode()).hexdigest()[:24]
    domain = parseaddr(mail_from or "")[1].rpartition("@")[2] or NO_DOMAIN
    return f"<{digest}@{domain}>"


def to_header(name: str, email: str | None, *, strict: bool = False) -> str:
    """The To header of a mail to ``name`` at ``email``, the same in the SMTP mail and its file
    copy: the name quoted as needed (``"Jansen, P." <p@…>``: the usual Dutch "Achternaam,
    voorletters", quotes or an "ë" stay one address, not two). Without an address (a contact
    only on Slack: the file copy) an empty group, so the name still reads as one recipient.
    ``strict`` (SMTP): an address the header parser refuses raises ValueError, IndexError or
    HeaderParseError, which the sender reports; else it is written as given."""
    from email.errors import HeaderParseError
    from email.headerregistry import Address, Group

    if email is None:
        return str(Group(display_name=name))
    try:
        return str(Address(display_name=name, addr_spec=email))
    except (ValueError, IndexError, HeaderParseError):
        if strict:
            raise
        # An address the plan accepts but the strict parser does not (``p..q@x.nl``): the
        # file copy is still written, the name quoted by formataddr, as before the quoting.
        from email.utils import formataddr

        return formataddr((name, email))


class Subject(str):
    """A mail's Subject that reads back as written (:func:`subject_header`)."""

    name = "Subject"  # the policy stores and folds a value with a name as it is

    def fold(self, *, policy: EmailPolicy) -> str:
        # Python's own folding (3.11) of a subject with encoded words can add a space ("uw
        # update \r\n =?utf-8?…vóór?=" reads "update  vóór", walk33 8) or lose one between
        # two of them; and it puts a 70–77 character ASCII one whole on a continuation line,
        # which reads back with a leading blank (walk56e 5). A plain ASCII subject is folded
        # here before its own blanks (unfolding takes out only the line breaks); any other
        # goes out as encoded words only, which fold cleanly (the blanks between them are no
        # text).
        width = policy.max_line_length or 78
        if (folded := _fold_plain(self.name, str(self), width, policy.linesep)) is not None:
            return folded
        words = Header(str(self), "utf-8", width, self.name).encode(linesep=policy.linesep)
        return f"{self.name}: {words}{policy.linesep}"


def _fold_plain(name: str, value: str, width: int, linesep: str) -> str | None:
    """``name: value`` folded before blanks of ``value`` into lines of at most ``width``, or None
    when ``value`` cannot go out as plain text that reads back the same: not printable ASCII,
    blank at either end, something a reader would take for an encoded word (``=?``), or a word
    too long for a line."""
    plain = value.isascii() and value.isprintable() and value == value.strip(" ")
    if not plain or "=?" in value:
        return None
    words = value.split(" ")
    lines = [f"{name}: {words[0]}"]
    for word in words[1:]:
        if len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(f" {word}")
    if any(len(line) > width for line in lines):
        return None
    return linesep.join(lines) + linesep


def subject_header(subject: str) -> Subject:
    """The Subject header of a mail, the same in the SMTP mail and its file copy: decoded
    again (by a mail client, :mod:`email`) it is ``subject`` exactly, however it is folded."""
    return Subject(subject)


def message_id_digest(value: str) -> str | None:
    """The key-derived part of a Message-ID as :func:`message_id` writes it, or None."""
    local = value.strip().strip("<>").partition("@")[0].strip().lower()
    return local if len(local) == 24 and all(c in "0123456789abcdef" for c in local) else None


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file that goes with a message, by reference: an archived report (its id in the
    archive and the hash it was archived with). The outbox keeps the reference, never the
    bytes; the sender reads the file at send time and checks it (:func:`read_attachments`)."""

    name: str  # the file name the recipient sees
    content_type: str  # application/pdf, text/html
    archive_id: int
    sha256: str


#: Reads an attachment's bytes from the archive of ``programme`` (None: not there).
AttachmentReader = Callable[[Attachment, str | None], bytes | None]


@dataclass(frozen=True, slots=True)
class Message:
    key: str  # idempotency key: the same key is never delivered twice
    kind: str  # reminder_digest, escalation_digest, …
    recipient: str  # contact id
    recipient_name: str
    subject: str
    text: str
    email: str | None = None
    slack: str | None = None
    html: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    attempt: int = 1  # >1: an earlier attempt may have reached the recipient
    tried_on: str | None = None  # the channel an earlier attempt may have left it on
    queued_at: datetime | None = None
    programme: str | None = None  # the programme id: with the key, the message's name outside
    attachments: tuple[Attachment, ...] = ()  # read from the archive when it is sent

    @property
    def tried_before(self) -> bool:
        """Whether an earlier attempt may have reached the recipient (also before `regie
        outbox retry` gave fresh attempts): no other channel may carry it, Slack looks first."""
        return self.attempt > 1 or self.tried_on is not None

    @property
    def name(self) -> str:
        """The message's name outside the database (:func:`scoped_key`)."""
        return scoped_key(self.key, self.programme)


@dataclass(frozen=True, slots=True)
class Delivery:
    channel: str
    external_id: str | None = None  # file path, Message-ID, Slack ts
    note: str | None = None  # a worded Note, e.g. why it went by e-mail and not by Slack


class Notifier(Protocol):
    channel: str

    def send(self, message: Message) -> Delivery: ...


def read_attachments(
    message: Message, reader: AttachmentReader | None
) -> list[tuple[Attachment, bytes]]:
    """Each of the message's attachments with its bytes, read now from the archive. A file
    that is not there, or not the one it was queued with (another hash), fails the message
    (:class:`NotifierError`): it stays in the outbox, retried and given up by the outbox's
    rules, rather than going out without the file or with another one."""
    files = []
    for attachment in message.attachments:
        data = reader(attachment, message.programme) if reader is not None else None
        which = f"attachment {attachment.name} (archived report {attachment.archive_id})"
        if data is None:
            raise NotifierError(f"{which} is missing from the report archive")
        if hashlib.sha256(data).hexdigest() != attachment.sha256:
            raise NotifierError(
                f"{which} does not match the sha256 it was queued with "
                f"({attachment.sha256[:12]}…): not sent"
            )
        files.append((attachment, data))
    return files


def attach(mail: EmailMessage, files: list[tuple[Attachment, bytes]]) -> None:
    """``files`` added to ``mail`` as attachments (the mail becomes multipart/mixed)."""
    for attachment, data in files:
        maintype, _, subtype = attachment.content_type.partition("/")
        # A text file (an HTML annex) is the archive's UTF-8 bytes, sent as they are (base64).
        params = {"charset": "utf-8"} if maintype == "text" else {}
        mail.add_attachment(
            data, maintype=maintype, subtype=subtype, filename=attachment.name, params=params
        )


def batch(notifier: Notifier) -> AbstractContextManager[object]:
    """The notifier's optional ``batch()`` context (one SMTP connection for many messages)."""
    opener = getattr(notifier, "batch", None)
    return opener() if callable(opener) else nullcontext()


def can_reach(notifier: Notifier, message: Message) -> bool:
    """The notifier's optional ``can_reach(message)``; without one, it reaches everybody."""
    check = getattr(notifier, "can_reach", None)
    return bool(check(message)) if callable(check) else True


def workers(notifier: Notifier) -> int:
    """How many messages the notifier takes at once (``workers``; default one at a time)."""
    return max(1, int(getattr(notifier, "workers", 1)))
