"""What a prompt's stage key says, read back for a person (the office's item page).

The keys are made in :mod:`governance.reminders` (its docstring lists their forms); this reads
them, so a change of form there shows here, in ``tests/unit/test_item_labels.py``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from governance.reminders import ESCALATION_KINDS, ESCALATION_PREFIX, escalation_kind
from governance.reminders.records import NOTICE_PREFIX

#: The stage keys of :mod:`governance.reminders`: ``first@D``, ``second@D``, ``due@D``,
#: ``overdue-N@D``, ``periodic-YYYYQn``, ``periodic-YYYYMmm``, ``predecessor-cancelled@IDS``
#: (escalations apart).
_DATED = re.compile(r"(first|second|due|overdue-([1-9][0-9]*))@([0-9]{4}-[0-9]{2}-[0-9]{2})")
_PERIODIC = re.compile(r"periodic-([0-9]{4})(?:Q([1-4])|M(0[1-9]|1[0-2]))")


@dataclass(frozen=True, slots=True)
class StageParts:
    """What a prompt's stage key says, for a reader: its kind (first, second, due, overdue,
    periodic, escalation, notice: a predecessor cancelled; ``unknown`` for a key of another
    form) and its particulars."""

    kind: str
    due: date | None = None  # the deadline a dated stage is about
    number: int | None = None  # overdue-N: the Nth prompt after the deadline
    period_start: date | None = None  # periodic: the first day of its block
    quarter: int | None = None  # periodic: the block's quarter, for quarterly blocks
    escalation: str | None = None  # an escalation's kind (overdue, unanswered), if known
    predecessors: tuple[str, ...] = ()  # notice: the predecessors cancelled


def stage_parts(stage: str) -> StageParts:
    """Read a stage key (see :mod:`governance.reminders`); never raises."""
    if stage.startswith(ESCALATION_PREFIX):
        kind = escalation_kind(stage)
        return StageParts("escalation", escalation=kind if kind in ESCALATION_KINDS else None)
    if stage.startswith(NOTICE_PREFIX):
        return StageParts("notice", predecessors=tuple(stage[len(NOTICE_PREFIX) :].split(",")))
    try:
        dated = _DATED.fullmatch(stage)
        if dated:
            name, number, day = dated.groups()
            due = date.fromisoformat(day)
            if number:
                return StageParts("overdue", due=due, number=int(number))
            return StageParts(name, due=due)
        periodic = _PERIODIC.fullmatch(stage)
        if periodic:
            year, quarter, month = periodic.groups()
            if quarter:
                start = date(int(year), int(quarter) * 3 - 2, 1)
                return StageParts("periodic", period_start=start, quarter=int(quarter))
            return StageParts("periodic", period_start=date(int(year), int(month), 1))
    except ValueError:  # a date that does not exist
        pass
    return StageParts("unknown")


def deadline_on(
    day: date, now: date | None, changes: Iterable[tuple[date, date | None]]
) -> date | None:
    """The item's deadline on ``day``: ``now``, the deadline today, taken back through
    ``changes``, its due-date changes as (day recorded, deadline before it), those recorded
    after ``day`` undone. A dependent item's computed date moves without a recorded change:
    then ``now`` stands (the best known)."""
    deadline = now
    for recorded, before in sorted(changes, key=lambda c: c[0], reverse=True):
        if recorded <= day:
            break
        deadline = before
    return deadline


def keyed_on_forecast(
    parts: StageParts,
    queued_on: date,
    deadline: date | None,
    forecasts: Iterable[tuple[date, date]],
) -> bool:
    """Whether a reminder's dated stage (``due@F``, ``overdue-N@F``) is about the owner's
    forecast, not the deadline (:mod:`governance.reminders`, "Forecasts"): the key names a
    date either way. It is the forecast's when that date was not the item's ``deadline`` the
    day it was queued (:func:`deadline_on`) and an update reported by then gave it as the
    expected date (``forecasts``: (reported on, forecast) per update with one)."""
    if parts.kind not in ("due", "overdue") or parts.due is None or parts.due == deadline:
        return False
    return any(f == parts.due and reported <= queued_on for reported, f in forecasts)
