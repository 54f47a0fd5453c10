"""The audit trail: action events, one export over every recorded action, and the checks a
file owner's tampering cannot pass unseen (``regie audit verify``).

Append-only records say *what* was recorded and *when*; ``recorded_by`` (migration 0018) and the
``by`` of the action events below say *who* (:mod:`store.actor`). Mutable tables (users,
calendar tokens) keep their latest state; their changes are events here.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from governance.counts import count as ids
from store import digest_items, pg_guards
from store.actor import current_actor
from store.dialect import dialect_name, insert_function
from store.models import EventRow
from store.pg_guards import PgGuards

DECISION_RECORDED = "regie.decision.recorded"
TOKEN_CREATED = "regie.calendar_token.created"
TOKEN_REVOKED = "regie.calendar_token.revoked"
LOGIN_SUCCEEDED = "regie.login.succeeded"
LOGIN_FAILED = "regie.login.failed"
USER_ADDED = "regie.user.added"
USER_DISABLED = "regie.user.disabled"
USER_FORGOTTEN = "regie.user.forgotten"
USER_UNLOCKED = "regie.user.unlocked"
USER_ENABLED = "regie.user.enabled"
USER_PASSWORD_SET = "regie.user.password_set"
MESSAGE_FAILED = "regie.message.failed"
#: The user name a failed login records when no user has the name typed (never the text).
UNKNOWN_USER = "unknown"


def record_action(
    session: Session,
    programme_id: str,
    name: str,
    *,
    now: datetime,
    occurred_on: date,
    item: str | None = None,
    payload: Mapping[str, Any] | None = None,
    key: str | None = None,
    by: str | None = None,
) -> None:
    """Append one action event (who: ``by`` or the current actor, in the payload's ``by``).
    ``key`` makes it idempotent (a second one with the same key is not recorded); without it,
    every call is one event. ``occurred_on``: the business day, the office's (the store does not
    know the office's zone, and ``now``'s UTC date is a day behind Amsterdam's late at night)."""
    values = {
        "programme_id": programme_id,
        "name": name,
        "item_code": item,
        "occurred_on": occurred_on,
        "recorded_at": now,
        "payload": {**(payload or {}), "by": by or current_actor()},
        "dedupe_key": f"{name}:{key or uuid.uuid4().hex}",
    }
    statement = insert_function(session)(EventRow).values(values)
    session.execute(statement.on_conflict_do_nothing(index_elements=["programme_id", "dedupe_key"]))


def programme_stored(session: Session, programme_id: str) -> bool:
    """Whether the programme has its row (events refer to it)."""
    from store.models import ProgrammeRow

    found = session.scalar(sa.select(ProgrammeRow.id).where(ProgrammeRow.id == programme_id))
    return found is not None


def token_action(
    session: Session,
    programme_id: str,
    name: str,
    token_id: int,
    scope: str | None,
    now: datetime,
    day: date,
) -> None:
    """A calendar token created (:data:`TOKEN_CREATED`) or revoked (:data:`TOKEN_REVOKED`) by
    the current actor: its ``created_by``/``revoked_by`` and an event (never the token) filed
    under ``day``, the office's date of ``now``."""
    from store.models_web import CalendarTokenRow

    who = current_actor()
    if name == TOKEN_REVOKED:
        session.execute(
            sa.update(CalendarTokenRow)
            .where(CalendarTokenRow.id == token_id)
            .values(revoked_by=who)
        )
    payload = {"token_id": token_id, **({"scope": scope} if scope else {})}
    record_action(
        session, programme_id, name, now=now, occurred_on=day, payload=payload,
        key=str(token_id), by=who,
    )  # fmt: skip


# --- export -------------------------------------------------------------------------------------

EXPORT_COLUMNS = (
    "recorded_at",
    "business_date",
    "actor",
    "kind",
    "item",
    "source",
    "source_id",
    "details",
)


@dataclass(frozen=True, slots=True)
class AuditRow:
    """One recorded action: when it was recorded (UTC), the business day it is about (if any),
    who, what kind, which item, where it is kept (table and id) and the rest of the record."""

    recorded_at: datetime
    business_date: date | None
    actor: str | None
    kind: str
    item: str | None
    source: str
    source_id: int | None
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "recorded_at": self.recorded_at.isoformat(),
            "business_date": self.business_date.isoformat() if self.business_date else None,
            "actor": self.actor,
            "kind": self.kind,
            "item": self.item,
            "source": self.source,
            "source_id": self.source_id,
            "details": self.details,
        }

    def as_csv(self) -> list[str]:
        d = self.as_dict()
        d["details"] = json.dumps(self.details, ensure_ascii=False, sort_keys=True, default=str)
        return ["" if d[c] is None else str(d[c]) for c in EXPORT_COLUMNS]


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


