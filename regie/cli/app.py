"""The `regie` command line: a thin layer over the use cases in :mod:`regie`.

Heavy packages (SQLAlchemy, Prefect, the YAML loader) are imported inside the commands so that
``regie --help`` answers instantly.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from regie.cli import INTERRUPTED
from regie.cli import answers as _answers
from regie.cli.audit import audit_app, operator_callback
from regie.cli.calendar import calendar_app
from regie.cli.common import (
    AsOfOpt,
    Format,
    FormatOpt,
    PlanPath,
    _app,
    _services,
    _serving,
    command_group,
    parse_date,
    renumbered_item,
    unknown_item,
    update_day,
)
from regie.cli.doctor import doctor
from regie.cli.interrupts import caused_by_interrupt
from regie.cli.outbox_retry import OutboxCommand
from regie.cli.prune import prune
from regie.cli.redact import UpdateCommand
from regie.cli.serve import serve
from regie.cli.users import user_app
from regie.errors import InvalidInput, RegieError, one_line

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import date

    from governance.workdays import WorkCalendar
    from regie.bootstrap import App
    from store.records import StoredEvent

app = command_group(
    name="regie",
    help="Regie: run a programme from its plan, plan/actions.yaml.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
plan_app = command_group(help="Read and check the plan file.", no_args_is_help=True)
db_app = command_group(
    help="Create and migrate the database.",
    no_args_is_help=True,
)
app.callback()(operator_callback)  # --operator / REGIE_OPERATOR: who is recorded as acting
app.add_typer(plan_app, name="plan")
app.add_typer(db_app, name="db")
app.add_typer(audit_app, name="audit")
from regie.cli.notify import notify_app  # noqa: E402  (light: typer only)

app.add_typer(notify_app, name="notify")
from regie.cli.mail import mail_app  # noqa: E402  (light: typer only)

app.add_typer(mail_app, name="mail")
from regie.cli.follow_up import follow_up  # noqa: E402  (light: typer only)

app.command("follow-up")(follow_up)


# --- plan -----------------------------------------------------------------------------------


@plan_app.command("validate")
def plan_validate(path: PlanPath = None) -> None:
    """Check the plan file; print every problem as PATH:LINE:COL: message (exit 2 on problems)."""
    summary = _services().validate(_app(), path)
    typer.echo(summary)


@plan_app.command("show")
def plan_show(path: PlanPath = None, fmt: FormatOpt = Format.table) -> None:
    """Print the plan: steps, actions, milestones with their gereed and typed period."""
    from regie.cli.tables import console, plan_table, print_json

    plan = _app().load_plan(path)
    if fmt == Format.json:
        print_json(plan.to_json())
    else:
        console().print(plan_table(plan))


# --- db ---------------------------------------------------------------------------------------


@db_app.command("upgrade")
def db_upgrade(
    target: Annotated[
        str | None,
        typer.Argument(metavar="[REVISION]", help="Target revision (default: head), e.g. 0031."),
    ] = None,
    revision: Annotated[
        str | None, typer.Option(help="The same as REVISION (the older form).")
    ] = None,
) -> None:
    """Create or migrate the database to the latest (or given) revision."""
    chosen = _revision("upgrade", target, revision) or "head"
    typer.echo(_services().db_upgrade(_app(), chosen))


@db_app.command("downgrade")
def db_downgrade(
    target: Annotated[
        str | None,
        typer.Argument(metavar="REVISION", help="Target revision, e.g. base or 0001."),
    ] = None,
    revision: Annotated[
        str | None, typer.Option(help="The same as REVISION (as `db upgrade --revision`).")
    ] = None,
    yes: Annotated[
        bool, typer.Option("--yes", help="Confirm: dropping tables loses the history in them.")
    ] = False,
) -> None:
    """Migrate the database down to REVISION (needs --yes: it drops tables and their history)."""
    chosen = _revision("downgrade", target, revision)
    if chosen is None:
        raise InvalidInput("db downgrade: give the target revision, e.g. base or 0001")
    if not yes:
        raise InvalidInput(
            f"db downgrade {chosen} drops tables and the history in them: add --yes to confirm"
        )
    typer.echo(_services().db_downgrade(_app(), chosen))


def _revision(verb: str, target: str | None, option: str | None) -> str | None:
    """The revision given as an argument or as --revision (both forms work for upgrade and
    downgrade alike, walk31 11); both, unless the same: one line."""
    if target is not None and option is not None and target != option:
        raise InvalidInput(
            f"db {verb}: two revisions given ({target} and --revision {option}): give one"
        )
    return target if target is not None else option


@db_app.command("current")
def db_current() -> None:
    """Print the database URL (password hidden) and its migration revision."""
    typer.echo(_services().db_current(_app()))


@db_app.command("backup")
def db_backup(
    file: Annotated[Path, typer.Argument(help="The copy to write (never overwritten).")],
) -> None:
    """Write a consistent copy of the SQLite database while Regie runs (PostgreSQL: pg_dump)."""
    from regie.backup import backup

    # A database that refuses writes is still copied; that its record is missing: stderr.
    typer.echo(backup(_app(), file, warn=lambda line: typer.echo(line, err=True)))


@db_app.command("restore")
def db_restore(
    file: Annotated[Path, typer.Argument(help="The backup (from `regie db backup`).")],
    yes: Annotated[
        bool, typer.Option("--yes", help="Restore now; without it nothing changes (a dry run).")
    ] = False,
    record_only: Annotated[
        bool,
        typer.Option(
            "--record-only",
            help="The database was restored by other means (pg_restore, a copy): only record "
            "that it was, from FILE (which must exist here: a mistyped name is refused, and "
            "so is a dump of another programme).",
        ),
    ] = False,
    made_at: Annotated[
        str | None,
        typer.Option(
            "--made-at",
            help="With --record-only: when the backup was made (YYYY-MM-DDTHH:MM, in the "
            "office's time zone — REGIE_TIMEZONE, else the plan's — unless +HH:MM or Z is "
            "given; default: as the restored database's own record of its backup says).",
        ),
    ] = None,
) -> None:
    """Put an SQLite backup in the database's place (the replaced one is kept beside it) and
    record the restore (who, from which file, the backup's time) as a regie.db.restored event.
    Stop `regie serve` and the timers first (docs/operations.md, "Restore")."""
    from regie.backup import record_only as record
    from regie.backup import restore
    from regie.history import office_zone, parse_instant

    if made_at is not None and not record_only:
        raise InvalidInput("--made-at goes with --record-only (a backup knows its own time)")
    if record_only:
        if not file.is_file():  # a typo must not go into the audit trail (walk31 12)
            raise InvalidInput(
                f"db restore --record-only: {file}: no such file (give the dump the database "
                "was restored from)"
            )
        app = _app()
        when = parse_instant(made_at, "--made-at", office_zone(app)) if made_at else None
        typer.echo(record(app, file, when))
        return
    typer.echo(restore(_app(), file, apply=yes))


# --- programme ------------------------------------------------------------------------------


@app.command()
def sync(
    path: PlanPath = None,
    add_programme: Annotated[
        bool,
        typer.Option(
            "--add-programme",
            help="The database holds other programmes and is meant to hold this one too: "
            "add it (without this, a sync or cycle that would add it refuses: the plan or "
            "the database is likely another installation's).",
        ),
    ] = False,
) -> None:
    """Load the plan into the database in one transaction, recording every change."""
    typer.echo(_services().sync(_app(), path, add_programme=add_programme))


@app.command()
def status(
    item: Annotated[
        str | None,
        typer.Argument(
            metavar="[ITEM]",
            help="Only this milestone or action, with its status updates (their ids, for "
            "`regie update ITEM --corrects UPDATE_ID`) up to --as-of.",
        ),
    ] = None,
    as_of: AsOfOpt = None,
    step: Annotated[int | None, typer.Option(help="Only this step number.")] = None,
    owner: Annotated[str | None, typer.Option(help="Only items this organisation owns.")] = None,
    state: Annotated[
        str | None,
        typer.Option(
            help="Only items in this state: its key or its Dutch label (overdue, 'te laat'); "
            "not_started ('nog niet gestart'): ongoing work before its start, which ongoing "
            "('doorlopend') leaves out."
        ),
    ] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Show every milestone with its due date, state and RAG colour; with ITEM, that item
    and its status updates."""
    from regie.cli.tables import (
        after_end_line,
        console,
        dropped_line,
        print_json,
        status_table,
        update_lines,
        updates_json,
    )

    app_ = _app()
    day, rows = _services().status_rows(
        app_, parse_date(as_of, "--as-of"), step=step, owner=owner, state=_state_key(state)
    )
    plan = app_.load_plan()
    late = after_end_line(rows, plan.programme.end)
    dropped = dropped_line(rows)
    names = plan.owner_name  # the table names owners; JSON keeps the ids
    if item is None:
        if fmt == Format.json:
            print_json(rows)
        else:
            console().print(status_table(rows, day, names))
            if late:
                typer.echo(late)
            if dropped:
                typer.echo(dropped)
        return
    from regie.history import is_known_item, item_updates

    rows = [r for r in rows if r["id"] == item]
    if not rows and (moved := renumbered_item(app_, item, "status")) is not None:
        raise moved
    if not rows and not is_known_item(app_, item):
        raise unknown_item(app_, item)
    history = item_updates(app_, item, day)
    if fmt == Format.json:
        print_json({"items": rows, "updates": updates_json(history)})
        return
    console().print(status_table(rows, day, names))
    if late:
        typer.echo(late)
    if rows and (dropped := dropped_line(rows)):
        typer.echo(dropped)
    for line in update_lines(item, history, day):
        typer.echo(line)


def _state_key(text: str | None) -> str | None:
    """``--state`` as a state key: the table shows Dutch labels, so they are accepted too; and
    ``not_started`` (*nog niet gestart*), as the table names ongoing work before its start."""
    from governance.labels import FILTER_LABELS, filter_key

    if text is None:
        return None
    key = filter_key(text)
    if key is None:
        known = ", ".join(f"{k} ({label})" for k, label in FILTER_LABELS.items())
        raise InvalidInput(f"--state: unknown state {text!r} (known: {known})")
    return key


@app.command()
def cycle(
    as_of: AsOfOpt = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Compute and print, but record and send nothing.")
    ] = False,
    simulate: Annotated[
        bool,
        typer.Option(
            "--simulate",
            help="Allow an --as-of after today (simulations, in a scratch REGIE_HOME only).",
        ),
    ] = False,
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            help="Judge every item again from the recorded states and status updates and "
            "rebuild the per-item memory of the incremental cycle (after restoring or editing "
            "the database).",
        ),
    ] = False,
    no_send: Annotated[
        bool,
        typer.Option(
            "--no-send",
            help="Queue but do not deliver (in this process, without Prefect, whose triggers "
            "would send): check `regie outbox` first, e.g. after a restore; `regie outbox "
            "mark-sent` for those that went out already.",
        ),
    ] = False,
) -> None:
    """Run the daily cycle: sync, assess, record events, queue and send. A Prefect flow run
    on the server PREFECT_API_URL (or the active Prefect profile) names; without one, the
    same steps in this process."""
    import os

    from regie.cli.cycle import run_cycle

    if simulate:
        os.environ["REGIE_SIMULATE"] = "1"  # also for a flow run's own bootstrap

    app_ = _app()
    app_.settings.refuse_unusable_key()  # before the lock and the migration: nothing changed
    if not dry_run:  # a dry run queues nothing
        app_.settings.refuse_local_links()
    run_cycle(app_, parse_date(as_of, "--as-of"), dry_run=dry_run, full=full, send=not no_send)


