"""Decisions of governance bodies and measurements of indicators: append-only facts."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from governance.plan import Action, Milestone, Plan


class DecisionKind(StrEnum):
    DECISION = "besluit"  # recorded only
    SET_GEREED = "set_gereed"  # moves an item's gereed (the plan file is edited)
    CANCEL = "cancel"  # drops an item (the plan file is edited, the item becomes vervallen)


#: The ``source`` of a status update a decision records (a drop's ``cancelled``, a restore's
#: ``on_track``): the body's word, not the owner's.
DECISION_SOURCE = "decision"
#: The source of the status update that marks a report's action gereed when the report is
#: archived (``regie report voortgang --mark-done``): the office's record, not the owner's word.
REPORT_SOURCE = "report"
#: The source of the ``cancelled`` update a ``cancelled_by`` typed into the plan file after its
#: first sync writes when it names no decision the register holds (walk58b 1): the office's
#: plan edit, dated on the day the sync records it (:mod:`store.sync_cancels`).
PLAN_SOURCE = "plan"
#: Sources of updates that are not an owner's own words: a decision's (a drop, a restore), a
#: report's mark and the office's plan edit. Reports neither quote them as *toelichting
#: eigenaar* nor count them, nor mark them *nagekomen*.
NOT_THE_OWNERS = frozenset({DECISION_SOURCE, REPORT_SOURCE, PLAN_SOURCE})


@dataclass(frozen=True, slots=True)
class ReportRef:
    """The progress report a decision approves: the plan's reporting obligation (``reports:``
    id) and the period the report covers (``regie decision add --approves-report``)."""

    report_id: str
    start: date
    end: date


#: The longest decision text: a decision is read as one line of the minutes and the packs'
#: decision lists (the reasoning belongs in the meeting's notes); as long as an owner's note.
DECISION_TEXT_MAX = 2000


@dataclass(frozen=True, slots=True)
class Decision:
    body_id: str
    meeting_on: date
    kind: DecisionKind
    text: str
    item_id: str | None = None
    gereed_before: str | None = None
    gereed_after: str | None = None
    recorded_at: datetime | None = None
    id: int | None = None
    #: The report this decision approves (a text-only decision, stored in report_approvals).
    approves: ReportRef | None = None
    #: The decision adds ``item_id`` to the plan (``regie decision add --adds``): a text-only
    #: decision, stored in decision_additions; the item may reach the plan file after it.
    adds: bool = False
    #: The id of the decision of the same meeting this one corrects (``regie decision add
    #: --corrects``, stored in decision_corrections): that one stays recorded, read as replaced.
    corrects: int | None = None


@dataclass(frozen=True, slots=True)
class Measurement:
    indicator_id: str
    value: float
    measured_on: date
    source: str
    recorded_at: datetime | None = None
    id: int | None = None


def decided_by(body_name: str, meeting_on: date) -> str:
    """'besluit Stuurgroep MVI, 12 januari 2016': how the plan file and reports name a decision.

    The body's *name* as the plan gives it (a person reads it), then the date after a comma, so
    a name ending in a number ("Werkgroep 3") stays apart from the date. No article: the name
    may be a *de* or a *het* word, or a proper name."""
    from governance.dutch import long_date

    return f"besluit {body_name}, {long_date(meeting_on)}"


def decision_label(plan: Plan, decision: Decision) -> str:
    """:func:`decided_by` for a stored decision: its body's name from the plan (its id when the
    plan no longer has that body)."""
    body = plan.body(decision.body_id)
    return decided_by(body.name if body else decision.body_id, decision.meeting_on)


def additions(decisions: Iterable[Decision], as_of: date) -> dict[str, Decision]:
    """The decision that added each item to the plan (``--adds``), taken on or before
    ``as_of``: the first by meeting when several name the same item."""
    out: dict[str, Decision] = {}
    for d in sorted(decisions, key=lambda d: (d.meeting_on, d.id or 0)):
        if d.adds and d.item_id is not None and d.meeting_on <= as_of:
            out.setdefault(d.item_id, d)
    return out


@dataclass(frozen=True, slots=True)
class AddedBy:
    """The decision that added an item to the plan."""

    decision: Decision
    #: The decision adds the milestone's action, and with it its milestones (dec45): the item
    #: itself is not named by ``--adds``.
    via_action: bool = False
    #: An action without a *gereed* of its own whose milestones decisions each added (adds47):
    #: ``decision`` is the latest of them; the action itself is not named by ``--adds``.
    via_milestones: bool = False


def action_of(plan: Plan, item_id: str) -> str | None:
    """The action of a milestone: the plan's, else the one its id names (``STEP.N.M``: a
    milestone the plan file has yet to get); None for anything else."""
    return _parents(plan).get(item_id) or _action_named(item_id)


def _parents(plan: Plan) -> dict[str, str]:
    return {m.id: a.id for a in plan.actions() for m in a.milestones}


def _action_named(item_id: str) -> str | None:
    parts = item_id.split(".")
    return ".".join(parts[:2]) if len(parts) == 3 else None


def added_by(
    plan: Plan,
    decisions: Iterable[Decision],
    as_of: date,
    items: Iterable[str] = (),
    *,
    created: Mapping[str, datetime] | None = None,
    by_meeting: bool = True,
) -> dict[str, AddedBy]:
    """The decision taken on or before ``as_of`` that added each item: one that names it
    (``--adds``), else, for a milestone, the one that added its action: adding an action adds
    its milestones (one rule for `regie sync`'s warning, the pack, the progress report and
    ``--adds``). The plan's milestones, and those of ``items`` (ids the plan may lack yet).

    ``created``: when each item was recorded as created after the first sync (an item not in
    it: before). Given (agenda layout 14, adds47), an action's decision adds only the
    milestones in the plan when it was recorded, or created with the action (review46 9): one
    added later is an addition of its own; and an action without a *gereed* of its own whose
    milestones decisions each added is added by them (walk46 4). None: the rule before.
    ``by_meeting``: such an action is named with the decision of the latest meeting among them
    (ratify48: a decision of an earlier meeting recorded late does not make it read as decided
    then); False: the one recorded last (agenda layout 14 and before)."""
    direct = additions(decisions, as_of)
    out = {i: AddedBy(d) for i, d in direct.items()}
    parents = _parents(plan)
    actions = {a.id for a in plan.actions()}
    for item_id in [*parents, *items]:
        action = parents.get(item_id) or _action_named(item_id)
        if item_id in out or action is None or action not in direct:
            continue
        if created is None or _came_with(
            item_id in parents, action in actions, created.get(item_id), created.get(action),
            direct[action],
        ):  # fmt: skip
            out[item_id] = AddedBy(direct[action], via_action=True)
    if created is not None:
        for action_id, d in _added_by_milestones(plan, direct, created, by_meeting).items():
            out.setdefault(action_id, AddedBy(d, via_milestones=True))
    return out


def _came_with(
    in_plan: bool,
    action_in_plan: bool,
    at: datetime | None,
    action_at: datetime | None,
    decision: Decision,
) -> bool:
    """Whether a milestone (``in_plan``, created ``at``) is one the decision adding its action
    (created ``action_at``) added: in the plan when the decision was recorded, or created in
    the same sync as the action (the body decided first, the office edited the plan after). A
    milestone the plan lacks yet comes with its action only while the plan lacks the action."""
    if not in_plan:
        return not action_in_plan
    if at is None or decision.recorded_at is None or at <= decision.recorded_at:
        return True
    return action_at == at


def _added_by_milestones(
    plan: Plan,
    direct: Mapping[str, Decision],
    created: Mapping[str, datetime],
    by_meeting: bool = True,
) -> dict[str, Decision]:
    """The actions without a *gereed* of their own that decisions added milestone by milestone:
    every milestone in the plan when the last of those decisions was recorded is named by one
    (a milestone created after it is an addition of its own). Each with the decision of the
    latest meeting (``by_meeting``: the action was fully decided then), else the one recorded
    last."""
    out: dict[str, Decision] = {}
    for action in plan.actions():
        if action.gereed is not None or action.id in direct:
            continue
        found = [direct[m.id] for m in action.milestones if m.id in direct]
        if not found:
            continue
        if any(d.recorded_at is None for d in found):
            continue  # pragma: no cover - a stored decision has its moment
        recorded = max(found, key=lambda d: (d.recorded_at, d.meeting_on, d.id or 0))
        cut = recorded.recorded_at
        assert cut is not None
        before = [
            m.id for m in action.milestones
            if (at := created.get(m.id)) is None or at <= cut
        ]  # fmt: skip
        if all(m in direct for m in before):
            named = max(found, key=lambda d: (d.meeting_on, d.recorded_at, d.id or 0))
            out[action.id] = named if by_meeting else recorded
    return out


def unadded(
    plan: Plan, new: Collection[str], added: Collection[str]
) -> list[tuple[str, tuple[str, ...]]]:
    """The items of ``new`` (created in the plan, not renumbered) that no decision added
    (``added``: the items of :func:`added_by`, so a milestone whose action a decision added is
    not one), in plan order, each with the new milestones that came with a new action: one per
    action, else one per milestone (also a milestone added later to an action a decision
    added). `regie sync` warns of them and the agenda pack puts them to the body (one rule for
    both)."""
    out: list[tuple[str, tuple[str, ...]]] = []
    for action in plan.actions():
        mine = [i for i in (action.id, *(m.id for m in action.milestones)) if i in new]
        mine = [i for i in mine if i not in added]
        if not mine:
            continue
        if action.id in mine:
            out.append((action.id, tuple(mine[1:])))
        else:
            out += [(m.id, ()) for m in action.milestones if m.id in mine]
    return out


def new_item_problem(plan: Plan, item_id: str) -> str | None:
    """Why ``item_id`` cannot be an item a decision adds before the plan file has it (None: it
    can): an action is ``STEP.N``, a milestone ``STEP.N.M``, and the step must be the plan's."""
    parts = item_id.split(".")
    if len(parts) not in (2, 3) or not all(p.isdigit() for p in parts):
        return "an action's id is STEP.N, a milestone's STEP.N.M"
    if int(parts[0]) not in {s.number for s in plan.steps}:
        return f"the plan has no step {int(parts[0])}"
    return None


