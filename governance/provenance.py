"""What a report for a past day may rest on (pure, ``as_of`` explicit).

- :func:`plan_as_of`: the plan as its decisions stood on ``as_of``. A decision re-dates or drops
  an item in the plan file from the day it is recorded; a report or agenda pack *as of* a day
  before the decision's meeting must not know it yet: the item keeps the gereed it had then
  (its ``gereed_original`` before the first decision), without ``revised_by``/``cancelled_by``.
- :func:`plan_as_of` also takes the plan file's own edits (``edits``: the plan revisions
  ``regie sync`` recorded): an edit recorded after the end of ``as_of`` (in the plan's time
  zone) did not apply then and is undone — a milestone added later is not there yet, one
  removed later is still there, a date, owner or title edited later is as it was. A revision
  is stamped with the time of the sync that recorded it (wall-clock time), so in a replay of
  past days every edit is "later" and every past view shows the plan as first synced; the
  first sync itself is the earliest plan known and is never undone (the caller leaves its
  revisions out), nor are the revisions a decision made (rewound by their meeting date: an
  item whose creation a decision's ``--adds`` recorded is not in the plan before its meeting,
  fix57a, as :func:`additions_undone` has it for the deadline check).
- :func:`additions_undone`: the plan without the items decisions of later meetings add.
- :func:`rewind_days`: the days on which the decisions' rewind changes, for a run of days
  (a replay: the deadline check judges each day by the plan of its meetings' decisions).
- :func:`due_changes`: every change of an item's due date the plan's revisions record, and
  whether a decision stands behind it. A date edited in the plan file without a decision is a
  re-baselined promise: reports list it, ``regie sync`` and ``plan validate`` warn about it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from itertools import chain
from operator import attrgetter
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from governance.decisions import Decision, DecisionKind, added_by, decision_label
from governance.dutch import MONTHS
from governance.periods import Period, PeriodError, PeriodKind, parse_period
from governance.plan import Action, Milestone, Plan

_Item = TypeVar("_Item", Action, Milestone)
_MOVES = (DecisionKind.SET_GEREED, DecisionKind.CANCEL)
#: "besluit Stuurgroep MVI, 12 januari 2016": the date after the last comma (decided_by).
_DECIDED_ON = re.compile(r",\s*(\d{1,2}) (" + "|".join(MONTHS) + r") (\d{4})\s*$")


def decided_on(text: str | None) -> date | None:
    """The meeting date in a ``revised_by``/``cancelled_by`` text, None when it has none."""
    m = _DECIDED_ON.search(text or "")
    if m is None:
        return None
    try:
        return date(int(m.group(3)), MONTHS.index(m.group(2)) + 1, int(m.group(1)))
    except ValueError:
        return None


def plan_as_of(
    plan: Plan,
    decisions: Sequence[Decision],
    as_of: date,
    edits: Sequence[PlanEdit] = (),
    *,
    additions: bool = True,
) -> Plan:
    """``plan`` with every plan-file edit recorded after ``as_of`` and every decision whose
    meeting is after ``as_of`` undone (see the module notes); the very same object when there
    is none (the usual case: nothing is copied). ``additions``: an item created by the sync of
    a decision that adds it (``--adds``) is undone by that decision's meeting date
    (:attr:`PlanEdit.decided_on`); False: never, as reports of earlier layouts were made.

    The stored decisions say what each one moved (``gereed_before``/``gereed_after``), so a chain
    of decisions rewinds to the one in force on ``as_of``. An item whose ``revised_by`` or
    ``cancelled_by`` names a later date and that no stored decision accounts for (a plan file
    from elsewhere, a database restored from an older backup) is rewound by that text's date."""
    plan = _edits_undone(plan, edits, as_of, additions)
    moves: dict[str, list[Decision]] = {}
    for d in decisions:
        if d.item_id is not None and d.kind in _MOVES:
            moves.setdefault(d.item_id, []).append(d)
    if not any(d.meeting_on > as_of for ds in moves.values() for d in ds) and not _late_text(
        plan, as_of
    ):
        return plan
    changed = False
    steps = []
    for step in plan.steps:
        actions = []
        for action in step.actions:
            milestones = tuple(
                _as_of(plan, m, moves.get(m.id, ()), as_of) for m in action.milestones
            )
            new = _as_of(plan, action, moves.get(action.id, ()), as_of)
            if new is not action or any(
                a is not b for a, b in zip(milestones, action.milestones, strict=True)
            ):
                new = replace(new, milestones=milestones)
            actions.append(new)
        if any(a is not b for a, b in zip(actions, step.actions, strict=True)):
            step = replace(step, actions=tuple(actions))
            changed = True
        steps.append(step)
    if not changed:
        return plan
    # Not the file's plan any more: no hash that a cache could take for the file's.
    return replace(plan, steps=tuple(steps), source_hash=None)


