"""Which recorded reminders were about the owner's forecast, not the deadline (walk56b 3).

A dated stage key names a date (``due@D``, ``overdue-N@D``): the item's deadline, or the
owner's expected date after it once reached (:mod:`governance.reminders`, "Forecasts"). The
key does not say which; the item's history does
(:func:`governance.stage_keys.keyed_on_forecast`). The office's item page and ``regie events``
name the date accordingly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from governance.plan import Plan
    from governance.stage_keys import StageParts
    from regie.bootstrap import App
    from store.records import StoredEvent

#: Items up to which ``regie events`` reads each one's history apart; more: all at once.
_APART = 20


@dataclass(frozen=True, slots=True)
class StageDates:
    """What tells a stage about the owner's forecast from one about the deadline: the item's
    deadline now, its plan revisions (due-date changes), its status updates (forecasts) and
    the office's time zone (the day a revision was recorded)."""

    due: date | None
    revisions: list[Any]
    updates: list[Any]
    zone: str

    def about_forecast(self) -> Callable[[StageParts, date], bool]:
        from governance.clock import local_date
        from governance.provenance import due_changes
        from governance.stage_keys import deadline_on, keyed_on_forecast

        moved = due_changes(self.revisions)
        changes = [(local_date(c.recorded_at, self.zone), c.due_before) for c in moved]
        forecasts = [(u.reported_on, u.forecast) for u in self.updates if u.forecast is not None]

        def about(parts: StageParts, day: date) -> bool:
            return keyed_on_forecast(parts, day, deadline_on(day, self.due, changes), forecasts)

        return about


def forecast_reminders(
    app: App, plan: Plan, zone: str, events: Iterable[StoredEvent]
) -> set[tuple[str, str, date]]:
    """(item, stage, day) of each reminder among ``events`` that was about the owner's
    forecast. The deadline now is the plan's (a dependent item's computed date is not
    worked out here: the forecasts tell those apart)."""
    from governance.events import REMINDER_QUEUED
    from governance.stage_keys import stage_parts
    from regie.plan_cache import plan_index
    from store import Repository

    dated: list[tuple[str, str, date, StageParts]] = []
    for e in events:
        stage = e.payload.get("stage") if e.name == REMINDER_QUEUED else None
        if e.item_id and isinstance(stage, str):
            parts = stage_parts(stage)
            if parts.kind in ("due", "overdue"):
                dated.append((e.item_id, stage, e.occurred_on, parts))
    items = sorted({item for item, *_ in dated})
    if not items:
        return set()
    revisions: dict[str, list[Any]] = {}
    updates: dict[str, list[Any]] = {}
    with app.session() as session:
        repo = Repository(session, plan.programme.id)
        apart = len(items) <= _APART
        for item in items if apart else (None,):
            for r in repo.revisions(code=item):
                if r.entity in ("action", "milestone"):
                    revisions.setdefault(r.code, []).append(r)
            for u in repo.status_updates(item=item):
                updates.setdefault(u.item_id, []).append(u)
    by_id = plan_index(plan)[0].by_id
    about: dict[str, Callable[[StageParts, date], bool]] = {}
    for item in items:
        deadline = by_id.get(item)
        due = deadline.period.end if deadline is not None and deadline.period else None
        dates = StageDates(due, revisions.get(item, []), updates.get(item, []), zone)
        about[item] = dates.about_forecast()
    return {(i, s, d) for i, s, d, parts in dated if about[i](parts, d)}
