"""Prompts of reminder and escalation digests withdrawn before they were sent: they asked
nobody, so the reminder rules do not count them, unless a later message gave them again."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from governance.reminders import (
    PromptRecord,
    digest_key,
    escalation_digest_key,
    escalation_kind,
    new_prompt_record,
)
from store import digest_items, prompt_rows
from store.models import OutboxRow
from store.outbox import WITHDRAWN
from store.prompt_rows import as_day

#: The messages whose items are prompts on record: reminders (item, stage) and escalations.
REMINDER_DIGEST = "reminder_digest"
ESCALATION_DIGEST = "escalation_digest"


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
                o.kind.in_((REMINDER_DIGEST, ESCALATION_DIGEST)),
                o.last_error.startswith(WITHDRAWN, autoescape=True),
            )
        ).all()
        if not rows:
            return cls()
        sent_to = {row_id: (contact, kind, as_day(day)) for row_id, contact, kind, day in rows}
        reminders = [row_id for row_id, _, kind, _ in rows if kind == REMINDER_DIGEST]
        escalations = [row_id for row_id, _, kind, _ in rows if kind == ESCALATION_DIGEST]
        out = cls()
        first: dict[tuple[str, str], date] = {}  # (contact, kind) → its first withdrawn day
        asked: dict[tuple[str, str], set[str]] = {}  # (contact, kind) → its withdrawn items
        for row_id, (item_id, what) in _pairs(session, reminders, escalations, items):
            contact, kind, day = sent_to[row_id]
            if kind == REMINDER_DIGEST:
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
                    if kind == REMINDER_DIGEST:
                        key = (item_id, what, contact)
                        if key in out.reminders and out.reminders[key] is None:
                            out.reminders[key] = day
                        continue
                    for (i, k, c, withdrawn_on), again_on in list(out.escalations.items()):
                        again = again_on is None and withdrawn_on <= day
                        if again and (i, k, c) == (item_id, what, contact):
                            out.escalations[i, k, c, withdrawn_on] = day
                if kind == ESCALATION_DIGEST and out.given_again(contact):
                    break  # every one given again: the later digests tell no more
        return out

    def given_again(self, contact: str) -> bool:
        """Whether each withdrawn escalation of ``contact`` was given again."""
        return all(day is not None for k, day in self.escalations.items() if k[2] == contact)

    def counted_on(self, prompt: PromptRecord) -> date | None:
        """The day ``prompt`` counts from: its own, or the day it was given again after a
        withdrawal; None when it was withdrawn and not given since."""
        if prompt.is_escalation:
            kind = escalation_kind(prompt.stage)
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
    if kind == REMINDER_DIGEST:
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
        (row_id, as_day(day))
        for row_id, key, day in rows
        if day is not None and "deputy" not in key[len(prefix) :].split(":")
    ]
    step = len(kept) if kind == REMINDER_DIGEST else 5  # the caller stops once all are given again
    for start in range(0, len(kept), max(step, 1)):
        batch = kept[start : start + step]
        ids = [row_id for row_id, _ in batch]
        by_id: dict[int, list[tuple[str, str]]] = {}
        pairs = (
            _pairs(session, ids, [], items)
            if kind == REMINDER_DIGEST
            else _pairs(session, [], ids, items)
        )
        for row_id, pair in pairs:
            by_id.setdefault(row_id, []).append(pair)
        yield from ((day, by_id[row_id]) for row_id, day in batch if row_id in by_id)


def counted(
    connection: sa.Connection,
    programme_id: str,
    as_of: date,
    codes: list[str],
    withdrawn: Withdrawn,
) -> list[PromptRecord]:
    """The prompts of items ``codes`` (sorted), each on the day it counts from
    (:meth:`Withdrawn.counted_on`), that day on or before ``as_of``."""
    rows = prompt_rows.rows_of(connection, programme_id, codes, prompt_rows.UNBOUNDED) or []
    held = []
    for i, s, c, d in rows:
        record = new_prompt_record(i, s, c, as_day(d))
        day = withdrawn.counted_on(record) if withdrawn else record.queued_on
        if day is not None and day <= as_of:
            held.append(record if day == record.queued_on else new_prompt_record(i, s, c, day))
    return held
