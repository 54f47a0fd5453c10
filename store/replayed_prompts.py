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
stores it and the day had no later run for that contact (a live rerun's ``:2``: a replay never
reruns a day). One with no contact (nobody to tell) counts as before.

The digests' keys and states are read (from the index, no rows) only when an item judged has a
run that escalated; the items' prompts are read whole only for those whose run first escalated
on a replayed day.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
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
from store.withdrawn_prompts import Withdrawn, counted


def replayed_days(
    connection: sa.Connection, programme_id: str, days: Collection[date]
) -> set[tuple[str, date]]:
    """(contact, day) of the escalation digests of ``days`` only a replay stored (the module
    notes). The programme's suppressed escalation digests are found in one range of the
    outbox's (programme, key, status) index, from the index alone (the keys name the contact and
    the day; on SQLite a row's own status or error is read by walking its body's pages): none
    in a programme that never replayed, withdrawn ones aside. Only those of ``days`` are read,
    with the day's later run (``:2``, a live rerun of a replayed day), if any."""
    o = OutboxRow.__table__.c
    prefix = escalation_digest_key(programme_id, "", date.min).removesuffix(f":{date.min}")
    keys = connection.execute(
        sa.select(o.key).where(
            o.programme_id == programme_id,
            o.key >= prefix,
            o.key < f"{prefix[:-1]};",
            o.status == "suppressed",
        )
    ).scalars()
    wanted = {day.isoformat() for day in days}
    first: dict[str, tuple[str, date]] = {}  # a day's first digest key → (contact, day)
    start = len(prefix)
    for key in keys:
        # contact (no ':' in a contact id), day, then a later run's number or ``deputy``
        contact, _, rest = key[start:].partition(":")
        day, _, more = rest.partition(":")
        if not more and day in wanted:
            first[key] = (contact, date.fromisoformat(day))
    if not first:
        return set()
    found: dict[str, tuple[str, date]] = {}
    rerun: set[tuple[str, date]] = set()
    asked = [k for key in sorted(first) for k in (key, f"{key}:2")]
    read = sa.select(o.key, o.last_error).where(
        o.programme_id == programme_id, o.key.in_(sa.bindparam("keys", expanding=True))
    )
    for at in range(0, len(asked), 500):
        for key, error in connection.execute(read, {"keys": asked[at : at + 500]}):
            if key in first:
                if not error:  # suppressed with no reason: a replay's
                    found[key] = first[key]
            else:
                rerun.add(first[key.removesuffix(":2")])
    return {pair for pair in found.values() if pair not in rerun}


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
    days = replayed_days(connection, programme_id, set(escalated.values()))
    if not days:
        return found
    on = {day for _, day in days}
    codes = sorted(i for i, day in escalated.items() if day in on)
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