def rewind_days(plan: Plan, decisions: Sequence[Decision]) -> tuple[date, ...]:
    """The days, ascending, from which :func:`plan_as_of` without edits and
    :func:`additions_undone` undo less: a decision's meeting day, the date a
    ``revised_by``/``cancelled_by`` text names. Between two
    of them it gives the same plan, so a run of days (a replay) rewinds only when a day passes
    one; on and after the last, nothing is undone."""
    days = {
        d.meeting_on for d in decisions if d.item_id is not None and (d.kind in _MOVES or d.adds)
    }
    # Only the texts there are (a daily cycle at 100k items: few or none), picked out in C:
    # ≈ 10 ms instead of ≈ 27 ms for a regular expression on every item's two (perf56c).
    items: list[Action | Milestone] = [*plan.actions(), *plan.milestones()]
    texts = chain(
        filter(None, map(attrgetter("revised_by"), items)),
        filter(None, map(attrgetter("cancelled_by"), items)),
    )
    days.update(on for text in texts if (on := decided_on(text)) is not None)
    return tuple(sorted(days))


def additions_undone(plan: Plan, decisions: Sequence[Decision], as_of: date) -> Plan:
    """``plan`` without the items a decision of a meeting after ``as_of`` adds (``--adds``; an
    action's milestones go with it: :func:`governance.decisions.added_by`); the very same
    object when there is none. For a day judged without the plan's edits (the deadline check
    of a replayed day, whose every sync is stamped later): the decision says when the item
    came into the plan. A view with the edits (``status --as-of``, the reports) has it from
    :func:`plan_as_of`: the creation the decision's sync recorded is undone before its meeting
    (:attr:`PlanEdit.decided_on`); one synced before without it stands from its sync."""
    later = {
        i for i, by in added_by(plan, decisions, date.max).items() if by.decision.meeting_on > as_of
    }
    if not later:
        return plan
    steps = []
    for step in plan.steps:
        actions = tuple(
            replace(a, milestones=tuple(m for m in a.milestones if m.id not in later))
            for a in step.actions
            if a.id not in later
        )
        steps.append(replace(step, actions=actions))
    return replace(plan, steps=tuple(steps), source_hash=None)


@dataclass(frozen=True, slots=True)
class PlanEdit:
    """One plan revision of an action or milestone (``store.reports_read.plan_edits``): the
    plan file edited and synced. ``kind``: created, changed (``field``: its ``before`` and
    ``after``), archived (left the plan), restored (came back). ``after`` of a created one
    holds every field (``step``/``action``, ``title``, ``gereed``, ``period``, ``owners``…)."""

    entity: str  # "action" or "milestone"
    code: str
    kind: str
    field: str | None
    before: Any
    after: Any
    recorded_at: datetime
    id: int = 0
    #: Never undone by its time: the programme's first sync (the earliest plan known) and a
    #: decision's (rewound by its meeting date); read only to rebuild an item's fields.
    kept: bool = False
    #: The meeting of the decision that made it (kept): a creation a decision's ``--adds``
    #: recorded is undone for a day before it (fix57a); None: no decision made it.
    decided_on: date | None = None


#: The fields of an item an undone edit sets back (a milestone moved to another action, an
#: action to another step, a new position: not undone, the item stays where the file has it).
_REWOUND = ("title", "gereed", "period", "owners", "depends_on", "note", "cancelled_by")


def end_of_day(plan: Plan, as_of: date) -> datetime:
    """The first instant after ``as_of`` in the plan's time zone: a revision recorded from
    then on did not apply on ``as_of``. The calendar's last day has no day after: nothing
    recorded is after its end."""
    if as_of >= date.max:
        return datetime.max.replace(tzinfo=UTC)
    return datetime.combine(as_of + timedelta(days=1), time(), ZoneInfo(plan.calendar.timezone))


