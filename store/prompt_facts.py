"""The prompts on record, as the reminder rules ask about them (``governance.reminders``:
:class:`PromptQuestion` in, :class:`PromptFacts` out, what :func:`facts_from_history` gives).

The daily step used to read every prompt of every item it judged: after years of a programme,
most of its time (4.75 M prompts: 5.5 s of a 10 s incremental step). The rules need far less:

- whether the current stage and the current run's escalation keys are on record: one probe per
  key of the prompts' unique index (programme, item, stage, contact);
- the stages queued since the latest update, only for the items whose run has not escalated
  (the others escalate no more this run): a read of those items' prompts through the same index.

Both are single statements with the keys as one parameter (SQLite: JSON; PostgreSQL: arrays),
like :func:`store.memory.load_items`. Where the items asked about hold no more prompts than there
are keys (a young programme: a few each) they are read instead and answered in Python
(:func:`facts_from_history`): the same answers.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
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
    digest_key,
    escalation_digest_key,
    escalation_keys,
    facts_from_history,
    new_prompt_record,
)
from store import digest_items
from store.dialect import reader, sqlite_rows
from store.models import OutboxRow, PromptRow
from store.outbox import WITHDRAWN

_TABLE = PromptRow.__tablename__

# SQLite: the keys' table first (CROSS JOIN keeps it the outer loop), each key one probe of the
# unique index. The unary ``+`` keeps the planner off the (programme, queued_on) index, which it
# otherwise picks for the day's bounds and then scans for every key.
_SQLITE_ON_RECORD = f"""SELECT p.item_code, p.stage, min(p.queued_on)
    FROM json_each(?) AS k CROSS JOIN {_TABLE} AS p
    WHERE p.programme_id = ? AND p.item_code = json_extract(k.value, '$[0]')
      AND p.stage = json_extract(k.value, '$[1]') AND +p.queued_on <= ?
    GROUP BY p.item_code, p.stage"""
_SQLITE_SINCE = f"""SELECT p.item_code, p.stage, min(p.queued_on)
    FROM json_each(?) AS k CROSS JOIN {_TABLE} AS p
    WHERE p.programme_id = ? AND p.item_code = json_extract(k.value, '$[0]')
      AND +p.queued_on <= ? AND +p.queued_on > coalesce(json_extract(k.value, '$[1]'), '')
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
    FROM unnest(:items, :since) AS k(item_code, since)
    CROSS JOIN LATERAL (
        SELECT p.stage, min(p.queued_on) AS first FROM {_TABLE} AS p
        WHERE p.programme_id = :programme AND p.item_code = k.item_code
          AND p.queued_on <= :until AND (k.since IS NULL OR p.queued_on > k.since)
        GROUP BY p.stage
    ) AS s"""
).bindparams(
    sa.bindparam("items", type_=postgresql.ARRAY(sa.String)),
    sa.bindparam("since", type_=postgresql.ARRAY(sa.Date)),
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
) -> dict[str, PromptFacts]:
    """The answers to ``questions`` from the prompts queued on or before ``as_of`` (an item
    with nothing on record has no entry). ``unanswered=False`` (no escalation for unanswered
    prompts in the policy) skips the stages since the latest update: nothing reads them.

    ``delivery_after`` (the policy's ``escalate_after_unanswered``; 0: never) tells the items
    with at least that many stages unanswered before ``as_of`` (about to escalate) which of
    them no message delivered (:attr:`PromptFacts.undelivered`, :func:`_with_delivery`).
    ``ripe`` (None: every such stage) tells of a stage's first day whether the owner's grace
    after it has run out: only an item with ``delivery_after`` ripe stages can escalate for
    them today (:func:`governance.reminders.escalations.escalation_for`), so only those are told."""
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
    if unanswered and delivery_after > 0:
        found = _with_delivery(
            session, programme_id, as_of, found, delivery_after, withdrawn, ripe, held
        )
    return found


def _with_delivery(
    session: Session,
    programme_id: str,
    as_of: date,
    facts: dict[str, PromptFacts],
    least: int,
    withdrawn: Withdrawn,
    ripe: Callable[[date], bool] | None = None,
    held: Sequence[PromptRecord] | None = None,
) -> dict[str, PromptFacts]:
    """``facts`` with :attr:`PromptFacts.undelivered` told for the items whose run has not
    escalated and that have at least ``least`` stages unanswered before ``as_of`` (of them
    ``ripe`` by their first day, when given): the few about to escalate today. A stage is
    undelivered when the reminder digests that carried it (to any contact; a withdrawn one
    given again counted on that later day) are on record and none of them was sent: failed,
    dead, still pending, or left unsent. A stage with no such digest on record is not called
    undelivered (nothing proves it).

    ``held``: every prompt of the items asked about, each on the day it counts from (a
    withdrawn one given again: that day; one not given again left out), when :func:`_facts`
    read them whole; otherwise the asked items' prompts are read here."""
    asked = {
        item_id: stages
        for item_id, f in facts.items()
        if f.unanswered and not f.escalated
        and len(stages := f.unanswered_before(as_of)) >= least
    }  # fmt: skip
    if ripe is not None and asked:
        days: dict[date, bool] = {}  # a few hundred first days: each asked once
        for item_id in list(asked):
            first = facts[item_id].unanswered
            count = 0
            for stage in asked[item_id]:
                day = first[stage]
                is_ripe = days.get(day)
                if is_ripe is None:
                    is_ripe = days[day] = ripe(day)
                count += is_ripe
            if count < least:
                del asked[item_id]
    if not asked:
        return facts
    if held is None:
        held = _counted(reader(session), programme_id, as_of, sorted(asked), withdrawn)
    carried: dict[str, set[tuple[str, str]]] = {}  # digest key → (item, stage) it carried
    for record in held:
        wanted = asked.get(record.item_id)
        if wanted is not None and record.stage in wanted:
            key = digest_key(programme_id, record.contact_id, record.queued_on)
            carried.setdefault(key, set()).add((record.item_id, record.stage))
    missed_pairs = _undelivered(session, programme_id, carried)
    out = dict(facts)
    for item_id, stages in asked.items():
        missed = frozenset(s for s in stages if (item_id, s) in missed_pairs)
        if missed:
            out[item_id] = out[item_id]._replace(undelivered=missed)
    return out


def _undelivered(
    session: Session,
    programme_id: str,
    carried: Mapping[str, set[tuple[str, str]]],
) -> set[tuple[str, str]]:
    """The (item, stage) pairs of ``carried`` found in a reminder digest on record (not
    withdrawn) that was not sent, and in none that was. A digest key stands for the day's
    later messages too (``<key>:2`` …, :func:`governance.reminders.free_key`): read as a range
    of the outbox's (programme, key) index.

    The digests' states are read first and their entries only where a state leaves the answer
    open: those of the unsent ones, then those of the sent ones that carry a pair found unsent
    — and of each only the pairs its key carried, probed in the rows stored beside each digest
    (:mod:`store.digest_items`: a digest's payload, megabytes for a contact who owns thousands
    of items, is never read here)."""
    unsent: dict[int, str] = {}  # outbox id → the digest key it stands for
    sent: dict[int, str] = {}
    for row_id, key, status, error in _digest_states(session, programme_id, sorted(carried)):
        if status == "suppressed" and (error or "").startswith(WITHDRAWN):
            continue  # asked nobody: its prompt counts only where given again
        base = key if key in carried else key.rpartition(":")[0]
        if carried.get(base):
            (sent if status == "sent" else unsent)[row_id] = base
    if not unsent:
        return set()
    # Each digest is asked about the very pairs its key carried: one probe per entry.
    asked = ((row_id, *pair) for row_id, base in unsent.items() for pair in carried[base])
    found = {(item, stage) for _, item, stage in digest_items.holding(session, asked)}
    if not found or not sent:
        return found
    # Only the sent digests whose key carried a pair found unsent can tell it was delivered.
    asked = (
        (row_id, *pair) for row_id, base in sent.items() for pair in carried[base] if pair in found
    )
    for _, item, stage in digest_items.holding(session, asked):
        found.discard((item, stage))
    return found


def _digest_states(
    session: Session, programme_id: str, keys: list[str]
) -> list[tuple[int, str, str, str | None]]:
    """Id, key, status and last error of the reminder digests of ``keys`` (and their later
    messages, ``<key>:2`` …); no payloads. One statement, the keys one parameter, each a range
    of the outbox's (programme, key) index: as an ``OR`` of ranges it was compiled anew for
    every count of keys."""
    if not keys:
        return []
    connection = reader(session)
    if connection.dialect.name == "sqlite":
        params = (json.dumps(keys), programme_id, _DIGEST)
        chunks = sqlite_rows(connection, _SQLITE_STATES, params, 10_000)
        return [row for chunk in chunks for row in chunk]
    named = {"keys": keys, "programme": programme_id, "kind": _DIGEST}
    return list(connection.execute(_PG_STATES, named).tuples())


_OUTBOX = OutboxRow.__tablename__
# A key stands for itself and the day's later messages: [key, key || ';') (';' follows ':').
_SQLITE_STATES = f"""SELECT o.id, o.key, o.status, o.last_error
    FROM json_each(?) AS k CROSS JOIN {_OUTBOX} AS o
    WHERE o.programme_id = ? AND o.key >= k.value AND o.key < k.value || ';' AND o.kind = ?"""
_PG_STATES = sa.text(
    f"""SELECT o.id, o.key, o.status, o.last_error
    FROM unnest(:keys) AS k(key)
    CROSS JOIN LATERAL (
        SELECT o.id, o.key, o.status, o.last_error FROM {_OUTBOX} AS o
        WHERE o.programme_id = :programme AND o.key >= k.key AND o.key < k.key || ';'
          AND o.kind = :kind
    ) AS o"""
).bindparams(sa.bindparam("keys", type_=postgresql.ARRAY(sa.String)))


def _without(
    questions: Mapping[str, PromptQuestion], items: Collection[str]
) -> dict[str, PromptQuestion]:
    return {i: q for i, q in questions.items() if i not in items}


#: The messages whose items are prompts on record: reminders (item, stage) and escalations.
_DIGEST = "reminder_digest"
_ESCALATION = "escalation_digest"


@dataclass(slots=True)
class Withdrawn:
    """The prompts of reminder and escalation digests withdrawn before they were sent (their
    contact left or moved: :func:`store.outbox.withdraw`): they asked nobody, so the rules do
    not count them — unless a later message to the same contact, not withdrawn, carried the
    same prompt again (the contact came back: same address, or restored to the plan), whose
    day then counts as the day it was given. Few: a handful per departure.

    A reminder prompt is known by its item, stage and contact. An escalation digest names its
    items and kinds, not their keys: its prompt is the escalation (``escalation:<item>:…:<kind>``)
    recorded for that contact on the digest's day.
    """

    #: (item, stage, contact) of a withdrawn reminder → the day a later message gave it, if any.
    reminders: dict[tuple[str, str, str], date | None] = field(default_factory=dict)
    #: (item, kind, contact, day) of a withdrawn escalation → the day a later one gave it, if any.
    escalations: dict[tuple[str, str, str, date], date | None] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.reminders or self.escalations)

    @property
    def items(self) -> set[str]:
        return {k[0] for k in self.reminders} | {k[0] for k in self.escalations}

    @classmethod
    def read(cls, session: Session, programme_id: str, items: Collection[str]) -> Withdrawn:
        """The withdrawn prompts of ``items`` (the others are not asked about), and for each
        the day a later message gave it again. A reminder digest's prompts are read from its
        stored entries (:mod:`store.digest_items`), never its payload; an escalation digest's
        (no entries stored: it names kinds) from its payload, only where one was withdrawn."""
        o = OutboxRow
        rows = session.execute(
            sa.select(o.id, o.recipient, o.kind, o.created_on).where(
                o.programme_id == programme_id,
                o.status == "suppressed",
                o.kind.in_((_DIGEST, _ESCALATION)),
                o.last_error.startswith(WITHDRAWN, autoescape=True),
            )
        ).all()
        if not rows:
            return cls()
        sent_to = {row_id: (contact, kind, _day(day)) for row_id, contact, kind, day in rows}
        reminders = [row_id for row_id, _, kind, _ in rows if kind == _DIGEST]
        escalations = [row_id for row_id, _, kind, _ in rows if kind == _ESCALATION]
        out = cls()
        first: dict[tuple[str, str], date] = {}  # (contact, kind) → its first withdrawn day
        asked: dict[tuple[str, str], set[str]] = {}  # (contact, kind) → its withdrawn items
        for row_id, (item_id, what) in _pairs(session, reminders, escalations, items):
            contact, kind, day = sent_to[row_id]
            if kind == _DIGEST:
                out.reminders[item_id, what, contact] = None
            else:
                out.escalations[item_id, what, contact, day] = None
            if (contact, kind) not in first or day < first[contact, kind]:
                first[contact, kind] = day
            asked.setdefault((contact, kind), set()).add(item_id)
        for (contact, kind), since in first.items():
            given = _given_since(session, programme_id, contact, kind, since, asked[contact, kind])
            for day, carried in given:
                for item_id, what in carried:
                    if kind == _DIGEST:
                        key = (item_id, what, contact)
                        if key in out.reminders and out.reminders[key] is None:
                            out.reminders[key] = day
                        continue
                    for (i, k, c, withdrawn_on), again_on in list(out.escalations.items()):
                        again = again_on is None and withdrawn_on <= day
                        if again and (i, k, c) == (item_id, what, contact):
                            out.escalations[i, k, c, withdrawn_on] = day
                if kind == _ESCALATION and out.given_again(contact):
                    break  # every one given again: the later digests tell no more
        return out

    def given_again(self, contact: str) -> bool:
        """Whether each withdrawn escalation of ``contact`` was given again."""
        return all(day is not None for k, day in self.escalations.items() if k[2] == contact)

    def counted_on(self, prompt: PromptRecord) -> date | None:
        """The day ``prompt`` counts from: its own, or the day it was given again after a
        withdrawal; None when it was withdrawn and not given since."""
        if prompt.is_escalation:
            kind = prompt.stage.rpartition(":")[2]
            key = (prompt.item_id, kind, prompt.contact_id, prompt.queued_on)
            return self.escalations.get(key, prompt.queued_on)
        triple = (prompt.item_id, prompt.stage, prompt.contact_id)
        return self.reminders.get(triple, prompt.queued_on)


