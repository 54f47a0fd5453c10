"""The incremental assessment's memory (migration 0009): per programme the day last assessed
and on what basis, per item what that day said and when to look at it again.

A cache of what ``item_states`` and the plan already say, never history: dropping every row
only costs the next daily cycle a full assessment.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from store.models import Base, UTCDateTime

CODE = sa.String(64)  # as store.models.CODE


class AssessmentMemoryRow(Base):
    __tablename__ = "assessment_memory"

    programme_id: Mapped[str] = mapped_column(
        CODE, sa.ForeignKey("programmes.id"), primary_key=True
    )
    as_of: Mapped[date] = mapped_column(sa.Date)  # the day the item rows describe
    basis: Mapped[str] = mapped_column(sa.String(64))  # governance.incremental.basis
    plan_hash: Mapped[str | None] = mapped_column(sa.String(64))  # of the plan file, if known
    seen_update_id: Mapped[int] = mapped_column(sa.BigInteger)  # the newest update read
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ItemMemoryRow(Base):
    __tablename__ = "item_memory"

    programme_id: Mapped[str] = mapped_column(
        CODE, sa.ForeignKey("programmes.id"), primary_key=True
    )
    item_code: Mapped[str] = mapped_column(CODE, primary_key=True)
    state: Mapped[str] = mapped_column(sa.String(32))
    rag: Mapped[str] = mapped_column(sa.String(16))
    stale: Mapped[bool] = mapped_column(sa.Boolean)
    due: Mapped[date | None] = mapped_column(sa.Date)
    next_check: Mapped[date | None] = mapped_column(sa.Date)
    action_code: Mapped[str] = mapped_column(CODE)
    # What the assessment counted of the item's updates (migration 0010): the latest update's
    # id, day and status (all None: none), the latest forecast.
    latest_id: Mapped[int | None] = mapped_column(sa.Integer)
    latest_on: Mapped[date | None] = mapped_column(sa.Date)
    latest_status: Mapped[str | None] = mapped_column(sa.String(32))
    forecast: Mapped[date | None] = mapped_column(sa.Date)
    # The latest update's source (migration 0023): a decision's update answers no prompt.
    latest_source: Mapped[str | None] = mapped_column(sa.String(32))
    fingerprint: Mapped[str] = mapped_column(sa.String(32))  # "" once removed from the plan
    # The item's first assessed day as item_first_assessed holds it (migration 0041): read
    # with the due rows instead of from that table. None: not kept, read from the table.
    first_assessed: Mapped[date | None] = mapped_column(sa.Date)


class ActionTallyRow(Base):
    """How many of a programme's memory rows each action has per colour (migration 0012):
    the day's roll-ups read from one row per action (10,000 at 100k items), not grouped from
    every memory row; changed by each day's cycle for the actions its rows moved in, made the
    rows' own again by a full run, and counted again from the rows when it does not add up
    to them (store.tallies.load_tally)."""

    __tablename__ = "memory_action_tally"

    programme_id: Mapped[str] = mapped_column(
        CODE, sa.ForeignKey("programmes.id"), primary_key=True
    )
    action_code: Mapped[str] = mapped_column(CODE, primary_key=True)
    # governance.incremental.COLOUR_ORDER
    grey: Mapped[int] = mapped_column(sa.Integer)
    green: Mapped[int] = mapped_column(sa.Integer)
    amber: Mapped[int] = mapped_column(sa.Integer)
    red: Mapped[int] = mapped_column(sa.Integer)


class StateTallyRow(Base):
    """How many of a programme's memory rows there are per state (migration 0012), kept as
    :class:`ActionTallyRow` is."""

    __tablename__ = "memory_state_tally"

    programme_id: Mapped[str] = mapped_column(
        CODE, sa.ForeignKey("programmes.id"), primary_key=True
    )
    state: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    item_count: Mapped[int] = mapped_column(sa.Integer)


class PlanSyncRow(Base):
    """The plan file content the stored plan was last synced from: syncing the same file again
    is then a hash comparison (see :func:`store.sync.sync_plan`)."""

    __tablename__ = "plan_sync"

    programme_id: Mapped[str] = mapped_column(
        CODE, sa.ForeignKey("programmes.id"), primary_key=True
    )
    plan_hash: Mapped[str] = mapped_column(sa.String(64))
    plan_path: Mapped[str | None] = mapped_column(sa.Text)
    entities: Mapped[int] = mapped_column(sa.Integer)  # live entities after that sync
    synced_at: Mapped[datetime] = mapped_column(UTCDateTime())
