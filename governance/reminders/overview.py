"""What else is open for each contact with a digest of the day (walk55b 3): a digest lists only
the items whose stage falls on its day, so it ends with how many more are open and late.

Counted per owner group (perf55c): the items sharing a deadline's ``owners`` have the same
recipients, so the open and late items are counted per group, and each contact's counts are
the sums over the groups it answers for; a digest's own items are then taken off. The states
arrive as :class:`OpenItems` (the ids per kind of state the count needs), which the store
reads without a Python row per item, and the day's own states replace them: no set of
every item is made."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from itertools import chain, filterfalse
from operator import attrgetter
from typing import NamedTuple

from governance.item_start import before_start, work_start
from governance.plan import Plan
from governance.rag import FINISHED_STATES, State
from governance.reminders.planning import recipients
from governance.reminders.records import Digest

#: The states of an item no longer open: never counted (as on an update sheet:
#: :func:`governance.item_start.asked_about`).
CLOSED = FINISHED_STATES
_OVERDUE, _ONGOING = State.OVERDUE.value, State.ONGOING.value


class OpenElsewhere(NamedTuple):
    """A digest's other open items: those its contact is asked about, not in it."""

    open: int
    late: int  # of them, overdue (*te laat*)


class OpenItems(NamedTuple):
    """The item ids the overview counts, by their state: ``open`` every item not done or
    cancelled, ``late`` the overdue ones, ``ongoing`` the ongoing ones (both of them within
    ``open``); each id once in each."""

    open: Sequence[str]
    late: Sequence[str]
    ongoing: Sequence[str]

    @classmethod
    def of(cls, states: Mapping[str, str]) -> OpenItems:
        """From each item's state value (an item without one is not open)."""
        return cls(
            [i for i, s in states.items() if s not in CLOSED],
            [i for i, s in states.items() if s == _OVERDUE],
            [i for i, s in states.items() if s == _ONGOING],
        )


NOTHING = OpenItems((), (), ())


def open_elsewhere(
    plan: Plan, states: Mapping[str, str], digests: Iterable[Digest], as_of: date
) -> dict[str, OpenElsewhere]:
    """:func:`count_open_elsewhere` of each plan item's state value on ``as_of`` (an item
    without one is not counted)."""
    return count_open_elsewhere(plan, NOTHING, digests, as_of, today=states)


def count_open_elsewhere(
    plan: Plan,
    items: OpenItems,
    digests: Iterable[Digest],
    as_of: date,
    *,
    today: Mapping[str, str] | None = None,
) -> dict[str, OpenElsewhere]:
    """Digest key → the other items its contact is asked about (:func:`recipients` of the
    item's owners) that are open and not in the digest, and how many of them are overdue.
    Open as an update sheet (``regie update-sheet``) counts them: the one rule
    :func:`governance.item_start.asked_about` — not done or cancelled, nor ongoing work whose
    start (the programme's when its period names none) is after ``as_of`` (review55b 6). The
    plan items' states on ``as_of``: ``today``'s state value of an item in it, else
    ``items``' (an item in neither is not counted)."""
    digests = list(digests)
    if not digests:
        return {}
    today = today or {}
    by_id = plan.deadline_table().by_id
    now = OpenItems.of(today)
    kept = today.__contains__  # a remembered state the day's replaces

    def ids(remembered: Sequence[str], todays: Sequence[str]) -> Iterator[str]:
        return chain(filterfalse(kept, remembered), todays)

    # Not asked about yet (as an update sheet or a status round leaves it): ongoing work before
    # its start, the programme's when its period names none (review55b 6).
    begins = plan.programme.start
    waiting = {
        i
        for i in ids(items.ongoing, now.ongoing)
        if i in by_id and before_start(_ONGOING, work_start(by_id[i].period, begins), as_of)
    }
    # Each owner group's open and late items (an item not in the plan is not counted).
    groups = Counter(map(_owners, filter(None, map(by_id.get, ids(items.open, now.open)))))
    groups.subtract(by_id[i].owners for i in waiting)
    late = Counter(map(_owners, filter(None, map(by_id.get, ids(items.late, now.late)))))
    contacts = {d.contact_id for d in digests}
    counts = {c: [0, 0] for c in contacts}  # open, late
    reached: dict[str, set[tuple[str, ...]]] = {c: set() for c in contacts}
    for owners, n_open in groups.items():
        for contact in recipients(plan, owners):
            if contact in contacts:
                counts[contact][0] += n_open
                counts[contact][1] += late[owners]
                reached[contact].add(owners)
    # The digests' own items (re-assessed today, so in ``today``, unless a caller says not).
    listed = {i.item_id for d in digests for i in d.items}
    earlier = listed.difference(today)
    is_open = {i: today[i] not in CLOSED for i in listed.intersection(today)}
    is_late = {i: today[i] == _OVERDUE for i in listed.intersection(today)}
    if earlier:
        is_open.update((i, True) for i in earlier.intersection(items.open))
        is_late.update((i, True) for i in earlier.intersection(items.late))
    out = {}
    for digest in digests:
        mine = reached[digest.contact_id]
        own = {
            i.item_id
            for i in digest.items
            if is_open.get(i.item_id)
            and i.item_id not in waiting
            and i.item_id in by_id
            and by_id[i.item_id].owners in mine
        }
        n_open, n_late = counts[digest.contact_id]
        n_own_late = sum(1 for i in own if is_late.get(i))
        out[digest.key] = OpenElsewhere(n_open - len(own), n_late - n_own_late)
    return out


_owners = attrgetter("owners")  # a deadline's (mapped in C over 70k open items at 100k)
