"""What an agenda pack holds (:mod:`governance.agenda`): its lines, points ter besluitvorming,
decisions and changes *sinds de vorige vergadering*, the questions and limits it is laid out
with, and the helpers every section shares (the list cut, the plan's local day)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar, cast
from zoneinfo import ZoneInfo

from governance.agenda_round import RoundOutcome
from governance.decisions import (
    Decision,
)
from governance.meetings import Meeting
from governance.plan import Plan
from governance.rag import SLIP_RED_WORKING_DAYS, State

#: Why a point is put to the body (:attr:`DecisionAsked.reason`); each has its question and
#: its label in ``reports/templates/_asked_texts.j2``, which words them.
ASK_REASONS = (
    "overdue", "slipped", "ratify", "red", "undated", "waiting", "escalated", "removed", "added",
)  # fmt: skip


#: The states an item is still open in (neither done nor cancelled).
OPEN_STATES = frozenset(set(State) - {State.DONE, State.CANCELLED})


#: Without a next meeting, the look-ahead covers this long after the meeting.
DEFAULT_HORIZON = timedelta(days=91)


#: The longest list a pack section shows (per step, ter besluitvorming, vooruitblik): a pack is
#: short at any programme size; the rest is counted and left to the annex.
LIMITS: dict[str, int] = {"step": 12, "asked": 25, "ahead": 25, "progress": 25, "since": 25}


#: The longest owner's note a pack's table shows in full (layout 10, walk32c 6): a longer one
#: is cut at a word and given once in full at the pack's end (*Toelichtingen in volledige tekst*).
NOTE_EXCERPT = 300


def note_excerpt(note: str, limit: int = NOTE_EXCERPT) -> str | None:
    """The first words of ``note`` up to ``limit`` characters, for a table cell (no ellipsis:
    the template adds it and says where the rest is); None when the note fits whole."""
    if len(note) <= limit:
        return None
    cut = note[:limit]
    if not note[limit].isspace():  # at the last blank, so no word is broken
        parts = cut.rsplit(None, 1)
        cut = parts[0] if len(parts) > 1 else cut  # one word fills it: cut that word
    return cut.rstrip().rstrip(",;:.-–").rstrip()


#: Most severe first when a list is cut: reasons, then RAG colours.
_REASON_ORDER = (
    "overdue", "red", "slipped", "ratify", "removed", "added", "escalated", "waiting", "undated",
)  # fmt: skip


_RAG_ORDER = ("red", "amber", "grey", "green")


#: States worst first (an action's milestones, counted on the decision list).
_STATE_ORDER = (
    State.OVERDUE, State.SLIPPED, State.AT_RISK, State.WAITING, State.UNDATED, State.DUE_SOON,
    State.ON_TRACK, State.ONGOING, State.DONE, State.CANCELLED,
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ItemLine:
    """One item as a pack shows it; ``note`` is the owner's latest comment, made inert."""

    item_id: str
    step: int
    action_id: str
    action_title: str
    title: str
    owners: tuple[str, ...]  # organisation ids
    gereed: str  # as promised, verbatim, with a decision's revision spelt out
    due: date | None
    forecast: date | None
    state: str
    rag: str
    stale: bool
    note: str | None
    note_on: date | None
    waiting_on: tuple[str, ...]
    #: The day the latest update was recorded, when that was later than the day after the day
    #: it reports for (a back-dated answer: shown as *nagekomen, vastgelegd op …*); else None.
    recorded_late: date | None = None
    #: The latest answer says *Risico* (layout 10 shows a slipped one as *verschoven, met
    #: risico*, as the answer page does; walk32a 11).
    at_risk: bool = False
    #: The gereed before a date moved in the plan file without a decision not ratified yet
    #: ("": it had none; agenda layout 19, walk54b 3): the promise, shown with ``gereed``, the
    #: plan's new text. None: ``gereed`` is the promise.
    promised: str | None = None
    #: Ongoing work whose start is still ahead (``2028 e.v.`` in 2027; agenda layout 19,
    #: progress layout 18, walk54 8: :func:`governance.item_start.not_started`): it reads *nog
    #: niet gestart*, not *doorlopend*. False in older layouts.
    not_started: bool = False
    #: An undated dependent item's predecessors that were cancelled, not delivered (agenda
    #: layout 20, progress layout 19, walk55d 1): *voorganger … vervallen*. () in older layouts.
    cancelled_predecessors: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StepLine:
    number: int
    title: str
    rag: str
    counts: dict[str, int]  # per RAG colour value, all four present
    total: int
    exceptions: tuple[ItemLine, ...]  # amber and red items