def edits_after(
    plan: Plan, edits: Sequence[PlanEdit], as_of: date, additions: bool = True
) -> list[PlanEdit]:
    """The ``edits`` that did not apply on ``as_of``: recorded after it, and (``additions``)
    an item's creation by a decision of a later meeting (``--adds``)."""
    cut = end_of_day(plan, as_of)
    return [
        e
        for e in edits
        if (e.recorded_at >= cut and not e.kept)
        or (additions and e.kind == "created" and e.decided_on is not None and e.decided_on > as_of)
    ]


def _edits_undone(
    plan: Plan, edits: Sequence[PlanEdit], as_of: date, additions: bool = True
) -> Plan:
    late = edits_after(plan, edits, as_of, additions)
    if not late:
        return plan
    cut = end_of_day(plan, as_of)
    ordered = sorted(edits, key=lambda e: (e.recorded_at, e.id))
    # What each item was (None: not in the plan), starting from the file and going back.
    state: dict[str, dict[str, Any] | None] = {}
    kinds: dict[str, str] = {}
    for action in plan.actions():
        state[action.id], kinds[action.id] = _fields(action), "action"
        for m in action.milestones:
            state[m.id], kinds[m.id] = _fields(m), "milestone"
    for e in sorted(late, key=lambda e: (e.recorded_at, e.id), reverse=True):
        kinds.setdefault(e.code, e.entity)
        if e.kind in ("created", "restored"):
            state[e.code] = None
        elif e.kind == "archived":
            # As the edits that stood on the day leave it (the kept ones always stand).
            state[e.code] = _rebuilt(e.code, [x for x in ordered if x.recorded_at < cut or x.kept])
        elif e.kind == "changed" and e.field in _REWOUND and state.get(e.code) is not None:
            state[e.code] = {**(state[e.code] or {}), e.field: e.before}
    steps = []
    for step in plan.steps:
        actions: list[Action | None] = [_item(a, state.get(a.id), plan) for a in step.actions]
        actions += [
            _new_action(code, fields, plan)
            for code, fields in state.items()
            if fields is not None
            and kinds.get(code) == "action"
            and plan.action(code) is None
            and fields.get("step") == step.number
        ]
        kept = []
        for then in actions:
            if then is None:
                continue
            milestones: list[Milestone | None] = [
                _item(m, state.get(m.id), plan) for m in then.milestones
            ]
            milestones += [
                _new_milestone(code, fields, then, plan)
                for code, fields in state.items()
                if fields is not None
                and kinds.get(code) == "milestone"
                and fields.get("action") == then.id
                and all(m.id != code for m in then.milestones)
            ]
            kept.append(replace(then, milestones=tuple(m for m in milestones if m)))
        steps.append(replace(step, actions=tuple(kept)))
    return replace(plan, steps=tuple(steps), source_hash=None)


def _fields(item: Action | Milestone) -> dict[str, Any]:
    p = item.period
    return {
        "title": item.title,
        "gereed": item.gereed,
        "period": None
        if p is None
        else {"kind": p.kind.value, "start": _iso(p.start), "end": _iso(p.end)},
        "owners": list(item.owners),
        "depends_on": list(item.depends_on),
        "note": item.note,
        # Recorded only for a ``cancelled_by`` typed in without a decision (walk58b 1):
        # :mod:`store.sync_cancels`.
        "cancelled_by": item.cancelled_by,
    }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _rebuilt(code: str, known: Sequence[PlanEdit]) -> dict[str, Any] | None:
    """An item's fields as the revisions recorded up to the cut (oldest first) leave them;
    None when none created it (its values are not known)."""
    fields: dict[str, Any] | None = None
    for e in known:
        if e.code != code:
            continue
        if e.kind == "created" and isinstance(e.after, Mapping):
            fields = dict(e.after)
        elif e.kind == "changed" and fields is not None and e.field:
            fields[e.field] = e.after
    return fields


def _period(value: Any, text: str | None) -> Period | None:
    if not isinstance(value, Mapping) or not value.get("kind"):
        return None
    start, end = value.get("start"), value.get("end")
    try:
        kind = PeriodKind(value["kind"])
    except ValueError:  # a kind this version does not know: no date rather than a wrong one
        return None
    return Period(
        kind,
        text or "",
        date.fromisoformat(start) if start else None,
        date.fromisoformat(end) if end else None,
    )


