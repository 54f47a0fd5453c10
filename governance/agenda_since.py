"""An agenda pack's *sinds de vorige vergadering* (:mod:`governance.agenda`): what changed in the
plan and its items since the previous meeting, and what got worse."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from governance.agenda_model import (
    OPEN_STATES,
    SINCE_KINDS,
    WORSE_KINDS,
    ItemLine,
    ItemRevision,
    RagChange,
    ShownBefore,
    SinceEntry,
    SinceLast,
    created_times,
    local_day,
    renumbered_from,
)
from governance.assessment import Assessment, ItemAssessment
from governance.contact_changes import CONTACT_LAYOUT, contact_changes
from governance.decisions import (
    Decision,
    DecisionKind,
    added_by,
    decision_label,
    restores,
)
from governance.meetings import Meeting
from governance.plan import Plan
from governance.provenance import DueChange, removals
from governance.rag import Rag, State
from governance.ratification import ratifying_decision


def since_last(
    plan: Plan,
    assessment: Assessment,
    lines: dict[str, ItemLine],
    previous: Meeting | None,
    *,
    decisions: Sequence[Decision] = (),
    due_changes: Sequence[DueChange] = (),
    revisions: Sequence[ItemRevision] = (),
    first_recorded: datetime | None = None,
    previous_assessment: Assessment | None = None,
    contact_revisions: Sequence[ItemRevision] = (),
    dated_additions: bool = True,
    additions_by_meeting: bool = True,
    stale_apart: bool = False,
    unstale: Assessment | None = None,
    shown: ShownBefore | None = None,
    shown_assessment: Assessment | None = None,
    ratified: bool = False,
    shown_colours: bool = False,
    lapsed_forecasts: bool = False,
    contacts_by_moment: bool = False,
) -> SinceLast:
    """What changed since the body's previous meeting, one entry per change, in plan order,
    and what got worse (:func:`got_worse`; ``previous_assessment``: the data as they stood on
    the previous meeting's day, when there was one).

    A first meeting counts from the programme's start date, else from the day the plan was
    first recorded (``first_recorded``: the first sync; the items it created are the plan, not
    added to it). What the data record with a day counts from that day through ``as_of``:
    items finished (their ``completed_on``), decisions (their meeting). A plan-file edit has
    only the moment it was recorded: counted from that day on, whatever ``as_of`` (the pack
    shows the plan file as it is, with its edits). ``decisions``: those taken on or before
    ``as_of``; a due change made by a later decision is not in the plan the pack shows.
    ``contact_revisions``: the contacts' plan revisions (an organisation's contact person
    changed: :func:`governance.contact_changes.contact_changes`). ``dated_additions``: an
    action's decision is named only at the milestones it found (agenda layout 14, review46 9;
    :func:`governance.decisions.added_by`'s ``created``); ``additions_by_meeting``: an
    action whose milestones decisions each added is named with the decision of the latest
    meeting among them (agenda layout 15, ratify48; before: the one recorded last).
    ``stale_apart`` (agenda layout 18, words53): a previous meeting before Regie's first
    assessment is given (``followed_from``, when items Regie did not follow then are stale),
    and a change to a worse colour whose only cause is staleness Regie could not have seen on
    that day is listed apart (``unstale``: :func:`got_worse`).

    ``shown`` (agenda layout 19, walk54 3): the body's latest pack sent for an earlier meeting.
    What it could not show is listed too, marked ``early`` when it lies before the previous
    meeting: a finish or a decision dated after that pack's day, or recorded after it was
    archived, and a plan-file edit recorded after it was archived (a contact change: recorded
    after its day). So every change reaches the body once, also when it came between a pack
    and its meeting, or in a meeting without a pack (the window then reaches back to the pack
    before). Without such a pack (a first meeting, or none sent yet) the window is as above.
    A finish or cancellation before the previous meeting counts by the moment the item became
    so: it was not so in ``shown_assessment`` (review54 9; a repeated or corrected report of a
    finish that pack showed is no news), else by its latest update's moment.
    ``shown_assessment`` (agenda layout 19, walk54b): the data as that pack read them (its
    day, recorded by its archiving): what got worse is compared with them, not with the
    previous meeting's day, so a deterioration between that pack and the meeting is listed
    (marked ``early``) and none twice (:func:`got_worse`); the colours still compare with the
    meeting's day.

    ``ratified`` (agenda layout 19, as progress layout 18): a plan-file edit of a due date
    names the decision that ratified it (:func:`governance.ratification.ratifying_decision`),
    the rule that answers the pack's *…accorderen?*; before, it read *zonder besluit* whatever
    came after.

    ``contacts_by_moment`` (agenda layout 23, walk58a 5): a contact change counts as an item's
    plan-file edit does, by the moment it was recorded (on or after ``since``, or after
    ``shown`` was archived); before, by its day only, from the day after ``shown``'s: one
    recorded on that pack's day after it was archived never reached a pack, while the items'
    edits of the same sync did."""
    as_of = assessment.as_of
    since: date | None
    if previous is not None:
        since, basis = previous.on, "previous"
    elif plan.programme.start is not None:
        since, basis = plan.programme.start, "start"
    elif first_recorded is not None:
        since, basis = local_day(plan, first_recorded), "plan"
    else:
        since, basis = None, "none"

    if basis != "previous":
        shown = None  # nothing before a first meeting to catch up on
    if shown is None:
        shown_assessment = None

    def within(day: date | None, at: datetime | None = None) -> bool:
        if day is None or day > as_of:
            return False
        if since is None or since <= day:
            return True
        return shown is not None and (day > shown.as_of or (at is not None and at > shown.made_at))

    def finished(i: ItemAssessment) -> bool:
        """A finish or cancellation (its ``completed_on``) not shown yet. Before the previous
        meeting: only when it came about after the body's latest pack read the data, judged by
        the moment the item became so (review54 9): it was not so in that pack's data; a
        repeated or corrected report of it is no new finish. Without those data: by the latest
        update's moment."""
        day = i.completed_on
        if day is None or day > as_of or shown is None or since is None or since <= day:
            return within(day)
        if shown_assessment is not None:
            then = shown_assessment.items.get(i.item_id)
            return then is None or then.state is not i.state
        return within(day, i.latest_update.recorded_at if i.latest_update is not None else None)

    def recorded(at: datetime) -> bool:
        if since is None or local_day(plan, at) >= since:
            return True
        return shown is not None and at > shown.made_at

    def early(day: date | None) -> bool:
        return shown is not None and since is not None and day is not None and day < since

    taken = [d for d in decisions if d.item_id is not None and d.meeting_on <= as_of]
    entries: list[SinceEntry] = []
    titles = {item_id: line.title for item_id, line in lines.items()}
    for r in revisions:
        if r.kind == "created" and isinstance(r.after, dict) and r.item_id not in titles:
            titles[r.item_id] = str(r.after.get("title") or "")
        elif r.kind == "archived" and isinstance(r.before, dict) and r.item_id not in titles:
            titles[r.item_id] = str(r.before.get("title") or "")  # its title when removed
    for i in assessment.items.values():
        if i.state is State.DONE and finished(i):
            entries.append(
                SinceEntry(i.item_id, i.title, "done", i.completed_on, early=early(i.completed_on))
            )
        elif i.state is State.CANCELLED and finished(i):
            drops = [
                d for d in taken
                if d.item_id in (i.item_id, i.action_id) and d.kind is DecisionKind.CANCEL
            ]  # fmt: skip
            by = decision_label(plan, drops[-1]) if drops else None
            entries.append(
                SinceEntry(i.item_id, i.title, "cancelled", i.completed_on, decided_by=by,
                           early=early(i.completed_on))
            )  # fmt: skip
        elif i.state in OPEN_STATES:
            mine = sorted((d for d in taken if d.item_id == i.item_id), key=lambda d: d.meeting_on)
            drops = [d for d in mine if d.kind is DecisionKind.CANCEL]
            back = [
                d for d in mine
                if drops and d.kind is DecisionKind.SET_GEREED
                and d.meeting_on >= drops[-1].meeting_on and within(d.meeting_on, d.recorded_at)
            ]  # fmt: skip
            if back:
                label = decision_label(plan, back[-1])
                entries.append(
                    SinceEntry(i.item_id, i.title, "reinstated", back[-1].meeting_on,
                               after=back[-1].gereed_after, decided_by=label,
                               early=early(back[-1].meeting_on))
                )  # fmt: skip
    # An action assessed through its milestones, taken up again by a decision about the
    # action: one entry for the action (its milestones' dates are listed as they moved).
    restoring = restores(d for d in decisions if d.meeting_on <= as_of)
    actions = {a.id: a for a in plan.actions()}
    for d in sorted(restoring, key=lambda d: (d.meeting_on, d.id or 0)):
        action = actions.get(d.item_id or "")
        if (
            action is None
            or d.item_id in assessment.items
            or not within(d.meeting_on, d.recorded_at)
        ):
            continue
        after = d.gereed_after if d.gereed_after != d.gereed_before else None
        entries.append(
            SinceEntry(action.id, action.title, "reinstated", d.meeting_on, after=after,
                       decided_by=decision_label(plan, d), layout=2, early=early(d.meeting_on))
        )  # fmt: skip
    reinstated = {(e.item_id, e.on) for e in entries if e.kind == "reinstated"}
    for c in due_changes:
        if c.decision is not None:
            if (
                not within(c.decision.meeting_on, c.decision.recorded_at)
                or (c.item_id, c.decision.meeting_on) in reinstated
            ):
                continue  # a reinstatement says its new date itself
            on, by = c.decision.meeting_on, decision_label(plan, c.decision)
        elif recorded(c.recorded_at):
            on, by = local_day(plan, c.recorded_at), None
        else:
            continue
        ratifier = None
        if ratified and by is None:
            ratifies = ratifying_decision(c, taken, as_of, plan.calendar.timezone)
            ratifier = decision_label(plan, ratifies) if ratifies is not None else None
        entries.append(
            SinceEntry(c.item_id, titles.get(c.item_id, ""), "moved", on,
                       c.gereed_before or None, c.gereed_after or None, by, early=early(on),
                       ratified_by=ratifier)
        )  # fmt: skip
    kinds = {"created": "added", "archived": "removed", "restored": "restored"}
    # A decision that adds an action adds its milestones (one decision): named at them too.
    created = created_times(revisions) if dated_additions else None
    added = added_by(plan, decisions, as_of, created=created, by_meeting=additions_by_meeting)
    # Renumbered with ``formerly`` (agenda layout 20): one item, named at its new number.
    renumbered = renumbered_from(revisions)
    for r in revisions:
        if not recorded(r.recorded_at):
            continue
        if r.kind == "created" and first_recorded is not None and r.recorded_at <= first_recorded:
            continue  # the plan as first recorded
        title = titles.get(r.item_id, "")
        if r.kind == "archived" and r.renumbered_to:
            continue  # said at the new number
        if r.kind == "created" and r.item_id in renumbered:
            day = local_day(plan, r.recorded_at)
            entries.append(
                SinceEntry(r.item_id, title, "renumbered", day, before=renumbered[r.item_id],
                           early=early(day))
            )  # fmt: skip
        elif r.kind == "archived":
            # Removed by a decision's drop (the file tidied after it), or dealt with by one.
            found = removals(
                [(r.item_id, r.kind, r.before, r.recorded_at)],
                taken,
                zone=plan.calendar.timezone,
            )
            by = decision_label(plan, found[0].decision) if found[0].decision else None
            day = local_day(plan, r.recorded_at)
            entries.append(
                SinceEntry(r.item_id, title, "removed", day, decided_by=by, early=early(day))
            )
        elif r.kind in kinds:
            # An item a decision added (``--adds``) names it (agenda layout 11).
            adder = added.get(r.item_id) if r.kind == "created" else None
            day = local_day(plan, r.recorded_at)
            entries.append(
                SinceEntry(r.item_id, title, kinds[r.kind], day,
                           decided_by=decision_label(plan, adder.decision) if adder else None,
                           by_action=adder is not None and adder.via_action, early=early(day))
            )  # fmt: skip
        elif r.kind == "changed" and r.field == "owners":
            day = local_day(plan, r.recorded_at)
            entries.append(
                SinceEntry(r.item_id, title, "owners", day, _owners(r.before), _owners(r.after),
                           early=early(day))
            )  # fmt: skip
    # A contact change: by the moment it was recorded, as an item's plan edit (layout 23);
    # before, by its day, from the day after the latest pack's.
    contacts_since = since
    if shown is not None and since is not None and not contacts_by_moment:
        contacts_since = min(since, shown.as_of + timedelta(days=1))
    for org, name, on, before, after in contact_changes(
        plan,
        contact_revisions,
        contacts_since,
        as_of,
        lambda at: local_day(plan, at),
        counts=recorded if contacts_by_moment else None,
    ):
        entries.append(
            SinceEntry(org, name, "contact", on, before, after, layout=CONTACT_LAYOUT,
                       early=early(on))
        )  # fmt: skip
    order = {item_id: n for n, item_id in enumerate(lines)}
    for n, line in enumerate(lines.values()):
        order.setdefault(line.action_id, n)  # an action before its first milestone
    entries.sort(
        key=lambda e: (
            order.get(e.item_id, len(order)),
            e.item_id,
            SINCE_KINDS.index(e.kind),
            e.on or date.min,
        )
    )
    counts = dict.fromkeys(SINCE_KINDS, 0)
    for e in entries:
        counts[e.kind] += 1
    worse, rag_changes, rag_stale = got_worse(
        plan, assessment, since, previous_assessment, unstale=unstale if stale_apart else None,
        shown=shown if shown_assessment is not None else None, shown_assessment=shown_assessment,
        shown_colours=shown_colours, lapsed=lapsed_forecasts,
    )  # fmt: skip
    # Said only when the previous meeting came before Regie's first assessment and the pack
    # shows items verouderd that Regie did not follow then (a pack made before any cycle has
    # every item first assessed on its day: nothing stale, nothing to explain).
    followed = first_followed(assessment) if stale_apart and basis == "previous" else None
    if followed is not None and (
        since is None or followed <= since or not unfollowed_stale(assessment, since)
    ):
        followed = None
    caught_up = shown if any(e.early for e in (*entries, *worse)) else None
    return SinceLast(
        since, basis, tuple(entries), counts, worse, rag_changes, rag_stale, followed, caught_up
    )


