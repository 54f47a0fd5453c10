"""`regie meeting|decision|indicator|report …`: governance bodies' meetings, decisions, indicators
and the generated reports (agenda pack, progress report, archive)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, time
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from regie.cli.common import AsOfOpt, Format, FormatOpt, _app, command_group, parse_date
from regie.errors import InvalidInput

if TYPE_CHECKING:
    from regie.bootstrap import App
    from regie.decisions import DecisionRow
    from regie.reports import Rendered

meeting_app = command_group(
    help="Meetings of the plan's governance bodies.",
    no_args_is_help=True,
)
decision_app = command_group(
    help="Decisions of governance bodies.",
    no_args_is_help=True,
)
indicator_app = command_group(
    help="Indicators of the plan's goals.",
    no_args_is_help=True,
)
report_app = command_group(
    help="Agenda packs, progress reports and the report archive.",
    no_args_is_help=True,
)

BodyOpt = Annotated[str, typer.Option("--body", help="Governance body id, e.g. stuurgroep.")]
ReportFormat = Annotated[
    str,
    typer.Option(
        "--format", "-f",
        help="html | pdf | md | docx, or several: html,pdf (one run; --out then names the "
        "files, each with its own suffix). Default: the --out file's suffix (.pdf, .md, "
        ".docx, .html), else html; a single format whose suffix --out contradicts is refused.",
    ),
]  # fmt: skip
OutOpt = Annotated[
    Path | None, typer.Option("--out", "-o", help="Write here (default: standard output).")
]
RecordedUntilOpt = Annotated[
    str | None,
    typer.Option(
        "--recorded-until",
        help="Only the records recorded up to this moment, ISO 8601 (e.g. "
        "2026-12-04T03:10:35+00:00; without an offset: UTC). The report is then made again as "
        "it stood then, and not archived.",
    ),
]


def _required_date(value: str, option: str) -> date:
    day = parse_date(value, option)
    assert day is not None
    return day


def _time(value: str | None) -> time | None:
    if value is None:
        return None
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"--time: {value!r} is not a time (use HH:MM)") from None


def _write(content: bytes, out: Path | None, fmt: str, *, own_name: bool = False) -> None:
    """Write to ``out`` (standard output when None). ``own_name``: a file Regie named (an annex
    beside ``--out``), which replaces what is there rather than writing through it."""
    if out is None:
        if fmt in ("pdf", "docx") and sys.stdout.isatty():
            raise InvalidInput(f"--format {fmt} is binary: give --out PATH")
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
        return
    from store.files import replace_private, write_private

    try:
        if own_name:
            replace_private(out, content)
        else:
            write_private(out, content)  # a new file 0600: a pack names owners and their notes
    except OSError as exc:
        raise InvalidInput(f"--out: cannot write {out}: {exc.strerror or exc}") from None


# --- meetings ------------------------------------------------------------------------------


@meeting_app.command("list")
def meeting_list(
    body: Annotated[str | None, typer.Option("--body", help="Only this body.")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """List meetings: the plan's dates and rule, and one-off meetings from the database."""
    from governance.labels import id_label
    from regie.cli.tables import print_json
    from regie.reports import meetings

    app_ = _app()
    plan = app_.load_plan()
    names = {b.id: b.name for b in plan.governance}
    found = meetings(app_, body, plan=plan)
    rows = [
        {
            "body": m.body_id,
            "body_name": names.get(m.body_id, m.body_id),
            "date": m.on.isoformat(),
            "time": m.time.strftime("%H:%M") if m.time else None,
            "location": m.location,
            "source": m.source,
            "note": m.note,
        }
        for m in found
    ]
    if fmt == Format.json:
        print_json(rows)
        return
    # The body by name with the id --body takes (walk32a 12), one column as wide as the longest.
    labels = [id_label(m.body_id, names.get(m.body_id, m.body_id)) for m in found]
    width = max((len(label) for label in labels), default=0)
    for r, label in zip(rows, labels, strict=True):
        note = f" — {r['note']}" if r["note"] else ""
        typer.echo(
            f"{r['date']}  {r['time'] or '     '}  {label:<{width}}  {r['source']:<4}  "
            f"{r['location'] or ''}{note}".rstrip()
        )
    if not rows:
        typer.echo("no meetings")


