"""An ongoing item before its start (walk54 8): ``gereed: 2028 e.v.`` on a day in 2027.

An open-ended or recurring item (``Vanaf 2028``, ``2028 e.v.``, ``Periodiek``) is *ongoing*
from its period's start (the programme's start when its *gereed* names none). Before that day
the assessment already treats it as not active: its stale clock has not started and it has no
periodic reminder stage (:func:`governance.reminders.stages._periodic_stage`; its next check is
the start). The state stays *ongoing* (nothing stored changes); what it is called and whether a
status round asks about it follow from :func:`not_started`, as the state and the day give it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Protocol

from governance.labels import NOT_STARTED_KEY
from governance.periods import Period, PeriodKind
from governance.rag import FINISHED_STATES, State

#: Period kinds of ongoing work (*doorlopend* once started).
ONGOING_KINDS = frozenset({PeriodKind.OPEN_ENDED, PeriodKind.RECURRING})


class Started(Protocol):
    """What the rule reads of an assessed item (:class:`governance.assessor.ItemAssessment`)."""

    @property
    def state(self) -> State: ...

    @property
    def start(self) -> date | None: ...


def work_start(period: Period | None, programme_start: date | None) -> date | None:
    """The day an item's work starts (``ItemAssessment.start``): its period's start; for
    ongoing work whose period names none, the programme's start."""
    if period is None:
        return None
    if period.start is None and period.kind in ONGOING_KINDS:
        return programme_start
    return period.start


def before_start(state: str, start: date | None, as_of: date) -> bool:
    """Whether an item in state (value) ``state`` whose work starts on ``start``
    (:func:`work_start`) is ongoing work not started on ``as_of``."""
    return state == State.ONGOING.value and start is not None and as_of < start


def asked_about(state: str, early: bool) -> bool:
    """Whether an item in state (value) ``state`` is open as an owner is asked about it: an
    update sheet's row, an item a digest's overview line counts (review55b 6). Not done or
    cancelled, nor ``early``: ongoing work before its start (:func:`not_started`,
    :func:`before_start`)."""
    return state not in FINISHED_STATES and not early


def not_started(item: Started, as_of: date) -> bool:
    """Whether ``item`` is ongoing work whose start lies after ``as_of``: shown as *nog niet
    gestart*, not asked in a status round. An owner's *risico* (state at risk) outranks it, as
    it outranks *doorlopend*; a finished item is finished."""
    return before_start(item.state.value, item.start, as_of)


def not_started_ids(items: Mapping[str, Started], as_of: date) -> frozenset[str]:
    """The ids of ``items`` not started on ``as_of`` (:func:`not_started`)."""
    return frozenset(i for i, item in items.items() if not_started(item, as_of))


def shows_as(item: Started, key: str, as_of: date) -> bool:
    """Whether ``item`` is in state ``key`` as Regie names it on ``as_of`` (a state filter:
    ``regie status --state``, the office's overview): ``not_started``
    (:data:`governance.labels.NOT_STARTED_KEY`) for ongoing work before its start, which
    ``ongoing`` (*doorlopend*) then does not match; any other key, the item's state."""
    early = not_started(item, as_of)
    if key == NOT_STARTED_KEY:
        return early
    return item.state.value == key and not early