def _table(session: Session, name: str) -> sa.Table | None:
    """A table of the store by name, None when this database (an older revision) lacks it."""
    from store.models import Base

    table = Base.metadata.tables.get(name)
    if table is None or not sa.inspect(session.connection()).has_table(name):
        return None
    return table


def audit_rows(
    session: Session, programme_id: str, start: datetime, end: datetime
) -> list[AuditRow]:
    """Every recorded action with ``start <= recorded_at < end``, by recorded_at then source."""
    rows: list[AuditRow] = []
    for reader in _READERS:
        rows.extend(reader(session, programme_id, start, end))
    rows.sort(key=lambda r: (r.recorded_at, r.source, r.source_id or 0, r.kind))
    return rows


def _select(
    session: Session,
    name: str,
    programme_id: str | None,
    stamp: str,
    start: datetime,
    end: datetime,
) -> Iterable[Any]:
    table = _table(session, name)
    if table is None:
        return []
    column = table.c[stamp]
    query = sa.select(table).where(column >= start, column < end)
    if programme_id is not None and "programme_id" in table.c:
        query = query.where(table.c.programme_id == programme_id)
    return session.execute(query.order_by(column, table.c.id)).mappings().all()


def _get(row: Any, name: str) -> Any:
    return row.get(name)


#: One source of the export: (session, programme, start, end) → its rows in that interval.
Reader = Callable[[Session, str, datetime, datetime], Iterable[AuditRow]]


def _recorded(
    table: str,
    kind: str,
    business: str | None,
    item: str | None,
    keep: tuple[str, ...],
    value: Callable[[Any], Any] = lambda v: v,
) -> Reader:
    """The reader of a table whose rows carry ``recorded_at`` and ``recorded_by`` (migration
    0018): one :class:`AuditRow` of ``kind`` per row, its business date from column
    ``business`` and item from column ``item`` (None: no such column), the ``keep`` columns as
    details (each through ``value``)."""

    def read(s: Session, pid: str, start: datetime, end: datetime) -> Iterable[AuditRow]:
        for r in _select(s, table, pid, "recorded_at", start, end):
            yield AuditRow(
                r["recorded_at"],
                r[business] if business else None,
                _get(r, "recorded_by"),
                kind,
                r[item] if item else None,
                table,
                r["id"],
                {k: value(r[k]) for k in keep},
            )

    return read


_updates = _recorded(
    "status_updates", "status_update", "reported_on", "item_code",
    ("status", "forecast", "completed_on", "author", "source", "comment", "corrects"), _iso,
)  # fmt: skip
_decisions = _recorded(
    "decisions", "decision", "meeting_on", "item_code",
    ("body_code", "kind", "text", "gereed_before", "gereed_after"),
)  # fmt: skip
_meetings = _recorded(
    "meetings", "meeting", "meets_on", None, ("body_code", "starts_at", "location", "note")
)
_revisions = _recorded(
    "plan_revisions", "plan_revision", None, "code",
    ("entity", "kind", "field", "before", "after", "plan_path"),
)  # fmt: skip


def _events(s: Session, pid: str, start: datetime, end: datetime) -> Iterable[AuditRow]:
    for r in _select(s, "events", pid, "recorded_at", start, end):
        payload = dict(r["payload"] or {})
        actor = payload.get("by") if isinstance(payload.get("by"), str) else None
        yield AuditRow(
            r["recorded_at"],
            r["occurred_on"],
            actor,
            r["name"],
            r["item_code"],
            "events",
            r["id"],
            payload,
        )


def _outbox(s: Session, pid: str, start: datetime, end: datetime) -> Iterable[AuditRow]:
    """A message: queued (its row's ``created_at``) and, once sent, sent (``sent_at``); each
    failed attempt is an event of its own (:data:`MESSAGE_FAILED`)."""
    keep = ("key", "kind", "recipient", "status", "attempts", "channel", "last_error")
    for r in _select(s, "outbox", pid, "created_at", start, end):
        yield AuditRow(
            r["created_at"],
            r["created_on"],
            None,
            "message.queued",
            None,
            "outbox",
            r["id"],
            {k: r[k] for k in keep},
        )
    for r in _select(s, "outbox", pid, "sent_at", start, end):
        yield AuditRow(
            r["sent_at"],
            r["created_on"],
            None,
            "message.sent",
            None,
            "outbox",
            r["id"],
            {k: r[k] for k in keep},
        )


def _erasures(s: Session, pid: str, start: datetime, end: datetime) -> Iterable[AuditRow]:
    for r in _select(s, "erasures", pid, "forgotten_at", start, end):
        yield AuditRow(
            r["forgotten_at"],
            None,
            _get(r, "forgotten_by"),
            "contact.erased",
            None,
            "erasures",
            r["id"],
            {"pseudonym": r["pseudonym"]},
        )
    for r in _select(s, "update_redactions", pid, "redacted_at", start, end):
        yield AuditRow(
            r["redacted_at"],
            None,
            r["redacted_by"],
            "update.redacted",
            r["item_code"],
            "update_redactions",
            r["id"],
            {"update_id": r["update_id"], "reason": r["reason"]},
        )