#: An answer's fields as `regie update` spells them (the item is its argument).
UPDATE_FLAGS = {
    "status": "--status",
    "completed_on": "--completed-on",
    "forecast": "--forecast",
    "note": "--comment",
    "corrects": "--corrects",
}


@app.command(cls=UpdateCommand)  # also `regie update redact UPDATE_ID` (regie/cli/redact.py)
def update(
    item: Annotated[str, typer.Argument(help="Milestone or action id, e.g. 1.1.1.")],
    status_: Annotated[
        str, typer.Option("--status", "-s", help="done | on_track | at_risk | cancelled")
    ],
    forecast: Annotated[
        str | None, typer.Option(help="Expected completion date YYYY-MM-DD.")
    ] = None,
    completed_on: Annotated[
        str | None, typer.Option("--completed-on", help="With done: the day it was finished.")
    ] = None,
    comment: Annotated[
        str | None,
        typer.Option(
            help="What was done, or why not. Read by the office, the steering body's packs, "
            "the progress report and the owner's calendar feeds: no personal data (names, "
            "health, phone numbers)."
        ),
    ] = None,
    author: Annotated[
        str | None,
        typer.Option(
            help="Who reports: a contact id of the plan (answers as that contact: own "
            "organisation's items only, no cancelling) or the office: the plan's own name for "
            "it (programme.office_name, e.g. 'programmasecretariaat') or 'programmabureau' "
            "(also the default)."
        ),
    ] = None,
    as_of: AsOfOpt = None,
    corrects: Annotated[
        int | None,
        typer.Option(
            "--corrects",
            metavar="UPDATE_ID",
            help="This update corrects that one (its id: `regie status ITEM`): the item's "
            "latest update, not yet corrected; --comment gives the reason (required). The "
            "corrected update stays on record, marked as corrected.",
        ),
    ] = None,
) -> None:
    """Record an owner's status update (kept forever: the history is append-only).

    --as-of is today or earlier; in a simulation (REGIE_SIMULATE=1, as `regie cycle --simulate`
    sets) also a later day the simulated cycles reached."""
    from governance.answers import OFFICE, Refusal, contact, names_office, office_keywords
    from regie.answers import AnswerRefused
    from regie.history import record_update

    app_ = _app()
    if author is not None and author != OFFICE.name:
        # As import-updates and update-sheet --contact: a name that is no contact of the plan
        # (one who left, a typo, "Name <address>") would be stored as the update's author.
        plan = app_.load_plan()
        if contact(plan, author) is None and names_office(plan, author):
            author = OFFICE.name  # the office's own updates are stored under one name
        elif contact(plan, author) is None:
            known = ", ".join(c.id for c in plan.contacts) or "none"
            words = " or ".join(repr(w) for w in office_keywords(plan))
            raise InvalidInput(
                f"--author: {author!r} is not a contact in the plan ({known}; "
                f"or {words} for the office)"
            )
    day = update_day(app_, as_of)
    try:
        done = record_update(
            app_,
            item,
            status_,
            as_of=day,
            forecast=parse_date(forecast, "--forecast"),
            completed_on=parse_date(completed_on, "--completed-on"),
            comment=comment,
            author=author,
            corrects=corrects,
        )
    except AnswerRefused as exc:
        # The domain names the answer's fields; the user typed flags (and the item argument).
        if exc.problems:
            raise InvalidInput(
                *(f"{UPDATE_FLAGS.get(p.field, item)}: {p.en}" for p in exc.problems)
            ) from None
        if exc.reason is Refusal.UNKNOWN_ITEM:
            raise renumbered_item(app_, item, "update") or unknown_item(app_, item) from None
        raise
    typer.echo(done)


