"""The prompts of a few items read whole (:mod:`store.prompt_facts` answers the reminder rules
from them when that pays, and reads them for the few items of a withdrawn message)."""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from governance.reminders import PromptRecord, new_prompt_record
from store.dialect import reader, sqlite_rows
from store.models import PromptRow

_TABLE = PromptRow.__tablename__


#: No limit on the rows :func:`rows_of` reads (the few items of a withdrawn message).
UNBOUNDED = 2**62


def as_day(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


#: The share of the items whose prompts are read first, to tell whether reading all would pay.
_SAMPLE = 8


def held_prompts(
    connection: sa.Connection,
    programme_id: str,
    as_of: date,
    item_ids: Collection[str],
    keys: int,
) -> list[PromptRecord] | None:
    """The prompts of ``item_ids`` queued on or before ``as_of``, or None (the probes answer)
    when reading them would not pay: they hold more than ``keys`` prompts (those after
    ``as_of`` counted too), or every eighth item alone more than its share of ``keys``. A young
    programme's items hold a few prompts each; after years, dozens (101k items, 40,000 keys on
    a day: ≈ 18,000 prompts read in 40–80 ms against 0.2–0.35 s of probes; 4.75 M prompts in
    all: 660,000): an aged history is told by reading an eighth of what reading up to ``keys``
    would. Whole or None: a list holds every prompt of the items up to ``as_of``."""
    codes = sorted(item_ids)
    sample, rest = codes[::_SAMPLE], [c for n, c in enumerate(codes) if n % _SAMPLE]
    first = rows_of(connection, programme_id, sample, keys * len(sample) // len(codes))
    if first is None:
        return None
    rows = rows_of(connection, programme_id, rest, keys - len(first)) if rest else []
    if rows is None:
        return None
    rows.extend(first)
    if connection.dialect.name != "sqlite":
        return [new_prompt_record(*row) for row in rows if row[3] <= as_of]
    days: dict[str, date] = {}  # stored as ISO text: each day converted once
    held: list[PromptRecord] = []
    for item, stage, contact, text in rows:
        day = days.get(text)
        if day is None:
            day = days[text] = date.fromisoformat(text)
        if day <= as_of:  # here, not in SQL: there SQLite chose the (programme, day) index
            held.append(new_prompt_record(item, stage, contact, day))
    return held


def prompts_of(
    session: Session, programme_id: str, as_of: date, item_ids: Collection[str]
) -> list[PromptRecord]:
    """Every prompt of ``item_ids`` queued on or before ``as_of``, in one read: of a day's
    escalated items (few), whether they changed hands (``regie.messages.escalation_handovers``)."""
    if not item_ids:
        return []
    held = held_prompts(reader(session), programme_id, as_of, item_ids, UNBOUNDED)
    return held or []


def rows_of(
    connection: sa.Connection, programme_id: str, codes: list[str], most: int
) -> list[Any] | None:
    """The prompts' rows of items ``codes`` (sorted), or None when there are more than ``most``."""
    if connection.dialect.name == "sqlite":
        bound = (programme_id, json.dumps(codes), most + 1)
        rows = [r for chunk in sqlite_rows(connection, _SQLITE_HELD, bound, 10_000) for r in chunk]
    else:
        named = {"codes": codes, "programme": programme_id, "most": most + 1}
        rows = list(connection.execute(_PG_HELD, named).tuples())
    return None if len(rows) > most else rows


_SQLITE_HELD = f"""SELECT item_code, stage, contact_code, queued_on FROM {_TABLE}
    WHERE programme_id = ? AND item_code IN (SELECT value FROM json_each(?)) LIMIT ?"""
# Each code a range of the unique index: as ``item_code = ANY(…) LIMIT n`` the planner scanned
# the whole table of an aged history, expecting to stop early (0.44 s for items with no
# prompts, against 37 ms this way).
_PG_HELD = sa.text(
    f"""SELECT s.item_code, s.stage, s.contact_code, s.queued_on
    FROM unnest(:codes) AS k(code)
    CROSS JOIN LATERAL (
        SELECT p.item_code, p.stage, p.contact_code, p.queued_on FROM {_TABLE} AS p
        WHERE p.programme_id = :programme AND p.item_code = k.code
    ) AS s
    LIMIT :most"""
).bindparams(sa.bindparam("codes", type_=postgresql.ARRAY(sa.String)))
