"""An item that looks renumbered: one id leaves the plan and a new id with the same title
appears in the same step (an action) or the same action (a milestone). Regie keys an item's
history (status updates, answers, decisions, its calendar event) by its id, so a new number is
a new item: `regie plan validate` and `regie sync` say so, one line per pair, instead of the
plain "removed without a recorded decision" warning (pure; the callers read the store). An item
that says ``formerly: <old id>`` is a renumbering on purpose: the sync carries the history over
(:mod:`store.sync_formerly`), so neither it nor its old id is warned about here."""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from governance.plan import Location, Plan


@dataclass(frozen=True, slots=True)
class Gone:
    """An item the synced plan has (or had until this sync) and the file no longer has.
    ``parent``: the step number (as text) of an action, the action id of a milestone."""

    item_id: str
    title: str
    entity: str  # "action" or "milestone"
    parent: str


@dataclass(frozen=True, slots=True)
class Renumbering:
    """``new`` (in the file, at ``location``) looks like ``old`` renumbered. ``milestones``:
    the (old, new) milestone pairs that moved with a renumbered action."""

    old: str
    new: str
    title: str
    entity: str
    parent: str
    location: Location | None
    milestones: tuple[tuple[str, str], ...] = ()


def same_title(text: str) -> str:
    """A title as compared: Unicode-normalised, case and spacing ignored, trailing full stop
    dropped (an edit that only retypes the title still matches)."""
    return " ".join(unicodedata.normalize("NFKC", text).split()).casefold().rstrip(" .")


def gone_item(code: str, fields: Any) -> Gone:
    """A removed item as :func:`renumberings` compares it, from the fields its revisions left
    (:func:`store.agenda_read.with_removed_fields`)."""
    known = fields if isinstance(fields, dict) else {}
    title = str(known.get("title") or "")
    if known.get("step") is not None:
        return Gone(code, title, "action", str(known["step"]))
    return Gone(code, title, "milestone", str(known.get("action") or code.rsplit(".", 1)[0]))


def formerly_ids(plan: Plan) -> dict[str, str]:
    """Old id → the item that names it in ``formerly`` (the parser allows one each)."""
    out = {a.formerly: a.id for a in plan.actions() if a.formerly is not None}
    out.update({m.formerly: m.id for m in plan.milestones() if m.formerly is not None})
    return out


def renumberings(plan: Plan, gone: Iterable[Gone], new_ids: Collection[str]) -> list[Renumbering]:
    """The pairs (old id gone, new id in ``new_ids``) with the same title under the same parent,
    in file order. A milestone's parent counts as the same when its action was renumbered with
    it (by title or by ``formerly``); such milestones are named with their action's pair, not on
    a line of their own. A title that matches more than one gone item (or new item) is paired in
    order, one to one. Items renumbered with ``formerly`` are no pair (they keep their history)."""
    claimed = formerly_ids(plan)
    left: dict[tuple[str, str, str], list[Gone]] = {}
    for g in gone:
        if g.title.strip() and g.item_id not in claimed:
            left.setdefault((g.entity, g.parent, same_title(g.title)), []).append(g)
    actions: dict[str, Renumbering] = {}
    for action in plan.actions():
        if action.id not in new_ids or action.formerly is not None:
            continue
        key = ("action", str(action.step), same_title(action.title))
        if left.get(key):
            old = left[key].pop(0)
            actions[old.item_id] = Renumbering(
                old.item_id, action.id, action.title, "action", str(action.step), action.location
            )
    renamed = {r.new: r.old for r in actions.values()}
    renamed.update({a.id: a.formerly for a in plan.actions() if a.formerly is not None})
    alone: list[Renumbering] = []
    folded: dict[str, list[tuple[str, str]]] = {}
    for m in plan.milestones():
        if m.id not in new_ids or m.formerly is not None:
            continue
        parent = renamed.get(m.action_id, m.action_id)
        key = ("milestone", parent, same_title(m.title))
        if not left.get(key):
            continue
        old = left[key].pop(0)
        if parent in actions:
            folded.setdefault(parent, []).append((old.item_id, m.id))
        else:
            alone.append(Renumbering(old.item_id, m.id, m.title, "milestone", parent, m.location))
    found = [
        Renumbering(
            r.old, r.new, r.title, r.entity, r.parent, r.location, tuple(folded.get(r.old, ()))
        )
        for r in actions.values()
    ]
    return sorted([*found, *alone], key=_file_order)


def _file_order(r: Renumbering) -> tuple[int, int, str]:
    if r.location is None:
        return (0, 0, r.new)
    return (r.location.line, r.location.col, r.new)


def renumbering_lines(found: Iterable[Renumbering], path: str, *, pending: bool) -> list[str]:
    """One warning per pair, at the new id (``PATH:LINE:COL``). ``pending``: not synced yet
    (`plan validate`); else the sync just archived the old id and created the new one."""
    out = []
    for r in found:
        where = str(r.location) if r.location is not None else path
        under = f"step {r.parent}" if r.entity == "action" else f"action {r.parent}"
        with_items = "".join(f", {o} → {n}" for o, n in r.milestones)
        happened = (
            f"syncing archives {r.old} and creates {r.new}"
            if pending
            else f"the sync archived {r.old} and created {r.new}"
        )
        keep = (
            f'keep the number {r.old} in the file, or write formerly: "{r.old}" under '
            f"{r.new} (the sync then carries the history over)"
            if pending
            else f"give the item its number {r.old} again and sync ({r.old} comes back with its "
            f"history, {r.new} goes)"
        )
        out.append(
            f"warning: {where}: {r.new} {r.title!r} looks like {r.old} renumbered "
            f"({r.old} → {r.new}{with_items}: same title, same {under}); a new number is a new "
            f"item: {happened}, and {r.old}'s status updates, answers, decisions and calendar "
            f"event do not come along (the owner is asked about {r.new} from scratch); to keep "
            f"its history, {keep}"
        )
    return out
