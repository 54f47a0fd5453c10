"""`regie mail bounces PATH...`: read bounces from the sender's mailbox (regie.bounces)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from governance.counts import count
from regie.cli.common import command_group

if TYPE_CHECKING:
    from regie.bounces import BounceRun

mail_app = command_group(help="E-mail delivery: bounces.", no_args_is_help=True)


@mail_app.command("bounces")
def mail_bounces(
    paths: Annotated[
        list[Path],
        typer.Argument(help=".eml files, maildirs, mbox files or directories of .eml files."),
    ],
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Say only what is new (for cron).")
    ] = False,
) -> None:
    """Record the bounces among these messages; a contact whose e-mail bounces for good gets
    their next messages by Slack (or they wait), `regie doctor` names them, the office is told
    once. Reading the same bounce again records nothing new."""
    from regie.bootstrap import bootstrap
    from regie.bounces import read_bounces

    run = read_bounces(bootstrap(), paths)
    for line in run.recorded:
        typer.echo(f"bounce: {line}")
    for line in run.temporary:
        typer.echo(f"delayed (noted, nothing changes): {line}")
    if not quiet:
        for line in run.unmatched:
            typer.echo(f"not ours: {line}")
        for line in run.skipped:
            typer.echo(f"skipped: {line}")
    if run.notices:
        typer.echo(f"programme office told: {count(len(run.notices), 'message')} queued")
    for line in run.untold:
        typer.echo(
            f"nobody told: {line} (no other programme-office contact and no "
            "REGIE_SLACK_OFFICE_CHANNEL; `regie doctor` names it)"
        )
    # An unreadable mail is skipped, said on stderr every run (cron mails it) until removed.
    for line in run.unreadable:
        typer.echo(f"unreadable: {line}", err=True)
    if not quiet or run.recorded or run.temporary or run.unreadable:
        typer.echo(read_line(run))
    if run.unreadable and not run.read:
        raise typer.Exit(1)  # nothing could be read at all: the mailbox itself is wrong


def read_line(run: BounceRun) -> str:
    """What one reading of the mailbox found, counted: ``1 bounce recorded, 2 delays noted, …``."""
    return (
        f"{count(len(run.recorded), 'bounce')} recorded, {count(len(run.temporary), 'delay')} "
        f"noted, {run.already} read before, {len(run.unmatched)} not ours, "
        f"{len(run.skipped)} not a bounce"
        + (f", {len(run.unreadable)} unreadable" if run.unreadable else "")
    )
