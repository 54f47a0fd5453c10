"""Read bounces: delivery status notifications (RFC 3464 ``multipart/report``) and the common
non-standard ones, from ``.eml`` files, maildirs and mboxes. Parsing only; no database.

A standard report names the failed recipient, its status (5.x.x: for good; 4.x.x: delayed)
and returns the original's headers, among them our ``Message-ID`` and ``X-Regie-Key``. A
non-standard bounce (a mailer-daemon's plain text) is read best-effort: the returned header
lines found anywhere in it, the first RFC 3463 status or SMTP reply code in its text.
"""

from __future__ import annotations

import hashlib
import mailbox
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from email import message_from_bytes, message_from_string, policy
from email.message import EmailMessage, Message
from email.utils import parseaddr, parsedate_to_datetime
from pathlib import Path

from regie.errors import InvalidInput

_STATUS = re.compile(r"\b([245])\.(\d{1,3})\.(\d{1,3})\b")
_REPLY = re.compile(r"\b([45])\d\d\b")
_HEADER = {
    "message-id": re.compile(r"^\s*Message-ID:\s*(<[^>\s]+>)", re.I | re.M),
    "x-regie-key": re.compile(r"^\s*X-Regie-Key:\s*(\S+)", re.I | re.M),
    "to": re.compile(r"^\s*To:\s*(.+)$", re.I | re.M),
}
_FAILED_RECIPIENTS = re.compile(r"^\s*(?:X-Failed-Recipients|Original-Recipient|Final-Recipient):"
                                r"\s*(?:rfc822;)?\s*(\S+@\S+)", re.I | re.M)  # fmt: skip
_BOUNCE_SENDER = re.compile(r"mailer-daemon|postmaster|mail delivery (sub)?system", re.I)
_BOUNCE_SUBJECT = re.compile(
    r"undeliver|undelivered|returned mail|delivery (status notification|failure|has failed)|"
    r"failure notice|niet (bezorgd|afgeleverd)|onbestelbaar|kan niet worden bezorgd",
    re.I,
)
_DELAYED = re.compile(r"\bdelayed\b|will (continue to )?retry|not yet been delivered|vertraagd",
                      re.I)  # fmt: skip
DIAGNOSTIC_MAX = 300


@dataclass(frozen=True, slots=True)
class BounceReport:
    """One returned message as a bounce says it: what it returns and why."""

    source: str  # where it was read: a file, ``mbox:3``, ``maildir:<key>``
    report_id: str  # the same report read twice has the same id
    message_id: str | None  # the original's Message-ID
    regie_key: str | None  # the original's X-Regie-Key
    recipient: str | None  # the address that failed
    status: str | None  # RFC 3463, e.g. 5.1.1
    permanent: bool  # False: a delay (4.x.x) to note, not to act on
    diagnostic: str | None
    reported_at: datetime | None


@dataclass(frozen=True, slots=True)
class NotABounce:
    source: str
    why: str


def check_paths(paths: list[Path]) -> None:
    """A path that does not exist: one clear line (:class:`InvalidInput`) before anything is
    read or recorded."""
    for path in paths:
        if not path.exists():
            raise InvalidInput(f"{path}: no such file or directory")


