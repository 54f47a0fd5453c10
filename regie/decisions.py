"""Decisions of governance bodies: stored, and — when they move a date or drop an item — written
back into the plan file as a round-trip edit (ruamel.yaml: comments and layout kept).

The edited text must validate as a plan, or nothing is written: not the file, not the database.
The first *gereed* is kept as ``gereed_original`` next to the new one, with the decision named
in ``revised_by`` by its body's name ("besluit Stuurgroep MVI, 12 januari 2016"); a drop is
``cancelled_by`` plus a ``cancelled`` status update, so the item is *vervallen* from the meeting
on. Dropping an action drops its milestones too: one ``cancelled_by`` on the action (a minimal
diff; the milestones inherit it) and a ``cancelled`` update for the action, if it has a gereed of
its own, and for each milestone still open at the meeting (a milestone already done stays done).

A decision changes only the items it names. An ``idem`` row ("same as the row above") is held to
the promise of the row it copies: re-dating it keeps that promise as ``gereed_original`` (not the
word ``idem``); re-dating the row above it first writes the old promise out into the ``idem`` row
right below (a chain of ``idem`` rows under that one keeps copying it), with its inherited
``depends_on`` when that promise is *dependent*, and says so, so the row below keeps its date.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from regie.bootstrap import App
from regie.errors import InvalidInput

if TYPE_CHECKING:
    from governance.decisions import Decision
    from governance.plan import Action, Milestone, Plan


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


@dataclass(frozen=True, slots=True)
class KeptPromise:
    """An ``idem`` row directly below an item a decision re-dates: its promise (the text it
    copied) is written out, so the decision does not move it too."""

    item_id: str
    was: str  # its gereed as written ("idem")
    gereed: str  # the promise it copied, now written out
    copied: str  # the id of the row it copied
    depends_on: tuple[str, ...] = ()  # inherited with a *dependent* promise; kept explicitly


def kept_promises(plan: Plan, target: str) -> tuple[KeptPromise, ...]:
    """The ``idem`` rows right below ``target`` (those copying it), with the promise they keep
    when ``target``'s gereed changes (pure)."""
    from governance.decisions import promise_in_effect
    from governance.periods import PeriodKind

    promise = promise_in_effect(plan, target)
    if promise is None:
        return ()
    items: list[Action | Milestone] = [*plan.actions(), *plan.milestones()]
    return tuple(
        KeptPromise(
            i.id,
            i.gereed or "",
            promise,
            target,
            i.depends_on if i.period.kind is PeriodKind.DEPENDENT else (),
        )
        for i in items
        if i.period is not None and i.period.same_as == target
    )


