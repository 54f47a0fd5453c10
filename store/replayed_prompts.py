"""Escalations only `regie replay` recorded, as a live day counts them: not at all (fix57b).

A replay records every escalation it raises as a prompt (stage ``escalation:…``) for each
programme-office contact, and the contact's escalation digest of the day as ``suppressed``
without a reason (``store.prompt_delivery._given``'s "recorded by `regie replay`"): nobody
received it. On a live day (``regie cycle``) such an escalation does not count as made: the
item's run has not escalated, so it escalates once, live, when it still is late and
unanswered (its key ends in :data:`governance.reminders.AFTER_REPLAY`: the replayed key stays
on record). The replay's own days count them, or it would escalate the item every day.

An escalation prompt is a replay's when the contact's escalation digest of its day (the first
of the day, :func:`governance.reminders.escalation_digest_key`) is on record as a replay
stores it, and no other escalation digest to that contact that day (a live rerun's ``:2``)
was anything else. One with no contact (nobody to tell) counts as before.

The digests' states are read (no payloads) only when an item judged has a run that escalated;
the items' prompts are read whole only for those whose run first escalated on a replayed day.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import sqlalchemy as sa

from governance.reminders import (
    PromptFacts,
    PromptQuestion,
    PromptRecord,
    escalation_digest_key,
    facts_from_history,
)
from store.models import OutboxRow
from store.prompt_rows import as_day
from store.withdrawn_prompts import ESCALATION_DIGEST, Withdrawn, counted


def replayed_days(connection: sa.Connection, programme_id: str) -> set[tuple[str, date]]:
    """(contact, day) of the escalation digests only a replay stored (the module notes). One
    range of the outbox's (programme, key) index: the programme's escalation digests, a few
    a day at most, their states only."""
    o = OutboxRow.__table__.c
    low = escalation_digest_key(programme_id, "", date.min).removesuffix(f":{date.min}")
    high = low[:-1] + ";"  # past every key of the programme's escalation digests
    rows = connection.execute(
        sa.select(o.key, o.recipient, o.created_on, o.status, o.last_error).where(
            o.programme_id == programme_id,
            o.key >= low,
            o.key < high,
            o.kind == ESCALATION_DIGEST,
        )
    ).tuples()
    replayed: set[tuple[str, date]] = set()
    other: set[tuple[str, date]] = set()
    for key, contact, created, status, error in rows:
        if created is None:
            continue
        day = as_day(created)
        first = escalation_digest_key(programme_id, contact, day)
        if key == first and status == "suppressed" and not error:
            replayed.add((contact, day))
        elif key == first or (key.startswith(f"{first}:") and key[len(first) + 1 :].isdigit()):
            other.add((contact, day))  # sent or due to be, or a later run's (not a deputy copy)
    return replayed - other


def without_replayed(
    connection: sa.Connection,
    programme_id: str,
    as_of: date,
    questions: Mapping[str, PromptQuestion],
    found: dict[str, PromptFacts],
    withdrawn: Withdrawn,
    unanswered: bool,
) -> dict[str, PromptFacts]:
    """``found`` as a live day counts it: the items whose run first escalated on a day only a
    replay recorded answered again from their prompts, the replay's escalations left out
    (:attr:`PromptFacts.replayed` set where that leaves the current run not escalated)."""
    escalated = {i: f.escalated_on for i, f in found.items() if f.escalated_on is not None}
    if not escalated:
        return found
    days = replayed_days(connection, programme_id)
    if not days:
        return found
    on = {day for _, day in days}
    codes = sorted(i for i, day in escalated.items() if day in on)
    if not codes:
        return found
    held = counted(connection, programme_id, as_of, codes, withdrawn)
    kept: list[PromptRecord] = []
    dropped: set[str] = set()  # items with a replayed escalation of their current run
    for record in held:
        if record.is_escalation and (record.contact_id, record.queued_on) in days:
            if record.stage.startswith(questions[record.item_id].run):
                dropped.add(record.item_id)
            continue
        kept.append(record)
    if not dropped:
        return found
    asked = {i: questions[i] for i in dropped}
    again = facts_from_history(kept, asked, as_of)
    out = dict(found)
    for item_id in dropped:
        facts = again.get(item_id, PromptFacts())
        if not unanswered:
            facts = facts._replace(unanswered={})
        # A live escalation of the run on record beside the replay's: escalated, as before.
        out[item_id] = facts if facts.escalated else facts._replace(replayed=True)
    return out
