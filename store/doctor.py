"""What `regie doctor` and ``/healthz?full=1`` read from the database: the role's privileges,
messages that are not getting out, calendar feeds in use. Reads only: nothing is written,
locked or migrated here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from store.models import OutboxRow
from store.models_web import CalendarTokenRow
from store.outbox import TEST_KIND, dead_keys
from store.outbox import held as held_messages

#: What the README's role SQL grants on every table ("Database roles (production)").
TABLE_PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE")
#: The migrations' own table: the app role only reads it (the schema check).
READ_ONLY_TABLES = {"alembic_version": ("SELECT",)}
#: How many programme ids a line names before "and more" (regie.programme_guard.held).
NAMED_PROGRAMMES = 3


def missing_postgres_privileges(connection: Connection) -> list[str]:
    """What the connected PostgreSQL role lacks of what the daily work needs, one entry per
    privilege (``DELETE on item_states``), tables and sequences of the current schema only.
    Empty when nothing is missing (the owner, or a role granted as the README says)."""
    found: list[str] = []
    schema = connection.exec_driver_sql(
        "SELECT coalesce(current_schema(), 'public'), "
        "has_schema_privilege(coalesce(current_schema(), 'public'), 'USAGE'), "
        "has_database_privilege(current_database(), 'TEMPORARY')"
    ).one()
    name, usage, temporary = schema
    if not usage:
        found.append(f"USAGE on schema {name}")
    if not temporary:
        found.append("TEMPORARY on the database (the cycle's COPY into a temporary table)")
    checks = ", ".join(
        f"has_table_privilege(c.oid, '{p}')" for p in TABLE_PRIVILEGES
    )  # constants, not input
    rows = connection.exec_driver_sql(
        f"SELECT c.relname, {checks} FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %(schema)s AND c.relkind IN ('r', 'p') ORDER BY c.relname",
        {"schema": name},
    ).all()
    for table, *held in rows:
        needed = READ_ONLY_TABLES.get(table, TABLE_PRIVILEGES)
        for privilege, has in zip(TABLE_PRIVILEGES, held, strict=True):
            if privilege in needed and not has:
                found.append(f"{privilege} on {table}")
    sequences = connection.exec_driver_sql(
        "SELECT c.relname, has_sequence_privilege(c.oid, 'USAGE'), "
        "has_sequence_privilege(c.oid, 'SELECT') FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %(schema)s AND c.relkind = 'S' ORDER BY c.relname",
        {"schema": name},
    ).all()
    for sequence, usage_held, select_held in sequences:
        if not usage_held:
            found.append(f"USAGE on sequence {sequence}")
        if not select_held:
            found.append(f"SELECT on sequence {sequence}")
    return found


@dataclass(frozen=True, slots=True)
class StuckMessages:
    """Messages that are not getting out: keys oldest first (set-up tests left out)."""

    dead: list[str] = field(default_factory=list)  # no more attempts, queued since ``dead_since``
    failed: list[str] = field(default_factory=list)  # failed, queued before ``before``
    failing: int = 0  # failed, queued since ``before``: still being retried
    waiting: list[str] = field(default_factory=list)  # pending and due, queued before ``before``
    #: Claimed as 'sending', each with its claim's instant (its sender at work, or stopped).
    held: list[tuple[str, datetime]] = field(default_factory=list)


def stuck_messages(
    session: Session, programme_id: str, *, before: datetime, dead_since: datetime
) -> StuckMessages:
    """The outbox's dead messages queued since ``dead_since`` (what `regie send` and `regie
    cycle` exit 1 for), failed ones queued before ``before``, the number of failed ones queued
    since, and pending ones queued before ``before`` whose next attempt is due (nobody sends?)."""
    o = OutboxRow
    mine = (o.programme_id == programme_id, o.kind != TEST_KIND)
    failed = list(
        session.scalars(
            sa.select(o.key).where(*mine, o.status == "failed", o.created_at < before)
            .order_by(o.id)
        )
    )  # fmt: skip
    failing = session.scalar(
        sa.select(sa.func.count()).where(*mine, o.status == "failed", o.created_at >= before)
    )
    due = sa.or_(o.next_attempt_at.is_(None), o.next_attempt_at < before)
    waiting = list(
        session.scalars(
            sa.select(o.key).where(*mine, o.status == "pending", o.created_at < before, due)
            .order_by(o.id)
        )
    )  # fmt: skip
    return StuckMessages(
        dead=dead_keys(session, programme_id, since=dead_since),
        failed=failed,
        failing=int(failing or 0),
        waiting=waiting,
        held=held_messages(session, programme_id),
    )


def active_calendar_tokens(session: Session, programme_id: str | None) -> int:
    """The programme's calendar feed tokens not revoked: their subscribers' URLs were built
    from the base URL. ``programme_id`` None: every programme's (the programme is not known)."""
    t = CalendarTokenRow
    mine = () if programme_id is None else (t.programme_id == programme_id,)
    query = sa.select(sa.func.count()).where(t.revoked_at.is_(None), *mine)
    return int(session.scalar(query) or 0)


def stored_programme_ids(session: Session, most: int = 2) -> list[str]:
    """The programmes the database holds, by id (at most ``most``: two tell whether it holds
    one, a few more are enough to name them)."""
    from store.models import ProgrammeRow

    return list(session.scalars(sa.select(ProgrammeRow.id).order_by(ProgrammeRow.id).limit(most)))


def programmes_to_name(session: Session) -> list[str]:
    """The first few programmes the database holds, by id: the :data:`NAMED_PROGRAMMES` a line
    names and one more, to tell whether it says "and more" (the sync's refusal, the doctor,
    a restore's check of a backup)."""
    return stored_programme_ids(session, most=NAMED_PROGRAMMES + 1)
