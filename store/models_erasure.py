"""The erasure register (migration 0015): one row per forgotten contact, with its pseudonym;
the redaction register (migration 0017): one row per status update whose note the office redacted.

``in_progress`` is true only inside the transaction of ``regie contact forget``: the append-only
triggers then allow exactly that erasure's changes (see the migration).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from store.actor import current_actor
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
    # Who ran the (latest) erasure of this contact (migration 0018); each run is an event too.
    forgotten_by: Mapped[str | None] = mapped_column(
        sa.Text, default=current_actor, onupdate=current_actor, nullable=True
    )


class UpdateRedactionRow(Base):
    """The office removed personal data from one status update's note (migration 0017): who,
    when, why and which update; never the old text. ``in_progress`` is true only inside the
    transaction of ``regie update redact``: the append-only triggers then allow that update's
    ``comment`` and the events' payloads to change (see the migration)."""

    __tablename__ = "update_redactions"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(CODE, sa.ForeignKey("programmes.id"))
    # No foreign key (as events.item_code): one would make TRUNCATE status_updates fail on the
    # key instead of on the append-only trigger that refuses it.
    update_id: Mapped[int] = mapped_column(sa.Integer, unique=True)
    item_code: Mapped[str] = mapped_column(CODE)
    redacted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    redacted_by: Mapped[str] = mapped_column(sa.Text)
    reason: Mapped[str] = mapped_column(sa.Text)
    in_progress: Mapped[bool] = mapped_column(sa.Boolean, server_default=sa.false())
