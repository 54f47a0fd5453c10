"""Answer links keep only a hash of their id, and a hash of the address they were sent to.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03

- ``answer_links.token`` held the random id from the link's URL in clear: whoever read the
  database (or a backup) could answer as any owner while the link was valid. It now holds the
  id's SHA-256 (hex, 64 characters, the column's width); existing rows are converted here.
- ``answer_links.recipient_hash`` (new): SHA-256 of the address the link's message went to
  (``regie-recipient-v1`` + the address, trimmed and lower-cased), so that a link sent to a
  contact id's previous holder is refused once the plan gives the id another address. Existing
  rows get the hash of their outbox message's ``email``; a message without one leaves NULL
  (such a link is not bound to an address).

The conversion has to pass 0006's guard triggers (a link's token never changes): on SQLite they
are dropped and re-created from their own stored SQL, on PostgreSQL the table's user triggers
are disabled for the conversion only.

Downgrade drops ``recipient_hash`` but cannot give the ids back (a hash is one-way): after a
downgrade every link issued before it is refused as invalid (``link_tampered``); owners answer
through the next reminder's link, Slack or the office. Nothing else is lost.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _token_hash(token: str) -> str:  # as store.answers.token_hash (frozen here)
    return hashlib.sha256(token.encode()).hexdigest()


def _address_hash(address: str) -> str:  # as store.answers.address_hash (frozen here)
    normal = address.strip().lower()
    return hashlib.sha256(f"regie-recipient-v1\x1f{normal}".encode()).hexdigest()


def upgrade() -> None:
    op.add_column("answer_links", sa.Column("recipient_hash", sa.String(length=64), nullable=True))
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT a.id, a.token, o.email FROM answer_links a LEFT JOIN outbox o "
            "ON o.programme_id = a.programme_id AND o.key = a.outbox_key ORDER BY a.id"
        )
    ).all()
    if not rows:
        return
    values = [
        {
            "id": row_id,
            "token": _token_hash(token),
            "recipient": _address_hash(email) if email else None,
        }
        for row_id, token, email in rows
    ]
    with _guards_lifted():
        bind.execute(
            sa.text(
                "UPDATE answer_links SET token = :token, recipient_hash = :recipient WHERE id = :id"
            ),
            values,
        )


def downgrade() -> None:
    # SQLite copies the table to drop a column: its triggers would go with it
    with _guards_lifted(), op.batch_alter_table("answer_links") as batch:
        batch.drop_column("recipient_hash")


@contextmanager
def _guards_lifted() -> Iterator[None]:
    """The answer links' guard triggers off for the block, then back exactly as they were
    (SQLite: re-created from their own stored SQL, whatever revision last wrote them)."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("ALTER TABLE answer_links DISABLE TRIGGER USER")
        yield
        op.execute("ALTER TABLE answer_links ENABLE TRIGGER USER")
        return
    saved = bind.execute(
        sa.text(
            "SELECT name, sql FROM sqlite_master "
            "WHERE type = 'trigger' AND tbl_name = 'answer_links' ORDER BY name"
        )
    ).all()
    for name, _ in saved:
        op.execute(f'DROP TRIGGER "{name}"')
    yield
    for _, sql in saved:
        op.execute(sql)
