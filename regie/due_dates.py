"""Due dates moved and items removed in the plan file without a decision: `regie sync` and
`regie plan validate` warn, one line per item (the rule is :mod:`governance.provenance`'s); an
item that looks renumbered (:mod:`governance.renumbering`) is one line saying so instead."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from governance.counts import count
from governance.plan import Action, Milestone
from governance.renumbering import (
    Gone,
    Renumbering,
    formerly_ids,
    gone_item,
    renumbering_lines,
    renumberings,
)
from regie.bootstrap import App

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from governance.plan import Plan
    from store.sync import SyncResult


def undecided_after_sync(session: Session, plan: Plan, revisions: Sequence[Any]) -> list[str]:
    """`regie sync`: one warning per due date the sync just recorded as moved without a
    recorded decision to that gereed (a promise is moved by `regie decision add --set-gereed`,
    which keeps the first one), then one per item it just removed from the plan without a
    recorded decision (an item is dropped by `regie decision add --cancel`, which keeps it).
    A removed item that a created one with the same title looks like renumbered is one
    renumbering line instead (its history stays with the old id)."""
    from governance.agenda import ItemRevision
    from governance.provenance import (
        RevisionFact,
        due_changes,
        removal_lines,
        removals,
        undecided_lines,
    )
    from store import agenda_read, reports_read
    from store.dialect import reader

    facts = [
        RevisionFact(r.code, r.field, r.before, r.after, r.recorded_at)
        for r in revisions
        if r.entity in ("action", "milestone") and r.field in ("gereed", "period")
    ]
    removed = [
        ItemRevision(r.code, r.kind, None, None, None, r.recorded_at)
        for r in revisions
        if r.entity in ("action", "milestone") and r.kind == "archived"
    ]
    if not facts and not removed:
        return []
    connection = reader(session)
    found = reports_read.decisions(connection, plan.programme.id)
    lines = undecided_lines(due_changes(facts, found), str(plan.path)) if facts else []
    if removed:
        named = agenda_read.with_removed_fields(connection, plan.programme.id, removed)
        pairs = renumberings(
            plan, (gone_item(r.item_id, r.before) for r in named), _created(revisions)
        )
        moved = _old_ids(pairs) | set(formerly_ids(plan))  # formerly: renumbered on purpose
        gone = removals(
            ((r.item_id, r.kind, r.before, r.recorded_at) for r in named if r.item_id not in moved),
            found,
            zone=plan.calendar.timezone,
        )
        lines += removal_lines(gone, str(plan.path))
        lines += renumbering_lines(pairs, str(plan.path), pending=False)
    return lines


def _created(revisions: Sequence[Any]) -> set[str]:
    items = ("action", "milestone")
    return {r.code for r in revisions if r.entity in items and r.kind == "created"}


def added_after_sync(session: Session, plan: Plan, result: SyncResult) -> list[str]:
    """`regie sync`: one warning per item the sync just created that no recorded decision adds
    (`regie decision add --adds`), as a removal without one is warned: agenda packs and progress
    reports as of the sync's day or later say it came without a decision. The sync stamps the
    edit with the wall clock, so in a simulation of past days (REGIE_SIMULATE) those days' packs
    do not show it: the warning says today by the wall clock. A new action's new milestones are
    named with it; an item renumbered (``formerly``, or one that looks so) is not new. Not on
    the programme's first sync: that is the plan, not an addition to it. The agenda pack's rule
    (layout 14): a milestone added to an action a decision added before is new of its own."""
    from datetime import date

    from governance.agenda import ItemRevision
    from governance.decisions import added_by, unadded
    from store import agenda_read, reports_read
    from store.dialect import reader

    created = _created(result.revisions)
    if result.first or not created:
        return []
    connection = reader(session)
    decided = reports_read.decisions(connection, plan.programme.id)
    # An added action's milestones too, those the plan had when it was decided (review46 9).
    now = {
        r.code: r.recorded_at
        for r in result.revisions
        if r.entity in ("action", "milestone") and r.kind == "created"
    }
    added = added_by(plan, decided, date.max, created=now)
    removed = [
        ItemRevision(r.code, r.kind, None, None, None, r.recorded_at)
        for r in result.revisions
        if r.entity in ("action", "milestone") and r.kind == "archived"
    ]
    renumbered = {c.new for c in result.renumbered} | set(formerly_ids(plan).values())
    if removed:
        named = agenda_read.with_removed_fields(connection, plan.programme.id, removed)
        pairs = renumberings(plan, (gone_item(r.item_id, r.before) for r in named), created)
        renumbered |= {r.new for r in pairs} | {new for r in pairs for _, new in r.milestones}
    new = created - renumbered
    items = {a.id: a for a in plan.actions()} | {m.id: m for m in plan.milestones()}
    return [
        _unadded_line(plan, items[item_id], item_id, list(with_items))
        for item_id, with_items in unadded(plan, new, added)
    ]


def _unadded_line(plan: Plan, item: Any, item_id: str, with_items: Sequence[str]) -> str:
    title = f" {item.title!r}" if item.title else ""
    also = f" (with {', '.join(with_items)})" if with_items else ""
    where = item.location or plan.path
    return (
        f"warning: {where}: {item_id}{title}{also} added to the plan without a recorded "
        # Not "the pack says so" (tidy49): the sync stamps the edit with the wall clock, so the
        # packs of earlier days, simulated ones too (REGIE_SIMULATE), show the plan without it.
        "decision (agenda packs and progress reports as of today by the wall clock or later say "
        "so; record the body's decision with "
        f"`regie decision add --body BODY --meeting DATE --adds {item_id} --text TEXT`)"
    )


def formerly_lines(plan: Plan, result: SyncResult) -> list[str]:
    """`regie sync`: one line per item whose ``formerly`` the sync just acted on, at the item
    (``PATH:LINE:COL``): the history it carried over, or why it carried none."""
    if not result.renumbered and not result.not_carried:
        return []  # the usual sync: no map of every item's place (100k items: 10 MiB)
    where = {a.id: a.location for a in plan.actions()}
    where.update({m.id: m.location for m in plan.milestones()})

    def at(code: str) -> str:
        found = where.get(code)
        return str(found) if found is not None else str(plan.path)

    lines = [
        f"note: {at(c.new)}: {c.new} is {c.old} renumbered (formerly): it takes over "
        f"{c.old}'s history ({count(c.updates, 'status update')}, {count(c.events, 'event')}, "
        f"{count(c.prompts, 'reminder stage')}); {c.old} stays archived"
        for c in result.renumbered
    ]
    for n in result.not_carried:
        why = {
            "unknown": f"the database has no {n.old} of the same kind (check the id)",
            "first": f"the database has no {n.old}: this is the programme's first sync, so a "
            f"renumbering from before Regie brings no history, and answers for {n.old} are "
            "not in the plan (import them under the new id)",
            "exists": f"{n.new} was in the database before this sync, and history is carried "
            f"only by the sync that first creates the new id ({n.old}'s stays archived with "
            f"{n.old}; remove the line to silence this)",
        }.get(n.reason, f"{n.new} was in the plan before and came back with its own history")
        lines.append(
            f"warning: {at(n.new)}: {n.new} says formerly: {n.old!r}, but nothing was carried "
            f"over: {why}"
        )
    return lines


def _old_ids(pairs: Sequence[Renumbering]) -> set[str]:
    """The old ids of the renumbered items, their action's milestones with them."""
    return {r.old for r in pairs} | {old for r in pairs for old, _ in r.milestones}


