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
from typing import TYPE_CHECKING

from governance.labels import NOT_STARTED_KEY
from governance.rag import State

if TYPE_CHECKING:
    from governance.assessor import ItemAssessment


def not_started(item: ItemAssessment, as_of: date) -> bool:
    """Whether ``item`` is ongoing work whose start lies after ``as_of``: shown as *nog niet
    gestart*, not asked in a status round. An owner's *risico* (state at risk) outranks it, as
    it outranks *doorlopend*; a finished item is finished."""
    start = item.start
    return item.state is State.ONGOING and start is not None and as_of < start


def not_started_ids(items: Mapping[str, ItemAssessment], as_of: date) -> frozenset[str]:
    """The ids of ``items`` not started on ``as_of`` (:func:`not_started`)."""
    return frozenset(i for i, item in items.items() if not_started(item, as_of))


def shows_as(item: ItemAssessment, key: str, as_of: date) -> bool:
    """Whether ``item`` is in state ``key`` as Regie names it on ``as_of`` (a state filter:
    ``regie status --state``, the office's overview): ``not_started``
    (:data:`governance.labels.NOT_STARTED_KEY`) for ongoing work before its start, which
    ``ongoing`` (*doorlopend*) then does not match; any other key, the item's state."""
    early = not_started(item, as_of)
    if key == NOT_STARTED_KEY:
        return early
    return item.state.value == key and not early