@app.command()
def events(
    since: Annotated[
        str | None, typer.Option(help="Only events on or after YYYY-MM-DD (business date).")
    ] = None,
    item: Annotated[str | None, typer.Option(help="Only events about this id.")] = None,
    recorded_since: Annotated[
        str | None,
        typer.Option(
            "--recorded-since",
            help="Only events recorded at or after YYYY-MM-DD[THH:MM] (office time zone "
            "unless +HH:MM or Z is given), whatever business date they are about.",
        ),
    ] = None,
    recorded_until: Annotated[
        str | None,
        typer.Option("--recorded-until", help="Only events recorded before this moment."),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="Output format: table, json or csv.")
    ] = "table",
) -> None:
    """List recorded events (the audit log), oldest first."""
    from regie.cli.tables import console, events_json, events_table, print_json
    from regie.history import is_known_item, list_events, office_zone, parse_instant

    if fmt not in ("table", "json", "csv"):
        raise InvalidInput(f"--format: {fmt[:20]!r} is not one of table, json, csv")
    app_ = _serving("events")
    zone = office_zone(app_) if recorded_since or recorded_until else "UTC"
    found = list_events(
        app_, parse_date(since, "--since"), item,
        recorded_since=parse_instant(recorded_since, "--recorded-since", zone),
        recorded_until=parse_instant(recorded_until, "--recorded-until", zone),
    )  # fmt: skip
    if item is not None and not found and not is_known_item(app_, item):
        raise unknown_item(app_, item)
    if fmt == "csv":
        _events_csv(events_json(found))
    elif fmt == "json":
        print_json(events_json(found))  # as recorded: stage keys, for scripts
    else:
        console().print(events_table(found, *_stage_context(app_, found)))


