"""Whom a contact new to an item took it over from: the rule the digest's hand-over and the
escalation's hand-over note share (walk55b 1, review55b 1; the package notes, Hand-over)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date


def taken_over_from(
    asked_before: Mapping[str, tuple[date, date]],
    current: Collection[str],
    via: Collection[str],
    owners: Collection[str],
    org_of: Mapping[str, str],
) -> set[str]:
    """The predecessors of a contact asked about an item through the organisations ``via`` (of
    its ``owners``, :func:`governance.reminders.planning.asked_through`), among the contacts
    asked about it before them (``asked_before``, with the first and last day each was asked)
    who are no longer asked (``current``: the item's recipients now):

    - those who answered for one of the contact's own organisations ``via``;
    - when there are none and nobody of those organisations was asked before (the item changed
      owner): those who answered for an organisation that no longer owns it, or whose
      organisation is not known any more (``org_of``: the plan's and the archived contacts').

    Never a colleague still asked beside them, nor a contact of another organisation that
    still owns the item; so a later hand-over inside the new owner never names the old
    owner's contacts again. Nor one whose place a colleague still asked had already taken: a
    current contact of the same organisation, asked before them, first asked after that one's
    last prompt; so a contact added beside a colleague who stays took nothing over, however
    long ago that colleague's predecessor left (fix55r)."""
    taken = _places_taken(asked_before, current, org_of)
    gone = [c for c in asked_before if c not in current and c not in taken]
    own = {c for c in gone if org_of.get(c) in via}
    if own or any(org_of.get(c) in via for c in asked_before):
        return own
    return {c for c in gone if c not in org_of or org_of[c] not in owners}


def _places_taken(
    asked_before: Mapping[str, tuple[date, date]],
    current: Collection[str],
    org_of: Mapping[str, str],
) -> set[str]:
    """The contacts who left whose place a current colleague of their organisation took: one
    first asked after their last prompt (so never asked beside them)."""
    since: dict[str, date] = {}  # organisation → the latest first day of a current contact
    for c, (first, _) in asked_before.items():
        org = org_of.get(c)
        if c in current and org is not None and (org not in since or first > since[org]):
            since[org] = first
    return {
        c
        for c, (_, last) in asked_before.items()
        if c not in current and c in org_of and org_of[c] in since and last < since[org_of[c]]
    }
