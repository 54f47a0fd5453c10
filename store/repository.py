"""Reads and writes for one programme. The caller owns the session and its transaction.

Status updates, events and prompts are append-only: this class has no method to change or remove
them, and the database rejects UPDATE and DELETE on those tables (triggers from migrations 0001
and 0002). Item states and the outbox live in :mod:`~store.states` and
:mod:`~store.outbox`; the methods here delegate to them.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from governance.clock import require_aware, utcnow
from governance.reminders import PromptRecord
from governance.updates import StatusUpdate, UpdateStatus
from store import outbox as _outbox
from store import states as _states
from store.dialect import Repeated, arrays_worthwhile, insert_function, staged
from store.models import (
    ActionRow,
    EventRow,
    MilestoneRow,
    PlanRevisionRow,
    ProgrammeRow,
    StatusUpdateRow,
)
from store.records import (
    EventRecord,
    OutboxRecord,
    PreviousStates,
    Revision,
    StateRecord,
    StoredEvent,
)

#: Rows per INSERT statement: well under SQLite's limit on bound parameters.
EVENT_BATCH = 500


class UnknownItem(LookupError):
    """A status update names no current action or milestone of the programme."""

    def __init__(self, code: str, programme_id: str | None = None) -> None:
        where = f" in programme {programme_id!r}" if programme_id else ""
        super().__init__(f"unknown or archived item {code!r}{where}")
        self.code = code
        self.programme_id = programme_id


class Repository:
    def __init__(
        self,
        session: Session,
        programme_id: str,
        *,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._session = session
        self.programme_id = programme_id
        self._clock = clock  # stamps recorded_at; injectable for tests

    # --- plan -------------------------------------------------------------------------------

    def programme_exists(self) -> bool:
        return self._session.get(ProgrammeRow, self.programme_id) is not None

    def is_current_item(self, code: str) -> bool:
        """Whether ``code`` is a current (not archived) action or milestone: one query."""
        return self._has_item(code, archived=False)

    def has_item(self, code: str) -> bool:
        """Whether ``code`` is an action or milestone the store knows, archived ones included
        (their history stays): one query."""
        return self._has_item(code, archived=True)

    def _has_item(self, code: str, *, archived: bool) -> bool:
        found = sa.union_all(
            *(
                sa.select(model.id).where(
                    model.programme_id == self.programme_id,
                    model.code == code,
                    *(() if archived else (model.archived_at.is_(None),)),
                )
                for model in (ActionRow, MilestoneRow)
            )
        ).limit(1)
        return self._session.execute(found).first() is not None

    def revisions(
        self,
        *,
        entity: str | None = None,
        code: str | None = None,
        since: datetime | None = None,
    ) -> list[Revision]:
        """Recorded plan changes, oldest first; ``since`` is inclusive."""
        query = sa.select(PlanRevisionRow).where(PlanRevisionRow.programme_id == self.programme_id)
        if entity is not None:
            query = query.where(PlanRevisionRow.entity == entity)
        if code is not None:
            query = query.where(PlanRevisionRow.code == code)
        if since is not None:
            query = query.where(PlanRevisionRow.recorded_at >= since)
        query = query.order_by(PlanRevisionRow.recorded_at, PlanRevisionRow.id)
        return [
            Revision(
                entity=r.entity,
                code=r.code,
                kind=r.kind,
                field=r.field,
                before=r.before,
                after=r.after,
                recorded_at=r.recorded_at,
                plan_path=r.plan_path,
                id=r.id,
            )
            for r in self._session.scalars(query)
        ]

    # --- status updates (append-only) -------------------------------------------------------

    def add_status_update(self, update: StatusUpdate) -> StatusUpdate:
        """Append one update; return it with ``id`` and ``recorded_at`` (UTC) filled in."""
        if update.id is not None:
            raise ValueError(f"status update {update.id} is already stored")
        if not self.is_current_item(update.item_id):
            raise UnknownItem(update.item_id, self.programme_id)
        recorded_at = update.recorded_at or self._clock()
        require_aware(recorded_at, "recorded_at")
        row = StatusUpdateRow(
            programme_id=self.programme_id,
            item_code=update.item_id,
            status=UpdateStatus(update.status).value,
            reported_on=update.reported_on,
            forecast=update.forecast,
            completed_on=update.completed_on,
            comment=update.comment,
            author=update.author,
            source=update.source,
            recorded_at=recorded_at.astimezone(UTC),
            corrects=update.corrects,
        )
        self._session.add(row)
        self._session.flush()
        return replace(update, id=row.id, recorded_at=row.recorded_at)

    def status_updates(
        self, until: date | None = None, *, item: str | None = None
    ) -> list[StatusUpdate]:
        """Updates reported on or before ``until``, by reported_on, recorded_at, id."""
        query = sa.select(StatusUpdateRow).where(StatusUpdateRow.programme_id == self.programme_id)
        if until is not None:
            query = query.where(StatusUpdateRow.reported_on <= until)
        if item is not None:
            query = query.where(StatusUpdateRow.item_code == item)
        query = query.order_by(
            StatusUpdateRow.reported_on, StatusUpdateRow.recorded_at, StatusUpdateRow.id
        )
        return [_status_update(row) for row in self._session.scalars(query)]

    def status_update(self, update_id: int) -> StatusUpdate | None:
        """The programme's update ``update_id`` (None: no such update here)."""
        row = self._session.get(StatusUpdateRow, update_id)
        if row is None or row.programme_id != self.programme_id:
            return None
        return _status_update(row)

    def latest_updates(self, until: date | None = None) -> dict[str, StatusUpdate]:
        """The newest update per item (the last in :meth:`status_updates` order)."""
        return {u.item_id: u for u in self.status_updates(until)}

    # --- events (append-only, idempotent) ---------------------------------------------------

    def record_events(self, events: Iterable[EventRecord]) -> int:
        """Insert events whose ``dedupe_key`` is new; return how many were inserted."""
        return len(self.record_new_events(events))

    def record_new_events(self, events: Iterable[EventRecord]) -> list[str]:
        """Insert events whose ``dedupe_key`` is new; return those keys in input order.

        Uses INSERT … ON CONFLICT DO NOTHING, so a duplicate neither raises nor aborts the
        caller's transaction (PostgreSQL would otherwise poison it).
        """
        # One statement on the table, executed for many rows (SQLAlchemy batches them into
        # multi-row INSERTs with one compilation); multi-row VALUES built through the ORM
        # entity were compiled anew per batch and cost minutes for 20,000 events.
        target = Repeated(self._session, EventRow.__table__, ("occurred_on", "recorded_at"))
        table = target.table
        recorded_at = target.value("recorded_at", self._clock())
        rows: dict[str, dict[str, Any]] = {}
        for event in events:
            rows.setdefault(
                event.dedupe_key,
                {
                    "programme_id": self.programme_id,
                    "name": event.name,
                    "item_code": event.item_id,
                    "occurred_on": target.value("occurred_on", event.occurred_on),
                    "recorded_at": recorded_at,
                    "payload": dict(event.payload),
                    "dedupe_key": event.dedupe_key,
                },
            )
        if not rows:
            return []
        values = list(rows.values())
        connection = self._session.connection()
        insert = self._insert_function()(table)
        if arrays_worthwhile(connection, values):
            with staged(connection, EventRow.__table__, values) as select:
                statement = (
                    insert.from_select(list(values[0]), select)
                    .on_conflict_do_nothing(index_elements=["programme_id", "dedupe_key"])
                    .returning(table.c.dedupe_key)
                )
                inserted = set(connection.execute(statement).scalars())
            return [key for key in rows if key in inserted]
        statement = insert.on_conflict_do_nothing(
            index_elements=["programme_id", "dedupe_key"]
        ).returning(table.c.dedupe_key)
        inserted = set(connection.execute(statement, values).scalars())
        return [key for key in rows if key in inserted]

    def events(
        self,
        since: date | None = None,
        item: str | None = None,
        *,
        recorded_since: datetime | None = None,
        recorded_until: datetime | None = None,
    ) -> list[StoredEvent]:
        """Recorded events by occurred_on then insertion order; ``since`` (a business date) is
        inclusive, and so is ``recorded_since``; ``recorded_until`` is not (when recorded)."""
        query = sa.select(EventRow).where(EventRow.programme_id == self.programme_id)
        if since is not None:
            query = query.where(EventRow.occurred_on >= since)
        if recorded_since is not None:
            query = query.where(EventRow.recorded_at >= recorded_since)
        if recorded_until is not None:
            query = query.where(EventRow.recorded_at < recorded_until)
        if item is not None:
            query = query.where(EventRow.item_code == item)
        query = query.order_by(EventRow.occurred_on, EventRow.id)
        return [
            StoredEvent(
                id=r.id,
                name=r.name,
                item_id=r.item_code,
                occurred_on=r.occurred_on,
                recorded_at=r.recorded_at,
                payload=r.payload,
                dedupe_key=r.dedupe_key,
            )
            for r in self._session.scalars(query)
        ]

    # --- item states (the assessment's memory) ---------------------------------------------

    def previous_states(self, before: date) -> PreviousStates | None:
        """Each item's latest recorded state before ``before``; None if nothing was recorded."""
        return _states.previous_states(self._session, self.programme_id, before)

    def record_states(
        self,
        as_of: date,
        states: Iterable[StateRecord],
        earlier: Mapping[str, tuple[str, str, bool, date | None]] | None = None,
    ) -> int:
        """Record the states of ``as_of`` where they changed; return rows written (see
        :func:`store.states.record_states`)."""
        return _states.record_states(
            self._session, self.programme_id, as_of, states, self._clock(), earlier
        )

    def record_state_values(
        self,
        as_of: date,
        values: Mapping[str, tuple[str, str, bool, date | None]],
        earlier: Mapping[str, tuple[str, str, bool, date | None]] | None = None,
    ) -> int:
        """:meth:`record_states` with item code → (state, rag, stale, due) (see
        :func:`store.states.record_values`)."""
        return _states.record_values(
            self._session, self.programme_id, as_of, values, self._clock(), earlier
        )

    def last_assessed(self) -> date | None:
        """The latest day a check was recorded for, or None before the first check."""
        return _states.last_assessed(self._session, self.programme_id)

    def record_assessed_day(self, as_of: date) -> None:
        """Remember that ``as_of`` was assessed (see :meth:`last_assessed`)."""
        _states.record_assessed_day(self._session, self.programme_id, as_of, self._clock())

    # --- prompts (append-only, idempotent) --------------------------------------------------

    def prompt_history(self, until: date) -> list[PromptRecord]:
        """Prompts queued on or before ``until``, by queued_on then insertion order."""
        return _states.prompt_history(self._session, self.programme_id, until)

    def record_prompts(self, records: Iterable[PromptRecord]) -> int:
        """Insert prompts not recorded before; return how many were new."""
        return _states.record_prompts(self._session, self.programme_id, records, self._clock())

    # --- outbox -----------------------------------------------------------------------------

    def enqueue(self, messages: Iterable[OutboxRecord], status: str = "pending") -> list[str]:
        """Queue messages whose key is new ('pending', or 'suppressed' to keep but never
        send); return the newly queued keys in input order."""
        return _outbox.enqueue(self._session, self.programme_id, messages, status, self._clock())

    def claim_outbox(
        self,
        *,
        limit: int | None = None,
        now: datetime,
        reclaim_after: timedelta = _outbox.RECLAIM_AFTER,
        max_attempts: int = _outbox.MAX_ATTEMPTS,
        keys: Collection[str] | None = None,
    ) -> list[OutboxRecord]:
        """Atomically move deliverable messages (of ``keys`` only, when given) to 'sending'
        and return them, oldest first."""
        return _outbox.claim(
            self._session,
            self.programme_id,
            limit=limit,
            now=now,
            reclaim_after=reclaim_after,
            max_attempts=max_attempts,
            keys=keys,
        )

    def mark_sent(
        self,
        key: str,
        *,
        channel: str,
        external_id: str | None,
        now: datetime,
        claim_token: str | None = None,
    ) -> None:
        """'sending' → 'sent'; :class:`OutboxError` for an unknown key, another status, or a
        ``claim_token`` that is no longer the row's (it was claimed again)."""
        _outbox.mark_sent(
            self._session,
            self.programme_id,
            key,
            channel=channel,
            external_id=external_id,
            now=now,
            claim_token=claim_token,
        )

    def mark_failed(
        self,
        key: str,
        *,
        error: str,
        now: datetime,
        max_attempts: int = _outbox.MAX_ATTEMPTS,
        claim_token: str | None = None,
        give_up_after: timedelta = _outbox.GIVE_UP_AFTER,
        permanent: bool = False,
        refused: bool = False,
        waiting: bool = False,
        channel: str | None = None,
    ) -> str:
        """'sending' → 'failed' (retried later) or 'dead' (returned; after ``max_attempts``
        attempts and, unless ``permanent``, ``give_up_after`` since the first; ``refused``: at
        once; ``waiting``: never, the attempt not counted; ``channel``: where it may have
        arrived); :class:`OutboxError` as above."""
        return _outbox.mark_failed(
            self._session,
            self.programme_id,
            key,
            error=error,
            now=now,
            max_attempts=max_attempts,
            claim_token=claim_token,
            give_up_after=give_up_after,
            permanent=permanent,
            refused=refused,
            waiting=waiting,
            channel=channel,
        )

    def revise_outbox(self, message: OutboxRecord) -> None:
        """Store the revised subject, text and payload of a message being sent (its claim)."""
        _outbox.revise(
            self._session,
            self.programme_id,
            message.key,
            claim_token=message.claim_token,
            subject=message.subject,
            body_text=message.body_text,
            body_html=message.body_html,
            payload=dict(message.payload),
        )

    def mark_suppressed(self, key: str, *, claim_token: str | None, reason: str) -> None:
        """'sending' → 'suppressed' with ``reason``: nothing left to send."""
        _outbox.mark_suppressed(
            self._session, self.programme_id, key, claim_token=claim_token, reason=reason
        )

    def outbox_message(self, key: str) -> OutboxRecord | None:
        """One message by its idempotency key, or None."""
        return _outbox.message(self._session, self.programme_id, key)

    def outbox(
        self,
        status: str | None = None,
        limit: int | None = None,
        *,
        since: datetime | None = None,
        newest: bool = False,
    ) -> list[OutboxRecord]:
        """Messages, oldest first, optionally of one status, queued from ``since`` on; ``limit``
        of them: the first, or with ``newest`` the last."""
        return _outbox.messages(
            self._session, self.programme_id, status, limit, since=since, newest=newest
        )

    def outbox_keys_with_status(self, *statuses: str) -> list[str]:
        """The keys of the messages in one of ``statuses``, oldest first (no message read whole)."""
        return _outbox.keys_with_status(self._session, self.programme_id, statuses)

    def outbox_keys(self, day: date) -> set[str]:
        """The keys of the messages queued for ``day`` (by earlier runs of that day)."""
        return _outbox.keys_of_day(self._session, self.programme_id, day)

    def _insert_function(self) -> Callable[..., Any]:
        return insert_function(self._session)


def _status_update(row: StatusUpdateRow) -> StatusUpdate:
    return StatusUpdate(
        item_id=row.item_code,
        status=UpdateStatus(row.status),
        reported_on=row.reported_on,
        forecast=row.forecast,
        completed_on=row.completed_on,
        comment=row.comment,
        author=row.author,
        source=row.source,
        recorded_at=row.recorded_at,
        id=row.id,
        corrects=row.corrects,
    )
