"""The erasure register (migration 0015): one row per forgotten contact, with its pseudonym.

``in_progress`` is true only inside the transaction of ``regie contact forget``: the append-only
triggers then allow exactly that erasure's changes (see the migration).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from store.models import CODE, Base, UTCDateTime


class ErasureRow(Base):
    __tablename__ = "erasures"
    __table_args__ = (sa.UniqueConstraint("programme_id", "contact_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(CODE, sa.ForeignKey("programmes.id"))
    contact_code: Mapped[str] = mapped_column(CODE)
    pseudonym: Mapped[str] = mapped_column(sa.String(64), unique=True)  # vertrokken-<id>
    forgotten_at: Mapped[datetime] = mapped_column(UTCDateTime())
    in_progress: Mapped[bool] = mapped_column(sa.Boolean, server_default=sa.false())
