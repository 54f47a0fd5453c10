"""The memory's tally (see :mod:`governance.incremental`): how many remembered items there are
per state, and per colour of each action, so that an incremental day counts and rolls up the
whole plan from one row per action instead of every item's row; and how one day's rows change
it.
"""

from __future__ import annotations

import operator
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple, Protocol

from governance.rag import SEVERITY_OF_VALUE


class CountedRow(Protocol):
    """What the tally counts of a remembered item's row (:class:`governance.incremental.
    Remembered`): its action, colour value and state value."""

    @property
    def action_id(self) -> str: ...

    @property
    def rag(self) -> str: ...

    @property
    def state(self) -> str: ...


#: A colour value's place in an action's :data:`Counts`: grey, green, amber, red (the order of
#: :func:`governance.rag.worst`'s severity).
COLOUR_ORDER = tuple(sorted(SEVERITY_OF_VALUE, key=SEVERITY_OF_VALUE.__getitem__))
COLOUR_PLACE = {value: n for n, value in enumerate(COLOUR_ORDER)}
#: How many of an action's remembered items have each colour, in :data:`COLOUR_ORDER`.
Counts = tuple[int, ...]
NO_ITEMS: Counts = (0,) * len(COLOUR_ORDER)


def worst_value(counts: Sequence[int]) -> str | None:
    """The colour value of an action with these counts (:func:`governance.rag.worst`: the worst
    colour among its items, grey only when all are); None: it has no item."""
    for place in range(len(counts) - 1, -1, -1):
        if counts[place] > 0:
            return COLOUR_ORDER[place]
    return None


class Tally(NamedTuple):
    """How many remembered items there are per state value, and per colour of each action:
    the day's counts and roll-ups without every item's row (one row per action, 10,000 at
    100k items). ``items`` is the actions' sum; a reader checks the states add up to the
    same. ``stored``: read from the stored tally (which the day then changes in place,
    :func:`tally_changes`), not counted from the rows."""

    states: Mapping[str, int]
    actions: Mapping[str, Counts]
    items: int
    stored: bool = False

    @classmethod
    def of_counts(
        cls, states: Mapping[str, int], actions: Mapping[str, Counts], *, stored: bool = False
    ) -> Tally:
        """From the counts per state value and per action."""
        return cls(dict(states), dict(actions), sum(map(sum, actions.values())), stored)

    @classmethod
    def of(cls, memory: Mapping[str, CountedRow]) -> Tally:
        """Counted from the rows of ``memory``: per (action, colour, state) in C, then those
        groups (38,000 at 100k items) per action and per state."""
        actions: dict[str, list[int]] = {}
        states: dict[str, int] = {}
        place = COLOUR_PLACE
        for (action_id, rag, state), n in Counter(map(_GROUP_OF, memory.values())).items():
            counts = actions.get(action_id)
            if counts is None:
                counts = actions[action_id] = [0] * len(COLOUR_ORDER)
            counts[place[rag]] += n
            states[state] = states.get(state, 0) + n
        return cls.of_counts(states, {a: tuple(c) for a, c in actions.items()})

    def changed(self, changes: TallyChanges) -> Tally:
        """This tally with ``changes`` made, as the store makes them (a 0 count is gone)."""
        states = {**self.states, **changes.states}
        actions = {**self.actions, **changes.actions}
        return Tally.of_counts(
            {s: n for s, n in states.items() if n},
            {a: counts for a, counts in actions.items() if any(counts)},
            stored=self.stored,
        )


#: A row's (action id, colour value, state value), read by one C call per row.
_GROUP_OF = operator.attrgetter("action_id", "rag", "state")


class TallyChanges(NamedTuple):
    """The new counts of the states and actions whose counts change (0, or all 0: gone)."""

    states: dict[str, int]
    actions: dict[str, Counts]


def tally_changes(
    tally: Tally,
    before: Mapping[str, CountedRow],
    after: Mapping[str, CountedRow],
    dropped: Iterable[str] = (),
) -> TallyChanges | None:
    """The new counts of every state and action that change when the rows ``after`` replace
    theirs in ``before`` (which must hold every stored row among them) and ``dropped`` are
    forgotten: a few hundred actions on a day. None when a count would fall below zero: the
    tally does not fit the rows (count it again from them)."""
    states: dict[str, int] = {}
    actions: dict[str, list[int]] = {}
    place = COLOUR_PLACE

    def move(r: CountedRow, n: int) -> None:
        states[r.state] = states.get(r.state, 0) + n
        counts = actions.get(r.action_id)
        if counts is None:
            counts = actions[r.action_id] = [0] * len(COLOUR_ORDER)
        counts[place[r.rag]] += n

    for item_id, r in after.items():
        old = before.get(item_id)
        if old is not None:
            if old.action_id == r.action_id and old.rag == r.rag and old.state == r.state:
                continue  # most rows of a day: counted where they were
            move(old, -1)
        move(r, 1)
    for item_id in dropped:
        old = before.get(item_id)
        if old is not None:
            move(old, -1)
    new_states = {s: tally.states.get(s, 0) + n for s, n in states.items() if n}
    new_actions = {
        a: tuple(map(operator.add, tally.actions.get(a, NO_ITEMS), delta))
        for a, delta in actions.items()
        if any(delta)
    }
    if any(n < 0 for n in new_states.values()) or any(
        min(counts) < 0 for counts in new_actions.values()
    ):
        return None
    return TallyChanges(new_states, new_actions)


def tally_difference(tally: Tally, memory: Mapping[str, CountedRow]) -> TallyChanges:
    """The new counts of every state and action in which ``tally`` differs from the rows of
    ``memory`` (a full run's, every row): what makes the stored tally the rows' own again,
    whatever it held before. 0 (all 0): gone."""
    wanted = Tally.of(memory)
    states = {s: n for s, n in wanted.states.items() if tally.states.get(s) != n}
    states.update((s, 0) for s in tally.states if s not in wanted.states)
    actions = {a: c for a, c in wanted.actions.items() if tally.actions.get(a) != c}
    actions.update((a, NO_ITEMS) for a in tally.actions if a not in wanted.actions)
    return TallyChanges(states, actions)
