"""Tables added by the fault fixes (issue #7, migration 0004)."""

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
