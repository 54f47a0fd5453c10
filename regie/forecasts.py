"""The owner's forecast in force, read for the views that show one beside the assessment
(``regie status``, the office's pages): :func:`governance.forecasts.forecast_in_force` over
the stored decisions and the plan's recorded due-date changes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from governance.assessor import ItemAssessment
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