def _pairs(
    session: Session, reminders: list[int], escalations: list[int], items: Collection[str]
) -> list[tuple[int, tuple[str, str]]]:
    """(outbox id, (item, stage)) of reminder digests ``reminders`` from their stored entries,
    (outbox id, (item, kind)) of escalation digests ``escalations`` from their payloads; of
    ``items`` only."""
    found = digest_items.carried(session, reminders, items)
    if escalations:
        o = OutboxRow
        for start in range(0, len(escalations), 500):
            rows = session.execute(
                sa.select(o.id, o.payload).where(o.id.in_(escalations[start : start + 500]))
            ).tuples()
            for row_id, payload in rows:
                found += [
                    (row_id, pair)
                    for pair in sorted(digest_items.entries(payload, "kind"))
                    if pair[0] in items
                ]
    return found


def _given_since(
    session: Session,
    programme_id: str,
    contact: str,
    kind: str,
    since: date,
    items: Collection[str],
) -> Iterator[tuple[date, list[tuple[str, str]]]]:
    """The days and prompts of ``items`` of ``contact``'s digests of ``kind`` queued on or
    after ``since`` and not withdrawn, oldest first. Read through the outbox's (programme, key)
    index: the keys (:func:`governance.reminders.digest_key`, :func:`escalation_digest_key`)
    name the contact and the day, so the range is that contact's keys from that day on. Their
    states only: a reminder digest's prompts come from its stored entries (a returning
    contact's later digests, every day after, are never read whole); an escalation digest's
    from its payload, a few at a time, as the caller asks for more."""
    if kind == _DIGEST:
        low = digest_key(programme_id, contact, since).removesuffix(":digest")
    else:
        low = escalation_digest_key(programme_id, contact, since)
    prefix = low.removesuffix(since.isoformat())  # ends in ':'
    high = prefix[:-1] + ";"  # past every key of the contact (';' follows ':')
    o = OutboxRow
    withdrawn = sa.and_(
        o.status == "suppressed", o.last_error.startswith(WITHDRAWN, autoescape=True)
    )
    rows = session.execute(
        sa.select(o.id, o.key, o.created_on)
        .where(o.programme_id == programme_id, o.key >= low, o.key < high)
        .where(o.recipient == contact, o.kind == kind, sa.not_(withdrawn))
        .order_by(o.created_on, o.id)
    ).all()
    # A deputy's copy of escalations (``…:<day>:deputy``) is no prompt on record.
    kept = [
        (row_id, _day(day))
        for row_id, key, day in rows
        if day is not None and "deputy" not in key[len(prefix) :].split(":")
    ]
    step = len(kept) if kind == _DIGEST else 5  # the caller stops once all are given again
    for start in range(0, len(kept), max(step, 1)):
        batch = kept[start : start + step]
        ids = [row_id for row_id, _ in batch]
        by_id: dict[int, list[tuple[str, str]]] = {}
        pairs = (
            _pairs(session, ids, [], items) if kind == _DIGEST else _pairs(session, [], ids, items)
        )
        for row_id, pair in pairs:
            by_id.setdefault(row_id, []).append(pair)
        yield from ((day, by_id[row_id]) for row_id, day in batch if row_id in by_id)


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
    held = _counted(connection, programme_id, as_of, codes, withdrawn)
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


