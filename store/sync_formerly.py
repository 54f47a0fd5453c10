"""An item the plan renumbered with ``formerly`` keeps its history (docs/plan-schema.md,
"Renumbering").

The tables that hold an item's history are append-only (status updates, events, prompts), so
the old id's rows are not rewritten: inside the sync's transaction they are copied to the new
id, unchanged apart from the id (their ``recorded_at`` too, so a report's data cut-off reads
the same), and a ``regie.item.renumbered`` event on the new id records the step. The old id's
first assessed day (``item_first_assessed``) is the new id's too. The old id
stays archived with its rows, so archived reports that name it reproduce as they were.

Only a new id the store never had takes over a history: an id that comes back (restored) has
its own, and the two are not merged (the sync warns instead).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from governance.plan import Plan
from store.dialect import insert_function
from store.models import ActionRow, EventRow, MilestoneRow, PromptRow, StatusUpdateRow
from store.models_faults import ItemFirstAssessedRow

#: The event recorded on the new id (payload: ``from``, ``to``, what was carried over).
RENUMBERED_EVENT = "regie.item.renumbered"


@dataclass(frozen=True, slots=True)
class Carried:
    """``old``'s history copied to ``new``: how many rows of each kind."""

    old: str
    new: str
    updates: int
    events: int
    prompts: int


@dataclass(frozen=True, slots=True)
class NotCarried:
    """``new`` says ``formerly: old`` but takes nothing over; ``reason``: "unknown" (the store
    never had ``old`` as that kind of item), "first" (the programme's first sync: the store had
    nothing yet), "restored" (``new`` had a history of its own) or
    "exists" (``new`` was synced before the line was written: its history started then)."""

    old: str
    new: str
    reason: str


def before_regie(plan: Plan) -> list[NotCarried]:
    """The programme's first sync: every ``formerly`` names an id the database never had (a
    renumbering from before Regie), so it carries nothing, and says so (reason "first")."""
    said = [(a.formerly, a.id) for a in plan.actions()]
    said += [(m.formerly, m.id) for m in plan.milestones()]
    return [NotCarried(old, new, "first") for old, new in said if old is not None]


def carry_formerly(
    session: Session,
    plan: Plan,
    *,
    created: Iterable[tuple[str, str]],
    restored: Iterable[tuple[str, str]],
    now: datetime,
    day: date,
) -> tuple[list[Carried], list[NotCarried]]:
    """Copy the history of each ``formerly`` id to the item that names it, for the items this
    sync created (``created``/``restored``: (entity, code) pairs of this sync's revisions).
    Once only: on a later sync the new id is no longer created."""
    made = set(created)
    back = set(restored)
    programme = plan.programme.id
    carried: list[Carried] = []
    skipped: list[NotCarried] = []
    items: list[tuple[str, str, str | None]] = [
        *(("action", a.id, a.formerly) for a in plan.actions()),
        *(("milestone", m.id, m.formerly) for m in plan.milestones()),
    ]
    for entity, new, old in items:
        if old is None:
            continue
        if (entity, new) in back:
            skipped.append(NotCarried(old, new, "restored"))
            continue
        if (entity, new) not in made:
            # Carried when it was created (or said then why not); a line written after the
            # new id was first synced carries nothing, and is said rather than ignored.
            if not _took_over(session, programme, old, new):
                skipped.append(NotCarried(old, new, "exists"))
            continue
        model: Any = ActionRow if entity == "action" else MilestoneRow
        known = session.execute(
            sa.select(model.id).where(model.programme_id == programme, model.code == old)
        ).first()
        if known is None:
            skipped.append(NotCarried(old, new, "unknown"))
            continue
        updates = _copy_updates(session, programme, old, new)
        events = _copy_events(session, programme, old, new)
        prompts = _copy_prompts(session, programme, old, new)
        first_day = _copy_first_day(session, programme, old, new)
        session.execute(
            sa.insert(EventRow),
            [
                {
                    "programme_id": programme,
                    "name": RENUMBERED_EVENT,
                    "item_code": new,
                    "occurred_on": day,
                    "recorded_at": now,
                    "payload": {
                        "from": old,
                        "to": new,
                        "updates": updates,
                        "events": events,
                        "prompts": prompts,
                        # Why the new id's stale clock started before it existed (review51 10).
                        "first_assessed": first_day.isoformat() if first_day else None,
                    },
                    "dedupe_key": f"{RENUMBERED_EVENT}:{old}:{new}:{now.isoformat()}",
                }
            ],
        )
        carried.append(Carried(old, new, updates, events, prompts))
    return carried, skipped


_UPDATE_COLUMNS = (
    "status",
    "reported_on",
    "forecast",
    "completed_on",
    "comment",
    "author",
    "source",
    "recorded_at",
    "recorded_by",
)


