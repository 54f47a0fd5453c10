"""The assessment memory is made anew once: a corrected update no longer counts (fix56s).

Revision ID: 0040
Revises: 0039
Create Date: 2026-12-07

From here an update that a correction replaced counts for neither an item's latest update nor
its latest forecast (README "Corrections"; review56 2): a correction without a forecast no
longer leaves the corrected update's date standing. ``item_memory`` keeps what the last
assessment counted of each item's updates, and a full run after another rules version still
takes those from it (:mod:`governance.memory_inputs`), so a remembered forecast of a corrected
update would outlive the rule. The memory's header is removed: the next cycle then judges every
item from item_states and the updates, as a first run, and writes the whole memory anew
(:func:`regie.daily._full`). Nothing but that cache is touched; a downgrade has nothing to undo.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0040"
down_revision: str | Sequence[str] | None = "0039"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("DELETE FROM assessment_memory")


def downgrade() -> None:
    pass  # the next cycle made the memory anew under the new rule; the old one reads it as is
