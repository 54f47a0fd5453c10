"""The channel each unsent message carries (``payload["channel"]``), read by the database
without the payload: the sync's withdrawal check (:func:`store.outbox.withdraw`) runs it on
every sync, and a day's unsent digests at 100k items hold tens of megabytes of JSON.

SQLite's scalar JSON functions (``json_extract``, ``->>``) keep the last few documents they
parsed (four) until their statement is reset: one statement over a day's digests held four
parsed megabyte payloads at once, the dry-run cycle's peak (+21 to +34 MiB;
benchmarks/RESULTS.md, round 32). perf56a gave each message a statement of its own, which cost
a statement per unsent message on every sync (fix57c 5). The table-valued ``json_each`` keeps
no such cache: its cursor parses the payload it is given and frees it when it moves to the next
row's, so one statement reads every message's channel (a correlated subquery per row) with one
parsed payload held at a time. PostgreSQL parses each value on the server and keeps none.
"""

from __future__ import annotations

from collections.abc import Collection

import sqlalchemy as sa
from sqlalchemy.orm import Session

from store.dialect import reader
from store.models import OutboxRow


def carried_channels(
    session: Session, programme_id: str, statuses: Collection[str], but_kind: str
) -> list[tuple[int, str, str, str | None]]:
    """(id, key, recipient, channel carried or None) of the programme's messages in one of
    ``statuses`` and of any kind but ``but_kind``, oldest first."""
    o = OutboxRow
    where = (o.programme_id == programme_id, o.status.in_(statuses), o.kind != but_kind)
    connection = reader(session)
    if connection.dialect.name != "sqlite":
        channel: sa.ColumnElement[str | None] = o.payload["channel"].as_string()
    else:
        fields = sa.func.json_each(o.payload).table_valued("key", "value")
        channel = sa.select(fields.c.value).where(fields.c.key == "channel").scalar_subquery()
    query = sa.select(o.id, o.key, o.recipient, channel).where(*where).order_by(o.id)
    return [(i, k, r, c) for i, k, r, c in connection.execute(query)]
