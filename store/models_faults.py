"""Tables added by the fault fixes (issue #7, migration 0004), and the first assessed days
(migration 0038)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from store.models import Base, UTCDateTime


class AssessedDayRow(Base):
    """Append-only: each day a deadline check was recorded for. History only moves forward, so
    the latest row is the earliest day a next check may assess (item states alone remember only
    the days a state *changed*)."""

    __tablename__ = "assessed_days"

    programme_id: Mapped[str] = mapped_column(
        sa.String(64), sa.ForeignKey("programmes.id"), primary_key=True
    )
    as_of: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ItemFirstAssessedRow(Base):
    """Each item's first assessed day (migration 0038): the business day (``as_of``, never the
    wall clock) of the first recorded deadline check that included the item. The stale clock
    starts no earlier (governance.assessment): nobody is blamed for not reporting before Regie
    was there to ask. Written once per item, moved only to an earlier day (never the case while
    history moves forward); kept when the item leaves the plan, and when the incremental memory
    is rebuilt (it is history, no cache: a rebuild fills only missing rows). ``recorded_at``:
    when the row was first written, so a report's data cut-off reads the days it read then."""

    __tablename__ = "item_first_assessed"

    programme_id: Mapped[str] = mapped_column(
        sa.String(64), sa.ForeignKey("programmes.id"), primary_key=True
    )
    item_code: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    as_of: Mapped[date] = mapped_column(sa.Date)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
