"""Per item, what the progress report's chapter 2 says beyond its state
(:mod:`governance.progress`): a change (promised against now, and why: the decisions, the
owner's note, the plan-file edits and the decisions that ratified them), the items removed
from the plan and the owner changes, the items added in the period, and the items finished
outside it."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from governance.agenda import ItemLine, ItemRevision, local_day, removed_line
from governance.agenda_model import created_times, renumbered_from
from governance.assessment import Assessment, ItemAssessment
from governance.decisions import Decision, added_by, decision_label
from governance.forecasts import forecast_superseded
from governance.plan import Deadline, Plan
from governance.progress_layouts import LOCAL_DAYS_FROM
from governance.progress_model import (
    FINISHED,
    Added,
    Change,
    Done,
    Ending,
    Outside,
    OutsideKind,
    Reason,
    ReasonKind,
)
from governance.provenance import DueChange, Removal, removals
from governance.ratification import ratifying_decision, revising_decision
from governance.updates import StatusUpdate


def added_items(
    plan: Plan,
    lines: dict[str, ItemLine],
    revisions: Sequence[ItemRevision],
    decisions: Sequence[Decision],
    start: date,
    end: date,
    first_recorded: datetime | None,
    *,
    decided_by: date | None = None,
    with_action: bool = True,
    dated: bool = True,
) -> dict[str, Added]:
    """The plan's items created from ``start`` through ``end`` (the day recorded, the office's
    day), with the decision that added each (``--adds``), taken by ``decided_by`` (the report's
    day: a reader of a later report is told of the decision, dated, rather than read *zonder
    besluit*; only what was known then, so the report is made again the same); None: by
    ``end`` (layout 10). ``with_action``: a milestone whose action a decision added is named
    with that decision (:func:`added_by`, as the agenda pack has it; layouts up to 11: not);
    ``dated``: only those the plan had when it was recorded (layouts up to 12: every one).
    An item that took over an old id's history (:attr:`ItemRevision.renumbered_to`, read for
    layout 19 on) is marked renumbered instead (:attr:`Added.renumbered_from`)."""
    created = created_times(revisions) if dated else None
    by = {
        item_id: found.decision
        for item_id, found in added_by(plan, decisions, decided_by or end, created=created).items()
        if with_action or not found.via_action
    }
    out: dict[str, Added] = {}
    renumbered = renumbered_from(revisions)
    for r in revisions:
        if r.kind != "created" or r.item_id not in lines:
            continue
        if first_recorded is not None and r.recorded_at <= first_recorded:
            continue  # the plan as first recorded
        day = local_day(plan, r.recorded_at)
        if start <= day <= end and r.item_id in renumbered:
            out[r.item_id] = Added(day, renumbered_from=renumbered[r.item_id])
        elif start <= day <= end:
            adder = by.get(r.item_id)
            late = adder is not None and adder.meeting_on > end
            out[r.item_id] = Added(day, decision_label(plan, adder) if adder else None, late)
    return out


def outside_items(
    mine: Sequence[ItemLine],
    assessment: Assessment,
    done: Sequence[Done],
    ongoing: Sequence[ItemLine],
    changed: Sequence[Change],
    end: date,
) -> tuple[Outside, ...]:
    """The step's items listed in none of its groups (the summary's *other*), in plan order:
    each one is finished, since an open item is ongoing or changed."""
    listed = {d.item.item_id for d in done} | {x.item_id for x in ongoing}
    listed |= {c.item.item_id for c in changed}
    out = []
    for line in mine:
        if line.item_id in listed:
            continue
        on = assessment.items[line.item_id].completed_on
        if line.state == "cancelled":
            kind = OutsideKind.CANCELLED
        elif on is None:
            kind = OutsideKind.UNDATED
        else:
            kind = OutsideKind.AFTER if on > end else OutsideKind.BEFORE
        out.append(Outside(line, kind, on))
    return tuple(out)


def note_author(plan: Plan, latest: StatusUpdate | None) -> str | None:
    """Who wrote the note a change quotes when it is not the owner (layout 6): the office, by
    the plan's name for it (a correction by the office is not the owner's explanation); None:
    the owner's."""
    from governance.answers import written_by
    from governance.office_names import office_names

    if latest is not None and written_by(plan, latest) == "office":
        return office_names(plan.programme).the
    return None