def _reports(s: Session, pid: str, start: datetime, end: datetime) -> Iterable[AuditRow]:
    keep = ("kind", "format", "title", "sha256", "size", "parameters", "plan_sha256")
    for r in _select(s, "report_archive", pid, "created_at", start, end):
        yield AuditRow(
            r["created_at"],
            r["as_of"],
            _get(r, "made_by"),
            "report.archived",
            None,
            "report_archive",
            r["id"],
            {k: _get(r, k) for k in keep},
        )


_READERS: tuple[Reader, ...] = (
    _updates, _decisions, _meetings, _revisions, _events, _outbox, _erasures, _reports,
)  # fmt: skip


# --- verify -------------------------------------------------------------------------------------

#: Tables whose rows are never deleted: on SQLite their ids run 1, 2, 3, … without a gap (a
#: rolled-back or refused insert takes no id there), so a gap is a deleted row.
NEVER_DELETED = (
    "status_updates",
    "events",
    "plan_revisions",
    "prompts",
    "outbox",
    "decisions",
    "indicator_measurements",
    "report_archive",
    "erasures",
    "update_redactions",
    "report_approvals",
    "decision_additions",
    "decision_corrections",
)


def verify(
    session: Session,
    reference: Mapping[str, str] | None = None,
    guards: PgGuards | None = None,
) -> list[str]:
    """One line per problem found; none: the checks passed.

    - the append-only guards are all there, unchanged and enabled: on SQLite each trigger's SQL
      compared with ``reference`` (trigger name → SQL of a fresh database at the same
      revision); on PostgreSQL each trigger's table, events and function, and each guard
      function's body, compared with ``guards`` (what the migrations up to the same revision
      install, :func:`store.pg_guards.reference_guards`);
    - SQLite: the ids of the tables whose rows are never deleted have no gaps. PostgreSQL
      sequences leave gaps by design (a rolled-back insert, an ``ON CONFLICT DO NOTHING``, a
      crash all use up ids), so there a gap proves nothing and is not reported;
    - every reminder digest's stored (item, stage) entries equal those of its payload
      (:func:`store.digest_items.mismatches`): that table has no trigger of its own, as it is
      rewritten with a payload, and the escalation rules read it.
    """
    problems: list[str] = []
    if dialect_name(session) == "sqlite":
        problems += _sqlite_triggers(session, reference or {})
        problems += _sqlite_gaps(session)
    else:
        problems += pg_guards.problems(session, guards or PgGuards())
    if _table(session, "outbox_digest_items") is not None:
        problems += digest_items.mismatches(session)
    return problems


def _sqlite_triggers(session: Session, reference: Mapping[str, str]) -> list[str]:
    found = dict(
        session.execute(sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"))
        .tuples()
        .all()
    )
    problems = []
    for name in sorted(reference):
        if name not in found:
            problems.append(f"trigger {name}: missing (dropped?)")
        elif " ".join(found[name].split()) != " ".join(reference[name].split()):
            problems.append(f"trigger {name}: changed from what the migrations installed")
    return problems


def _sqlite_gaps(session: Session) -> list[str]:
    problems = []
    for name in NEVER_DELETED:
        if _table(session, name) is None:
            continue
        count, top = session.execute(sa.text(f"SELECT count(*), max(id) FROM {name}")).one()
        if top is not None and count != top:
            missing = _missing_ids(session, name)
            shown = ", ".join(str(i) for i in missing[:10]) + (" …" if len(missing) > 10 else "")
            problems.append(
                f"{name}: {ids(top - count, 'id')} missing between 1 and {top} "
                f"(rows deleted?): {shown}"
            )
    return problems


def _missing_ids(session: Session, name: str) -> list[int]:
    ids = list(session.execute(sa.text(f"SELECT id FROM {name} ORDER BY id")).scalars())
    missing: list[int] = []
    expected = 1
    for i in ids:
        missing.extend(range(expected, min(i, expected + 11)))
        expected = i + 1
        if len(missing) > 10:
            break
    return missing


def reference_triggers(revision: str | None) -> dict[str, str]:
    """Trigger name → SQL of a fresh in-memory SQLite database migrated to ``revision``."""
    import tempfile
    from pathlib import Path

    from store.db import make_engine, upgrade

    with tempfile.TemporaryDirectory(prefix="regie-verify-") as folder:
        url = f"sqlite:///{Path(folder) / 'reference.db'}"
        upgrade(url, revision or "head")
        engine = make_engine(url)
        try:
            with engine.connect() as conn:
                return dict(
                    conn.execute(
                        sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
                    )
                    .tuples()
                    .all()
                )
        finally:
            engine.dispose()
