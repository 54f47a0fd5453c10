"""What else is open for each contact with a digest of the day (walk55b 3): a digest lists only
the items whose stage falls on its day, so it ends with how many more are open and late.

Counted per owner group (perf55c): the items sharing a deadline's ``owners`` have the same
recipients, so each group's open and late items are counted once, as set intersections, and
each contact's counts are the sums over the groups it answers for; a digest's own items are
then taken off. The states arrive as :class:`OpenItems` (the ids per kind of state the count
needs), which the store reads without a Python row per item."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import NamedTuple

from governance.periods import Period
from governance.plan import DeadlineTable, Plan
from governance.rag import State
from governance.reminders.planning import recipients
from governance.reminders.records import Digest

#: The states of an item no longer open: never counted.
CLOSED = frozenset({State.DONE.value, State.CANCELLED.value})
_OVERDUE, _ONGOING = State.OVERDUE.value, State.ONGOING.value


class OpenElsewhere(NamedTuple):
    """A digest's other open items: those its contact is asked about, not in it."""

    open: int
    late: int  # of them, overdue (*te laat*)


class OpenItems(NamedTuple):
    """The item ids the overview counts, by their state on the day: ``open`` every item not
    done or cancelled, ``late`` the overdue ones, ``ongoing`` the ongoing ones (both of them
    within ``open``)."""

    open: frozenset[str]
    late: frozenset[str]
    ongoing: frozenset[str]

    @classmethod
    def of(cls, states: Mapping[str, str]) -> OpenItems:
        """From each item's state value (an item without one is not open)."""
        return cls(frozenset(), frozenset(), frozenset()).with_states(states)

    def with_states(self, states: Mapping[str, str]) -> OpenItems:
        """These items with the states of ``states``' items replaced by those given."""
        changed = states.keys()
        open_ = {i for i, s in states.items() if s not in CLOSED}
        late = {i for i, s in states.items() if s == _OVERDUE}
        ongoing = {i for i, s in states.items() if s == _ONGOING}
        return OpenItems(
            self.open.difference(changed).union(open_),
            self.late.difference(changed).union(late),
            self.ongoing.difference(changed).union(ongoing),
        )


def _owner_groups(table: DeadlineTable) -> dict[tuple[str, ...], frozenset[str]]:
    """The table's item ids by their owners (made for each count, not kept: ≈ 10 ms at 100k
    items, where keeping them would hold ≈ 5 MiB through the rest of the cycle)."""
    members: dict[tuple[str, ...], list[str]] = {}
    for deadline in table.by_id.values():
        members.setdefault(deadline.owners, []).append(deadline.item_id)
    return {owners: frozenset(ids) for owners, ids in members.items()}


def open_elsewhere(
    plan: Plan, states: Mapping[str, str], digests: Iterable[Digest], as_of: date
) -> dict[str, OpenElsewhere]:
    """:func:`count_open_elsewhere` of each plan item's state value on ``as_of`` (an item
    without one is not counted)."""
    return count_open_elsewhere(plan, OpenItems.of(states), digests, as_of)


def count_open_elsewhere(
    plan: Plan, items: OpenItems, digests: Iterable[Digest], as_of: date
) -> dict[str, OpenElsewhere]:
    """Digest key → the other items its contact is asked about (:func:`recipients` of the
    item's owners) that are open and not in the digest, and how many of them are overdue.
    Open as in an update sheet (``regie update-sheet``, where the office can give them all):
    not done or cancelled, nor ongoing work whose start is after ``as_of``
    (:func:`governance.item_start.not_started`). ``items``: the plan items' states on
    ``as_of``, from the assessment the digests come from."""
    digests = list(digests)
    if not digests:
        return {}
    table = plan.deadline_table()
    by_id = table.by_id
    # Not asked about yet (as an update sheet or a status round leaves it).
    waiting = frozenset(
        i for i in items.ongoing if i in by_id and _starts_after(by_id[i].period, as_of)
    )
    open_, late = items.open, items.late
    contacts = {d.contact_id for d in digests}
    counts = {c: [0, 0] for c in contacts}  # open, late
    reached: dict[str, set[tuple[str, ...]]] = {c: set() for c in contacts}
    for owners, ids in _owner_groups(table).items():
        to = [c for c in recipients(plan, owners) if c in contacts]
        if not to:
            continue
        n_open = len(ids & open_) - (len(ids & waiting) if waiting else 0)
        n_late = len(ids & late)
        for contact in to:
            counts[contact][0] += n_open
            counts[contact][1] += n_late
            reached[contact].add(owners)
    out = {}
    for digest in digests:
        mine = reached[digest.contact_id]
        listed = {
            i.item_id
            for i in digest.items
            if i.item_id in open_
            and i.item_id not in waiting
            and i.item_id in by_id
            and by_id[i.item_id].owners in mine
        }
        n_open, n_late = counts[digest.contact_id]
        out[digest.key] = OpenElsewhere(n_open - len(listed), n_late - len(listed & late))
    return out


def _starts_after(period: Period | None, as_of: date) -> bool:
    start = period.start if period is not None else None
    return start is not None and as_of < start
