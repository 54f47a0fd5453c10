"""What goes on a governance body's agenda pack: pure content, no formatting.

Short and by exception, like a PRINCE2 highlight report: per step one line with its RAG colour
and counts; green items only counted, amber and red ones listed; *ter besluitvorming* built from
the data, each entry with the question the body must answer; a look ahead to the next meeting;
the full table as annex. Sections 1 (opening) and 6 (rondvraag) are fixed agenda items.

*Sinds de vorige vergadering* (:func:`since_last`) lists what changed since the body's previous
meeting: items finished, added to or removed from the plan, dates moved (with or without a
decision), owners changed, items cancelled or taken up again.

The sections live in :mod:`governance.agenda_model` (what a pack holds),
:mod:`governance.agenda_lines` (item lines), :mod:`governance.agenda_asked` (*ter
besluitvorming*) and :mod:`governance.agenda_since` (*sinds de vorige vergadering*); their
names are importable from here as before.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta

from governance.agenda_asked import (
    _reason,
    _set_by,
    _weight,
    added_to_ratify,
    asked_before,
    asked_in_packs,
    by_weight,
    decisions_asked,
    open_escalations,
    removed_line,
    removed_to_ratify,
    shortlist_asked,
    to_ratify,
)
from governance.agenda_late import answered_late, decided_late
from governance.agenda_lines import (
    LATE_AFTER,
    _dependencies_done,
    _line,
    _rag_counts,
    _with_deadlines,
    finished_deadlines,
    gereed_text,
    inert,
    item_lines,
    recorded_late,
    with_not_started,
)
from governance.agenda_model import (
    _RAG_ORDER,
    _REASON_ORDER,
    _STATE_ORDER,
    ASK_REASONS,
    DEFAULT_HORIZON,
    LIMITS,
    OPEN_STATES,
    SINCE_KINDS,
    WEIGHTS,
    WORSE_KINDS,
    AgendaPack,
    DecisionAsked,
    DecisionLine,
    ItemLine,
    ItemRevision,
    RagChange,
    ShownBefore,
    SinceEntry,
    SinceLast,
    StepLine,
    _Entry,
    _zone_day,
    local_day,
    shortlist,
)
from governance.agenda_questions import PackQuestions, QuestionHistory
from governance.agenda_round import RoundOutcome
from governance.agenda_since import (
    _owners,
    got_worse,
    since_last,
)
from governance.assessment import Assessment
from governance.decisions import (
    Decision,
    DecisionKind,
    restores,
)
from governance.forecasts import lines_in_force
from governance.labels import NOT_STARTED_KEY
from governance.meetings import Meeting
from governance.plan import GovernanceBody, Plan
from governance.provenance import DueChange
from governance.rag import Rag, State

# The sections' names, importable from here as before the split.
__all__ = [
    "ASK_REASONS",
    "DEFAULT_HORIZON",
    "LATE_AFTER",
    "LIMITS",
    "OPEN_STATES",
    "SINCE_KINDS",
    "WEIGHTS",
    "WORSE_KINDS",
    "_RAG_ORDER",
    "_REASON_ORDER",
    "_STATE_ORDER",
    "AgendaPack",
    "DecisionAsked",
    "DecisionLine",
    "ItemLine",
    "ItemRevision",
    "RagChange",
    "ShownBefore",
    "SinceEntry",
    "SinceLast",
    "StepLine",
    "_Entry",
    "_dependencies_done",
    "_earlier_packs",
    "_line",
    "_owners",
    "_rag_counts",
    "_reason",
    "_set_by",
    "_weight",
    "_with_deadlines",
    "_zone_day",
    "added_to_ratify",
    "asked_before",
    "asked_in_packs",
    "build_agenda",
    "by_weight",
    "changes_plan",
    "decisions_asked",
    "finished_deadlines",
    "gereed_text",
    "got_worse",
    "inert",
    "item_lines",
    "local_day",
    "open_escalations",
    "recorded_late",
    "removed_line",
    "removed_to_ratify",
    "shortlist",
    "shortlist_asked",
    "since_last",
    "to_ratify",
]


def build_agenda(
    plan: Plan,
    assessment: Assessment,
    body: GovernanceBody,
    meeting: Meeting,
    *,
    previous: Meeting | None,
    next_meeting: Meeting | None,
    decisions: Sequence[Decision] = (),
    escalations: Sequence[tuple[str, date]] = (),
    due_changes: Sequence[DueChange] = (),
    revisions: Sequence[ItemRevision] = (),
    first_recorded: datetime | None = None,
    earlier: Sequence[Meeting] = (),
    previous_assessment: Assessment | None = None,
    decisions_from: date | None = None,
    contact_revisions: Sequence[ItemRevision] = (),
    packs_listed: Mapping[date, frozenset[str] | None] | None = None,
    packs_not_counted: Mapping[date, str] | None = None,
    status_round: RoundOutcome | None = None,
    additions_accepted: datetime | None = None,
    closed_asked: bool = False,
    unratified: bool = False,
    not_started: bool = False,
    dated_additions: bool = True,
    additions_by_meeting: bool = True,
    pack_questions: Mapping[date, PackQuestions] | None = None,
    stale_apart: bool = False,
    unstale: Assessment | None = None,
    risk_dates: bool = False,
    forecasts_in_force: bool = False,
    ahead_from_pack: bool = False,
    shown: ShownBefore | None = None,
    shown_assessment: Assessment | None = None,
    shown_colours: bool = False,
    late_decisions: bool = False,
    ahead_before_next: bool = False,
    lapsed_forecasts: bool = False,
    notes_as_written: bool = False,
    contacts_by_moment: bool = False,
) -> AgendaPack:
    """The pack for ``meeting`` as the data stand on ``assessment.as_of``.

    ``earlier``: the body's meetings before this one (a point ter besluitvorming says at which
    it was on the agenda already); ``previous_assessment``: the data as they stood on the
    previous meeting's day (*sinds de vorige vergadering* names the RAG changes);
    ``decisions_from``: list the body's decisions from this day on rather than from the
    previous meeting's (a meeting that got no pack: its decision list was never sent).
    ``packs_listed``: per earlier meeting with an archived pack, the items it put to the body
    (layout 3: *eerder voorgelegd* counts the packs archived; None: the meetings, layout 2);
    ``packs_not_counted``: the earlier meetings whose archived pack was never put to the body,
    and why (layout 4: only packs sent before the meeting count; kept as ``earlier_packs``).

    ``due_changes``: every change of a due date the plan's revisions record
    (:func:`governance.provenance.due_changes`, read with every decision recorded); those made
    by a decision taken after ``as_of`` are left out (the plan of ``as_of`` does not have them).
    ``revisions``: the items' plan revisions, ``first_recorded``: when the plan was first
    recorded (both for :func:`since_last`). A plan-file edit counts from the day (in the
    programme's time zone) it was recorded: one recorded after ``as_of`` is left out.
    ``additions_accepted``: the plan as it stood then is accepted as is: no addition recorded
    by then is put to the body (:func:`added_to_ratify`; an install's upgrade to 0036);
    ``closed_asked``: an addition done or cancelled is put to it too (agenda layout 12);
    ``unratified`` (agenda layout 19, walk54b 1 and 3): a removal without a decision is a
    choice of the body, and an item whose date was moved in the plan file without a decision
    (:func:`to_ratify`) shows the promise with the plan's new date wherever it is listed;
    ``not_started`` (agenda layout 19, walk54 8): an ongoing item whose start is still ahead
    reads *nog niet gestart* (:attr:`ItemLine.not_started`), in the decision list too
    (:attr:`DecisionLine.not_started`) and in an action's count of its milestones
    (:attr:`DecisionLine.milestone_states`, key ``not_started``);
    ``dated_additions``: an action's decision adds the milestones it found, a later one is an
    addition of its own, and milestones each added add their action (layout 14, adds47);
    ``additions_by_meeting``: such an action is named with its latest meeting's decision, not
    the one recorded last (agenda layout 15, ratify48: :func:`since_last`).
    ``pack_questions``: per earlier meeting of ``packs_listed``, what its pack asked (agenda
    layout 14: *eerder voorgelegd* counts the same question only, :mod:`agenda_questions`).
    ``stale_apart``, ``unstale``: staleness Regie could not have seen on the previous
    meeting's day is not *verslechterd* (agenda layout 18: :func:`since_last`).
    ``risk_dates``: an item at risk without a date is still asked for its date (agenda layout
    19, walk54 2: :func:`decisions_asked`); ``shown``: the body's latest earlier pack, whose
    window *sinds de vorige vergadering* extends to (agenda layout 19, walk54 3:
    :func:`since_last`); ``shown_assessment``: the data as that pack read them, what got
    worse is compared with (agenda layout 19, walk54b); ``shown_colours``: a colour change
    also names the colour that pack showed (agenda layout 20, walk55e 4). With
    ``unratified``, *sinds de vorige vergadering* also names the decision that ratified a
    plan-file edit of a due date.
    ``forecasts_in_force`` (agenda layout 20, walk55a 2): each line's *Prognose* (and the look
    ahead) is the owner's forecast in force (:func:`governance.forecasts.lines_in_force`), not
    the standing one a finished item or a later date supersedes.
    ``ahead_from_pack`` (agenda layout 20, walk55e 1): the look ahead starts at ``as_of``, not
    at the meeting: an open item due (or forecast) between the pack's day and the meeting is
    announced too, not left to turn late at the meeting unannounced.
    ``late_decisions`` (agenda layout 21, walk56d 2): the decision list also holds this body's
    decisions of an earlier meeting recorded after ``shown`` was made
    (:func:`governance.agenda_late.decided_late`, :attr:`DecisionLine.early`), each saying
    whether it answered a question that pack asked (:attr:`DecisionLine.answers`).
    ``ahead_before_next`` (agenda layout 22): with a next meeting the look ahead ends the day
    before it; what is due (or forecast) on that day is for that meeting's own pack, whose look
    ahead starts at its day (``ahead_from_pack``). Without one it ends on the horizon, which it
    includes.
    ``lapsed_forecasts`` (agenda layout 22, walk57a 3): *Wat is verslechterd* also lists an
    item whose owner's forecast after its deadline passed without delivery in its window
    (:func:`governance.agenda_since.got_worse`'s ``lapsed``).
    ``notes_as_written`` (agenda layout 22, walk57b 5): an owner's note is printed as written,
    without the CSV formula guard's ``'`` before a leading ``=``, ``+``, ``-`` or ``@``.
    ``contacts_by_moment`` (agenda layout 23, walk58a 5): a contact change counts by the moment
    it was recorded, as an item's plan edit (:func:`since_last`)."""
    as_of = assessment.as_of
    due_changes = [
        c
        for c in due_changes
        if (c.decision.meeting_on if c.decision else local_day(plan, c.recorded_at)) <= as_of
    ]
    revisions = [r for r in revisions if local_day(plan, r.recorded_at) <= as_of]
    lines = item_lines(plan, assessment, guarded=not notes_as_written)
    if not_started:
        lines = with_not_started(assessment, lines)
    if forecasts_in_force:
        lines = lines_in_force(plan, assessment, lines, decisions, due_changes)
    if unratified:
        lines = _with_promises(
            lines,
            to_ratify(assessment, due_changes, decisions, plan.calendar.timezone, by_rule=True),
        )
    steps = []
    for step in plan.steps:
        mine = [line for line in lines.values() if line.step == step.number]
        exceptions = tuple(line for line in mine if line.rag in (Rag.AMBER, Rag.RED))
        steps.append(
            StepLine(
                number=step.number,
                title=step.title,
                rag=assessment.steps.get(step.number, Rag.GREY).value,
                counts=_rag_counts(mine),
                total=len(mine),
                exceptions=exceptions,
            )
        )
    horizon = next_meeting.on if next_meeting else meeting.on + DEFAULT_HORIZON
    # Layout 20: from the pack's own day on (an item due that day is not late yet); before it,
    # after the meeting's day.
    from_pack = ahead_from_pack and as_of <= meeting.on
    opens = as_of if from_pack else meeting.on

    def after(day: date) -> bool:
        return opens <= day if from_pack else opens < day

    before_next = ahead_before_next and next_meeting is not None

    def within(day: date) -> bool:
        return after(day) and (day < horizon if before_next else day <= horizon)

    ahead = tuple(
        line
        for line in lines.values()
        if line.state in {s.value for s in OPEN_STATES}
        and (
            (line.due is not None and within(line.due))
            or (line.forecast is not None and within(line.forecast))
        )
    )
    since = previous.on if previous else date.min
    if decisions_from is not None:
        since = min(since, decisions_from)
    recent = [d for d in decisions if d.body_id == body.id and since <= d.meeting_on < meeting.on]
    late = decided_late(decisions, body.id, since, shown) if late_decisions and previous else []
    restored = restores(d for d in decisions if d.meeting_on <= assessment.as_of)
    # An item no longer in the plan (a decision about its removal) is named as it left it.
    removed_titles = {
        r.item_id: str(r.before.get("title") or "") or None
        for r in revisions
        if r.kind == "archived" and isinstance(r.before, dict)
    }
    actions = {a.id: a for a in plan.actions()}

    def milestone_states(action_id: str) -> tuple[tuple[str, int], ...]:
        # Layout 19: a milestone not started yet counts as such, as an item's own line reads.
        states = [
            NOT_STARTED_KEY if x.not_started else x.state
            for x in lines.values()
            if x.action_id == action_id
        ]
        order = [s.value for s in _STATE_ORDER]
        order.insert(order.index(State.ONGOING.value), NOT_STARTED_KEY)
        counted = {s: states.count(s) for s in set(states)}
        return tuple(sorted(counted.items(), key=lambda sc: order.index(sc[0])))

    def decision_line(d: Decision) -> DecisionLine:
        line = lines.get(d.item_id or "")
        action = actions.get(d.item_id or "") if line is None else None
        return DecisionLine(
            d,
            line.state if line else None,
            line.title if line else removed_titles.get(d.item_id or ""),
            d in restored,
            action.title if action else None,
            milestone_states(action.id) if action else (),
            not_started=bool(line and line.not_started),
        )

    def ask(taken: Sequence[Decision], changes: Sequence[DueChange]) -> tuple[DecisionAsked, ...]:
        return tuple(
            decisions_asked(
                assessment,
                lines,
                escalations,
                taken,
                changes,
                plan.calendar.timezone,
                revisions,
                body_id=body.id,
                earlier_meetings=[m.on for m in earlier if m.on < meeting.on and m.on <= as_of],
                listed=packs_listed,
                removed_choice=unratified,
                ratified_by_rule=unratified,
                questions=(
                    None
                    if pack_questions is None
                    else _question_history(
                        plan,
                        lines,
                        revisions,
                        taken,
                        first_recorded,
                        additions_accepted,
                        pack_questions,
                    )
                ),
                added=added_to_ratify(
                    plan,
                    lines,
                    revisions,
                    taken,
                    as_of,
                    first_recorded,
                    additions_accepted,
                    closed_asked=closed_asked,
                    dated=dated_additions,
                ),
                risk_dates=risk_dates,
                forecasts_in_force=forecasts_in_force,
            )
        )

    def ask_without(left_out: Sequence[Decision]) -> tuple[DecisionAsked, ...]:
        return ask(
            [d for d in decisions if d not in left_out],
            [c for c in due_changes if c.decision is None or c.decision not in left_out],
        )

    asked = ask(decisions, due_changes)
    # What the latest earlier pack asked: a sent one's from ``packs_listed``, one made by hand
    # from ``shown`` (agenda layout 22).
    listed_before = (packs_listed or {}).get(shown.meeting, shown.listed) if shown else None
    answers = answered_late(late, asked, listed_before, ask_without)
    decision_lines = tuple(
        replace(decision_line(d), early=True, answers=d.item_id in answers) for d in late
    ) + tuple(decision_line(d) for d in recent)
    return AgendaPack(
        owner_labels=plan.owner_labels(),
        programme_title=plan.programme.title,
        programme_short=plan.programme.short_title or plan.programme.title,
        body_id=body.id,
        body_name=body.name,
        meeting=meeting,
        previous=previous,
        next=next_meeting,
        as_of=assessment.as_of,
        programme_rag=assessment.programme.value,
        rag_counts=_rag_counts(lines.values()),
        decisions=decision_lines,
        # Before the previous meeting: meetings passed without a pack (layout 21 says so).
        decisions_since=since if previous and since < previous.on else None,
        steps=tuple(steps),
        asked=asked,
        ahead=ahead,
        annex=tuple(lines.values()),
        horizon=horizon,
        since_last=since_last(
            plan,
            assessment,
            lines,
            previous,
            decisions=decisions,
            due_changes=due_changes,
            revisions=revisions,
            first_recorded=first_recorded,
            previous_assessment=previous_assessment,
            contact_revisions=contact_revisions,
            dated_additions=dated_additions,
            additions_by_meeting=additions_by_meeting,
            stale_apart=stale_apart,
            unstale=unstale,
            shown=shown,
            shown_assessment=shown_assessment,
            ratified=unratified,
            shown_colours=shown_colours,
            lapsed_forecasts=lapsed_forecasts,
            contacts_by_moment=contacts_by_moment,
        ),
        stale_after_days=plan.reminders.stale_after_days,
        earlier_packs=_earlier_packs(meeting.on, packs_listed, packs_not_counted),
        status_round=status_round,
    )


def _with_promises(
    lines: dict[str, ItemLine], ratify: Mapping[str, tuple[str | None, str | None]]
) -> dict[str, ItemLine]:
    """``lines`` with, for each item whose date the body is asked to ratify, the gereed before
    the edits (its promise; "": none) beside the plan's new one."""
    return {
        item_id: replace(line, promised=ratify[item_id][0] or "") if item_id in ratify else line
        for item_id, line in lines.items()
    }


def _question_history(
    plan: Plan,
    lines: dict[str, ItemLine],
    revisions: Sequence[ItemRevision],
    decisions: Sequence[Decision],
    first_recorded: datetime | None,
    additions_accepted: datetime | None,
    packs: Mapping[date, PackQuestions],
) -> QuestionHistory:
    """``packs`` with, for each that did not keep its questions but asked additions, the items
    then added to the plan without a decision, by that pack's own rule: decisions taken by its
    ``as_of`` (else the day before the meeting) and recorded by its data cut-off, revisions
    recorded by it (else before the meeting's day); what it put to the body as additions."""
    undecided: dict[date, frozenset[str]] = {}
    for on, pack in packs.items():
        if pack.reasons is not None or not pack.asked_additions:
            continue
        until = pack.data_until
        if until is None:
            before = [r for r in revisions if local_day(plan, r.recorded_at) < on]
            taken = list(decisions)
        else:
            before = [r for r in revisions if r.recorded_at <= until]
            taken = [d for d in decisions if d.recorded_at is None or d.recorded_at <= until]
        # Packs that kept no reasons were built before adds47's dated additions (layout 14).
        found = added_to_ratify(
            plan, lines, before, taken, pack.as_of or on - timedelta(days=1), first_recorded,
            additions_accepted if pack.accepted_cut else None,
            closed_asked=pack.closed_asked, dated=False,
        )  # fmt: skip
        undecided[on] = frozenset(a.line.item_id for a in found)
    return QuestionHistory(packs, undecided)


def _earlier_packs(
    meeting_on: date,
    listed: Mapping[date, frozenset[str] | None] | None,
    not_counted: Mapping[date, str] | None,
) -> tuple[tuple[date, str], ...]:
    """Per earlier meeting with an archived pack, whether it counted and why (layout 4)."""
    if not_counted is None:
        return ()
    why = {on: "sent" for on in listed or {}} | dict(not_counted)
    return tuple(sorted((on, w) for on, w in why.items() if on < meeting_on))


def changes_plan(decision: Decision) -> bool:
    return decision.kind in (DecisionKind.SET_GEREED, DecisionKind.CANCEL)
