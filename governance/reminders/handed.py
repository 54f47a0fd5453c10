"""Whether an escalated item changed hands lately, told from its prompts (hands33): the office
must not chase a contact who got the item a day ago without knowing it."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date
from typing import NamedTuple

from governance.reminders.records import PromptRecord


class HandedOver(NamedTuple):
    """An item's hand-over, as its escalation names it."""

    on: date  # the first request to the new contacts (the hand-over request)
    to: tuple[str, ...]  # the new contacts first asked that day
    previous: tuple[str, ...]  # who was asked last before them and no longer answers for it


def handed_over(
    records: Iterable[PromptRecord], current: Collection[str], since: date | None, as_of: date
) -> HandedOver | None:
    """The hand-over of an item whose contacts are now ``current``, from its prompts
    (``records``; escalations and those after ``as_of`` are left out): current contacts first
    asked about it after the contacts who no longer answer for it were. Told only when it came
    after the item's latest update (``since``; None: no update), so within the silence the
    escalation is about: part of it was the predecessor's, and the new contact has not
    answered yet. An answer since then starts a new run, and its escalation needs no such
    word. None otherwise (no hand-over, or an older one)."""
    first: dict[str, date] = {}
    last: dict[str, date] = {}
    for r in records:
        day = r.queued_on
        if r.is_escalation or day > as_of:
            continue
        contact = r.contact_id
        if contact not in first or day < first[contact]:
            first[contact] = day
        if contact not in last or day > last[contact]:
            last[contact] = day
    gone = [c for c in first if c not in current]
    if not gone:
        return None
    # The newcomers: first asked after the last of those who left was (a contact who still
    # answers for the item beside them was asked before and took nothing over).
    joined = max(first[c] for c in gone)
    new = {c: d for c, d in first.items() if c in current and d > joined}
    if not new:
        return None
    on = min(new.values())
    if since is not None and on <= since:
        return None
    before = {c: min(last[c], on) for c in gone if first[c] < on}
    latest = max(before.values())
    return HandedOver(
        on,
        tuple(sorted(c for c, d in new.items() if d == on)),
        tuple(sorted(c for c, d in before.items() if d == latest)),
    )
