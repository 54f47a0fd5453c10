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
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
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


class EscalationOverview(NamedTuple):
    """The other open items an escalation's copy ends with (fix57f 2): a deputy's copy, those
    of the contacts the deputy stands in for (``deputies``: deputy id → counts, less the
    copy's items); the office's, each escalated item's owner's (``owners``: organisation id →
    counts, less the day's escalated items), in the digests' rule (:class:`OpenCounts`)."""

    deputies: Mapping[str, OpenElsewhere]
    owners: Mapping[str, OpenElsewhere]


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
_NO_GROUPS: frozenset[tuple[str, ...]] = frozenset()


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
    counts = OpenCounts(plan, items, as_of, today=today)
    return {
        d.key: counts.of_contacts({d.contact_id}, [i.item_id for i in d.items]) for d in digests
    }


class OpenCounts:
    """The open and late items of each owner group on ``as_of`` (counted once), to count a
    message's other open items from: a contact's (:meth:`of_contacts`: a digest's, a deputy's
    copy of escalations) or an organisation's (:meth:`of_owner`: the escalation digest's
    owners, fix57f 2). The states as :func:`count_open_elsewhere` takes them."""

    def __init__(
        self,
        plan: Plan,
        items: OpenItems,
        as_of: date,
        *,
        today: Mapping[str, str] | None = None,
    ) -> None:
        self.plan = plan
        today = today or {}
        self.today = today
        self.items = items
        by_id = self.by_id = plan.deadline_table().by_id
        now = OpenItems.of(today)
        kept = today.__contains__  # a remembered state the day's replaces

        def ids(remembered: Sequence[str], todays: Sequence[str]) -> Iterator[str]:
            return chain(filterfalse(kept, remembered), todays)

        # Not asked about yet (as an update sheet or a status round leaves it): ongoing work
        # before its start, the programme's when its period names none (review55b 6).
        begins = plan.programme.start
        self.waiting = {
            i
            for i in ids(items.ongoing, now.ongoing)
            if i in by_id and before_start(_ONGOING, work_start(by_id[i].period, begins), as_of)
        }
        # Each owner group's open and late items (an item not in the plan is not counted).
        groups = Counter(map(_owners, filter(None, map(by_id.get, ids(items.open, now.open)))))
        groups.subtract(by_id[i].owners for i in self.waiting)
        self.groups = groups
        self.late = Counter(map(_owners, filter(None, map(by_id.get, ids(items.late, now.late)))))
        self._reached: dict[str, set[tuple[str, ...]]] | None = None
        self._remembered: tuple[frozenset[str], frozenset[str]] | None = None

    def reached(self) -> dict[str, set[tuple[str, ...]]]:
        """Contact id → the owner groups it is asked about (:func:`recipients`), worked out
        once for the groups with open items."""
        if self._reached is None:
            found: dict[str, set[tuple[str, ...]]] = {}
            for owners in self.groups:
                for contact in recipients(self.plan, owners):
                    found.setdefault(contact, set()).add(owners)
            self._reached = found
        return self._reached

    def of_contacts(self, contacts: Collection[str], listed: Iterable[str]) -> OpenElsewhere:
        """The open (and late) items the ``contacts`` are asked about, each once (a co-owned
        item of two of them too), less those ``listed`` in the message."""
        reached = self.reached()
        if len(contacts) == 1:  # a digest's: its contact's groups as they are
            (contact,) = contacts
            return self._count(reached.get(contact, _NO_GROUPS), listed)
        mine: set[tuple[str, ...]] = set()
        for contact in contacts:
            mine.update(reached.get(contact, ()))
        return self._count(mine, listed)

    def of_owner(self, org: str, listed: Iterable[str]) -> OpenElsewhere:
        """The open (and late) items ``org`` owns (alone or with others), less those
        ``listed`` in the message."""
        return self._count({g for g in self.groups if org in g}, listed)

    def _count(self, mine: Collection[tuple[str, ...]], listed: Iterable[str]) -> OpenElsewhere:
        groups, late = self.groups, self.late
        n_open = sum(groups[g] for g in mine)
        n_late = sum(late[g] for g in mine)
        for item_id in set(listed):
            deadline = self.by_id.get(item_id)
            if deadline is None or deadline.owners not in mine or item_id in self.waiting:
                continue
            state = self._state(item_id)
            if state is None or state in CLOSED:
                continue
            n_open -= 1
            n_late -= state == _OVERDUE
        return OpenElsewhere(n_open, n_late)

    def _state(self, item_id: str) -> str | None:
        """A listed item's state value: today's (re-assessed), else the remembered one's kind."""
        found = self.today.get(item_id)
        if found is not None:
            return found
        if self._remembered is None:  # rare: a listed item not re-assessed today
            self._remembered = (frozenset(self.items.open), frozenset(self.items.late))
        open_, late = self._remembered
        if item_id in late:
            return _OVERDUE
        return "open" if item_id in open_ else None


_owners = attrgetter("owners")  # a deadline's (mapped in C over 70k open items at 100k)
