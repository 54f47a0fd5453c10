"""Slack delivery against the fake Web API over HTTP: blocks, look-ups, retries, exactly once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from notifications.base import ChannelDown, Message, NotifierError, Unreachable
from notifications.slack import SlackNotifier, web_client
from notifications.slack_blocks import EVENT_TYPE
from store import session_factory
from store.slack_lookups import SlackUserCache
from tests.fakes.slack_api import FakeSlack

USERS = {"a@example.org": "UAAA", "b@example.org": "UBBB"}


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack(users=dict(USERS)) as fake:
        yield fake


def _notifier(slack: FakeSlack, engine: Engine | None = None, **kw: object) -> SlackNotifier:
    cache = SlackUserCache(session_factory(engine)) if engine is not None else None
    client = web_client(str(kw.pop("token", slack.token)), slack.base_url, timeout=5)
    return SlackNotifier(client, cache, rate=float(kw.pop("rate", 1000)), sleep=lambda s: None)


def _message(n: int = 1, **kw: object) -> Message:
    items = [
        {
            "id": "1.1.1",
            "stage": "first@2015-09-30",
            "state": "overdue",
            "title": "Inventarisatie <concept> & plan",
            "gereed": "Q3-2015",
            "due": "2015-09-30",
            "days_overdue": 3,
            "owners": ["RIVM"],
        },
        {
            "id": "1.2",
            "stage": "due@2015-12-31",
            "state": "due_soon",
            "title": "Nieuwe afspraken",
            "gereed": "Najaar 2015",
            "due": "2015-12-31",
            "days_overdue": 0,
            "owners": ["IenM"],
        },
    ]
    values: dict[str, object] = {
        "key": f"reminder:c{n}:2015-10-01:digest",
        "kind": "reminder_digest",
        "recipient": f"c{n}",
        "recipient_name": "A. Contact",
        "subject": "[MVI] Verzoek om update: 2 punten",
        "text": "Beste A. Contact, … (de volledige tekst)",
        "email": "a@example.org",
        "metadata": {"as_of": "2015-10-01", "programme": "MVI 2015–2020", "items": items},
    }
    values.update(kw)
    return Message(**values)  # type: ignore[arg-type]


def test_a_digest_is_a_dm_with_header_a_section_per_item_text_and_metadata(
    slack: FakeSlack, engine: Engine
) -> None:
    delivery = _notifier(slack, engine).send(_message())
    [post] = slack.posts()
    assert post["channel"] == "DUAAA" and delivery.external_id == f"DUAAA/{post['ts']}"
    # The notification text: the subject and the items with their stand, not the e-mail's
    # text (its sentences about links and replying by e-mail), walk28 #19.
    assert post["text"] == (
        "[MVI] Verzoek om update: 2 punten: 1.1.1 Inventarisatie &lt;concept&gt; &amp; plan "
        "(te laat); 1.2 Nieuwe afspraken (binnenkort)"
    )
    assert post["metadata"] == {
        "event_type": EVENT_TYPE,
        "event_payload": {"key": "reminder:c1:2015-10-01:digest", "kind": "reminder_digest"},
    }
    blocks = post["blocks"]
    assert blocks[0]["type"] == "header"
    assert blocks[0]["text"]["text"] == "[MVI] Verzoek om update: 2 punten"
    sections = {b["block_id"]: b["text"]["text"] for b in blocks if b["type"] == "section"}
    assert "MVI 2015–2020" in sections["intro"] and "deze 2 punten" in sections["intro"]
    first = sections["item:1.1.1"]
    assert "*1.1.1* Inventarisatie &lt;concept&gt; &amp; plan" in first  # escaped for mrkdwn
    assert "_Q3-2015_" in first and "30 september 2015" in first
    # The stand as a round's request and the e-mails say it (walk28 #19).
    assert "· Stand: te laat (3 werkdagen over de deadline)" in first
    assert "item:1.2" in sections and "31 december 2015" in sections["item:1.2"]


def test_a_long_digest_stays_within_slacks_fifty_blocks(slack: FakeSlack) -> None:
    item = _message().metadata["items"][0]
    items = [{**item, "id": f"9.{n}"} for n in range(80)]
    _notifier(slack).send(_message(metadata={"programme": "P", "items": items}))
    blocks = slack.posts()[0]["blocks"]
    # A reminder's items each have a section and a row of answer buttons (issue #10): 23 fit.
    assert len(blocks) == 49
    assert [b["block_id"] for b in blocks[3:5]] == ["answer:9.0", "item:9.1"]
    assert blocks[-1]["block_id"] == "more" and "nog 57 punten" in str(blocks[-1])


def test_lookup_by_email_is_cached_in_the_database(slack: FakeSlack, engine: Engine) -> None:
    _notifier(slack, engine).send(_message(1))
    _notifier(slack, engine).send(_message(2))  # a new sender process, same database
    assert len(slack.calls_to("users.lookupByEmail")) == 1
    assert len(slack.posts()) == 2
    # A Slack id in the plan needs no look-up at all.
    _notifier(slack, engine).send(_message(3, slack="UBBB", email=None))
    assert len(slack.calls_to("users.lookupByEmail")) == 1


def test_users_not_found_is_unreachable_and_remembered_for_a_day(
    slack: FakeSlack, engine: Engine
) -> None:
    notifier = _notifier(slack, engine)
    with pytest.raises(Unreachable, match=r"geen Slack-account voor nobody@example\.org"):
        notifier.send(_message(email="nobody@example.org"))
    with pytest.raises(Unreachable):
        notifier.send(_message(email="nobody@example.org"))
    assert len(slack.calls_to("users.lookupByEmail")) == 1
    cache = SlackUserCache(session_factory(engine))
    later = datetime.now(UTC) + timedelta(days=2)
    assert cache.lookup("NOBODY@example.org", datetime.now(UTC)) == (None,)
    assert cache.lookup("nobody@example.org", later) is None  # asked again after a day


def test_user_not_found_on_open_and_no_address_are_unreachable(slack: FakeSlack) -> None:
    notifier = _notifier(slack)
    with pytest.raises(Unreachable, match="UZZZ"):
        notifier.send(_message(slack="UZZZ"))
    with pytest.raises(Unreachable, match="geen Slack-id of e-mailadres"):
        notifier.send(_message(email=None, slack=None))
    assert not slack.posts()


def test_channel_not_found_for_the_office_channel(slack: FakeSlack) -> None:
    office = _message(slack="CNOPE", metadata={**_message().metadata, "to_channel": True})
    with pytest.raises(Unreachable, match="channel_not_found"):
        _notifier(slack).send(office)
    slack.channels.add("COFFICE")
    _notifier(slack).send(replace_slack(office, "COFFICE"))
    assert [p["channel"] for p in slack.posts()] == ["COFFICE"]
    assert not slack.calls_to("conversations.open")


def replace_slack(message: Message, slack: str) -> Message:
    from dataclasses import replace

    return replace(message, slack=slack)


def test_invalid_auth_is_channel_down_in_one_line_without_the_token(slack: FakeSlack) -> None:
    notifier = _notifier(slack, token="xoxb-wrong-secret-123")
    with pytest.raises(ChannelDown) as caught:
        notifier.send(_message())
    assert str(caught.value) == (
        "Slack refused the bot token (invalid_auth): check REGIE_SLACK_BOT_TOKEN"
    )
    assert "xoxb-wrong" not in str(caught.value)


@pytest.mark.parametrize("fault", ["500", "drop", "drop-after"])
def test_an_unclear_post_is_looked_up_before_it_is_tried_again(
    slack: FakeSlack, fault: str
) -> None:
    slack.inject(fault, count=2)
    _notifier(slack).send(_message())
    assert slack.keys_posted() == ["reminder:c1:2015-10-01:digest"]  # exactly once
    outcomes = [c.outcome for c in slack.calls_to("chat.postMessage")]
    if fault == "drop-after":
        # Stored on the first try; the look-up found it, so there was no second post.
        assert outcomes == ["dropped-after"]
    else:
        assert outcomes == ["500" if fault == "500" else "dropped"] * 2 + ["ok"]
    assert slack.calls_to("conversations.history")


def test_posts_that_keep_failing_fail_the_message(slack: FakeSlack) -> None:
    slack.inject("500", count=10)
    with pytest.raises(NotifierError, match="na 4 pogingen"):
        _notifier(slack).send(_message())
    assert not slack.posts()


def test_reads_are_retried_by_slack_sdk_handlers(slack: FakeSlack) -> None:
    slack.inject("drop", method="conversations.open")
    slack.inject("500", method="users.lookupByEmail")
    _notifier(slack).send(_message())
    assert len(slack.posts()) == 1
    assert [c.outcome for c in slack.calls_to("users.lookupByEmail")] == ["500", "ok"]
    assert [c.outcome for c in slack.calls_to("conversations.open")] == ["dropped", "ok"]


def test_a_retried_message_already_in_the_channel_is_not_posted_again(slack: FakeSlack) -> None:
    queued = datetime.now(UTC) - timedelta(minutes=5)
    notifier = _notifier(slack)
    first = notifier.send(_message(queued_at=queued))
    # The sender died before recording it; the row is claimed again (attempt 2).
    again = notifier.send(_message(queued_at=queued, attempt=2))
    assert again.external_id == first.external_id and again.note
    assert len(slack.posts()) == 1
    # Another message in the same DM is still posted.
    notifier.send(_message(2, queued_at=queued, attempt=2))
    assert len(slack.posts()) == 2


def test_429_waits_for_retry_after_and_nothing_is_lost() -> None:
    users = {f"u{n}@example.org": f"U{n:03d}" for n in range(8)}
    with FakeSlack(users=users, rate=5, retry_after=1) as slack:
        client = web_client(slack.token, slack.base_url, timeout=5)
        notifier = SlackNotifier(client, rate=1000)  # pacing off: the server's limit decides
        for n in range(8):
            notifier.send(_message(n, slack=f"U{n:03d}"))
        assert sorted(slack.keys_posted()) == sorted(_message(n).key for n in range(8))
        assert any(c.outcome == "429" for c in slack.calls_to("chat.postMessage"))


def test_pacing_keeps_under_the_workspace_rate_without_429s() -> None:
    users = {f"u{n}@example.org": f"U{n:03d}" for n in range(12)}
    with FakeSlack(users=users, rate=10) as slack:
        notifier = SlackNotifier(web_client(slack.token, slack.base_url, timeout=5), rate=9)
        for n in range(12):
            notifier.send(_message(n, slack=f"U{n:03d}"))
        assert len(slack.posts()) == 12
        assert all(c.outcome == "ok" for c in slack.calls_to("chat.postMessage"))
