"""The programme's end (``programme.end``) against what is still open (walk30 9).

A fixed *gereed* after the end is the plan file's own affair (`regie plan validate` warns); a
computed deadline — a ``depends_on`` item's, its dependency's completion plus the lead time —
can only cross the end when that completion is known, so the daily cycle records it then, once
per item and date (:func:`after_end_key`), and `regie status` marks every deadline past the end.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, NamedTuple, TypeGuard

from governance.periods import PeriodKind
from governance.rag import FINISHED_STATES, State

if TYPE_CHECKING:
    from governance.assessor import ItemAssessment
    from governance.meetings import MeetingRule, MeetingSchedule

#: The event of a computed deadline that falls after the programme's end.
DUE_AFTER_END = "regie.deadline.after-end"
#: The event of a sync that found the programme's end moved in the plan file (walk55d 7):
#: payload ``before`` and ``after`` (ISO dates, None: no end).
END_CHANGED = "regie.programme.end-changed"

_FINISHED = FINISHED_STATES


def past_end(item: ItemAssessment, end: date | None) -> bool:
    """Whether ``item`` is still open and due after the programme's ``end``."""
    return (
        end is not None and item.due is not None and item.due > end and item.state not in _FINISHED
    )


def computed_after_end(items: Iterable[ItemAssessment], end: date | None) -> list[ItemAssessment]:
    """The open items whose computed deadline (``gereed: Afhankelijk van …``) falls after
    ``end``, in the order given."""
    if end is None:
        return []
    return [i for i in items if i.period_kind == PeriodKind.DEPENDENT and past_end(i, end)]


def after_end_key(item_id: str, due: date) -> str:
    """The event's idempotency key: without the day it was seen, so it is recorded once per
    item and deadline (a later completion that moves the date again is a new event)."""
    return f"{DUE_AFTER_END}:{item_id}:{due.isoformat()}"


def ended(end: date | None, as_of: date) -> TypeGuard[date]:
    """Whether the programme's ``end`` has passed on ``as_of`` (a type guard: when it has,
    ``end`` is a date, so a caller needs no check of its own)."""
    return end is not None and as_of > end


def asked_after_end(due: date | None) -> bool:
    """Whether an open item whose deadline is ``due`` is still asked about once the programme
    has ended: only with a deadline, whose stages go on until it is done or cancelled. Without
    one (open-ended, periodic, Ntb, waiting on another item) it can no longer fall due in the
    programme (walk32b 7)."""
    return due is not None


def no_longer_asked(item: ItemAssessment, end: date | None, as_of: date) -> bool:
    """An item without a deadline once the programme has ended (:func:`asked_after_end`). As
    it is no longer prompted or escalated (walk32b 7, round45 3), a status round does not ask
    about it either (end46 3)."""
    return not asked_after_end(item.due) and ended(end, as_of)


class OpenAfterEnd(NamedTuple):
    """The items still open after the programme's end, by what happens to them (walk55d 4)."""

    dated: int  # asked until each is done or cancelled
    waiting: int  # without a deadline until what they wait on is done: then asked
    undated: int  # open-ended, periodic, Ntb: no longer asked

    @property
    def open(self) -> int:
        return self.dated + self.waiting + self.undated

    @classmethod
    def of(cls, rows: Iterable[tuple[str, date | None, int]]) -> OpenAfterEnd:
        """From (state value, a deadline or None, how many items) rows: the finished left out,
        the rest split by :func:`asked_after_end`."""
        dated = waiting = undated = 0
        for state, due, n in rows:
            if state in _FINISHED:  # a StrEnum set: it holds the values too
                continue
            if asked_after_end(due):
                dated += n
            elif state == State.WAITING.value:
                waiting += n
            else:
                undated += n
        return cls(dated, waiting, undated)


def asked_no_longer(
    items: Mapping[str, ItemAssessment], end: date | None, as_of: date
) -> frozenset[str]:
    """The ids of ``items`` no longer asked on ``as_of`` (:func:`no_longer_asked`): what a
    round started that day, its chase and a pack's *Statusronde* leave out (end47, tidy49)."""
    if not ended(end, as_of):
        return frozenset()
    return frozenset(i for i, item in items.items() if no_longer_asked(item, end, as_of))


@dataclass(frozen=True, slots=True)
class EndView:
    """What the office's page says of the programme's end (walk55d 6), from the facts `regie
    status`, `regie cycle` and a pack use: the end once passed, the open items with a deadline
    and those no longer asked about (:func:`no_longer_asked`), and the open items due after the
    end (:func:`past_end`, `regie status`'s ``!``)."""

    #: The programme's end once it has passed on the page's day; None before it (or none set).
    ended: date | None
    #: The plan's end, for the deadlines after it (None: the plan sets none).
    end: date | None
    still_open: int = 0
    still_open_undated: int = 0
    #: The ids of the open items due after the end, in the order given.
    after_end: tuple[str, ...] = ()


def end_view(items: Iterable[ItemAssessment], end: date | None, as_of: date) -> EndView:
    """:class:`EndView` of ``items`` (the day's assessment) on ``as_of``."""
    if end is None:
        return EndView(None, None)
    listed = list(items)
    late = tuple(i.item_id for i in listed if past_end(i, end))
    if not ended(end, as_of):
        return EndView(None, end, after_end=late)
    still = [i for i in listed if i.state not in _FINISHED]
    undated = sum(1 for i in still if no_longer_asked(i, end, as_of))
    return EndView(end, end, len(still) - undated, undated, late)


def closing_meetings(schedule: MeetingSchedule, end: date) -> list[date]:
    """The listed meeting dates after ``end``: closing meetings, held (validation warns, in
    case the year is a typo)."""
    return [d for d in schedule.dates if d > end]


def rule_past_end(rule: MeetingRule, end: date) -> list[date]:
    """The meetings a rule's ``until`` would give after ``end`` (and ``except`` does not
    skip): not held, since a rule stops at the programme's end. None without an ``until``:
    then the end is the rule's end, as meant."""
    if rule.until is None or rule.until <= end:
        return []
    return list(rule.dates(end + timedelta(days=1), rule.until))


def extension_days(
    rule: MeetingRule | None,
    days: Iterable[date],
    moves: Iterable[tuple[date | None, date | None]],
) -> frozenset[date]:
    """The days among ``days`` (meetings that joined a body's schedule) that ``rule`` gives and
    that an extension brought back (walk55d 7): after an earlier programme end and by the end
    it was moved to (``moves``: before, after; None: no end). A rule stops at the programme's
    end, so these are its regular meetings under the longer programme, not extra ones."""
    if rule is None:
        return frozenset()
    spans = [(b, a) for b, a in moves if b is not None and (a is None or a > b)]
    return frozenset(
        d
        for d in days
        if any(b < d and (a is None or d <= a) for b, a in spans) and any(rule.dates(d, d))
    )