@meeting_app.command("add")
def meeting_add(
    body: Annotated[str, typer.Argument(help="Governance body id.")],
    on: Annotated[str, typer.Argument(help="Meeting date YYYY-MM-DD.")],
    at: Annotated[str | None, typer.Option("--time", help="Start time HH:MM.")] = None,
    location: Annotated[str | None, typer.Option(help="Where the body meets.")] = None,
    note: Annotated[str | None, typer.Option(help="Why (e.g. extra vergadering).")] = None,
    allow_day_off: Annotated[
        bool,
        typer.Option(
            "--allow-day-off",
            help="Add it on a weekend day or public holiday (the plan's calendar) too.",
        ),
    ] = False,
) -> None:
    """Add a one-off meeting (stored in the database, not in the plan file). A weekend day or
    public holiday is refused unless --allow-day-off."""
    from regie.reports import add_meeting

    day = _required_date(on, "DATE")
    warnings: list[str] = []
    added = add_meeting(
        _app(), body, day, _time(at), location, note, allow_day_off=allow_day_off,
        warnings=warnings,
    )  # fmt: skip
    typer.echo(added)
    for warning in warnings:
        typer.echo(warning, err=True)


@meeting_app.command("prepare")
def meeting_prepare(
    as_of: AsOfOpt = None,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Start, archive, queue and send nothing: say what is due."),
    ] = False,
) -> None:
    """Start the status rounds and queue the agenda packs due as of a day, then send: what the
    prepare-meeting deployment does each day. `regie cycle` does it too (on a Prefect server
    its daily-cycle flow); a day run twice queues nothing new."""
    from regie.cli.summaries import print_meetings, print_resend
    from regie.cycle import send_reminders
    from regie.locks import cycle_lock
    from regie.prepare import prepare_meetings
    from regie.services import today

    app_ = _app()
    app_.settings.refuse_unusable_key()  # a round it starts sends answer links: before migrating
    if not dry_run:
        app_.settings.refuse_local_links()
    plan = app_.load_plan()
    app_.ensure_schema()
    day = parse_date(as_of, "--as-of") or today(app_, plan)
    with cycle_lock(app_.settings.home, "meeting preparation"):
        report = prepare_meetings(app_, day, plan=plan, dry_run=dry_run)
        typer.echo(f"{plan.programme.title} — meetings per {day}{' (dry run)' if dry_run else ''}")
        print_meetings(report.summary())
        if dry_run:  # after a restore: what was sent before (regie.resend)
            from regie.resend import sent_before

            print_resend(sent_before(app_, report.queued_keys()), app_)
        else:
            sent = send_reminders(app_)
            typer.echo(f"{sent.channel}: {len(sent.sent)} sent, {len(sent.failed)} failed")


# --- reports -------------------------------------------------------------------------------