def undecided_in_file(app: App, plan: Plan) -> list[str]:
    """`regie plan validate`: the same warning for the file against the synced plan, before it
    is synced, at the item (``PATH:LINE:COL``). Only against an existing database, read as it
    is (as ``lost_dates``)."""
    from pathlib import Path

    from governance.provenance import file_edits, undecided_lines
    from store.due_dates import stored_in_file, stored_on_server

    settings = app.settings
    try:
        if settings.is_sqlite:
            database = Path(settings.database_url.split("///", 1)[-1].split("?", 1)[0])
            if not database.is_file():
                return []
            synced = stored_in_file(database, plan.programme.id)
        else:
            synced = stored_on_server(app.engine, plan.programme.id)
    except Exception:  # no database yet, an older schema, a server that is down: no warnings
        return []
    # A gereed deleted outright is :func:`regie.services.lost_dates`'s one warning (walk54 7).
    moved = [c for c in file_edits(plan, synced.stored, synced.decided) if c.gereed_after]
    where = item_locations(plan)
    lines = undecided_lines(moved, str(plan.path), where)
    lines += _texts_in_file(plan, synced, {c.item_id for c in moved}, where)
    return lines + _removed_in_file(plan, synced)


def _texts_in_file(plan: Plan, synced: Any, moved: set[str], where: dict[str, str]) -> list[str]:
    """`regie plan validate`: one warning per ``cancelled_by`` the synced plan does not hold
    yet (the item is not cancelled in the store) and no decision of the register drops, and
    per ``revised_by`` beside a due date moved without a decision (walk58b 1)."""
    out = []
    for action in plan.actions():
        chain: list[Action | Milestone] = [action, *action.milestones]
        for item in chain:
            at = where.get(item.id, str(plan.path))
            own = item.cancelled_by
            text = own or action.cancelled_by
            if (
                text
                and item.id in synced.stored
                and item.id not in synced.dropped
                and not {item.id, action.id} & synced.cancelled
                and (own or item is action)
            ):
                out.append(plan_edit_line(at, item.id, "cancelled_by", text, pending=True))
            if item.revised_by and item.id in moved:
                out.append(plan_edit_line(at, item.id, "revised_by", item.revised_by, pending=True))
    return out


