"""Bounces: delivery status notifications matched to the messages they return.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-04

``regie mail bounces`` reads bounces from the mailbox the sender address lands in and records
each one matched to an outbox message here, once (``dedupe_key``). Append-only: whether a
contact's address is bouncing is derived from these rows, the outbox and the plan.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "mail_bounces",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.String(64), nullable=False),
        sa.Column("dedupe_key", sa.String(64), nullable=False),
        sa.Column("message_key", sa.String(255), nullable=False),
        sa.Column("recipient", sa.String(64), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("permanent", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(16), nullable=True),
        sa.Column("diagnostic", sa.Text(), nullable=True),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programmes.id"],
            name=op.f("fk_mail_bounces_programme_id_programmes"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_bounces")),
        sa.UniqueConstraint(
            "programme_id", "dedupe_key", name=op.f("uq_mail_bounces_programme_id_dedupe_key")
        ),
    )


def downgrade() -> None:
    op.drop_table("mail_bounces")
