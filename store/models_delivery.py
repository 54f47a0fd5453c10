"""Delivery details (issue #9): the Slack user look-up cache.

A cache, not history: a row is replaced when an address is looked up again.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from store.models import Base, UTCDateTime


class SlackLookupRow(Base):
    """``users.lookupByEmail`` answers: an address → a Slack user id, or not found (NULL)."""

    __tablename__ = "slack_lookups"

    email: Mapped[str] = mapped_column(sa.String(320), primary_key=True)  # lower case
    user_id: Mapped[str | None] = mapped_column(sa.String(64))
    looked_up_at: Mapped[datetime] = mapped_column(UTCDateTime())
