"""Item states and delivery confidence (RAG), modelled on the UK IPA delivery-confidence scale.

Green means delivery on time looks likely; amber means there are issues that need attention
but look manageable; red means delivery on time is in doubt and the steering group is asked to
act; grey means there is nothing to judge (cancelled, or no date yet).

The colour of one item follows from its state:

- done: green. cancelled: grey. undated (no date yet, a decision is needed): grey.
- on track (not yet in its first reminder window): green.
- due soon (inside the first reminder window): green when the owner's latest update says "on
  track" and was given inside that window, otherwise amber.
- at risk (the owner says so): amber.
- slipped (the owner forecasts a date after the due date): amber; red when the forecast is more
  than one quarter (65 working days) past the due date.
- overdue: red. A milestone whose date has passed is never green unless it is done.
- waiting (for another item to finish): green, but amber when anything it waits on is amber or red.
- ongoing (open-ended or recurring work): green.
- stale (no update for too long while the item is active) turns green into amber.

Roll-ups:

- an action takes the worst colour of its items (grey items are ignored; all grey gives grey);
- a step, and the programme as a whole, is red when at least a third of its actions that are not
  grey are red; otherwise amber when any of them is amber or red; otherwise green (all grey gives
  grey).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from enum import StrEnum
from fractions import Fraction


class State(StrEnum):
    DONE = "done"
    CANCELLED = "cancelled"
    ON_TRACK = "on_track"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    SLIPPED = "slipped"
    AT_RISK = "at_risk"
    WAITING = "waiting"
    UNDATED = "undated"
    ONGOING = "ongoing"


#: The states of an item no longer open (done or cancelled). A :class:`State` is a ``str``, so
#: the set also holds their values: ``"done" in FINISHED_STATES``.
FINISHED_STATES = frozenset({State.DONE, State.CANCELLED})


class Rag(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    GREY = "grey"


#: Each member's value, looked up per item where ``.value`` (a Python-level property of Enum)
#: would run for 100,000 items.
STATE_VALUES: dict[State, str] = {s: s.value for s in State}
RAG_VALUES: dict[Rag, str] = {r: r.value for r in Rag}

#: A slip of more than this many working days past the due date (one quarter) is red.
SLIP_RED_WORKING_DAYS = 65

#: A step or the programme is red when at least this share of its non-grey actions is red.
RED_SHARE_THRESHOLD = Fraction(1, 3)

_SEVERITY = {Rag.GREY: 0, Rag.GREEN: 1, Rag.AMBER: 2, Rag.RED: 3}
#: :func:`worst`'s order by colour value (for counts kept per value, as the item memory's).
SEVERITY_OF_VALUE = {r.value: n for r, n in _SEVERITY.items()}

_FIXED = {
    State.DONE: Rag.GREEN,
    State.CANCELLED: Rag.GREY,
    State.UNDATED: Rag.GREY,
    State.ON_TRACK: Rag.GREEN,
    State.AT_RISK: Rag.AMBER,
    State.OVERDUE: Rag.RED,
    State.ONGOING: Rag.GREEN,
}


def item_rag(
    state: State,
    *,
    stale: bool = False,
    confirmed_in_window: bool = False,
    slip_working_days: int | None = None,
    waiting_on: Iterable[Rag] = (),
) -> Rag:
    """The colour of one item.

    ``confirmed_in_window``: the latest update says on track and was reported inside the first
    reminder window (matters for due soon). ``slip_working_days``: forecast minus due date in
    working days (matters for slipped). ``waiting_on``: the colours of the unfinished items a
    waiting item depends on.
    """
    troubled = state is State.WAITING and any(r in (Rag.AMBER, Rag.RED) for r in waiting_on)
    return colour(state, stale, confirmed_in_window, slip_working_days, troubled)


def colour(
    state: State,
    stale: bool,
    confirmed_in_window: bool,
    slip_working_days: int | None,
    troubled: bool,
) -> Rag:
    """:func:`item_rag` with plain positional arguments (it runs once per judged item);
    ``troubled``: a waiting item waits on something amber or red."""
    rag = _FIXED.get(state)
    if rag is None:
        if state is State.DUE_SOON:
            rag = Rag.GREEN if confirmed_in_window else Rag.AMBER
        elif state is State.SLIPPED:
            big = slip_working_days is not None and slip_working_days > SLIP_RED_WORKING_DAYS
            rag = Rag.RED if big else Rag.AMBER
        elif state is State.WAITING:
            rag = Rag.AMBER if troubled else Rag.GREEN
        else:  # a state added to State but not here: refuse, as the lookup did before
            raise KeyError(state)
    if stale and rag is Rag.GREEN and state is not State.DONE:
        return Rag.AMBER
    return rag


def worst(rags: Iterable[Rag]) -> Rag:
    """The action roll-up: the worst colour, grey ignored; nothing but grey gives grey."""
    return max(rags, key=_SEVERITY.__getitem__, default=Rag.GREY)


def rollup(action_rags: Iterable[Rag]) -> Rag:
    """The step and programme roll-up over action colours (see the module notes)."""
    counts = Counter(action_rags)  # counted in C: 10,000 actions at 100k items
    judged = counts.total() - counts[Rag.GREY]
    if not judged:
        return Rag.GREY
    reds = counts[Rag.RED]
    if Fraction(reds, judged) >= RED_SHARE_THRESHOLD:
        return Rag.RED
    if reds or counts[Rag.AMBER]:
        return Rag.AMBER
    return Rag.GREEN
