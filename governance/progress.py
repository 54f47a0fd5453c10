"""What goes in the progress report (*voortgangsrapportage*) to the recipient the plan's
reporting obligation names (the Tweede Kamer, the Vlaams Parlement …): pure content.

Kamerbrief-style, all from data: whom it is for (``reports[].recipient``), per step its goal
(from the plan), *gerealiseerd* (finished in the period, with the date), *lopend*, *vertraagd of
gewijzigd* (promised versus the new date, with the reason from the owner's note and the
decisions), *vooruitblik*; indicators (target against measured values; one without a
measurement says so, nothing is invented); a summary per step; the full table as annex.

This module builds it (:func:`build_progress`) from the report's layouts
(:mod:`governance.progress_layouts`), its data (:mod:`governance.progress_model`), the items'
changes (:mod:`governance.progress_changes`), the front matter
(:mod:`governance.progress_front`) and the periods (:mod:`governance.progress_period`). The
names callers import from here stay importable here; ``LAYOUT`` is read through this module
(tests set it here to make an older layout).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime

from governance.agenda import ItemRevision, item_lines
from governance.agenda_lines import one_line, with_not_started
from governance.assessment import Assessment
from governance.cadences import CADENCE_NAMES as CADENCE_NAMES
from governance.decisions import (
    NOT_THE_OWNERS,
    Decision,
    DecisionKind,
    Measurement,
    decision_label,
    restores,
)
from governance.forecasts import lines_in_force
from governance.plan import Plan
from governance.progress_changes import (
    added_items,
    change_of,
    edit_days,
    forecast_stands,
    note_author,
    outside_items,
    owner_change_reasons,
    ratified_by,
    ratified_once,
    removed_items,
    shown_gereed,
)
from governance.progress_front import (
    approval,
    date_example,
    obligation_action,
    obligation_id_for,
    report_approval,
    report_title,
)
from governance.progress_front import document_title as document_title
from governance.progress_layouts import (
    ACTION_NAMED_FROM,
    ADDED_FROM,
    ADDED_LATER_FROM,
    AUTHORS_FROM,
    DATED_ADDITIONS_FROM,
    ENDED_TENSE_FROM,
    FORECAST_IN_FORCE_FROM,
    NAMES_FROM,
    NOT_STARTED_FROM,
    NOTES_AS_WRITTEN_FROM,
    ONE_BRACKET_REMOVAL_FROM,
    OUTSIDE_FROM,
    RATIFIED_FROM,
    SLIP_NOTES_FROM,
    STALE_GUIDE_FROM,
    WORDS_FROM,
)
from governance.progress_layouts import ADDITIONS_UNDONE_FROM as ADDITIONS_UNDONE_FROM
from governance.progress_layouts import CORRECTED_UPDATES_FROM as CORRECTED_UPDATES_FROM
from governance.progress_layouts import COUNT_WORDS_FROM as COUNT_WORDS_FROM
from governance.progress_layouts import COUNTED_ONCE_FROM as COUNTED_ONCE_FROM
from governance.progress_layouts import IDEM_SHOWN_FROM as IDEM_SHOWN_FROM
from governance.progress_layouts import LAYOUT as LAYOUT
from governance.progress_layouts import RATIFIED_ONCE_FROM as RATIFIED_ONCE_FROM
from governance.progress_layouts import RENUMBERED_FROM as RENUMBERED_FROM
from governance.progress_layouts import STOPS_JOINED_FROM as STOPS_JOINED_FROM
from governance.progress_model import (
    FINISHED,
    Done,
    Reason,
    ReasonKind,
    StepProgress,
)
from governance.progress_model import IndicatorProgress as IndicatorProgress
from governance.progress_model import OutsideKind as OutsideKind
from governance.progress_model import ProgressReport as ProgressReport
from governance.progress_period import AHEAD_MONTHS
from governance.progress_period import add_months as add_months
from governance.progress_period import cadence_months as cadence_months
from governance.progress_period import delivery_window as delivery_window
from governance.progress_period import months_after as months_after
from governance.progress_period import period_after as period_after
from governance.provenance import DueChange
from governance.slip_notes import quoted_update
from governance.updates import StatusUpdate

_LATE = frozenset({"overdue", "slipped"})


def build_progress(
    plan: Plan,
    assessment: Assessment,
    start: date,
    end: date,
    *,
    decisions: Sequence[Decision] = (),
    measurements: Sequence[Measurement] = (),
    ahead_months: int = AHEAD_MONTHS,
    due_changes: Sequence[DueChange] = (),
    revisions: Sequence[ItemRevision] = (),
    recipient: str | None = None,
    delivered_by: str | None = None,
    layout: int = LAYOUT,
    obligation_id: str | None = None,
    first_recorded: datetime | None = None,
    slips: Mapping[str, StatusUpdate] | None = None,
) -> ProgressReport:
    """``recipient``: whom the report is for (the reporting obligation's; None: the report
    names none). ``delivered_by``: the action that delivers the report (the obligation's; None: the
    one of the plan's obligation for ``recipient``), whose approval :func:`approval` looks
    for. ``layout``: :data:`LAYOUT` (1: as reports archived before it were made).
    ``obligation_id``: the reporting obligation it is made for (its approval names it).
    ``due_changes``: due dates moved in the plan file without a decision (the plan's
    revisions); each such item is listed under *vertraagd of gewijzigd*, promised against now,
    whatever its state: a promise does not move silently. ``revisions``: the items' plan
    revisions (:func:`store.agenda_read.item_revisions`): an item removed from the plan file
    from ``start`` through ``as_of`` and not back is listed there too (with the decision behind
    it, else *zonder besluit*: the report must not lose it), and so is an owner change recorded
    in the period. An item they record as created in the period is marked added (layout 10
    on), with the decision that added it; not those of the first sync (``first_recorded``:
    the plan as first recorded). ``slips``: per item, the owner's latest note on a slip
    (:func:`governance.slip_notes.slip_notes`): from layout 21 the *Reden* column quotes it,
    else the latest note of an open item, and no owner's note of a finished one; None: the
    latest note, as layout 20 and before.

    *Nu* of a changed item is the date in force: the latest in time of the decisions and
    plan-file edits that moved it and the owner's forecast (:func:`forecast_stands`), its
    delivery when done; one that has passed again is said to have lapsed. The outlook takes
    the same date."""
    lines = item_lines(plan, assessment, guarded=layout < NOTES_AS_WRITTEN_FROM)
    if layout >= NOT_STARTED_FROM:  # walk54 8: not *doorlopend* before its start
        lines = with_not_started(assessment, lines)
    # From layout 8 by the names the tables use (review8 4); before, the ids.
    labels = plan.owner_labels() if layout >= NAMES_FROM else {}
    owner_changes = owner_change_reasons(plan, revisions, start, min(end, assessment.as_of), labels)
    gone = removed_items(
        plan, lines, revisions, decisions, start, assessment.as_of,
        one_bracket=layout >= ONE_BRACKET_REMOVAL_FROM,
    )  # fmt: skip
    edited: dict[str, list[DueChange]] = {}
    for c in due_changes:
        edited.setdefault(c.item_id, []).append(c)
    by_item: dict[str, list[Decision]] = {}
    for d in decisions:
        if d.item_id and d.meeting_on <= assessment.as_of:
            by_item.setdefault(d.item_id, []).append(d)
    restored = restores(d for ds in by_item.values() for d in ds)
    plan_items: dict[str, object] = {}
    for action in plan.actions():
        plan_items[action.id] = action
        for m in action.milestones:
            plan_items[m.id] = m
    # walk56e 1: an ``idem`` row's gereed as the reader sees it, ``idem (31-12-2026)``.
    shown = plan.deadline_table().by_id if layout >= IDEM_SHOWN_FROM else None
    final = layout >= NAMES_FROM and plan.programme.end is not None and end >= plan.programme.end
    # The final report looks no further than the programme's end: nothing comes after it.
    ahead_until = end if final else months_after(end, ahead_months)
    steps = []
    for step in plan.steps:
        mine = [x for x in lines.values() if x.step == step.number]
        done = []
        ongoing = []
        changed = []
        upcoming = []
        expected: dict[str, date] = {}
        late_open = 0
        for line in mine:
            item = assessment.items[line.item_id]
            if line.state == "done" and item.completed_on and start <= item.completed_on <= end:
                done.append(Done(line, item.completed_on))
            original = getattr(plan_items.get(line.item_id), "original_gereed", None)
            moved = by_item.get(line.item_id, [])
            # A decision's update (a drop, a restore) is the body's word: its decision is listed;
            # a report's mark is the office's record of the report made.
            latest = item.latest_update
            noted_on = None
            if slips is not None and layout >= SLIP_NOTES_FROM:  # walk57a 4: the slip's reason
                latest = quoted_update(latest, slips.get(line.item_id))
                note = one_line(latest.comment) if latest is not None else None
                noted_on = latest.reported_on if latest is not None else None
            else:
                owners_word = latest is not None and latest.source not in NOT_THE_OWNERS
                note = line.note if owners_word else None
            noted_by = note_author(plan, latest) if layout >= AUTHORS_FROM else None
            edits = tuple(edited.get(line.item_id, ()))
            owners = owner_changes.get(line.item_id, ())
            forecast = (
                line.forecast
                if layout < 2 or forecast_stands(plan, item, moved, edits, assessment.as_of)
                else None
            )
            # The date in force: the owner's forecast when it is the latest word, else the due
            # date (a decision's or the plan's).
            current = line.due if layout < 2 else forecast or line.due
            # Delivered after its due date: late, so listed as changed too (layout 4 on).
            late_delivery = (
                layout >= WORDS_FROM
                and line.state == "done"
                and item.completed_on is not None
                and line.due is not None
                and item.completed_on > line.due
                and start <= item.completed_on <= end
            )
            # Due by the period's end and finished after it: late at the end (layout 7 on).
            after_period = (
                layout >= OUTSIDE_FROM
                and line.state in FINISHED
                and item.completed_on is not None
                and item.completed_on > end
                and line.due is not None
                and line.due <= end
            )
            if (
                line.state in _LATE
                or late_delivery
                or after_period
                or original
                or edits
                or owners
                or any(d.kind is DecisionKind.CANCEL for d in moved)
            ):
                change = change_of(
                    plan, line, plan_items.get(line.item_id), moved, edits, note, restored,
                    forecast=forecast, completed_on=item.completed_on, as_of=assessment.as_of,
                    noted_by=noted_by, shown=shown_gereed(shown, line.item_id), noted_on=noted_on,
                )  # fmt: skip
                change = replace(change, edit_days=edit_days(plan, change.edits, layout))
                if layout >= RATIFIED_FROM and change.edits:
                    ratified, revised = ratified_by(plan, change.edits, moved, assessment.as_of)
                    change = replace(change, edit_ratified=ratified, edit_revised=revised)
                    if layout >= RATIFIED_ONCE_FROM:
                        change = ratified_once(change)
                if late_delivery and line.due is not None:
                    why = Reason(ReasonKind.LATE_DELIVERY, on=line.due)
                    change = replace(change, reasons=(why, *change.reasons))
                if after_period and line.due is not None:
                    why = Reason(
                        ReasonKind.AFTER_PERIOD, on=line.due, finished_on=item.completed_on,
                        cancelled=line.state == "cancelled",
                    )  # fmt: skip
                    change = replace(change, reasons=(why, *change.reasons))
                if owners:
                    unmoved = change.now is None and change.ended is None
                    if unmoved and not (line.state in _LATE or original or edits):
                        change = replace(change, now=change.promised)  # only its owner changed
                    change = replace(change, reasons=(*change.reasons, *owners))
                changed.append(change)
            elif line.state not in FINISHED:
                ongoing.append(line)
            if line.state not in FINISHED and current is not None:
                late = current < assessment.as_of
                if layout >= COUNTED_ONCE_FROM:  # walk55e 2: each open item late or ahead
                    ahead = not late and current <= ahead_until
                else:  # due on the stand day at the period's end: neither (nor both after it)
                    ahead = end < current <= ahead_until
                if ahead:
                    upcoming.append(line)
                    if forecast is not None and forecast != line.due:
                        expected[line.item_id] = forecast
                if late:
                    late_open += 1
        removed = gone.get(step.number, [])
        outside = (
            outside_items(mine, assessment, done, ongoing, changed, end)
            if layout >= OUTSIDE_FROM
            else ()
        )
        delivered = {d.item.item_id for d in done}
        changed_only = sum(1 for c in changed if c.item.item_id not in delivered) + len(removed)
        changed += removed
        steps.append(
            StepProgress(
                step.number, step.title, step.goal, tuple(done), tuple(ongoing), tuple(changed),
                tuple(upcoming), len(mine), changed_only=changed_only,
                other=len(mine) - len(done) - len(ongoing) - (changed_only - len(removed)),
                removed=len(removed), late_open=late_open, expected=expected,
                outside=outside,
            )
        )  # fmt: skip
    goals = {g.id: g.text for g in plan.goals}
    categories = {g.id: " ".join(g.category.split()) or None for g in plan.goals if g.category}
    per_indicator: dict[str, list[Measurement]] = {}
    for value in sorted(measurements, key=lambda v: (v.measured_on, v.id or 0)):
        if value.measured_on <= assessment.as_of:
            per_indicator.setdefault(value.indicator_id, []).append(value)
    indicators = tuple(
        IndicatorProgress(
            i,
            goals.get(i.goal_id, ""),
            tuple(per_indicator.get(i.id, ())),
            categories.get(i.goal_id),
        )
        for i in plan.indicators()
    )
    # Items with an owner's update: a decision's (a drop, a restore) or a report's mark is not
    # the owner's word.
    used = sum(
        1
        for i in assessment.items.values()
        if i.latest_update is not None and i.latest_update.source not in NOT_THE_OWNERS
    )
    delivering = delivered_by or obligation_action(plan, recipient)
    approved, implicit = None, False
    if layout >= 3:
        approved, implicit = report_approval(
            plan, decisions, obligation_id or obligation_id_for(plan, recipient), delivering,
            start, end, assessment.as_of,
        )  # fmt: skip
    elif layout >= 2:
        approved = approval(decisions, delivering, end, assessment.as_of)
    source = plan.programme.source_document
    return ProgressReport(
        programme_title=plan.programme.title,
        programme_short=plan.programme.short_title or plan.programme.title,
        source_document=document_title(source) if layout >= 2 else source,
        start=start,
        end=end,
        as_of=assessment.as_of,
        ahead_until=ahead_until,
        steps=tuple(steps),
        indicators=indicators,
        annex=tuple(
            lines_in_force(plan, assessment, lines, decisions, due_changes).values()
            if layout >= FORECAST_IN_FORCE_FROM
            else lines.values()
        ),
        decisions=tuple(d for d in decisions if start <= d.meeting_on <= end),
        updates_used=used,
        date_example=date_example(plan),
        completed_on={
            i.item_id: i.completed_on
            for i in assessment.items.values()
            if i.completed_on is not None and i.state.value in FINISHED
        },
        recipient=" ".join(recipient.split()) if recipient and recipient.strip() else None,
        approved=approved,
        approved_by=decision_label(plan, approved) if approved is not None else None,
        layout=layout,
        approved_implicitly=implicit,
        title=(
            report_title(plan, obligation_id or obligation_id_for(plan, recipient))
            if layout >= AUTHORS_FROM
            else None
        ),
        owner_labels=plan.owner_labels() if layout >= NAMES_FROM else {},
        final=final,
        programme_end=plan.programme.end if final else None,
        past_end=(
            final
            and layout >= ENDED_TENSE_FROM
            and plan.programme.end is not None
            and assessment.as_of > plan.programme.end
        ),
        added=(
            added_items(plan, lines, revisions, decisions, start, min(end, assessment.as_of),
                   first_recorded,
                   decided_by=assessment.as_of if layout >= ADDED_LATER_FROM else None,
                   with_action=layout >= ACTION_NAMED_FROM,
                   dated=layout >= DATED_ADDITIONS_FROM)
            if layout >= ADDED_FROM
            else {}
        ),
        stale_after_days=plan.reminders.stale_after_days if layout >= STALE_GUIDE_FROM else None,
    )  # fmt: skip
