"""The agenda pack's *Statusronde* (layout 8): how the status rounds before the meeting went.

Pure: the store reads the body's rounds, a round's requests and the items answered in it up to
the pack's data cut-off; this picks the rounds that belong to the meeting and counts. An item
counts as answered as :func:`regie.rounds.round_progress` counts it (an update reported from
the day the round started up to the day it closed, or the pack's day when earlier; from layout
10 not a correction of an update reported before the round: :func:`answers_round`), so the pack
and the office's summary agree.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass
from datetime import date
from enum import Enum

from governance.plan import Plan


@dataclass(frozen=True, slots=True)
class RoundFacts:
    """A status round as the store holds it at the pack's cut-off."""

    round_id: int
    body_id: str
    started_on: date
    answer_by: date
    #: The day it closed, when its closing was recorded by the cut-off (else None: still open).
    closed_on: date | None
    #: The meeting it prepares, when the meeting preparation started it (None: started by hand
    #: or before that was recorded; tied by its answer-by date).
    meeting_on: date | None = None


@dataclass(frozen=True, slots=True)
class RoundItem:
    """An item asked about in the round without an answer: what the pack names it by."""

    item_id: str
    title: str
    owners: tuple[str, ...]  # organisation ids, as the pack's tables show owners


@dataclass(frozen=True, slots=True)
class RoundOutcome:
    #: The first round's start and the last one's answer-by (a meeting may have had a round for
    #: everyone and a later one for some owners: counted as one).
    asked_on: date
    answer_by: date
    #: A round still takes answers on the pack's day (*loopt nog tot* ``answer_by``).
    still_open: bool
    #: 0 only after the programme's end (layout 14): the rounds asked only items no longer asked.
    asked: int
    answered: int
    #: The first :data:`LISTED` items without an answer, in the plan's order; ``more``: the rest.
    unanswered: tuple[RoundItem, ...]
    more: int = 0


#: How many unanswered items the pack names before "en nog N punten zonder antwoord".
LISTED = 25


def tie_rounds(
    rounds: Sequence[tuple[int, date | None, date]],
    held: Sequence[date],
    asks_from: Callable[[date], date] | None = None,
) -> dict[int, date | None]:
    """The meeting each of one body's rounds prepares — the one rule of its mails, answer form,
    ``round status``, the pack's *Statusronde* and the daily preparation's "has its round"
    (review10a 3, 4). ``rounds``: (id, meeting recorded with it or None, answer-by date);
    ``held``: the body's known meetings.

    A recorded meeting still known is it. A round without one: the first meeting on or after its
    answer-by date (the preparation asks for answers by pack day, before the meeting). A recorded
    meeting no longer known (moved or dropped since): of the known meetings just before and just
    after the recorded day, the nearer (the later on a tie) that is after its answer-by date
    (its answers come in before it) and has no round of its own — a meeting moved earlier
    keeps its round, and does not take the next meeting's. ``asks_from``: the day a meeting's
    own round starts (:func:`round_start`); given, a neighbour takes the round over only when
    its own round would have started by the round's answer-by date (cancel46, walk33 2): a
    meeting weeks later gets its own round and fresh answers, and the round prepares none. None
    known at all: the recorded one as it is."""
    days = sorted(set(held))
    known = set(days)
    tied: dict[int, date | None] = {}
    for key, recorded, answer_by in rounds:
        if recorded is None:
            tied[key] = next((d for d in days if d >= answer_by), None)
        elif recorded in known or not days:
            tied[key] = recorded
    taken = {d for d in tied.values() if d is not None}
    for key, recorded, answer_by in rounds:
        if key in tied or recorded is None:
            continue
        before = [d for d in days if d < recorded][-1:]
        after = [d for d in days if d > recorded][:1]
        fits = [
            d
            for d in after + before
            if d > answer_by and d not in taken and (asks_from is None or asks_from(d) <= answer_by)
        ]
        # Nearest first; ``after`` comes first, so the later one wins a tie (stable sort).
        fits.sort(key=lambda d: abs((d - recorded).days))
        tied[key] = fits[0] if fits else None
    return tied