def _item(item: _Item, fields: dict[str, Any] | None, plan: Plan) -> _Item | None:
    """``item`` with ``fields`` as they were (None: not in the plan then)."""
    if fields is None:
        return None
    now = _fields(item)
    if fields == now:
        return item
    changes: dict[str, Any] = {}
    for name in _REWOUND:
        if fields.get(name, now[name]) == now[name]:
            continue
        value = fields.get(name)
        if name in ("owners", "depends_on"):
            changes[name] = tuple(value or ())
        elif name != "period":
            changes[name] = value
    if fields.get("period", now["period"]) != now["period"] or "gereed" in changes:
        changes["period"] = _period(fields.get("period"), fields.get("gereed"))
    return replace(item, **changes) if changes else item


def _new_action(code: str, fields: dict[str, Any], plan: Plan) -> Action:
    return Action(
        id=code,
        step=int(fields["step"]),
        title=str(fields.get("title") or ""),
        owners=tuple(fields.get("owners") or ()),
        gereed=fields.get("gereed"),
        period=_period(fields.get("period"), fields.get("gereed")),
        depends_on=tuple(fields.get("depends_on") or ()),
        group=fields.get("group"),
        source=fields.get("source"),
        note=fields.get("note"),
    )


def _new_milestone(code: str, fields: dict[str, Any], action: Action, plan: Plan) -> Milestone:
    return Milestone(
        id=code,
        action_id=action.id,
        title=str(fields.get("title") or ""),
        gereed=fields.get("gereed"),
        period=_period(fields.get("period"), fields.get("gereed")),
        owners=tuple(fields.get("owners") or ()),
        depends_on=tuple(fields.get("depends_on") or ()),
        note=fields.get("note"),
    )


def _late_text(plan: Plan, as_of: date) -> bool:
    items: list[Action | Milestone] = [*plan.actions(), *plan.milestones()]
    for item in items:
        for text in (item.revised_by, item.cancelled_by):
            on = decided_on(text)
            if on is not None and on > as_of:
                return True
    return False


def _as_of(plan: Plan, item: _Item, moves: Sequence[Decision], as_of: date) -> _Item:
    changes: dict[str, Any] = {}
    dates = [d for d in moves if d.kind is DecisionKind.SET_GEREED]
    if dates:
        dates = sorted(dates, key=lambda d: (d.meeting_on, d.id or 0))
        in_force = [d for d in dates if d.meeting_on <= as_of]
        if len(in_force) < len(dates):
            if in_force:
                last = in_force[-1]
                changes.update(gereed=last.gereed_after, revised_by=decision_label(plan, last))
            else:
                first = dates[0]
                changes.update(gereed=first.gereed_before, original_gereed=None, revised_by=None)
    else:
        on = decided_on(item.revised_by)
        if on is not None and on > as_of and item.original_gereed:
            changes.update(gereed=item.original_gereed, original_gereed=None, revised_by=None)
    drops = [d for d in moves if d.kind is DecisionKind.CANCEL]
    if item.cancelled_by:
        if drops:
            if all(d.meeting_on > as_of for d in drops):
                changes["cancelled_by"] = None
        else:
            on = decided_on(item.cancelled_by)
            if on is not None and on > as_of:
                changes["cancelled_by"] = None
    elif drops:  # brought back later (a restore removes `cancelled_by`): dropped on as_of?
        in_force = [d for d in moves if d.meeting_on <= as_of]
        final = max(in_force, key=lambda d: (d.meeting_on, d.id or 0), default=None)
        if final is not None and final.kind is DecisionKind.CANCEL:
            changes["cancelled_by"] = decision_label(plan, final)
    if "gereed" in changes:
        text = changes["gereed"]
        if text in (None, "geen datum"):
            changes.update(gereed=None, period=None)
        else:
            try:
                changes["period"] = parse_period(text, plan.calendar.seasons)
            except PeriodError:  # a text the plan file could not have held: leave the item
                return item
    return replace(item, **changes) if changes else item


@dataclass(frozen=True, slots=True)
class DueChange:
    """One change of an item's due date as the plan's revisions record it."""

    item_id: str
    gereed_before: str | None
    gereed_after: str | None
    due_before: date | None
    due_after: date | None
    recorded_at: datetime
    #: The stored decision that made it (None: the plan file was edited without one).
    decision: Decision | None = None

    @property
    def decided(self) -> bool:
        return self.decision is not None


