"""What else is open for each contact with a digest of the day (walk55b 3): a digest lists only
the items whose stage falls on its day, so it ends with how many more are open and late."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import NamedTuple

from governance.item_start import asked_about, before_start, work_start
from governance.plan import Plan
from governance.rag import State
from governance.reminders.planning import recipients
from governance.reminders.records import Digest


class OpenElsewhere(NamedTuple):
    """A digest's other open items: those its contact is asked about, not in it."""

    open: int
    late: int  # of them, overdue (*te laat*)


def open_elsewhere(
    plan: Plan, states: Mapping[str, str], digests: Iterable[Digest], as_of: date
) -> dict[str, OpenElsewhere]:
    """Digest key → the other items its contact is asked about (:func:`recipients` of the
    item's owners) that are open and not in the digest, and how many of them are overdue.
    Open as an update sheet (``regie update-sheet``) counts them: the one rule
    :func:`governance.item_start.asked_about` — not done or cancelled, nor ongoing work whose
    start (the programme's when its period names none) is after ``as_of``
    (review55b 6). ``states``: each plan item's state value on
    ``as_of``, from the assessment the digests come from (an item without one is not
    counted)."""
    digests = list(digests)
    if not digests:
        return {}
    contacts = {d.contact_id for d in digests}
    per_contact: dict[str, list[str]] = {c: [] for c in contacts}  # open item ids
    late: dict[str, set[str]] = {c: set() for c in contacts}
    asked: dict[tuple[str, ...], list[str]] = {}
    overdue, begins = State.OVERDUE.value, plan.programme.start
    for deadline in plan.deadline_table().by_id.values():
        state = states.get(deadline.item_id)
        if state is None:
            continue
        early = before_start(state, work_start(deadline.period, begins), as_of)
        if not asked_about(state, early):
            continue  # finished, or not asked about yet (as a status round leaves it)
        to = asked.get(deadline.owners)
        if to is None:
            to = asked[deadline.owners] = [
                c for c in recipients(plan, deadline.owners) if c in contacts
            ]
        for contact in to:
            per_contact[contact].append(deadline.item_id)
            if state == overdue:
                late[contact].add(deadline.item_id)
    out = {}
    for digest in digests:
        listed = {i.item_id for i in digest.items}
        others = [i for i in per_contact[digest.contact_id] if i not in listed]
        overdue_ones = late[digest.contact_id]
        out[digest.key] = OpenElsewhere(len(others), sum(1 for i in others if i in overdue_ones))
    return out
