"""Read-backs the tests use to check what the store wrote; Regie itself never reads these
(the plan file is the truth for items, the cycle reads states through ``previous_states``)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from governance.periods import Period, PeriodKind
from governance.plan import Deadline, ItemLevel
from store.models import ActionRow, MilestoneRow, PlanItemMixin
from store.records import StateRecord
from store.states import latest_states


def stored_items(session: Session, programme_id: str) -> list[Deadline]:
    """Current (non-archived) actions and milestones in plan order: each action, then its
    milestones."""
    keyed: list[tuple[tuple[int, int, str, int], Deadline]] = []
    actions = session.scalars(
        sa.select(ActionRow).where(
            ActionRow.programme_id == programme_id, ActionRow.archived_at.is_(None)
        )
    )
    for a in actions:
        item = _item(a, ItemLevel.ACTION, a.code, a.step_number)
        keyed.append(((a.step_number, a.position, a.code, -1), item))
    milestones = session.execute(
        sa.select(MilestoneRow, ActionRow)
        .join(ActionRow, MilestoneRow.action_id == ActionRow.id)
        .where(MilestoneRow.programme_id == programme_id, MilestoneRow.archived_at.is_(None))
    )
    for m, a in milestones.tuples():
        item = _item(m, ItemLevel.MILESTONE, a.code, a.step_number)
        keyed.append(((a.step_number, a.position, a.code, m.position), item))
    keyed.sort(key=lambda pair: pair[0])
    return [item for _, item in keyed]


def _item(row: PlanItemMixin, level: ItemLevel, action_id: str, step: int) -> Deadline:
    period = None
    if row.period_kind is not None:
        period = Period(
            PeriodKind(row.period_kind), row.gereed or "", row.period_start, row.period_end
        )
    return Deadline(
        item_id=row.code,
        level=level,
        action_id=action_id,
        step=step,
        title=row.title,
        gereed=row.gereed,
        period=period,
        owners=tuple(row.owners),
        depends_on=tuple(row.depends_on),
    )


def states_on(session: Session, programme_id: str, as_of: date) -> dict[str, StateRecord]:
    """Each item's state as recorded on or before ``as_of``."""
    rows = latest_states(session, programme_id, as_of, inclusive=True)
    return {record.item_id: record for record, _ in sorted(rows, key=lambda p: p[0].item_id)}
