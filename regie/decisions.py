"""Decisions of governance bodies: stored, and — when they move a date or drop an item — written
back into the plan file as a round-trip edit (ruamel.yaml: comments and layout kept).

The edited text must validate as a plan, or nothing is written: not the file, not the database.
The first *gereed* is kept as ``gereed_original`` next to the new one, with the decision named
in ``revised_by`` by its body's name ("besluit Stuurgroep MVI, 12 januari 2016"); a drop is
``cancelled_by`` plus a ``cancelled`` status update, so the item is *vervallen* from the meeting
on. Dropping an action drops its milestones too: one ``cancelled_by`` on the action (a minimal
diff; the milestones inherit it) and a ``cancelled`` update for the action, if it has a gereed of
its own, and for each milestone still open at the meeting (a milestone already done stays done).

A later decision can bring a dropped item back: ``--set-gereed`` on a cancelled item (a new
date) or ``--restore`` (its date as it stands, refused when that date has passed by the meeting).
It removes ``cancelled_by`` and records an ``on_track`` update (source ``decision``) from the
meeting on, which supersedes the cancellation: the item is open again and judged from its
date like any other. Restoring a dropped action restores the milestones its drop cancelled
(not those dropped by an earlier decision of their own, nor those done); a milestone of a
dropped action comes back only with its action.

A decision changes only the items it names. An ``idem`` row ("same as the row above") is held to
the promise of the row it copies: re-dating it keeps that promise as ``gereed_original`` (not the
word ``idem``); re-dating the row above it first writes the old promise out into the ``idem`` row
right below (a chain of ``idem`` rows under that one keeps copying it), with its inherited
``depends_on`` when that promise is *dependent*, and says so, so the row below keeps its date.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from regie.bootstrap import App
from regie.errors import InvalidInput
from regie.yaml_layout import file_indent, kept_line_breaks

if TYPE_CHECKING:
    from governance.decisions import Decision, ReportRef
    from governance.plan import Action, Milestone, Plan


def _yaml(text: str) -> Any:
    from ruamel.yaml import YAML

    yaml = YAML()  # round trip: comments, quotes, flow lists and folded texts stay as they are
    yaml.preserve_quotes = True
    yaml.width = 4096
    mapping, sequence, offset = file_indent(text)  # the file's own (walk57c 6)
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def _find_item(data: Any, item_id: str) -> Any | None:
    found = _row_of(data, item_id)
    return found[0][found[1]] if found is not None else None


def _row_of(data: Any, item_id: str) -> tuple[Any, int] | None:
    """The list holding the item (an action's or a milestone's row) and its place in it."""
    for step in data.get("steps") or []:
        actions = step.get("actions") or []
        for i, action in enumerate(actions):
            if str(action.get("id")) == item_id:
                return actions, i
            milestones = action.get("milestones") or []
            for j, milestone in enumerate(milestones):
                if str(milestone.get("id")) == item_id:
                    return milestones, j
    return None


def _note_written_out(data: Any, item_id: str, note: str) -> None:
    """Say beside a row that its ``idem`` was written out, never dropping a comment already
    there: at its gereed (a block row); after the closing brace of a row written as a flow
    mapping (``- {id: …, gereed: …}``), as a comment inside the braces would end the line in
    the middle of the row (walk56e 3); none for a row inside a flow list (``[{…}, {…}]``),
    whose line goes on with the next row."""
    found = _row_of(data, item_id)
    if found is None:  # pragma: no cover - the rows come from this very text
        return
    rows, index = found
    row = rows[index]
    if not row.fa.flow_style():
        if "gereed" not in row.ca.items:
            row.yaml_add_eol_comment(note, "gereed")
    elif not rows.fa.flow_style() and index not in rows.ca.items:
        rows.yaml_add_eol_comment(note, index)


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
    restore: bool = False,
    promised: str | None = None,
    depends_on: Sequence[str] = (),
    keep: Sequence[KeptPromise] = (),
) -> str:
    """The plan text with one item's gereed moved or the item dropped (pure, no I/O).

    ``promised``: the promise the item is held to when that is not its own text (an ``idem``
    row: the text it copies), kept as ``gereed_original``; ``depends_on``: the dependencies such
    a row inherited, written out with its new gereed; ``keep``: the ``idem`` rows below it,
    whose promise is written out (see :func:`kept_promises`); ``restore``: the item comes back
    (its ``cancelled_by`` goes)."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString as Quoted

    yaml = _yaml(text)
    data = yaml.load(text)
    item = _find_item(data, item_id)
    if item is None:
        raise InvalidInput(f"{item_id}: no such action or milestone in the plan file")
    _note_out_of_braces(data, item_id)
    if restore and "cancelled_by" in item:
        del item["cancelled_by"]
    if new_gereed is not None:
        old = promised if promised is not None else item.get("gereed")
        if "gereed_original" not in item and old != new_gereed:
            anchor = "gereed" if "gereed" in item else "title"
            _after(item, anchor, "gereed_original", Quoted(old) if old else Quoted("geen datum"))
            _move_written_out_note(item)
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
            note = f'was "{row.was}" (as {row.copied}), written out by {decided}'
            _note_written_out(data, row.item_id, note)
            _set_depends_on(below, row.depends_on, after="gereed")
    if cancel:
        anchor = "revised_by" if "revised_by" in item else "gereed" if "gereed" in item else "title"
        _after(item, anchor, "cancelled_by", Quoted(decided))
    out = io.StringIO()
    yaml.dump(data, out)
    # ruamel keeps a comment's column: one space after a row that grew past it, a wide gap
    # after one that shrank. The note after a flow row's brace stands two spaces after it.
    return _NOTE_AFTER_BRACE.sub(r"}  \1", kept_line_breaks(text, out.getvalue()))


