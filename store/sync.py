"""Load a plan into the store, recording every difference as a revision.

Nothing is deleted: an item missing from the plan is archived, and restored when it comes back,
so status updates and events that name it keep their meaning. Codes (``1.2``, ``1.2.1``) are the
stable keys: a milestone moved to another action keeps its row and history.

The caller owns the transaction; :func:`sync_plan` flushes but never commits, so a failure
part-way leaves the database as it was once the caller rolls back.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from governance.clock import require_aware
from governance.plan import Plan
from store.models import (
    PlanEntityMixin,
    PlanRevisionRow,
    ProgrammeRow,
)
from store.models_incremental import PlanSyncRow
from store.outbox import withdraw
from store.records import Revision
from store.sync_fields import (
    ACTIONS,
    CONTACTS,
    JSON_COLUMNS,
    MILESTONES,
    ORGANISATIONS,
    STEPS,
    Entity,
    Values,
    actions,
    contacts,
    json_value,
    milestones,
    organisations,
    read_programme,
    renumbered_only,
    steps,
    to_json,
    write_programme,
)

R = TypeVar("R", bound=PlanEntityMixin)

#: A contact's fields that say where and about what its messages go: a message queued before
#: one changed is withdrawn (the word is the reason's).
_ADDRESSING = {"email": "e-mail address", "slack": "Slack id", "organisation": "organisation"}


@dataclass(slots=True)
class SyncResult:
    """What one sync did; each entity counts once (a restored item that also changed is
    counted as restored)."""

    created: int = 0
    changed_count: int = 0
    archived: int = 0
    restored: int = 0
    unchanged: int = 0
    revisions: list[Revision] = field(default_factory=list)
    #: Contact ids created and archived (not on the programme's first sync: every one is new).
    contacts_created: list[str] = field(default_factory=list)
    contacts_archived: list[str] = field(default_factory=list)
    #: Unsent messages withdrawn, per contact who left or moved (:func:`store.outbox.withdraw`).
    withdrawn: dict[str, list[str]] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        """True when the sync recorded anything at all."""
        return bool(self.revisions)

    def describe(self) -> str:
        """One line for logs and reports, e.g. ``2 changed, 1 archived`` or ``in sync``; the
        contacts created or archived are named (``contacts created: carol; archived: alice``),
        and the messages withdrawn from contacts who left or moved counted."""
        parts = [
            f"{count} {label}"
            for count, label in (
                (self.created, "created"),
                (self.changed_count, "changed"),
                (self.archived, "archived"),
                (self.restored, "restored"),
            )
            if count
        ]
        line = ", ".join(parts) if parts else "in sync"
        named = [
            f"{label}: {_some(ids)}"
            for label, ids in (
                ("contacts created", self.contacts_created),
                (
                    "archived" if self.contacts_created else "contacts archived",
                    self.contacts_archived,
                ),
            )
            if ids
        ]
        if named:
            line += f" ({'; '.join(named)})"
        if self.withdrawn:
            count = sum(len(keys) for keys in self.withdrawn.values())
            line += (
                f"; {count} unsent message{'' if count == 1 else 's'} withdrawn "
                f"({_some(sorted(self.withdrawn))})"
            )
        return line


def _some(ids: list[str], most: int = 5) -> str:
    """Ids, comma-separated: at most ``most``, then how many more."""
    shown = ", ".join(ids[:most])
    return shown if len(ids) <= most else f"{shown} +{len(ids) - most} more"


def sync_plan(
    session: Session, plan: Plan, *, now: datetime, plan_path: str | None = None
) -> SyncResult:
    """Bring the stored programme in line with ``plan``; return what changed.

    A plan loaded from a file carries the file's hash: when the last sync stored the same file
    (same hash, same path), nothing is compared and the result is "in sync".
    """
    require_aware(now, "now")
    lock_programme(session, plan.programme.id)
    path = plan_path if plan_path is not None else plan.path
    synced = session.get(PlanSyncRow, plan.programme.id)
    if (
        synced is not None
        and plan.source_hash is not None
        and (synced.plan_hash, synced.plan_path) == (plan.source_hash, path)
    ):
        # The same file as last time; a contacts file (REGIE_CONTACTS) may have changed all
        # the same: its contacts are compared (a few hundred rows at most).
        result = _Sync(session, plan, now, path).run(contacts_only=True)
        if not result.changed:
            return SyncResult(unchanged=synced.entities)
        session.flush()
        return result
    # The compare allocates a tuple or two per stored row; the cyclic collector's full passes
    # over everything a large plan keeps alive cost ≈ 20 % of a 1M-item sync, and nothing here
    # makes cycles worth collecting before it ends.
    collecting = gc.isenabled()
    gc.disable()
    try:
        result = _Sync(session, plan, now, path).run()
    finally:
        if collecting:
            gc.enable()
    if plan.source_hash is None:
        if synced is not None:
            session.delete(synced)  # stored from something else than that file now
    else:
        entities = result.created + result.changed_count + result.restored + result.unchanged
        if synced is None:
            synced = PlanSyncRow(programme_id=plan.programme.id)
            session.add(synced)
        synced.plan_hash, synced.plan_path = plan.source_hash, path
        synced.entities, synced.synced_at = entities, now
    session.flush()
    return result


def lock_programme(session: Session, programme_id: str) -> None:
    """Serialise writers of one programme until the transaction ends.

    Two cycles starting together would otherwise both see "nothing stored yet" and both insert
    the programme (or both record the same revision). PostgreSQL: a transaction-scoped advisory
    lock; SQLite needs none, its writers are serialised by the database lock.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            sa.text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
            {"key": f"regie.programme:{programme_id}"},
        )


