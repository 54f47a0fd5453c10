"""The office's follow-up list as a CSV download, as filtered and sorted on the page
(``/opvolging.csv``; :mod:`regie.follow_up`)."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from regie.follow_up import FollowUp

#: The CSV's columns (Dutch: the office opens it in a spreadsheet), as the page's table names
#: them; dates as ISO dates a spreadsheet sorts.
CSV_HEADER = (
    "Nr", "Punt", "Stap", "Eigenaren", "Gevraagd aan", "Gevraagd sinds", "Laatst gevraagd",
    "Werkdagen zonder antwoord", "Herinneringen", "Statusrondes", "Geëscaleerd op",
    "Geëscaleerd aan",
)  # fmt: skip


def follow_up_csv(view: FollowUp) -> bytes:
    """Every row of the filtered follow-up list in its order (not only the page's), as the
    overdue list's CSV is made (UTF-8 with BOM, ``;``, CRLF): each text cell inert, so a title
    or name starting with ``=`` is not a formula (:func:`governance.agenda.inert`)."""
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
        c = r.chase
        rounds = ", ".join(
            f"{view.body_names.get(a.body, a.body)} ({a.answer_by.isoformat()})" for a in c.rounds
        )
        writer.writerow(
            (
                cell(c.item_id), cell(r.title), str(r.step), cell(", ".join(r.owner_names)),
                cell(", ".join(r.contact_names)), day(c.asked_since), day(c.last_asked),
                str(c.waiting_days), str(c.reminders), cell(rounds), day(c.escalated_on),
                cell(", ".join(r.escalated_to_names)),
            )
        )  # fmt: skip
    return out.getvalue().encode("utf-8")
