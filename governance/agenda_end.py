"""An agenda pack made after the programme's end (agenda layout 14, walk46 6): a closing
meeting's pack says once at the top that the programme ended and how much is still open, and a
late item's question offers the body the choice it can record (`regie decision add
--set-gereed` a new date, or `--cancel`: the item lapses)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from governance.agenda_model import OPEN_STATES, AgendaPack
from governance.programme_end import ended

_OPEN = frozenset(s.value for s in OPEN_STATES)
#: The questions that offer lapse after the end: a late item's new date, and a date or term for
#: an item without one (no longer asked about, so the body decides; review47 3).
_LAPSE = frozenset({"overdue", "undated", "waiting"})


def closing_pack(pack: AgendaPack, end: date | None) -> AgendaPack:
    """``pack`` with the programme's end when it is made after it (``as_of`` past ``end``):
    the open items with a deadline and those without one (open-ended, periodic: no longer
    asked about, :func:`governance.programme_end.no_longer_asked`) counted from the pack's
    full table, and the question of every late or undated item marked. Unchanged before the end."""
    if not ended(end, pack.as_of):
        return pack
    still_open = [line for line in pack.annex if line.state in _OPEN]
    undated = sum(1 for line in still_open if line.due is None)
    asked = tuple(replace(a, after_end=True) if a.reason in _LAPSE else a for a in pack.asked)
    return replace(
        pack,
        asked=asked,
        programme_ended=end,
        still_open=len(still_open) - undated,
        still_open_undated=undated,
    )
