"""A mail server that takes a message but answers too late (walk58d 1): smtplib says a timeout
waiting for the reply to DATA as a lost connection, and Regie used to send the same mail again
on a fresh connection, then once more on the next run. Now the message's outcome is unknown:
it is given up at once (``dead``, the server's silence and what to do in ``last_error``), the
channel stops, and nothing sends it again until the operator decides. A connection the server
closed while idle is still opened again for the next message. Real SMTP server (aiosmtpd)."""

from __future__ import annotations

import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from notifications.base import ChannelDown, Delivery, Message, NotifierError, batch
from notifications.email import EmailNotifier
from notifications.routing import Router
from regie.bootstrap import bootstrap
from regie.config import load_settings
from regie.cycle import deadline_check
from tests.cli_in_process import regie
from tests.fakes.smtp import Received, SmtpServer
from tests.integration.mail_setup import DAY, mail_env, outbox_rows
from tests.integration.test_email import _message, _notifier

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning", "ignore::DeprecationWarning")

#: Regie's SMTP timeout in these tests (30 s in a real run) and the server's late answer: a
#: margin a loaded machine does not eat up before DATA (review58 8), the answer twice as late.
TIMEOUT = 1.5
LATE = 3.0


class SlowServer:
    """Answers DATA after :data:`LATE` seconds while ``slow`` is set (the whole server waits,
    as aiosmtpd's handler blocks its loop), at once after."""

    def __init__(self) -> None:
        self.slow = threading.Event()
        self.slow.set()

    def __call__(self, got: Received) -> None:
        if self.slow.is_set():
            time.sleep(LATE)


@pytest.fixture
def short_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    real = EmailNotifier.__init__

    def init(self: EmailNotifier, *args: Any, **kwargs: Any) -> None:
        real(self, *args, **kwargs)
        self.timeout = TIMEOUT

    monkeypatch.setattr(EmailNotifier, "__init__", init)


def _keys(server: SmtpServer) -> Counter[str]:
    time.sleep(LATE)  # the late answers have come
    return Counter(str(m["X-Regie-Key"]) for m in server.mails())


@pytest.mark.usefixtures("short_timeout")
def test_a_late_answer_to_data_delivers_once_stops_the_channel_and_leaves_it_to_the_operator(
    tmp_path: Path, migrated_url: str
) -> None:
    slow = SlowServer()
    with SmtpServer(on_data=slow) as server:
        env = mail_env(tmp_path, migrated_url, server, REGIE_OPERATOR="beheerder")
        app = bootstrap(load_settings(env))
        queued = deadline_check(app, DAY).queued
        assert len(queued) >= 2

        sent = regie("send", env=env)
        assert sent.code == 1, sent.out + sent.err
        assert "email: 0 sent, 1 failed (1 dead: no more attempts)" in sent.out
        assert "sending stopped: mail server 127.0.0.1" in sent.err
        assert "did not answer in time after the message was handed over (DATA)" in sent.err
        [(tried, n)] = _keys(server).items()
        assert n == 1  # not again on a fresh connection
        rows = outbox_rows(app)
        assert (rows[tried].status, rows[tried].attempts) == ("dead", 1)
        assert rows[tried].tried_channel == "email"
        error = rows[tried].last_error or ""
        assert "it may have arrived, so Regie does not send it again" in error
        assert "regie outbox mark-sent KEY --yes" in error
        rest = [k for k in queued if k != tried]
        # The channel stopped: the others wait untried, no attempt spent.
        assert {(rows[k].status, rows[k].attempts) for k in rest} == {("pending", 0)}

        slow.slow.clear()  # the server answers in time again
        again = regie("send", env=env)
        assert f"email: {len(rest)} sent, 0 failed" in again.out, again.out + again.err
        assert again.code == 1 and f"1 message: {tried}" in again.err  # the dead one is said
        assert _keys(server) == Counter(queued)  # each exactly once, the unconfirmed one too
        assert outbox_rows(app)[tried].status == "dead"

        # `--all-dead`, as the dead messages' advice says, leaves it out (review58 4).
        every = regie("outbox", "retry", "--all-dead", "--yes", env=env)
        assert f"left out 1 unconfirmed message: {tried} (each may have arrived" in every.out
        assert "no dead messages" in every.out, every.out + every.err
        assert outbox_rows(app)[tried].status == "dead"
        # The operator found it in the server's log: marked sent, never sent again.
        assert regie("outbox", "mark-sent", tried, "--yes", env=env).code == 0
        done = regie("send", env=env)
        assert done.code == 0 and "email: 0 sent, 0 failed" in done.out, done.out + done.err
        assert _keys(server) == Counter(queued)


def test_a_server_slow_to_answer_before_data_stops_the_channel_without_the_message() -> None:
    late = threading.Event()

    def on_mail(sender: str) -> None:
        if late.is_set():
            time.sleep(LATE)

    with SmtpServer(on_mail=on_mail) as server:
        notifier = _notifier(server, timeout=TIMEOUT)
        with batch(notifier):
            notifier.send(_message(1))
            late.set()  # now slow to answer MAIL FROM: the message is not handed over
            with pytest.raises(ChannelDown, match="did not answer in time") as raised:
                notifier.send(_message(2))
        assert not raised.value.maybe_delivered and not raised.value.unconfirmed
        assert notifier.connections == 1  # not tried again on a fresh connection
        assert [k for k in _keys(server)] == [_message(1).key]


def test_a_connection_the_server_closed_while_idle_is_opened_again_for_the_next_message() -> None:
    with SmtpServer(idle_timeout=0.3) as server:
        notifier = _notifier(server)
        with batch(notifier):
            notifier.send(_message(1))
            time.sleep(0.8)  # the server closes the idle connection
            notifier.send(_message(2))
        assert notifier.connections == 2
        assert [m["X-Regie-Key"] for m in server.mails()] == [
            _message(1).key,
            _message(2).key,
        ]


class _Other:
    """A second channel that is up and reaches everybody (it must not carry the message)."""

    channel = "slack"

    def __init__(self) -> None:
        self.sent: list[Message] = []

    def send(self, message: Message) -> Delivery:
        self.sent.append(message)
        return Delivery(self.channel, "x")


def test_the_router_keeps_the_unconfirmed_outcome_and_no_other_channel_carries_it() -> None:
    with SmtpServer(on_data=SlowServer()) as server:
        email, other = _notifier(server, timeout=TIMEOUT), _Other()
        router = Router([email, other], {})
        with batch(router), pytest.raises(NotifierError) as raised:
            router.send(_message(1))
        assert not isinstance(raised.value, ChannelDown)  # the other channel goes on
        assert raised.value.unconfirmed and raised.value.channel == "email"
        assert other.sent == [] and len(_keys(server)) == 1