@dataclass(frozen=True, slots=True)
class RevisionFact:
    """The part of a plan revision :func:`due_changes` reads (``store.records.Revision``)."""

    code: str
    field: str | None
    before: Any
    after: Any
    recorded_at: datetime


def _due(period: Any) -> date | None:
    if isinstance(period, Mapping) and period.get("end"):
        return date.fromisoformat(str(period["end"]))
    return None


def due_changes(
    revisions: Iterable[RevisionFact], decisions: Sequence[Decision] = ()
) -> list[DueChange]:
    """Every due-date change among ``revisions`` (a ``period`` whose end moved, with the
    ``gereed`` text change recorded with it), oldest first, each with the ``set_gereed``
    decision that made it when there is one (same item, same new gereed)."""
    gereed: dict[tuple[str, datetime], tuple[Any, Any]] = {}
    periods: list[RevisionFact] = []
    for r in revisions:
        if r.field == "gereed":
            gereed[(r.code, r.recorded_at)] = (r.before, r.after)
        elif r.field == "period":
            periods.append(r)
    by_item: dict[str, list[Decision]] = {}
    for d in decisions:
        if d.item_id and d.kind is DecisionKind.SET_GEREED:
            by_item.setdefault(d.item_id, []).append(d)
    out = []
    for r in sorted(periods, key=lambda r: (r.recorded_at, r.code)):
        before, after = _due(r.before), _due(r.after)
        if before == after:
            continue
        text_before, text_after = gereed.get((r.code, r.recorded_at), (None, None))
        decision = next(
            (d for d in by_item.get(r.code, ()) if text_after and d.gereed_after == text_after),
            None,
        )
        out.append(
            DueChange(r.code, text_before, text_after, before, after, r.recorded_at, decision)
        )
    return out


def undecided_runs(changes: Iterable[DueChange]) -> dict[str, list[DueChange]]:
    """Per item, its due-date changes made without a decision since the last one a decision
    made (``set_gereed``), oldest first: the edits the body is asked to ratify
    (:func:`governance.agenda_asked.to_ratify`). The first one's ``gereed_before`` is the
    promise they moved away from. Items whose last change a decision made are left out."""
    runs: dict[str, list[DueChange]] = {}
    for c in sorted(changes, key=lambda c: c.recorded_at):
        if c.decided:
            runs.pop(c.item_id, None)
        else:
            runs.setdefault(c.item_id, []).append(c)
    return runs


def undecided_run(changes: Iterable[DueChange], item_id: str) -> list[DueChange]:
    """:func:`undecided_runs` of one item (empty: none)."""
    return undecided_runs(c for c in changes if c.item_id == item_id).get(item_id, [])


def undecided_lines(
    changes: Iterable[DueChange], where: str, at: Mapping[str, str] | None = None
) -> list[str]:
    """``regie sync``/``plan validate``: one warning per due date moved without a decision;
    ``at``: where each item stands in the file (``PATH:LINE:COL``), else ``where``."""
    at = at or {}
    return [
        f"warning: {at.get(c.item_id, where)}: {c.item_id} gereed was "
        f"{_shown(c.gereed_before, c.due_before)}, "
        f"now {_shown(c.gereed_after, c.due_after)}: no decision recorded (a promise moves "
        "through `regie decision add --set-gereed`)"
        for c in changes
        if not c.decided
    ]


def _shown(text: str | None, due: date | None) -> str:
    if text and due:
        return f"{text!r} (due {due.isoformat()})"
    if text:
        return repr(text)
    return due.isoformat() if due else "no date"


def file_edits(
    plan: Plan,
    stored: Mapping[str, tuple[str | None, date | None]],
    decided: set[tuple[str, str | None]],
) -> list[DueChange]:
    """The items whose due date in the plan file differs from the synced plan's (``stored``:
    code → (gereed, due)) with no recorded decision to that gereed (``decided``: (item,
    gereed_after)); ``recorded_at`` is not known yet (``datetime.min``)."""
    out = []
    for d in plan.deadlines():
        if d.item_id not in stored:
            continue
        gereed, due = stored[d.item_id]
        now = d.period.due if d.period is not None else None
        if now == due or (d.item_id, d.gereed) in decided:
            continue
        out.append(DueChange(d.item_id, gereed, d.gereed, due, now, datetime.min))
    return out