def read_paths(paths: list[Path]) -> Iterator[tuple[str, bytes]]:
    """(source, raw message) for every message under ``paths``: an ``.eml`` file, a maildir
    (``cur``/``new``), an mbox file, or a directory of ``.eml`` files. One message at a time:
    a mailbox that is never emptied grows, and only the message at hand is held in memory
    (an mbox is indexed by offsets first, as :mod:`mailbox` does). A path that does not exist:
    one clear line (:func:`check_paths`) before anything is read."""
    check_paths(paths)
    for path in paths:
        if path.is_dir() and (path / "cur").is_dir() and (path / "new").is_dir():
            box = mailbox.Maildir(path, create=False)
            for key in sorted(box.iterkeys()):
                try:
                    raw = box.get_bytes(key)
                except (KeyError, FileNotFoundError):
                    continue  # removed meanwhile (a mail client, a colleague): nothing to read
                yield f"{path}:{key}", raw
        elif path.is_dir():
            for file in sorted(path.glob("*.eml")):
                try:
                    raw = file.read_bytes()
                except FileNotFoundError:
                    continue  # removed meanwhile, as in a maildir
                yield str(file), raw
        elif _is_mbox(path):
            mbox = mailbox.mbox(path, create=False)
            for n, key in enumerate(mbox.iterkeys(), start=1):
                yield f"{path}:{n}", mbox.get_bytes(key)
        else:
            yield str(path), path.read_bytes()


