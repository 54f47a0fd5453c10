"""E-mail delivery over SMTP (smtplib): one connection per batch, text + HTML, stable Message-ID.

SMTP has no idempotency key either. A message is accepted when the server answers DATA; a crash
after that and before the outbox records it sends it again on the next run — with the same
``Message-ID`` (derived from the outbox key), so mail clients and servers can tell.

A 5xx reply to a message (its recipient at RCPT, its content at DATA) is permanent: the message
fails with :class:`Refused` (the outbox gives it up at once, the reply recorded). A 4xx reply
and a lost connection pass: :class:`NotifierError`, retried after the outbox's back-off. A 5xx
refusal of the sender (MAIL FROM) would meet every message: the batch stops (:class:`ChannelDown`).

A connection the server closed before a message's DATA (an idle batch connection) is opened
again for it once. No answer in time stops the batch (:class:`ChannelDown`); once the DATA
command was given the server may have the message (smtplib reports a timeout waiting for the
reply as a lost connection): its outcome is unknown and no later attempt could tell, so it is
never sent again by Regie on its own (``unconfirmed``: the outbox gives it up at once, the
operator decides; walk58d 1).
"""

from __future__ import annotations

import smtplib
import ssl
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from email.message import EmailMessage
from email.utils import formatdate
from typing import TYPE_CHECKING

from governance.unconfirmed import MAY_HAVE_ARRIVED
from notifications.base import (
    Attachment,
    AttachmentReader,
    Bounced,
    ChannelDown,
    Delivery,
    Message,
    NotifierError,
    Refused,
    SenderRefused,
    Unreachable,
    attach,
    message_id,
    read_attachments,
    subject_header,
    to_header,
)
from notifications.notes import NoteCode, note

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

SECURITY = ("starttls", "ssl", "none")


#: Why a message whose DATA went unanswered is not sent again (its outbox ``last_error``).
UNCONFIRMED = (
    f"{MAY_HAVE_ARRIVED}: check the server's log or ask the recipient, then `regie outbox "
    "mark-sent KEY --yes` (it arrived) or `regie outbox retry --key KEY --yes` (send it again; "
    "`--all-dead` leaves it out)"
)


class _SMTP(smtplib.SMTP):
    """smtplib's client, knowing whether the current message's DATA was given."""

    handed_over = False  # the server took DATA (354) and the whole message went out
    _in_data = 0  # sends within data(): the first is the DATA command, the next the message

    def data(self, msg: ReadableBuffer | str) -> tuple[int, bytes]:
        # A timeout on the DATA command itself (no 354 yet) sent nothing that could arrive
        # (review58 7): only once smtplib sends the message's bytes may the server have it.
        self._in_data = 1
        try:
            return super().data(msg)
        finally:
            self._in_data = 0

    def send(self, s: ReadableBuffer | str) -> None:
        super().send(s)
        if self._in_data:  # after the whole message and its final "." went out, not before
            self._in_data += 1
            self.handed_over = self._in_data > 2


class _SMTP_SSL(_SMTP, smtplib.SMTP_SSL):
    """The same over TLS from the start."""


