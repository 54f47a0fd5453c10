"""Whether an escalated item changed hands lately, told from its prompts (hands33): the office
must not chase a contact who got the item a day ago without knowing it."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import date
from typing import NamedTuple

from governance.reminders.records import PromptRecord
from governance.reminders.succession import taken_over_from


class HandedOver(NamedTuple):
    """An item's hand-over, as its escalation names it."""

    on: date  # the first request to the new contacts (the hand-over request)
    to: tuple[str, ...]  # the new contacts first asked that day
    # Their predecessors (governance.reminders.succession) asked last before them.
    previous: tuple[str, ...]


def handed_over(
    records: Iterable[PromptRecord],
    current: Collection[str],
    since: date | None,
    as_of: date,
    *,
    via: Mapping[str, Collection[str]] | None = None,
    owners: Collection[str] = (),
    org_of: Mapping[str, str] | None = None,
) -> HandedOver | None:
    """The hand-over of an item whose contacts are now ``current``, from its prompts
    (``records``; escalations and those after ``as_of`` are left out): current contacts first
    asked about it after their predecessors were (:func:`taken_over_from`: their own
    organisation's contacts who no longer answer for it, or after an owner change the former
    owner's; ``via``: each current contact's organisations among the item's ``owners``,
    :func:`governance.reminders.planning.asked_through`; ``org_of``: the organisation of each
    contact, current and archived). Without ``via`` and ``org_of`` every contact who left
    counts as anyone's predecessor. Told only when it came after the item's latest update
    (``since``; None: no update), so within the silence the escalation is about: part of it
    was the predecessor's, and the new contact has not answered yet. An answer since then
    starts a new run, and its escalation needs no such word. Of several hand-overs the latest
    (review55c 1). None otherwise (no hand-over, or an older one)."""
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
    orgs = org_of or {}
    taken: dict[str, set[str]] = {}  # newcomer → their predecessors
    for contact, day in first.items():
        if contact not in current:
            continue
        mine = (via or {}).get(contact, ())
        # Only those asked before them: a colleague first asked the same day or later, even one
        # who left since, is not their predecessor (review55c 1).
        before = {c: (first[c], last[c]) for c in first if first[c] < day}
        found = taken_over_from(before, current, mine, owners, orgs)
        if found:
            taken[contact] = found
    if not taken:
        return None
    on = max(first[c] for c in taken)  # the latest hand-over
    if since is not None and on <= since:
        return None
    to = sorted(c for c in taken if first[c] == on)
    previous: set[str] = set()
    for contact in to:
        asked = {c: min(last[c], on) for c in taken[contact]}
        latest = max(asked.values())
        previous.update(c for c, d in asked.items() if d == latest)
    return HandedOver(on, tuple(to), tuple(sorted(previous)))