def first_followed(assessment: Assessment) -> date | None:
    """Regie's first assessment of the programme: the earliest first assessed day among the
    items (None: the stale clock was not limited, as before agenda layout 17)."""
    days = (i.first_assessed for i in assessment.items.values())
    return min((d for d in days if d is not None), default=None)


def unfollowed_stale(assessment: Assessment, since: date) -> frozenset[str]:
    """The items stale on ``assessment.as_of`` that Regie first assessed after ``since``: on
    that day they could not be stale (nobody had been asked), so their staleness is no change
    since then (:func:`got_worse`'s ``unstale`` leaves it out)."""
    return frozenset(
        i.item_id
        for i in assessment.items.values()
        if i.stale and i.first_assessed is not None and i.first_assessed > since
    )


def got_worse(
    plan: Plan,
    assessment: Assessment,
    since: date | None,
    previous: Assessment | None,
    *,
    unstale: Assessment | None = None,
    shown: ShownBefore | None = None,
    shown_assessment: Assessment | None = None,
    shown_colours: bool = False,
    lapsed: bool = False,
) -> tuple[tuple[SinceEntry, ...], tuple[RagChange, ...], tuple[RagChange, ...]]:
    """What got worse from ``since`` through ``assessment.as_of``: open items whose deadline
    passed in that time (late now, and not late on ``since`` in ``previous`` when given), items
    reported at risk or slipped in that time (not late), and the RAG of the programme and of
    each step on ``since`` (``previous``) and now, where it changed: better or worse
    (:attr:`SinceLast.rag_worse` tells them apart; packs before layout 6 called all worse).

    ``unstale``: the assessment of the same day with the staleness of the items Regie did not
    follow yet on ``since`` left out (:func:`unfollowed_stale`; agenda layout 18). A change to
    a worse colour that is no worse there is caused by that staleness alone: it is returned
    third, with those items (:func:`_stale_causes`), not among the changes (words53).

    ``shown``, ``shown_assessment`` (agenda layout 19, walk54b): the body's latest earlier pack
    and the data as it read them. The items are compared with those instead, from that pack's
    day (an update reported before it but recorded after its archiving counts too), so what
    got worse after that pack, also before the previous meeting (marked ``early``), is listed
    once: what that pack already showed worse is not. The colours still compare with
    ``previous`` (the meeting's day).

    ``shown_colours`` (agenda layout 20, walk55e 4): a colour change also carries the colour
    that pack showed, where it differs (:attr:`RagChange.shown`); a colour that turned worse
    between that pack and the meeting and is unchanged since is listed too (fix54g left it
    to the items alone), before and after alike, with the pack's colour.

    ``lapsed`` (agenda layout 22, walk57a 3): an item late because the owner's forecast after
    its deadline passed without delivery counts by that forecast, not by the deadline: listed
    when the forecast passed in the window (``SinceEntry.lapsed``), though the deadline passed
    before it (slipped, amber, then overdue, red)."""
    as_of = assessment.as_of
    worse: list[SinceEntry] = []
    before = previous.items if previous is not None else {}
    start, pack = since, shown if shown_assessment is not None else None
    if pack is not None and shown_assessment is not None:
        before, start = shown_assessment.items, pack.as_of

    def early(day: date) -> bool:  # before the previous meeting, after that pack
        return pack is not None and since is not None and day < since

    def missed(at: datetime | None) -> bool:  # recorded after that pack was archived
        return pack is not None and at is not None and at > pack.made_at

    for i in assessment.items.values():
        was = before.get(i.item_id)
        if i.state is State.OVERDUE:
            passed = i.due  # the deadline; layout 22: the forecast after it that passed too
            if lapsed and i.due is not None and i.forecast is not None and i.forecast > i.due:
                passed = i.forecast
            if passed is None or (start is not None and passed < start) or passed >= as_of:
                continue
            if was is not None and was.state is State.OVERDUE:
                continue
            worse.append(
                SinceEntry(
                    i.item_id, i.title, "late", passed, early=early(passed),
                    lapsed=passed != i.due,
                )
            )  # fmt: skip
        elif i.state in (State.AT_RISK, State.SLIPPED):
            latest = i.latest_update
            on = latest.reported_on if latest is not None else None
            if on is None or on > as_of:
                continue
            recorded_at = latest.recorded_at if latest is not None else None
            if start is not None and on < start and not missed(recorded_at):
                continue
            if was is not None and was.state in (State.AT_RISK, State.SLIPPED, State.OVERDUE):
                continue
            worse.append(
                SinceEntry(i.item_id, i.title, "at_risk", on, after=i.state.value, early=early(on))
            )
    worse.sort(key=lambda e: (WORSE_KINDS.index(e.kind), e.on or date.max))
    changes: list[RagChange] = []
    stale_only: list[RagChange] = []
    causes = _stale_causes(assessment, since, unstale)

    def changed(change: RagChange, without: Rag | None, step: int | None) -> None:
        stale = causes(step)
        if stale and without is not None and change.direction == "worse":
            fresh = RagChange(change.step, change.title, change.before, without.value)
            if fresh.direction != "worse":  # no worse than then without that staleness
                stale_only.append(replace(change, stale=stale))
                return
        changes.append(change)

    seen = shown_assessment if shown_colours and pack is not None else None

    def colour(step: int | None, title: str, then: Rag, now: Rag, without: Rag | None) -> None:
        showed = None
        if seen is not None:
            showed = seen.programme if step is None else seen.steps.get(step, Rag.GREY)
        if then is not now:
            shown_value = showed.value if showed is not None and showed is not then else None
            changed(RagChange(step, title, then.value, now.value, shown=shown_value), without, step)
        elif showed is not None and showed is not now:
            kept = RagChange(step, title, then.value, now.value, shown=showed.value)
            if kept.direction == "worse":  # worse between that pack and the meeting, kept since
                changes.append(kept)

    if previous is not None:
        colour(
            None, plan.programme.title, previous.programme, assessment.programme,
            unstale.programme if unstale is not None else None,
        )  # fmt: skip
        for step in plan.steps:
            colour(
                step.number, step.title,
                previous.steps.get(step.number, Rag.GREY),
                assessment.steps.get(step.number, Rag.GREY),
                unstale.steps.get(step.number, Rag.GREY) if unstale is not None else None,
            )  # fmt: skip
    return tuple(worse), tuple(changes), tuple(stale_only)


