"""The first cycle after a recorded restore (walk58d 5): the restored database does not know
what went out after its backup, so that cycle would queue those messages again and send them.
It queues and sends nothing (as ``--no-send``), says why and what to look at
(docs/operations.md, "Restore", step 4); a dry run says which channels leave no trace of what
went out. Any cycle that ran after the restore, or the first one after it that queued without
sending (recorded: :data:`CYCLED`), answers it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from regie.backup import RESTORED
from regie.bootstrap import App

#: Recorded by the first cycle after a restore that queued without sending (held, or
#: ``--no-send`` as step 4 says): the restore is answered; once per restore.
CYCLED = "regie.db.restore_cycled"

#: What an operator does next: docs/operations.md, "Restore", step 4.
STEP_4 = (
    "look at `regie outbox --status pending`, mark those known to have gone out with "
    "`regie outbox mark-sent KEY… --yes`, then `regie send` "
    '(docs/operations.md, "Restore", step 4)'
)


@dataclass(frozen=True)
class Restore:
    """A recorded restore no cycle has answered yet."""

    event_id: int
    file: str
    at: datetime  # when it was recorded

    def said(self, app: App) -> str:
        from regie.history import office_time
        from regie.services import office_zone

        return f"a restore from {self.file} was recorded {office_time(self.at, office_zone(app))}"


def unanswered(app: App, programme_id: str) -> Restore | None:
    """The latest recorded restore (``regie.db.restored``) when no cycle has run since: no day
    assessed after it was recorded and no :data:`CYCLED` after it."""
    from store.models import EventRow
    from store.models_faults import AssessedDayRow

    with app.session() as session:
        # Only a restore recorded since the last assessed day can be unanswered: its business
        # day (the office's day when recorded) is at least that run's UTC date less one, so the
        # events index on (programme, occurred_on) reads a day or two of events, not all of
        # them (146k events: 50 → < 1 ms per cycle; events have no index on their name).
        last_run = session.scalar(
            sa.select(sa.func.max(AssessedDayRow.recorded_at)).where(
                AssessedDayRow.programme_id == programme_id
            )
        )
        recent = (
            EventRow.occurred_on >= last_run.date() - timedelta(days=1)
            if last_run is not None
            else sa.true()
        )
        row = session.execute(
            sa.select(EventRow.id, EventRow.payload, EventRow.recorded_at)
            .where(EventRow.programme_id == programme_id, recent, EventRow.name == RESTORED)
            .order_by(EventRow.id.desc())
            .limit(1)
        ).first()
        if row is None:
            return None
        cycled = session.scalar(
            sa.select(EventRow.id).where(
                EventRow.programme_id == programme_id,
                EventRow.name == CYCLED,
                EventRow.id > row.id,
            )
        )
        assessed = session.scalar(
            sa.select(AssessedDayRow.as_of).where(
                AssessedDayRow.programme_id == programme_id,
                AssessedDayRow.recorded_at > row.recorded_at,
            )
        )
    if cycled is not None or assessed is not None:
        return None
    return Restore(row.id, str((row.payload or {}).get("file") or "?"), row.recorded_at)


def record_cycled(app: App, programme_id: str, restore: Restore, *, held: bool) -> None:
    """The cycle after ``restore`` queued without sending (``held``: this cycle decided so)."""
    from regie.services import office_day, utcnow
    from store.audit import record_action

    now = utcnow()
    with app.session() as session, session.begin():
        record_action(
            session, programme_id, CYCLED, now=now, occurred_on=office_day(app, now),
            payload={"restored_event": restore.event_id, "held": held},
            key=str(restore.event_id),
        )  # fmt: skip


def held_line(app: App, restore: Restore, pending: int) -> str:
    """Why this cycle sent nothing, and what to do."""
    from governance.counts import count

    return (
        f"regie: {restore.said(app)} and no cycle has run since: this cycle sent nothing "
        f"({count(pending, 'message')} pending), since messages sent after the backup may be "
        f"queued again; {STEP_4}"
    )


def dry_run_line(app: App, restore: Restore) -> str | None:
    """What a dry run cannot tell after ``restore``: e-mail and Slack leave no trace of what
    went out (only the file outbox does); None when every channel is the file outbox."""
    untraced = [n for n in app.settings.notifiers if n != "file"]
    if not untraced:
        return None
    return (
        f"  {restore.said(app)}: what went out since the backup by {' or '.join(untraced)} "
        "leaves no trace here, so this dry run cannot tell which of these messages were sent "
        "already; the cycle will queue them and send none until they are looked at"
    )


def pending_count(app: App, programme_id: str) -> int:
    """Messages of the programme waiting to be sent."""
    from store.models import OutboxRow

    with app.session() as session:
        return int(
            session.scalar(
                sa.select(sa.func.count())
                .select_from(OutboxRow)
                .where(OutboxRow.programme_id == programme_id, OutboxRow.status == "pending")
            )
            or 0
        )
