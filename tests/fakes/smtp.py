"""A real SMTP server for tests: aiosmtpd's Controller on a free port, recording what arrives."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any


def free_port() -> int:
    """A port nobody listens on now (aiosmtpd's Controller cannot start on port 0)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes

    @property
    def mail(self) -> EmailMessage:
        parsed = message_from_bytes(self.data, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class SmtpServer:
    """``with SmtpServer() as smtp:`` … ``smtp.received``; ``login=(user, password)`` requires
    AUTH (plain text allowed: the test server has no TLS unless ``tls_context`` is given)."""

    login: tuple[str, str] | None = None
    tls_context: Any = None
    refuse: set[str] = field(default_factory=set)  # recipients answered with 550
    #: Recipients answered with the reply given (e.g. "450 4.2.1 Mailbox busy").
    replies: dict[str, str] = field(default_factory=dict)
    #: The reply to every MAIL FROM, when given (e.g. "550 5.7.1 Sender not allowed").
    sender_reply: str | None = None
    #: The reply to every DATA, when given (e.g. "554 5.6.0 Message content rejected").
    data_reply: str | None = None
    #: Called with the sender before the server answers MAIL FROM (a server slow to answer).
    on_mail: Callable[[str], None] | None = None
    #: Called after a message is recorded, before the server answers DATA (kill tests).
    on_data: Callable[[Received], None] | None = None
    #: Seconds an idle connection is kept before the server closes it (aiosmtpd's default:
    #: 300), when given.
    idle_timeout: float | None = None
    received: list[Received] = field(default_factory=list)
    sessions: int = 0  # connections that said EHLO/HELO

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self.port = free_port()
        self._controller: Any = None

    def __enter__(self) -> SmtpServer:
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult, LoginPassword

        server = self

        class Handler:
            async def handle_EHLO(
                self, smtp: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
            ) -> list[str]:
                with server._lock:
                    server.sessions += 1
                session.host_name = hostname
                return responses

            async def handle_MAIL(
                self, smtp: Any, session: Any, envelope: Any, address: str, options: list[str]
            ) -> str:
                if server.on_mail is not None:
                    server.on_mail(address)
                if server.sender_reply is not None:
                    return server.sender_reply
                envelope.mail_from = address
                envelope.mail_options.extend(options)
                return "250 OK"

            async def handle_RCPT(
                self, smtp: Any, session: Any, envelope: Any, address: str, options: list[str]
            ) -> str:
                if address in server.refuse:
                    return "550 5.1.1 No such user"
                if address in server.replies:
                    return server.replies[address]
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, smtp: Any, session: Any, envelope: Any) -> str:
                if server.data_reply is not None:
                    return server.data_reply
                got = Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content)
                with server._lock:
                    server.received.append(got)
                if server.on_data is not None:
                    server.on_data(got)
                return "250 Message accepted for delivery"

        def authenticator(
            smtp: Any, session: Any, envelope: Any, mechanism: str, data: Any
        ) -> AuthResult:
            ok = (
                isinstance(data, LoginPassword)
                and server.login is not None
                and (data.login.decode(), data.password.decode()) == server.login
            )
            return AuthResult(success=ok, handled=False)

        kwargs: dict[str, Any] = {}
        if self.login is not None:
            # PLAIN only: after a refused PLAIN, smtplib's LOGIN fallback and aiosmtpd wait on
            # each other until the timeout.
            kwargs.update(
                authenticator=authenticator,
                auth_required=True,
                auth_require_tls=False,
                auth_exclude_mechanism=["LOGIN"],
            )
        if self.tls_context is not None:
            kwargs.update(tls_context=self.tls_context, require_starttls=True)
        if self.idle_timeout is not None:
            kwargs.update(server_kwargs={"timeout": self.idle_timeout})
        self._controller = Controller(Handler(), hostname="127.0.0.1", port=self.port, **kwargs)
        self._controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._controller.stop()

    def mails(self) -> list[EmailMessage]:
        with self._lock:
            return [r.mail for r in self.received]


def tls_contexts(directory: Any) -> tuple[Any, Any]:
    """(server, client) SSL contexts around a fresh self-signed certificate for 127.0.0.1
    (``cryptography`` comes with Prefect)."""
    import datetime
    import ipaddress
    import ssl
    from pathlib import Path

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = Path(directory)
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert_file, key_file)
    client = ssl.create_default_context(cafile=str(cert_file))
    return server, client
