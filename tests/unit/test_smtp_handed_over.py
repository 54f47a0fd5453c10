"""When the server may have a message (review58 7): only once it took DATA (354) and the whole
message went out. A timeout on the DATA command itself sent nothing that could arrive, so the
message may go again; one after the message's final "." may have delivered it."""

from __future__ import annotations

import smtplib

import pytest

from notifications.email import _SMTP


class _Sock:
    def __init__(self) -> None:
        self.sent: list[bytes] = []

    def sendall(self, data: bytes) -> None:
        self.sent.append(data)


def _client(replies: list[tuple[int, bytes] | None]) -> tuple[_SMTP, _Sock]:
    """A client whose server answers ``replies`` in turn; None: no answer in time."""
    client, sock = _SMTP(), _Sock()
    client.sock = sock  # type: ignore[assignment]

    def getreply() -> tuple[int, bytes]:
        reply = replies.pop(0)
        if reply is None:  # as smtplib says a timeout: a lost connection
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed: timed out")
        return reply

    client.getreply = getreply  # type: ignore[method-assign]
    return client, sock


def test_no_answer_to_the_data_command_is_not_handed_over() -> None:
    client, sock = _client([None])
    with pytest.raises(smtplib.SMTPServerDisconnected):
        client.data("Subject: x\r\n\r\nbody\r\n")
    assert sock.sent == [b"data\r\n"] and client.handed_over is False


def test_no_answer_after_the_message_is_handed_over() -> None:
    client, sock = _client([(354, b"go ahead"), None])
    with pytest.raises(smtplib.SMTPServerDisconnected):
        client.data("Subject: x\r\n\r\nbody\r\n")
    assert sock.sent[0] == b"data\r\n" and sock.sent[1].endswith(b"\r\n.\r\n")
    assert client.handed_over is True


def test_a_refused_data_command_is_not_handed_over() -> None:
    client, sock = _client([(451, b"try later")])
    with pytest.raises(smtplib.SMTPDataError):
        client.data("Subject: x\r\n\r\nbody\r\n")
    assert client.handed_over is False and len(sock.sent) == 1