def change_of(
    plan: Plan,
    line: ItemLine,
    plan_item: object,
    decisions: list[Decision],
    edits: tuple[DueChange, ...] = (),
    note: str | None = None,
    restored: Collection[Decision] = (),
    *,
    forecast: date | None = None,
    completed_on: date | None = None,
    as_of: date | None = None,
    noted_by: str | None = None,
    shown: str | None = None,
    noted_on: date | None = None,
) -> Change:
    """Promised (the first gereed) against now: the owner's ``forecast`` when it is in force
    (:func:`forecast_stands`; None when not), else a revised gereed; a done item's delivery
    (``completed_on``). A gereed edited in the plan file without a decision: promised is the
    gereed before the first such edit (or the decisions' original), now the gereed the plan
    has. ``note``: the owner's latest explanation (none when the latest update is a
    decision's); ``restored``: the decisions that brought a dropped item back
    (:func:`governance.decisions.restores`). A now that has passed on ``as_of`` while the item
    is open is ``lapsed``. ``shown``: the gereed as the plan's reader sees it (an ``idem`` row's
    ``idem (Q1-2016)``, layout 20 on); None: the file's word. ``noted_on``: the day of the
    quoted note, when it need not be the latest update's (layout 21 on: the report gives a long
    one in full at its end with that day)."""
    reasons = [
        Reason(
            ReasonKind.DECISION,
            text=d.text,
            decided_by=decision_label(plan, d),
            restored=d in restored,
        )
        for d in decisions
    ]
    if note:
        if noted_by is None:
            reasons.append(Reason(ReasonKind.OWNER_NOTE, text=note, on=noted_on))
        else:  # the office's own words (layout 6 on)
            reasons.append(Reason(ReasonKind.OFFICE_NOTE, text=note, by=noted_by, on=noted_on))
    original = getattr(plan_item, "original_gereed", None)
    gereed = shown if shown is not None else getattr(plan_item, "gereed", None)
    now: date | str | None = None
    ends: date | None = None  # the last day of now
    if forecast is not None:
        now = ends = forecast
    elif original or edits or any(d in restored for d in decisions):
        now, ends = gereed, line.due
    delivered = completed_on if line.state == "done" else None
    ended = Ending.CANCELLED if line.state == "cancelled" else None
    if ended is not None:
        now = None
    lapsed = line.state not in FINISHED and ends is not None and as_of is not None and ends < as_of
    promised = original or (edits[0].gereed_before if edits else None) or gereed
    return Change(
        line, promised or None, now, tuple(reasons), edits, delivered, lapsed, ended=ended
    )


def shown_gereed(deadlines: Mapping[str, Deadline] | None, item_id: str) -> str | None:
    """The reader's gereed of ``item_id`` among ``deadlines`` (None: no such deadline, or
    none asked for)."""
    found = deadlines.get(item_id) if deadlines is not None else None
    return found.gereed if found is not None else None


def edit_days(plan: Plan, edits: Sequence[DueChange], layout: int) -> tuple[date, ...]:
    """The day each edit was recorded, as the report shows it: the office's day from
    :data:`LOCAL_DAYS_FROM` (an edit at 00:30 in Amsterdam is 23:30 UTC the day before), else
    the date the stored instant carries, so that an archived report reproduces."""
    if layout >= LOCAL_DAYS_FROM:
        return tuple(local_day(plan, e.recorded_at) for e in edits)
    return tuple(e.recorded_at.date() for e in edits)


def ratified_once(change: Change) -> Change:
    """``change`` with a decision that ratified one of its plan-file edits named once (walk55e
    3): when that decision is also one of its reasons (the only one under its name), its words
    move into the edit's *bekrachtigd bij …* and the reason goes."""
    names = [r.decided_by for r in change.reasons if r.kind is ReasonKind.DECISION]
    words = {
        r.decided_by: r.text
        for r in change.reasons
        if r.kind is ReasonKind.DECISION
        and not r.restored
        and r.decided_by in change.edit_ratified
        and names.count(r.decided_by) == 1
    }
    if not words:
        return change
    ratified = tuple(f"{by}: {words[by]}" if words.get(by) else by for by in change.edit_ratified)
    reasons = tuple(
        r for r in change.reasons if not (r.kind is ReasonKind.DECISION and r.decided_by in words)
    )
    return replace(change, reasons=reasons, edit_ratified=ratified)


def ratified_by(
    plan: Plan, edits: Sequence[DueChange], decisions: Sequence[Decision], as_of: date
) -> tuple[tuple[str | None, ...], tuple[str | None, ...]]:
    """Per plan-file edit, the decision that ratified it and, for one not ratified, the
    decision that moved the date elsewhere after it (``decisions``: the item's, taken by the
    report's day), by the rule the agenda pack's *…accorderen?* follows
    (:mod:`governance.ratification`). None, None: the edit stays *zonder besluit*."""
    zone = plan.calendar.timezone
    ratified = tuple(ratifying_decision(e, decisions, as_of, zone) for e in edits)
    revised = tuple(
        None if r is not None else revising_decision(e, decisions, as_of, zone)
        for e, r in zip(edits, ratified, strict=True)
    )
    return _labels(plan, ratified), _labels(plan, revised)


