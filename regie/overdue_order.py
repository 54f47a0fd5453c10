"""The office's overdue list in the order asked for (walk57c 1; the CSV: regie.overdue_csv).

Sorts (the ``sorteer=`` of ``/te-laat``): ``dagen``, the most working days late first (the
default); ``eigenaar``, by owner's name, each owner's longest late first; ``deadline``, the
earliest deadline first. Ties go by the plan's order of numbers (1.2 before 1.10).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from governance.assessor import ItemAssessment
    from governance.plan import Plan

SORTS = ("dagen", "eigenaar", "deadline")


def parse_sort(text: str) -> str | None:
    """The sort asked for (empty: the default ``dagen``); None for an unknown one."""
    if not text:
        return SORTS[0]
    return text if text in SORTS else None


def _number(item_id: str) -> tuple[tuple[int, str], ...]:
    """An item id as the plan orders it: 1.2.3 before 1.10.1 (a part that is no number, after)."""
    return tuple((int(p), "") if p.isdigit() else (1 << 30, p) for p in item_id.split("."))


def sorted_late(items: list[ItemAssessment], sort: str, plan: Plan) -> list[ItemAssessment]:
    """``items`` in the order ``sort`` names (:data:`SORTS`)."""

    def late_first(i: ItemAssessment) -> tuple[object, ...]:
        return (-i.working_days_overdue, i.due or date.max, _number(i.item_id))

    if sort == "eigenaar":

        def by_owner(i: ItemAssessment) -> tuple[object, ...]:
            names = ", ".join(plan.owner_names(i.owners)).casefold()
            return (names == "", names, *late_first(i))

        return sorted(items, key=by_owner)
    if sort == "deadline":
        return sorted(items, key=lambda i: (i.due or date.max, *late_first(i)))
    return sorted(items, key=late_first)