#: The note of :func:`_note_written_out` after a flow row's closing brace.
_NOTE_AFTER_BRACE = re.compile(
    r'\}[ \t]+(# was "[^"\n]*" \(as [^)\n]*\), written out by [^\n]*)$', re.M
)


def _is_written_out_note(comment: Any) -> bool:
    token = comment[2] if comment is not None and len(comment) > 2 else None
    text = getattr(token, "value", "") or ""
    return text.startswith('# was "') and ", written out by " in text


def _note_out_of_braces(data: Any, item_id: str) -> None:
    """A flow row an earlier version left with the note inside its braces (a ``}`` line at
    column 0, walk56e 3): the note goes after the brace when the row is edited again."""
    found = _row_of(data, item_id)
    if found is None:
        return
    rows, index = found
    row = rows[index]
    if not row.fa.flow_style() or not _is_written_out_note(row.ca.items.get("gereed")):
        return
    text = row.ca.items.pop("gereed")[2].value.strip()
    if not rows.fa.flow_style() and index not in rows.ca.items:
        rows.yaml_add_eol_comment(text, index)


def _move_written_out_note(item: Any) -> None:
    """A block row's note that its ``idem`` was written out (:func:`_note_written_out`) says how
    its gereed came to be: once that gereed is kept as ``gereed_original``, the note goes with
    it, not beside the new date (walk56e 3). Other comments stay where the author put them."""
    if item.fa.flow_style():
        return
    if _is_written_out_note(item.ca.items.get("gereed")):
        text = item.ca.items.pop("gereed")[2].value
        width = len(f'gereed_original: "{item["gereed_original"]}"')
        item.yaml_add_eol_comment(text.strip(), "gereed_original", item.lc.col + width + 2)


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


def _refuse_past_gereed(plan: Plan, item_id: str, gereed: str, meeting_on: date) -> None:
    """A body sets a date still to come: one that passed before its meeting makes the item late
    at once, and the pack and the progress report then publish a typo as a missed promise."""
    moved = plan.deadline_table().by_id.get(item_id)
    due = moved.period.due if moved is not None and moved.period is not None else None
    if due is not None and due < meeting_on:
        raise InvalidInput(
            f"--set-gereed {item_id} {gereed}: its deadline {due} is before the meeting "
            f"({meeting_on}); a decision sets a gereed still to come (a typo in the year?)"
        )


