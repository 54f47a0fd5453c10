"""Each item's first assessed day: the stale clock starts no earlier (walk49 1, fresh50).

Revision ID: 0038
Revises: 0037
Create Date: 2026-12-07

- ``item_first_assessed``: per programme and item the business day (``as_of``) of the first
  recorded deadline check that included the item. An item is *verouderd* only after
  ``stale_after_days`` working days without an update counted from that day at the earliest:
  nobody is blamed for not reporting before Regie was there to ask.
- Backfill: each item that has an ``item_states`` row gets the day of its first one. Every
  recorded check writes a row for an item it assesses for the first time (there is no earlier
  one to equal), so that is the day the daily cycle would have stored; for the items there
  from the start it is the programme's earliest assessed day (``store.states.first_assessed``).
  An upgraded installation keeps its stale flags, unless they were only due to the time before
  Regie first assessed the item (the next cycle, a full one: rules version 9, drops those
  without a ``regie.milestone.stale`` event). An item never assessed gets its day from the
  next recorded check. A renumbered item (``regie.item.renumbered``, in event order, so a chain
  too) takes the old id's day where that is earlier, as the sync does at run time
  (``store.sync_formerly``): its own ``item_states`` start only at the renumbering (review51 1).
- ``recorded_at``: when the row was first written (the backfill: the ``recorded_at`` of that
  first state; a carried day: the old id's), so a report's data cut-off reads only the days
  stored by then and an archived pack reproduces after a later catch-up replay (review51 2).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0038"
down_revision: str | Sequence[str] | None = "0037"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "item_first_assessed",
        sa.Column("programme_id", sa.String(length=64), nullable=False),
        sa.Column("item_code", sa.String(length=64), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programmes.id"],
            name=op.f("fk_item_first_assessed_programme_id_programmes"),
        ),
        sa.PrimaryKeyConstraint("programme_id", "item_code", name=op.f("pk_item_first_assessed")),
    )
    # Each item's first state (the unique index on programme, item, day serves NOT EXISTS).
    op.execute(
        "INSERT INTO item_first_assessed (programme_id, item_code, as_of, recorded_at) "
        "SELECT s.programme_id, s.item_code, s.as_of, s.recorded_at FROM item_states s "
        "WHERE NOT EXISTS (SELECT 1 FROM item_states e WHERE e.programme_id = s.programme_id "
        "AND e.item_code = s.item_code AND e.as_of < s.as_of)"
    )
    _carry_renumbered(op.get_bind())


#: Typed (dates read back as dates on SQLite too); this revision's columns, not the model's.
_DAYS = sa.table(
    "item_first_assessed",
    sa.column("programme_id", sa.String),
    sa.column("item_code", sa.String),
    sa.column("as_of", sa.Date),
    sa.column("recorded_at", sa.DateTime(timezone=True)),
)
_EVENTS = sa.table(
    "events",
    sa.column("id", sa.Integer),
    sa.column("programme_id", sa.String),
    sa.column("name", sa.String),
    sa.column("payload", sa.JSON),
)


def _carry_renumbered(connection: sa.Connection) -> None:
    """Each renumbering in event order: the new id's day lowered to the old id's (or set)."""
    d, e = _DAYS.c, _EVENTS.c
    found = connection.execute(
        sa.select(e.programme_id, e.payload).where(e.name == "regie.item.renumbered").order_by(e.id)
    ).all()
    for programme, payload in found:
        moved = json.loads(payload) if isinstance(payload, str) else payload
        old, new = moved.get("from"), moved.get("to")
        key = (d.programme_id == programme) & (d.item_code == old)
        then = connection.execute(sa.select(d.as_of, d.recorded_at).where(key)).first()
        if then is None or not new:
            continue
        key = (d.programme_id == programme) & (d.item_code == new)
        now = connection.execute(sa.select(d.as_of).where(key)).scalar()
        carried = {"as_of": then.as_of, "recorded_at": then.recorded_at}
        if now is None:
            connection.execute(
                sa.insert(_DAYS).values(programme_id=programme, item_code=new, **carried)
            )
        elif now > then.as_of:
            connection.execute(sa.update(_DAYS).where(key).values(**carried))


def downgrade() -> None:
    op.drop_table("item_first_assessed")
