"""The (item, stage) entries of each reminder digest, stored beside it (``outbox_digest_items``,
migration 0027).

Whether an item's prompts were delivered (:mod:`store.prompt_facts`) asks which digests carried
an (item, stage). A digest names every item its contact was prompted about that day (a contact
who owns thousands of items: megabytes of JSON), so the answer is kept as rows keyed by the
message, written in the transaction that queues the digest and rewritten wherever its payload
changes (a revision before sending, an erasure, a redaction). The rows always equal
:func:`entries` of the digest's current payload; outbox rows are never deleted, so neither are
these but by such a rewrite.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from store.dialect import reader, sqlite_rows
from store.models_delivery import OutboxDigestItemRow

#: The outbox kind whose entries are stored (escalation digests name kinds, not stages).
DIGEST_KIND = "reminder_digest"
#: Rows per INSERT (three parameters each: well under either database's limit).
_BATCH = 5000


def entries(payload: Any) -> set[tuple[str, str]]:
    """(item, stage) of a reminder digest's ``items``: objects with an id and a stage."""
    items = payload.get("items", []) if isinstance(payload, dict) else []
    if not isinstance(items, list):
        return set()
    return {
        (str(item["id"]), str(item["stage"]))
        for item in items
        if isinstance(item, dict) and item.get("id") and item.get("stage")
    }


def record(session: Session, digests: Iterable[tuple[int, Any]]) -> None:
    """Store the entries of new digests: (outbox id, payload) pairs."""
    rows = [
        {"message_id": message_id, "item_code": item, "stage": stage}
        for message_id, payload in digests
        for item, stage in sorted(entries(payload))
    ]
    for start in range(0, len(rows), _BATCH):
        session.execute(sa.insert(OutboxDigestItemRow), rows[start : start + _BATCH])


def replace(session: Session, message_id: int, payload: Any) -> None:
    """The entries of digest ``message_id`` made those of its changed ``payload``."""
    t = OutboxDigestItemRow
    session.execute(sa.delete(t).where(t.message_id == message_id))
    record(session, [(message_id, payload)])


def carried(
    session: Session, message_ids: Collection[int], items: Collection[str]
) -> list[tuple[int, tuple[str, str]]]:
    """(outbox id, (item, stage)) of the entries of digests ``message_ids`` whose item is one
    of ``items``: probes of the table's key, no payload read."""
    if not message_ids or not items:
        return []
    ids, codes = sorted(message_ids), sorted(items)
    connection = reader(session)
    if connection.dialect.name == "sqlite":
        params = (json.dumps(ids), json.dumps(codes))
        rows: Iterable[Any] = [
            r for chunk in sqlite_rows(connection, _SQLITE_CARRIED, params, 10_000) for r in chunk
        ]
    else:
        rows = connection.execute(_PG_CARRIED, {"ids": ids, "codes": codes}).tuples()
    return [(message_id, (item, stage)) for message_id, item, stage in rows]


_TABLE = OutboxDigestItemRow.__tablename__
# The ids and codes as JSON parameters (thousands of codes on an escalation wave's day).
_SQLITE_CARRIED = f"""SELECT message_id, item_code, stage FROM {_TABLE}
    WHERE message_id IN (SELECT value FROM json_each(?))
      AND item_code IN (SELECT value FROM json_each(?))"""
_PG_CARRIED = sa.text(
    f"""SELECT message_id, item_code, stage FROM {_TABLE}
    WHERE message_id = ANY(:ids) AND item_code IN (SELECT unnest(CAST(:codes AS text[])))"""
).bindparams(
    sa.bindparam("ids", type_=postgresql.ARRAY(sa.Integer)),
    sa.bindparam("codes", type_=postgresql.ARRAY(sa.String)),
)
