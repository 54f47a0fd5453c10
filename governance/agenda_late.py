"""A decision recorded late (agenda layout 21, walk56d 2): taken at a meeting before the
previous one, recorded after the body's latest earlier pack. No pack's decision list held it:
the previous pack was made before it was recorded, and the next one lists from the previous
meeting on. The next pack lists it once, marked, and says when it answers a question the
previous pack put to the body.

Such a decision answers an escalation raised on or before its meeting's day as any decision
about the item does (:func:`governance.agenda_asked.open_escalations`), even when a pack asked
about the escalation after that day: the body did take up the item after the escalation was
raised; the pack asked only because the decision was not recorded yet. The pack says so at the
decision, so the question does not leave the agenda without a word."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date

from governance.agenda_model import DecisionAsked, ShownBefore
from governance.decisions import Decision, DecisionKind


def decided_late(
    decisions: Iterable[Decision],
    body_id: str,
    since: date,
    shown: ShownBefore | None,
) -> list[Decision]:
    """This body's decisions of a meeting before ``since`` (where the decision list starts)
    recorded after ``shown`` (the body's latest earlier pack) was made, oldest meeting first.
    None without such a pack (nothing was sent that could have listed them), nor one whose
    recording time is unknown."""
    if shown is None:
        return []
    late = [
        d
        for d in decisions
        if d.body_id == body_id
        and d.meeting_on < since
        and d.recorded_at is not None
        and d.recorded_at > shown.made_at
    ]
    return sorted(late, key=lambda d: (d.meeting_on, d.recorded_at, d.id or 0))


def answered_late(
    late: Sequence[Decision],
    asked: Sequence[DecisionAsked],
    listed_before: frozenset[str] | None,
    ask_without: Callable[[Sequence[Decision]], Sequence[DecisionAsked]],
) -> set[str]:
    """The items among ``late``'s that ``listed_before`` (what the body's latest earlier pack
    put to it) asked about and that ``asked`` (this pack) no longer asks: the questions those
    decisions answered. A decision that re-dated or cancelled the item answered it (the plan
    holds its outcome); one that only minuted something did when without it the item would
    still be asked (``ask_without``: the points asked with every decision but those given)."""
    if not late or not listed_before:
        return set()
    now = {a.item.item_id for a in asked}
    candidates = {
        d.item_id
        for d in late
        if d.item_id is not None and d.item_id in listed_before and d.item_id not in now
    }
    if not candidates:
        return set()
    changed = {d.item_id for d in late if d.item_id in candidates and _changes_plan(d)}
    minuted = candidates - changed
    if not minuted:
        return candidates
    without = ask_without([d for d in late if d.item_id in minuted])
    return changed | (minuted & {a.item.item_id for a in without})


def _changes_plan(decision: Decision) -> bool:
    """It re-dated or cancelled its item (the plan file holds the outcome)."""
    return decision.kind in (DecisionKind.SET_GEREED, DecisionKind.CANCEL)