def edit_plan_text(
    text: str,
    item_id: str,
    *,
    new_gereed: str | None,
    cancel: bool,
    decided: str,
    promised: str | None = None,
    depends_on: Sequence[str] = (),
    keep: Sequence[KeptPromise] = (),
) -> str:
    """The plan text with one item's gereed moved or the item dropped (pure, no I/O).

    ``promised``: the promise the item is held to when that is not its own text (an ``idem``
    row: the text it copies), kept as ``gereed_original``; ``depends_on``: the dependencies such
    a row inherited, written out with its new gereed; ``keep``: the ``idem`` rows below it,
    whose promise is written out (see :func:`kept_promises`)."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString as Quoted

    yaml = _yaml()
    data = yaml.load(text)
    item = _find_item(data, item_id)
    if item is None:
        raise InvalidInput(f"{item_id}: no such action or milestone in the plan file")
    if new_gereed is not None:
        old = promised if promised is not None else item.get("gereed")
        if "gereed_original" not in item and old != new_gereed:
            anchor = "gereed" if "gereed" in item else "title"
            _after(item, anchor, "gereed_original", Quoted(old) if old else Quoted("geen datum"))
        if "gereed" in item:
            item["gereed"] = Quoted(new_gereed)
        else:
            _after(item, "title", "gereed", Quoted(new_gereed))
        _after(item, "gereed_original", "revised_by", Quoted(decided))
        _set_depends_on(item, depends_on, after="revised_by")
        for row in keep:
            below = _find_item(data, row.item_id)
            if below is None:  # pragma: no cover - the rows come from this very text
                continue
            below["gereed"] = Quoted(row.gereed)
            if "gereed" not in below.ca.items:  # never drop a comment already there
                note = f'was "{row.was}" (as {row.copied}), written out by {decided}'
                below.yaml_add_eol_comment(note, "gereed")
            _set_depends_on(below, row.depends_on, after="gereed")
    if cancel:
        anchor = "revised_by" if "revised_by" in item else "gereed" if "gereed" in item else "title"
        _after(item, anchor, "cancelled_by", Quoted(decided))
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _set_depends_on(item: Any, depends_on: Sequence[str], *, after: str) -> None:
    """Write ``depends_on`` out in full when the row's own list lacks some of them."""
    from ruamel.yaml.comments import CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString as Quoted

    own = [str(x) for x in item.get("depends_on") or []]
    if not depends_on or own == list(depends_on):
        return
    seq = CommentedSeq([Quoted(x) for x in depends_on])
    seq.fa.set_flow_style()
    _after(item, after, "depends_on", seq)


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
    from governance.decisions import (
        Decision,
        DecisionKind,
        decided_by,
        ended_inheritance,
        inherited_dependencies,
        promise_in_effect,
    )
    from governance.periods import PeriodKind
    from governance.planfile import PlanInvalid, parse_plan
    from regie.reports import body_or_fail, meeting_or_fail

    if not text.strip():
        raise InvalidInput("--text: a decision needs its text")
    if set_gereed and cancel:
        raise InvalidInput("give --set-gereed or --cancel, not both")
    plan = app.load_plan()
    body = body_or_fail(plan, body_id)
    not_yet_taken(app, plan, meeting_on)
    meeting_or_fail(app, plan, body_id, meeting_on)
    target = set_gereed[0] if set_gereed else cancel
    if target and item_id and item_id != target:
        raise InvalidInput(f"--item {item_id} and the decision's item {target} differ")
    item_id = item_id or target
    known = {d.item_id: d for d in plan.deadlines()}
    if item_id is not None and item_id not in known and plan.action(item_id) is None:
        flag = "--set-gereed" if set_gereed else "--cancel" if cancel else "--item"
        raise InvalidInput(f"{flag}: no action or milestone {item_id!r} in the plan")
    decided = decided_by(body.name, meeting_on)  # people read it: the name, not the id
    kind = DecisionKind.DECISION
    before = after = None
    new_text = None
    kept: tuple[KeptPromise, ...] = ()
    notes: list[str] = []
    if target is not None:
        kind = DecisionKind.SET_GEREED if set_gereed else DecisionKind.CANCEL
        path = Path(str(plan.path))
        old_text = path.read_text(encoding="utf-8")
        new_gereed = set_gereed[1] if set_gereed else None
        # An ``idem`` row is held to the text it copies: that is the promise being moved.
        before = promise_in_effect(plan, target) if target in known else None
        after = new_gereed
        inherited: tuple[str, ...] = ()
        if new_gereed is not None:
            kept = kept_promises(plan, target)
            period = known[target].period if target in known else None
            if period is not None and period.same_as and period.kind is PeriodKind.DEPENDENT:
                inherited = known[target].depends_on
        new_text = edit_plan_text(
            old_text,
            target,
            new_gereed=new_gereed,
            cancel=bool(cancel),
            decided=decided,
            promised=before,
            depends_on=inherited,
            keep=kept,
        )
        try:
            new_plan = parse_plan(new_text, str(path))
        except PlanInvalid as exc:
            raise InvalidInput(
                "the decision would make the plan invalid; nothing was written:",
                *(str(p) for p in exc.problems),
            ) from None
        # An action given a gereed of its own no longer lends its depends_on to its milestones.
        notes = ended_inheritance(new_plan, inherited_dependencies(plan))
        plan = new_plan
    decision = Decision(body_id, meeting_on, kind, text.strip(), item_id, before, after)
    dropped = _to_cancel(app, plan, cancel, meeting_on) if cancel else ()
    stored = _store(app, plan, decision, new_text, dropped)
    lines = [f"decision {stored.id} recorded for {body_id} {meeting_on}"]
    if new_text is not None:
        lines.append(f"{plan.path}: {target} {'cancelled' if cancel else f'gereed → {after}'}")
    for row in kept:
        lines.append(
            f"{plan.path}: {row.item_id} gereed {row.was!r} written out as {row.gereed!r}: it "
            f"copied {row.copied}, and this decision does not move it"
        )
    if len(dropped) > 1 or (dropped and dropped[0] != target):
        lines.append(f"cancelled with it: {', '.join(i for i in dropped if i != target)}")
    return [*lines, *notes]


def not_yet_taken(app: App, plan: Plan, meeting_on: date) -> None:
    """Refuse a decision of a meeting after today (the business date in the office's zone).

    A decision is recorded once it is taken: one that moves a date edits the plan file at
    once, so the daily cycle would apply it before its meeting, while reports apply it from
    the meeting day on (:func:`governance.provenance.plan_as_of`)."""
    from regie.services import today

    day = today(app, plan)
    if meeting_on > day:
        zone = app.settings.timezone or plan.calendar.timezone
        raise InvalidInput(
            f"--meeting: {meeting_on} is after today ({day}, {zone}); a decision is recorded "
            "once its meeting has taken place"
        )


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
            synced = sync_plan(session, plan, now=utcnow(), plan_path=str(plan.path))
            stored = ReportsRepository(session, plan.programme.id).add_decision(decision)
            revisions = [r.id for r in synced.revisions if r.id is not None]
            _recorded(session, plan.programme.id, stored, dropped, revisions)
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


def _recorded(
    session: Any,
    programme_id: str,
    stored: Decision,
    dropped: tuple[str, ...],
    revisions: list[int],
) -> None:
    """The audit log's event of a recorded decision: who recorded it (store.actor), the items
    it cancelled and the plan revisions it made (their ids in ``plan_revisions``)."""
    from regie.services import utcnow
    from store.audit import record_action

    record_action(
        session, programme_id, DECISION_RECORDED, now=utcnow(), occurred_on=stored.meeting_on,
        item=stored.item_id, key=str(stored.id),
        payload={"decision_id": stored.id, "body": stored.body_id, "kind": stored.kind.value,
                 "text": stored.text, "gereed_before": stored.gereed_before,
                 "gereed_after": stored.gereed_after, "cancelled": list(dropped),
                 "plan_revisions": revisions},
    )  # fmt: skip


DECISION_RECORDED = "regie.decision.recorded"


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