#: How heavily a point ter besluitvorming weighs, heaviest first: an owner's request to approve a
#: slip, a date set by a decision (of this body) that was missed again, an escalation left
#: unanswered, a choice only the body can make (a date or removal to ratify, measures for a red
#: item), then the routine ones (a new date for a late item, a date for an undated one, a term
#: for a waiting one). :func:`by_weight` orders the list so; a cut drops routine points first.
WEIGHTS = ("slip", "again", "escalated", "choice", "routine")


@dataclass(frozen=True, slots=True)
class DecisionAsked:
    """A point ter besluitvorming, in data: ``reports/templates/_asked_texts.j2`` words its
    question and its reason from ``reason`` and the values the question names."""

    item: ItemLine
    reason: str  # one of ASK_REASONS
    weight: str = "routine"  # one of WEIGHTS
    #: Since when the item is late (its deadline passed) or its escalation unanswered.
    late_since: date | None = None
    #: The body's earlier meetings the point was on the agenda of: as their archived packs
    #: listed it (layout 3), else as the data then stood.
    earlier: tuple[date, ...] = ()
    #: A missed date that a decision had set: the gereed decided and the meeting that did.
    decided_gereed: str | None = None
    decided_on: date | None = None
    #: Of ``earlier``: the meetings whose archived pack did not keep what it listed (archived
    #: before packs kept it), worked out from the data as they then stood instead.
    earlier_estimated: tuple[date, ...] = ()
    #: What the question names: the owner's forecast (a slip to approve), the items waited on,
    #: the day an escalation was raised, the gereed before and after a date moved without a
    #: decision (to ratify; None: it had none), the milestones removed with a removed action
    #: or added with an added one, the day an addition without a decision was recorded.
    forecast: date | None = None
    waiting_on: tuple[str, ...] = ()
    escalated_on: date | None = None
    ratify_before: str | None = None
    ratify_after: str | None = None
    with_items: tuple[str, ...] = ()
    added_on: date | None = None
    #: A late or undated item in a pack made after the programme's end (layout 14): the body sets a
    #: date or lets the item lapse (:func:`governance.agenda_end.closing_pack`).
    after_end: bool = False
    #: Of the earlier meetings whose pack listed the item: those that put another question
    #: about it (agenda layout 14; ``earlier`` then holds only the same question's).
    earlier_other: tuple[date, ...] = ()
    #: An undated item's predecessors that were cancelled, not delivered (agenda layout 20,
    #: walk55d 1): its date cannot be derived, the question says why.
    cancelled_predecessors: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DecisionLine:
    decision: Decision
    follow_up: str | None  # the item's state now, for decisions about an item
    item_title: str | None
    #: It brought a dropped item back (:func:`governance.decisions.restores`): "hersteld".
    restored: bool = False
    #: A decision about an action assessed through its milestones (no line of its own): the
    #: action's title and its milestones' states now (state value, how many), worst first;
    #: from agenda layout 19 a milestone not started yet counts as ``not_started`` (review54c 7).
    action_title: str | None = None
    milestone_states: tuple[tuple[str, int], ...] = ()
    #: The item is ongoing work before its start (agenda layout 19, walk54 8: its line's
    #: :attr:`ItemLine.not_started`): *nu nog niet gestart*, not *nu doorlopend*.
    not_started: bool = False
    #: A decision of a meeting before the previous one, recorded after the body's latest
    #: earlier pack (agenda layout 21, walk56d 2): listed once, in this pack, marked *nog niet
    #: in het vorige agendapakket*.
    early: bool = False
    #: Such a decision answers the question that pack put to the body about its item: without
    #: it the item would still be asked (agenda layout 21, walk56d 2).
    answers: bool = False


@dataclass(frozen=True, slots=True)
class ItemRevision:
    """One recorded revision of an action or milestone in the plan (``plan_revisions``): kind
    ``created``, ``archived``, ``restored`` (field None), or ``changed`` with its field. The
    ``before`` of an ``archived`` one holds the item's fields when it left the plan (``title``,
    ``gereed``, ``owners``, ``step`` or ``action``; :mod:`store.agenda_read`), when known.
    ``renumbered_to``: of an ``archived`` one, the id that took over the item's history in the
    same sync (``formerly``, the ``regie.item.renumbered`` event; read for agenda layout 20 and
    progress layout 19 on): the item was renumbered, not removed."""

    item_id: str
    kind: str
    field: str | None
    before: Any
    after: Any
    recorded_at: datetime
    renumbered_to: str | None = None