class EmailNotifier:
    """Errors about the mail server are English, like every diagnostic: they are read in
    ``regie send``/``cycle`` output and under ``regie outbox`` (no web page shows them)."""

    channel = "email"

    def __init__(
        self,
        host: str,
        port: int,
        *,
        mail_from: str,
        security: str = "starttls",
        user: str | None = None,
        password: str | None = None,
        reply_to: str | None = None,
        timeout: float = 30.0,
        ssl_context: ssl.SSLContext | None = None,
        bouncing: Mapping[str, str] | None = None,
        sender_setting: str = "REGIE_MAIL_FROM",
        read_attachment: AttachmentReader | None = None,
    ) -> None:
        if security not in SECURITY:
            raise ValueError(f"security must be one of {SECURITY}, not {security!r}")
        self.host = host
        self.port = port
        self.mail_from = mail_from
        self.security = security
        self.user = user
        self._password = password
        self.reply_to = reply_to
        self.timeout = timeout
        self.ssl_context = ssl_context
        #: Addresses (lower case) whose mail comes back, with why (regie.bounces): not sent to.
        self.bouncing = dict(bouncing or {})
        self.sender_setting = sender_setting  # where mail_from is set: named when refused
        #: Where a message's attachments are read at send time (the report archive).
        self.read_attachment = read_attachment
        self._smtp: _SMTP | None = None
        self._in_batch = False
        self._lock = threading.RLock()  # one SMTP conversation at a time on the connection
        self.connections = 0  # opened so far (tests and benchmarks check one per batch)

    def __repr__(self) -> str:  # never the password
        return f"EmailNotifier({self.host}:{self.port}, {self.security}, user={self.user!r})"

    def can_reach(self, message: Message) -> bool:
        return bool(message.email)

    @contextmanager
    def batch(self) -> Iterator[EmailNotifier]:
        """Keep one SMTP connection open for every message sent inside."""
        self._in_batch = True
        try:
            yield self
        finally:
            with self._lock:
                self._in_batch = False
                self._close()

    def send(self, message: Message) -> Delivery:
        if not message.email:
            raise Unreachable(note(NoteCode.NO_EMAIL_FOR, contact=message.recipient))
        bounced = self.bouncing.get(message.email.strip().lower())
        # A set-up test ("test") still goes: accepted, it clears the mark (regie.bounces).
        if bounced is not None and message.kind != "test":
            raise Bounced(note(NoteCode.BOUNCES, address=message.email, mark=bounced))
        files = read_attachments(message, self.read_attachment)  # before any connection
        try:
            mail = self.compose(message, files)
        except (ValueError, IndexError) as exc:  # the header parser's verdict on an address
            raise NotifierError(f"not a valid e-mail address {message.email!r}: {exc}") from None
        with self._lock:
            try:
                refused = self._deliver(mail)
            finally:
                if not self._in_batch:
                    self._close()
        # Some recipients refused, the others accepted (a message to one address: never).
        partly = f"refused by the mail server: {_refusals(refused)}" if refused else None
        return Delivery(self.channel, str(mail["Message-ID"]), note=partly)

    def compose(
        self, message: Message, files: list[tuple[Attachment, bytes]] | None = None
    ) -> EmailMessage:
        mail = EmailMessage()
        mail["Subject"] = subject_header(message.subject)
        mail["From"] = self.mail_from
        mail["To"] = to_header(message.recipient_name, message.email or "", strict=True)
        if self.reply_to:
            mail["Reply-To"] = self.reply_to
        mail["Date"] = formatdate(localtime=True)
        mail["Message-ID"] = message_id(message.key, self.mail_from, message.programme)
        mail["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies, please
        mail["X-Auto-Response-Suppress"] = "All"  # the same, for Exchange
        mail["X-Regie-Key"] = message.key
        mail["X-Regie-Kind"] = message.kind
        mail.set_content(message.text)
        if message.html:
            mail.add_alternative(message.html, subtype="html")
        attach(mail, files or [])
        return mail

    def _deliver(self, mail: EmailMessage) -> dict[str, tuple[int, bytes]]:
        """Send ``mail``; the recipients refused while others accepted it (usually none)."""
        for attempt in (1, 2):
            smtp = self._connection()
            smtp.handed_over = False
            try:
                return smtp.send_message(mail)
            except smtplib.SMTPServerDisconnected as exc:
                self._smtp = None
                timed_out = isinstance(exc.__context__, TimeoutError)
                if smtp.handed_over:
                    # The server may have the message: never sent again blindly (not here,
                    # not by a later attempt). A timeout stops the batch, as any slow answer.
                    said = (
                        "did not answer in time" if timed_out else f"dropped the connection ({exc})"
                    )
                    failure = ChannelDown(
                        f"mail server {self.host}:{self.port} {said} after the message was "
                        f"handed over (DATA): {UNCONFIRMED}",
                        maybe_delivered=True,
                    )
                    failure.unconfirmed = True
                    failure.channel = self.channel  # later attempts (if any) stay here
                    raise failure from None
                if timed_out:  # no answer in time: the next message would wait as long
                    raise ChannelDown(
                        f"mail server {self.host}:{self.port} did not answer in time "
                        f"({self.timeout:g} s): {exc}"
                    ) from None
                # The server closed an idle batch connection: once more on a fresh one.
                if attempt == 2:
                    raise NotifierError(f"SMTP connection lost: {exc}") from None
            except smtplib.SMTPRecipientsRefused as exc:
                # Every recipient refused: for good only when every reply was a 5xx.
                final = all(code >= 500 for code, _ in exc.recipients.values())
                error = Refused if final else NotifierError
                raise error(f"refused by the mail server: {_refusals(exc.recipients)}") from None
            except smtplib.SMTPSenderRefused as exc:
                if exc.smtp_code in (421, 554) and attempt == 1:
                    self._close()
                    continue
                said = f"{exc.smtp_code} {_text(exc.smtp_error)}"
                if exc.smtp_code == 552:  # too large: this message, not the sender
                    raise Refused(f"refused by the mail server: {said}") from None
                if exc.smtp_code >= 500:  # the sender's address: every message would fail
                    raise SenderRefused(
                        f"mail server {self.host}:{self.port} refused the sender "
                        f"{_text(exc.sender)}: {said} (check {self.sender_setting})"
                    ) from None
                raise NotifierError(f"mail server: {said}") from None
            except smtplib.SMTPResponseException as exc:
                if exc.smtp_code in (421, 554) and attempt == 1:
                    self._close()
                    continue
                said = f"{exc.smtp_code} {_text(exc.smtp_error)}"
                if isinstance(exc, smtplib.SMTPDataError) and exc.smtp_code >= 500:
                    raise Refused(f"refused by the mail server: {said}") from None
                raise NotifierError(f"mail server: {said}") from None
            except (smtplib.SMTPException, OSError) as exc:
                self._close()
                raise NotifierError(f"mail server: {type(exc).__name__}: {exc}") from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _connection(self) -> _SMTP:
        if self._smtp is not None:
            return self._smtp
        where = f"{self.host}:{self.port}"
        context = self.ssl_context or ssl.create_default_context()
        try:
            smtp: _SMTP
            if self.security == "ssl":
                smtp = _SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
            else:
                smtp = _SMTP(self.host, self.port, timeout=self.timeout)
            smtp.ehlo()
            if self.security == "starttls":
                smtp.starttls(context=context)
                smtp.ehlo()
            if self.user:
                smtp.login(self.user, self._password or "")
        except smtplib.SMTPAuthenticationError as exc:
            raise ChannelDown(
                f"mail server {where} refused the login of {self.user!r}: {exc.smtp_code} "
                "(check REGIE_SMTP_USER and REGIE_SMTP_PASSWORD)"
            ) from None
        except smtplib.SMTPNotSupportedError as exc:
            raise ChannelDown(
                f"mail server {where}: {_text(exc)} (check REGIE_SMTP_SECURITY)"
            ) from None
        except ssl.SSLError as exc:
            if isinstance(exc, ssl.SSLCertVerificationError):
                why = exc.verify_message or exc
                raise ChannelDown(
                    f"mail server {where}: its certificate is not trusted: {why}"
                ) from None
            # A server reached that does not speak TLS as the mode expects (`ssl` against a
            # plain-text port, typically WRONG_VERSION_NUMBER): the setting, not the network.
            raise ChannelDown(
                f"mail server {where}: TLS failed ({self.security}): {type(exc).__name__}: "
                f"{exc} (check REGIE_SMTP_SECURITY and REGIE_SMTP_PORT: ssl is TLS from the "
                "start, usually port 465; starttls begins in plain text, usually port 587)"
            ) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise ChannelDown(
                f"mail server {where} not reachable: {type(exc).__name__}: {exc}"
            ) from None
        self.connections += 1
        self._smtp = smtp
        return smtp

    def _close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()


def _refusals(recipients: dict[str, tuple[int, bytes]]) -> str:
    """``a@b (550 5.1.1 No such user), …``: each refused address with the server's reply."""
    return ", ".join(f"{a} ({c} {_text(m)})" for a, (c, m) in recipients.items())


def _text(value: bytes | str | object) -> str:
    if isinstance(value, bytes):
        return value.decode(errors="replace").strip()
    return str(value).strip()
