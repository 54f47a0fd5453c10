"""The plan in force on the day the deadline check assesses (walk56a 1): the rule of
`regie status --as-of` and the reports (:func:`governance.provenance.plan_as_of`), so a cycle
for a past day and every day of a replay are judged by the decisions of the meetings held by
then (a date moved, an item dropped or added), not by those of later meetings in today's plan
file. An item a decision added counts from its meeting
(:func:`governance.provenance.additions_undone`).

Plan-file edits without a decision are not rewound here: the check itself syncs the file and
judges the day by it (a simulated or caught-up day whose sync is stamped later would otherwise
never see the edit it synced). ``status --as-of`` undoes an edit synced after the day.

For a run of days (``regie replay``) the decisions are read once and the plan is rewound only
when a day passes a decision's meeting (:func:`governance.provenance.rewind_days`); in
between, the day before's plan is used again.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from governance.decisions import Decision
    from governance.plan import Plan


@dataclass
class PlanInForce:
    """The plan in force per day, for one day or a run of days (forward). ``of`` gives the
    day's plan and the hash that identifies it to the assessment memory: the file's own hash
    when nothing is rewound, else one of the file's hash and what is undone (the memory then
    compares items only when that changes)."""

    _decisions: list[Decision] | None = None
    #: The plan the days were worked out for (by identity: a replay passes the same one).
    _days: tuple[Plan, tuple[date, ...]] | None = field(default=None, repr=False)
    _made: tuple[Plan, int, Plan, str | None] | None = field(default=None, repr=False)

    def forget(self) -> None:
        """Read the decisions again (a sync recorded revisions meanwhile)."""
        self._decisions = self._days = self._made = None

    def of(self, session: Session, plan: Plan, as_of: date) -> tuple[Plan, str | None]:
        from governance.provenance import additions_undone, plan_as_of, rewind_days
        from store import reports_read
        from store.dialect import reader

        if self._decisions is None:
            self._decisions = reports_read.decisions(reader(session), plan.programme.id)
        decisions = self._decisions
        if self._days is None or self._days[0] is not plan:
            self._days = (plan, rewind_days(plan, decisions))
        days = self._days[1]
        position = bisect_right(days, as_of)
        made = self._made
        if made is not None and made[0] is plan and made[1] == position:
            return made[2], made[3]
        if position == len(days):  # nothing after the day: the file's plan as it is
            day_plan, key = plan, plan.source_hash
        else:
            day_plan = additions_undone(plan_as_of(plan, decisions, as_of), decisions, as_of)
            key = plan.source_hash if day_plan is plan else _key(plan, decisions, days[position:])
        self._made = (plan, position, day_plan, key)
        return day_plan, key


def _key(plan: Plan, decisions: list[Decision], later: tuple[date, ...]) -> str | None:
    """What identifies a rewound plan: the file's hash, the decisions and the days still to
    come (the same three give the same plan)."""
    if plan.source_hash is None:
        return None
    text = repr(
        (
            plan.source_hash,
            [(d.id, d.item_id, d.kind.value, d.meeting_on, d.gereed_after) for d in decisions],
            later,
        )
    )
    return hashlib.sha256(text.encode()).hexdigest()