def restores(decisions: Iterable[Decision]) -> frozenset[Decision]:
    """The decisions that bring a dropped item back: a ``set_gereed`` (with a new date, or to
    the date it had: ``regie decision add --restore``) about an item whose previous decision
    that moved or dropped it, by meeting, was a ``cancel``."""
    last: dict[str, DecisionKind] = {}
    out = set()
    ordered = sorted(
        (d for d in decisions if d.item_id and d.kind is not DecisionKind.DECISION),
        key=lambda d: (d.meeting_on, d.id or 0),
    )
    for d in ordered:
        assert d.item_id is not None
        if d.kind is DecisionKind.SET_GEREED and last.get(d.item_id) is DecisionKind.CANCEL:
            out.add(d)
        last[d.item_id] = d.kind
    return frozenset(out)


def promise_in_effect(plan: Plan, item_id: str) -> str | None:
    """The *gereed* text an item is held to: its own, or for an ``idem`` row the text of the row
    it copies (up a chain of ``idem`` rows). None for an item without a gereed."""
    items: dict[str, Action | Milestone] = {a.id: a for a in plan.actions()}
    items.update((m.id, m) for m in plan.milestones())
    item = items.get(item_id)
    seen = {item_id}
    while item is not None and item.period is not None and item.period.same_as:
        above = item.period.same_as
        if above in seen or above not in items:
            break
        seen.add(above)
        item = items[above]
    return item.gereed if item is not None else None


