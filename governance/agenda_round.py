"""The agenda pack's *Statusronde* (layout 8): how the status round before the meeting went.

Pure: the store reads the body's rounds, a round's requests and the items answered in it up to
the pack's data cut-off; this picks the round that belongs to the meeting and counts. An item
counts as answered as :func:`regie.rounds.round_progress` counts it (an update reported from
the day the round started up to the day it closed, or the pack's day when earlier), so the pack
and the office's summary agree.
"""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import dataclass
from datetime import date

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


@dataclass(frozen=True, slots=True)
class RoundItem:
    """An item asked about in the round without an answer: what the pack names it by."""

    item_id: str
    title: str
    owners: tuple[str, ...]  # organisation ids, as the pack's tables show owners


@dataclass(frozen=True, slots=True)
class RoundOutcome:
    asked_on: date
    answer_by: date
    #: The round still takes answers on the pack's day (*loopt nog tot* ``answer_by``).
    still_open: bool
    asked: int
    answered: int
    unanswered: tuple[RoundItem, ...]


def round_for_meeting(
    rounds: Sequence[RoundFacts],
    body_id: str,
    meeting_on: date,
    previous_on: date | None,
    as_of: date,
) -> RoundFacts | None:
    """The round that prepares the meeting, as :func:`regie.rounds.round_meeting` ties them:
    this body's, answers due by the meeting and after the previous one; started by ``as_of``.
    Of several, the latest started."""
    mine = [
        r
        for r in rounds
        if r.body_id == body_id
        and r.started_on <= as_of
        and r.answer_by <= meeting_on
        and (previous_on is None or r.answer_by > previous_on)
    ]
    return max(mine, key=lambda r: (r.started_on, r.round_id), default=None)


def answers_until(r: RoundFacts, as_of: date) -> date:
    """The last day whose reported updates count: the day it closed, or the pack's if earlier."""
    return min(r.closed_on or as_of, as_of)


def round_outcome(
    plan: Plan,
    r: RoundFacts,
    asked: Sequence[tuple[str, str]],
    answered: Set[str],
    as_of: date,
) -> RoundOutcome | None:
    """``asked``: (item, organisation) of the round's requests; ``answered``: the items with an
    update in the round's window. None when the round asked nothing (no section)."""
    if not asked:
        return None
    deadlines = {d.item_id: d for d in plan.deadlines()}
    order = {item_id: n for n, item_id in enumerate(deadlines)}
    asked_by: dict[str, set[str]] = {}
    for item_id, organisation in asked:
        asked_by.setdefault(item_id, set()).add(organisation)
    missing = []
    # In the plan's order, as the pack's tables list items (1.2 before 1.10); an item no longer
    # in the plan last.
    unanswered = sorted(set(asked_by) - set(answered), key=lambda i: (order.get(i, len(order)), i))
    for item_id in unanswered:
        d = deadlines.get(item_id)
        # An item no longer in the plan: the organisations asked about it stand for its owners.
        owners = tuple(d.owners) if d and d.owners else tuple(sorted(asked_by[item_id]))
        missing.append(RoundItem(item_id, d.title if d else "", owners))
    still_open = as_of < r.answer_by and (r.closed_on is None or r.closed_on > as_of)
    return RoundOutcome(
        asked_on=r.started_on,
        answer_by=r.answer_by,
        still_open=still_open,
        asked=len(asked_by),
        answered=len(asked_by) - len(missing),
        unanswered=tuple(missing),
    )
