"""Which update gave an item's standing forecast: what a message quoting the item's latest
update needs to tell that update's own forecast from an earlier one's (walk56a 3)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from governance.forecasts import GivenForecast
from store.models import StatusUpdateRow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

_CHUNK = 500  # item codes bound per statement (well under SQLite's parameter limit)


def forecasts_given(
    session: Session, programme_id: str, item_ids: Collection[str], as_of: date
) -> dict[str, GivenForecast]:
    """Item id → the latest update reported by ``as_of`` that gave a forecast (by reported_on,
    recorded_at, id, as :func:`governance.updates.latest_updates` picks the forecast: none that
    a correction reported by ``as_of`` replaced), for
    those of ``item_ids`` that have one. Only the forecast rows of the items asked about
    (the day's messages name few), through the partial forecast index."""
    u = StatusUpdateRow
    c = aliased(StatusUpdateRow)
    best: dict[str, tuple[tuple[object, ...], GivenForecast]] = {}
    codes = sorted(item_ids)
    for start in range(0, len(codes), _CHUNK):
        query = sa.select(u.item_code, u.id, u.forecast, u.reported_on, u.recorded_at).where(
            u.programme_id == programme_id,
            u.item_code.in_(codes[start : start + _CHUNK]),
            u.forecast.is_not(None),
            u.reported_on <= as_of,
            # A corrected update's forecast is replaced by its correction (README
            # "Corrections"), as the assessment's pick leaves it out.
            ~sa.exists().where(c.corrects == u.id, c.reported_on <= as_of),
        )
        for code, row_id, forecast, reported_on, recorded_at in session.execute(query):
            order = (reported_on, recorded_at, row_id)
            found = best.get(code)
            if found is None or order >= found[0]:
                best[code] = (order, GivenForecast(row_id, forecast, reported_on))
    return {code: given for code, (_, given) in best.items()}