def _events_csv(rows: list[dict[str, object]]) -> None:
    """The events as CSV (the payload as JSON text), as ``--format json`` gives them."""
    import csv
    import json

    writer = csv.writer(sys.stdout, lineterminator="\r\n")
    columns = ("recorded_at", "occurred_on", "name", "item_id", "payload")
    writer.writerow(columns)
    for row in rows:
        payload = json.dumps(row["payload"], ensure_ascii=False, sort_keys=True)
        writer.writerow([*(row[c] or "" for c in columns[:-1]), payload])


def _stage_context(
    app_: App, found: list[StoredEvent]
) -> tuple[WorkCalendar | None, set[tuple[str, str, date]]]:
    """The plan's working days, to say how late the reminders after a deadline among ``found``
    were, and which reminders were about the owner's expected date, not the deadline
    (walk56b 3); None and none without such reminders or while the plan file cannot be read
    (the audit log lists without them)."""
    stages = [str(e.payload.get("stage", "")) for e in found]
    if not any(s.startswith(("due@", "overdue-")) for s in stages):
        return None, set()
    from regie.history import office_zone
    from regie.plan_cache import plan_index
    from regie.stage_dates import forecast_reminders

    try:
        plan = app_.load_plan()
    except InvalidInput:
        return None, set()
    late = any(s.startswith("overdue-") for s in stages)
    calendar = plan_index(plan)[1] if late else None
    return calendar, forecast_reminders(app_, plan, office_zone(app_), found)


