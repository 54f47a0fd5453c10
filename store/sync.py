"""Load a plan into the store, recording every difference as a revision.

Nothing is deleted: an item missing from the plan is archived, and restored when it comes back,
so status updates and events that name it keep their meaning. Codes (``1.2``, ``1.2.1``) are the
stable keys: a milestone moved to another action keeps its row and history.

The caller owns the transaction; :func:`sync_plan` flushes but never commits, so a failure
part-way leaves the database as it was once the caller rolls back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from governance.clock import require_aware
from governance.plan import Action, Milestone, Plan
from store.models import (
    ActionRow,
    ContactRow,
    MilestoneRow,
    OrganisationRow,
    PlanEntityMixin,
    PlanRevisionRow,
    ProgrammeRow,
    StepRow,
)
from store.models_incremental import PlanSyncRow
from store.records import Revision
from store.sync_fields import (
    SyncError,
    Values,
    item_values,
    keyed,
    read_attrs,
    read_contact,
    read_item,
    read_programme,
    renumbered_only,
    revision_record,
    to_json,
    write_contact,
    write_item,
    write_programme,
)

R = TypeVar("R", bound=PlanEntityMixin)


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

    @property
    def changed(self) -> bool:
        """True when the sync recorded anything at all."""
        return bool(self.revisions)

    def describe(self) -> str:
        """One line for logs and reports, e.g. ``2 changed, 1 archived`` or ``in sync``."""
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
        return ", ".join(parts) if parts else "in sync"


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
        return SyncResult(unchanged=synced.entities)  # the same file as last time
    result = _Sync(session, plan, now, path).run()
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
        self.revision_rows: list[PlanRevisionRow] = []

    def run(self) -> SyncResult:
        self._programme()
        self._organisations()
        self._contacts()
        self._steps()
        actions = self._actions()
        self._milestones(actions)
        self.session.add_all(self.revision_rows)
        self.session.flush()
        self.result.revisions = [revision_record(row) for row in self.revision_rows]
        return self.result

    # --- entities ---------------------------------------------------------------------------

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

    def _organisations(self) -> None:
        desired = keyed(
            "organisation",
            (
                (o.id, {"name": o.name, "kind": o.kind, "note": o.note})
                for o in self.plan.organisations
            ),
        )
        self._reconcile(
            "organisation",
            self._existing(OrganisationRow, OrganisationRow.code),
            desired,
            lambda code: OrganisationRow(programme_id=self.programme_id, code=code),
        )

    def _contacts(self) -> None:
        desired = keyed(
            "contact",
            (
                (
                    c.id,
                    {
                        "name": c.name,
                        "organisation": c.organisation,
                        "email": c.email,
                        "slack": c.slack,
                        "role": c.role,
                        "programme_office": c.programme_office,
                    },
                )
                for c in self.plan.contacts
            ),
        )
        self._reconcile(
            "contact",
            self._existing(ContactRow, ContactRow.code),
            desired,
            lambda code: ContactRow(programme_id=self.programme_id, code=code),
            read=read_contact,
            write=write_contact,
        )

    def _steps(self) -> None:
        desired = keyed(
            "step", ((str(s.number), {"title": s.title, "goal": s.goal}) for s in self.plan.steps)
        )
        self._reconcile(
            "step",
            {str(row.number): row for row in self._rows(StepRow)},
            desired,
            lambda code: StepRow(programme_id=self.programme_id, number=int(code)),
        )

    def _actions(self) -> dict[str, ActionRow]:
        def values(action: Action, position: int) -> Values:
            return {
                "step": action.step,
                "group": action.group,
                "source": action.source,
                **item_values(action, position),
            }

        desired = keyed(
            "action",
            (
                (action.id, values(action, position))
                for step in self.plan.steps
                for position, action in enumerate(step.actions)
            ),
        )

        def read(row: ActionRow) -> Values:
            return {
                "step": row.step_number,
                "group": row.group,
                "source": row.source,
                **read_item(row),
            }

        def write(row: ActionRow, name: str, value: Any) -> None:
            if name == "step":
                row.step_number = value
            else:
                write_item(row, name, value)

        return self._reconcile(
            "action",
            self._existing(ActionRow, ActionRow.code),
            desired,
            lambda code: ActionRow(programme_id=self.programme_id, code=code),
            read=read,
            write=write,
            group="step",
        )

    def _milestones(self, actions: dict[str, ActionRow]) -> None:
        code_of = {row.id: code for code, row in actions.items()}  # ids exist: actions flushed

        def values(milestone: Milestone, position: int) -> Values:
            return {"action": milestone.action_id, **item_values(milestone, position)}

        desired = keyed(
            "milestone",
            (
                (m.id, values(m, position))
                for action in self.plan.actions()
                for position, m in enumerate(action.milestones)
            ),
        )

        def read(row: MilestoneRow) -> Values:
            return {"action": code_of[row.action_id], **read_item(row)}

        def write(row: MilestoneRow, name: str, value: Any) -> None:
            if name == "action":
                if value not in actions:
                    raise SyncError(f"milestone {row.code!r} names unknown action {value!r}")
                row.action_id = actions[value].id
            else:
                write_item(row, name, value)

        self._reconcile(
            "milestone",
            self._existing(MilestoneRow, MilestoneRow.code),
            desired,
            lambda code: MilestoneRow(programme_id=self.programme_id, code=code),
            read=read,
            write=write,
            group="action",
        )

    # --- the generic part -------------------------------------------------------------------

    def _rows(self, model: type[R]) -> list[R]:
        query = sa.select(model).where(model.programme_id == self.programme_id)
        return list(self.session.scalars(query))

    def _existing(self, model: type[R], code: Any) -> dict[str, R]:
        return {getattr(row, code.key): row for row in self._rows(model)}

    def _reconcile(
        self,
        entity: str,
        rows: dict[str, R],
        desired: Mapping[str, Values],
        new: Callable[[str], R],
        *,
        read: Callable[[R], Values] | None = None,
        write: Callable[[R, str, Any], None] | None = None,
        group: str | None = None,
    ) -> dict[str, R]:
        """Create, change, restore and archive rows of one entity; return all rows by code.

        ``group`` names the field (step, action) within which ``position`` counts: a position
        that moves only because a sibling came or went is updated without a revision.
        """
        write = write or setattr
        current = {
            code: read(row) if read else read_attrs(row, desired.get(code, {}))
            for code, row in rows.items()
        }
        live = {code for code, row in rows.items() if row.archived_at is None}
        renumbered = renumbered_only(group, {c: current[c] for c in live}, desired)
        for code, values in desired.items():
            row = rows.get(code)
            if row is None:
                row = new(code)
                for name, value in values.items():
                    write(row, name, value)
                row.created_at = row.updated_at = self.now
                self.session.add(row)
                rows[code] = row
                self._record(entity, code, "created", after=to_json(values))
                self.result.created += 1
                continue
            diffs = [(k, current[code][k], v) for k, v in values.items() if current[code][k] != v]
            restored = row.archived_at is not None
            if restored:
                row.archived_at = None
                self._record(entity, code, "restored")
            recorded = False
            for name, before, after in diffs:
                write(row, name, after)
                if name == "position" and not restored and code in renumbered:
                    continue
                self._record(entity, code, "changed", name, to_json(before), to_json(after))
                recorded = True
            if restored or recorded:
                row.updated_at = self.now
            if restored:
                self.result.restored += 1
            elif recorded:
                self.result.changed_count += 1
            else:
                self.result.unchanged += 1
        for code in sorted(rows.keys() - desired.keys()):
            row = rows[code]
            if row.archived_at is None:
                row.archived_at = row.updated_at = self.now
                self._record(entity, code, "archived")
                self.result.archived += 1
        self.session.flush()  # later entities reference these rows
        return rows

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
            PlanRevisionRow(
                programme_id=self.programme_id,
                recorded_at=self.now,
                entity=entity,
                code=code,
                kind=kind,
                field=field,
                before=before,
                after=after,
                plan_path=self.plan_path,
            )
        )
