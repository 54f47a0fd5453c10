"""One place for each thing: the record→message mapper, resource ids, the clock."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from governance.clock import known_timezone, require_aware, utcnow
from governance.events import DomainEvent, programme_resource_id, resource_id
from notifications.base import Attachment, Message
from regie.cycle import EventSummary
from regie.mapping import message_from_outbox
from store.records import OutboxRecord


def test_an_outbox_row_becomes_the_message_with_every_field() -> None:
    ref = {"name": "pack.pdf", "type": "application/pdf", "archive": 7, "sha256": "ab" * 32}
    row = OutboxRecord(
        key="reminder:p:c:2015-10-01:digest",
        kind="reminder_digest",
        recipient="c",
        recipient_name="C. Contact",
        subject="Onderwerp",
        body_text="Tekst",
        email="c@example.org",
        slack="U123",
        body_html="<p>Tekst</p>",
        payload={"as_of": "2015-10-01", "items": [{"id": "1.1"}], "attachments": [ref]},
        attempts=2,
        earlier_attempts=3,  # before `regie outbox retry`: the attempt number counts them
        tried_channel="slack",
        created_at=datetime(2015, 10, 1, 7, 0, tzinfo=UTC),
    )
    message = message_from_outbox(row, "p")
    assert message == Message(
        key=row.key,
        kind=row.kind,
        recipient=row.recipient,
        recipient_name=row.recipient_name,
        subject=row.subject,
        text=row.body_text,
        email=row.email,
        slack=row.slack,
        html=row.body_html,
        metadata={"as_of": "2015-10-01", "items": [{"id": "1.1"}], "attachments": [ref]},
        attempt=5,
        tried_on="slack",
        queued_at=datetime(2015, 10, 1, 7, 0, tzinfo=UTC),
        programme="p",
        attachments=(Attachment("pack.pdf", "application/pdf", 7, "ab" * 32),),
    )
    # No field of the message is left at its default: a new Message field needs a mapping.
    defaults = Message(key="", kind="", recipient="", recipient_name="", subject="", text="")
    for f in dataclasses.fields(Message):
        assert getattr(message, f.name) != getattr(defaults, f.name), f.name


def test_every_event_names_its_item_with_one_resource_id() -> None:
    domain = DomainEvent("regie.milestone.overdue", "1.2.3", date(2015, 10, 1))
    summary = EventSummary(domain.name, domain.item_id, domain.occurred_on, {})
    assert resource_id("1.2.3") == "regie.milestone.1.2.3"
    assert domain.resource_id == summary.resource_id == resource_id("1.2.3")
    assert programme_resource_id("mvi") == "regie.programme.mvi"


def test_the_clock_is_aware_and_naive_times_are_refused() -> None:
    now = utcnow()
    assert now.tzinfo is UTC
    plus_two = datetime(2015, 9, 1, 10, tzinfo=timezone(timedelta(hours=2)))
    assert require_aware(plus_two, "now") is plus_two
    with pytest.raises(ValueError, match="recorded_at must be timezone-aware"):
        require_aware(datetime(2015, 9, 1, 10), "recorded_at")


def test_time_zone_names() -> None:
    assert known_timezone("Europe/Amsterdam")
    assert not known_timezone("Europe/Amsterdm")
    assert not known_timezone("../etc/passwd")
