"""`regie import-updates FILE.csv`: answers an office collected in a spreadsheet.

Columns (header row required, any order, ``,`` or ``;`` separated, UTF-8 with or without BOM):

- ``item`` (required): milestone or action id;
- ``status`` (required): ``on_track``, ``at_risk``, ``done`` or ``cancelled``;
- ``prognose`` (or ``forecast``), ``gereed op`` (or ``completed_on``): ISO dates
  ``YYYY-MM-DD``, may be empty;
- ``toelichting`` (or ``note``): free text, stored verbatim — a cell that looks like a formula
  (``=``, ``+``, ``-``, ``@``) is kept as the text it is, never evaluated or stripped;
- ``contact``: who answered (a contact id from the plan); empty, the plan's own name for the
  office (``programme.office_name``, any case) or ``programmabureau``: the programme office.

The sheet `regie update-sheet` writes reads back as it is: its notice line above the header (and
any row before the header with only its first cell filled) is skipped, its reference columns
(:data:`REFERENCE`) are skipped, a row whose answer cells are empty is an item left unanswered
(skipped, counted; a sheet sent back with no answer at all records nothing and says so, which is
not an error — only a file without rows is), the status may be its Dutch label (``op schema``,
``risico``, ``gereed``, ``vervallen``) and a date may be written the Dutch way (``1-9-2025``,
``01-09-2025``), as Excel saves it in a Dutch locale. A row naming an id the plan renumbered
since the sheet was made (``formerly``) is recorded under the new id, and the summary says so:
a sheet comes back days after it went out (review55b 5). So is a ``gereed (plan)`` the item had
before a decision or a plan edit moved it since the sheet was made (walk56a 5).

A file imported before is refused first, before its rows are checked (walk56a 9). A corrected
copy of a sheet records only its changed rows: a row already on record for that item and day is
skipped, and a changed row of an earlier import corrects that update while it is still the item's
latest (:mod:`regie.import_repeats`, walk56a 4).

The same rules as every channel (:func:`regie.answers.check_answer`). Every row is checked before
anything is stored; one bad row stores nothing, and every problem is one ``FILE:LINE: message``.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from regie.bootstrap import App
from regie.errors import InvalidInput

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from governance.plan import Deadline, Plan
    from governance.sheet_rows import FormerGereed
    from governance.updates import StatusUpdate
    from regie.answers import Prepare, Recorded
    from regie.import_repeats import FormerGereeds

COLUMNS = ("item", "status", "forecast", "completed_on", "note", "contact")
#: The Dutch names of the answer columns (walk57a 6), as `regie update-sheet` writes them; a
#: header may use either name of a column (a sheet written before them still imports).
DUTCH = {"prognose": "forecast", "gereed op": "completed_on", "toelichting": "note"}
#: Every column name a header may use: the Dutch ones first, as the sheet has them.
KNOWN = ("item", "status", *DUTCH, "contact", "forecast", "completed_on", "note")
#: Columns of `regie update-sheet` for the reader only: accepted and skipped.
#: Named so that nobody takes them for answers ("gereed" is also a status; "stand" next to
#: "status" drew answers that were then skipped); ``titel`` and ``gereed (plan)`` are checked
#: against the plan (an id Excel changed, an answer typed where it is not read).
REFERENCE = ("actie", "titel", "eigenaar", "gereed (plan)", "deadline", "laatste update (ter info)")
REQUIRED = ("item", "status")
#: The answer columns as the sheet names them (Dutch), for the messages that list them.
SHEET = ("item", "status", *DUTCH, "contact")
GEREED = "gereed (plan)"
_ANSWERED = ("status", "forecast", "completed_on", "note")  # any of them: the row is an answer
MAX_ROWS = 10_000
#: The largest file read at all: 10,000 rows with a 2,000-character note each, quoted, in
#: UTF-8, fit with room. Checked before a byte is read: a wrong file of gigabytes must not take
#: the machine's memory (≈ 7× its size once decoded and parsed, walk57b 2).
MAX_FILE_BYTES = 64 * 1024 * 1024


def import_updates(app: App, path: Path, as_of: date, *, again: bool = False) -> str:
    """Check every row, then store them all in one transaction with a record of the import
    (the file's SHA-256 and the updates made). A file whose content was imported before is
    refused in one line naming that import, unless ``again``."""
    from dataclasses import replace

    from governance.answers import (
        OFFICE,
        Answerer,
        AnswerInput,
        contact,
        names_office,
        office_keywords,
    )
    from regie.answers import (
        AnswerRefused,
        backdated_note,
        check_answer,
        office_note,
        unpublished_note,
    )
    from regie.import_repeats import (
        Change,
        FormerGereeds,
        Repeat,
        changed_items,
        changes_note,
        correcting_rows,
        on_record,
        refuse_repeat,
        repeats_note,
        split_repeats,
    )

    plan = app.load_plan()
    if not again and path.is_file():  # the cheaper, truer answer first (walk56a 9)
        with app.session() as session:
            refuse_repeat(session, plan.programme.id, path, file_sha256(path))
    rows, named = read_rows(path)
    planned = {d.item_id: _planned(d) for d in plan.deadlines()}
    formers = FormerGereeds(app, plan)
    regereed: dict[int, tuple[str, FormerGereed]] = {}  # line → item, the gereed it had
    moved = _renumbered(app, plan, {r.get("item", "").strip() for _, r in rows} - planned.keys())
    followed: dict[str, str] = {}  # old id → new id, for the rows recorded under the new one
    problems: list[str] = []
    updates = []
    unanswered = 0
    first_line: dict[str, int] = {}  # item → the line that answered it
    unsigned: list[int] = []  # lines whose note names no contact: stored as the office's
    for line, row in rows:
        where = f"{path}:{line}"
        item_id = row.get("item", "").strip()
        renumbered = moved.get(item_id)
        if renumbered is None:
            former = _former_gereed(row, planned.get(item_id), formers, item_id)
            bad = _changed_reference(row, planned.get(item_id), former=former)
        else:  # the sheet names the item as it was: its old title is its title too
            new = renumbered.new
            former = _former_gereed(row, planned[new], formers, new, item_id)
            bad = _changed_reference(row, planned[new], renumbered.title, former=former)
            item_id = renumbered.new
        if former is not None and not bad:
            regereed[line] = (item_id, former)
        if not any(row.get(name, "").strip() for name in _ANSWERED):
            if bad:
                problems.extend(f"{where}: {b}" for b in bad)
            else:
                unanswered += 1  # an item of the sheet nobody answered: nothing to record
            continue
        status = _status(row.get("status", ""))
        if status and status not in _STATUS_KEYS:
            bad.append(
                f"status: {row['status'].strip()[:40]!r} is not a status (use op schema, risico, "
                "gereed or vervallen; or on_track, at_risk, done, cancelled)"
            )
        forecast = _date(row.get("forecast", ""), named["forecast"], bad)
        completed_on = _date(row.get("completed_on", ""), named["completed_on"], bad)
        for name in REQUIRED:
            if not row.get(name, "").strip():
                bad.append(f"{name}: empty")
        who = OFFICE
        contact_id = row.get("contact", "").strip()
        # As `regie update --author`: a contact id, else the office by the plan's own name
        # for it (any case) or ``programmabureau``; a contact's id wins over an office word.
        person = contact(plan, contact_id) if contact_id else None
        if person is not None:
            who = Answerer(person.id, person.name)
        elif contact_id and not names_office(plan, contact_id):
            words = " or ".join(repr(w) for w in office_keywords(plan))
            bad.append(
                f"contact: {contact_id!r} is not a contact in the plan (or empty, or {words} "
                "for the office)"
            )
        if bad:
            problems.extend(f"{where}: {b}" for b in bad)
            continue
        answer = AnswerInput(
            item_id=item_id,
            status=status,
            forecast=forecast,
            completed_on=completed_on,
            note=row.get("note") or None,
        )
        try:
            update = replace(check_answer(plan, answer, who, as_of), source="import")
            if item_id in first_line:  # two answers the same day: which one holds?
                problems.append(
                    f"{where}: {item_id} is answered on line {first_line[item_id]} too: one "
                    "answer each"
                )
            else:
                first_line[item_id] = line
                updates.append(update)
                if renumbered is not None:
                    followed[row["item"].strip()] = item_id
                if update.comment and not contact_id:
                    unsigned.append(line)
        except AnswerRefused as exc:
            if exc.problems:
                problems.extend(
                    f"{where}: {named.get(p.field, p.field)}: {p.en}" for p in exc.problems
                )
            else:
                problems.append(f"{where}: {exc.lines[0]}")
    if problems:
        n = len(problems)
        raise InvalidInput(
            *problems, f"{path}: nothing imported ({n} problem{'' if n == 1 else 's'})"
        )
    if not updates and not unanswered:
        raise InvalidInput(f"{path}: no rows to import (only a header row)")
    if not updates:  # a sheet sent back with nothing filled in: not an error, nothing to store
        return f"{path}: nothing recorded: {_rows(unanswered)} without an answer"
    record = on_record(app, plan, set(first_line))
    repeats: list[Repeat] = []
    if not again:  # a corrected copy of a sheet: its unchanged rows are on record already
        updates, repeats = split_repeats(updates, first_line, record)
    changes: list[Change] = []
    fixing = correcting_rows(plan, changed_items(updates, record), changes)
    skipped = f"; {_rows(unanswered)} without an answer skipped" if unanswered else ""
    notes = [repeats_note(repeats, record.imports, as_of)] if repeats else []
    if not updates:
        return "\n".join([f"{path}: nothing recorded for {as_of}{skipped}", *notes])
    recorded = _store_once(app, plan, path, updates, as_of, again=again, prepare=fixing)
    n = len(updates)
    done = f"{path}: {n} update{'' if n == 1 else 's'} recorded for {as_of}{skipped}"
    notes += changes_note(changes, first_line, record.imports)
    notes += [n for n in (backdated_note(recorded), unpublished_note(recorded)) if n]
    if regereed:
        notes.append(_regereed_note(regereed, plan))
    if followed:
        moves = ", ".join(f"{old} as {new}" for old, new in followed.items())
        notes.append(f"renumbered since the sheet was made (formerly): recorded {moves}")
    unsigned = [line for line in unsigned if line not in {r.line for r in repeats}]
    if unsigned:
        notes.append(office_note(unsigned, "fill in the sheet's contact column"))
    return "\n".join([done, *notes])


_STATUS_KEYS = frozenset(("on_track", "at_risk", "done", "cancelled"))


def file_sha256(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:  # in blocks: the file is read again for its hash
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()
    except OSError as exc:  # read a moment ago: gone or unreadable meanwhile
        raise InvalidInput(f"{path}: cannot be read: {exc.strerror or exc}") from None


def _store_once(
    app: App,
    plan: Plan,
    path: Path,
    updates: list[StatusUpdate],
    as_of: date,
    *,
    again: bool,
    prepare: Prepare | None = None,
) -> list[Recorded]:
    """The updates and the import's record in one transaction; refused inside it when the same
    content was imported before (two clerks importing the same sheet at once: one wins).
    ``prepare``: completes each update before it is stored (a changed row's ``corrects``)."""
    from regie.answers import store_answers
    from regie.import_repeats import refuse_repeat
    from regie.reports import operator
    from store.reports_repo import ReportsRepository

    digest = file_sha256(path)
    ids: list[int] = []

    def keep(session: Session, stored: StatusUpdate) -> None:
        if not ids and not again:  # under the answers' write lock: one import of a sheet wins
            refuse_repeat(session, plan.programme.id, path, digest)
        assert stored.id is not None
        ids.append(stored.id)
        if len(ids) == len(updates):
            ReportsRepository(session, plan.programme.id).add_import(
                digest, path.name, as_of, ids, operator()
            )

    return store_answers(app, plan, updates, sync=True, within=keep, prepare=prepare)


class Renumbered(NamedTuple):
    """An old id's item as the plan has it now: its new id, and the title the old id had."""

    new: str
    title: str | None


def _renumbered(app: App, plan: Plan, ids: set[str]) -> dict[str, Renumbered]:
    """Each of ``ids`` (not in the plan) that the plan renumbered with ``formerly`` (following
    later renumberings too) to an item it has, as an old answer link is followed."""
    from governance.answers import find_item
    from store.answers import stored_title
    from store.sync_formerly import followed, renumbered_ids

    ids.discard("")
    if not ids:
        return {}
    out: dict[str, Renumbered] = {}
    with app.session() as session:
        moves = renumbered_ids(session, plan.programme.id)
        for old in ids & moves.keys():
            new = followed(moves, old)
            if new is not None and find_item(plan, new) is not None:
                out[old] = Renumbered(new, stored_title(session, plan.programme.id, old))
    return out


def _planned(item: Deadline) -> dict[str, str]:
    """The reference cells of `regie update-sheet` that come from the plan, as written there."""
    return {"titel": item.title, GEREED: item.gereed or ""}


def _changed_reference(
    row: dict[str, str],
    planned: dict[str, str] | None,
    title: str | None = None,
    *,
    former: FormerGereed | None = None,
) -> list[str]:
    """Reference cells that no longer say what the plan says: an id Excel changed (1.10 read as
    the number 1.1 names another item), or an answer typed where it is not read. ``title``:
    the item's title before it was renumbered, which a sheet made then names; ``former``: the
    gereed the item had when the sheet was made, which its ``gereed (plan)`` cell holds."""
    if planned is None:
        return []
    out = []
    for column, wanted in planned.items():
        cell, wanted = _cell_text(row.get(column, "")), " ".join(wanted.split())
        if column == "titel" and title is not None and cell == " ".join(title.split()):
            continue
        if column == GEREED and former is not None:
            continue
        if cell and cell != wanted and not _same_day(cell, wanted):
            hint = (
                "did the spreadsheet change the id?"
                if column == "titel"
                else "nor did it before: answers go in status, prognose, gereed op and toelichting"
            )
            out.append(
                f"{column}: {cell[:60]!r}, but the plan says {wanted[:60]!r} for "
                f"{row.get('item', '').strip()} ({hint})"
            )
    return out


def _former_gereed(
    row: dict[str, str],
    planned: dict[str, str] | None,
    formers: FormerGereeds,
    *ids: str,
) -> FormerGereed | None:
    """The item's earlier gereed its ``gereed (plan)`` cell holds (a decision or a plan edit
    moved it after the sheet was made: walk56a 5), the latest change away from it; None when
    the cell says what the plan says, or what the item never had."""
    if planned is None:
        return None
    cell, wanted = _cell_text(row.get(GEREED, "")), " ".join(planned[GEREED].split())
    if not cell or cell == wanted or _same_day(cell, wanted):
        return None
    return next(
        (
            f
            for f in reversed(formers.of(*ids))
            if cell == (text := " ".join(f.text.split())) or _same_day(cell, text)
        ),
        None,
    )


def _regereed_note(found: dict[int, tuple[str, FormerGereed]], plan: Plan) -> str:
    """One line for the rows whose ``gereed (plan)`` holds a gereed the item had before."""
    from governance.decisions import decision_label

    def why(f: FormerGereed) -> str:
        if f.decision is not None:
            return decision_label(plan, f.decision)
        return f"plan edited {f.edited_on}" if f.edited_on else "the plan's gereed_original"

    shown = ", ".join(
        f"line {line} ({item}) {f.text!r} → {f.now or 'geen datum'!r} ({why(f)})"
        for line, (item, f) in sorted(found.items())
    )
    return f"gereed (plan) changed since the sheet was made, accepted: {shown}"


def _same_day(cell: str, planned: str) -> bool:
    """A gereed written as a date that Excel saved the Dutch way (2016-03-01 → 1-3-2016)."""
    day = _as_date(cell)
    return day is not None and day == _as_date(planned)


def _cell_text(value: str) -> str:
    """A reference cell as the sheet wrote it: white space folded, Excel's text mark dropped."""
    text = " ".join(value.split())
    return text[1:] if text.startswith("'") else text


def _rows(n: int) -> str:
    return f"{n} row{'' if n == 1 else 's'}"


def _status(text: str) -> str:
    """The status key for a key or its Dutch label, in any case (else as written: refused by
    the answer's check with the known keys)."""
    from governance.labels import STATE_LABELS
    from governance.updates import UpdateStatus

    wanted = " ".join(text.split()).casefold()
    for status in UpdateStatus:
        if wanted in (status.value, STATE_LABELS[status.value].casefold()):
            return status.value
    return text.strip()


def read_rows(path: Path) -> tuple[list[tuple[int, dict[str, str]]], dict[str, str]]:
    """(line number, row) for every data row, keyed by the answer columns' own names, and those
    names as the sheet's header gives them; InvalidInput for an unreadable file or header."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InvalidInput(
                f"{path}: {size // (1024 * 1024)} MB, more than an update sheet can be (at most "
                f"{MAX_FILE_BYTES // (1024 * 1024)} MB: {MAX_ROWS} rows with a full note each): "
                "not read — is it the right file?"
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InvalidInput(f"{path}: no such file") from None
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read: {exc.strerror or exc}") from None
    if wrong := _not_text(raw):
        raise InvalidInput(f"{path}: {wrong}")
    try:
        # UTF-16 with its BOM is Excel's "Unicode-tekst" (tab-separated): read as it is.
        text = raw.decode("utf-16" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig")
    except UnicodeDecodeError:
        # Excel's plain "CSV" (not "CSV UTF-8") is Windows-1252 in a Dutch locale.
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise InvalidInput(
                f"{path}: neither UTF-8 nor Windows-1252 text ({exc.reason} at byte {exc.start}): "
                "save it as 'CSV UTF-8'"
            ) from None
    del raw  # the text is the copy read from here on
    end = text.find("\n")
    first = text if end < 0 else text[:end]  # not split(): that copies the rest of the text
    if not first.strip():
        raise InvalidInput(f"{path}:1: empty file: expected a header row ({', '.join(SHEET)})")
    delimiter = max((",", ";", "\t"), key=first.count)  # the most: Excel's Dutch ";", a tab
    if first.count(delimiter) == 0:
        delimiter = ","
    # StringIO with newline="": a quoted note may span lines and keeps its line breaks.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    problems: list[str] = []
    try:
        cells = next(reader)
        while _is_notice(cells):  # the update sheet's line for the owners (or the office's)
            cells = next(reader, [])
        at = reader.line_num
        if not any(c.strip() for c in cells):
            raise InvalidInput(f"{path}:{at}: expected a header row ({', '.join(SHEET)})")
        named = [" ".join(h.split()).lower() for h in cells]
        unknown = [h for h in named if h not in KNOWN and h not in REFERENCE]
        header = [DUTCH.get(h, h) for h in named]  # a Dutch name reads as the column it names
        missing = [c for c in REQUIRED if c not in header]
        problems += [
            f"{path}:{at}: unknown column {h!r} (known: {', '.join(KNOWN)})" for h in unknown
        ]
        problems += [f"{path}:{at}: missing column {c!r}" for c in missing]
        if len(set(header)) != len(header):
            twice = sorted({h for h in header if header.count(h) > 1})
            names = {h: [n for n in named if DUTCH.get(n, n) == h] for h in twice}
            said = "; ".join(
                " and ".join(repr(n) for n in dict.fromkeys(ns)) for ns in names.values()
            )
            problems.append(f"{path}:{at}: a column appears twice ({said})")
        if problems:
            raise InvalidInput(*problems)
        rows: list[tuple[int, dict[str, str]]] = []
        while True:
            line = reader.line_num + 1  # where the row starts: a quoted note may span lines
            values = next(reader, None)
            if values is None:
                break
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                problems.append(f"{path}:{line}: {len(values)} cells, the header has {len(header)}")
                continue
            rows.append((line, dict(zip(header, values, strict=True))))
            if len(rows) > MAX_ROWS:
                raise InvalidInput(f"{path}:{line}: more than {MAX_ROWS} rows")
    except csv.Error as exc:  # the problems of the rows before it still count
        from governance.answers import NOTE_MAX

        said = str(exc)
        if said.startswith("field larger than field limit"):  # the csv module's words
            said = (
                f"a cell of more than {csv.field_size_limit()} characters (a note is at most "
                f"{NOTE_MAX}): not an update sheet, or a cell not closed by its quote"
            )
        raise InvalidInput(*problems, f"{path}:{reader.line_num}: {said}") from None
    if problems:
        raise InvalidInput(*problems, f"{path}: nothing imported")
    # Each answer column by the name the sheet gave it, for the messages about its cells: an
    # office that typed in "prognose" is told about "prognose" (a column left out: the sheet's
    # name for it).
    sheet_name = {v: k for k, v in DUTCH.items()}
    said_as = {c: sheet_name.get(c, c) for c in COLUMNS}
    said_as.update((DUTCH.get(n, n), n) for n in named)
    return rows, said_as


#: What a file starts with when it is a workbook, not text (checked before it is decoded).
_WORKBOOKS = (
    (b"PK\x03\x04", "an Excel workbook (.xlsx) or another zip file"),
    (b"\xd0\xcf\x11\xe0", "an old Excel workbook (.xls)"),
)


def _not_text(raw: bytes) -> str | None:
    """Why ``raw`` is no CSV text an office can fix by saving again, else None (walk57b 6)."""
    for magic, what in _WORKBOOKS:
        if raw.startswith(magic):
            return (
                f"{what}, not a CSV file: in Excel, 'Opslaan als' → 'CSV UTF-8 (door komma's "
                "gescheiden)', then import that file"
            )
    return None


def _is_notice(cells: list[str]) -> bool:
    """A line of text above the header (`regie update-sheet` writes one: who reads a note):
    only its first cell filled, and not with a column's name."""
    first = cells[0].strip().lower() if cells else ""
    return (
        bool(first)
        and not any(c.strip() for c in cells[1:])
        and first not in KNOWN
        and first not in REFERENCE
    )


def _date(value: str, name: str, problems: list[str]) -> date | None:
    value = value.strip()
    if not value:
        return None
    day = _as_date(value)
    if day is None:
        problems.append(f"{name}: {value[:40]!r} is not a date (use YYYY-MM-DD or DD-MM-YYYY)")
    return day


def _as_date(value: str) -> date | None:
    """``YYYY-MM-DD``, or day first as Excel writes a date in a Dutch locale; None otherwise."""
    value = value.strip()
    try:
        if _ISO.fullmatch(value):
            return date.fromisoformat(value)
        dutch = _DUTCH.fullmatch(value)
        if dutch:
            day, month, year = (int(g) for g in dutch.groups())
            return date(year, month, day)
    except ValueError:
        pass
    return None


_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
_DUTCH = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})")
