"""Slack out of reach (walk31 #2): the fake Web API at a closed port or not answering in time.

Slack unreachable is a channel down, as an unreachable mail server is: the first message finds
it, the others are not tried on Slack. With e-mail configured a message that clearly did not
reach Slack (no post was sent) goes by e-mail; a post whose outcome is unclear (it timed out
after it was sent) is never sent again by e-mail, and neither is a message an earlier attempt
may have posted.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from notifications.base import ChannelDown, Delivery, Message, NotifierError, Postponed
from notifications.routing import Router
from notifications.slack import SlackNotifier, web_client
from regie.bootstrap import bootstrap
from regie.config import load_settings
from regie.cycle import deadline_check, send_reminders
from tests.cli_in_process import regie
from tests.fakes.slack_api import POST, FakeSlack
from tests.fakes.smtp import SmtpServer
from tests.integration.mail_setup import mail_env, outbox_rows
from tests.integration.ports import refused_port
from tests.integration.test_delivery import CONTACTS, USERS
from tests.integration.test_slack import _message

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning", "ignore::DeprecationWarning")


class Mail:
    """An e-mail channel that records what it was given."""

    channel = "email"

    def __init__(self) -> None:
        self.sent: list[str] = []

    def can_reach(self, message: Message) -> bool:
        return bool(message.email)

    def send(self, message: Message) -> Delivery:
        self.sent.append(message.key)
        return Delivery(self.channel, f"<{message.key}>")


@pytest.fixture
def closed_port() -> Iterator[str]:
    """A Slack API address whose connections are refused (held: no other fake can take it)."""
    with refused_port() as port:
        yield f"http://127.0.0.1:{port}/api/"


def _slack(url: str, timeout: int = 5) -> SlackNotifier:
    return SlackNotifier(web_client("xoxb-fake-token", url, timeout=timeout), sleep=lambda s: 0)


def test_slack_at_a_closed_port_is_down_and_the_messages_go_by_email(closed_port: str) -> None:
    mail = Mail()
    router = Router([_slack(closed_port), mail], {})
    first = router.send(_message(1))
    assert first.channel == "email" and first.note
    assert f"Slack ({closed_port}) not reachable: users.lookupByEmail: URLError" in first.note
    assert "slack" in router.down
    # Slack is not tried again in this batch: the next message goes straight to e-mail.
    started = time.monotonic()
    assert router.send(_message(2)).channel == "email"
    assert time.monotonic() - started < 0.5  # no connection attempts (slack-sdk retries: ~2 s)
    # Nobody else can carry a Slack-only message, nor one an earlier attempt may have posted:
    # they wait, untried.
    with pytest.raises(Postponed):
        router.send(_message(3, email=None, slack="UAAA"))
    with pytest.raises(Postponed):
        router.send(_message(4, attempt=2))
    assert mail.sent == ["reminder:c1:2015-10-01:digest", "reminder:c2:2015-10-01:digest"]


def test_slack_alone_at_a_closed_port_stops_the_batch(closed_port: str) -> None:
    router = Router([_slack(closed_port)], {})
    with pytest.raises(ChannelDown, match=r"^Slack \(http://127\.0\.0\.1:\d+/api/\) not reach"):
        router.send(_message(1))
    with pytest.raises(Postponed):
        router.send(_message(2))


def _slow(handler: Any, seconds: float) -> Any:
    def slow(fake: FakeSlack, args: dict[str, Any]) -> dict[str, Any]:
        answer: dict[str, Any] = handler(fake, args)  # done (a post stored), then no answer
        time.sleep(seconds)
        return answer

    return slow


def test_a_look_up_that_times_out_is_down_and_the_message_goes_by_email() -> None:
    with FakeSlack(users={"a@example.org": "UAAA"}) as slack:
        slack.route("users.lookupByEmail", _slow(FakeSlack._lookup, 2))
        mail = Mail()
        router = Router([_slack(slack.base_url, timeout=1), mail], {})
        delivery = router.send(_message(1))
        assert delivery.channel == "email" and "TimeoutError" in (delivery.note or "")
        assert mail.sent == ["reminder:c1:2015-10-01:digest"] and not slack.posts()


def test_a_post_that_times_out_is_not_sent_again_by_email() -> None:
    with FakeSlack(users={"a@example.org": "UAAA"}) as slack:
        # Slack stores the post but never answers; then stops answering altogether.
        slack.route(POST, _slow(FakeSlack._post, 2))
        slack.route("conversations.history", _slow(FakeSlack._history, 2))
        mail = Mail()
        router = Router([_slack(slack.base_url, timeout=1), mail], {})
        with pytest.raises(NotifierError) as caught:
            router.send(_message(1))
        # The message used its attempt; e-mail goes on for the others (no batch stop).
        assert not isinstance(caught.value, ChannelDown)
        assert "not reachable" in str(caught.value)
        assert slack.keys_posted() == ["reminder:c1:2015-10-01:digest"]
        assert mail.sent == []  # posted (unknown to us): not a second time by e-mail
        assert router.send(_message(2)).channel == "email"
        assert mail.sent == ["reminder:c2:2015-10-01:digest"]


# --- through the send loop: the seed plan, a real database and SMTP server ------------------


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


@pytest.fixture
def env(tmp_path: Path, migrated_url: str, smtp: SmtpServer, closed_port: str) -> dict[str, str]:
    (tmp_path / "contacts.yaml").write_text(CONTACTS, encoding="utf-8")
    assert USERS  # the same contacts as test_delivery, Slack gone
    return mail_env(
        tmp_path, migrated_url, smtp,
        REGIE_NOTIFIER="slack,email",
        REGIE_SLACK_BOT_TOKEN="xoxb-fake-token",
        REGIE_SLACK_API_URL=closed_port,
        REGIE_SLACK_OFFICE_CHANNEL="CPMO",
        REGIE_SLACK_RATE="1000",
    )  # fmt: skip


def test_a_slack_outage_sends_by_email_and_keeps_the_slack_only_messages_waiting(
    env: dict[str, str], smtp: SmtpServer, closed_port: str
) -> None:
    app = bootstrap(load_settings(env))
    deadline_check(app, date(2015, 10, 8), replay=True)
    queued = set(deadline_check(app, date(2015, 10, 15)).queued)
    result = regie("send", env=env)
    rows = outbox_rows(app)
    channel_key = "escalation:mvi-2015-2020:office-channel:2015-10-15"  # Slack only
    unreachable = "reminder:mvi-2015-2020:telos:2015-10-15:digest"  # no address at all
    assert {channel_key, unreachable} < queued
    with_address = queued - {channel_key, unreachable}
    # Everyone with an e-mail address got their message by e-mail, once.
    assert {k for k in queued if rows[k].status == "sent"} == with_address
    assert {r.channel for k, r in rows.items() if k in with_address} == {"email"}
    assert sorted(m["X-Regie-Key"] for m in smtp.mails()) == sorted(with_address)
    # The office channel's message waits for Slack: untried (pending), or the one that found
    # Slack down (one attempt used); nothing is dead, nothing else failed.
    office = rows[channel_key]
    assert (office.status, office.attempts) in {("pending", 0), ("failed", 1)}
    assert {k for k in queued if rows[k].status not in ("sent", "pending")} <= {
        channel_key,
        unreachable,
    }
    # The command says it once and exits 1.
    assert result.code == 1
    stopped = [line.strip() for line in result.err.splitlines() if "sending stopped" in line]
    assert len(stopped) == 1
    assert stopped[0].startswith(f"sending stopped: Slack ({closed_port}) not reachable: ")
    # A run while Slack is still down: the waiting message is not given up.
    again = send_reminders(app)
    assert not again.dead and outbox_rows(app)[channel_key].status != "dead"
