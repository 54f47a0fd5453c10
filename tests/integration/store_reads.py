"""Read-backs the tests use to check what the store wrote; Regie itself never reads these
(the plan file is the truth for items, the cycle reads states through ``previous_states``)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from governance.periods import Period, PeriodKind
from governance.plan import Deadline, ItemLevel
from store.models import ActionRow, MilestoneRow, PlanItemMixin, PlanRevisionRow
from store.records import Revision, StateRecord
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


def revisions(
    session: Session,
    programme_id: str,
    *,
    entity: str | None = None,
    code: str | None = None,
    since: datetime | None = None,
) -> list[Revision]:
    """Recorded plan changes, oldest first; ``since`` is inclusive."""
    query = sa.select(PlanRevisionRow).where(PlanRevisionRow.programme_id == programme_id)
    if entity is not None:
        query = query.where(PlanRevisionRow.entity == entity)
    if code is not None:
        query = query.where(PlanRevisionRow.code == code)
    if since is not None:
        query = query.where(PlanRevisionRow.recorded_at >= since)
    query = query.order_by(PlanRevisionRow.recorded_at, PlanRevisionRow.id)
    return [
        Revision(
            entity=r.entity,
            code=r.code,
            kind=r.kind,
            field=r.field,
            before=r.before,
            after=r.after,
            recorded_at=r.recorded_at,
            plan_path=r.plan_path,
            id=r.id,
        )
        for r in session.scalars(query)
    ]


def states_on(session: Session, programme_id: str, as_of: date) -> dict[str, StateRecord]:
    """Each item's state as recorded on or before ``as_of``."""
    rows = latest_states(session, programme_id, as_of, inclusive=True)
    return {record.item_id: record for record, _ in sorted(rows, key=lambda p: p[0].item_id)}