def _counted(
    connection: sa.Connection,
    programme_id: str,
    as_of: date,
    codes: list[str],
    withdrawn: Withdrawn,
) -> list[PromptRecord]:
    """The prompts of items ``codes`` (sorted), each on the day it counts from
    (:meth:`Withdrawn.counted_on`), that day on or before ``as_of``."""
    rows = _rows_of(connection, programme_id, codes, _UNBOUNDED) or []
    held = []
    for i, s, c, d in rows:
        record = new_prompt_record(i, s, c, _day(d))
        day = withdrawn.counted_on(record) if withdrawn else record.queued_on
        if day is not None and day <= as_of:
            held.append(record if day == record.queued_on else new_prompt_record(i, s, c, day))
    return held


#: No limit on the rows :func:`_rows_of` reads (the few items of a withdrawn message).
_UNBOUNDED = 2**62


def _day(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _facts(
    connection: sa.Connection,
    programme_id: str,
    as_of: date,
    questions: Mapping[str, PromptQuestion],
    unanswered: bool,
) -> tuple[dict[str, PromptFacts], list[PromptRecord] | None]:
    """The answers to ``questions``, and the prompts read to give them when read whole (None:
    answered by probes, :func:`_held_prompts`)."""
    if not questions:
        return {}, []
    asked = sum((q.stage is not None) + (q.previous is not None) for q in questions.values())
    keys = asked + len(questions) * len(ESCALATION_KINDS)
    with _no_jit(connection):
        held = _held_prompts(connection, programme_id, as_of, questions.keys(), keys)
        if held is None:
            return _prompt_facts(connection, programme_id, as_of, questions, unanswered), None
    return _answers(held, questions, as_of, unanswered), held


def _keys(questions: Mapping[str, PromptQuestion]) -> list[tuple[str, str]]:
    """Every (item, stage) the questions ask to look up: the current stage and the one before
    it (when it was first prompted), the run's keys."""
    keys: list[tuple[str, str]] = []
    for item_id, (stage, run, _, previous, _, _) in questions.items():
        if stage is not None:
            keys.append((item_id, stage))
        if previous is not None:
            keys.append((item_id, previous))
        keys.extend((item_id, key) for key in escalation_keys(run))
    return keys


#: The share of the items whose prompts are read first, to tell whether reading all would pay.
_SAMPLE = 8


def _held_prompts(
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
    first = _rows_of(connection, programme_id, sample, keys * len(sample) // len(codes))
    if first is None:
        return None
    rows = _rows_of(connection, programme_id, rest, keys - len(first)) if rest else []
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


def _rows_of(
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
        open_runs = [(i, q.since) for i, q in questions.items() if i not in escalated]
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
        asked = stage is not None and (item_id, stage) in on_record
        if stage is not None and not too_soon and (not asked or item_id in escalated):
            due.append(item_id)  # prompted today, or on record after the escalation
        found = PromptFacts(
            asked,
            item_id in escalated,
            since.get(item_id, {}),
            too_soon,
            escalated_on=escalated.get(item_id),
        )
        if found != NO_FACTS:  # the stage before on record, and not late: nothing to say
            out[item_id] = found
    for item_id, contacts in _contacts(connection, programme_id, as_of, due).items():
        out[item_id] = out.get(item_id, NO_FACTS)._replace(contacts=contacts)
    about = {i: q.asked_about for i, q in questions.items() if q.asked_about and i not in escalated}
    for item_id, day in _asked_on(connection, programme_id, as_of, about).items():
        out[item_id] = out.get(item_id, NO_FACTS)._replace(asked_on=day)
    return out


def _asked_on(
    connection: sa.Connection, programme_id: str, as_of: date, about: Mapping[str, tuple[str, ...]]
) -> dict[str, date]:
    """Per item of ``about``: the first day on or before ``as_of`` a prompt (not an
    escalation) named one of its dates (:attr:`PromptFacts.asked_on`). Asked only of the
    items overdue long enough to escalate whose run has not: few, but for the first days of
    a programme adopted mid-way."""
    out: dict[str, date] = {}
    if not about:
        return out
    rows = _rows_of(connection, programme_id, sorted(about), _UNBOUNDED) or []
    for item, stage, _, day in rows:
        day = _day(day)
        if day > as_of or not stage.endswith(about[item]) or stage.startswith(ESCALATION_PREFIX):
            continue
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
    rows = _rows_of(connection, programme_id, sorted(codes), _UNBOUNDED) or []
    for item, stage, contact, day in rows:
        day = _day(day)
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
    items: list[tuple[str, date | None]],
) -> dict[str, dict[str, date]]:
    """Per item: the stages (not escalations) queued after its day (None: ever) and on or
    before ``as_of``, each with the first day it was queued."""
    out: dict[str, dict[str, date]] = {}
    if not items:
        return out
    if connection.dialect.name == "sqlite":
        pairs = [(item, None if day is None else day.isoformat()) for item, day in items]
        params = (json.dumps(pairs), programme_id, as_of.isoformat())
        days: dict[str, date] = {}  # stored as ISO text: each day converted once
        for chunk in sqlite_rows(connection, _SQLITE_SINCE, params, 10_000):
            for item, stage, text in chunk:
                if not stage.startswith(ESCALATION_PREFIX):
                    day = days.get(text)
                    if day is None:
                        day = days[text] = date.fromisoformat(text)
                    out.setdefault(item, {})[stage] = day
        return out
    for item, stage, first in _pg_rows(connection, _PG_SINCE, items, "since", programme_id, as_of):
        if not stage.startswith(ESCALATION_PREFIX):
            out.setdefault(item, {})[stage] = first
    return out


def _pg_rows(
    connection: sa.Connection,
    statement: sa.TextClause,
    pairs: Sequence[tuple[str, object]],
    second: str,
    programme_id: str,
    as_of: date,
) -> Iterable[Any]:
    """PostgreSQL: ``statement``'s rows, ``pairs`` passed as two arrays (``items``, ``second``)."""
    params = {
        "items": [item for item, _ in pairs],
        second: [value for _, value in pairs],
        "programme": programme_id,
        "until": as_of,
    }
    return connection.execute(statement, params).tuples()