@app.command()
def replay(
    from_: Annotated[str, typer.Option("--from", help="First day YYYY-MM-DD.")],
    to: Annotated[str, typer.Option("--to", help="Last day YYYY-MM-DD.")],
) -> None:
    """Run the deadline check for every working day in between, to rebuild history.

    Reminders found on the way are recorded as suppressed and never sent."""
    from regie.history import replay as run_replay

    start = parse_date(from_, "--from")
    end = parse_date(to, "--to")
    assert start is not None and end is not None
    from regie.locks import cycle_lock

    app_ = _app()
    from rich.console import Console
    from rich.progress import Progress

    # A bar on long ranges, on a terminal only (stderr: the output stays plain lines).
    shown = (end - start).days > 60 and sys.stderr.isatty()
    with (
        cycle_lock(app_.settings.home, "replay"),
        Progress(console=Console(stderr=True), disable=not shown, transient=True) as bar,
    ):
        task = bar.add_task("replay", total=None)
        lines = run_replay(
            app_,
            start,
            end,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    for line in lines:
        typer.echo(line)


@app.command()
def send(
    limit: Annotated[
        int | None, typer.Option(min=1, help="Send at most this many messages.")
    ] = None,
) -> None:
    """Deliver pending outbox messages through the configured notifier."""
    from regie.cli.summaries import UNSENT_WHY, print_failures, print_waiting
    from regie.cycle import send_reminders

    app_ = _serving("send", delivery=True)
    report = send_reminders(app_, limit=limit)
    dead = f" ({len(report.dead)} dead: no more attempts)" if report.dead else ""
    finished = f", {len(report.skipped)} not sent {UNSENT_WHY}" if report.skipped else ""
    typer.echo(
        f"{report.channel}: {len(report.sent)} sent, {len(report.failed)} failed{dead}{finished}"
    )
    print_failures(report.summary())
    print_waiting(report.summary(), app_)
    from regie.cli.outbox_retry import warn_dead

    if warn_dead(app_) or report.failed or report.stopped:
        raise typer.Exit(1)


@app.command(cls=OutboxCommand)  # also `regie outbox retry`/`mark-sent`/`prune` (outbox_retry)
def outbox(
    status_: Annotated[
        str | None,
        typer.Option("--status", help="pending | sending | sent | failed | dead | suppressed"),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="DATE",
            help="Only messages queued on or after DATE (YYYY-MM-DD, the office's time zone).",
        ),
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            metavar="N",
            help="Only the N most recently queued messages (still listed oldest first).",
        ),
    ] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """List outbox messages and their delivery state, oldest first (all of them without
    --since or --limit). A pruned message shows no name, address or subject (`regie outbox
    prune`)."""
    from regie.cli.tables import console, outbox_json, outbox_table, print_json
    from regie.history import list_outbox

    app_ = _serving("outbox")  # it lists what was sent: no channel's settings needed
    rows = list_outbox(app_, status_, since=parse_date(since, "--since"), limit=limit)
    from regie.cli.notify import print_unreachable, unreachable_reasons

    if fmt == Format.json:
        print_json(outbox_json(rows, unreachable_reasons(app_, rows)))
    else:
        from regie.services import office_zone

        console().print(outbox_table(rows, office_zone(app_) if rows else "UTC"))
        print_unreachable(app_, rows)


