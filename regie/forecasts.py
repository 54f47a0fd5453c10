"""The owner's forecast in force, read for the views that show one beside the assessment
(``regie status``, the office's pages): :func:`governance.forecasts.forecast_in_force` over
the stored decisions and the plan's recorded due-date changes; and the forecasts a message
quoting an item's latest update names (:func:`quoted_forecasts`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from governance.assessor import ItemAssessment
    from governance.decisions import Decision
    from governance.forecasts import QuotedForecast
    from governance.plan import Plan


#: Up to this many items with a forecast, :func:`forecasts_in_force` reads their plan
#: revisions only (four batches of :data:`store.reports_read._CODES`); more, every revision.
FEW_ITEMS = 2000


def forecasts_in_force(
    session: Session,
    plan: Plan,
    items: Iterable[ItemAssessment],
    as_of: date,
    *,
    decisions: list[Decision] | None = None,
    only_these: bool = False,
) -> dict[str, date | None]:
    """Item id → the forecast a *Prognose* shows on ``as_of``, for those of ``items`` with a
    standing forecast (nothing is read when none has one); an item left out has none.
    ``decisions``: the programme's, when the caller has read them; ``only_these``: read the
    plan revisions of those items only (a few of many: the cycle's messages), not every one;
    without it, so does a call with at most :data:`FEW_ITEMS` items with a forecast."""
    from governance.forecasts import forecasts_in_force as in_force
    from governance.provenance import RevisionFact, due_changes
    from store import reports_read
    from store.dialect import reader

    chosen = [i for i in items if i.forecast is not None]
    if not chosen:
        return {}
    connection = reader(session)
    if decisions is None:
        decisions = reports_read.decisions(connection, plan.programme.id)
    # The views (`regie status`, the office's pages, the calendar feeds) ask for every item,
    # of which few have a forecast: their revisions through the (programme, entity, code)
    # index, not every revision of the programme (22–28 ms at 100k items; fix57e 4). Many:
    # one scan costs less than their batches.
    few = only_these or len(chosen) <= FEW_ITEMS
    codes = [i.item_id for i in chosen] if few else None
    revisions = reports_read.plan_revisions(connection, plan.programme.id, codes=codes)
    moved = due_changes([RevisionFact(*r) for r in revisions], decisions)
    return in_force(plan, chosen, decisions, moved, as_of)


def quoted_forecasts(
    session: Session,
    plan: Plan,
    items: Iterable[ItemAssessment],
    as_of: date,
    *,
    decisions: list[Decision] | None = None,
) -> dict[str, QuotedForecast]:
    """Item id → the forecasts a message quoting the item's latest update names
    (:func:`governance.forecasts.quoted_forecast`), for those of ``items`` with a latest
    update and a standing forecast: its own forecast as given, and the forecast in force with
    the day an earlier update gave it (walk56a 3). An item without a standing forecast is left
    out: no update gave one, so its latest update is quoted as it stands, which is what
    :func:`regie.messages._quoted` makes of an item not here. ``decisions``: the programme's,
    when the caller has read them (the cycle: :class:`regie.plan_in_force.PlanInForce`).
    Only these items' plan revisions and forecast rows are read (perf56c)."""
    from governance.forecasts import quoted_forecast
    from store.forecasts_given import forecasts_given

    answered = [i for i in items if i.latest_update is not None and i.forecast is not None]
    if not answered:
        return {}
    in_force = forecasts_in_force(
        session, plan, answered, as_of, decisions=decisions, only_these=True
    )
    # A latest update that gives the forecast itself is quoted by it: no row to read.
    unsaid = [i.item_id for i in answered if i.latest_update and i.latest_update.forecast is None]
    given = forecasts_given(session, plan.programme.id, unsaid, as_of) if unsaid else {}
    out = {}
    for i in answered:
        assert i.latest_update is not None
        out[i.item_id] = quoted_forecast(
            i.latest_update, given.get(i.item_id), in_force.get(i.item_id)
        )
    return out
