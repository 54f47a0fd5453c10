"""Calendar feeds and office web (issue #12): feed tokens, users, sessions.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01

Reserved in order so that parallel work can fill its own revision without a branch; an empty
revision changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
