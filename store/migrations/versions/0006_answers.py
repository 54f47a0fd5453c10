"""Answers (issue #10): answer links, status rounds, Slack request replay guard.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

Reserved in order so that parallel work can fill its own revision without a branch; an empty
revision changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
