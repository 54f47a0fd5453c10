"""Who a status round's request is put to *now*: the rule its chase (and every later message of
the open round) follows, under the plan and rule of the day it is sent.

A round records whom it asked (``round_requests``, append-only); the plan may change while the
round is open, and a request then goes to whoever answers for the item that day
(:meth:`governance.plan.Plan.answering_for`, :func:`governance.reminders.recipients`), not
necessarily to the contact it was first put to (office50).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from governance.answers import contact
from governance.plan import Plan
from governance.reminders import recipients


def answering_now(
    plan: Plan,
    contact_id: str,
    organisation: str,
    owners: Sequence[str] | None,
    asked_for: Collection[str],
) -> dict[str, str | None]:
    """Contact id → note (an organisation left without a contact, as :func:`recipients`
    words it) for whom a request made of ``contact_id`` for ``organisation`` about an item
    goes to now. ``owners``: the item's owners in the plan (None: no longer in it);
    ``asked_for``: the organisations whose own (not programme-office) contacts the round
    asked about the item.

    A contact still of ``organisation`` keeps its request; one who left passes it to the
    organisation's contacts of today. A programme-office contact was asked as the stand-in for
    the item's owners whose own contacts were not asked: it keeps the request only while it
    still answers for one of them. Once they all have a contact of their own (a plan edit, or
    the rule that the office answers for an organisation only when it has no other: office49),
    the request goes to those contacts and the office is no longer asked. An owner whose own
    contact was asked (the office's own organisation, under the rule before office49) is that
    contact's alone.

    A stand-in request is told by its organisation not owning the item, not by the contact's
    office flag today (review50 2): once the contact asked is replaced or no longer of the
    office, whoever answers for the stood-in owners now has it (a new office contact too)."""
    person = contact(plan, contact_id)
    stand_in = bool(owners) and organisation not in (owners or ())
    if not stand_in and (person is None or not person.programme_office):
        if person is not None and person.organisation == organisation:
            return {contact_id: None}
        return recipients(plan, (organisation,))
    if not owners:  # an item without owner, or out of the plan: the office's to answer
        return {contact_id: None}
    stood_in_for = [org for org in owners if org not in asked_for]
    now = recipients(plan, stood_in_for) if stood_in_for else {}
    if contact_id not in now:
        # Answered for as the office was asked: no note (the office of today stands in).
        return {to: None if stand_in else note for to, note in now.items()}
    office = {c.id for c in plan.contacts if c.programme_office}
    # The office answers as it was asked (no note); another office contact was asked too.
    return {contact_id: None} | {to: note for to, note in now.items() if to not in office}