def _register_reports() -> None:
    from regie.cli import reports

    app.add_typer(reports.meeting_app, name="meeting")
    app.add_typer(reports.decision_app, name="decision")
    app.add_typer(reports.indicator_app, name="indicator")
    app.add_typer(reports.report_app, name="report")
    from regie.cli.contacts import contact_app

    app.add_typer(contact_app, name="contact")


_register_reports()
app.command()(serve)
app.command()(doctor)
app.command()(prune)  # beside `regie outbox prune`: everything retention takes (retention49)
app.add_typer(calendar_app, name="calendar")
app.add_typer(user_app, name="user")


_answers.register(app)


def _say_notes() -> None:
    """What the command's run noticed on the way (:data:`regie.bootstrap.NOTES`), after it
    succeeded."""
    from regie.bootstrap import NOTES

    while NOTES:
        print(NOTES.pop(0), file=sys.stderr)


@functools.cache
def command() -> Callable[[], object]:
    """The Click command for :data:`app`, built once per process. Typer builds it again on every
    ``app()`` (≈ 50 ms for Regie's hundred commands): once per process is all a command line
    needs, and what a caller that runs several commands in one process (the tests) pays once."""
    import typer.main

    return typer.main.get_command(app)


def main() -> None:
    """Entry point: known problems become one line per problem and a non-zero exit."""
    for position, arg in enumerate(sys.argv[1:], start=1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:  # bytes the terminal could not decode: say so, once
            shown = arg.encode("utf-8", "replace").decode("utf-8")
            print(f"argument {position} ({shown!r}) is not valid UTF-8 text", file=sys.stderr)
            sys.exit(2)
    from regie.cli.reports import pdf_worker_ahead

    try:
        with pdf_worker_ahead(sys.argv[1:]):
            command()()
        _say_notes()
    except KeyboardInterrupt:  # before or after a command ran
        print(INTERRUPTED, file=sys.stderr)
        sys.exit(130)
    except SystemExit as exc:
        if exc.code == 130:  # typer turns Ctrl-C inside a command into a silent Exit(130)
            print(INTERRUPTED, file=sys.stderr)
        elif exc.code in (0, None):
            _say_notes()
        raise
    except Exception as exc:
        if caused_by_interrupt(exc):  # clean-up that failed on its way out of a Ctrl-C
            print(INTERRUPTED, file=sys.stderr)
            sys.exit(130)
        if isinstance(exc, RegieError):
            for line in exc.lines:
                print(one_line(line), file=sys.stderr)
            sys.exit(exc.exit_code)
        fault = environment_fault(exc)
        if fault is None:
            raise  # a bug: the traceback is what a developer needs
        print(one_line(fault), file=sys.stderr)
        sys.exit(3)


def lock_wait(orig: object, reason: str) -> str | None:
    """What a statement that gave up waiting for another connection's lock means, or None."""
    if getattr(orig, "sqlstate", None) == "55P03" or reason == "database is locked":
        return (
            "another connection held a lock for longer than this command waits "
            "(REGIE_DB_LOCK_TIMEOUT: 10 s on SQLite and 30 s on PostgreSQL unless set); "
            "try again when it is released"
        )
    return None


def environment_fault(exc: BaseException) -> str | None:
    """One line for what the machine did wrong (a read-only or corrupted database, a full
    disk, a home that cannot be written); None for anything else."""
    from regie.bootstrap import first_line
    from regie.disk_full import full_disk

    module = type(exc).__module__
    if module.startswith("sqlalchemy"):
        orig = getattr(exc, "orig", None)
        reason = full_disk(exc) or (first_line(orig) if orig is not None else first_line(exc))
        if waited := lock_wait(orig, reason):
            reason = f"{reason}: {waited}"
        return f"database error: {reason} (nothing was changed by this command)"
    if isinstance(exc, OSError):
        where = f" {exc.filename}" if exc.filename else ""
        return f"cannot use{where}: {exc.strerror or first_line(exc)}"
    return None