class _Sync:
    def __init__(self, session: Session, plan: Plan, now: datetime, plan_path: str | None):
        self.session = session
        self.plan = plan
        self.programme_id = plan.programme.id
        self.now = now
        self.plan_path = plan_path
        self.result = SyncResult()
        self.revision_rows: list[dict[str, Any]] = []
        self.stale_rows = False
        self.first = False  # the programme's first sync
        self.moved: dict[str, str] = {}  # contact → why its unsent messages are withdrawn

    def _withdraw(self) -> None:
        """Suppress the unsent messages to contacts archived or moved (another address,
        organisation or preferred channel) by this sync."""
        if self.first:
            return
        zone = ZoneInfo(self.plan.calendar.timezone)
        self.result.withdrawn = withdraw(
            self.session,
            self.programme_id,
            self.moved,
            {c.id: c.channel for c in self.plan.contacts},
            occurred_on=self.now.astimezone(zone).date(),
            now=self.now,
        )

    def run(self, *, contacts_only: bool = False) -> SyncResult:
        if contacts_only:
            self._reconcile(CONTACTS, contacts(self.plan))
            self._withdraw()
        else:
            self._programme()
            self._reconcile(ORGANISATIONS, organisations(self.plan))
            self._reconcile(CONTACTS, contacts(self.plan))
            self._withdraw()
            self._reconcile(STEPS, steps(self.plan))
            action_ids = self._reconcile(ACTIONS, actions(self.plan))
            code_of = {row_id: code for code, row_id in action_ids.items()}
            self._reconcile(MILESTONES, milestones(self.plan, action_ids), code_of)
        if self.stale_rows:  # the bulk statements bypassed any plan rows this session holds
            for loaded in list(self.session.identity_map.values()):
                if isinstance(loaded, PlanEntityMixin):
                    self.session.expire(loaded)
        self.result.revisions = self._write_revisions()
        return self.result

    def _programme(self) -> None:
        p = self.plan.programme
        desired: Values = {
            "title": p.title,
            "short_title": p.short_title,
            "description": p.description,
            "start": p.start,
            "end": p.end,
            "source_document": p.source_document,
        }
        row = self.session.get(ProgrammeRow, p.id)
        if row is None:
            row = ProgrammeRow(id=p.id, created_at=self.now, updated_at=self.now)
            for name, value in desired.items():
                write_programme(row, name, value)
            self.session.add(row)
            self._record("programme", p.id, "created", after=to_json(desired))
            self.result.created += 1
            self.first = True
        else:
            current = read_programme(row)
            diffs = [(k, current[k], v) for k, v in desired.items() if current[k] != v]
            for name, before, after in diffs:
                write_programme(row, name, after)
                self._record("programme", p.id, "changed", name, to_json(before), to_json(after))
            if diffs:
                row.updated_at = self.now
                self.result.changed_count += 1
            else:
                self.result.unchanged += 1
        self.session.flush()  # children reference the programme row

    def _reconcile(
        self,
        entity: Entity,
        desired: Mapping[str, tuple[Any, ...]],
        lookup: Mapping[Any, Any] | None = None,
    ) -> dict[str, int]:
        """Create, change, restore and archive rows of one entity; return every row's id by
        code.

        Stored rows are read as plain tuples of the compared columns, in the order
        ``desired`` gives them, so an unchanged row costs one tuple comparison; only rows that
        differ are turned into named values (for the revisions) and written, with bulk
        statements. A position that moves only because a sibling came or went is updated
        without a revision (:func:`store.sync_fields.renumbered_only`).
        """
        table: Any = entity.model.__table__  # type: ignore[attr-defined]
        key = table.c[entity.key]
        selected = [
            table.c.id,
            key,
            table.c.archived_at,
            *(
                sa.cast(table.c[c], sa.Text) if c in JSON_COLUMNS else table.c[c]
                for c in entity.columns
            ),
        ]
        query = sa.select(*selected).where(table.c.programme_id == self.programme_id)
        rows = {str(row[1]): row for row in self.session.execute(query).all()}
        ids = {code: row[0] for code, row in rows.items()}
        named = partial(entity.named, lookup) if lookup is not None else entity.named
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        moved: list[str] = []  # live rows whose position changed
        changed: dict[str, tuple[tuple[Any, ...], tuple[Any, ...], bool]] = {}
        for code, wanted in desired.items():
            row = rows.get(code)
            if row is None:
                values = _column_values(entity.columns, wanted)
                values.update(
                    {entity.key: int(code) if entity.key == "number" else code},
                    programme_id=self.programme_id,
                    created_at=self.now,
                    updated_at=self.now,
                )
                inserts.append(values)
                self._record(entity.name, code, "created", after=to_json(named(wanted)))
                self.result.created += 1
                if entity is CONTACTS and not self.first:
                    self.result.contacts_created.append(code)
                continue
            stored = tuple(row[3:])
            restored = row[2] is not None
            if stored == wanted and not restored:
                self.result.unchanged += 1
                continue
            changed[code] = (stored, wanted, restored)
            if (
                entity.position is not None
                and not restored
                and stored[entity.position] != wanted[entity.position]
            ):
                moved.append(code)
        renumbered: set[str] = set()
        g, p = entity.group, entity.position
        if moved and g is not None and p is not None:
            old = {c: (r[3 + g], r[3 + p]) for c, r in rows.items() if r[2] is None}
            new = {c: (w[g], w[p]) for c, w in desired.items()}
            renumbered = renumbered_only(old, new, moved)
        for code, (stored, wanted, restored) in changed.items():
            update = _column_values(
                (
                    c
                    for c, before, after in zip(entity.columns, stored, wanted, strict=True)
                    if before != after
                ),
                (after for before, after in zip(stored, wanted, strict=True) if before != after),
            )
            update["id"] = rows[code][0]
            if restored:
                update["archived_at"] = None
                self._record(entity.name, code, "restored")
            recorded = False
            before_values, after_values = named(stored), named(wanted)
            for name, after in after_values.items():
                before = before_values[name]
                if before == after:
                    continue
                if name == "position" and not restored and code in renumbered:
                    continue
                self._record(entity.name, code, "changed", name, to_json(before), to_json(after))
                recorded = True
                if entity is CONTACTS and name in _ADDRESSING:
                    self.moved.setdefault(code, f"{_ADDRESSING[name]} changed")
            if restored or recorded:
                update["updated_at"] = self.now
            updates.append(update)
            if restored:
                self.result.restored += 1
            elif recorded:
                self.result.changed_count += 1
            else:
                self.result.unchanged += 1
        for code in sorted(rows.keys() - desired.keys()):
            if rows[code][2] is None:
                now = self.now
                updates.append({"id": rows[code][0], "archived_at": now, "updated_at": now})
                self._record(entity.name, code, "archived")
                self.result.archived += 1
                if entity is CONTACTS:
                    self.result.contacts_archived.append(code)
                    self.moved[code] = "no longer in the plan"
        if updates:
            _update_by_id(self.session, table, updates)
            self.stale_rows = True
        if inserts:
            self.session.execute(table.insert(), inserts)
            query = sa.select(table.c.id, key).where(table.c.programme_id == self.programme_id)
            ids = {str(code): row_id for row_id, code in self.session.execute(query)}
        return ids

    def _record(
        self,
        entity: str,
        code: str,
        kind: str,
        field: str | None = None,
        before: Any = None,
        after: Any = None,
    ) -> None:
        self.revision_rows.append(
            {
                "programme_id": self.programme_id,
                "recorded_at": self.now,
                "entity": entity,
                "code": code,
                "kind": kind,
                "field": field,
                "before": before,
                "after": after,
                "plan_path": self.plan_path,
            }
        )

    def _write_revisions(self) -> list[Revision]:
        if not self.revision_rows:
            return []
        table: Any = PlanRevisionRow.__table__
        made = self.session.execute(
            table.insert().returning(table.c.id, sort_by_parameter_order=True),
            self.revision_rows,
        )
        return [
            Revision(
                entity=row["entity"],
                code=row["code"],
                kind=row["kind"],
                field=row["field"],
                before=row["before"],
                after=row["after"],
                recorded_at=row["recorded_at"],
                plan_path=row["plan_path"],
                id=row_id,
            )
            for row, (row_id,) in zip(self.revision_rows, made, strict=True)
        ]


def _column_values(columns: Iterable[str], values: Iterable[Any]) -> dict[str, Any]:
    """Column values to write; JSON columns compared as text are written as values."""
    return {
        c: json_value(v) if c in JSON_COLUMNS else v for c, v in zip(columns, values, strict=True)
    }


def _update_by_id(session: Session, table: Any, updates: list[dict[str, Any]]) -> None:
    """One executemany per set of changed columns (most syncs change one or two columns)."""
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for update in updates:
        columns = tuple(sorted(k for k in update if k != "id"))
        by_columns.setdefault(columns, []).append({"row_id": update["id"], **update})
    statement = table.update().where(table.c.id == sa.bindparam("row_id"))
    for params in by_columns.values():
        for p in params:
            del p["id"]
        session.execute(statement, params)  # SET takes the other keys: the changed columns
