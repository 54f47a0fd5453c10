"""Slack and e-mail delivery (issue #9): Slack user look-up cache, delivery details.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

Reserved in order so that parallel work can fill its own revision without a branch; an empty
revision changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
