"""The office's overdue list as a CSV download, as filtered and sorted on the page (walk57c 1;
``/te-laat.csv``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from regie.office import ItemRow, OverdueView

#: The CSV's columns (Dutch: the office opens it in a spreadsheet), as the page's table names
#: them; *Deadline* and the dates as ISO dates a spreadsheet sorts.
CSV_HEADER = (
    "Nr", "Punt", "Stap", "Eigenaren", "Deadline", "Werkdagen te laat", "Gereed (plan)",
    "Verouderd", "Laatste toelichting", "Datum toelichting", "Prognose",
)  # fmt: skip
#: *Verouderd*: no recent status update (the page's "…, verouderd").
STALE_CELLS = {True: "ja", False: "nee"}


def overdue_csv(view: OverdueView) -> bytes:
    """Every row of the filtered overdue list in its order (not only the page's)
    (:func:`regie.sheet_csv.sheet`)."""
    from regie.sheet_csv import cell, day, sheet

    def row(r: ItemRow) -> tuple[str, ...]:
        step = view.step_of.get(r.id)
        return (
            cell(r.id), cell(r.title), "" if step is None else str(step),
            cell(", ".join(r.owner_names)), day(r.due), str(r.overdue_days),
            cell(r.gereed), STALE_CELLS[r.stale], cell(r.note),
            day(r.reported_on if r.note else None), day(r.forecast),
        )  # fmt: skip

    return sheet(CSV_HEADER, map(row, view.everything))
