"""The same day's assessment after new status updates, at the cost of what they touch.

Within one ``as_of`` and one plan, an item's assessment follows from its own latest update and
forecast and from those of the items it depends on (a waiting item also takes their colours).
So after new updates only the updated items and the items depending on them can change; every
other item keeps its result, and the roll-ups are recomputed over all items (cheap). The result
equals :func:`governance.assessment.assess` with ``previous=None`` (a first run's events):
tests/unit/test_reassess.py checks that after random sequences of new updates.

Another ``as_of``, another plan or another calendar is not this case: the caller assesses in
full (see :mod:`governance.incremental` for the daily engine, which handles those).
"""

from __future__ import annotations

from collections.abc import Iterable

from governance.assessment import Assessment, rollups
from governance.assessor import Assessor, ItemAssessment, PlanIndex
from governance.events import DomainEvent, state_events
from governance.updates import StatusUpdate, latest_updates
from governance.workdays import WorkCalendar

__all__ = ["affected", "reassess"]


def affected(index: PlanIndex, updated: Iterable[str]) -> tuple[list[str], set[str]]:
    """The items to judge again after updates of ``updated`` (plan order), and the items whose
    updates that needs (those items and what they depend on)."""
    from governance.incremental import with_dependencies

    by_id = index.by_id
    chosen = index.with_dependents(i for i in updated if i in by_id)
    ordered = [item_id for item_id in by_id if item_id in chosen]
    return ordered, with_dependencies(index, ordered)


def reassess(
    before: Assessment,
    index: PlanIndex,
    chosen: list[str],
    updates: Iterable[StatusUpdate],
    calendar: WorkCalendar,
) -> Assessment:
    """``before`` (a full assessment of ``index.plan`` at the same ``as_of``) with ``chosen``
    (from :func:`affected`) judged again over ``updates`` (the latest picks of the items
    :func:`affected` named)."""
    as_of = before.as_of
    if not chosen:
        return before
    latest, forecasts = latest_updates(updates, as_of)
    known = {item_id: item.rag for item_id, item in before.items.items()}
    # The first assessed days ``before`` was judged with, as its items carry them (None: it
    # was judged without, the stale clock not limited).
    first = {
        item_id: day
        for item_id, item in before.items.items()
        if (day := item.first_assessed) is not None
    }
    assessor = Assessor(index, latest, forecasts, as_of, calendar, known, first or None)
    by_id = index.by_id
    for item_id in chosen:
        assessor.judge(by_id[item_id])
    fresh = assessor.results()
    items: dict[str, ItemAssessment] = {
        item_id: fresh.get(item_id) or item for item_id, item in before.items.items()
    }
    actions, steps, programme = rollups(
        index.plan.steps, ((i.action_id, i.rag) for i in items.values())
    )
    # A first run's events are per item, in item order: the untouched items' are kept.
    events_of: dict[str, list[DomainEvent]] = {}
    for event in before.events:
        events_of.setdefault(event.item_id, []).append(event)
    for item_id in fresh:
        events_of[item_id] = []
    for event in state_events(fresh.values(), as_of, None, None):
        events_of[event.item_id].append(event)
    events = [e for item_id in items for e in events_of.get(item_id, ())]
    return Assessment(as_of, items, actions, steps, programme, events)
