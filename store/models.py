"""SQLAlchemy models: one database can hold several programmes, so every row has a programme_id.

Plan entities (steps, actions, milestones, organisations, contacts) are archived, never deleted:
status history and events refer to them by code. ``status_updates``, ``events`` and ``prompts``
are append-only; migrations 0001 and 0002 install triggers that reject UPDATE and DELETE on them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from store.actor import current_actor
from store.coltypes import UTCDateTime as UTCDateTime  # re-exported: the models import it from here

#: Deterministic constraint names, so migrations render the same on SQLite and PostgreSQL.
NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

CODE = sa.String(64)
REVISION_ENTITIES = ("programme", "step", "organisation", "contact", "action", "milestone")
REVISION_KINDS = ("created", "changed", "archived", "restored")


def recorded_by() -> Mapped[str | None]:
    """Who recorded the row (migration 0018): the acting person when it is inserted
    (:func:`store.actor.current_actor`); NULL for rows recorded before 0018."""
    return mapped_column(sa.Text, default=current_actor, nullable=True)


def _one_of(column: str, values: tuple[str, ...]) -> str:
    """The SQL text of a CHECK constraint; migration 0001 spells out the same text."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class PlanEntityMixin:
    """Programme-scoped plan rows: archived (``archived_at``), never deleted."""

    programme_id: Mapped[str] = mapped_column(CODE, sa.ForeignKey("programmes.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ProgrammeRow(Base):
    __tablename__ = "programmes"

    id: Mapped[str] = mapped_column(CODE, primary_key=True)
    title: Mapped[str] = mapped_column(sa.Text)
    short_title: Mapped[str | None] = mapped_column(sa.Text)
    description: Mapped[str | None] = mapped_column(sa.Text)
    start_date: Mapped[date | None] = mapped_column(sa.Date)
    end_date: Mapped[date | None] = mapped_column(sa.Date)
    source_document: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class StepRow(PlanEntityMixin, Base):
    __tablename__ = "steps"
    __table_args__ = (sa.UniqueConstraint("programme_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(sa.Integer)
    title: Mapped[str] = mapped_column(sa.Text)
    goal: Mapped[str | None] = mapped_column(sa.Text)


class OrganisationRow(PlanEntityMixin, Base):
    __tablename__ = "organisations"
    __table_args__ = (sa.UniqueConstraint("programme_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(CODE)
    name: Mapped[str] = mapped_column(sa.Text)
    kind: Mapped[str | None] = mapped_column(sa.Text)
    note: Mapped[str | None] = mapped_column(sa.Text)


class ContactRow(PlanEntityMixin, Base):
    __tablename__ = "contacts"
    __table_args__ = (
        sa.UniqueConstraint("programme_id", "code"),
        sa.ForeignKeyConstraint(
            ["programme_id", "organisation_code"],
            ["organisations.programme_id", "organisations.code"],
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(CODE)
    name: Mapped[str] = mapped_column(sa.Text)
    organisation_code: Mapped[str] = mapped_column(CODE)
    email: Mapped[str | None] = mapped_column(sa.Text)
    slack: Mapped[str | None] = mapped_column(sa.Text)
    role: Mapped[str | None] = mapped_column(sa.Text)
    programme_office: Mapped[bool] = mapped_column(sa.Boolean)


class PlanItemMixin(PlanEntityMixin):
    """Columns shared by actions and milestones (the things with a *gereed*)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(CODE)
    title: Mapped[str] = mapped_column(sa.Text)
    gereed: Mapped[str | None] = mapped_column(sa.Text)  # verbatim from the plan
    period_kind: Mapped[str | None] = mapped_column(sa.String(32))
    period_start: Mapped[date | None] = mapped_column(sa.Date)
    period_end: Mapped[date | None] = mapped_column(sa.Date)
    owners: Mapped[list[str]] = mapped_column(sa.JSON)
    depends_on: Mapped[list[str]] = mapped_column(sa.JSON)
    note: Mapped[str | None] = mapped_column(sa.Text)
    position: Mapped[int] = mapped_column(sa.Integer)  # order within the step / action


class ActionRow(PlanItemMixin, Base):
    __tablename__ = "actions"
    __table_args__ = (
        sa.UniqueConstraint("programme_id", "code"),
        sa.ForeignKeyConstraint(
            ["programme_id", "step_number"], ["steps.programme_id", "steps.number"]
        ),
    )

    step_number: Mapped[int] = mapped_column(sa.Integer)
    group: Mapped[str | None] = mapped_column(sa.Text)
    source: Mapped[str | None] = mapped_column(sa.Text)


class MilestoneRow(PlanItemMixin, Base):
    __tablename__ = "milestones"
    __table_args__ = (sa.UniqueConstraint("programme_id", "code"),)

    action_id: Mapped[int] = mapped_column(sa.ForeignKey("actions.id"), index=True)


class PlanRevisionRow(Base):
    """One recorded difference between the stored plan and a plan file that was synced."""

    __tablename__ = "plan_revisions"
    __table_args__ = (
        sa.CheckConstraint(_one_of("entity", REVISION_ENTITIES), name="entity"),
        sa.CheckConstraint(_one_of("kind", REVISION_KINDS), name="kind"),
        sa.Index("ix_plan_revisions_item", "programme_id", "entity", "code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(CODE, sa.ForeignKey("programmes.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    entity: Mapped[str] = mapped_column(sa.String(16))
    code: Mapped[str] = mapped_column(CODE)
    kind: Mapped[str] = mapped_column(sa.String(16))
    field: Mapped[str | None] = mapped_column(sa.String(32))  # None for created/archived/restored
    before: Mapped[Any] = mapped_column(sa.JSON(none_as_null=True), nullable=True)
    after: Mapped[Any] = mapped_column(sa.JSON(none_as_null=True), nullable=True)
    plan_path: Mapped[str | None] = mapped_column(sa.Text)
    recorded_by: Mapped[str | None] = recorded_by()


class StatusUpdateRow(Base):
    """Append-only: a correction is a new row, never an edit."""

    __tablename__ = "status_updates"
    __table_args__ = (
        # The assessment's two picks per item (latest update, latest forecast) are index seeks
        # with these (benchmarks/RESULTS.md); they also serve lookups by item.
        sa.Index(
            "ix_status_updates_latest",
            "programme_id", "item_code", "reported_on", "recorded_at", "id", "status",
        ),
        sa.Index(
            "ix_status_updates_forecast",
            "programme_id", "item_code", "reported_on", "recorded_at", "id", "forecast",
            sqlite_where=sa.text("forecast IS NOT NULL"),
            postgresql_where=sa.text("forecast IS NOT NULL"),
        ),
        sa.Index("ix_status_updates_reported_on", "programme_id", "reported_on"),
        # An update is corrected at most once (migration 0029): a correction of a correction
        # goes on the chain's newest link.
        sa.Index("ux_status_updates_corrects", "corrects", unique=True),
    )  # fmt: skip

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(CODE, sa.ForeignKey("programmes.id"))
    item_code: Mapped[str] = mapped_column(CODE)  # an action or milestone code; no FK, see above
    status: Mapped[str] = mapped_column(sa.String(32))
    reported_on: Mapped[date] = mapped_column(sa.Date)
    forecast: Mapped[date | None] = mapped_column(sa.Date)
    completed_on: Mapped[date | None] = mapped_column(sa.Date)
    comment: Mapped[str | None] = mapped_column(sa.Text)
    author: Mapped[str | None] = mapped_column(sa.Text)
    source: Mapped[str] = mapped_column(sa.String(32))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    recorded_by: Mapped[str | None] = recorded_by()  # who typed it in (author: whose answer)
    #: The update this one corrects (the office's "Corrigeren", an owner's "Wijzigen"); the
    #: corrected row stays as it was.
    corrects: Mapped[int | None] = mapped_column(sa.ForeignKey("status_updates.id"))


class EventRow(Base):
    """Append-only audit log of domain events; ``dedupe_key`` makes recording idempotent."""

    __tablename__ = "events"
    __table_args__ = (
        sa.UniqueConstraint("programme_id", "dedupe_key"),
        sa.Index("ix_events_occurred_on", "programme_id", "occurred_on"),
        sa.Index("ix_events_item", "programme_id", "item_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(CODE, sa.ForeignKey("programmes.id"))
    name: Mapped[str] = mapped_column(sa.String(64))
    item_code: Mapped[str | None] = mapped_column(CODE)
    occurred_on: Mapped[date] = mapped_column(sa.Date)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    payload: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    dedupe_key: Mapped[str] = mapped_column(sa.String(255))


class ItemStateRow(Base):
    """An item's assessed state from ``as_of`` on: a row only where it differs from the day before.

    The assessment's memory and the recorded RAG history: rerunning the latest assessed day
    replaces (or removes) that day's rows; the rows of earlier days are history and the
    database refuses to change them (migration 0018). The unique index also serves "latest row
    before a day, per item".
    """

    __tablename__ = "item_states"
    __table_args__ = (
        sa.UniqueConstraint("programme_id", "item_code", "as_of"),
        sa.Index("ix_item_states_as_of", "programme_id", "as_of"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(CODE, sa.ForeignKey("programmes.id"))
    item_code: Mapped[str] = mapped_column(CODE)
    as_of: Mapped[date] = mapped_column(sa.Date)
    state: Mapped[str] = mapped_column(sa.String(32))
    rag: Mapped[str] = mapped_column(sa.String(16))
    stale: Mapped[bool] = mapped_column(sa.Boolean)
    due: Mapped[date | None] = mapped_column(sa.Date)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PromptRow(Base):
    """Append-only: one prompt stage (or escalation key) queued for one contact about one item."""

    __tablename__ = "prompts"
    __table_args__ = (
        sa.UniqueConstraint("programme_id", "item_code", "stage", "contact_code"),
        sa.Index("ix_prompts_queued_on", "programme_id", "queued_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(CODE, sa.ForeignKey("programmes.id"))
    item_code: Mapped[str] = mapped_column(CODE)
    stage: Mapped[str] = mapped_column(sa.String(255))  # escalation stages are whole keys
    contact_code: Mapped[str] = mapped_column(CODE)  # "" for an escalation nobody receives
    queued_on: Mapped[date] = mapped_column(sa.Date)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())


OUTBOX_STATUSES = ("pending", "sending", "sent", "failed", "dead", "suppressed")


class OutboxRow(Base):
    """A message to deliver, unique per idempotency key: pending → sending → sent (or failed,
    retried, dead). Rows are never deleted and a sent row stays sent (triggers from 0002)."""

    __tablename__ = "outbox"
    __table_args__ = (
        sa.UniqueConstraint("programme_id", "key"),
        sa.CheckConstraint(_one_of("status", OUTBOX_STATUSES), name="status"),
        sa.Index("ix_outbox_status_next_attempt_at", "status", "next_attempt_at"),
        # The states of a day's digests without reading their rows (0028): on SQLite a status
        # stored after a megabyte payload is read by walking the payload's pages.
        sa.Index("ix_outbox_programme_id_key_status", "programme_id", "key", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(CODE, sa.ForeignKey("programmes.id"))
    key: Mapped[str] = mapped_column(sa.String(255))
    kind: Mapped[str] = mapped_column(sa.String(64))
    recipient: Mapped[str] = mapped_column(CODE)
    recipient_name: Mapped[str] = mapped_column(sa.Text)
    email: Mapped[str | None] = mapped_column(sa.Text)
    slack: Mapped[str | None] = mapped_column(sa.Text)
    subject: Mapped[str] = mapped_column(sa.Text)
    body_text: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str | None] = mapped_column(sa.Text)
    payload: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    created_on: Mapped[date | None] = mapped_column(sa.Date)  # the business day it was queued for
    status: Mapped[str] = mapped_column(sa.String(16))
    attempts: Mapped[int] = mapped_column(sa.Integer, default=0, server_default=sa.text("0"))
    # The attempts before `regie outbox retry` gave fresh ones (0032): the message was tried.
    # The server's default only: an insert that does not name it also fits an older schema
    # (the migration tests insert rows before 0032).
    earlier_attempts: Mapped[int] = mapped_column(sa.Integer, server_default=sa.text("0"))
    # The channel an attempt left it on without knowing whether it arrived (0032; NULL: none):
    # later attempts use that channel only (notifications.routing).
    tried_channel: Mapped[str | None] = mapped_column(sa.String(32))
    channel: Mapped[str | None] = mapped_column(sa.String(32))
    external_id: Mapped[str | None] = mapped_column(sa.Text)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A fresh value per claim: only the sender holding the latest claim may record the result.
    claim_token: Mapped[str | None] = mapped_column(sa.String(32))
    # When it was first tried (migration 0022; NULL: not yet, or tried before 0022): a message
    # failing for less than the give-up window is never dead (store.outbox.GIVE_UP_AFTER).
    first_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When `regie outbox prune` erased its personal content (0033; NULL: not pruned): the row,
    # its key and dates stay, so the message is never queued again.
    pruned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


#: Tables whose rows may only be inserted (enforced by triggers from migrations 0001, 0002, 0004).
APPEND_ONLY_TABLES = ("status_updates", "events", "prompts", "plan_revisions", "assessed_days")

# Tables of later issues live in their own modules; importing them here registers them in
# Base.metadata (migrations' autogenerate comparison). Kept at the end: they import from here.
from store import models_answers as _models_answers  # noqa: E402, F401
from store import models_delivery as _models_delivery  # noqa: E402, F401
from store import models_erasure as _models_erasure  # noqa: E402, F401
from store import models_faults as _models_faults  # noqa: E402, F401
from store import models_incremental as _models_incremental  # noqa: E402, F401
from store import models_reports as _models_reports  # noqa: E402, F401
from store import models_web as _models_web  # noqa: E402, F401
