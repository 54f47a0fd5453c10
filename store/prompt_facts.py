"""The prompts on record, as the reminder rules ask about them (``governance.reminders``:
:class:`PromptQuestion` in, :class:`PromptFacts` out, what :func:`facts_from_history` gives).

The daily step used to read every prompt of every item it judged: after years of a programme,
most of its time (4.75 M prompts: 5.5 s of a 10 s incremental step). The rules need far less:

- whether the current stage and the current run's escalation keys are on record: one probe per
  key of the prompts' unique index (programme, item, stage, contact);
- the stages queued since the latest update for the item's current contacts, only for the
  items whose run has not escalated (the others escalate no more this run): a read of those
  items' prompts through the same index.

Both are single statements with the keys as one parameter (SQLite: JSON; PostgreSQL: arrays),
like :func:`store.memory.load_items`. Where the items asked about hold no more prompts than there
are keys (a young programme: a few each) they are read instead and answered in Python
(:func:`facts_from_history`): the same answers.

Beside it: :mod:`store.prompt_rows` (the items' prompts read whole), :mod:`store.withdrawn_prompts`
(prompts of messages withdrawn before they were sent), :mod:`store.prompt_delivery` (which
stages of the items about to escalate no message delivered) and :mod:`store.replayed_prompts`
(escalations only a replay recorded, which a live day does not count).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from governance.reminders import (
    ESCALATION_KINDS,
    ESCALATION_PREFIX,
    NO_FACTS,
    PromptFacts,
    PromptQuestion,
    PromptRecord,
    counts_unanswered,
    escalation_keys,
    facts_from_history,
)
from store import prompt_rows
from store.dialect import reader, sqlite_rows
from store.models import PromptRow
from store.prompt_delivery import with_delivery
from store.prompt_rows import as_day
from store.replayed_prompts import without_replayed
from store.withdrawn_prompts import Withdrawn, counted

_TABLE = PromptRow.__tablename__

# SQLite: the keys' table first (CROSS JOIN keeps it the outer loop), each key one probe of the
# unique index. The unary ``+`` keeps the planner off the (programme, queued_on) index, which it
# otherwise picks for the day's bounds and then scans for every key.
_SQLITE_ON_RECORD = f"""SELECT p.item_code, p.stage, min(p.queued_on)
    FROM json_each(?) AS k CROSS JOIN {_TABLE} AS p
    WHERE p.programme_id = ? AND p.item_code = json_extract(k.value, '$[0]')
      AND p.stage = json_extract(k.value, '$[1]') AND +p.queued_on <= ?
    GROUP BY p.item_code, p.stage"""
# The item's current contacts (``PromptQuestion.asked_of``) as one string, each id between
# spaces (ids have none), '' for any: tested per prompt read, no further look-up per item. The
# keys' values taken apart once each (a materialized table, still the outer loop): as the
# filter's third ``json_extract`` per prompt read it cost a fifth more (850,000 prompts read).
_SQLITE_SINCE = f"""WITH k AS MATERIALIZED (
        SELECT json_extract(value, '$[0]') AS item,
          coalesce(json_extract(value, '$[1]'), '') AS since, json_extract(value, '$[2]') AS of
        FROM json_each(?))
    SELECT p.item_code, p.stage, min(p.queued_on)
    FROM k CROSS JOIN {_TABLE} AS p
    WHERE p.programme_id = ? AND p.item_code = k.item
      AND +p.queued_on <= ? AND +p.queued_on > k.since
      AND (k.of = '' OR instr(k.of, ' ' || p.contact_code || ' ') > 0)
    GROUP BY p.item_code, p.stage"""
# PostgreSQL: a lateral subquery per key, so each key is an index probe; as a plain join the
# planner hashed every prompt of the programme (2 s for 40,000 keys over 3 M prompts).
_PG_ON_RECORD = sa.text(
    f"""SELECT k.item_code, k.stage, found.first
    FROM unnest(:items, :stages) AS k(item_code, stage)
    CROSS JOIN LATERAL (
        SELECT min(p.queued_on) AS first FROM {_TABLE} AS p
        WHERE p.programme_id = :programme AND p.item_code = k.item_code
          AND p.stage = k.stage AND p.queued_on <= :until
    ) AS found
    WHERE found.first IS NOT NULL"""
).bindparams(
    sa.bindparam("items", type_=postgresql.ARRAY(sa.String)),
    sa.bindparam("stages", type_=postgresql.ARRAY(sa.String)),
)
_PG_SINCE = sa.text(
    f"""SELECT k.item_code, s.stage, s.first
    FROM unnest(:items, :since, :of) AS k(item_code, since, of)
    CROSS JOIN LATERAL (
        SELECT p.stage, min(p.queued_on) AS first FROM {_TABLE} AS p
        WHERE p.programme_id = :programme AND p.item_code = k.item_code
          AND p.queued_on <= :until AND (k.since IS NULL OR p.queued_on > k.since)
          AND (k.of = '' OR strpos(k.of, ' ' || p.contact_code || ' ') > 0)
        GROUP BY p.stage
    ) AS s"""
).bindparams(
    sa.bindparam("items", type_=postgresql.ARRAY(sa.String)),
    sa.bindparam("since", type_=postgresql.ARRAY(sa.Date)),
    sa.bindparam("of", type_=postgresql.ARRAY(sa.String)),
)


def prompt_facts(
    session: Session,
    programme_id: str,
    as_of: date,
    questions: Mapping[str, PromptQuestion],
    *,
    unanswered: bool = True,
    delivery_after: int = 0,
    ripe: Callable[[date], bool] | None = None,
    replaying: bool = False,
) -> dict[str, PromptFacts]:
    """The answers to ``questions`` from the prompts queued on or before ``as_of`` (an item
    with nothing on record has no entry). ``unanswered=False`` (no escalation for unanswered
    prompts in the policy) skips the stages since the latest update: nothing reads them.

    ``delivery_after`` (the policy's ``escalate_after_unanswered``; 0: never) tells the items
    with at least that many stages unanswered before ``as_of`` (about to escalate) which of
    them no message delivered (:attr:`PromptFacts.undelivered`,
    :func:`store.prompt_delivery.with_delivery`).
    ``ripe`` (None: every such stage) tells of a stage's first day whether the owner's grace
    after it has run out: only an item with ``delivery_after`` ripe stages can escalate for
    them today (:func:`governance.reminders.escalations.escalation_for`), so only those are told.
    ``replaying``: the day is one of `regie replay`'s; on a live day (False) the escalations
    only a replay recorded do not count (:func:`store.replayed_prompts.without_replayed`)."""
    if not questions:
        return {}
    connection = reader(session)
    withdrawn = Withdrawn.read(session, programme_id, questions.keys())
    found = None
    held: list[PromptRecord] | None = None  # the prompts read whole, when they were
    if withdrawn:
        affected = withdrawn.items
        if affected:
            rest = _without(questions, affected)
            found, held = _facts(connection, programme_id, as_of, rest, unanswered)
            of_withdrawn, held_withdrawn = _facts_withdrawn(
                connection, programme_id, as_of, questions, affected, withdrawn, unanswered
            )
            found.update(of_withdrawn)
            held = None if held is None else held + held_withdrawn
    if found is None:
        found, held = _facts(connection, programme_id, as_of, questions, unanswered)
    if not replaying:
        found = without_replayed(
            connection, programme_id, as_of, questions, found, withdrawn, unanswered
        )
    if unanswered and delivery_after > 0:
        found = with_delivery(
            session, programme_id, as_of, found, delivery_after, withdrawn, ripe, held
        )
    return found


def _without(
    questions: Mapping[str, PromptQuestion], items: Collection[str]
) -> dict[str, PromptQuestion]:
    return {i: q for i, q in questions.items() if i not in items}


def _facts_withdrawn(
    connection: sa.Connection,
    programme_id: str,
    as_of: date,
    questions: Mapping[str, PromptQuestion],
    affected: Collection[str],
    withdrawn: Withdrawn,
    unanswered: bool,
) -> tuple[dict[str, PromptFacts], list[PromptRecord]]:
    """The answers for the items with a prompt of a withdrawn message: from their prompts read
    whole, those withdrawn left out, and those given again later counted from that day (with
    those prompts, as they count)."""
    codes = sorted(affected)
    held = counted(connection, programme_id, as_of, codes, withdrawn)
    return _answers(held, {i: questions[i] for i in codes}, as_of, unanswered), held


def _answers(
    held: Sequence[PromptRecord],
    questions: Mapping[str, PromptQuestion],
    as_of: date,
    unanswered: bool,
) -> dict[str, PromptFacts]:
    """The answers to ``questions`` from their prompts ``held``; only the items with some."""
    found = facts_from_history(held, questions, as_of)
    if not unanswered:
        found = {i: f._replace(unanswered={}) for i, f in found.items()}
    return {i: f for i, f in found.items() if f != NO_FACTS}


def _facts(
    connection: sa.Connection,
    programme_id: str,
    as_of: date,
    questions: Mapping[str, PromptQuestion],
    unanswered: bool,
) -> tuple[dict[str, PromptFacts], list[PromptRecord] | None]:
    """The answers to ``questions``, and the prompts read to give them when read whole (None:
    answered by probes, :func:`store.prompt_rows.held_prompts`)."""
    if not questions:
        return {}, []
    asked = sum((q.stage is not None) + (q.previous is not None) for q in questions.values())
    keys = asked + len(questions) * len(ESCALATION_KINDS)
    with _no_jit(connection):
        held = prompt_rows.held_prompts(connection, programme_id, as_of, questions.keys(), keys)
        if held is None:
            return _prompt_facts(connection, programme_id, as_of, questions, unanswered), None
    return _answers(held, questions, as_of, unanswered), held


def _keys(questions: Mapping[str, PromptQuestion]) -> list[tuple[str, str]]:
    """Every (item, stage) the questions ask to look up: the current stage and the one before
    it (when it was first prompted), the run's keys."""
    keys: list[tuple[str, str]] = []
    for item_id, (stage, run, _, previous, _, _, _) in questions.items():
        if stage is not None:
            keys.append((item_id, stage))
        if previous is not None:
            keys.append((item_id, previous))
        keys.extend((item_id, key) for key in escalation_keys(run))
    return keys


@contextmanager
def _no_jit(connection: sa.Connection) -> Iterator[None]:
    """PostgreSQL without its JIT compiler for these statements: their estimated cost (a probe
    per key, tens of thousands of keys) switched on its optimisation, 0.4 s of compiling for a
    read of 1.5 s. Restored after, in the same transaction (after a database error its rollback
    undoes it: a statement then would only fail again)."""
    if connection.dialect.name != "postgresql":
        yield
        return
    before = connection.execute(sa.text("SELECT current_setting('jit')")).scalar()
    restore = sa.text("SELECT set_config('jit', :jit, true)")
    connection.execute(sa.text("SELECT set_config('jit', 'off', true)"))
    try:
        yield
    except sa.exc.DBAPIError:
        raise  # the transaction is aborted: its rollback undoes the setting
    except Exception:
        connection.execute(restore, {"jit": before})  # a Python error: the transaction goes on
        raise
    connection.execute(restore, {"jit": before})


def _prompt_facts(
    connection: sa.Connection,
    programme_id: str,
    as_of: date,
    questions: Mapping[str, PromptQuestion],
    unanswered: bool,
) -> dict[str, PromptFacts]:
    keys = _keys(questions)
    on_record = _on_record(connection, programme_id, as_of, keys)
    escalated: dict[str, date] = {}  # the keys asked for are the current runs' only
    for (code, key), first in on_record.items():
        if key.startswith(ESCALATION_PREFIX):
            was = escalated.get(code)
            escalated[code] = first if was is None else min(was, first)
    since: dict[str, dict[str, date]] = {}
    if unanswered:
        open_runs = [(i, q.since, q.asked_of) for i, q in questions.items() if i not in escalated]
        since = _since_update(connection, programme_id, as_of, open_runs)
    out: dict[str, PromptFacts] = {}
    touched = {i for i, _ in on_record} | since.keys()
    # The items whose current stage is to be prompted: those with nothing on record (not even
    # the stage before: not too soon) here, the others below.
    due = [i for i, q in questions.items() if q.stage is not None and i not in touched]
    for item_id in touched:
        question = questions[item_id]
        stage, previous, after = question.stage, question.previous, question.previous_after
        first_asked = on_record.get((item_id, previous)) if previous is not None else None
        too_soon = first_asked is not None and after is not None and first_asked > after
        stage_on = on_record.get((item_id, stage)) if stage is not None else None
        asked = stage_on is not None
        if stage is not None and not too_soon and (not asked or item_id in escalated):
            due.append(item_id)  # prompted today, or on record after the escalation
        found = PromptFacts(
            asked,
            item_id in escalated,
            since.get(item_id, {}),
            too_soon,
            escalated_on=escalated.get(item_id),
            stage_on=stage_on,
        )
        if found != NO_FACTS:  # the stage before on record, and not late: nothing to say
            out[item_id] = found
    for item_id, contacts in _contacts(connection, programme_id, as_of, due).items():
        out[item_id] = out.get(item_id, NO_FACTS)._replace(contacts=contacts)
    about = {
        i: (q.asked_about, q.asked_of)
        for i, q in questions.items()
        if q.asked_about and i not in escalated
    }
    for item_id, day in _asked_on(connection, programme_id, as_of, about).items():
        out[item_id] = out.get(item_id, NO_FACTS)._replace(asked_on=day)
    return out


def _asked_on(
    connection: sa.Connection,
    programme_id: str,
    as_of: date,
    about: Mapping[str, tuple[tuple[str, ...], frozenset[str]]],
) -> dict[str, date]:
    """Per item of ``about`` (its dates' stage suffixes, its current contacts): the first day
    on or before ``as_of`` a prompt (not an escalation) to one of those contacts (any, when
    none is given) named one of its dates (:attr:`PromptFacts.asked_on`). Asked only of the
    items overdue long enough to escalate whose run has not: few, but for the first days of
    a programme adopted mid-way."""
    out: dict[str, date] = {}
    if not about:
        return out
    rows = prompt_rows.rows_of(connection, programme_id, sorted(about), prompt_rows.UNBOUNDED) or []
    for item, stage, contact, day in rows:
        day = as_day(day)
        dates, of = about[item]
        if day > as_of or not stage.endswith(dates) or stage.startswith(ESCALATION_PREFIX):
            continue
        if of and contact not in of:
            continue  # asked of a contact who no longer answers for the item
        if item not in out or day < out[item]:
            out[item] = day
    return out


def _contacts(
    connection: sa.Connection, programme_id: str, as_of: date, codes: list[str]
) -> dict[str, dict[str, tuple[date, date]]]:
    """Per item of ``codes``: each contact prompted about it on or before ``as_of``
    (reminders, not escalations) → the first and the last day (:attr:`PromptFacts.contacts`).
    Asked only of the items prompted today (their current stage due) and of those whose
    stage is on record after their run escalated: few."""
    out: dict[str, dict[str, tuple[date, date]]] = {}
    if not codes:
        return out
    rows = prompt_rows.rows_of(connection, programme_id, sorted(codes), prompt_rows.UNBOUNDED) or []
    for item, stage, contact, day in rows:
        day = as_day(day)
        if day > as_of or stage.startswith(ESCALATION_PREFIX):
            continue
        seen = out.setdefault(item, {}).get(contact)
        out[item][contact] = (day, day) if seen is None else (min(seen[0], day), max(seen[1], day))
    return out


def _on_record(
    connection: sa.Connection, programme_id: str, as_of: date, keys: list[tuple[str, str]]
) -> dict[tuple[str, str], date]:
    """The (item, stage) of ``keys`` with a prompt queued on or before ``as_of``, each with the
    first day one was."""
    if connection.dialect.name == "sqlite":
        params = (json.dumps(keys), programme_id, as_of.isoformat())
        rows = sqlite_rows(connection, _SQLITE_ON_RECORD, params, 10_000)
        days: dict[str, date] = {}  # stored as ISO text: each day converted once
        out: dict[tuple[str, str], date] = {}
        for chunk in rows:
            for item, stage, text in chunk:
                day = days.get(text)
                if day is None:
                    day = days[text] = date.fromisoformat(text)
                out[item, stage] = day
        return out
    found = _pg_rows(connection, _PG_ON_RECORD, keys, "stages", programme_id, as_of)
    return {(item, stage): first for item, stage, first in found}


def _since_update(
    connection: sa.Connection,
    programme_id: str,
    as_of: date,
    items: list[tuple[str, date | None, frozenset[str]]],
) -> dict[str, dict[str, date]]:
    """Per item: the stages that can go unanswered (not escalations, not those asked before
    the due date: ``counts_unanswered``) queued for its contacts (empty: any) after its
    day (None: ever) and on or before ``as_of``, each with the first day it was queued for
    one of them."""
    out: dict[str, dict[str, date]] = {}
    if not items:
        return out
    of: dict[frozenset[str], str] = {}  # per contact set: a few hundred
    for _, _, contacts in items:
        if contacts not in of:
            of[contacts] = f" {' '.join(sorted(contacts))} " if contacts else ""
    if connection.dialect.name == "sqlite":
        keys = [(i, None if d is None else d.isoformat(), of[c]) for i, d, c in items]
        params = (json.dumps(keys), programme_id, as_of.isoformat())
        days: dict[str, date] = {}  # stored as ISO text: each day converted once
        for chunk in sqlite_rows(connection, _SQLITE_SINCE, params, 10_000):
            for item, stage, text in chunk:
                if counts_unanswered(stage):
                    day = days.get(text)
                    if day is None:
                        day = days[text] = date.fromisoformat(text)
                    out.setdefault(item, {})[stage] = day
        return out
    pairs = [(item, day) for item, day, _ in items]
    extra = {"of": [of[c] for _, _, c in items]}
    found = _pg_rows(connection, _PG_SINCE, pairs, "since", programme_id, as_of, extra)
    for item, stage, first in found:
        if counts_unanswered(stage):
            out.setdefault(item, {})[stage] = first
    return out


def _pg_rows(
    connection: sa.Connection,
    statement: sa.TextClause,
    pairs: Sequence[tuple[str, object]],
    second: str,
    programme_id: str,
    as_of: date,
    extra: Mapping[str, object] | None = None,
) -> Iterable[Any]:
    """PostgreSQL: ``statement``'s rows, ``pairs`` passed as two arrays (``items``, ``second``),
    with ``extra`` parameters."""
    params = {
        "items": [item for item, _ in pairs],
        second: [value for _, value in pairs],
        "programme": programme_id,
        "until": as_of,
        **(extra or {}),
    }
    return connection.execute(statement, params).tuples()
