"""What else is open for each contact with a digest of the day (walk55b 3): a digest lists only
the items whose stage falls on its day, so it ends with how many more are open and late."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import NamedTuple

from governance.periods import Period
from governance.plan import Plan
from governance.rag import State
from governance.reminders.planning import recipients
from governance.reminders.records import Digest

#: The states of an item no longer open: never counted.
CLOSED = frozenset({State.DONE.value, State.CANCELLED.value})


class OpenElsewhere(NamedTuple):
    """A digest's other open items: those its contact is asked about, not in it."""

    open: int
    late: int  # of them, overdue (*te laat*)


def open_elsewhere(
    plan: Plan, states: Mapping[str, str], digests: Iterable[Digest], as_of: date
) -> dict[str, OpenElsewhere]:
    """Digest key → the other items its contact is asked about (:func:`recipients` of the
    item's owners) that are open and not in the digest, and how many of them are overdue.
    Open as in an update sheet (``regie update-sheet``, where the office can give them all):
    not done or cancelled, nor ongoing work whose start is after ``as_of``
    (:func:`governance.item_start.not_started`). ``states``: each plan item's state value on
    ``as_of``, from the assessment the digests come from (an item without one is not
    counted)."""
    digests = list(digests)
    if not digests:
        return {}
    contacts = {d.contact_id for d in digests}
    per_contact: dict[str, list[str]] = {c: [] for c in contacts}  # open item ids
    late: dict[str, set[str]] = {c: set() for c in contacts}
    asked: dict[tuple[str, ...], list[str]] = {}
    overdue, ongoing = State.OVERDUE.value, State.ONGOING.value
    for deadline in plan.deadline_table().by_id.values():
        state = states.get(deadline.item_id)
        if state is None or state in CLOSED:
            continue
        if state == ongoing and _starts_after(deadline.period, as_of):
            continue  # not asked about yet (as an update sheet or a status round leaves it)
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


def _starts_after(period: Period | None, as_of: date) -> bool:
    start = period.start if period is not None else None
    return start is not None and as_of < start
