"""Commands for answers: spreadsheet import, status rounds, Slack Socket Mode (issue #10)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from regie.cli.common import (
    AsOfOpt,
    Format,
    FormatOpt,
    _app,
    command_group,
    parse_date,
    update_day,
)


def import_updates(
    file: Annotated[
        Path, typer.Argument(help="CSV file: item,status,forecast,completed_on,note,contact.")
    ],
    as_of: AsOfOpt = None,
    again: Annotated[
        bool,
        typer.Option(
            "--again",
            help="Import a file whose content was imported before (refused without it: each "
            "answer would be recorded twice); every row is recorded, also one already on "
            "record for that item and day (skipped without it).",
        ),
    ] = False,
) -> None:
    """Record the answers in a spreadsheet (CSV): all rows or none, problems as FILE:LINE. The
    file's SHA-256 is kept with the import; the same content twice is refused (see --again),
    and a row already on record for that item and day is skipped (a corrected copy of a sheet:
    its changed rows are recorded, a changed row of an earlier import as its correction)."""
    from regie.answer_import import import_updates as run

    app_ = _app()
    typer.echo(run(app_, file, update_day(app_, as_of), again=again))


def update_sheet(
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Write the sheet here instead of standard output ('-': standard output).",
        ),
    ] = None,
    owner: Annotated[
        str | None,
        typer.Option(
            help="Only items this organisation owns; its contact's id filled in when it has "
            "only one."
        ),
    ] = None,
    step: Annotated[int | None, typer.Option(help="Only this step number.")] = None,
    contact: Annotated[
        str | None,
        typer.Option(help="Only the items this contact may answer for; their id filled in."),
    ] = None,
    as_of: AsOfOpt = None,
) -> None:
    """Write the open items as a spreadsheet (CSV for Excel) for owners to fill in; `regie
    import-updates` reads the filled-in file back."""
    import sys

    from regie.errors import InvalidInput
    from regie.update_sheet import update_sheet as build

    if out is not None and str(out) != "-" and out.exists():
        # It may be a sheet an owner sent back: never overwritten.
        raise InvalidInput(f"--out: {out} already exists (choose another name)")
    body, count = build(
        _app(), parse_date(as_of, "--as-of"), owner=owner, step=step, contact_id=contact
    )
    if out is None or str(out) == "-":
        sys.stdout.buffer.write(body)
        sys.stdout.flush()
        return
    from store.files import write_private

    try:
        write_private(out, body, exclusive=True)  # 0600: it names owners and their notes
    except OSError as exc:  # the user's path: bad input (2), not the machine's fault (3)
        raise InvalidInput(f"--out: cannot write {out}: {exc.strerror or exc}") from None
    typer.echo(f"{out}: {count} item{'' if count == 1 else 's'} to answer", err=True)


slack_app = command_group(
    help="Slack: answers from buttons and the modal.",
    no_args_is_help=True,
)


@slack_app.command("listen")
def slack_listen() -> None:
    """Handle Slack buttons and modals over Socket Mode (REGIE_SLACK_APP_TOKEN); Ctrl-C stops."""
    import logging.config

    from regie.log_lines import server_log_config
    from regie.slack_listen import listen

    app_ = _app()
    # A long-running service, as `regie serve`: lines with their level (REGIE_LOG_LEVEL).
    logging.config.dictConfig(server_log_config(app_.settings.log_level, app_.settings.log_format))
    listen(
        app_,
        on_connected=lambda: typer.echo(
            "listening for Slack interactions (Socket Mode); Ctrl-C stops"
        ),
    )


round_app = command_group(
    help="Status rounds before a governance body meets.",
    no_args_is_help=True,
)


@round_app.command("start")
def round_start(
    body: Annotated[str, typer.Option(help="Governance body id, e.g. stuurgroep.")],
    answer_by: Annotated[str, typer.Option("--answer-by", help="Answers wanted by YYYY-MM-DD.")],
    scope: Annotated[
        str | None, typer.Option(help="Only step:N or owner:ORG (default: everything open).")
    ] = None,
    meeting: Annotated[
        str | None,
        typer.Option(
            help="The meeting the round prepares, YYYY-MM-DD: one of the body's known meetings "
            "on or after --answer-by (default: the first of them)."
        ),
    ] = None,
    as_of: AsOfOpt = None,
) -> None:
    """Ask every contact with open items in scope for an update (one message each), then send.

    The status-round deployment (prefect.yaml) chases and closes the round on later days; run
    `regie round tick` to do that step by hand."""
    from regie.cycle import send_reminders
    from regie.rounds import run_round_day

    app_ = _app()
    app_.settings.refuse_unusable_key()  # its requests carry answer links: before migrating
    app_.settings.refuse_local_links()
    day = parse_date(as_of, "--as-of")
    by = parse_date(answer_by, "--answer-by")
    on = parse_date(meeting, "--meeting")
    result = run_round_day(app_, day, body=body, answer_by=by, scope=scope, meeting_on=on)
    started = result["started"]
    verb = "started" if started["started"] else "already running"
    queued = started["queued"]
    typer.echo(
        f"round {started['round']} ({body}, answers by {answer_by}) {verb}: "
        f"{queued} request{'' if queued == 1 else 's'} queued"
    )
    for other in started["also_open"]:
        typer.echo(f"note: {body} still has an open round ({other}): its contacts are asked twice")
    if started["reminded_today"]:
        typer.echo(
            f"note: today's reminder digest already asked {', '.join(started['reminded_today'])} "
            "about some of these items: they are asked twice today"
        )
    for warning in started["warnings"]:
        typer.echo(warning, err=True)
    report = send_reminders(app_)
    typer.echo(f"{report.channel}: {len(report.sent)} sent, {len(report.failed)} failed")


@round_app.command("tick")
def round_tick(as_of: AsOfOpt = None) -> None:
    """Chase and close open rounds as of a day (what the daily status-round run does)."""
    from regie.cycle import send_reminders
    from regie.rounds import run_round_day

    app_ = _app()
    app_.settings.refuse_unusable_key()  # its chases carry answer links: before migrating
    app_.settings.refuse_local_links()
    result = run_round_day(app_, parse_date(as_of, "--as-of"))
    for r in result["rounds"]:
        state = "closed" if r["closed"] else "open"
        typer.echo(f"round {r['round']} ({r['body']}): {r['queued']} queued, {state}")
    report = send_reminders(app_)
    typer.echo(f"{report.channel}: {len(report.sent)} sent, {len(report.failed)} failed")


@round_app.command("status")
def round_status(fmt: FormatOpt = Format.table, as_of: AsOfOpt = None) -> None:
    """Every round: response rate per organisation and the items still without an answer.

    An answer counts when reported from the round's start up to the day the round closed (before
    its summary was queued), and with --as-of on or before that day; an open round without
    --as-of counts every answer so far."""
    from governance.counts import count
    from regie.cli.tables import print_json
    from regie.rounds import round_status as rounds

    found = rounds(_app(), parse_date(as_of, "--as-of"))
    if fmt == Format.json:
        print_json(found)
        return
    if not found:
        typer.echo("no status rounds yet")
    for r in found:
        state = f"closed {r['closed_on']}" if r["closed_on"] else "open"
        # The meeting its messages name; none when the body's schedule has none after it, or
        # the one it was for is off (walk46 10: not "none known" with a next one known).
        meeting = r["meeting_on"] or "none known"
        if r.get("meeting_cancelled"):
            then = r["next_meeting"]
            meeting = f"none ({r['meeting_cancelled']} called off" + (
                f"; {then} gets its own round)" if then else "; none left)"
            )
        typer.echo(
            f"round {r['round']} {r['body']}, meeting {meeting}, answers by {r['answer_by']} "
            f"({state}): {r['answered']}/{count(r['items'], 'item')} answered"
        )
        for org in r["organisations"]:
            typer.echo(f"  {org['id']}: {org['answered']}/{org['asked']}")
        for item in r["without_answer"]:
            typer.echo(f"  without answer: {item['id']} {item['title']}")


def register(app: typer.Typer) -> None:
    app.command("import-updates")(import_updates)
    app.command("update-sheet")(update_sheet)
    app.add_typer(slack_app, name="slack")
    app.add_typer(round_app, name="round")
