"""A decision corrected by a later one of the same meeting (``regie decision add --corrects``,
walk56d 3): a mistyped date in the minutes. Both stay recorded; the packs, the progress report
and the decision list read the correction in the corrected one's place, as one change from the
date before the meeting to the corrected one (pure)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from governance.decisions import Decision
from governance.provenance import DueChange


def corrected(decisions: Iterable[Decision]) -> dict[int, Decision]:
    """The id of each corrected decision among ``decisions`` → the decision correcting it."""
    return {d.corrects: d for d in decisions if d.corrects is not None}


def in_force(decisions: Sequence[Decision]) -> list[Decision]:
    """``decisions`` without those a decision among them corrects, in their order."""
    replaced = corrected(decisions)
    return [d for d in decisions if d.id is None or d.id not in replaced]


def changes_folded(changes: Sequence[DueChange], decisions: Sequence[Decision]) -> list[DueChange]:
    """The due-date changes (oldest first) with each one a corrected decision made folded into
    the one its correction made: one change from the first's date to the correction's. A
    correction that moved no date (the same due day) takes the folded change over, with its
    own gereed; one that brought the date back leaves no change."""
    replaced = corrected(decisions)
    if not replaced:
        return list(changes)
    out: list[DueChange] = []
    pending: dict[int, DueChange] = {}  # the correcting decision's id → the change folded in
    for change in changes:
        made = change.decision
        first = pending.pop(made.id, None) if made is not None and made.id is not None else None
        if first is not None:
            change = replace(change, gereed_before=first.gereed_before, due_before=first.due_before)
        if made is not None and made.id is not None and made.id in replaced:
            pending[replaced[made.id].id or 0] = change
            continue
        if change.due_before != change.due_after:
            out.append(change)
    by_id = {d.id: d for d in decisions}
    for correcting, change in pending.items():  # a correction that moved no date
        after = by_id[correcting]
        out.append(replace(change, gereed_after=after.gereed_after, decision=after))
    return sorted(out, key=lambda c: c.recorded_at)
