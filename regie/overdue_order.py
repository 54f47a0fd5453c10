"""The office's overdue list in the order asked for, and as a CSV download (walk57c 1).

Sorts (the ``sorteer=`` of ``/te-laat``): ``dagen``, the most working days late first (the
default); ``eigenaar``, by owner's name, each owner's longest late first; ``deadline``, the
earliest deadline first. Ties go by the plan's order of numbers (1.2 before 1.10).
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from governance.assessor import ItemAssessment
    from governance.plan import Plan
    from regie.office import OverdueView

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


#: The CSV's columns (Dutch: the office opens it in a spreadsheet), as the page's table names
#: them; *Deadline* and the dates as ISO dates a spreadsheet sorts.
CSV_HEADER = (
    "Nr", "Punt", "Stap", "Eigenaren", "Deadline", "Werkdagen te laat", "Gereed (plan)",
    "Verouderd", "Laatste toelichting", "Datum toelichting", "Prognose",
)  # fmt: skip
#: *Verouderd*: no recent status update (the page's "…, verouderd").
STALE_CELLS = {True: "ja", False: "nee"}


def overdue_csv(view: OverdueView) -> bytes:
    """Every row of the filtered overdue list in its order (not only the page's), as the
    decisions' CSV is made (UTF-8 with BOM, ``;``, CRLF): each text cell inert, so a title or
    note starting with ``=`` is not a formula (:func:`governance.agenda.inert`)."""
    from governance.agenda import inert

    def cell(value: str | None) -> str:
        return inert(value) or ""

    def day(value: date | None) -> str:
        return value.isoformat() if value else ""

    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for r in view.everything:
        step = view.step_of.get(r.id)
        writer.writerow(
            (
                cell(r.id), cell(r.title), "" if step is None else str(step),
                cell(", ".join(r.owner_names)), day(r.due), str(r.overdue_days),
                cell(r.gereed), STALE_CELLS[r.stale], cell(r.note),
                day(r.reported_on if r.note else None), day(r.forecast),
            )
        )  # fmt: skip
    return out.getvalue().encode("utf-8")