def renumbered_from(revisions: Sequence[ItemRevision]) -> dict[str, str]:
    """New id → the old id it took over with ``formerly``, from the ``archived`` revisions
    that name their successor (:attr:`ItemRevision.renumbered_to`)."""
    return {r.renumbered_to: r.item_id for r in revisions if r.renumbered_to is not None}


def created_times(revisions: Sequence[ItemRevision]) -> dict[str, datetime]:
    """When each item was first recorded as created (the revisions read leave the first sync
    out): :func:`governance.decisions.added_by`'s ``created``."""
    out: dict[str, datetime] = {}
    for r in revisions:
        if r.kind == "created":
            out[r.item_id] = min(r.recorded_at, out.get(r.item_id, r.recorded_at))
    return out


#: The kinds of change *sinds de vorige vergadering*, in the order one item's are listed.
SINCE_KINDS = (
    "added", "renumbered", "restored", "done", "moved", "owners", "cancelled", "reinstated",
    "removed",
    "contact",  # an organisation's contact person (layout 3): ``item_id`` is the organisation's
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ShownBefore:
    """The body's latest pack sent for an earlier meeting (agenda layout 19, walk54 3): the
    meeting it was for, its day (``as_of``) and when it was archived (its data cut-off). What
    happened after that day, or was recorded after that moment, it could not show. A pack
    made by hand counts when no pack went out for that meeting (review54 6).
    ``gone``: that meeting is no longer one of the body's (moved or cancelled after the pack
    was made): the pack names it only as *het vorige agendapakket* (review54 11).
    ``listed``: what a pack made by hand put to the body (its *ter besluitvorming*; agenda
    layout 22): a decision recorded late after it says whether it answered that question, as
    after a sent pack (whose items the pack reads apart); None: a sent pack, or not known."""

    meeting: date
    as_of: date
    made_at: datetime
    gone: bool = False
    listed: frozenset[str] | None = None


@dataclass(frozen=True, slots=True)
class SinceEntry:
    """One change since the previous meeting. ``before``/``after``: the gereed texts of a moved
    date, the owners of an owner change (None: none; the pack's templates say so);
    ``decided_by``: the decision behind a moved date, a cancellation, a reinstatement, a
    removal or an addition (None: none recorded, the plan file was edited)."""

    item_id: str
    title: str
    kind: str  # one of SINCE_KINDS
    on: date | None = None
    before: str | None = None
    after: str | None = None
    decided_by: str | None = None
    #: The first pack layout that lists it (1: every pack; 2: an action taken up again by a
    #: decision about the action itself, whose milestones carry the dates; 3: an
    #: organisation's contact person changed).
    layout: int = 1
    #: An added milestone whose ``decided_by`` is the decision that added its action (agenda
    #: layout 13 names it; layouts 11–12 said *vastgelegd op*).
    by_action: bool = False
    #: Before the previous meeting, yet in no earlier pack: it happened or was recorded after
    #: the body's latest pack (:class:`ShownBefore`; agenda layout 19, walk54 3).
    early: bool = False
    #: A plan-file edit of a due date (``moved`` without ``decided_by``): the decision about the
    #: item taken on or after the edit's day that ratifies it
    #: (:func:`governance.ratification.ratifying_decision`; agenda layout 19, as progress
    #: layout 18).
    ratified_by: str | None = None
    #: A ``late`` item whose owner's forecast (after its deadline) passed without delivery:
    #: ``on`` is that forecast, not the deadline (agenda layout 22, walk57a 3).
    lapsed: bool = False


#: What got worse since the previous meeting, per item: ``late`` (open, its deadline passed
#: since then), ``at_risk`` (an owner reported a risk or a slip since then; not late).
WORSE_KINDS = ("late", "at_risk")


#: The colours that say how an item stands, best first (grey says nothing: not ranked).
_RAG_RANK = {"green": 0, "amber": 1, "red": 2}


@dataclass(frozen=True, slots=True)
class RagChange:
    """The programme's (``step`` None) or a step's RAG then (at the previous meeting) and now."""

    step: int | None
    title: str
    before: str
    after: str
    #: The items whose staleness alone made the colour worse (agenda layout 18, words53): Regie
    #: did not follow them yet on the previous meeting's day, so they could not be stale then.
    #: Only such items, also where a waiting item of the step waits on one (review53 5).
    stale: tuple[str, ...] = ()
    #: The colour the body's latest earlier pack showed, where it differs from ``before`` (the
    #: previous meeting's day; agenda layout 20, walk55e 4). With ``before == after`` the
    #: colour turned between that pack and the meeting and stayed so since.
    shown: str | None = None

    @property
    def direction(self) -> str:
        """``worse`` (to a worse colour: green < amber < red), ``better``, or ``other`` (to or
        from grey: nothing to assess then or now, neither better nor worse). Unchanged since
        the meeting: compared with what the earlier pack showed (``shown``)."""
        first = self.shown if self.before == self.after and self.shown else self.before
        then, now = _RAG_RANK.get(first), _RAG_RANK.get(self.after)
        if then is None or now is None:
            return "other"
        return "worse" if now > then else "better"


@dataclass(frozen=True, slots=True)
class EndMoved:
    """The programme's end moved in the plan file (walk55d 7): no decision names the
    programme's end, so the pack says it and asks the body to accord it."""

    before: date | None
    after: date | None
    #: The office's day the sync recorded it.
    on: date


@dataclass(frozen=True, slots=True)
class SinceLast:
    """What changed from ``since`` (the previous meeting's day, else ``basis``'s day) on."""

    since: date | None
    #: ``previous``: the body's previous meeting; ``start``: the programme's start date (a
    #: first meeting); ``plan``: the day the plan was first recorded (a first meeting of a
    #: programme without a start date); ``none``: nothing to count from (all is listed).
    basis: str
    entries: tuple[SinceEntry, ...]
    counts: dict[str, int]  # per kind of SINCE_KINDS, all present
    #: What got worse (:data:`WORSE_KINDS`; ``on``: the deadline passed, or the update's day),
    #: longest late first; the programme's and steps' RAG changes, programme first.
    worse: tuple[SinceEntry, ...] = ()
    #: Every change of colour, better or worse: packs of layouts 2–5 listed them all as worse.
    rag_changes: tuple[RagChange, ...] = ()
    #: The changes to a worse colour whose only cause is the staleness of items Regie did not
    #: follow yet on the previous meeting's day (layout 18, words53): not in ``rag_changes``,
    #: the pack lists them as *verouderd*, not as *verslechterd*.
    rag_stale: tuple[RagChange, ...] = ()
    #: Regie's first assessment of the programme, when it came after the previous meeting and
    #: items Regie did not follow then are stale now (layout 18): nothing could be stale on that
    #: meeting's day, which the reason for ``rag_stale`` says; None otherwise (the reason then
    #: says those items were followed only after that meeting, review53 3).
    followed_from: date | None = None
    #: The body's latest earlier pack, when entries from before the previous meeting are
    #: listed because that pack could not show them (``early``; agenda layout 19, walk54 3).
    shown: ShownBefore | None = None

    @property
    def rag_worse(self) -> tuple[RagChange, ...]:
        """The changes to a worse colour (layout 6 on: only these are *verslechterd*)."""
        return tuple(c for c in self.rag_changes if c.direction == "worse")

    @property
    def rag_other(self) -> tuple[RagChange, ...]:
        """The other changes of colour: improvements, and to or from grey (layout 6 on)."""
        return tuple(c for c in self.rag_changes if c.direction != "worse")

    @property
    def layout1(self) -> SinceLast:
        """What packs of layout 1 listed (packs archived before layout 2, made again)."""
        entries = tuple(e for e in self.entries if e.layout == 1)
        counts = dict.fromkeys(SINCE_KINDS, 0)
        for e in entries:
            counts[e.kind] += 1
        return replace(self, entries=entries, counts=counts, worse=(), rag_changes=())

    def added_undecided(self, *, by_action: bool = False) -> SinceLast:
        """Without the decision that added an item (agenda layouts up to 10 did not name it:
        *vastgelegd op* only); ``by_action``: only where it is its action's (layouts 11–12)."""
        entries = tuple(
            replace(e, decided_by=None, by_action=False)
            if e.kind == "added" and e.decided_by and (e.by_action or not by_action)
            else e
            for e in self.entries
        )
        return replace(self, entries=entries) if entries != self.entries else self

    def upto(self, layout: int) -> SinceLast:
        """What packs of ``layout`` (2 or later) listed: an archived pack made again."""
        entries = tuple(e for e in self.entries if e.layout <= layout)
        if len(entries) == len(self.entries):
            return self
        counts = dict.fromkeys(SINCE_KINDS, 0)
        for e in entries:
            counts[e.kind] += 1
        return replace(self, entries=entries, counts=counts)


_Entry = TypeVar("_Entry")  # an ItemLine, or an entry about one in its ``item``


@dataclass(frozen=True, slots=True)
class AgendaPack:
    programme_title: str
    programme_short: str
    body_id: str
    body_name: str
    meeting: Meeting
    previous: Meeting | None
    next: Meeting | None
    as_of: date
    programme_rag: str
    rag_counts: dict[str, int]
    decisions: tuple[DecisionLine, ...]
    steps: tuple[StepLine, ...]
    asked: tuple[DecisionAsked, ...]
    ahead: tuple[ItemLine, ...]
    annex: tuple[ItemLine, ...]
    horizon: date
    sources: tuple[str, ...] = field(default=())
    since_last: SinceLast | None = None
    #: The rules the pack's legend states: working days without an update before an item is
    #: *verouderd*, and past the deadline before a forecast makes a slip red.
    stale_after_days: int = 20
    slip_red_days: int = SLIP_RED_WORKING_DAYS
    #: The body's earlier meetings whose archived pack *eerder voorgelegd* read, and why
    #: (layout 4): ``sent`` (it counts), ``never_sent`` (made by hand or never queued) or
    #: ``made_after_meeting`` (as of the meeting's day or later); not one of them counts.
    earlier_packs: tuple[tuple[date, str], ...] = ()
    #: How the status round before the meeting went (layout 8; None: no round, or an older
    #: layout, which had no such section).
    status_round: RoundOutcome | None = None
    #: Organisation id → how the pack shows it as an owner (:meth:`Plan.owner_labels`); the
    #: renderer uses it from layout 9 on (older layouts showed the ids).
    owner_labels: dict[str, str] = field(default_factory=dict)
    #: The programme's end, when the pack is made after it (layout 14; None: before the end,
    #: or an older layout): said at the top with the open items with a deadline
    #: (``still_open``) and without one (``still_open_undated``).
    programme_ended: date | None = None
    still_open: int = 0
    still_open_undated: int = 0
    #: Of ``still_open_undated``: the items waiting on a predecessor (walk55d 2), asked again
    #: once it is done; agenda layout 20 counts them apart.
    still_open_waiting: int = 0
    #: The programme's end, when the pack is made before it for a meeting after it, or for the
    #: last meeting before it (layout 15, review47 6): said at the top in the future tense, with
    #: the same counts; ``last_before_end``: the latter (known to be the last, review48 1).
    programme_ends: date | None = None
    last_before_end: bool = False
    #: The programme's end moved in the plan file since the previous meeting (layout 20,
    #: walk55d 7): said under *sinds de vorige vergadering*, and asked to accord.
    end_moved: tuple[EndMoved, ...] = ()
    #: Where the decision list starts when that is before the previous meeting (the meetings
    #: after it passed without an agenda pack, :func:`regie.prepare.decisions_from`; None: at
    #: the previous meeting). Agenda layout 21 (walk56a 6) says it above the list.
    decisions_since: date | None = None


def shortlist(entries: Sequence[_Entry], limit: int) -> tuple[list[_Entry], int]:
    """At most ``limit`` entries and how many were left out. A list that fits keeps its order;
    a longer one shows the most severe first (reason, RAG, date), then in its own order."""
    if len(entries) <= limit:
        return list(entries), 0

    def severity(entry: _Entry) -> tuple[int, int, date]:
        line: ItemLine = getattr(entry, "item", None) or cast(ItemLine, entry)
        reason = getattr(entry, "reason", "")
        rank = _REASON_ORDER.index(reason) if reason in _REASON_ORDER else len(_REASON_ORDER)
        return rank, _RAG_ORDER.index(line.rag), line.due or date.max

    order = {id(e): n for n, e in enumerate(entries)}
    shown = sorted(sorted(entries, key=severity)[:limit], key=lambda e: order[id(e)])
    return shown, len(entries) - limit


def local_day(plan: Plan, at: datetime) -> date:
    """The day in the programme's time zone of a recorded instant (naive: UTC)."""
    return _zone_day(at, plan.calendar.timezone)


def _zone_day(at: datetime, zone: str) -> date:
    aware = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    return aware.astimezone(ZoneInfo(zone)).date()
