"""Fault fixes (issue #7): last assessed day, claim tokens, immutable sent messages and revisions.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

Reserved in order so that parallel work can fill its own revision without a branch; an empty
revision changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
