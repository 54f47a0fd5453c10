"""The owner's forecast as the outputs show it: the one rule behind the progress report's *Nu*
and every *Prognose* (the report's annex, the agenda pack, ``regie status``, the office's pages).

An owner's forecast *stands* across later updates that give none (the assessment keeps it, and
the reminders judge by it), but it is no longer the owner's word once a decision (a new date, a
restore) or a plan-file edit moved the item's date after it was given, and a finished item has
no forecast left: a done item shows the day it was finished (README, "The progress report").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date

from governance.agenda_model import ItemLine, local_day
from governance.assessment import Assessment
from governance.assessor import ItemAssessment
from governance.decisions import Decision, DecisionKind
from governance.plan import Plan
from governance.provenance import DueChange
from governance.rag import FINISHED_STATES
from governance.updates import StatusUpdate


def forecast_superseded(
    plan: Plan,
    item: ItemAssessment,
    decisions: Iterable[Decision],
    edits: Iterable[DueChange],
    as_of: date,
) -> bool:
    """Whether a date moved since supersedes the item's forecast: a decision about it
    (``set_gereed``: a new date, a restore) taken by ``as_of``, or a plan-file edit of its due
    date without a decision recorded by ``as_of`` (the office's day). The forecast is given on
    the day of the owner's latest update when that update gives it; one from an earlier update
    (kept by later ones without a forecast) is older than any date moved since the latest
    update, and is not taken over one moved before it either: a body's or the plan's date
    stands unless the owner's latest word says otherwise. ``decisions`` and ``edits``: the
    item's."""
    moved = [
        d.meeting_on
        for d in decisions
        if d.kind is DecisionKind.SET_GEREED and d.meeting_on <= as_of
    ]
    moved += [
        day for e in edits if not e.decided and (day := local_day(plan, e.recorded_at)) <= as_of
    ]
    if not moved:
        return False
    latest = item.latest_update
    if latest is None or latest.forecast != item.forecast:
        return True
    return latest.reported_on <= max(moved)


def forecast_in_force(
    plan: Plan,
    item: ItemAssessment,
    decisions: Iterable[Decision],
    edits: Iterable[DueChange],
    as_of: date,
) -> date | None:
    """The owner's forecast as a *Prognose* shows it: None for a finished item (done or
    cancelled) and for one a later date supersedes (:func:`forecast_superseded`)."""
    if item.forecast is None or item.state in FINISHED_STATES:
        return None
    if forecast_superseded(plan, item, decisions, edits, as_of):
        return None
    return item.forecast


def forecasts_in_force(
    plan: Plan,
    items: Iterable[ItemAssessment],
    decisions: Iterable[Decision],
    due_changes: Iterable[DueChange],
    as_of: date,
) -> dict[str, date | None]:
    """Item id → :func:`forecast_in_force` for each of ``items`` with a forecast;
    ``decisions`` and ``due_changes``: every item's (each read with its own)."""
    chosen = [i for i in items if i.forecast is not None]
    if not chosen:
        return {}
    by_item: dict[str, list[Decision]] = {}
    for d in decisions:
        if d.item_id is not None:
            by_item.setdefault(d.item_id, []).append(d)
    edited: dict[str, list[DueChange]] = {}
    for c in due_changes:
        edited.setdefault(c.item_id, []).append(c)
    return {
        i.item_id: forecast_in_force(
            plan, i, by_item.get(i.item_id, ()), edited.get(i.item_id, ()), as_of
        )
        for i in chosen
    }


def lines_in_force(
    plan: Plan,
    assessment: Assessment,
    lines: Mapping[str, ItemLine],
    decisions: Iterable[Decision],
    due_changes: Iterable[DueChange],
) -> dict[str, ItemLine]:
    """``lines`` whose *Prognose* is the forecast in force (:func:`forecast_in_force`) on the
    assessment's day: the agenda pack's lines from layout 20, the progress report's annex
    from layout 19."""
    found = forecasts_in_force(
        plan, assessment.items.values(), decisions, due_changes, assessment.as_of
    )
    return {
        item_id: (
            replace(line, forecast=found[item_id])
            if item_id in found and found[item_id] != line.forecast
            else line
        )
        for item_id, line in lines.items()
    }


@dataclass(frozen=True, slots=True)
class GivenForecast:
    """The latest update that gave an item's standing forecast (reported by the day): its id,
    the forecast and the day it counts for (``store.assessment_query.forecasts_given``)."""

    update_id: int
    forecast: date
    given_on: date


@dataclass(frozen=True, slots=True)
class QuotedForecast:
    """An item's forecasts as a message quoting its latest update names them (walk56a 3):
    ``own``, the latest update's own forecast as given (None when it gave none, even while an
    earlier one stands); ``standing``, the forecast in force the reminders go by
    (:func:`forecast_in_force`: none once a decision or plan-file edit superseded it, nor for
    a finished item); ``earlier_on``, the day it was given when an earlier update gave it."""

    own: date | None
    standing: date | None
    earlier_on: date | None = None

    @property
    def earlier(self) -> date | None:
        """The standing forecast when an earlier update gave it (the latest gave none)."""
        return self.standing if self.own is None else None


def quoted_forecast(
    latest: StatusUpdate, given: GivenForecast | None, in_force: date | None
) -> QuotedForecast:
    """The forecasts a message quotes with ``latest`` (an item's latest update; an incremental
    run's memory copy holds no forecast, ``given`` tells whether it gave the standing one).
    ``in_force``: the item's :func:`forecast_in_force`."""
    own = latest.forecast
    if own is None and given is not None and given.update_id == latest.id:
        own = given.forecast
    earlier_on = given.given_on if own is None and in_force is not None and given else None
    return QuotedForecast(own, in_force, earlier_on)
