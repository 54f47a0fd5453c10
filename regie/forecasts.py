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
    from governance.forecasts import QuotedForecast
    from governance.plan import Plan


def forecasts_in_force(
    session: Session, plan: Plan, items: Iterable[ItemAssessment], as_of: date
) -> dict[str, date | None]:
    """Item id → the forecast a *Prognose* shows on ``as_of``, for those of ``items`` with a
    standing forecast (nothing is read when none has one); an item left out has none."""
    from governance.forecasts import forecasts_in_force as in_force
    from governance.provenance import RevisionFact, due_changes
    from store import reports_read
    from store.dialect import reader

    chosen = [i for i in items if i.forecast is not None]
    if not chosen:
        return {}
    connection = reader(session)
    decisions = reports_read.decisions(connection, plan.programme.id)
    revisions = reports_read.plan_revisions(connection, plan.programme.id)
    moved = due_changes([RevisionFact(*r) for r in revisions], decisions)
    return in_force(plan, chosen, decisions, moved, as_of)


def quoted_forecasts(
    session: Session, plan: Plan, items: Iterable[ItemAssessment], as_of: date
) -> dict[str, QuotedForecast]:
    """Item id → the forecasts a message quoting the item's latest update names
    (:func:`governance.forecasts.quoted_forecast`), for those of ``items`` with a latest
    update: its own forecast as given, and the forecast in force with the day an earlier
    update gave it (walk56a 3)."""
    from governance.forecasts import quoted_forecast
    from store.forecasts_given import forecasts_given

    answered = [i for i in items if i.latest_update is not None]
    in_force = forecasts_in_force(session, plan, answered, as_of)
    with_forecast = [i.item_id for i in answered if i.forecast is not None]
    given = forecasts_given(session, plan.programme.id, with_forecast, as_of)
    out = {}
    for i in answered:
        assert i.latest_update is not None
        out[i.item_id] = quoted_forecast(
            i.latest_update, given.get(i.item_id), in_force.get(i.item_id)
        )
    return out
