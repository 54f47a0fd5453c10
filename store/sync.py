"""Load a plan into the store, recording every difference as a revision.

Nothing is deleted: an item missing from the plan is archived, and restored when it comes back,
so status updates and events that name it keep their meaning. Codes (``1.2``, ``1.2.1``) are the
stable keys: a milestone moved to another action keeps its row and history.

The caller owns the transaction; :func:`sync_plan` flushes but never commits, so a failure
part-way leaves the database as it was once the caller rolls back.
"""

from __future__ import annotations

import gc
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from governance.clock import require_aware
from governance.plan import Contact, Plan
from store.dialect import take_write_lock
from store.models import (
    EventRow,
    OutboxRow,
    PlanEntityMixin,
    PlanRevisionRow,
    ProgrammeRow,
)
from store.models_incremental import AssessmentMemoryRow, ItemMemoryRow, PlanSyncRow
from store.outbox import withdraw
from store.records import Revision
from store.sync_cancels import apply_file_cancels
from store.sync_fields import (
    ACTIONS,
    CONTACTS,
    JSON_COLUMNS,
    MILESTONES,
    ORGANISATIONS,
    STEPS,
    Entity,
    ProgrammeElsewhere,
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
from store.sync_formerly import Carried, NotCarried, before_regie, carry_formerly

R = TypeVar("R", bound=PlanEntityMixin)

#: A contact's fields that say where and about what its messages go: a message queued before
#: one changed is withdrawn (the word is the reason's).
_ADDRESSING = {"email": "e-mail address", "slack": "Slack id", "organisation": "organisation"}
#: The event a sync records when a contact's deputy or preferred channel changes: the plan's
#: fields without a stored column (no revision), and without an address in them (an id and a
#: channel name). Its payload holds both values after the change, so the next sync compares.
CONTACT_CHANGED_EVENT = "regie.contact.changed"
#: A contact's fields that only the event records: (deputy, channel).
_ROUTING = ("deputy", "channel")
#: The messages whose items a withdrawal hands back to the next day's reminder rules.
_PROMPTING_KINDS = ("reminder_digest", "escalation_digest")


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
    #: Contact ids whose deputy or preferred channel changed (an event each, no revision).
    contacts_rerouted: list[str] = field(default_factory=list)
    #: Unsent messages withdrawn, per contact who left or moved (:func:`store.outbox.withdraw`).
    withdrawn: dict[str, list[str]] = field(default_factory=dict)
    #: Items the plan file drops (``cancelled_by``) made cancelled by this sync
    #: (:mod:`store.sync_cancels`).
    cancelled: list[str] = field(default_factory=list)
    #: Those of them whose ``cancelled_by`` names no decision the register holds, typed into
    #: the plan after its first sync: the office's plan edit (walk58b 1).
    cancelled_undecided: list[str] = field(default_factory=list)
    #: Items renumbered with ``formerly`` whose old id's history this sync carried over, and
    #: those that name a ``formerly`` it could not carry (:mod:`store.sync_formerly`).
    renumbered: list[Carried] = field(default_factory=list)
    not_carried: list[NotCarried] = field(default_factory=list)
    #: The programme's first sync: every item is the plan as first recorded, none is added.
    first: bool = False
    #: The programme's end moved in the plan file (before, after; walk55d 7); None: it did not.
    end_changed: tuple[date | None, date | None] | None = None

    @property
    def changed(self) -> bool:
        """True when the sync recorded anything at all (revisions, events, withdrawals, the
        plan file's cancellations)."""
        return bool(self.revisions or self.contacts_rerouted or self.withdrawn or self.cancelled)

    def describe(self, *, would: bool = False) -> str:
        """One line for logs and reports, e.g. ``2 changed, 1 archived`` or ``in sync``; the
        contacts created, archived or given another deputy or channel are named (``contacts
        created: carol; archived: alice``), and the messages withdrawn from contacts who left
        or moved counted (:meth:`notes`). ``would``: a dry run's line (nothing was stored),
        every verb in the conditional: ``would create 10, change 2`` (walk56c 4)."""
        parts = [
            f"{_WOULD[label]} {count}" if would else f"{count} {label}"
            for count, label in (
                (self.created, "created"),
                (self.changed_count, "changed"),
                (self.archived, "archived"),
                (self.restored, "restored"),
            )
            if count
        ]
        if parts:
            return ("would " if would else "") + ", ".join(parts) + self.notes(would=would)
        # Only what has no revision (a contact's deputy or channel, a withdrawal): no counts.
        parts = [self._named(would), self._withdrawn(would), self._cancelled(would)]
        return "; ".join(filter(None, parts)) or "in sync"

    def notes(self, *, would: bool = False) -> str:
        """What follows the counts in the cycle's and ``regie sync``'s line: `` (contacts
        created: carol; archived: alice)``, ``; programme end 2026-12-31 → 2027-12-31`` and
        ``; 1 unsent message withdrawn (alice)``, or "" (``would``: in the conditional)."""
        named, withdrawn = self._named(would), self._withdrawn(would)
        cancelled = self._cancelled(would)
        return (
            (f" ({named})" if named else "")
            + (f"; {self._end()}" if self.end_changed else "")
            + (f"; {withdrawn}" if withdrawn else "")
            + (f"; {cancelled}" if cancelled else "")
        )

    def _end(self) -> str:
        before, after = self.end_changed or (None, None)
        return f"programme end {before or 'none'} → {after or 'none'}"

    def _cancelled(self, would: bool = False) -> str:
        if not self.cancelled:
            return ""
        done = "to be cancelled" if would else "cancelled"
        return f"{done} as the plan file says (cancelled_by): {_some(self.cancelled)}"

    def _named(self, would: bool = False) -> str:
        named: list[str] = []
        for label, ids in (
            ("created", self.contacts_created),
            ("archived", self.contacts_archived),
            ("with another deputy or channel", self.contacts_rerouted),
        ):
            if ids:
                said = f"to be {label}" if would and label in _WOULD else label
                named.append(f"{'' if named else 'contacts '}{said}: {_some(ids)}")
        return "; ".join(named)

    def _withdrawn(self, would: bool = False) -> str:
        if not self.withdrawn:
            return ""
        count = sum(len(keys) for keys in self.withdrawn.values())
        plural = "" if count == 1 else "s"
        done = "to be withdrawn" if would else "withdrawn"
        return f"{count} unsent message{plural} {done} ({_some(sorted(self.withdrawn))})"


#: A dry run's verbs for the counts of :meth:`SyncResult.describe`.
_WOULD = {"created": "create", "changed": "change", "archived": "archive", "restored": "restore"}


def _some(ids: list[str], most: int = 5) -> str:
    """Ids, comma-separated: at most ``most``, then how many more."""
    shown = ", ".join(ids[:most])
    return shown if len(ids) <= most else f"{shown} +{len(ids) - most} more"


def sync_plan(
    session: Session,
    plan: Plan,
    *,
    now: datetime,
    plan_path: str | None = None,
    cancelling: Collection[str] = (),
    day: date | None = None,
    add_programme: bool = False,
) -> SyncResult:
    """Bring the stored programme in line with ``plan``; return what changed.

    ``day`` is the office's date at ``now`` (REGIE_TIMEZONE first: the caller knows the
    settings, the store does not); the events and cancellations this sync records are filed
    under it. Default: ``now``'s date in the plan's time zone.

    A plan loaded from a file carries the file's hash: when the last sync stored the same file
    (same hash, same path), nothing is compared and the result is "in sync". Either way an item
    the file drops (``cancelled_by``) without a cancellation on record is made cancelled
    (:mod:`store.sync_cancels`), except those in ``cancelling`` (the caller cancels them: a
    decision being recorded).

    A programme is added to a database that holds others only when ``add_programme`` says so
    (a database shared on purpose); otherwise :class:`ProgrammeElsewhere` is raised before
    anything is written: the plan or the database is likely the other installation's.
    """
    require_aware(now, "now")
    if day is None:
        day = now.astimezone(ZoneInfo(plan.calendar.timezone)).date()
    lock_programme(session, plan.programme.id)
    path = plan_path if plan_path is not None else plan.path
    synced = session.get(PlanSyncRow, plan.programme.id)
    if synced is None and not add_programme:
        refuse_elsewhere(session, plan.programme.id)
    if (
        synced is not None
        and plan.source_hash is not None
        and (synced.plan_hash, synced.plan_path) == (plan.source_hash, path)
    ):
        # The same file as last time; a contacts file (REGIE_CONTACTS) may have changed all
        # the same: its contacts are compared (a few hundred rows at most).
        result = _Sync(session, plan, now, path, day).run(contacts_only=True)
        result.cancelled, result.cancelled_undecided = apply_file_cancels(
            session, plan, now, cancelling, day=day, first=False, plan_path=path
        )
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
        result = _Sync(session, plan, now, path, day).run()
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
    result.cancelled, result.cancelled_undecided = apply_file_cancels(
        session, plan, now, cancelling, day=day, first=result.first, plan_path=path
    )
    return result


def refuse_elsewhere(session: Session, programme_id: str) -> None:
    """:class:`ProgrammeElsewhere` when the programme is not stored and others are."""
    if session.get(ProgrammeRow, programme_id) is not None:
        return  # the sync reads it next: from the identity map
    from store.doctor import programmes_to_name

    others = programmes_to_name(session)
    if others:
        raise ProgrammeElsewhere(programme_id, others)


def lock_programme(session: Session, programme_id: str) -> None:
    """Serialise writers of one programme until the transaction ends.

    Two cycles starting together would otherwise both see "nothing stored yet" and both insert
    the programme (or both record the same revision). PostgreSQL: a transaction-scoped advisory
    lock. SQLite serialises writers by its database lock: it is taken here, before the sync
    reads, so that a busy database is waited for (up to the busy timeout) instead of refusing
    the transaction's first write at once (:func:`store.dialect.take_write_lock`).
    """
    take_write_lock(session)
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            sa.text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
            {"key": f"regie.programme:{programme_id}"},
        )