def add_decision(
    app: App,
    body_id: str,
    meeting_on: date,
    text: str,
    *,
    item_id: str | None = None,
    set_gereed: tuple[str, str] | None = None,
    cancel: str | None = None,
    restore: str | None = None,
    approves_report: str | None = None,
    before_archive: bool = False,
    adds: str | Sequence[str] | None = None,
    corrects: int | None = None,
    warnings: list[str] | None = None,
) -> list[str]:
    """Record a decision; the lines said of it. ``warnings`` collects the `warning:` lines
    (a date after the programme's end), which the CLI says on stderr as the other action
    commands do (review47 5); None: they are not said. ``corrects``: the id of the decision
    of the same meeting this one corrects (:func:`regie.decision_fix.corrected_decision`)."""
    from governance.characters import describe_en, refused_character
    from governance.decisions import (
        DECISION_TEXT_MAX,
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
    if (found := refused_character(text)) is not None:
        # A note's rule (governance.characters): line breaks and tabs are text, a control
        # or direction-changing character is not (fix57e 3).
        raise InvalidInput(f"--text: contains {describe_en(found[1])} at character "
                           f"{found[0] + 1}: remove it")  # fmt: skip
    if len(text.strip()) > DECISION_TEXT_MAX:
        raise InvalidInput(
            f"--text: {len(text.strip())} characters, at most {DECISION_TEXT_MAX}: record what "
            "was decided; the reasoning belongs in the minutes"
        )
    if set_gereed and cancel:
        raise InvalidInput("give --set-gereed or --cancel, not both")
    if restore and cancel:
        raise InvalidInput("give --restore or --cancel, not both")
    if restore and set_gereed and set_gereed[0] != restore:
        raise InvalidInput(
            f"--restore {restore} and --set-gereed {set_gereed[0]}: one item per decision"
        )
    from regie.decision_adds import adds_ids, check_additions, record_additions

    added = adds_ids(adds)
    if (adds if not isinstance(adds, str) else [adds]) and not added:
        raise InvalidInput("--adds: give the id of the action or milestone it adds")
    if added and (set_gereed or cancel or restore or approves_report is not None):
        raise InvalidInput(
            "--adds: a decision that adds an item moves no date, drops nothing and approves "
            "no report; record that as a decision of its own"
        )
    if added and item_id is not None and [item_id] != added:
        raise InvalidInput(f"--item {item_id} and --adds {', '.join(added)} differ")
    if before_archive and approves_report is None:
        raise InvalidInput("--before-archive: only with --approves-report OBLIGATION:FROM/TO")
    if approves_report is not None and (set_gereed or cancel or restore):
        raise InvalidInput(
            "--approves-report: a decision that approves a report moves no date and drops "
            "nothing; record that as a decision of its own"
        )
    plan = file_plan = app.load_plan()
    body = body_or_fail(plan, body_id)
    not_yet_taken(app, plan, meeting_on)
    meeting_or_fail(app, plan, body_id, meeting_on)
    wrong = None
    if corrects is not None:
        from regie.decision_fix import corrected_decision

        wrong = corrected_decision(
            app, corrects, body_id, meeting_on, item_id or (set_gereed[0] if set_gereed else None),
            dated=set_gereed is not None, other=bool(cancel or restore or adds or approves_report),
        )  # fmt: skip
    approves = None
    approval_notes: list[str] = []
    if approves_report is not None:
        from regie.report_approval import approved_report

        approves, action, approval_notes = approved_report(
            app, plan, approves_report, meeting_on, before_archive=before_archive
        )
        if item_id is not None and item_id != action:
            about = f"its action {action}" if action else "no action"
            raise InvalidInput(
                f"--item {item_id}: the report --approves-report names is about {about}"
            )
        item_id = action
    if added:
        # One decision per item added, all or none (an office ratifying several at once).
        to_do = check_additions(app, plan, added)
        made = record_additions(app, plan, body_id, meeting_on, text.strip(), added)
        # Each line names what it adds, one or several alike (walk46 11f).
        said = [
            f"decision {d.id} recorded for {body_id} {meeting_on}: adds {d.item_id}" for d in made
        ]
        return [*said, *to_do]
    target = set_gereed[0] if set_gereed else cancel or restore
    if target and item_id and item_id != target:
        raise InvalidInput(f"--item {item_id} and the decision's item {target} differ")
    item_id = item_id or target
    known = {d.item_id: d for d in plan.deadlines()}
    flag = "--restore" if restore else "--set-gereed" if set_gereed else "--cancel"
    if (
        item_id is not None
        and item_id not in known
        and plan.action(item_id) is None
        and (target is not None or not _removed_item(app, plan, item_id))
    ):
        flag = flag if target else "--item"
        raise InvalidInput(f"{flag}: no action or milestone {item_id!r} in the plan")
    if cancel:
        _refuse_cancelled(plan, cancel)
    decided = decided_by(body.name, meeting_on)  # people read it: the name, not the id
    kind = DecisionKind.DECISION
    before = after = None
    new_text = None
    kept: tuple[KeptPromise, ...] = ()
    notes: list[str] = []
    revived: tuple[str, ...] = ()
    if target is not None:
        kind = DecisionKind.CANCEL if cancel else DecisionKind.SET_GEREED
        path = Path(str(plan.path))
        old_text = path.read_text(encoding="utf-8")
        new_gereed = set_gereed[1] if set_gereed else None
        # An ``idem`` row is held to the text it copies: that is the promise being moved.
        before = promise_in_effect(plan, target) if target in known else None
        if restore and not set_gereed:
            # Recorded as a set_gereed to the gereed it has, as written (an ``idem`` row's
            # "idem (Q1-2016)"): nothing to move, in the file or in a view of an earlier day.
            before = after = known[target].gereed if target in known else None
        else:
            after = new_gereed
        if not cancel:
            revived, notes = _to_revive(
                app, plan, target, meeting_on, flag, dated=bool(set_gereed), asked=bool(restore)
            )
        inherited: tuple[str, ...] = ()
        if new_gereed is not None:
            kept = kept_promises(plan, target)
            period = known[target].period if target in known else None
            if period is not None and period.same_as and period.kind is PeriodKind.DEPENDENT:
                inherited = known[target].depends_on
        if wrong is not None:  # set again from the date before the meeting (walk56d 3)
            before = wrong.gereed_before
        promised = before
        if new_gereed is not None and target in known:
            from regie.held_promise import held_promise

            # A hand edit ratified: the promise is the synced one, not the file's (walk54 1).
            promised = held_promise(app, plan, target) or before
        new_text = edit_plan_text(
            old_text,
            target,
            new_gereed=new_gereed,
            cancel=bool(cancel),
            decided=decided,
            restore=bool(revived) or (_dropped_action(plan, target) and not cancel),
            promised=promised,
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
        if new_gereed is not None:
            _refuse_past_gereed(new_plan, target, new_gereed, meeting_on)
        # An action given a gereed of its own no longer lends its depends_on to its milestones.
        notes += ended_inheritance(new_plan, inherited_dependencies(plan))
        plan = new_plan
    decision = Decision(
        body_id, meeting_on, kind, text.strip(), item_id, before, after, approves=approves,
        corrects=corrects,
    )  # fmt: skip
    dropped = _to_cancel(app, plan, cancel, meeting_on) if cancel else ()
    stored = _store(app, plan, decision, new_text, dropped, revived, file_plan=file_plan)
    fixed = f", correcting decision {corrects}" if corrects is not None else ""
    lines = [f"decision {stored.id} recorded for {body_id} {meeting_on}{fixed}"]
    if approves is not None:
        lines.append(
            f"approves the progress report {approves.report_id} over {approves.start} – "
            f"{approves.end}: make it again as of {meeting_on} or later to archive it approved"
        )
        lines += approval_notes
    if new_text is not None:
        if cancel:
            done = "cancelled"
        elif revived and set_gereed:
            done = f"restored, gereed → {after}"
        elif revived or restore:
            done = "restored"
        else:
            done = f"gereed → {after}"
        lines.append(f"{plan.path}: {target} {done}")
    for row in kept:
        lines.append(
            f"{plan.path}: {row.item_id} gereed {row.was!r} written out as {row.gereed!r}: it "
            f"copied {row.copied}, and this decision does not move it"
        )
    if len(dropped) > 1 or (dropped and dropped[0] != target):
        lines.append(f"cancelled with it: {', '.join(i for i in dropped if i != target)}")
    if len(revived) > 1 or (revived and revived[0] != target):
        lines.append(f"restored with it: {', '.join(i for i in revived if i != target)}")
    if new_text is not None and not cancel and target is not None:
        from regie.services import gereed_after_end

        # A date after the programme's end: said now, as `regie plan validate` says it later.
        if warnings is not None:
            warnings += gereed_after_end(plan, {target, *revived})
    return [*lines, *notes]


def _to_revive(
    app: App, plan: Plan, target: str, meeting_on: date, flag: str, *, dated: bool, asked: bool
) -> tuple[tuple[str, ...], list[str]]:
    """The items a decision about ``target`` brings back (cancelled at its meeting), and notes.

    ``dated``: the decision gives a new gereed (``--set-gereed``); an item not cancelled is then
    just re-dated (nothing to revive), unless ``asked`` (``--restore`` given): then it must be
    cancelled. Without a new date the item's date must not have passed by the meeting; the
    milestones a dropped action brings back keep their dates (a passed one is overdue: a note
    says so)."""
    from governance.decisions import DECISION_SOURCE
    from governance.provenance import decided_on
    from governance.rag import State
    from regie.reports import assess_as_of

    with app.session() as session:
        assessed = assess_as_of(session, plan, meeting_on).items
    action = plan.action(target)
    parent = next((a for a in plan.actions() if any(m.id == target for m in a.milestones)), None)

    def cancelled(item_id: str) -> bool:
        return item_id in assessed and assessed[item_id].state is State.CANCELLED

    if parent is not None and parent.cancelled_by and cancelled(target):
        raise InvalidInput(
            f"{flag}: {target} was dropped with its action {parent.id} ({parent.cancelled_by}); "
            f"restore the action (--restore {parent.id}: its milestones with it), then drop "
            "again what stays dropped"
        )
    revived = [target] if cancelled(target) else []
    if action is not None and action.cancelled_by:
        # The milestones the action's drop cancelled: cancelled by a decision on its meeting.
        dropped_on = decided_on(action.cancelled_by)
        for m in action.milestones:
            latest = assessed[m.id].latest_update if m.id in assessed else None
            if (
                cancelled(m.id)
                and latest is not None
                and latest.source == DECISION_SOURCE
                and (dropped_on is None or latest.reported_on == dropped_on)
            ):
                revived.append(m.id)
    if not revived and not _dropped_action(plan, target):
        if dated and not asked:
            return (), []
        state = assessed[target].state.value if target in assessed else None
        now = f" (it is {state})" if state else ""
        raise InvalidInput(f"{flag}: {target} is not cancelled{now}; there is nothing to restore")
    due = {d.item_id: d.period.due for d in plan.deadlines() if d.period is not None}
    if not dated and target in revived and _passed(due.get(target), meeting_on):
        raise InvalidInput(
            f"--restore: {target}'s date (due {due[target]}) has passed by the meeting; "
            f"restore it with a new one: --set-gereed {target} TEXT"
        )
    # The milestones an action brings back keep their dates, passed or not.
    notes = [
        f"note: {i} comes back with its gereed due {due[i]}, passed by the meeting: it is "
        "overdue until a decision moves it (--set-gereed)"
        for i in revived
        if i != target and _passed(due.get(i), meeting_on)
    ]
    return tuple(revived), notes


def _refuse_cancelled(plan: Plan, target: str) -> None:
    """Refuse to drop an item a decision dropped already (itself, or with its action): a
    second drop would list a cancellation nothing made, as ``--restore`` refuses the mirror
    case (walk56d 6)."""
    action = plan.action(target)
    parent = next((a for a in plan.actions() if any(m.id == target for m in a.milestones)), None)
    own = action or next((m for m in parent.milestones if m.id == target), None) if parent else None
    by = (own.cancelled_by if own is not None else None) or (
        parent.cancelled_by if parent is not None else None
    )
    if by:
        raise InvalidInput(f"--cancel: {target} is already cancelled ({by}); nothing to cancel")


def _removed_item(app: App, plan: Plan, item_id: str) -> bool:
    """Whether ``item_id`` is an item the store knows that the plan file no longer has (removed
    from it): ``--item`` may name it, to record the body's decision about the removal."""
    from store import Repository

    with app.session() as session:
        return Repository(session, plan.programme.id).has_item(item_id)


def _dropped_action(plan: Plan, target: str) -> bool:
    action = plan.action(target)
    return action is not None and action.cancelled_by is not None


def _passed(due: date | None, meeting_on: date) -> bool:
    return due is not None and due < meeting_on


def not_yet_taken(app: App, plan: Plan, meeting_on: date) -> None:
    """Refuse a decision of a meeting after today (the business date in the office's zone).

    A decision is recorded once it is taken: one that moves a date edits the plan file at
    once, so the daily cycle would apply it before its meeting, while reports apply it from
    the meeting day on (:func:`governance.provenance.plan_as_of`). A simulation
    (REGIE_SIMULATE) stands at the last day its cycle ran, which may be after today: its
    decisions are taken by then (walk33 11: every one of a simulated meeting was refused)."""
    from regie.services import simulation_hint, simulation_short_of, today

    day = today(app, plan)
    if meeting_on <= day:
        return
    zone = app.settings.timezone or plan.calendar.timezone
    if not app.settings.simulate:
        hint = simulation_hint(app, plan.programme.id, day, "a decision", meeting_on)
        raise InvalidInput(
            f"--meeting: {meeting_on} is after today ({day}, {zone}); a decision is recorded "
            f"once its meeting has taken place{hint}"
        )
    reached = simulation_short_of(app, plan.programme.id, meeting_on)
    if reached is not None:
        raise InvalidInput(
            f"--meeting: {meeting_on} is after today ({day}, {zone}) and the simulation "
            f"{reached}; a decision is recorded once its meeting has taken place: run "
            f"`regie cycle --simulate --as-of {meeting_on}` first"
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
    app: App,
    plan: Plan,
    decision: Decision,
    new_text: str | None,
    dropped: tuple[str, ...],
    revived: tuple[str, ...] = (),
    *,
    file_plan: Plan | None = None,
) -> Decision:
    """Decision (and, for a drop, the cancelled updates; for a restore, the on_track updates
    that supersede them) in one transaction; the plan file is replaced inside it, so a failing
    commit puts the old file back.

    ``file_plan``: the plan file as it stands before the decision edits it (None: ``plan``).
    The sync records every pending edit of the file too; the decision's audit event names
    only the revisions of the dates it sets (:func:`_dated_items`: its item's, also a hand
    edit of it the decision ratifies, and the rows its edit writes out), which a view of an
    earlier day rewinds by the meeting's date. The others (an owner changed, an item removed,
    another item's date) are plain plan-file edits, as `regie sync` records them: undone by
    the day they were recorded (walk55a 4). A decision that edits nothing in the file (text
    only) claims no revision."""
    from governance.decisions import DECISION_SOURCE
    from governance.updates import StatusUpdate, UpdateStatus
    from regie.decision_audit import recorded
    from regie.services import sync_store
    from store import Repository
    from store.reports_repo import ReportsRepository

    path = Path(str(plan.path))
    old_text = path.read_text(encoding="utf-8") if new_text is not None else None
    try:
        with app.session() as session, session.begin():
            # The items this decision drops get its own cancellation, not the file's.
            synced = sync_store(app, session, plan, cancelling=dropped)
            stored = ReportsRepository(session, plan.programme.id).add_decision(decision)
            touched = _dated_items(file_plan or plan, plan, decision.item_id, new_text)
            revisions = [
                r.id
                for r in synced.revisions
                if r.id is not None
                and r.entity in ("action", "milestone")
                and r.kind == "changed"
                and r.field in _DATE_FIELDS
                and r.code in touched
            ]
            recorded(session, plan.programme.id, stored, dropped, revisions, revived)
            changed = [(i, UpdateStatus.CANCELLED) for i in dropped]
            changed += [(i, UpdateStatus.ON_TRACK) for i in revived]
            for item_id, status in changed:
                Repository(session, plan.programme.id).add_status_update(
                    StatusUpdate(
                        item_id=item_id,
                        status=status,
                        reported_on=decision.meeting_on,
                        comment=decision.text,
                        author=decision.body_id,
                        source=DECISION_SOURCE,
                    )
                )
            if new_text is not None:
                _replace(path, new_text)
    except BaseException:
        if old_text is not None and path.read_text(encoding="utf-8") != old_text:
            _replace(path, old_text)
        raise
    return stored


#: The fields of an item's revision a decision's edit of the plan file makes: its date (the
#: gereed text and its period) and a dependent promise written out with its ``depends_on``.
_DATE_FIELDS = frozenset({"gereed", "period", "depends_on"})


def _dated_items(
    before: Plan, after: Plan, item_id: str | None, new_text: str | None
) -> frozenset[str]:
    """The items whose date a decision's edit of the plan file sets: its own item, and those
    whose gereed, period or ``depends_on`` the edit changed (an ``idem`` row written out);
    none when it edits nothing."""
    if new_text is None:
        return frozenset()

    def dates(plan: Plan) -> dict[str, tuple[object, ...]]:
        items: list[Action | Milestone] = list(plan.actions())
        items += [m for a in plan.actions() for m in a.milestones]
        return {i.id: (i.gereed, i.period, i.depends_on) for i in items}

    old, new = dates(before), dates(after)
    changed = {i for i, fields in new.items() if i in old and old[i] != fields}
    return frozenset(changed | ({item_id} if item_id else set()))


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


#: A decision's kind as the office names it (``regie decision list``, its ``md`` export): the
#: stored kinds plus ``restore`` (a ``set_gereed`` that brought a dropped item back) and
#: ``add`` (a text-only decision that adds its item to the plan: ``--adds``).
KIND_LABELS = {
    "besluit": "besluit",
    "set_gereed": "gereed bijgesteld",
    "cancel": "vervallen",
    "restore": "hersteld",
    "add": "toegevoegd aan het plan",
}


@dataclass(frozen=True, slots=True)
class DecisionRow:
    """One recorded decision as the list and the item page show it. ``kind``: the stored kind,
    ``restore`` for a decision that brought a dropped item back, ``add`` for one that added its
    item (machine-readable)."""

    id: int | None
    meeting_on: date
    body_id: str
    body_name: str
    kind: str
    text: str
    item_id: str | None
    gereed_before: str | None
    gereed_after: str | None
    recorded_by: str | None = None
    recorded_at: datetime | None = None
    #: The progress report the decision approves (``--approves-report``), if any.
    approves: ReportRef | None = None
    #: The decision this one corrects (``--corrects``), and the one correcting this one.
    corrects: int | None = None
    corrected_by: int | None = None

    @property
    def label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def effect(self) -> str:
        """What it did, in Dutch: "gereed bijgesteld: Q3-2015 → Q4-2015" ("datum in het plan
        bekrachtigd: Q4-2015" when the file held it already), "vervallen",
        "hersteld" (", gereed bijgesteld: …" when it gave a new date), "besluit"; a corrected
        one "gecorrigeerd door besluit 6", its correction "… (correctie van besluit 5)"."""
        if self.corrected_by is not None:
            return f"gecorrigeerd door besluit {self.corrected_by}"
        if self.corrects is not None:
            return f"{self._effect} (correctie van besluit {self.corrects})"
        return self._effect

    @property
    def _effect(self) -> str:
        moved = self.gereed_before != self.gereed_after and self.gereed_after is not None
        dates = f"{self.gereed_before or 'geen datum'} → {self.gereed_after}"
        if self.kind == "set_gereed" and self.gereed_before == self.gereed_after:
            # The date the plan file held already (a hand edit ratified, review54 2).
            return f"datum in het plan bekrachtigd: {self.gereed_after}"
        if self.kind == "set_gereed":
            return f"gereed bijgesteld: {dates}"
        if self.kind == "restore":
            return f"hersteld, gereed bijgesteld: {dates}" if moved else "hersteld"
        if self.approves is not None:  # the report it approves, so the minutes can say which
            from governance.dutch import long_date

            a = self.approves
            period = f"{long_date(a.start)} – {long_date(a.end)}"
            return f"rapportage vastgesteld: {a.report_id} ({period})"
        return self.label


def decision_rows(
    found: Sequence[tuple[Decision, str | None]],
    names: dict[str, str],
    *,
    items: Sequence[str] | None = None,
) -> list[DecisionRow]:
    """The decisions (``regie.history.decisions_recorded``: each with who recorded it) as
    rows, in their order; ``names``: body id → name; ``items``: only those about these items.
    A restore is told from the decisions before it, so ``found`` is all of them."""
    from governance.decision_corrections import corrected
    from governance.decisions import restores

    restored = restores(d for d, _ in found)
    replaced = corrected(d for d, _ in found)
    return [
        DecisionRow(
            d.id,
            d.meeting_on,
            d.body_id,
            names.get(d.body_id, d.body_id),
            "restore" if d in restored else "add" if d.adds else d.kind.value,
            d.text,
            d.item_id,
            d.gereed_before,
            d.gereed_after,
            by,
            d.recorded_at,
            d.approves,
            d.corrects,
            replaced[d.id].id if d.id in replaced else None,
        )
        for d, by in found
        if items is None or d.item_id in items
    ]
