"""Which stages of the items about to escalate no message delivered
(:attr:`PromptFacts.undelivered`): an owner whose reminders never reached them is not escalated
for not answering them."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import date

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from governance.reminders import PromptFacts, PromptRecord, digest_key
from store import digest_items
from store.dialect import reader, sqlite_rows
from store.models import OutboxRow
from store.outbox import WITHDRAWN
from store.withdrawn_prompts import REMINDER_DIGEST, Withdrawn, counted


def with_delivery(
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
    given again counted on that later day) are on record and none of them was sent (or
    recorded by `regie replay`, which counts as asked): failed, dead, still pending, or left
    unsent. A stage with no such digest on record is not called
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
        held = counted(reader(session), programme_id, as_of, sorted(asked), withdrawn)
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
    withdrawn) that was not given, and in none that was (:func:`_given`: sent, or replayed). A
    digest key stands for the day's later messages too (``<key>:2`` …,
    :func:`governance.reminders.free_key`): read as a range of the outbox's (programme, key)
    index.

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
            (sent if _given(status, error) else unsent)[row_id] = base
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


def _given(status: str, error: str | None) -> bool:
    """Whether a reminder digest's prompts count as given: sent, or recorded by `regie replay`
    (suppressed with no reason: the office asked the owners itself, README's "recorded as
    given", so nothing failed or waits to go out). A digest suppressed with a reason — withdrawn,
    its contact forgotten, left out at send time — was not given."""
    return status == "sent" or (status == "suppressed" and not error)


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
        params = (json.dumps(keys), programme_id, REMINDER_DIGEST)
        chunks = sqlite_rows(connection, _SQLITE_STATES, params, 10_000)
        return [row for chunk in chunks for row in chunk]
    named = {"keys": keys, "programme": programme_id, "kind": REMINDER_DIGEST}
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
