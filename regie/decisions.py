"""Decisions of governance bodies: stored, and — when they move a date or drop an item — written
back into the plan file as a round-trip edit (ruamel.yaml: comments and layout kept).

The edited text must validate as a plan, or nothing is written: not the file, not the database.
The first *gereed* is kept as ``gereed_original`` next to the new one, with the decision named
in ``revised_by`` ("besluit stuurgroep 12 januari 2016"); a drop is ``cancelled_by`` plus a
``cancelled`` status update, so the item is *vervallen* from the meeting on. Dropping an action
drops its milestones too: one ``cancelled_by`` on the action (a minimal diff; the milestones
inherit it) and a ``cancelled`` update for the action, if it has a gereed of its own, and for
each milestone still open at the meeting (a milestone already done stays done).
"""

from __future__ import annotations

import io
import os
import tempfile
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from regie.bootstrap import App
from regie.errors import InvalidInput

if TYPE_CHECKING:
    from governance.decisions import Decision
    from governance.plan import Plan


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML()  # round trip: comments, quotes, flow lists and folded texts stay as they are
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _find_item(data: Any, item_id: str) -> Any | None:
    for step in data.get("steps") or []:
        for action in step.get("actions") or []:
            if str(action.get("id")) == item_id:
                return action
            for milestone in action.get("milestones") or []:
                if str(milestone.get("id")) == item_id:
                    return milestone
    return None


def _after(mapping: Any, anchor: str, key: str, value: Any) -> None:
    """Set ``key`` right after ``anchor`` (or update it where it stands)."""
    if key in mapping:
        mapping[key] = value
        return
    keys = list(mapping.keys())
    position = keys.index(anchor) + 1 if anchor in keys else len(keys)
    mapping.insert(position, key, value)


