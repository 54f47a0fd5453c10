"""The Slack→e-mail fall-back remembers an earlier attempt (review10b 1 and 2).

A message an earlier attempt may have delivered is never carried by a second channel: not
after `regie outbox retry` gave a dead message fresh attempts (Slack down: no e-mail; Slack
up: it looks for the earlier post first), and not after an attempt handed it to e-mail whose
SMTP exchange ended unclearly (Slack back: still e-mail, not a Slack post as well). Through the
send loop, on both databases, with the fake Slack Web API and the aiosmtpd test server.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from regie.bootstrap import App, bootstrap
from regie.config import load_settings
from regie.cycle import deadline_check, send_reminders
from regie.mapping import message_from_outbox
from store import Repository
from store.outbox import MAX_ATTEMPTS, retry_delay
from tests.cli_in_process import regie
from tests.fakes.slack_api import FakeSlack
from tests.fakes.smtp import Received, SmtpServer
from tests.integration.mail_setup import mail_env, outbox_rows
from tests.integration.ports import refused_port
from tests.integration.test_delivery import CONTACTS, USERS
from tests.integration.test_slack_outage import _slack

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning", "ignore::DeprecationWarning")

#: A contact on Slack (found by their e-mail address) and by e-mail, no preferred channel.
KEY = "reminder:mvi-2015-2020:ienm:2015-10-15:digest"


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


@pytest.fixture
def closed_port() -> Iterator[str]:
    """A Slack API address whose connections are refused (Slack down; held: no other fake can
    take it)."""
    with refused_port() as port:
        yield f"http://127.0.0.1:{port}/api/"


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack(users=dict(USERS), channels={"CPMO"}) as fake:
        yield fake


def _env(tmp_path: Path, url: str, smtp: SmtpServer, slack_url: str) -> dict[str, str]:
    (tmp_path / "contacts.yaml").write_text(CONTACTS, encoding="utf-8")
    return mail_env(
        tmp_path, url, smtp,
        REGIE_NOTIFIER="slack,email",
        REGIE_SLACK_BOT_TOKEN="xoxb-fake-token",
        REGIE_SLACK_API_URL=slack_url,
        REGIE_SLACK_OFFICE_CHANNEL="CPMO",
        REGIE_SLACK_RATE="1000",
    )  # fmt: skip


def _app(env: dict[str, str], smtp_timeout: float | None = None) -> App:
    settings = load_settings(env)
    if smtp_timeout is not None:
        assert settings.smtp is not None
        settings = replace(settings, smtp=replace(settings.smtp, timeout=smtp_timeout))
    return bootstrap(settings)


def _queued(app: App) -> None:
    deadline_check(app, date(2015, 10, 8), replay=True)
    assert KEY in deadline_check(app, date(2015, 10, 15)).queued


def _table(out: str) -> list[list[str]]:
    """`regie outbox`'s rows, each cell's text joined over the lines Rich wrapped it onto."""
    rows: list[list[str]] = []
    for line in out.splitlines():
        if not line.startswith("│"):
            continue
        cells = [c.strip() for c in line.strip("│").split("│")]
        if cells[0] == "Datum":
            continue
        if cells[0] or not rows:
            rows.append(cells)
        else:
            rows[-1] = [" ".join(filter(None, p)) for p in zip(rows[-1], cells, strict=True)]
    return rows


def _failed_until_dead(app: App, slack_url: str | None = None) -> None:
    """KEY's attempts all ended unclearly (a post that timed out after it was sent) until it
    was given up; with ``slack_url``, the first of them did reach Slack."""
    now = datetime.now(UTC) - timedelta(days=2)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        with app.session() as session, session.begin():
            repo = Repository(session, app.programme_id())
            [row] = repo.claim_outbox(now=now, keys=[KEY])
            if slack_url is not None and attempt == 1:
                _slack(slack_url).send(message_from_outbox(row, app.programme_id()))
            repo.mark_failed(
                KEY, error="Slack not reachable: TimeoutError (may be posted)", now=now,
                claim_token=row.claim_token, give_up_after=timedelta(0),
            )  # fmt: skip
        now += retry_delay(attempt)
    assert outbox_rows(app)[KEY].status == "dead"


def test_a_retried_dead_message_is_not_sent_by_email_while_slack_is_down(
    tmp_path: Path, migrated_url: str, smtp: SmtpServer, closed_port: str
) -> None:
    env = _env(tmp_path, migrated_url, smtp, closed_port)
    app = _app(env)
    _queued(app)
    _failed_until_dead(app)
    retried = regie("outbox", "retry", "--key", KEY, "--yes", env=env)
    assert retried.code == 0, retried.err

    send_reminders(app, keys=[KEY])
    row = outbox_rows(app)[KEY]
    # It may be on Slack from before: it waits for Slack, not a copy by e-mail.
    assert row.status == "failed" and row.channel is None
    assert [m["X-Regie-Key"] for m in smtp.mails()] == []
    # Fresh attempts all the same: one used, the give-up window anew.
    assert row.attempts == 1
    # `regie outbox` says it was tried before the retry (names35 3): one line, and in JSON.
    [line] = [r for r in _table(regie("outbox", env=env).out) if r[3] == "failed"]
    assert line[-1].endswith(f"; {MAX_ATTEMPTS} earlier attempts before a retry"), line
    shown = {r["key"]: r for r in json.loads(regie("outbox", "-f", "json", env=env).out)}
    assert (shown[KEY]["attempts"], shown[KEY]["earlier_attempts"]) == (1, MAX_ATTEMPTS)
    assert shown[KEY]["tried_channel"] is None
    assert all(r["earlier_attempts"] == 0 for k, r in shown.items() if k != KEY)


def test_a_retried_dead_message_already_on_slack_is_not_posted_again(
    tmp_path: Path, migrated_url: str, smtp: SmtpServer, slack: FakeSlack
) -> None:
    env = _env(tmp_path, migrated_url, smtp, slack.base_url)
    app = _app(env)
    _queued(app)
    _failed_until_dead(app, slack.base_url)  # posted on the first attempt, unknown to us
    assert slack.keys_posted() == [KEY]
    assert regie("outbox", "retry", "--key", KEY, "--yes", env=env).code == 0

    send_reminders(app, keys=[KEY])
    row = outbox_rows(app)[KEY]
    assert (row.status, row.channel) == ("sent", "slack")
    assert slack.keys_posted() == [KEY]  # found, not posted a second time
    assert row.external_id == f"{slack.posts()[0]['channel']}/{slack.posts()[0]['ts']}"
    assert smtp.mails() == []


def test_an_unclear_email_fall_back_is_not_posted_to_slack_when_slack_is_back(
    tmp_path: Path, migrated_url: str, closed_port: str, slack: FakeSlack
) -> None:
    def slow(got: Received) -> None:
        # The first attempt's mail is accepted, but the answer comes after the sender's
        # timeout: unclear to the sender.
        if len(server.received) <= 1:
            time.sleep(1.5)

    with SmtpServer(on_data=slow) as server:
        down = _env(tmp_path, migrated_url, server, closed_port)
        app = _app(down, smtp_timeout=1)
        _queued(app)
        # Attempt 1: Slack refuses connections, so e-mail; SMTP times out after DATA.
        first = send_reminders(app, keys=[KEY])
        assert [k for k, _ in first.failed] == [KEY]
        assert "did not answer in time after the message was handed over" in first.stopped
        time.sleep(0.6)  # the late answer has come
        # It did arrive, once: not again on a fresh connection (walk58d 1).
        assert [m["X-Regie-Key"] for m in server.mails()] == [KEY]
        # Its outcome unknown, nothing sends it again before the operator decides.
        assert (outbox_rows(app)[KEY].status, outbox_rows(app)[KEY].tried_channel) == (
            "dead",
            "email",
        )
        # `regie outbox` shows where it may be (names35 3): one line, and in JSON.
        [line] = [r for r in _table(regie("outbox", env=down).out) if r[3] == "dead"]
        assert line[-1].endswith("; tried via email, arrival unknown: email only"), line
        assert "earlier attempt" not in line[-1]
        shown = {r["key"]: r for r in json.loads(regie("outbox", "-f", "json", env=down).out)}
        assert (shown[KEY]["tried_channel"], shown[KEY]["earlier_attempts"]) == ("email", 0)
        assert all(r["tried_channel"] is None for k, r in shown.items() if k != KEY)

        # Attempt 2, the operator's: Slack is back; the message stays with e-mail (same
        # Message-ID again).
        back = _env(tmp_path, migrated_url, server, slack.base_url)
        assert regie("outbox", "retry", "--key", KEY, "--yes", env=back).code == 0
        send_reminders(_app(back), keys=[KEY])
        row = outbox_rows(app)[KEY]
        assert (row.status, row.channel) == ("sent", "email")
        assert slack.posts() == []
        assert [m["X-Regie-Key"] for m in server.mails()] == [KEY, KEY]
        assert len({m["Message-ID"] for m in server.mails()}) == 1  # one mail to its client