class _Sync:
    def __init__(
        self, session: Session, plan: Plan, now: datetime, plan_path: str | None, day: date
    ):
        self.session = session
        self.plan = plan
        self.programme_id = plan.programme.id
        self.now = now
        self.day = day  # the office's date at ``now``
        self.plan_path = plan_path
        self.result = SyncResult()
        self.revision_rows: list[dict[str, Any]] = []
        self.stale_rows = False
        self.first = False  # the programme's first sync
        self.moved: dict[str, str] = {}  # contact → why its unsent messages are withdrawn
        self.contact_of = {c.id: c for c in plan.contacts}

    def _withdraw(self) -> None:
        """Suppress the unsent messages to contacts archived or moved (another address,
        organisation or preferred channel) by this sync."""
        if self.first:
            return
        self.result.withdrawn = withdraw(
            self.session,
            self.programme_id,
            self.moved,
            # A renamed contact's messages waiting under an old id (``formerly``) are theirs.
            {i: c.channel for c in self.plan.contacts for i in (c.id, *c.formerly)},
            occurred_on=self.day,
            now=self.now,
        )

    def _recheck(self) -> None:
        """The items of the reminder and escalation digests just withdrawn: due for the next
        day's check (the incremental step chooses them; a full one judges every item), so their
        withdrawn prompts are asked again of whoever answers for them now. Their memory rows
        are made due from the memory's day on (any later day, or a rerun of that day)."""
        keys = [key for found in self.result.withdrawn.values() for key in found]
        if not keys:
            return
        o = OutboxRow
        payloads = self.session.execute(
            sa.select(o.payload).where(
                o.programme_id == self.programme_id,
                o.key.in_(keys),
                o.kind.in_(_PROMPTING_KINDS),
            )
        ).scalars()
        items = sorted(
            {
                str(item["id"])
                for payload in payloads
                if isinstance(payload, dict)
                for item in payload.get("items") or []
                if isinstance(item, dict) and item.get("id")
            }
        )
        memory_day = self.session.execute(
            sa.select(AssessmentMemoryRow.as_of).where(
                AssessmentMemoryRow.programme_id == self.programme_id
            )
        ).scalar()
        if not items or memory_day is None:  # no memory: the next day is assessed in full
            return
        m = ItemMemoryRow
        self.session.execute(
            sa.update(m)
            .where(
                m.programme_id == self.programme_id,
                m.item_code.in_(items),
                sa.or_(m.next_check.is_(None), m.next_check > memory_day),
            )
            .values(next_check=memory_day)
            .execution_options(synchronize_session=False)
        )

    def _reroute(self) -> None:
        """Record a contact's new deputy or preferred channel (no stored column: not compared by
        :meth:`_reconcile`) as an event, against what the last such event, or the contact's
        created revision, holds. A contact created before either was recorded is compared with
        no deputy and no channel (the defaults), its event saying the values before are not
        known."""
        if self.first:
            return  # every contact is new: its created revision holds both
        known: dict[str, dict[str, Any]] = {}
        r = PlanRevisionRow
        for code, after in self.session.execute(
            sa.select(r.code, r.after)
            .where(r.programme_id == self.programme_id, r.entity == CONTACTS.name)
            .where(r.kind == "created")
            .order_by(r.id)
        ):
            if isinstance(after, dict) and all(name in after for name in _ROUTING):
                known[code] = {name: after[name] for name in _ROUTING}
        e = EventRow
        for (payload,) in self.session.execute(
            sa.select(e.payload)
            .where(e.programme_id == self.programme_id, e.item_code.is_(None))
            .where(e.name == CONTACT_CHANGED_EVENT)
            .order_by(e.id)
        ):
            if isinstance(payload, dict) and isinstance(payload.get("contact"), str):
                known[payload["contact"]] = {name: payload.get(name) for name in _ROUTING}
        events = []
        for person in self.plan.contacts:
            if person.id in self.result.contacts_created:
                continue  # its created revision holds both
            now = _routing(person)
            before = known.get(person.id)
            was = before if before is not None else dict.fromkeys(_ROUTING)
            changed = [name for name in _ROUTING if was[name] != now[name]]
            if not changed:
                continue
            self.result.contacts_rerouted.append(person.id)
            events.append(
                {
                    "programme_id": self.programme_id,
                    "name": CONTACT_CHANGED_EVENT,
                    "item_code": None,
                    "occurred_on": self.day,
                    "recorded_at": self.now,
                    "payload": {
                        "contact": person.id,
                        "changed": changed,
                        "before": {name: was[name] for name in changed},
                        "known_before": before is not None,
                        **now,
                    },
                    "dedupe_key": f"{CONTACT_CHANGED_EVENT}:{person.id}:{self.now.isoformat()}",
                }
            )
        if events:
            self.session.execute(sa.insert(EventRow), events)

    def run(self, *, contacts_only: bool = False) -> SyncResult:
        if contacts_only:
            self._reconcile(CONTACTS, contacts(self.plan))
            self._reroute()
            self._withdraw()
            self._recheck()
        else:
            self._programme()
            self._reconcile(ORGANISATIONS, organisations(self.plan))
            self._reconcile(CONTACTS, contacts(self.plan))
            self._reroute()
            self._withdraw()
            self._recheck()
            self._reconcile(STEPS, steps(self.plan))
            action_ids = self._reconcile(ACTIONS, actions(self.plan))
            code_of = {row_id: code for code, row_id in action_ids.items()}
            self._reconcile(MILESTONES, milestones(self.plan, action_ids), code_of)
            self._carry_formerly()
        if self.stale_rows:  # the bulk statements bypassed any plan rows this session holds
            for loaded in list(self.session.identity_map.values()):
                if isinstance(loaded, PlanEntityMixin):
                    self.session.expire(loaded)
        self.result.revisions = self._write_revisions()
        return self.result

    def _carry_formerly(self) -> None:
        """After the items are in line with the plan: a new id that says ``formerly`` takes
        over the old id's history (:mod:`store.sync_formerly`)."""
        if self.first:  # nothing stored before: no old id to carry, but said (walk56a 2)
            self.result.not_carried = before_regie(self.plan)
            return
        made = [
            (r["entity"], r["code"])
            for r in self.revision_rows
            if r["entity"] in (ACTIONS.name, MILESTONES.name) and r["kind"] == "created"
        ]
        back = [
            (r["entity"], r["code"])
            for r in self.revision_rows
            if r["entity"] in (ACTIONS.name, MILESTONES.name) and r["kind"] == "restored"
        ]
        self.result.renumbered, self.result.not_carried = carry_formerly(
            self.session, self.plan, created=made, restored=back, now=self.now, day=self.day
        )

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
            self.first = self.result.first = True
        else:
            current = read_programme(row)
            diffs = [(k, current[k], v) for k, v in desired.items() if current[k] != v]
            for name, before, after in diffs:
                write_programme(row, name, after)
                self._record("programme", p.id, "changed", name, to_json(before), to_json(after))
                if name == "end":
                    self._end_changed(before, after)
            if diffs:
                row.updated_at = self.now
                self.result.changed_count += 1
            else:
                self.result.unchanged += 1
        self.session.flush()  # children reference the programme row

    def _end_changed(self, before: date | None, after: date | None) -> None:
        """An event for the programme's end moved in the plan file (walk55d 7), as a plan
        edit of an item has its revision: said by the sync, in ``regie events`` and read by
        the meeting notices (an extension's rule meetings are no extra ones)."""
        from governance.programme_end import END_CHANGED

        self.result.end_changed = (before, after)
        values = {"before": before.isoformat() if before else None}
        values["after"] = after.isoformat() if after else None
        self.session.add(
            EventRow(
                programme_id=self.programme_id,
                name=END_CHANGED,
                item_code=None,
                occurred_on=self.day,
                recorded_at=self.now,
                payload=values,
                dedupe_key=f"{END_CHANGED}:{values['before']}:{values['after']}:"
                f"{self.now.isoformat()}",
            )
        )

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
                after = to_json(named(wanted))
                if entity is CONTACTS:  # no stored column: :meth:`_reroute` compares with these
                    after.update(_routing(self.contact_of[code]))
                self._record(entity.name, code, "created", after=after)
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
                    # A renamed id (``formerly``) is the same person: their waiting messages
                    # stay, and go to the address the plan gives them now (regie.delivery).
                    if self.plan.contact(code) is None:
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


def _routing(person: Contact) -> dict[str, str | None]:
    """A contact's deputy and preferred channel: an id and a channel name, no address."""
    return {"deputy": person.deputy, "channel": person.channel}


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