def round_start(plan: Plan, body_id: str) -> Callable[[date], date]:
    """The day a meeting of ``body_id`` has its own status round start: ``request_days``
    (default 10) working days before it, as :mod:`regie.prepare` starts it."""
    from governance.workdays import WorkCalendar

    body = next((g for g in plan.governance if g.id == body_id), None)
    days = body.meetings.request_days if body is not None and body.meetings else 10
    calendar = WorkCalendar.for_plan(plan)
    return lambda on: calendar.add_working_days(on, -days)


class TieRule(Enum):
    """Which rule a pack's *Statusronde* ties a round to its meeting by: an archived pack is made
    again with the rule it was built with (regie picks one per agenda layout)."""

    #: The meeting recorded with the round, exactly; a round without one: answers due after the
    #: previous meeting and by this one (agenda layout 8, since migration 0031).
    RECORDED = "recorded"
    #: As ``RECORDED``, but a recorded meeting no longer known: the first known meeting on or
    #: after the recorded day (review8 3; agenda layout 9).
    NEXT = "next"
    #: :func:`tie_rounds` without ``asks_from`` (review10a 3; agenda layouts 10–12).
    NEARER = "nearer"
    #: :func:`tie_rounds` with ``asks_from``, the rule of the rounds' own mails (cancel46;
    #: agenda layout 13): a moved round does not take over a meeting whose own round starts
    #: after its answer-by date.
    FRESH = "fresh"


def rounds_for_meeting(
    rounds: Sequence[RoundFacts],
    body_id: str,
    meeting_on: date,
    previous_on: date | None,
    as_of: date,
    meetings: Collection[date] = (),
    rule: TieRule = TieRule.NEARER,
    asks_from: Callable[[date], date] | None = None,
) -> list[RoundFacts]:
    """The rounds that prepare the meeting, as ``rule`` ties them (:attr:`TieRule.FRESH`: by
    :func:`tie_rounds` with ``asks_from``, the rule the rounds' own mails follow): this body's,
    started by ``as_of``, for this meeting of the body's ``meetings`` (with this one and
    ``previous_on``). In the order they started."""
    body = [r for r in rounds if r.body_id == body_id]
    if rule in (TieRule.NEARER, TieRule.FRESH):
        held = {*meetings, meeting_on, *([previous_on] if previous_on is not None else [])}
        fresh = asks_from if rule is TieRule.FRESH else None
        rows = [(r.round_id, r.meeting_on, r.answer_by) for r in body]
        tied = tie_rounds(rows, sorted(held), fresh)
        mine = [r for r in body if r.started_on <= as_of and tied[r.round_id] == meeting_on]
    else:
        mine = [
            r
            for r in body
            if r.started_on <= as_of
            and _tied_before(r, meeting_on, previous_on, sorted(meetings), rule) == meeting_on
        ]
    return sorted(mine, key=lambda r: (r.started_on, r.round_id))


def _tied_before(
    r: RoundFacts, meeting_on: date, previous_on: date | None, held: Sequence[date], rule: TieRule
) -> date | None:
    """The meeting a round prepared by an older layout's rule (kept as it was, so an archived
    pack is made again as built); ``meeting_on`` when its answers were due in the window."""
    if r.meeting_on is None:
        due = r.answer_by <= meeting_on and (previous_on is None or r.answer_by > previous_on)
        return meeting_on if due else None
    if rule is TieRule.RECORDED or not held:
        return r.meeting_on
    return next((d for d in held if d >= r.meeting_on), None)