def _is_mbox(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(5) == b"From "


def parse(source: str, raw: bytes) -> list[BounceReport] | NotABounce:
    """The bounces one message reports (one per failed recipient), or why it is not one."""
    mail = message_from_bytes(raw, policy=policy.default)
    assert isinstance(mail, EmailMessage)
    report_id = _report_id(mail, raw)
    reported_at = _date(mail)
    original = _original_headers(mail)
    status_part = _delivery_status(mail)
    if status_part is not None:
        return _standard(source, report_id, reported_at, status_part, original)
    if not (_BOUNCE_SENDER.search(str(mail.get("From", "")))
            or _BOUNCE_SUBJECT.search(str(mail.get("Subject", "")))):  # fmt: skip
        return NotABounce(source, "not a delivery status notification")
    return _non_standard(source, report_id, reported_at, mail, original)


def _standard(
    source: str,
    report_id: str,
    reported_at: datetime | None,
    part: Message,
    original: str,
) -> list[BounceReport] | NotABounce:
    blocks = _status_blocks(part)
    out: list[BounceReport] = []
    for block in blocks[1:]:  # the first is about the message, the others about recipients
        action = str(block.get("Action", "")).strip().lower()
        if action not in ("failed", "delayed"):
            continue  # delivered, relayed, expanded: not a bounce
        status = _first_status(str(block.get("Status", "")))
        permanent = action == "failed" and (status is None or status.startswith("5"))
        # The address we sent to, as the first server saw it; Final-Recipient may be where a
        # forward or an alias took it.
        recipient = _address(str(block.get("Original-Recipient") or "")) or _address(
            str(block.get("Final-Recipient") or "")
        )
        out.append(
            BounceReport(
                source=source,
                report_id=report_id,
                message_id=_header(original, "message-id"),
                regie_key=_header(original, "x-regie-key"),
                recipient=recipient or _address(_header(original, "to") or ""),
                status=status,
                permanent=permanent,
                diagnostic=_one_line(str(block.get("Diagnostic-Code", "") or "")),
                reported_at=reported_at,
            )
        )
    return out or NotABounce(source, "reports no failed or delayed recipient")


def _non_standard(
    source: str,
    report_id: str,
    reported_at: datetime | None,
    mail: EmailMessage,
    original: str,
) -> list[BounceReport] | NotABounce:
    text = _all_text(mail)
    returned = original or text
    message_id = _header(returned, "message-id")
    regie_key = _header(returned, "x-regie-key")
    if message_id is None and regie_key is None:
        return NotABounce(source, "a bounce, but it quotes no Message-ID or X-Regie-Key")
    failed = str(mail.get("X-Failed-Recipients", "")) or _match(_FAILED_RECIPIENTS, text)
    recipient = _address(failed or "") or _address(_header(returned, "to") or "")
    found = _STATUS.search(text)
    status = found.group(0) if found and found.group(1) != "2" else None
    if status is not None:
        permanent = status.startswith("5")
    else:
        reply = _REPLY.search(text)
        permanent = not _DELAYED.search(text) if reply is None else reply.group(1) == "5"
    diagnostic = next(
        (line for line in (ln.strip() for ln in text.splitlines()) if _REPLY.search(line)), None
    )
    return [
        BounceReport(
            source=source,
            report_id=report_id,
            message_id=message_id,
            regie_key=regie_key,
            recipient=recipient,
            status=status,
            permanent=permanent,
            diagnostic=_one_line(diagnostic or str(mail.get("Subject", ""))),
            reported_at=reported_at,
        )
    ]


def _delivery_status(mail: EmailMessage) -> Message | None:
    if mail.get_content_type() != "multipart/report":
        return None
    for part in mail.walk():
        if part.get_content_type() in ("message/delivery-status", "message/global-delivery-status"):
            return part
    return None


def _status_blocks(part: Message) -> list[Message]:
    """The delivery-status part's header blocks (the parser gives them as sub-messages)."""
    payload = part.get_payload()
    if isinstance(payload, list) and all(isinstance(p, Message) for p in payload):
        return list(payload)
    text = payload if isinstance(payload, str) else str(part.get_payload(decode=True) or "")
    blocks = re.split(r"\r?\n\s*\r?\n", text.strip())
    return [message_from_string(b + "\n") for b in blocks if b.strip()]


def _original_headers(mail: EmailMessage) -> str:
    """The returned original's header lines, as text ("" when the bounce returns none)."""
    for part in mail.walk():
        kind = part.get_content_type()
        if kind in ("message/rfc822", "message/global"):
            inner = part.get_payload()
            if isinstance(inner, list) and inner and isinstance(inner[0], Message):
                return "".join(f"{k}: {v}\n" for k, v in inner[0].items())
        if kind in ("text/rfc822-headers", "message/global-headers"):
            content = part.get_payload(decode=True)
            if isinstance(content, bytes):
                return content.decode(errors="replace")
    return ""


def _all_text(mail: EmailMessage) -> str:
    texts: list[str] = []
    for part in mail.walk():
        if part.get_content_maintype() == "text":
            content = part.get_payload(decode=True)
            if isinstance(content, bytes):
                texts.append(_decode(content, part.get_content_charset()))
    return "\n".join(texts)


def _decode(content: bytes, charset: str | None) -> str:
    """The text in its declared charset; an unknown one (``unknown-8bit`` is common in real
    mailboxes) is read as UTF-8, whatever does not decode replaced."""
    try:
        return content.decode(charset or "utf-8", "replace")
    except LookupError:
        return content.decode("utf-8", "replace")


def _report_id(mail: EmailMessage, raw: bytes) -> str:
    """The report's own Message-ID, else its content's hash: the same report, the same id."""
    own = str(mail.get("Message-ID", "")).strip()
    basis = own.encode() if own else raw.split(b"\n", 1)[-1] if raw.startswith(b"From ") else raw
    return hashlib.sha256(basis).hexdigest()


def _date(mail: EmailMessage) -> datetime | None:
    try:
        when = parsedate_to_datetime(str(mail.get("Date", "")))
    except (TypeError, ValueError, IndexError):
        return None
    return when if when.tzinfo is not None else None


def _header(text: str, name: str) -> str | None:
    found = _HEADER[name].search(text)
    return found.group(1).strip() if found else None


def _match(pattern: re.Pattern[str], text: str) -> str | None:
    found = pattern.search(text)
    return found.group(1) if found else None


def _first_status(text: str) -> str | None:
    found = _STATUS.search(text)
    return found.group(0) if found else None


def _address(value: str) -> str | None:
    value = value.split(";", 1)[-1].strip() if ";" in value else value.strip()
    address = parseaddr(value)[1]
    return address.lower() if "@" in address else None


def _one_line(text: str) -> str | None:
    line = " ".join(text.split())
    if not line:
        return None
    return line if len(line) <= DIAGNOSTIC_MAX else line[: DIAGNOSTIC_MAX - 1] + "…"
