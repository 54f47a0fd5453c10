"""Whom a contact new to an item took it over from: the rule the digest's hand-over and the
escalation's hand-over note share (walk55b 1, review55b 1; the package notes, Hand-over)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping


def taken_over_from(
    asked_before: Iterable[str],
    current: Collection[str],
    via: Collection[str],
    owners: Collection[str],
    org_of: Mapping[str, str],
) -> set[str]:
    """The predecessors of a contact asked about an item through the organisations ``via`` (of
    its ``owners``, :func:`governance.reminders.planning.asked_through`), among the contacts
    asked about it before them (``asked_before``) who are no longer asked (``current``: the
    item's recipients now):

    - those who answered for one of the contact's own organisations ``via``;
    - when there are none and nobody of those organisations was asked before (the item changed
      owner): those who answered for an organisation that no longer owns it, or whose
      organisation is not known any more (``org_of``: the plan's and the archived contacts').

    Never a colleague still asked beside them, nor a contact of another organisation that
    still owns the item; so a later hand-over inside the new owner never names the old
    owner's contacts again."""
    before = list(asked_before)
    gone = [c for c in before if c not in current]
    own = {c for c in gone if org_of.get(c) in via}
    if own or any(org_of.get(c) in via for c in before):
        return own
    return {c for c in gone if c not in org_of or org_of[c] not in owners}
