"""`regie update-sheet`: the open items as a spreadsheet for owners to fill in.

The office sends the file out (per organisation, or to one contact), the owners fill in the
answer columns, and `regie import-updates` reads the same file back: the reference columns
(:data:`REFERENCE`) are skipped there, and so are rows left unanswered. Written for Excel as
Dutch offices use it: ``;`` between cells and a byte-order mark, so it opens as UTF-8 in columns.

Above the header row is one line for the owners (:func:`notice`, the answer form's hint): who
reads a note, and to leave personal data out of it. The import skips it
(:func:`regie.answer_import.read_rows`: a row with only its first cell filled, before the header).
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import TYPE_CHECKING, Any

from governance.characters import displayable
from regie.answer_import import REFERENCE  # columns for the reader only: import skips them
from regie.bootstrap import App
from regie.errors import InvalidInput

if TYPE_CHECKING:
    from governance.plan import Plan

#: The columns an owner fills in, by their Dutch names (walk57a 6), which `regie
#: import-updates` reads as ``forecast``, ``completed_on`` and ``note`` (it takes those too).
ANSWER = ("status", "prognose", "gereed op", "toelichting", "contact")
HEADER = ("item", *REFERENCE, *ANSWER)

_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def update_sheet(
    app: App,
    as_of: date | None,
    *,
    owner: str | None = None,
    step: int | None = None,
    contact_id: str | None = None,
) -> tuple[bytes, int]:
    """The sheet (bytes, UTF-8 with BOM) and its number of item rows. ``contact_id``: only the
    items that contact may answer for, their id in the ``contact`` column; with ``owner``
    alone, that organisation's one contact, if it has only one (:func:`sole_contact`)."""
    from governance.answers import Answerer, contact, may_answer
    from governance.item_start import asked_about
    from regie.services import status_rows

    plan = app.load_plan(None)
    who = None
    if contact_id is None and owner is not None:
        contact_id = sole_contact(plan, owner)
    if contact_id is not None:
        person = contact(plan, contact_id)
        if person is None:
            known = ", ".join(c.id for c in plan.contacts) or "none"
            raise InvalidInput(f"--contact: {contact_id!r} is not a contact in the plan ({known})")
        who = Answerer(person.id, person.name)
    # The office's own sheet (neither --owner nor --contact) quotes every note; a sheet for an
    # organisation or a contact only the notes its reader may read (review54c 3).
    office = owner is None and who is None
    _, rows = status_rows(app, as_of, step=step, owner=owner, sources=not office)
    deadlines = {d.item_id: d for d in plan.deadlines()}
    actions = {a.id: a.title for a in plan.actions()}
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    # As wide as the header, as Excel saves it: the ";" also tell the reader the delimiter.
    writer.writerow((notice(plan), *[""] * (len(HEADER) - 1)))
    writer.writerow(HEADER)
    count = 0
    for row in rows:
        if not asked_about(row["state"], row["not_started"]):
            # Finished, or ongoing work before its start: no owner is asked about it (yet), as
            # in a status round (:func:`governance.item_start.not_started`, walk54 8).
            continue
        item = deadlines.get(row["id"])
        if who is not None and (item is None or may_answer(plan, who, item) is not None):
            continue
        reference = (
            f"{row['action_id']} {actions.get(row['action_id'], '')}".strip(),
            row["title"],
            ", ".join(plan.owner_names(row["owners"])),  # as every reader sees them
            row["gereed"] or "",
            row["due"] or "",
            _latest(row["latest_update"], _withheld(plan, row, contact_id, office=office)),
        )
        answer = ("", "", "", "", contact_id or "")
        writer.writerow((row["id"], *(_inert(v) for v in reference), *answer))
        count += 1
    return out.getvalue().encode("utf-8"), count


def sole_contact(plan: Plan, owner: str) -> str | None:
    """The id of ``owner``'s one contact (:meth:`Plan.answering_for`), when it has exactly one
    and that one is not the office's: ``--owner ORG``'s sheet then goes to that person, so it is
    theirs, as with ``--contact`` (their id in the ``contact`` column, the notes they read), and
    an answer typed into it is recorded as theirs, not as the office's (review54b 6)."""
    answering = plan.answering_for(owner)
    if len(answering) != 1 or answering[0].programme_office:
        return None
    return answering[0].id


def notice(plan: Plan) -> str:
    """The sheet's first line (Dutch, one line): who reads a note (the plan's words for the
    office, the meeting papers of the plan's steering body by its name); no personal data."""
    from governance.office_names import office_names
    from governance.reminders import steering_body
    from regie.texts import text

    body = steering_body(plan)
    return text(
        "privacy/update_sheet_note.txt.j2",
        office=office_names(plan.programme),
        body=body.name if body is not None else None,
    )


def _latest(update: dict[str, Any] | None, withheld: str | None = None) -> str:
    """The latest update in one cell: ``risico (2016-03-03): de tekst``; a note the sheet's
    contact may not read as ``withheld`` says (:func:`_withheld`)."""
    if update is None:
        return ""
    from governance.labels import state_label

    text = f"{state_label(update['status'])} ({update['reported_on']})"
    comment = " ".join((update.get("comment") or "").split())
    if comment and withheld:
        return f"{text}. {withheld}"
    return f"{text}: {comment}" if comment else text


def _withheld(plan: Plan, row: dict[str, Any], reader: str | None, *, office: bool) -> str | None:
    """What a sheet says instead of the latest update's note on ``row``'s item when its reader
    may not read it ("Who reads a note": :func:`regie.note_readers.may_read`, as the answer
    pages and the messages): contact ``reader``, or for ``--owner`` alone (None) an
    organisation's contacts, who read as a colleague does (the office's words, no person's
    note). None when the note is theirs to read, or the sheet is the office's own
    (``office``: neither ``--owner`` nor ``--contact``)."""
    update = row["latest_update"]
    if office or update is None or not update.get("comment"):
        return None
    from governance.office_names import office_names
    from governance.updates import StatusUpdate, UpdateStatus
    from notifications.words import note_withheld
    from regie.note_readers import may_read

    record = StatusUpdate(  # who wrote it, as far as the record tells: all the rule reads
        row["id"],
        UpdateStatus(update["status"]),
        date.fromisoformat(update["reported_on"]),
        author=update.get("author"),
        source=update["source"],
    )
    if may_read(plan, record, reader):
        return None
    return note_withheld(office_names(plan.programme).the)


def _inert(value: str) -> str:
    """A reference cell Excel will not run as a formula (titles and owners' comments are text
    from people): a leading ``'`` is how Excel itself marks a cell as text. Control and
    direction-changing characters (a note stored before they were refused) show as U+FFFD."""
    value = displayable(value)
    return f"'{value}" if value.startswith(_FORMULA) else value