def _check_out(out: Path | None) -> None:
    """Fail on an unwritable ``--out`` before any work: a report is archived as it is made, and a
    PDF takes seconds, so a typo in the folder must not cost either."""
    if out is None:
        return
    folder = out.parent
    if not folder.is_dir():
        raise InvalidInput(f"--out: cannot write {out}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InvalidInput(f"--out: cannot write {out}: folder {folder} is not writable")
    if out.exists() and not out.is_dir() and not os.access(out, os.W_OK):
        raise InvalidInput(f"--out: cannot write {out}: the file is read-only")
    if out.is_dir():
        raise InvalidInput(f"--out: {out} is a folder: give a file name, e.g. {out / 'pack'}")


def report_formats(fmt: str, out: Path | None) -> tuple[str, ...]:
    """The formats asked for: ``--format``'s, else the one ``--out``'s suffix names, else html.
    A single format written to a file whose suffix names another is refused: a file named
    ``pack.docx`` holding HTML is one Word cannot open (walk57c 8)."""
    from regie.reports import check_formats

    named = _suffix_format(out)
    if not fmt:
        return (named or "html",)
    fmts = check_formats(fmt)
    if len(fmts) > 1 and out is None:
        raise InvalidInput("--format with several formats: give --out PATH (suffix per format)")
    if out is not None and len(fmts) == 1 and named is not None and named != fmts[0]:
        raise InvalidInput(
            f"--out {out}: the suffix .{named} does not match --format {fmts[0]}: name the file "
            f"{out.with_suffix('.' + fmts[0]).name} or give --format {named}"
        )
    return fmts


def _suffix_format(out: Path | None) -> str | None:
    """The format ``--out``'s suffix names (``.PDF`` too), None for any other suffix."""
    if out is None:
        return None
    suffix = out.suffix[1:].lower()
    return suffix if suffix in FORMAT_SUFFIXES else None


def _out_path(out: Path, fmt: str, several: bool) -> Path:
    """``--out pack.pdf`` as given for one format; for several, pack.html, pack.pdf …"""
    if not several:
        return out
    return (
        out.with_suffix(f".{fmt}")
        if out.suffix[1:] in FORMAT_SUFFIXES
        else out.with_name(f"{out.name}.{fmt}")
    )


FORMAT_SUFFIXES = ("html", "md", "pdf", "docx")


def _written(path: Path, rendered: Rendered) -> str:
    where = (
        f"archief {rendered.archive_id}"
        if rendered.archive_id is not None
        else "not archived: a rebuild from the records up to --recorded-until"
    )
    return f"{path}: {rendered.title}, sha256 {rendered.sha256} ({where})"


def _write_rendered(documents: list[Rendered], out: Path | None) -> None:
    """Write each document (and its attachments next to it) and say where, with hash and id."""
    several = len(documents) > 1
    for rendered in documents:
        path = None if out is None else _out_path(out, rendered.format, several)
        _write(rendered.content, path, rendered.format)
        if path is not None:
            typer.echo(_written(path, rendered))
        for extra in rendered.attachments:
            if path is not None and extra.name:
                _write(extra.content, path.parent / extra.name, extra.format, own_name=True)
                typer.echo(_written(path.parent / extra.name, extra))
            else:
                typer.echo(
                    f"{extra.name}: {extra.title} (archief {extra.archive_id}; write it with "
                    f"`regie report show {extra.archive_id} --out {extra.name}`)",
                    err=True,
                )


PDF_TEMPLATES = {"agenda": "agenda.html.j2", "voortgang": "voortgang.html.j2"}


@contextmanager
def pdf_worker_ahead(argv: Sequence[str]) -> Iterator[None]:
    """``regie report agenda|voortgang --format …pdf…``: the PDF's worker process is started
    before Typer builds and parses the command line (≈ 0.25 s it can spend importing), and
    closed at the end if the command never took it over (a usage error, --help)."""
    template = PDF_TEMPLATES.get(argv[1]) if len(argv) > 1 and argv[0] == "report" else None
    asked = _option_argument(argv, "--format", "-f")
    if not asked and (out := _option_argument(argv, "--out", "-o")):
        asked = _suffix_format(Path(out)) or ""  # --out's suffix chooses (report_formats)
    if template is None or "pdf" not in asked.split(","):
        yield
        return
    from regie.pdf_worker import close_pdf_workers, start_pdf_worker

    start_pdf_worker(template)
    try:
        yield
    finally:
        close_pdf_workers()


def _option_argument(argv: Sequence[str], long: str, short: str) -> str:
    """The value of the last ``long``/``short`` option in ``argv`` as Click reads it; "" if
    none."""
    value = ""
    for n, arg in enumerate(argv):
        if arg == "--":
            break
        if arg in (long, short) and n + 1 < len(argv):
            value = argv[n + 1]
        elif arg.startswith(f"{long}="):
            value = arg.partition("=")[2]
        elif arg.startswith(short) and not arg.startswith("--") and len(arg) > 2:
            value = arg[2:]
    return value


def _refuse_future(app_: App, day: date, flag: str = "--as-of") -> None:
    """A report is archived as the record of its day: one for a day that has not come would be
    a forecast kept as a record. A simulation (REGIE_SIMULATE) may look ahead."""
    from regie.services import simulation_hint, today

    now = today(app_)
    if day > now and not app_.settings.simulate:
        hint = simulation_hint(app_, app_.programme_id(), now, "a report")
        raise InvalidInput(
            f"{flag} {day} is after today ({now}): a report is archived as the record of its "
            f"day; make it on that day, or leave out --as-of for today's{hint}"
        )


@report_app.command("agenda")
def report_agenda(
    body: BodyOpt,
    meeting: Annotated[str, typer.Option("--meeting", help="Meeting date YYYY-MM-DD.")],
    as_of: AsOfOpt = None,
    fmt: ReportFormat = "",
    out: OutOpt = None,
    recorded_until: RecordedUntilOpt = None,
) -> None:
    """The agenda pack for one meeting (archived with its content hash, the plan's hash, the
    maker and the data cut-off). A PDF names its annex, the full table of items, a separate
    HTML file written next to it. Its decision list starts where the last pack ended, sent
    or made by hand before its meeting, as the daily run's would (after meetings that had no
    pack: said on stderr)."""
    from regie.prepare import pack_decisions_from
    from regie.reports import agenda_formats, body_or_fail, parse_recorded_until
    from regie.services import today

    fmts = report_formats(fmt, out)
    cut = parse_recorded_until(recorded_until)
    _check_out(out)
    app_ = _app()
    day = parse_date(as_of, "--as-of") or today(app_)
    if cut is None:
        _refuse_future(app_, day)
    meeting_on = _required_date(meeting, "--meeting")
    plan = app_.load_plan()
    # As of a cut-off: the packs, the outbox and the daily run as they stood then (walk57a 1),
    # so the pack is made again as it stood then.
    start = pack_decisions_from(app_, plan, body_or_fail(plan, body), meeting_on, cut)
    if start is not None:
        typer.echo(
            f"decision list from {start.isoformat()}: no agenda pack was made in Regie "
            "before the meetings after it",
            err=True,
        )
    rendered = agenda_formats(
        app_, body, meeting_on, day, fmts, background=True,
        recorded_until=cut, archive=cut is None, plan=plan, decisions_from=start,
    )  # fmt: skip
    now = today(app_)  # after the meeting was checked: no note before a refusal
    if cut is None and meeting_on < now:
        # Made afterwards for the record: allowed, but said (walk32a 10).
        typer.echo(
            f"note: the {body} meeting of {meeting_on.isoformat()} has passed (today is "
            f"{now.isoformat()}); the pack is archived as of {day.isoformat()}",
            err=True,
        )
    _write_rendered(rendered, out)


@report_app.command("list")
def report_list(fmt: FormatOpt = Format.table) -> None:
    """List archived reports with their content hash."""
    from regie.cli.tables import print_json
    from regie.reports import archived, unknown_copies

    app_ = _app()
    rows = archived(app_)
    lost = unknown_copies(app_, rows)
    if lost:
        # A database restored from an older backup: reports made since are only on disk.
        typer.echo(
            f"warning: {len(lost)} report file{'' if len(lost) == 1 else 's'} in "
            f"{app_.settings.home / 'archief'} not in the archive (made after the backup the "
            f"database was restored from?): {', '.join(lost[:5])}"
            + (f" and {len(lost) - 5} more" if len(lost) > 5 else ""),
            err=True,
        )
    if fmt == Format.json:
        print_json(
            [
                {
                    "id": r.id, "kind": r.kind, "format": r.format, "title": r.title,
                    "as_of": r.as_of.isoformat(), "sha256": r.sha256, "size": r.size,
                    "created_at": r.created_at.isoformat(), "parameters": r.parameters,
                    "plan_sha256": r.plan_sha256, "made_by": r.made_by, "made_via": r.made_via,
                    "data_until": r.data_until.isoformat() if r.data_until else None,
                }
                for r in rows
            ]
        )  # fmt: skip
        return
    for r in rows:
        typer.echo(f"{r.id:>4}  {r.as_of}  {r.format:<4}  {r.sha256[:16]}  {r.size:>8}  {r.title}")
    if not rows:
        typer.echo("no reports archived")


@report_app.command("show")
def report_show(
    report_id: Annotated[int, typer.Argument(help="Archive id (see `regie report list`).")],
    out: OutOpt = None,
) -> None:
    """Write an archived report out exactly as it was generated (its hash is checked)."""
    from regie.reports import archived_report

    report = archived_report(_app(), report_id)
    assert report.content is not None
    _write(report.content, out, report.format)


@report_app.command("reproduce")
def report_reproduce(
    report_id: Annotated[int, typer.Argument(help="Archive id (see `regie report list`).")],
    recorded_until: RecordedUntilOpt = None,
    out: OutOpt = None,
) -> None:
    """Make an archived report again from the records recorded up to its data cut-off and the
    plan it was made from, and say whether the hash matches (exit 1 when it does not). A report
    archived by a Regie from before layouts were recorded that cannot be made again byte for
    byte is said so, with its stored hash checked (exit 0); so is an agenda pack the meeting
    preparation archived with too early a cut-off (made again from the records up to its
    archiving) and an older DOCX whose files all match (only its ZIP entries' times differ).
    Nothing is archived; --out writes the rebuilt file."""
    from regie.reports import parse_recorded_until, reproduce

    _check_out(out)
    again = reproduce(_app(), report_id, parse_recorded_until(recorded_until))
    if out is not None and again.content:
        _write(again.content, out, again.format)
    elif out is not None:
        typer.echo(f"--out: nothing written to {out}: the report was not made again", err=True)
    if not again.comparable:
        tried = (
            f"layout 1's templates give sha256 {again.sha256} from the records recorded up to "
            f"{again.recorded_until.isoformat()}, not its bytes, so "
            if again.recorded_until is not None
            else ""
        )
        typer.echo(
            f"report {report_id} was archived by an earlier Regie, before layouts were "
            f"recorded: {tried}it cannot be rebuilt byte for byte; its stored content matches "
            f"its hash (sha256 {again.archived_sha256})"
        )
        return
    assert again.recorded_until is not None
    plan = (
        f"the plan kept with it ({(again.plan_sha256 or '')[:12]})"
        if again.plan_source == "kept"
        else "today's plan file (the report's plan text was not kept)"
    )
    verdict = (
        "matches"
        if again.matches
        else "matches, entry for entry (not byte for byte),"
        if again.same_entries
        else "DIFFERS from"
    )
    typer.echo(
        f"archief {report_id}: rebuilt from the records recorded up to "
        f"{again.recorded_until.isoformat()} and {plan}: sha256 {again.sha256} {verdict} the "
        f"archived {again.archived_sha256}"
    )
    if again.stored_cut_off is not None:  # walk56d 1, fix57l: archived before the fix
        typer.echo(
            f"  its stored data cut-off ({again.stored_cut_off.isoformat()}) is earlier than "
            "what it read (archived before the cut-off counted every record a report reads: "
            "the status round and earlier packs the meeting preparation read, the accepted "
            "additions, renumberings, the messages of replayed escalations): rebuilt from the "
            "records recorded up to its archiving instead; its archived bytes and cut-off are "
            "kept as they are"
        )
    if again.same_entries:  # walk56d 5: a DOCX archived before its entries had fixed times
        typer.echo(
            "  every file in the archived DOCX is the rebuild's, byte for byte; only the ZIP "
            "entries' times or order differ (a DOCX archived before they were fixed carries "
            "the moment it was written): made again, content for content"
        )
    if not again.agrees:
        raise typer.Exit(1)


@report_app.command("mark-done")
def report_mark_done(
    report_id: Annotated[
        int, typer.Argument(help="Archive id of a progress report (see `regie report list`).")
    ],
    report: Annotated[
        str | None,
        typer.Option(
            "--report",
            help="The plan's reporting obligation (reports: id) it was made for, when the "
            "plan names several and the archive does not say.",
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="The day it counts from YYYY-MM-DD (default today; not before the report's "
            "day, not after today).",
        ),
    ] = None,
) -> None:
    """Record the action of an archived progress report's obligation (reports: … action:)
    gereed, as `report voortgang --mark-done` does when it makes one: its open items due from
    the period's end through the next period, for --as-of (default today), source 'report',
    the archive id and hash in the note. The report itself is not changed."""
    from regie.reports import mark_archived_done

    for line in mark_archived_done(_app(), report_id, report, parse_date(as_of, "--as-of")):
        typer.echo(line)


# --- decisions -----------------------------------------------------------------------------


@decision_app.command("add")
def decision_add(
    body: BodyOpt,
    meeting: Annotated[str, typer.Option("--meeting", help="Meeting date YYYY-MM-DD.")],
    text: Annotated[
        str,
        typer.Option(
            "--text",
            help="The decision as minuted; line breaks are kept (lists show it on one line), "
            "control and direction-changing characters are refused.",
        ),
    ],
    item: Annotated[str | None, typer.Option("--item", help="The item it is about.")] = None,
    set_gereed: Annotated[
        tuple[str, str] | None,
        typer.Option(
            "--set-gereed",
            help="ID TEXT: move an item's gereed (edits the plan); a dropped item comes back.",
        ),
    ] = None,
    cancel: Annotated[
        str | None, typer.Option("--cancel", help="ID: drop an item (edits the plan).")
    ] = None,
    restore: Annotated[
        str | None,
        typer.Option(
            "--restore",
            help="ID: bring a dropped item back with the date it has (edits the plan); an "
            "action comes back with the milestones its drop cancelled. Refused when the item "
            "is not cancelled, or its date has passed by the meeting (then give a new one: "
            "--set-gereed ID TEXT restores a dropped item too).",
        ),
    ] = None,
    adds: Annotated[
        list[str] | None,
        typer.Option(
            "--adds",
            help="ID: the decision adds this action (with its milestones) or milestone to the "
            "plan. Give it before the item is in the plan file (then add it there: `regie "
            "sync` links it to the decision) or after; the plan file is not edited. Several "
            "(--adds 3.4 --adds 3.5, or --adds 3.4,3.5): one decision each, all or none. "
            "Refused for an item of the plan as first recorded, one the plan had and lost, "
            "one a decision already added (or whose action it added), and a milestone of an "
            "action the plan lacks.",
        ),
    ] = None,
    approves_report: Annotated[
        str | None,
        typer.Option(
            "--approves-report",
            help="OBLIGATION[:FROM/TO]: the decision approves the progress report of this "
            "reporting obligation (reports: id) over that period (default: its archived "
            "report whose period ended last before the meeting; refused when a decision "
            "already approves that one: give the next period). Made again as of the "
            "meeting or later, the report is no longer a concept and names this decision. "
            "A period no archived report covers is refused without --before-archive.",
        ),
    ] = None,
    corrects: Annotated[
        int | None,
        typer.Option(
            "--corrects",
            help="DECISION_ID: this decision corrects that one (its id: `regie decision "
            "list`), recorded wrongly for the same meeting: a mistyped date in the minutes. "
            "Give the same body, meeting and item, and the right --set-gereed (or, for a "
            "text-only decision, the right --text). Both stay recorded, the corrected one "
            "marked; the plan's date is set again from the one before the meeting, and the "
            "packs, the progress report and the decision list show one change. Refused for "
            "a drop or a restore (record a --restore or a --cancel), and for a decision "
            "corrected already (correct its correction).",
        ),
    ] = None,
    before_archive: Annotated[
        bool,
        typer.Option(
            "--before-archive",
            help="With --approves-report OBLIGATION:FROM/TO: approve the report over that "
            "period although none is archived yet (the body approved a text drafted "
            "before the report is made here); it must be one of the obligation's periods.",
        ),
    ] = False,
) -> None:
    """Record a decision; one that moves a date, drops an item or brings a dropped item back
    also edits the plan file; one that adds an item (--adds) does not."""
    from regie.decisions import add_decision

    warnings: list[str] = []
    for line in add_decision(
        _app(), body, _required_date(meeting, "--meeting"), text,
        item_id=item, set_gereed=set_gereed, cancel=cancel, restore=restore,
        approves_report=approves_report, before_archive=before_archive, adds=adds,
        corrects=corrects, warnings=warnings,
    ):  # fmt: skip
        typer.echo(line)
    for warning in warnings:
        typer.echo(warning, err=True)


class DecisionFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    md = "md"


#: The machine-readable columns of ``decision list --format csv|json``.
DECISION_FIELDS = (
    "id", "meeting_on", "body", "body_name", "kind", "effect", "item", "item_title", "text",
    "gereed_before", "gereed_after", "recorded_at", "recorded_by", "approves_report",
    "corrects", "corrected_by",
)  # fmt: skip


@decision_app.command("list")
def decision_list(
    body: Annotated[str | None, typer.Option("--body", help="Only this body.")] = None,
    item: Annotated[str | None, typer.Option("--item", help="Only those about this item.")] = None,
    fmt: Annotated[
        DecisionFormat,
        typer.Option(
            "--format",
            "-f",
            help="table (default): one line each, what it did in Dutch (gereed bijgesteld: "
            "Q3-2015 → Q4-2015, vervallen, hersteld, besluit). csv | json: for other tools, "
            "columns " + ", ".join(DECISION_FIELDS) + "; kind is the raw kind (besluit, "
            "set_gereed, cancel, restore, add), effect the Dutch text (a corrected decision: "
            "gecorrigeerd door besluit N; its correction: the change from the date before the "
            "meeting, correctie van besluit N). md: a Dutch table "
            "(Vergadering, Orgaan, Punt, Besluit, Gevolg) to paste into the minutes.",
        ),
    ] = DecisionFormat.table,
) -> None:
    """List recorded decisions, oldest meeting first: the meeting's date (the business date),
    what the decision did, then when and by whom it was recorded (office time zone, UTC offset
    written out). A decision that brought a dropped item back is *hersteld* (kind
    ``restore``)."""
    from regie.cli.tables import one_line
    from regie.decisions import decision_rows
    from regie.history import decisions_recorded, office_time, office_zone

    app = _app()
    plan = app.load_plan()
    names = {b.id: b.name for b in plan.governance}
    titles = {a.id: a.title for a in plan.actions()} | {m.id: m.title for m in plan.milestones()}
    rows = decision_rows(decisions_recorded(app, body), names, items=[item] if item else None)
    zone = office_zone(app) if rows else ""
    if fmt in (DecisionFormat.csv, DecisionFormat.json):
        records = [
            {
                "id": d.id,
                "meeting_on": d.meeting_on.isoformat(),
                "body": d.body_id,
                "body_name": d.body_name,
                "kind": d.kind,
                "effect": d.effect,
                "item": d.item_id,
                "item_title": titles.get(d.item_id) if d.item_id else None,
                # A line is a record in CSV: the text on one line (json gives it whole).
                "text": d.text if fmt == DecisionFormat.json else one_line(d.text),
                "gereed_before": d.gereed_before,
                "gereed_after": d.gereed_after,
                "recorded_at": d.recorded_at.isoformat() if d.recorded_at else None,
                "recorded_by": d.recorded_by,
                "approves_report": (
                    f"{d.approves.report_id}:{d.approves.start}/{d.approves.end}"
                    if d.approves
                    else None
                ),
                "corrects": d.corrects,
                "corrected_by": d.corrected_by,
            }
            for d in rows
        ]
        if fmt == DecisionFormat.json:
            from regie.cli.tables import print_json

            print_json(records)
            return
        import csv

        writer = csv.DictWriter(sys.stdout, fieldnames=DECISION_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
        return
    if fmt == DecisionFormat.md:
        typer.echo(_decisions_md(rows))
        return
    from governance.labels import id_label

    labels = [id_label(d.body_id, d.body_name) for d in rows]
    width = max((len(label) for label in labels), default=0)
    for d, label in zip(rows, labels, strict=True):
        about = f" [{_item_label(d.item_id, titles)}]" if d.item_id else ""
        recorded = f"recorded {office_time(d.recorded_at, zone)} by {d.recorded_by or 'unknown'}"
        typer.echo(
            f"{d.id:>4}  {d.meeting_on}  {label:<{width}}  {d.effect}{about} {one_line(d.text)}  "
            f"({recorded})"
        )
    if not rows:
        typer.echo("no decisions")


#: How much of an item's title `decision list` shows beside its id: enough to recognise it.
ITEM_TITLE_WIDTH = 40


def _item_label(item_id: str, titles: dict[str, str]) -> str:
    """The item as "1.1.2 Title" (shortened; walk32a 12); its id alone once the plan lacks it."""
    from governance.dates import shorten

    title = titles.get(item_id)
    return f"{item_id} {shorten(title, ITEM_TITLE_WIDTH)}" if title else item_id


def _decisions_md(rows: Sequence[DecisionRow]) -> str:
    """A Dutch Markdown table of decisions, for the minutes (Besluitenlijst)."""
    from governance.labels import dutch_date
    from regie.cli.tables import one_line

    def cell(text: str) -> str:
        return one_line(text).replace("|", "\\|")

    lines = [
        "| Vergadering | Orgaan | Punt | Besluit | Gevolg |",
        "| --- | --- | --- | --- | --- |",
    ]
    lines += [
        f"| {dutch_date(d.meeting_on)} | {cell(d.body_name)} | {cell(d.item_id or '–')} | "
        f"{cell(d.text)} | {cell(d.effect)} |"
        for d in rows
    ]
    if not rows:
        lines.append("| – | – | – | Geen besluiten vastgelegd. | – |")
    return "\n".join(lines)


# --- indicators ----------------------------------------------------------------------------


# A measured change may be negative (-3,5): Click would read "-3.5" as an unknown option.
@indicator_app.command("record", context_settings={"ignore_unknown_options": True})
def indicator_record(
    indicator: Annotated[str, typer.Argument(help="Indicator id (see `regie indicator list`).")],
    value: Annotated[str, typer.Argument(help="The measured value, e.g. 5.8, 5,8 or -3,5.")],
    on: Annotated[str, typer.Option("--on", help="Measurement date YYYY-MM-DD.")],
    source: Annotated[str, typer.Option("--source", help="Where the value comes from.")],
) -> None:
    """Record a measurement (kept forever: measurements are append-only)."""
    from governance.planfile.extras import MAX_INDICATOR
    from regie.reports import record_measurement

    try:
        number = float(value.replace(",", "."))
    except ValueError:
        raise InvalidInput(f"VALUE: {value!r} is not a number") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise InvalidInput(f"VALUE: {value!r} is not a finite number")
    if not -MAX_INDICATOR < number < MAX_INDICATOR:  # as a plan's target and baseline
        raise InvalidInput(f"VALUE: {value!r} is not between -10^15 and 10^15")
    typer.echo(record_measurement(_app(), indicator, number, _required_date(on, "--on"), source))


@indicator_app.command("list")
def indicator_list(fmt: FormatOpt = Format.table) -> None:
    """The plan's indicators with their target and latest measurement."""
    from regie.cli.tables import print_json
    from regie.reports import indicator_rows

    rows = indicator_rows(_app())
    if fmt == Format.json:
        print_json(rows)
        return
    for r in rows:
        latest = r["latest"]
        measured = f"{latest['value']:g} on {latest['on']}" if latest else "no measurement"
        typer.echo(f"{r['id']:<24} target {r['target']:g} {r['unit']:<10} {measured}")
    if not rows:
        typer.echo("no indicators in the plan")


@report_app.command("voortgang")
def report_voortgang(
    from_: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="First day of the period YYYY-MM-DD. Without --from/--to: the period after "
            "the last archived progress report, else from the programme's start in whole "
            "periods through the last one over on --as-of, by the plan's reporting cadence "
            "(jaarlijks, tweejaarlijks = every two years, halfjaarlijks, per kwartaal, "
            "maandelijks).",
        ),
    ] = None,
    to: Annotated[
        str | None, typer.Option("--to", help="Last day of the period YYYY-MM-DD.")
    ] = None,
    as_of: AsOfOpt = None,
    fmt: ReportFormat = "",
    out: OutOpt = None,
    recorded_until: RecordedUntilOpt = None,
    report: Annotated[
        str | None,
        typer.Option(
            "--report",
            help="The plan's reporting obligation (reports: id) it is made for, when the plan "
            "names several; the report names its recipient.",
        ),
    ] = None,
    mark_done: Annotated[
        bool,
        typer.Option(
            "--mark-done",
            help="Once archived, record the obligation's action (reports: … action:) gereed: "
            "its open items due from the period's end through the next period, for --as-of "
            "(default today), source 'report', the archive ids and hashes in the note.",
        ),
    ] = False,
) -> None:
    """The progress report over a period, addressed to the recipient of the plan's
    reporting obligation (reports: … recipient:), e.g. the Tweede Kamer or the Vlaams
    Parlement (archived with its content hash, the plan's hash, the maker and the data
    cut-off). A PDF names its annex, the full table of items, a separate HTML file written
    next to it. The period defaults from the plan's reporting cadence (said on stderr);
    --mark-done records the report's action gereed."""
    from regie.reports import (
        parse_recorded_until,
        progress_period,
        report_action,
        voortgang_formats,
    )

    fmts = report_formats(fmt, out)
    cut = parse_recorded_until(recorded_until)
    if mark_done and cut is not None:
        raise InvalidInput(
            "--mark-done: a report made again with --recorded-until is not archived and "
            "records nothing"
        )
    _check_out(out)
    app_ = _app()
    period = progress_period(
        app_,
        parse_date(from_, "--from"),
        parse_date(to, "--to"),
        parse_date(as_of, "--as-of"),
        report,
        mark_done=mark_done,
        recorded_until=cut,
    )
    if cut is None:  # --as-of, else --to, else today: a --to still to come is a day too
        _refuse_future(app_, period.as_of, "--as-of" if as_of or not to else "--to")
    if period.chosen:
        typer.echo(period.chosen, err=True)
    rendered = voortgang_formats(
        app_, period.start, period.end, period.as_of, fmts, background=True,
        recorded_until=cut, archive=cut is None,
        report_id=period.obligation.id if period.obligation else None,
    )  # fmt: skip
    _write_rendered(rendered, out)
    for line in report_action(app_, period, rendered, mark_done=mark_done):
        typer.echo(line, err=True)