def _stale_causes(
    assessment: Assessment, since: date | None, unstale: Assessment | None
) -> Callable[[int | None], tuple[str, ...]]:
    """For a step (None: the programme), the items Regie did not follow yet on ``since`` whose
    staleness alone changed a colour there (review53 5): each item of the step whose colour
    differs without that staleness, if it is one of them; else (a waiting item) the ones it
    waits on, however far down. An item Regie followed before ``since`` is never named."""
    if unstale is None or since is None:
        return lambda step: ()
    items = assessment.items
    fresh = unfollowed_stale(assessment, since)
    order = {item_id: n for n, item_id in enumerate(items)}
    by_action: dict[str, list[str]] = {}
    for i in items.values():
        by_action.setdefault(i.action_id, []).append(i.item_id)

    def found(item_id: str, seen: set[str]) -> Iterator[str]:
        if item_id in seen:
            return
        seen.add(item_id)
        item, other = items.get(item_id), unstale.items.get(item_id)
        if item is None or other is None or other.rag is item.rag:
            return
        if item_id in fresh:
            yield item_id
            return
        for dep in item.waiting_on:  # a dependency names an item or an action
            for dep_id in (dep,) if dep in items else by_action.get(dep, ()):
                yield from found(dep_id, seen)

    def of(step: int | None) -> tuple[str, ...]:
        seen: set[str] = set()
        named = (found(i.item_id, seen) for i in items.values() if step in (None, i.step))
        return tuple(sorted({c for cs in named for c in cs}, key=order.__getitem__))

    return of


def _owners(value: Any) -> str | None:
    """The owners as the pack lists them; None: none (the pack says so)."""
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or None
    return str(value) if value else None
