"""An agenda pack's *ter besluitvorming* (:mod:`governance.agenda`): what the body is asked to
decide, from the data, each with its question and weight; what earlier packs put to it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from governance.agenda_model import (
    OPEN_STATES,
    WEIGHTS,
    DecisionAsked,
    ItemLine,
    ItemRevision,
    _zone_day,
    created_times,
    local_day,
)
from governance.agenda_questions import QuestionHistory, by_question
from governance.assessment import Assessment, ItemAssessment
from governance.decisions import (
    Decision,
    DecisionKind,
    added_by,
    unadded,
)
from governance.plan import Action, Plan
from governance.provenance import DueChange, Removal, removals, undecided_runs
from governance.rag import Rag, State
from governance.ratification import ratifying_decision
from governance.renumbering import formerly_ids, gone_item, renumberings


def open_escalations(
    assessment: Assessment,
    escalations: Sequence[tuple[str, date]],
    decisions: Sequence[Decision] = (),
    due_changes: Sequence[DueChange] = (),
    zone: str = "UTC",
) -> dict[str, date]:
    """Per item whose escalation is still unanswered on ``assessment.as_of``, the day the first
    unanswered one was raised.

    An escalation is answered by anything about its item on or after the day it was raised and
    on or before ``as_of``: an owner's update, or a decision about the item (re-dated, cancelled,
    or only minuted; of any body). An item done or cancelled since has nothing left to chase. A
    decision about another item, or about none, answers nothing.

    It does not outlive the due date it was about either: a change of the item's due date
    recorded on or after the day it was raised (``due_changes``, with or without a decision;
    the plan the pack shows has it) ends it, as a new date starts its own prompts and its own
    silence. A date moved without a decision is put to the body by itself (``ratify``)."""
    as_of = assessment.as_of
    decided: dict[str, date] = {}  # item → its latest decision on or before as_of
    for d in decisions:
        if d.item_id is not None and d.meeting_on <= as_of:
            decided[d.item_id] = max(d.meeting_on, decided.get(d.item_id, d.meeting_on))
    moved: dict[str, date] = {}  # item → the day its due date last changed
    for c in due_changes:
        # An edit's day is the office's day (``zone``): an edit at 00:30 is not yesterday's.
        day = c.decision.meeting_on if c.decision is not None else _zone_day(c.recorded_at, zone)
        moved[c.item_id] = max(day, moved.get(c.item_id, day))
    out: dict[str, date] = {}
    for item_id, raised_on in escalations:
        item = assessment.items.get(item_id)
        if item is None or item.state not in OPEN_STATES or raised_on > as_of:
            continue
        latest = item.latest_update
        answers = [decided[item_id]] if item_id in decided else []
        answers += [latest.reported_on] if latest is not None else []
        answers += [moved[item_id]] if item_id in moved else []
        if not answers or max(answers) < raised_on:
            out[item_id] = min(raised_on, out.get(item_id, raised_on))
    return out


def to_ratify(
    assessment: Assessment,
    due_changes: Sequence[DueChange],
    decisions: Sequence[Decision] = (),
    zone: str = "UTC",
    *,
    by_rule: bool = False,
) -> dict[str, tuple[str | None, str | None]]:
    """Per open item whose due date was last moved in the plan file without a decision (the
    progress report's *datum gewijzigd in het plan zonder besluit*,
    :func:`governance.provenance.due_changes`), the gereed before the first of those edits and
    the gereed now (None: it had none): what the body is asked to ratify. A decision about the
    item taken on or after the (last) edit's day and on or before ``as_of`` answers it, as does
    a later move by a decision. ``by_rule`` (agenda layout 19, review54 3 and 5): only a
    decision that ratified the last edit answers it
    (:func:`governance.ratification.ratifying_decision`), not a report's approval, nor one
    recorded before the edit on its day."""
    as_of = assessment.as_of
    out: dict[str, tuple[str | None, str | None]] = {}
    for item_id, edits in undecided_runs(due_changes).items():
        item = assessment.items.get(item_id)
        if item is None or item.state not in OPEN_STATES:
            continue
        if by_rule:
            if ratifying_decision(edits[-1], decisions, as_of, zone) is not None:
                continue
        else:
            since = _zone_day(edits[-1].recorded_at, zone)
            if any(d.item_id == item_id and since <= d.meeting_on <= as_of for d in decisions):
                continue
        out[item_id] = (edits[0].gereed_before or None, edits[-1].gereed_after or None)
    return out


def removed_to_ratify(
    revisions: Sequence[ItemRevision],
    decisions: Sequence[Decision] = (),
    zone: str = "UTC",
    as_of: date | None = None,
) -> list[Removal]:
    """The items removed from the plan file without a decision and not back in it
    (:func:`governance.provenance.removals`: a milestone removed with its action goes with the
    action), oldest first: what the body is asked to ratify. A decision about the item taken
    on or after the day it was removed (in ``zone``) and on or before ``as_of`` answers it, as
    does a drop of the item or its action by a decision (the file tidied after it). An item
    renumbered (:attr:`ItemRevision.renumbered_to`: agenda layout 20) was not removed."""
    found = removals(
        ((r.item_id, r.kind, r.before, r.recorded_at) for r in revisions if not r.renumbered_to),
        decisions,
        zone=zone,
        as_of=as_of,
    )
    return [r for r in found if not r.decided]


def decisions_asked(
    assessment: Assessment,
    lines: dict[str, ItemLine],
    escalations: Sequence[tuple[str, date]] = (),
    decisions: Sequence[Decision] = (),
    due_changes: Sequence[DueChange] = (),
    zone: str = "UTC",
    revisions: Sequence[ItemRevision] = (),
    *,
    body_id: str | None = None,
    earlier_meetings: Sequence[date] = (),
    listed: Mapping[date, frozenset[str] | None] | None = None,
    added: Sequence[Addition] = (),
    questions: QuestionHistory | None = None,
    risk_dates: bool = False,
    removed_choice: bool = False,
    ratified_by_rule: bool = False,
    forecasts_in_force: bool = False,
) -> list[DecisionAsked]:
    """What the body must decide, one entry per item, by its most pressing reason, in plan
    order (:func:`by_weight` ranks them). Each says how heavily it weighs (:data:`WEIGHTS`:
    a date set by a decision of ``body_id``, any body's when None, missed again is ``again``),
    since when it is late, and at which of ``earlier_meetings`` (the body's meetings before
    this one) it was on the agenda already (:func:`asked_before`).
    ``decisions``: those taken so far, which may have answered an escalation;
    ``due_changes``: the due-date changes the plan's revisions record (a date moved in the plan
    file without a decision is put to the body for ratification); ``revisions``: the items'
    plan revisions (an item removed from the plan file without a decision is put to the body
    too, after the items of the plan: :func:`removed_to_ratify`). ``listed``: per earlier
    meeting that got an archived pack, the items it listed (None: not kept), for
    :func:`asked_in_packs`; None: every meeting counts as the data then stood (layout 2).
    ``added``: the items added to the plan without a decision (:func:`added_to_ratify`), put
    to the body after the removed ones, each besides any other reason its item has.
    ``questions`` (agenda layout 14): *earlier* counts only the packs that asked the same
    question, the others are ``earlier_other`` (:func:`governance.agenda_questions.by_question`).
    ``risk_dates`` (agenda layout 19, walk54 2): an item at risk without a date is still asked
    for its date or term (:func:`missing_date`); before, the risk hid that question.
    ``removed_choice`` (agenda layout 19, walk54b 1): a removal weighs as a choice of the body
    (:func:`_weight`), as an addition does; older layouts filed it as routine.
    ``ratified_by_rule`` (agenda layout 19, review54 3): :func:`to_ratify`'s ``by_rule``.
    ``forecasts_in_force`` (agenda layout 20, review55b 2): ``lines`` show the owner's forecast
    in force (:func:`governance.forecasts.lines_in_force`); a slip is asked only to the forecast
    in force, so an item whose forecast a later date superseded is asked by its next reason
    (a plan-file edit to ratify, red, an escalation), or not at all."""
    escalated = open_escalations(assessment, escalations, decisions, due_changes, zone)
    ratify = to_ratify(assessment, due_changes, decisions, zone, by_rule=ratified_by_rule)
    out: list[DecisionAsked] = []
    for item in assessment.items.values():
        shown = lines.get(item.item_id)
        in_force = shown.forecast if shown is not None else None
        forecast = in_force if forecasts_in_force else item.forecast
        escalated_now, to_accord = item.item_id in escalated, item.item_id in ratify
        reason = _reason(item, escalated_now, to_accord, risk_dates, forecast is not None)
        if reason is None:
            continue
        line = lines[item.item_id]
        before, after = ratify.get(item.item_id, (None, None))
        setting = _set_by(item.item_id, decisions, body_id, assessment.as_of)
        weight = _weight(reason, item.item_id in escalated, setting is not None)
        late_since = item.due if reason in ("overdue", "slipped") else escalated.get(item.item_id)
        earlier: tuple[date, ...]
        estimated: tuple[date, ...] = ()
        if listed is None:
            earlier = asked_before(item, reason, due_changes, earlier_meetings, zone)
        else:
            earlier, estimated = asked_in_packs(
                item, reason, due_changes, earlier_meetings, listed, zone
            )
        other: tuple[date, ...] = ()
        if questions is not None and listed is not None:
            earlier, other = by_question(
                item.item_id, reason, earlier, questions, _tracer(item, reason, due_changes, zone)
            )
            estimated = tuple(on for on in estimated if on in earlier)
        out.append(
            DecisionAsked(
                line, reason, weight, late_since, earlier,
                setting.gereed_after if setting is not None else None,
                setting.meeting_on if setting is not None else None,
                estimated,
                forecast=forecast,
                waiting_on=tuple(item.waiting_on),
                escalated_on=escalated.get(item.item_id),
                ratify_before=before,
                ratify_after=after,
                earlier_other=other,
                cancelled_predecessors=item.cancelled_predecessors,
            )
        )  # fmt: skip
    for removal in removed_to_ratify(revisions, decisions, zone, assessment.as_of):
        if removal.item_id in assessment.items:  # pragma: no cover - back: a restored revision
            continue
        line = removed_line(removal, lines)
        weight = _weight("removed", False, False) if removed_choice else "routine"
        out.append(DecisionAsked(line, "removed", weight, with_items=tuple(removal.with_items)))
    for a in added:
        # Only the packs that listed it (it was not in the plan before it was recorded).
        earlier = tuple(
            on
            for on in sorted(earlier_meetings)
            if listed is not None and a.line.item_id in (listed.get(on) or ())
        )
        other = ()
        if questions is not None:
            earlier, other = by_question(
                a.line.item_id, "added", earlier, questions, lambda on: False
            )
        out.append(
            DecisionAsked(a.line, "added", "choice", earlier=earlier, with_items=a.with_items,
                          added_on=a.on, earlier_other=other)
        )  # fmt: skip
    return out


@dataclass(frozen=True, slots=True)
class Addition:
    """An item added to the plan file without a decision: its line (an action assessed through
    its milestones: the action's, from its last milestone's dates), the new milestones that
    came with a new action, and the day the addition was recorded (the office's)."""

    line: ItemLine
    with_items: tuple[str, ...]
    on: date


def added_to_ratify(
    plan: Plan,
    lines: Mapping[str, ItemLine],
    revisions: Sequence[ItemRevision],
    decisions: Sequence[Decision],
    as_of: date,
    first_recorded: datetime | None = None,
    accepted_through: datetime | None = None,
    *,
    closed_asked: bool = False,
    dated: bool = True,
) -> list[Addition]:
    """The items the plan's revisions record as created (not by the programme's first sync,
    ``first_recorded``) that no decision taken by ``as_of`` added (``regie decision add
    --adds``; one that adds an action adds its milestones), in plan order: what the body is
    asked to accept into the plan, as `regie sync` warns (:func:`governance.decisions.unadded`,
    one rule for both). An item renumbered (``formerly``, or one that looks so: a removal of
    the same title in the same sync) is not new.

    ``accepted_through``: the plan as it stood when this rule came (the upgrade to migration
    0036 of a programme running before it) is accepted as is, as the first sync's plan is: a
    programme of years is not asked about every item it ever added. An item done or cancelled
    by ``as_of`` (an action: all of its milestones) is not asked either: nothing is left to
    accept; ``closed_asked``: it is (agenda layout 12 asked it, as built). ``dated``: an
    action's decision adds only the milestones it found, and milestones each added add their
    action (:func:`governance.decisions.added_by`'s ``created``; agenda layout 14, adds47)."""
    cut = max((t for t in (first_recorded, accepted_through) if t is not None), default=None)
    created: dict[str, datetime] = {}
    gone: dict[datetime, list[ItemRevision]] = {}
    for r in revisions:
        if cut is not None and r.recorded_at <= cut:
            continue  # the plan as first recorded, or as accepted at the upgrade
        if r.kind == "created":
            created.setdefault(r.item_id, r.recorded_at)
        elif r.kind == "archived":
            gone.setdefault(r.recorded_at, []).append(r)
    renumbered = set(formerly_ids(plan).values())
    # Also once the file no longer says ``formerly`` (it may go after the sync): agenda layout 20.
    renumbered |= {r.renumbered_to for r in revisions if r.renumbered_to}
    for at, removed in gone.items():
        same_sync = {i for i, when in created.items() if when == at}
        pairs = renumberings(plan, (gone_item(r.item_id, r.before) for r in removed), same_sync)
        renumbered |= {p.new for p in pairs} | {new for p in pairs for _, new in p.milestones}
    new = set(created) - renumbered
    actions = {a.id: a for a in plan.actions()}
    out = []
    found = added_by(plan, decisions, as_of, created=created_times(revisions) if dated else None)
    for item_id, with_items in unadded(plan, new, found):
        line = lines.get(item_id)
        action = actions.get(item_id)
        if not closed_asked and _closed(item_id, lines, action):
            continue
        if line is None and action is not None:  # assessed through its milestones
            mine = [lines[m.id] for m in action.milestones if m.id in lines]
            if not mine:  # pragma: no cover - an action has a line or milestones
                continue
            line = replace(mine[-1], item_id=action.id, title=action.title,
                           owners=action.owners or mine[-1].owners)  # fmt: skip
        if line is None:  # pragma: no cover - every item of the plan has a line
            continue
        out.append(Addition(line, with_items, local_day(plan, created[item_id])))
    return out


#: The states of an item with nothing left to accept into the plan: delivered, or dropped.
_CLOSED = frozenset({State.DONE.value, State.CANCELLED.value})


def _closed(item_id: str, lines: Mapping[str, ItemLine], action: Action | None) -> bool:
    """Whether the item (an action: its own line, if any, and all its milestones) is done or
    cancelled."""
    ids = [item_id, *(m.id for m in action.milestones)] if action is not None else [item_id]
    states = [lines[i].state for i in ids if i in lines]
    return bool(states) and all(s in _CLOSED for s in states)


def removed_line(removal: Removal, lines: dict[str, ItemLine]) -> ItemLine:
    """A removed item as a line of the pack's *ter besluitvorming*: what it was when it left
    the plan (no date to judge, no update: grey)."""
    fields = removal.fields
    action_id = removal.action_id
    step = fields.get("step")
    if step is None:
        step = next((x.step for x in lines.values() if x.action_id == action_id), 0)
    owners = fields.get("owners")
    action_title = next((x.action_title for x in lines.values() if x.action_id == action_id), "")
    return ItemLine(
        item_id=removal.item_id,
        step=int(step or 0),
        action_id=action_id,
        action_title=action_title if action_id != removal.item_id else removal.title,
        title=removal.title,
        owners=tuple(str(o) for o in owners) if isinstance(owners, list | tuple) else (),
        gereed=str(fields.get("gereed") or "geen datum"),
        due=None,
        forecast=None,
        state="removed",
        rag=Rag.GREY.value,
        stale=False,
        note=None,
        note_on=None,
        waiting_on=(),
    )


def _set_by(
    item_id: str, decisions: Sequence[Decision], body_id: str | None, as_of: date
) -> Decision | None:
    """The decision (of ``body_id``; any body's when None) that set the date an item has now:
    the latest that moved it, by meeting, when that was a ``set_gereed``."""
    mine = sorted(
        (
            d for d in decisions
            if d.item_id == item_id and d.meeting_on <= as_of
            and d.kind in (DecisionKind.SET_GEREED, DecisionKind.CANCEL)
        ),
        key=lambda d: (d.meeting_on, d.id or 0),
    )  # fmt: skip
    if not mine or mine[-1].kind is not DecisionKind.SET_GEREED:
        return None
    return mine[-1] if body_id is None or mine[-1].body_id == body_id else None


def _weight(reason: str, escalated: bool, set_by_decision: bool) -> str:
    if reason == "slipped":
        return "slip"
    if reason == "overdue" and set_by_decision:
        return "again"
    if escalated:
        return "escalated"
    if reason in ("ratify", "removed", "added", "red"):
        return "choice"
    return "routine"


def asked_before(
    item: ItemAssessment,
    reason: str,
    due_changes: Sequence[DueChange],
    meetings: Sequence[date],
    zone: str = "UTC",
) -> tuple[date, ...]:
    """Which of ``meetings`` (earlier ones of the body) had this point on their agenda as the
    data then stood: a late item at each meeting after the deadline in force then had passed
    (a date moved by a decision counts from its meeting; one moved in the plan file from the
    day it was recorded), an undated one at each meeting while it had no date. Other reasons
    (a slip's forecast, a wait, a ratification) are not traced back."""
    if reason not in ("overdue", "undated", "escalated", "red") or not meetings:
        return ()
    changes = sorted(
        (
            (c.decision.meeting_on if c.decision is not None else _zone_day(c.recorded_at, zone), c)
            for c in due_changes
            if c.item_id == item.item_id
        ),
        key=lambda dc: dc[0],
    )
    out = []
    for on in sorted(meetings):
        due = changes[0][1].due_before if changes else item.due
        for day, c in changes:
            if day >= on:
                break
            due = c.due_after
        late = due is not None and due < on
        if (late and reason != "undated") or (due is None and reason == "undated"):
            out.append(on)
    return tuple(out)


def _tracer(
    item: ItemAssessment, reason: str, due_changes: Sequence[DueChange], zone: str
) -> Callable[[date], bool]:
    """Whether the data as they stood on a meeting gave ``item`` this ``reason``
    (:func:`asked_before`)."""
    return lambda on: bool(asked_before(item, reason, due_changes, [on], zone))


def asked_in_packs(
    item: ItemAssessment,
    reason: str,
    due_changes: Sequence[DueChange],
    meetings: Sequence[date],
    listed: Mapping[date, frozenset[str] | None],
    zone: str = "UTC",
) -> tuple[tuple[date, ...], tuple[date, ...]]:
    """Which of ``meetings`` had the item *ter besluitvorming* in the pack that was archived for
    them (``listed``): a meeting that got no pack does not count. A pack archived before packs
    kept their list is read as the data then stood (:func:`asked_before`); those meetings are
    returned second, so the pack's data say which were worked out."""
    out, estimated = [], []
    for on in sorted(meetings):
        if on not in listed:
            continue  # the meeting passed without a pack: nothing was put to the body
        items = listed[on]
        if items is None:
            if asked_before(item, reason, due_changes, [on], zone):
                out.append(on)
                estimated.append(on)
        elif item.item_id in items:
            out.append(on)
    return tuple(out), tuple(estimated)


def by_weight(asked: Sequence[DecisionAsked]) -> list[DecisionAsked]:
    """The points ter besluitvorming heaviest first (:data:`WEIGHTS`), within a weight the
    longest late first, then in plan order."""
    order = {id(a): n for n, a in enumerate(asked)}
    return sorted(
        asked,
        key=lambda a: (
            WEIGHTS.index(a.weight) if a.weight in WEIGHTS else len(WEIGHTS),
            a.late_since or date.max,
            order[id(a)],
        ),
    )


def shortlist_asked(
    asked: Sequence[DecisionAsked], limit: int
) -> tuple[list[DecisionAsked], list[DecisionAsked]]:
    """The points a short list shows, heaviest first, and the routine ones left out: only
    routine points are cut, however many weighty ones there are (the list then is longer
    than ``limit``)."""
    ranked = by_weight(asked)
    if len(ranked) <= limit:
        return ranked, []
    weighty = [a for a in ranked if a.weight != "routine"]
    routine = [a for a in ranked if a.weight == "routine"]
    room = max(limit - len(weighty), 0)
    return weighty + routine[:room], routine[room:]


def _reason(
    item: ItemAssessment,
    escalated: bool,
    ratify: bool = False,
    risk_dates: bool = False,
    forecast_shown: bool = True,
) -> str | None:
    """``forecast_shown``: a slip is asked to a forecast (agenda layout 20: the one in force)."""
    if item.state is State.OVERDUE:
        return "overdue"
    if item.state is State.SLIPPED and forecast_shown:
        return "slipped"
    if ratify:
        return "ratify"
    if item.state is State.UNDATED:
        return "undated"
    if item.state is State.WAITING:
        return "waiting"
    if risk_dates and item.state is State.AT_RISK:
        missing = missing_date(item)
        if missing is not None:
            return missing
    if item.rag is Rag.RED:
        return "red"
    if escalated:
        return "escalated"
    return None


def missing_date(item: ItemAssessment) -> str | None:
    """The date question an item at risk without a due date still asks (agenda layout 19,
    walk54 2): the owner's *risico* outranks *geen datum* and *wacht op* in the item's state,
    but the body must still set the date (``undated``: no date, e.g. *Ntb*) or the term of a
    wait (``waiting``: *Afhankelijk van …* with a dependency not finished). Read from the
    state the assessor gave before the risk (``undated_state``, review54 5): an ongoing item
    (no end), a dated or a finished one: None."""
    if item.undated_state is State.WAITING:
        return "waiting"
    if item.undated_state is State.UNDATED:
        return "undated"
    return None
