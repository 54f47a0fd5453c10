"""`regie prune (--older-than DAYS | --before DATE) [--yes]`: what `regie outbox prune` does,
and the personal data kept beyond the outbox that is no longer needed (:func:`prune_all`):
old bounces erased, old Slack users deleted, and installation-wide the web sessions that are
over and the Slack e-mail look-ups no longer read."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from governance.counts import count
from regie.cli.common import _app
from regie.cli.outbox_retry import _listed, file_copies

if TYPE_CHECKING:
    from regie.retention import PrunedAll


def prune(
    older_than: Annotated[
        str | None,
        typer.Option(
            "--older-than",
            metavar="DAYS",
            help="What is more than DAYS days old (messages by when sent, else queued; bounces "
            "by when recorded; Slack users by when resolved), e.g. 400d.",
        ),
    ] = None,
    before: Annotated[
        str | None,
        typer.Option(
            "--before",
            metavar="DATE",
            help="What is older than DATE (YYYY-MM-DD, the office's zone).",
        ),
    ] = None,
    yes: Annotated[
        bool, typer.Option("--yes", help="Prune now; without it nothing changes (a dry run).")
    ] = False,
) -> None:
    """Erase personal data no longer needed: old messages, old bounces, web sessions that are
    over, old Slack look-ups.

    In one transaction: old messages as `regie outbox prune` does; old bounces' address and
    server words (each contact's latest permanent bounce not ended by a later e-mail is kept
    whole: who bounces stays the same); Slack users resolved before the cut-off (a cache:
    asked again when needed). Installation-wide, shared by every programme of the database
    and pruned by their own limits whatever the cut-off: web sessions that expired or ended,
    and Slack e-mail look-ups no longer read (found: after 30 days; not found: after 1 day).
    Needs no plan: the programme is the database's; in a database holding several, the one
    REGIE_PLAN names (its programme.id, read even while the plan has other problems): run it
    once per programme. Recorded with the operator (events regie.outbox.pruned,
    regie.data.pruned: the shared tables' counts apart)."""
    from regie.cli.common import parse_date
    from regie.programme_guard import served
    from regie.retention import cutoff, prune_all
    from regie.services import utcnow

    app = _app(delivery=False)
    now = utcnow()
    since = cutoff(
        app, now, older_than=older_than, before=parse_date(before, "--before"), command="prune"
    )
    app.ensure_schema()
    served(app, "prune")
    done = prune_all(app, since, now, apply=yes)
    when = since.isoformat(timespec="seconds")
    kept = done.bounces.kept
    keeps = f"; {kept} kept whole: a contact's latest bounce, not ended" if kept else ""
    if not yes:
        messages = done.outbox
        typer.echo(
            f"would prune {count(len(messages.keys), 'message')} sent or queued before {when} "
            f"and remove {file_copies(messages.files)}"
            + (f": {_listed(messages.keys)}" if messages.keys else "")
        )
        typer.echo(
            f"would erase the address and server's words of {count(done.bounces.erased, 'bounce')} "
            f"recorded before {when}{keeps}"
        )
        typer.echo(f"would delete {count(done.slack_users, 'Slack user')} resolved before {when}")
        typer.echo(_shared(done, "would delete"))
        typer.echo("dry run: nothing changed (add --yes to prune)")
        return
    typer.echo(
        f"pruned {count(len(done.outbox.keys), 'message')} sent or queued before {when} "
        f"(key, kind, status and dates kept), removed {file_copies(done.outbox.files)}"
    )
    typer.echo(
        f"erased the address and server's words of {count(done.bounces.erased, 'bounce')} recorded "
        f"before {when} (contact, status and dates kept){keeps}"
    )
    typer.echo(f"deleted {count(done.slack_users, 'Slack user')} resolved before {when}")
    typer.echo(_shared(done, "deleted"))
    recorded = [
        name
        for name, did in (
            ("regie.outbox.pruned", done.outbox.keys),
            ("regie.data.pruned", done.pruned()),
        )
        if did
    ]
    typer.echo(f"recorded ({', '.join(recorded)})" if recorded else "nothing pruned: not recorded")


def _shared(done: PrunedAll, verb: str) -> str:
    """The line of the tables every programme of the database shares: their own limits, not
    the cut-off, so whichever programme prunes first takes the same rows (review49 8)."""
    return (
        f"installation-wide (every programme of this database; not by the cut-off): {verb} "
        f"{count(done.web_sessions, 'web session')} expired or ended and "
        f"{count(done.slack_lookups, 'Slack e-mail look-up')} no longer read "
        "(a user found: after 30 days; none found: after 1 day)"
    )
