"""A server's refusal for good ends a message at once (opsfix 1): an SMTP 5xx reply to its
recipient (550 mailbox unavailable, 553 bad address) or Slack's ``channel_not_found`` makes the
message dead on that attempt, the server's reply kept as its reason (``regie outbox``), instead
of five attempts over a day; a 4xx reply, a lost connection, Slack's ``ratelimited`` and 5xx
answers pass and are retried; the bot's own token (``invalid_auth``) stops the batch and kills
nothing. A real SMTP server (aiosmtpd), the local fake Slack, real databases."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from notifications.base import (
    ChannelDown,
    Delivery,
    Message,
    NotifierError,
    Refused,
    Unreachable,
    batch,
)
from notifications.email import EmailNotifier
from notifications.routing import Router
from notifications.slack import SlackNotifier, web_client
from regie.bootstrap import bootstrap
from regie.config import load_settings
from regie.cycle import deadline_check, send_reminders
from tests.cli_in_process import regie
from tests.fakes.slack_api import FakeSlack
from tests.fakes.smtp import SmtpServer
from tests.integration.mail_setup import DAY, Clock, mail_env, outbox_rows

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning", "ignore::DeprecationWarning")


REFUSED = "telos@example.nl"  # 550: no such mailbox
BUSY = "rivm@example.nl"  # 450: try again later


def _message(n: int = 1, **kw: object) -> Message:
    values: dict[str, object] = {
        "key": f"reminder:c{n}:2015-10-01:digest",
        "kind": "reminder_digest",
        "recipient": f"c{n}",
        "recipient_name": f"Contact {n}",
        "subject": "[MVI] Verzoek om update: 1 punt",
        "text": "Beste Contact,\n\n- 1.1.1 Inventarisatie\n",
        "email": f"c{n}@example.org",
    }
    values.update(kw)
    return Message(**values)  # type: ignore[arg-type]


def _mailer(smtp: SmtpServer) -> EmailNotifier:
    return EmailNotifier(
        "127.0.0.1", smtp.port, mail_from="Regie <regie@example.org>", security="none", timeout=10
    )


# --- the e-mail adapter ---------------------------------------------------------------------


def test_a_5xx_reply_to_the_recipient_is_refused_a_4xx_one_passes() -> None:
    replies = {
        "c2@example.org": "553 5.1.3 Bad recipient address syntax",
        "c3@example.org": "450 4.2.1 Mailbox busy, try again later",
    }
    with SmtpServer(refuse={"c1@example.org"}, replies=replies) as smtp:
        mailer = _mailer(smtp)
        with batch(mailer):
            with pytest.raises(Refused) as first:
                mailer.send(_message(1))
            with pytest.raises(Refused) as second:
                mailer.send(_message(2))
            with pytest.raises(NotifierError) as busy:
                mailer.send(_message(3))
            mailer.send(_message(4))  # the connection still serves the next message
        assert str(first.value) == (
            "refused by the mail server: c1@example.org (550 5.1.1 No such user)"
        )
        assert "c2@example.org (553 5.1.3 Bad recipient address syntax)" in str(second.value)
        assert not isinstance(busy.value, Refused)
        assert "450 4.2.1 Mailbox busy" in str(busy.value)
        assert [r.recipients for r in smtp.received] == [["c4@example.org"]]
        assert mailer.connections == 1


def test_a_5xx_refusal_of_the_sender_stops_the_batch_and_kills_no_message() -> None:
    """MAIL FROM refused: every message would meet it (REGIE_MAIL_FROM), not this one only."""
    refusing = SmtpServer(sender_reply="550 5.7.1 Sender not allowed")
    with refusing, pytest.raises(ChannelDown) as caught:
        _mailer(refusing).send(_message())
    assert not isinstance(caught.value, Refused)
    assert "550 5.7.1 Sender not allowed" in str(caught.value)
    assert "REGIE_MAIL_FROM" in str(caught.value)
    busy = SmtpServer(sender_reply="451 4.3.0 Try again later")
    with busy, pytest.raises(NotifierError) as passing:
        _mailer(busy).send(_message())
    assert not isinstance(passing.value, (Refused, ChannelDown))


def test_a_5xx_reply_to_the_content_is_refused_a_4xx_one_passes() -> None:
    rejecting = SmtpServer(data_reply="552 5.3.4 Message size exceeds fixed limit")
    with rejecting, pytest.raises(Refused, match=r"552 5\.3\.4 Message size"):
        _mailer(rejecting).send(_message())
    later = SmtpServer(data_reply="451 4.3.0 Temporary failure, try again")
    with later, pytest.raises(NotifierError) as passing:
        _mailer(later).send(_message())
    assert not isinstance(passing.value, Refused) and "451 4.3.0" in str(passing.value)


class _Fixed:
    """A notifier that always answers the same (routing needs no I/O to be checked)."""

    def __init__(self, channel: str, error: Exception | None) -> None:
        self.channel = channel
        self.error = error

    def send(self, message: Message) -> Delivery:
        if self.error is not None:
            raise self.error
        return Delivery(self.channel, "x")


def test_the_router_tries_the_next_channel_after_a_refusal_and_says_refused_when_none_reaches() -> (
    None
):
    refused = _Fixed("email", Refused("refused by the mail server: c1 (550 no)"))
    delivered = Router([refused, _Fixed("slack", None)], {}).send(_message())
    assert delivered.channel == "slack" and "550" in str(delivered.note)
    with pytest.raises(Refused, match="550"):
        Router([refused, _Fixed("slack", Unreachable("geen Slack-account"))], {}).send(_message())
    with pytest.raises(Unreachable) as neither:
        Router([_Fixed("email", Unreachable("geen e-mailadres"))], {}).send(_message())
    assert not isinstance(neither.value, Refused)


# --- the Slack adapter ----------------------------------------------------------------------


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack(users={"a@example.org": "UAAA"}) as fake:
        yield fake


def _slack(slack: FakeSlack, token: str | None = None) -> SlackNotifier:
    client = web_client(token or slack.token, slack.base_url, timeout=5, retries=0)
    return SlackNotifier(client, rate=1000.0, sleep=lambda s: None)


def test_slack_refusals_for_good_against_passing_and_channel_wide_answers(slack: FakeSlack) -> None:
    office = _message(
        email="a@example.org", slack="CNOPE", metadata={"to_channel": True, "items": []}
    )
    with pytest.raises(Refused, match="channel_not_found"):
        _slack(slack).send(office)
    with pytest.raises(Refused, match="user_not_found"):
        _slack(slack).send(_message(slack="UZZZ"))

    slack.route("chat.postMessage", lambda fake, args: {"ok": False, "error": "not_in_channel"})
    with pytest.raises(Refused, match="not_in_channel"):
        _slack(slack).send(_message(email="a@example.org"))

    # The bot's own token: the whole channel is down, no message is to blame.
    for error in ("invalid_auth", "account_inactive"):
        slack.route("chat.postMessage", lambda fake, args, e=error: {"ok": False, "error": e})
        with pytest.raises(ChannelDown) as down:
            _slack(slack).send(_message(email="a@example.org"))
        assert not isinstance(down.value, Refused) and error in str(down.value)

    # Passing: rate limited (after slack-sdk's own waits), and a server error.
    slack.route("chat.postMessage", lambda fake, args: {"ok": False, "error": "ratelimited"})
    with pytest.raises(NotifierError) as limited:
        _slack(slack).send(_message(email="a@example.org"))
    assert not isinstance(limited.value, Unreachable) and "ratelimited" in str(limited.value)
    slack.route("chat.postMessage", FakeSlack._post)
    slack.inject("500", count=10)
    with pytest.raises(NotifierError) as failing:
        _slack(slack).send(_message(email="a@example.org"))
    assert not isinstance(failing.value, Unreachable)


# --- the outbox: dead at once, and shown where undelivered messages are ----------------------


def test_a_refused_message_is_dead_at_once_with_the_reply_a_busy_one_is_retried(
    tmp_path: Path, migrated_url: str, sender_clock: Clock
) -> None:
    replies = {BUSY: "450 4.2.1 Mailbox busy, try again later"}
    with SmtpServer(refuse={REFUSED}, replies=replies) as relay:
        env = mail_env(tmp_path, migrated_url, relay)
        app = bootstrap(load_settings(env))
        queued = deadline_check(app, DAY).queued
        refused = [k for k in queued if ":telos:" in k]
        busy = [k for k in queued if ":rivm:" in k]
        assert refused and busy
        report = send_reminders(app)
        rows = outbox_rows(app)
        assert sorted(report.dead) == sorted(refused)  # on the first attempt, not after a day
        for key in refused:
            row = rows[key]
            assert (row.status, row.attempts, row.next_attempt_at) == ("dead", 1, None)
            reply = f"refused by the mail server: {REFUSED} (550 5.1.1 No such user)"
            assert reply in str(row.last_error)
        for key in busy:  # a 4xx reply passes: failed, tried again after the back-off
            assert (rows[key].status, rows[key].attempts) == ("failed", 1)
            assert "450 4.2.1" in str(rows[key].last_error)
        assert Counter(r.status for r in rows.values()) == Counter(
            sent=len(queued) - len(refused) - len(busy), dead=len(refused), failed=len(busy)
        )

        relay.replies.clear()  # the mailbox is free again; the refused one stays given up
        sender_clock.now += timedelta(minutes=2)
        again = send_reminders(app)
        assert sorted(again.sent) == sorted(busy) and again.dead == []
        assert not {m["X-Regie-Key"] for m in relay.mails()} & set(refused)

    # Where undelivered messages are shown: `regie outbox`, with the server's reply.
    listed = regie("outbox", "--status", "dead", "--format", "json", env=env)
    assert listed.code == 0, listed.err
    shown = json.loads(listed.out)
    assert [m["key"] for m in shown] == refused
    assert "550 5.1.1 No such user" in shown[0]["last_error"]
    assert "550 5.1.1 No such user" in shown[0]["reason"]
    # … and `regie send` (as `regie cycle`) exits 1 naming it, until someone looks at it.
    sent = regie("send", env=env)
    assert sent.code == 1 and refused[0] in sent.err, sent


def test_slack_refusals_kill_only_their_message_and_a_bad_token_kills_none(
    tmp_path: Path, migrated_url: str, sender_clock: Clock
) -> None:
    users = {
        "pmo@example.nl": "UOFF",
        "ienm@example.nl": "UIENM",
        "rivm@example.nl": "URIVM",
        "pianoo@example.nl": "UPIANOO",
        "ez@example.nl": "UEZ",
        "telos@example.nl": "UTELOS",
    }
    with FakeSlack(users=users) as slack:
        env = mail_env(
            tmp_path, migrated_url, REGIE_NOTIFIER="slack", REGIE_SLACK_API_URL=slack.base_url,
            REGIE_SLACK_BOT_TOKEN=slack.token, REGIE_SLACK_RATE="1000",
        )  # fmt: skip
        app = bootstrap(load_settings(env))
        queued = deadline_check(app, DAY).queued
        rivm = [k for k in queued if ":rivm:" in k]
        telos = [k for k in queued if ":telos:" in k]
        assert rivm and telos

        def post(fake: FakeSlack, args: dict[str, Any]) -> dict[str, Any]:
            if args.get("channel") == "DURIVM":  # RIVM's conversation is gone: for good
                return {"ok": False, "error": "channel_not_found"}
            if args.get("channel") == "DUTELOS":  # Slack busy for Telos: passes
                return {"ok": False, "error": "ratelimited"}
            return FakeSlack._post(fake, args)

        slack.route("chat.postMessage", post)
        report = send_reminders(app)
        rows = outbox_rows(app)
        assert sorted(report.dead) == sorted(rivm)
        assert {(rows[k].status, rows[k].attempts) for k in rivm} == {("dead", 1)}
        assert "channel_not_found" in str(rows[rivm[0]].last_error)
        assert {rows[k].status for k in telos} == {"failed"}

        # A wrong bot token (invalid_auth): the batch stops, the messages wait, none is dead.
        sender_clock.now += timedelta(hours=1)
        wrong = bootstrap(load_settings({**env, "REGIE_SLACK_BOT_TOKEN": "xoxb-wrong"}))
        stopped = send_reminders(wrong)
        assert stopped.stopped and "invalid_auth" in stopped.stopped
        assert stopped.dead == []
        assert {r.status for k, r in outbox_rows(app).items() if k in telos} == {"failed"}