def _copy_updates(session: Session, programme: str, old: str, new: str) -> int:
    """One at a time in id order: a correction names the copy of the update it corrects, and
    that copy (an earlier id) is made first."""
    t: Any = StatusUpdateRow.__table__
    rows = session.execute(
        sa.select(t.c.id, t.c.corrects, *(t.c[c] for c in _UPDATE_COLUMNS))
        .where(t.c.programme_id == programme, t.c.item_code == old)
        .order_by(t.c.id)
    ).all()
    copy_of: dict[int, int] = {}
    for row in rows:
        values = dict(zip(_UPDATE_COLUMNS, row[2:], strict=True))
        values.update(
            programme_id=programme,
            item_code=new,
            corrects=copy_of.get(row.corrects) if row.corrects is not None else None,
        )
        made = session.execute(sa.insert(t).returning(t.c.id), [values]).scalar_one()
        copy_of[row.id] = made
    return len(rows)


def _copy_events(session: Session, programme: str, old: str, new: str) -> int:
    t: Any = EventRow.__table__
    rows = session.execute(
        sa.select(t.c.name, t.c.occurred_on, t.c.recorded_at, t.c.payload, t.c.dedupe_key)
        # Not an earlier renumbering's own record: copied, it would say the newest id took
        # over the first one, and the chain (the calendar's UID) would skip a step.
        .where(t.c.programme_id == programme, t.c.item_code == old, t.c.name != RENUMBERED_EVENT)
        .order_by(t.c.id)
    ).all()
    if rows:
        session.execute(
            sa.insert(t),
            [
                {
                    "programme_id": programme,
                    "name": r.name,
                    "item_code": new,
                    "occurred_on": r.occurred_on,
                    "recorded_at": r.recorded_at,
                    "payload": r.payload,
                    "dedupe_key": _copied_key(r.dedupe_key, new),
                }
                for r in rows
            ],
        )
    return len(rows)


def _copy_first_day(session: Session, programme: str, old: str, new: str) -> date | None:
    """The old id's first assessed day (migration 0038), if it has one: Regie asked about the
    item under its old number, so the stale clock does not start again at the new one. Return
    the day copied (None: the old id had none, or the new id has its own, which is kept)."""
    t: Any = ItemFirstAssessedRow.__table__
    # Its recorded_at too (as the copied updates'): a report's data cut-off reads the same.
    found = sa.select(t.c.programme_id, sa.literal(new), t.c.as_of, t.c.recorded_at).where(
        t.c.programme_id == programme, t.c.item_code == old
    )
    statement = insert_function(session)(t).from_select(
        ["programme_id", "item_code", "as_of", "recorded_at"], found
    )
    statement = statement.on_conflict_do_nothing(index_elements=["programme_id", "item_code"])
    copied: date | None = session.execute(statement.returning(t.c.as_of)).scalar()
    return copied


def _took_over(session: Session, programme: str, old: str, new: str) -> bool:
    """Whether ``new`` took over ``old``'s history (its renumbering record is there)."""
    e: Any = EventRow
    payloads = session.scalars(
        sa.select(e.payload).where(
            e.programme_id == programme, e.item_code == new, e.name == RENUMBERED_EVENT
        )
    )
    return any(isinstance(p, dict) and p.get("from") == old for p in payloads)


def _copied_key(key: str, new: str) -> str:
    """The copy's dedupe key: unique per original and new id, within the column's 255."""
    copied = f"{key}@{new}"
    if len(copied) <= 255:
        return copied
    return f"{key[:180]}@{hashlib.sha256(copied.encode()).hexdigest()}"


def _copy_prompts(session: Session, programme: str, old: str, new: str) -> int:
    """The reminder stages already queued: the owner is not asked again from the first one."""
    t: Any = PromptRow.__table__
    rows = session.execute(
        sa.select(t.c.stage, t.c.contact_code, t.c.queued_on, t.c.recorded_at)
        .where(t.c.programme_id == programme, t.c.item_code == old)
        .order_by(t.c.id)
    ).all()
    if rows:
        session.execute(
            sa.insert(t),
            [
                {
                    "programme_id": programme,
                    "item_code": new,
                    "stage": r.stage,
                    "contact_code": r.contact_code,
                    "queued_on": r.queued_on,
                    "recorded_at": r.recorded_at,
                }
                for r in rows
            ],
        )
    return len(rows)


def renumbered_ids(session: Session, programme_id: str) -> dict[str, str]:
    """Old id → the id that took over its history with ``formerly`` (one step each; an old id
    is taken over once: its item left the plan)."""
    e: Any = EventRow
    moves: dict[str, str] = {}
    for new, payload in session.execute(
        sa.select(e.item_code, e.payload)
        .where(e.programme_id == programme_id, e.name == RENUMBERED_EVENT)
        .order_by(e.id)
    ):
        if isinstance(payload, dict) and isinstance(payload.get("from"), str) and new:
            moves[payload["from"]] = str(new)
    return moves


def renumbered_to(session: Session, programme_id: str, code: str) -> str | None:
    """The id that took over ``code``'s history with ``formerly`` (following later
    renumberings too), None if none did: an old answer link names its item's new number."""
    return followed(renumbered_ids(session, programme_id), code)


def followed(moves: Mapping[str, str], code: str) -> str | None:
    """Where ``moves`` (old id → the id that took it over) lead ``code``: its last new id,
    following later renumberings (a cycle stops where it closes); None if it never moved."""
    found, seen = moves.get(code), {code}
    while found is not None and found in moves and found not in seen:
        seen.add(found)
        found = moves[found]
    return found