@dataclass(frozen=True, slots=True)
class Removal:
    """An action or milestone removed from the plan file (archived by a sync) and not back.

    ``fields``: what the store last held of it (``title``, ``gereed``, ``owners``, and ``step``
    for an action or ``action`` for a milestone), as far as known; ``with_items``: the
    milestones removed with their action (in the same sync); ``decision``: the decision behind
    it (a drop of the item or its action, or any decision about the item taken on or after
    the day it was removed: the body has dealt with it), None when none is recorded."""

    item_id: str
    recorded_at: datetime
    fields: Mapping[str, Any]
    with_items: tuple[str, ...] = ()
    decision: Decision | None = None

    @property
    def decided(self) -> bool:
        return self.decision is not None

    @property
    def title(self) -> str:
        return str(self.fields.get("title") or "")

    @property
    def action_id(self) -> str:
        """The item's action: itself for an action."""
        action = self.fields.get("action")
        if action:
            return str(action)
        return self.item_id if "step" in self.fields else self.item_id.rsplit(".", 1)[0]


def removals(
    revisions: Iterable[tuple[str, str, Any, datetime]],
    decisions: Sequence[Decision] = (),
    *,
    zone: str = "UTC",
    as_of: date | None = None,
) -> list[Removal]:
    """The items removed from the plan file and not back, oldest first, from their plan
    revisions ``(code, kind, fields, recorded_at)`` (kinds ``archived`` and ``restored``; others
    are ignored; ``fields`` as :attr:`Removal.fields`, None when not known). A milestone removed
    in the same sync as its action is folded into the action's removal. ``decisions``: those
    recorded (taken on or before ``as_of`` when given); the day of a removal is the one in the
    plan's time zone ``zone``."""
    last: dict[str, tuple[str, Any, datetime]] = {}
    for code, kind, fields, at in sorted(revisions, key=lambda r: r[3]):
        if kind in ("archived", "restored"):
            last[code] = (kind, fields, at)
    found = {
        code: Removal(code, at, fields if isinstance(fields, Mapping) else {})
        for code, (kind, fields, at) in last.items()
        if kind == "archived"
    }
    taken = [d for d in decisions if as_of is None or d.meeting_on <= as_of]
    out: list[Removal] = []
    folded: dict[str, list[str]] = {}
    for r in found.values():
        action = found.get(r.action_id) if r.action_id != r.item_id else None
        if action is not None and action.recorded_at == r.recorded_at:
            folded.setdefault(action.item_id, []).append(r.item_id)
            continue
        out.append(r)
    zoned = ZoneInfo(zone)
    result = []
    for r in sorted(out, key=lambda r: (r.recorded_at, r.item_id)):
        aware = r.recorded_at if r.recorded_at.tzinfo else r.recorded_at.replace(tzinfo=UTC)
        day = aware.astimezone(zoned).date()
        covering = [
            d
            for d in taken
            if (d.kind is DecisionKind.CANCEL and d.item_id in (r.item_id, r.action_id))
            or (d.item_id == r.item_id and d.meeting_on >= day)
        ]
        decision = max(covering, key=lambda d: (d.meeting_on, d.id or 0), default=None)
        result.append(replace(r, with_items=tuple(folded.get(r.item_id, ())), decision=decision))
    return result


def removal_lines(found: Iterable[Removal], where: str, *, pending: bool = False) -> list[str]:
    """``regie sync``/``plan validate``: one warning per item removed from the plan file
    without a recorded decision (its milestones removed with it named). ``pending``: not synced
    yet (`plan validate`: the file lacks an item the synced plan has)."""
    done = "is not in the file: syncing removes it" if pending else "removed from the plan"
    out = []
    for r in found:
        if r.decided:
            continue
        title = f" {r.title!r}" if r.title else ""
        with_items = f" (with {', '.join(r.with_items)})" if r.with_items else ""
        out.append(
            f"warning: {where}: {r.item_id}{title}{with_items} {done} without a recorded "
            "decision (the agenda pack puts it to the body; an item is dropped through "
            f"`regie decision add --cancel {r.item_id}`, which keeps it in the plan as "
            f"vervallen; record the body's decision about it with `regie decision add --item "
            f"{r.item_id}`)"
        )
    return out