def plan_edit_line(at: str, item_id: str, name: str, text: str, *, pending: bool) -> str:
    """The warning for a ``cancelled_by``/``revised_by`` that names no recorded decision."""
    what = "vervallen" if name == "cancelled_by" else "bijgesteld"
    flag = "--cancel" if name == "cancelled_by" else "--set-gereed"
    shown = "syncing records it" if pending else "recorded"
    return (
        f"warning: {at}: {item_id} {name}: {text!r} names no decision the register holds: "
        f"{shown} as the office's plan edit ({what} in het plan zonder besluit, by the "
        "operator, on the day of the sync), not as the body's decision; record the decision "
        f"with `regie decision add --body BODY --meeting DATE {flag} {item_id} …`"
    )


def plan_edits_after_sync(session: Session, plan: Plan, result: SyncResult) -> list[str]:
    """`regie sync` and the cycle: one warning per item the sync just made cancelled from a
    ``cancelled_by`` that names no decision of the register (:mod:`store.sync_cancels`), and
    per ``revised_by`` beside a due date the sync just recorded as moved, when no decision of
    the register to that item names its body and day (walk58b 1)."""
    moved = {
        r.code
        for r in result.revisions
        if r.entity in ("action", "milestone") and r.field in ("gereed", "period")
    }
    if not result.cancelled_undecided and (result.first or not moved):
        return []  # the usual sync: no map of every item (a daily cycle at 100k items)
    lines = []
    where = item_locations(plan)
    items: dict[str, Action | Milestone] = {a.id: a for a in plan.actions()}
    items.update((m.id, m) for m in plan.milestones())
    for item_id in result.cancelled_undecided:
        item = items.get(item_id)
        text = item.cancelled_by if item is not None else None
        if isinstance(item, Milestone) and text is None:
            text = items[item.action_id].cancelled_by
        if text:
            at = where.get(item_id, str(plan.path))
            lines.append(plan_edit_line(at, item_id, "cancelled_by", text, pending=False))
    revised = [i for i in sorted(moved) if i in items and items[i].revised_by]
    if revised and not result.first:
        from governance.provenance import decided_on
        from store import reports_read
        from store.dialect import reader
        from store.sync_cancels import body_named

        found = reports_read.decisions(reader(session), plan.programme.id)
        for item_id in revised:
            text = items[item_id].revised_by or ""
            on, body = decided_on(text), body_named(plan, text)
            if any(d.item_id == item_id and (d.meeting_on, d.body_id) == (on, body) for d in found):
                continue
            at = where.get(item_id, str(plan.path))
            lines.append(plan_edit_line(at, item_id, "revised_by", text, pending=False))
    return lines


def item_locations(plan: Plan) -> dict[str, str]:
    """Where each action and milestone stands in the plan file (``PATH:LINE:COL``)."""
    out = {a.id: str(a.location) for a in plan.actions() if a.location is not None}
    out.update((m.id, str(m.location)) for m in plan.milestones() if m.location is not None)
    return out


def _removed_in_file(plan: Plan, synced: Any) -> list[str]:
    """`regie plan validate`: one warning per item of the synced plan that the file no longer
    has (syncing it removes the item) and that no decision dropped (a milestone whose action
    goes too is named with it)."""
    from datetime import UTC, datetime

    from governance.provenance import removal_lines, removals

    in_file = {a.id for a in plan.actions()} | {m.id for m in plan.milestones()}
    pairs = renumberings(
        plan,
        (
            Gone(code, title, entity, synced.parents.get(code, ""))
            for code, (title, entity) in synced.titles.items()
            if code not in in_file
        ),
        in_file - set(synced.titles),
    )
    moved = _old_ids(pairs) | set(formerly_ids(plan))  # formerly: renumbered on purpose
    gone = [
        (code, "archived", _fields(code, title, entity), datetime.min.replace(tzinfo=UTC))
        for code, (title, entity) in synced.titles.items()
        if code not in in_file and code not in moved
    ]
    renumbered = renumbering_lines(pairs, str(plan.path), pending=True)
    if not gone:
        return renumbered
    found = [
        r
        for r in removals(gone)
        if r.item_id not in synced.cancelled and r.action_id not in synced.cancelled
    ]
    return removal_lines(found, str(plan.path), pending=True) + renumbered


def _fields(code: str, title: str, entity: str) -> dict[str, Any]:
    if entity == "action":
        return {"title": title, "step": None}
    return {"title": title, "action": code.rsplit(".", 1)[0]}