def edit_plan_text(
    text: str, item_id: str, *, new_gereed: str | None, cancel: bool, decided: str
) -> str:
    """The plan text with one item's gereed moved or the item dropped (pure, no I/O)."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString as Quoted

    yaml = _yaml()
    data = yaml.load(text)
    item = _find_item(data, item_id)
    if item is None:
        raise InvalidInput(f"{item_id}: no such action or milestone in the plan file")
    if new_gereed is not None:
        old = item.get("gereed")
        if "gereed_original" not in item and old != new_gereed:
            anchor = "gereed" if "gereed" in item else "title"
            _after(item, anchor, "gereed_original", Quoted(old) if old else Quoted("geen datum"))
        if "gereed" in item:
            item["gereed"] = Quoted(new_gereed)
        else:
            _after(item, "title", "gereed", Quoted(new_gereed))
        _after(item, "gereed_original", "revised_by", Quoted(decided))
    if cancel:
        anchor = "revised_by" if "revised_by" in item else "gereed" if "gereed" in item else "title"
        _after(item, anchor, "cancelled_by", Quoted(decided))
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def add_decision(
    app: App,
    body_id: str,
    meeting_on: date,
    text: str,
    *,
    item_id: str | None = None,
    set_gereed: tuple[str, str] | None = None,
    cancel: str | None = None,
) -> list[str]:
    from governance.decisions import Decision, DecisionKind, decided_by
    from governance.planfile import PlanInvalid, parse_plan
    from regie.reports import body_or_fail, meeting_or_fail

    if not text.strip():
        raise InvalidInput("--text: a decision needs its text")
    if set_gereed and cancel:
        raise InvalidInput("give --set-gereed or --cancel, not both")
    plan = app.load_plan()
    body_or_fail(plan, body_id)
    meeting_or_fail(app, plan, body_id, meeting_on)
    target = set_gereed[0] if set_gereed else cancel
    if target and item_id and item_id != target:
        raise InvalidInput(f"--item {item_id} and the decision's item {target} differ")
    item_id = item_id or target
    known = {d.item_id: d for d in plan.deadlines()}
    if item_id is not None and item_id not in known and plan.action(item_id) is None:
        flag = "--set-gereed" if set_gereed else "--cancel" if cancel else "--item"
        raise InvalidInput(f"{flag}: no action or milestone {item_id!r} in the plan")
    decided = decided_by(body_id, meeting_on)
    kind = DecisionKind.DECISION
    before = after = None
    new_text = None
    if target is not None:
        kind = DecisionKind.SET_GEREED if set_gereed else DecisionKind.CANCEL
        path = Path(str(plan.path))
        old_text = path.read_text(encoding="utf-8")
        new_gereed = set_gereed[1] if set_gereed else None
        before = known[target].gereed if target in known else None
        after = new_gereed
        new_text = edit_plan_text(
            old_text, target, new_gereed=new_gereed, cancel=bool(cancel), decided=decided
        )
        try:
            new_plan = parse_plan(new_text, str(path))
        except PlanInvalid as exc:
            raise InvalidInput(
                "the decision would make the plan invalid; nothing was written:",
                *(str(p) for p in exc.problems),
            ) from None
        plan = new_plan
    decision = Decision(body_id, meeting_on, kind, text.strip(), item_id, before, after)
    dropped = _to_cancel(app, plan, cancel, meeting_on) if cancel else ()
    stored = _store(app, plan, decision, new_text, dropped)
    lines = [f"decision {stored.id} recorded for {body_id} {meeting_on}"]
    if new_text is not None:
        lines.append(f"{plan.path}: {target} {'cancelled' if cancel else f'gereed → {after}'}")
    if len(dropped) > 1 or (dropped and dropped[0] != target):
        lines.append(f"cancelled with it: {', '.join(i for i in dropped if i != target)}")
    return lines


def _to_cancel(app: App, plan: Plan, target: str, meeting_on: date) -> tuple[str, ...]:
    """The items a drop of ``target`` cancels: the item itself, and for an action its
    milestones that are still open at the meeting."""
    from governance.rag import State
    from regie.reports import assess_as_of

    items = {d.item_id for d in plan.deadlines()}
    action = plan.action(target)
    children = [m.id for m in action.milestones] if action is not None else []
    if children:
        with app.session() as session:
            assessed = assess_as_of(session, plan, meeting_on).items
        finished = (State.DONE, State.CANCELLED)
        children = [c for c in children if c in assessed and assessed[c].state not in finished]
    return tuple(i for i in (target, *children) if i in items)


def _store(
    app: App, plan: Plan, decision: Decision, new_text: str | None, dropped: tuple[str, ...]
) -> Decision:
    """Decision (and, for a drop, the cancelled updates) in one transaction; the plan file is
    replaced inside it, so a failing commit puts the old file back."""
    from governance.updates import StatusUpdate, UpdateStatus
    from regie.services import utcnow
    from store import Repository, sync_plan
    from store.reports_repo import ReportsRepository

    path = Path(str(plan.path))
    old_text = path.read_text(encoding="utf-8") if new_text is not None else None
    try:
        with app.session() as session, session.begin():
            sync_plan(session, plan, now=utcnow(), plan_path=str(plan.path))
            stored = ReportsRepository(session, plan.programme.id).add_decision(decision)
            for item_id in dropped:
                Repository(session, plan.programme.id).add_status_update(
                    StatusUpdate(
                        item_id=item_id,
                        status=UpdateStatus.CANCELLED,
                        reported_on=decision.meeting_on,
                        comment=decision.text,
                        author=decision.body_id,
                        source="decision",
                    )
                )
            if new_text is not None:
                _replace(path, new_text)
    except BaseException:
        if old_text is not None and path.read_text(encoding="utf-8") != old_text:
            _replace(path, old_text)
        raise
    return stored


def _replace(path: Path, text: str) -> None:
    """Write atomically: a reader sees the old file or the new one, never half of it."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def decisions(app: App, body_id: str | None) -> list[Decision]:
    from store.reports_repo import ReportsRepository

    with app.session() as session:
        return ReportsRepository(session, app.programme_id()).decisions(body_id)