def _labels(plan: Plan, decisions: Sequence[Decision | None]) -> tuple[str | None, ...]:
    return tuple(decision_label(plan, d) if d is not None else None for d in decisions)


def forecast_stands(
    plan: Plan,
    item: ItemAssessment,
    decisions: Sequence[Decision],
    edits: Sequence[DueChange],
    as_of: date,
) -> bool:
    """Whether the owner's forecast is the item's date in force: it is unless a decision
    (``set_gereed``: a new date, a restore) or a plan-file edit moved the date after the owner
    gave it (:func:`governance.forecasts.forecast_superseded`, the rule every *Prognose*
    follows). An edit synced after ``as_of`` is not in the plan of that day: it moves nothing
    yet. A forecast on or before the due date moves nothing either: the due date stays the
    promise in force."""
    if item.forecast is None or (item.due is not None and item.forecast <= item.due):
        return False
    return not forecast_superseded(plan, item, decisions, edits, as_of)


def owner_change_reasons(
    plan: Plan,
    revisions: Sequence[ItemRevision],
    start: date,
    end: date,
    labels: Mapping[str, str] | None = None,
) -> dict[str, tuple[Reason, ...]]:
    """Item id → its owner changes recorded from ``start`` through ``end`` (the office's day),
    as reasons of *vertraagd of gewijzigd*; owners by ``labels`` (id → name) where given."""

    def named(owners: Any) -> Any:
        if not labels or not isinstance(owners, list | tuple):
            return owners
        return [labels.get(str(o), o) for o in owners]

    out: dict[str, list[Reason]] = {}
    for r in revisions:
        if r.kind != "changed" or r.field != "owners":
            continue
        day = local_day(plan, r.recorded_at)
        if start <= day <= end:
            out.setdefault(r.item_id, []).append(
                Reason(
                    ReasonKind.OWNER_CHANGE, before=named(r.before), after=named(r.after), on=day
                )
            )
    return {item_id: tuple(reasons) for item_id, reasons in out.items()}


def removed_items(
    plan: Plan,
    lines: dict[str, ItemLine],
    revisions: Sequence[ItemRevision],
    decisions: Sequence[Decision],
    start: date,
    as_of: date,
    *,
    one_bracket: bool = True,
) -> dict[int, list[Change]]:
    """Per step, the items removed from the plan file from ``start`` through ``as_of`` and not
    back (a milestone removed with its action goes with the action), as changes: promised the
    gereed they had, now *uit het plan verwijderd*, the decision behind it or *zonder besluit*
    (``one_bracket``: with the recording day in one pair of brackets; layout 13: two)."""
    found = removals(
        # A renumbered item lives on under its new number (counted there): no removal.
        ((r.item_id, r.kind, r.before, r.recorded_at) for r in revisions if not r.renumbered_to),
        decisions,
        zone=plan.calendar.timezone,
        as_of=as_of,
    )
    numbers = [s.number for s in plan.steps]
    out: dict[int, list[Change]] = {}
    for removal in found:
        day = local_day(plan, removal.recorded_at)
        if not start <= day <= as_of or removal.item_id in lines:
            continue
        line = removed_line(removal, lines)
        step = line.step if line.step in numbers else _step_of(removal.item_id, numbers)
        change = _removal_change(plan, removal, line, day, one_bracket)
        out.setdefault(step, []).append(change)
    return out


def _step_of(item_id: str, numbers: Sequence[int]) -> int:
    """The step an item's id starts with ("3.6.1" → 3), else the first step."""
    head = item_id.split(".", 1)[0]
    if head.isdigit() and int(head) in numbers:
        return int(head)
    return numbers[0] if numbers else 0


def _removal_change(
    plan: Plan, removal: Removal, line: ItemLine, day: date, one_bracket: bool
) -> Change:
    decided_by = decision_label(plan, removal.decision) if removal.decision is not None else None
    reason = Reason(
        ReasonKind.REMOVED, decided_by=decided_by, with_items=tuple(removal.with_items), on=day,
        one_bracket=one_bracket,
    )  # fmt: skip
    return Change(line, line.gereed, None, (reason,), ended=Ending.REMOVED)
