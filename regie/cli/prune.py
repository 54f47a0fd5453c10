"""`regie prune (--older-than DAYS | --before DATE) [--yes]`: what `regie outbox prune` does,
and the personal data kept beyond the outbox that is no longer needed (:func:`prune_all`):
old bounces erased, web sessions that are over and old Slack look-ups deleted."""

from __future__ import annotations

from typing import Annotated

import typer

from regie.cli.common import _app
from regie.cli.outbox_retry import _listed


def prune(
    older_than: Annotated[
        str | None,
        typer.Option(
            "--older-than",
            metavar="DAYS",
            help="What is more than DAYS days old (messages by when sent, else queued; bounces "
            "by when recorded; Slack look-ups by when made), e.g. 400d.",
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
    whole: who bounces stays the same); web sessions that expired or ended (whatever the
    cut-off); Slack look-ups older than the cut-off (e-mail look-ups also once older than the
    30 days they are used for; caches: asked again when needed). Needs no plan: the programme
    is the database's. Recorded with the operator (events regie.outbox.pruned,
    regie.data.pruned)."""
    from regie.cli.common import parse_date
    from regie.retention import cutoff, prune_all
    from regie.services import utcnow

    app = _app(delivery=False)
    now = utcnow()
    since = cutoff(
        app, now, older_than=older_than, before=parse_date(before, "--before"), command="prune"
    )
    app.ensure_schema()
    done = prune_all(app, since, now, apply=yes)
    when = since.isoformat(timespec="seconds")
    kept = done.bounces.kept
    keeps = f"; {kept} kept whole: a contact's latest bounce, not ended" if kept else ""
    if not yes:
        messages = done.outbox
        typer.echo(
            f"would prune {len(messages.keys)} message(s) sent or queued before {when} "
            f"and remove {messages.files} file copies"
            + (f": {_listed(messages.keys)}" if messages.keys else "")
        )
        typer.echo(
            f"would erase the address and server's words of {done.bounces.erased} bounce(s) "
            f"recorded before {when}{keeps}"
        )
        typer.echo(f"would delete {done.web_sessions} web session(s) expired or ended")
        typer.echo(
            f"would delete {done.slack_lookups} Slack e-mail look-up(s) (unused after 30 days) "
            f"and {done.slack_users} Slack user(s) resolved before {when}"
        )
        typer.echo("dry run: nothing changed (add --yes to prune)")
        return
    typer.echo(
        f"pruned {len(done.outbox.keys)} message(s) sent or queued before {when} "
        f"(key, kind, status and dates kept), removed {done.outbox.files} file copies"
    )
    typer.echo(
        f"erased the address and server's words of {done.bounces.erased} bounce(s) recorded "
        f"before {when} (contact, status and dates kept){keeps}"
    )
    typer.echo(f"deleted {done.web_sessions} web session(s) expired or ended")
    typer.echo(
        f"deleted {done.slack_lookups} Slack e-mail look-up(s) (unused after 30 days) and "
        f"{done.slack_users} Slack user(s) resolved before {when}"
    )
    recorded = [
        name
        for name, did in (
            ("regie.outbox.pruned", done.outbox.keys),
            ("regie.data.pruned", any(done.counts().values())),
        )
        if did
    ]
    typer.echo(f"recorded ({', '.join(recorded)})" if recorded else "nothing pruned: not recorded")
