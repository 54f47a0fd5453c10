"""A rerun of a day queues its messages under keys of their own (``key:2`` …)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import replace

from governance.events import ESCALATION_RAISED, REMINDER_QUEUED, DomainEvent
from governance.reminders.records import ReminderPlan


def free_key(key: str, taken: Collection[str]) -> str:
    """``key``, or when an earlier run of the day queued a message under it, the first of
    ``key:2``, ``key:3`` … not taken."""
    if key not in taken:
        return key
    n = 2
    while f"{key}:{n}" in taken:
        n += 1
    return f"{key}:{n}"


def is_addition(key: str) -> bool:
    """Whether :func:`free_key` numbered ``key``: a later run's message of the day, which adds
    to the first (no base key ends in a number: they end in ``digest``, a date or ``deputy``)."""
    return key.rpartition(":")[2].isdigit()


def with_free_keys(reminders: ReminderPlan, taken: Collection[str]) -> ReminderPlan:
    """``reminders`` with every digest and escalation digest under a key no message has yet
    (``taken``: the outbox keys of the day). A rerun of a day (after an owner's answer, a plan
    edit) prompts only what the earlier run did not: under that run's key its digest would be
    taken for the one already queued, and its prompts recorded as sent but never sent. The
    reminder and escalation events name the digests that carry them."""
    if not taken:
        return reminders
    renamed: dict[str, str] = {}
    digests = []
    for d in reminders.digests:
        key = renamed[d.key] = free_key(d.key, taken)
        digests.append(d if key == d.key else replace(d, key=key))
    escalation_digests = []
    for e in reminders.escalation_digests:
        key = renamed[e.key] = free_key(e.key, taken)
        escalation_digests.append(e if key == e.key else replace(e, key=key))
    events = tuple(_carried_by(e, renamed) for e in reminders.events)
    return replace(
        reminders,
        digests=tuple(digests),
        escalation_digests=tuple(escalation_digests),
        events=events,
    )


def _carried_by(event: DomainEvent, renamed: Mapping[str, str]) -> DomainEvent:
    """``event`` naming the renamed digests that carry it (``digest`` of a reminder,
    ``digests`` of an escalation: one per contact)."""
    if event.name == REMINDER_QUEUED:
        digest = event.payload.get("digest")
        if isinstance(digest, str) and renamed.get(digest, digest) != digest:
            return replace(event, payload={**event.payload, "digest": renamed[digest]})
    elif event.name == ESCALATION_RAISED:
        digests = event.payload.get("digests")
        if isinstance(digests, str) and digests:
            keys = digests.split(",")
            if any(renamed.get(k, k) != k for k in keys):
                named = ",".join(renamed.get(k, k) for k in keys)
                return replace(event, payload={**event.payload, "digests": named})
    return event