def answers_round(reported_on: date, corrected_on: date | None, started_on: date) -> bool:
    """Whether an update reported on ``reported_on`` answers a round started on ``started_on``:
    reported from that day, and not a correction of an update reported before it
    (``corrected_on``: the day of the correction chain's first update, :func:`first_of_chain`;
    None for no correction). A fix of an earlier answer (the office's typo fix of a pre-round
    update, or a fix of that fix: round45 2) is not the owner's answer to the round (review7 8);
    a correction of an answer given in the round still counts."""
    if reported_on < started_on:
        return False
    return corrected_on is None or corrected_on >= started_on


def first_of_chain(corrects: int | None, parents: Mapping[int, int | None]) -> int | None:
    """The first update of the chain of corrections that a correction of update ``corrects``
    continues (``parents``: each update's ``corrects``; an update not in it ends the chain);
    None for no correction. Each update is corrected at most once, so the chain is a line."""
    if corrects is None:
        return None
    seen = {corrects}
    while (up := parents.get(corrects)) is not None and up not in seen:
        seen.add(up)
        corrects = up
    return corrects


def answered_in_round(rows: Iterable[tuple[str, date, date | None]], started_on: date) -> set[str]:
    """The items answered in a round started on ``started_on``, of (item, reported on, the
    reported-on day of the first update its correction chain corrects, or None) rows in its
    window (:func:`answers_round`)."""
    return {item for item, on, corrected in rows if answers_round(on, corrected, started_on)}


def answers_until(r: RoundFacts, as_of: date) -> date:
    """The last day whose reported updates count: the day it closed, or the pack's if earlier."""
    return min(r.closed_on or as_of, as_of)


def round_outcome(
    plan: Plan,
    asked: Sequence[tuple[RoundFacts, Sequence[tuple[str, str]], Set[str]]],
    as_of: date,
    left_out: Set[str] = frozenset(),
) -> RoundOutcome | None:
    """The meeting's rounds counted as one: per round, (the round, (item, organisation) of its
    requests, the items with an update in its window). An item asked in several rounds is
    answered when it was answered in any of them. None when the rounds asked nothing.
    ``left_out``: items no longer asked (after the programme's end, agenda layout 14): left out
    of both counts, answered or not, so *x van de y* counts the items still asked (end47b,
    review47 1); when that leaves none, an outcome with ``asked`` 0 still says a round was held."""
    asked_by: dict[str, set[str]] = {}
    answered: set[str] = set()
    for _, requests, in_window in asked:
        for item_id, organisation in requests:
            if item_id in left_out:
                continue
            asked_by.setdefault(item_id, set()).add(organisation)
            if item_id in in_window:
                answered.add(item_id)
    held = [r for r, requests, _ in asked if requests]
    if not held:
        return None
    deadlines = {d.item_id: d for d in plan.deadlines()}
    order = {item_id: n for n, item_id in enumerate(deadlines)}
    missing = []
    # In the plan's order, as the pack's tables list items (1.2 before 1.10); an item no longer
    # in the plan last.
    unanswered = sorted(set(asked_by) - answered, key=lambda i: (order.get(i, len(order)), i))
    for item_id in unanswered:
        d = deadlines.get(item_id)
        # An item no longer in the plan: the organisations asked about it stand for its owners.
        owners = tuple(d.owners) if d and d.owners else tuple(sorted(asked_by[item_id]))
        missing.append(RoundItem(item_id, d.title if d else "", owners))
    # The dates of the rounds that still ask something (review47 12); all of them when none does.
    rounds = [r for r, requests, _ in asked if any(i not in left_out for i, _ in requests)] or held
    return RoundOutcome(
        asked_on=min(r.started_on for r in rounds),
        answer_by=max(r.answer_by for r in rounds),
        still_open=any(
            as_of < r.answer_by and (r.closed_on is None or r.closed_on > as_of) for r in rounds
        ),
        asked=len(asked_by),
        answered=len(answered),
        unanswered=tuple(missing[:LISTED]),
        more=max(0, len(missing) - LISTED),
    )