def row_above(plan: Plan, item_id: str) -> str | None:
    """The id of the row an ``idem`` in ``item_id``'s *gereed* copies, by the file's order: the
    action above in its step, the milestone above in its action (the loader's rule,
    :mod:`governance.planfile.items`). None for a first row or an unknown item."""
    for step in plan.steps:
        actions = [a for a in plan.actions() if a.step == step.number]
        rows: list[Sequence[Action | Milestone]] = [actions, *(a.milestones for a in actions)]
        for row in rows:
            ids = [i.id for i in row]
            if item_id in ids:
                at = ids.index(item_id)
                return ids[at - 1] if at > 0 else None
    return None


def promise_with(plan: Plan, item_id: str, texts: Mapping[str, str | None]) -> str | None:
    """:func:`promise_in_effect` with the *gereed* texts of ``texts`` (by item: the synced
    plan's) instead of the file's: an ``idem`` is followed up :func:`row_above`. None: the item
    or a row it copies is not in ``texts``, or the chain ends at an ``idem``."""
    text, seen = texts.get(item_id), {item_id}
    while text is not None and is_idem(text):
        above = row_above(plan, item_id)
        if above is None or above in seen or above not in texts:
            return None
        seen.add(above)
        item_id, text = above, texts[above]
    return text


def is_idem(text: str | None) -> bool:
    """Whether a *gereed* text copies the row above (``idem``, ``Idem (Q1-2016)``, ``ditto``)."""
    from governance.periods import PeriodError, PeriodKind, parse_period

    if text is None:
        return False
    if text.strip().lower().startswith("idem"):
        return True
    try:
        return parse_period(text).kind is PeriodKind.SAME_AS_ABOVE
    except PeriodError:
        return False


def inherited_dependencies(plan: Plan) -> dict[str, tuple[str, ...]]:
    """The ``depends_on`` of each action whose milestones take it as their own: an action with
    milestones and no *gereed* (docs/plan-schema.md, "Dependencies"), by action id."""
    from governance.plan import inherits_depends_on

    return {a.id: a.depends_on for a in plan.actions() if a.depends_on and inherits_depends_on(a)}


def ended_inheritance(plan: Plan, before: Mapping[str, Sequence[str]]) -> list[str]:
    """One note per action whose milestones waited on its ``depends_on`` (``before``: what
    :func:`inherited_dependencies` gave for the plan before) and no longer do in ``plan``:
    the action got a *gereed* of its own, so its ``depends_on`` is the action's alone. A
    milestone that names an id in its own ``depends_on`` keeps waiting on it."""
    from governance.plan import inherits_depends_on, with_inherited

    notes = []
    why = "(the action now has its own gereed)"
    for action in plan.actions():
        was = tuple(before.get(action.id, ()))
        if not was or not action.milestones or inherits_depends_on(action):
            continue
        lost: dict[str, tuple[str, ...]] = {}
        for m in action.milestones:
            ids = with_inherited(m.depends_on, was, m.id, action.id)[len(m.depends_on) :]
            if ids:
                lost[m.id] = ids
        if not lost:
            continue
        if len(lost) == len(action.milestones) and len(set(lost.values())) == 1:
            ids = next(iter(lost.values()))
            notes.append(f"note: {action.id}'s milestones no longer wait on {', '.join(ids)} {why}")
        else:
            each = "; ".join(f"{m} on {', '.join(ids)}" for m, ids in lost.items())
            notes.append(
                f"note: {action.id}'s milestones no longer wait on what it depends on {why}: {each}"
            )
    return notes
