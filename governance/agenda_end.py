"""An agenda pack around the programme's end. Made after it (agenda layout 14, walk46 6): a
closing meeting's pack says once at the top that the programme ended and how much is still
open, and a late item's question offers the body the choice it can record (`regie decision add
--set-gereed` a new date, or `--cancel`: the item lapses). Made before it (layout 15, review47
6): a meeting after the end says so in the future tense and offers lapse too; the last meeting
before the end says it is the last one, only when that is known (review48 1: the next meeting is
after the end, or none is known and the end falls within the pack's look-ahead)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from governance.agenda_model import OPEN_STATES, AgendaPack, EndMoved
from governance.programme_end import ended
from governance.rag import State

_OPEN = frozenset(s.value for s in OPEN_STATES)
#: The questions that offer lapse after the end: a late item's new date, and a date or term for
#: an item without one (no longer asked about, so the body decides; review47 3). Late on the
#: pack's day is late at the end too, and undated stays undated: the same before the end.
_LAPSE = frozenset({"overdue", "undated", "waiting"})
_WAITING = State.WAITING.value


def closing_pack(pack: AgendaPack, end: date | None, *, ahead: bool = False) -> AgendaPack:
    """``pack`` with the programme's end when it is made after it (``as_of`` past ``end``):
    the open items with a deadline and those without one (open-ended, periodic: no longer
    asked about, :func:`governance.programme_end.no_longer_asked`; of them apart, for layout
    20, those waiting on a predecessor, asked again once it is done) counted from the pack's
    full table, and the question of every late or undated item marked. ``ahead`` (layout 15):
    before the end, a meeting after it gets the same in the future tense (``programme_ends``),
    and the last meeting on or before it (:func:`_last_before`) the counts and
    ``last_before_end`` (no lapse: the programme still runs). Else unchanged."""
    if end is None:
        return pack
    if ended(end, pack.as_of):
        return replace(_counted(_marked(pack)), programme_ended=end)
    if not ahead:
        return pack
    if pack.meeting.on > end:
        return replace(_counted(_marked(pack)), programme_ends=end)
    if _last_before(pack, end):
        return replace(_counted(pack), programme_ends=end, last_before_end=True)
    return pack


def _last_before(pack: AgendaPack, end: date) -> bool:
    """Known to be the last meeting before ``end``: the next one is after it, or none is known
    and ``end`` falls within the pack's look-ahead (``horizon``: a quarter after the meeting).
    No next meeting alone is no evidence (review48 1): a body without a schedule, a schedule
    listing only this year's dates, or a rule stopping before the end knows none, years ahead."""
    if pack.next is not None:
        return pack.next.on > end
    return end <= pack.horizon


def _marked(pack: AgendaPack) -> AgendaPack:
    asked = tuple(replace(a, after_end=True) if a.reason in _LAPSE else a for a in pack.asked)
    return replace(pack, asked=asked)


def _counted(pack: AgendaPack) -> AgendaPack:
    still_open = [line for line in pack.annex if line.state in _OPEN]
    undated = [line for line in still_open if line.due is None]
    waiting = sum(1 for line in undated if line.state == _WAITING)
    return replace(
        pack, still_open=len(still_open) - len(undated), still_open_undated=len(undated),
        still_open_waiting=waiting,
    )  # fmt: skip


def with_end_moved(
    pack: AgendaPack, moves: Iterable[tuple[date | None, date | None, date]]
) -> AgendaPack:
    """``pack`` with the moves of the programme's end (before, after, the office's day it was
    recorded; oldest first) that *sinds de vorige vergadering* covers: from its ``since`` (all
    when it has none) through the pack's day (layout 20, walk55d 7)."""
    since = pack.since_last.since if pack.since_last is not None else None
    moved = tuple(
        EndMoved(before, after, on)
        for before, after, on in moves
        if (since is None or since <= on) and on <= pack.as_of
    )
    return replace(pack, end_moved=moved) if moved else pack
