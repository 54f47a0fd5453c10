"""The sync's check for messages to withdraw reads only the channel a message carries, not its
payload: it runs on every sync, and a day's unsent digests at 100k items hold tens of
megabytes of JSON (#8 round 21: 0.6 s and a 130 MiB peak when decoded in Python)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from store.models import OutboxRow, ProgrammeRow
from store.outbox import WITHDRAWN, withdraw

NOW = datetime(2015, 10, 5, 16, 0, tzinfo=UTC)
DAY = date(2015, 10, 5)


def _message(n: int, recipient: str, payload: dict[str, Any], status: str = "pending") -> OutboxRow:
    return OutboxRow(
        programme_id="p", key=f"k{n}", kind="reminder_digest", recipient=recipient,
        recipient_name=recipient, subject="s", body_text="b", payload=payload,
        created_on=DAY, status=status, created_at=NOW,
    )  # fmt: skip


def test_messages_are_withdrawn_by_their_channel_without_reading_their_payloads(
    session: Session,
) -> None:
    session.add(ProgrammeRow(id="p", title="p", created_at=NOW, updated_at=NOW))
    session.flush()
    big = {"items": [{"id": f"1.{i}", "stage": "first"} for i in range(2000)]}
    session.add_all(
        [
            _message(1, "ann", {**big, "channel": "email"}),  # Ann now prefers Slack
            _message(2, "bob", {**big, "channel": "email"}),  # Bob's channel unchanged
            _message(3, "cas", big),  # no channel carried
            _message(4, "ann", {**big, "channel": "email"}, status="sent"),  # sent stays sent
            _message(5, "dik", {"channel": "slack"}),  # Dik left
            _message(6, "eva", {"channel": None}),
        ]
    )
    session.commit()
    statements: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    engine = session.get_bind()
    sa.event.listen(engine, "before_cursor_execute", seen)
    try:
        found = withdraw(
            session, "p", {"dik": "archived"},
            {"ann": "slack", "bob": "email", "cas": "slack", "eva": "email"},
            occurred_on=DAY, now=NOW,
        )  # fmt: skip
    finally:
        sa.event.remove(engine, "before_cursor_execute", seen)
    assert found == {"ann": ["k1"], "dik": ["k5"]}
    status = dict(session.execute(sa.select(OutboxRow.key, OutboxRow.last_error)).tuples().all())
    assert (status["k1"] or "").startswith(f"{WITHDRAWN}contact ann: another preferred channel")
    assert (status["k5"] or "").startswith(f"{WITHDRAWN}contact dik: archived")
    assert status["k2"] is status["k3"] is status["k4"] is status["k6"] is None
    # The payload column is never selected whole (only inside a JSON look-up of "channel").
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert reads and not [
        s for s in reads if re.search(r"(SELECT|,)\s*outbox\.payload\s*(,|FROM\b)", s)
    ], reads
