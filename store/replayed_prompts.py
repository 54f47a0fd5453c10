"""Escalations only `regie replay` recorded, as a live day counts them: not at all (fix57b).

A replay records every escalation it raises as a prompt (stage ``escalation:…``) for each
programme-office contact, and the contact's escalation digest of the day as ``suppressed``
without a reason (``store.prompt_delivery._given``'s "recorded by `regie replay`"): nobody
received it. On a live day (``regie cycle``) such an escalation does not count as made: the
item's run has not escalated, so it escalates once, live, when it still is late and
unanswered (its key ends in :data:`governance.reminders.AFTER_REPLAY`: the replayed key stays
on record). The replay's own days count them, or it would escalate the item every day.

An escalation prompt is a replay's when the digest that carried it to its contact is on
record as a replay stores it (:func:`replay_carried`): decided per escalation, not per
contact and day (fix57m). A live `regie cycle` may rerun the replay's last day (`regie replay
--to` today, then the day's cycle): its escalations go in a digest of their own (``…:2``), those
of items the replay escalated under :data:`~governance.reminders.AFTER_REPLAY` keys (events of
their own beside the replay's), any other under its plain key; the replay's escalations of the
day still reached nobody. One with no contact (nobody to tell) counts as before.

The digests' keys and states are read (from the index, no rows) only when an item judged has a
run that escalated; the escalation events and the prompts of the items are read only for those
whose run first escalated on a day with a digest a replay stored.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date

import sqlalchemy as sa

from governance.events import ESCALATION_RAISED
from governance.reminders import (
    PromptFacts,
    PromptQuestion,
    PromptRecord,
    escalation_digest_key,
    facts_from_history,
)
from store.models import EventRow, OutboxRow
from store.withdrawn_prompts import Withdrawn, counted


def replay_digests(
    connection: sa.Connection, programme_id: str, days: Collection[date]
) -> set[str]:
    """The keys of the escalation digests of ``days`` only a replay stored: suppressed with no
    reason (the module notes), a day's first or a later run's. The programme's suppressed
    escalation digests are found in one range of the outbox's (programme, key, status) index,
    from the index alone (the keys name the contact and the day; on SQLite a row's own status
    or error is read by walking its body's pages): none in a programme that never replayed,
    withdrawn ones aside. Only those of ``days`` are read, for their reason."""
    o = OutboxRow.__table__.c
    prefix = _prefix(programme_id)
    keys = connection.execute(
        sa.select(o.key).where(
            o.programme_id == programme_id,
            o.key >= prefix,
            o.key < f"{prefix[:-1]};",
            o.status == "suppressed",
        )
    ).scalars()
    wanted, start = {day.isoformat() for day in days}, len(prefix)
    of_days = sorted(k for k in keys if _day(start, k) in wanted)
    stored: set[str] = set()
    read = sa.select(o.key, o.last_error).where(
        o.programme_id == programme_id, o.key.in_(sa.bindparam("keys", expanding=True))
    )
    for at in range(0, len(of_days), 500):
        for key, error in connection.execute(read, {"keys": of_days[at : at + 500]}):
            if not error:  # suppressed with no reason: a replay's
                stored.add(key)
    return stored


def replay_carried(
    connection: sa.Connection,
    programme_id: str,
    codes: Collection[str],
    stored: Collection[str],
) -> set[tuple[str, str, str, date]]:
    """(item, escalation key, contact, day) of the escalations of ``codes`` that only a digest a
    replay ``stored`` (:func:`replay_digests`) carried to their contact: read from the items'
    ``regie.escalation.raised`` events of those digests' days, which name the escalation's key,
    its contacts and the digests that carry it to each (a rerun's are numbered). An event
    recorded before events named their digests: the contact's first digest of the day."""
    if not codes or not stored:
        return set()
    start = len(_prefix(programme_id))
    days = sorted({date.fromisoformat(_day(start, k)) for k in stored})
    e = EventRow.__table__.c
    read = sa.select(e.item_code, e.occurred_on, e.payload).where(
        e.programme_id == programme_id,
        e.name == ESCALATION_RAISED,
        e.item_code.in_(sa.bindparam("codes", expanding=True)),
        e.occurred_on.in_(days),
    )
    found: set[tuple[str, str, str, date]] = set()
    wanted = sorted(codes)
    for at in range(0, len(wanted), 500):
        for item, day, payload in connection.execute(read, {"codes": wanted[at : at + 500]}):
            key, contacts, carriers = _carried(payload or {})
            if not carriers:  # before events named their digests (one per contact)
                carriers = [escalation_digest_key(programme_id, c, day) for c in contacts]
            for contact, digest in zip(contacts, carriers, strict=False):
                if digest in stored:
                    found.add((item, key, contact, day))
    return found


def _prefix(programme_id: str) -> str:
    """What every escalation digest key of the programme starts with."""
    return escalation_digest_key(programme_id, "", date.min).removesuffix(f":{date.min}")


def _day(start: int, key: str) -> str:
    """The day (ISO) of an escalation digest's key (``start``: the length of :func:`_prefix`):
    after the contact (no ':' in a contact id); then maybe a later run's number or ``deputy``."""
    return key[start:].split(":", 2)[1]


def _carried(payload: Mapping[str, object]) -> tuple[str, list[str], list[str]]:
    """An escalation event's key, its contacts and the digests carrying it, in their order."""
    contacts, digests = payload.get("contacts") or "", payload.get("digests") or ""
    return (
        str(payload.get("key") or ""),
        [c for c in str(contacts).split(",") if c],
        [d for d in str(digests).split(",") if d],
    )


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
    stored = replay_digests(connection, programme_id, set(escalated.values()))
    if not stored:
        return found
    start = len(_prefix(programme_id))
    on = {_day(start, k) for k in stored}
    codes = sorted(i for i, day in escalated.items() if day.isoformat() in on)
    replayed = replay_carried(connection, programme_id, codes, stored)
    if not replayed:
        return found
    held = counted(connection, programme_id, as_of, codes, withdrawn)
    kept: list[PromptRecord] = []
    dropped: set[str] = set()  # items with a replayed escalation of their current run
    for record in held:
        if record.is_escalation and (
            (record.item_id, record.stage, record.contact_id, record.queued_on) in replayed
        ):
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
