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
from itertools import islice
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from store.dialect import reader, sqlite_rows
from store.models import OutboxRow
from store.models_delivery import OutboxDigestItemRow

#: The outbox kind whose entries are stored (escalation digests name kinds, not stages).
DIGEST_KIND = "reminder_digest"
#: Rows per INSERT (three parameters each: well under either database's limit).
_BATCH = 5000


def entries(payload: Any, what: str = "stage") -> set[tuple[str, str]]:
    """(item, stage) of a reminder digest's ``items``: objects with an id and a stage. The one
    reader of a digest's items: ``what="kind"`` gives (item, kind) of an escalation digest's.
    Anything else (no ``items``, ``null``, not a list, an entry without both) adds nothing."""
    items = payload.get("items") if isinstance(payload, dict) else None
    if not isinstance(items, list):
        return set()
    return {
        (str(item["id"]), str(item[what]))
        for item in items
        if isinstance(item, dict) and item.get("id") and item.get(what)
    }


def record(session: Session, digests: Iterable[tuple[int, Any]]) -> None:
    """Store the entries of new digests: (outbox id, payload) pairs, made one batch at a time
    (a day's digests at 100k items carry tens of thousands of entries)."""
    rows = (
        {"message_id": message_id, "item_code": item, "stage": stage}
        for message_id, payload in digests
        for item, stage in sorted(entries(payload))
    )
    while batch := list(islice(rows, _BATCH)):
        session.execute(sa.insert(OutboxDigestItemRow), batch)


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


def holding(session: Session, triples: Iterable[tuple[int, str, str]]) -> set[tuple[int, str, str]]:
    """The (outbox id, item, stage) of ``triples`` stored as a digest's entries: one probe of
    the table's key each. The delivery check knows the exact entries it asks about (each
    digest's carried pairs); probing every asked item in every digest instead cost one probe
    per (digest, item): ≈ 500,000 on an escalation wave's day against ≈ 10,000 this way."""
    wanted = sorted(set(triples))
    if not wanted:
        return set()
    connection = reader(session)
    if connection.dialect.name == "sqlite":
        params = (json.dumps(wanted),)
        return {
            (message_id, item, stage)
            for chunk in sqlite_rows(connection, _SQLITE_HOLDING, params, 10_000)
            for message_id, item, stage in chunk
        }
    named = {
        "ids": [m for m, _, _ in wanted],
        "codes": [i for _, i, _ in wanted],
        "stages": [s for _, _, s in wanted],
    }
    return set(connection.execute(_PG_HOLDING, named).tuples())


def mismatches(session: Session, batch: int = 50) -> list[str]:
    """One line per reminder digest whose stored entries differ from :func:`entries` of its
    payload (rows deleted, added or changed beside the outbox's append-only guard), and per
    message id with entries that is no reminder digest. Every digest, sent ones too (a sent
    digest's entries tell a prompt was delivered, or given again after a withdrawal), read
    ``batch`` payloads at a time as migration 0027 fills them: never the table at once."""
    o, t = OutboxRow, OutboxDigestItemRow
    problems: list[str] = []
    last = 0
    while True:
        rows = session.execute(
            sa.select(o.id, o.key, o.payload)
            .where(o.kind == DIGEST_KIND, o.id > last)
            .order_by(o.id)
            .limit(batch)
        ).all()
        if not rows:
            break
        last = rows[-1].id
        stored: dict[int, set[tuple[str, str]]] = {}
        for message_id, item, stage in session.execute(
            sa.select(t.message_id, t.item_code, t.stage).where(
                t.message_id.in_([r.id for r in rows])
            )
        ).tuples():
            stored.setdefault(message_id, set()).add((item, stage))
        for row in rows:
            problems += _differs(row.id, row.key, entries(row.payload), stored.get(row.id, set()))
    stray = session.execute(
        sa.select(t.message_id)
        .distinct()
        .where(~sa.exists().where(o.id == t.message_id, o.kind == DIGEST_KIND))
        .order_by(t.message_id)
    ).scalars()
    problems += [f"{_TABLE}: message {i}: entries stored, but no reminder digest" for i in stray]
    return problems


def _differs(
    message_id: int, key: str, want: set[tuple[str, str]], have: set[tuple[str, str]]
) -> list[str]:
    if want == have:
        return []
    missing, extra = sorted(want - have), sorted(have - want)
    shown = ", ".join(f"-{i} {s}" for i, s in missing[:3])
    shown += (", " if shown and extra else "") + ", ".join(f"+{i} {s}" for i, s in extra[:3])
    more = " …" if len(missing) > 3 or len(extra) > 3 else ""
    return [
        f"{_TABLE}: digest {message_id} ({key}): entries differ from its payload "
        f"({len(missing)} missing, {len(extra)} extra: {shown}{more})"
    ]


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
# The keys' list first (CROSS JOIN keeps it the outer loop): each triple one probe of the key.
_SQLITE_HOLDING = f"""SELECT t.message_id, t.item_code, t.stage
    FROM json_each(?) AS k CROSS JOIN {_TABLE} AS t
    WHERE t.message_id = json_extract(k.value, '$[0]')
      AND t.item_code = json_extract(k.value, '$[1]') AND t.stage = json_extract(k.value, '$[2]')"""
_PG_HOLDING = sa.text(
    f"""SELECT t.message_id, t.item_code, t.stage
    FROM unnest(:ids, :codes, :stages) AS k(message_id, item_code, stage)
    JOIN {_TABLE} AS t ON t.message_id = k.message_id AND t.item_code = k.item_code
      AND t.stage = k.stage"""
).bindparams(
    sa.bindparam("ids", type_=postgresql.ARRAY(sa.Integer)),
    sa.bindparam("codes", type_=postgresql.ARRAY(sa.String)),
    sa.bindparam("stages", type_=postgresql.ARRAY(sa.String)),
)
