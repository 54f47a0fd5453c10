"""`regie outbox retry (--key KEY… | --all-dead | --all-failed) [--yes]`: give dead messages
fresh attempts, make failed ones (waiting for their back-off) due now;
`regie outbox mark-sent KEY… [--yes]`: messages that went out before a restore, marked as sent;
`regie outbox prune (--older-than DAYS | --before DATE) [--yes]`: old messages' personal content
erased (:mod:`regie.retention`).

`regie outbox` lists the outbox with options only, so a first argument ``retry`` or
``mark-sent`` can only mean one of these: :class:`OutboxCommand` hands such a call to it (as
`regie update redact`).
Also :func:`warn_dead`, which `regie send` and `regie cycle` use to say that messages are dead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer
import typer.core

from governance.counts import count
from regie.cli.common import _app, command_group
from regie.errors import InvalidInput

if TYPE_CHECKING:
    from datetime import datetime

    from regie.bootstrap import App

retry_app = command_group(add_completion=False)


@retry_app.command("retry")
def retry(
    key: Annotated[
        list[str] | None,
        typer.Option(
            "--key",
            metavar="KEY",
            help="A dead or failed message's key (`regie outbox --status dead`, "
            "`--status failed`); repeat.",
        ),
    ] = None,
    all_dead: Annotated[bool, typer.Option("--all-dead", help="Every dead message.")] = False,
    all_failed: Annotated[
        bool,
        typer.Option("--all-failed", help="Every failed message waiting for a later attempt."),
    ] = False,
    yes: Annotated[
        bool, typer.Option("--yes", help="Retry now; without it nothing changes (a dry run).")
    ] = False,
) -> None:
    """Put messages back in the queue; the next `regie send` (or cycle) sends them. A dead
    message gets fresh attempts; a failed one, waiting for its back-off (after an outage: up to
    12 hours), is due at once, its attempts kept. A sent message is never sent again. Recorded
    with the operator (event regie.outbox.retried)."""
    from regie.services import office_day, utcnow
    from store import outbox

    if bool(key) == (all_dead or all_failed):
        raise InvalidInput(
            "outbox retry: give --key KEY (repeatable), or --all-dead and/or --all-failed"
        )
    app = _app(delivery=False)
    app.ensure_schema()
    plan_id = served(app, "outbox retry")
    with app.session() as session, session.begin():
        if key:
            wanted = list(dict.fromkeys(key))
            found = outbox.statuses(session, plan_id, wanted)
            retriable = set(outbox.dead_keys(session, plan_id, statuses=outbox.RETRIABLE))
            pruned = outbox.pruned_on(session, plan_id, wanted)
            refused = [
                f"{k} ({_why(app, found.get(k, 'not in the outbox'), pruned.get(k))})"
                for k in wanted
                if k not in retriable
            ]
            if refused:
                raise InvalidInput(
                    f"outbox retry: not a dead or failed message: {', '.join(refused)}"
                )
        else:
            chosen = (("dead",) if all_dead else ()) + (("failed",) if all_failed else ())
            wanted = outbox.dead_keys(session, plan_id, statuses=chosen, unconfirmed=False)
            # A message that may have arrived is retried only by its key (review58 4).
            maybe = outbox.dead_keys(session, plan_id, statuses=chosen, unconfirmed=True)
            if maybe:
                typer.echo(
                    f"left out {_messages(maybe, 'unconfirmed ')} (each may have arrived: "
                    "check, then `regie outbox retry --key KEY --yes` or `regie outbox "
                    "mark-sent KEY --yes`)"
                )
            if not wanted:
                typer.echo(f"no {' or '.join(chosen)} messages")
                return
        if not yes:
            typer.echo(f"would retry {_messages(wanted)}")
            typer.echo("dry run: nothing changed (add --yes to retry)")
            return
        # Who retries is recorded: the operator (`regie --operator`, REGIE_OPERATOR, OS login).
        now = utcnow()
        revived, due = outbox.retry(session, plan_id, wanted, now=now, day=office_day(app, now))
    if revived:
        typer.echo(f"retrying {_messages(revived)}")
    if due:
        typer.echo(f"due now, attempts kept: {_messages(due, 'failed ')}")
    typer.echo("recorded (regie.outbox.retried); `regie send` delivers them")


@retry_app.command("mark-sent")
def mark_sent(
    keys: Annotated[
        list[str],
        typer.Argument(metavar="KEY", help="Keys of messages known to have gone out already."),
    ],
    yes: Annotated[
        bool, typer.Option("--yes", help="Mark now; without it nothing changes (a dry run).")
    ] = False,
) -> None:
    """Mark unsent messages (pending, failed, dead) as sent without sending them: they went out
    before the database was restored from an older backup. Recorded with the operator (event
    regie.outbox.marked_sent)."""
    from regie.services import office_day, utcnow
    from store import outbox

    wanted = list(dict.fromkeys(keys))
    app = _app(delivery=False)
    app.ensure_schema()
    plan_id = served(app, "outbox mark-sent")
    with app.session() as session, session.begin():
        found = outbox.statuses(session, plan_id, wanted)
        unknown = [k for k in wanted if k not in found]
        if unknown:
            raise InvalidInput(f"outbox mark-sent: not in the outbox: {', '.join(unknown)}")
        markable = {*outbox.UNSENT, "dead"}
        pruned = outbox.pruned_on(session, plan_id, wanted)
        refused = [
            f"{k} ({_why(app, found[k], pruned.get(k))})"
            for k in wanted
            if found[k] not in markable or k in pruned
        ]
        if refused:
            raise InvalidInput(
                "outbox mark-sent: only pending, failed or dead messages: " + ", ".join(refused)
            )
        if not yes:
            typer.echo(f"would mark {count(len(wanted), 'message')} as sent: {_listed(wanted)}")
            typer.echo("dry run: nothing changed (add --yes to mark them)")
            return
        now = utcnow()
        day = office_day(app, now)
        marked = outbox.mark_sent_by_hand(session, plan_id, wanted, now=now, day=day)
    typer.echo(f"marked {count(len(marked), 'message')} as sent, not sent again: {_listed(marked)}")
    typer.echo("recorded (regie.outbox.marked_sent)")


@retry_app.command("prune")
def prune(
    older_than: Annotated[
        str | None,
        typer.Option(
            "--older-than",
            metavar="DAYS",
            help="Messages sent (or else queued) more than DAYS days ago, e.g. 400d.",
        ),
    ] = None,
    before: Annotated[
        str | None,
        typer.Option(
            "--before",
            metavar="DATE",
            help="Messages sent (or else queued) before DATE (YYYY-MM-DD, the office's zone).",
        ),
    ] = None,
    yes: Annotated[
        bool, typer.Option("--yes", help="Prune now; without it nothing changes (a dry run).")
    ] = False,
) -> None:
    """Erase the personal content of old messages that are done with (sent, suppressed, dead):
    name, address, Slack id, subject, texts; their file copies (.eml) are removed. Each keeps
    its key, kind, status and dates, so it is never sent again; pending, failed and sending
    messages are left alone. Recorded with the operator (event regie.outbox.pruned).
    `regie prune` does this and more (bounces, web sessions, Slack caches)."""
    from regie.cli.common import parse_date
    from regie.retention import cutoff, prune_outbox
    from regie.services import utcnow

    app = _app(delivery=False)
    now = utcnow()
    since = cutoff(app, now, older_than=older_than, before=parse_date(before, "--before"))
    app.ensure_schema()
    served(app, "outbox prune")
    done = prune_outbox(app, since, now, apply=yes)
    when = since.isoformat(timespec="seconds")
    if not yes:
        typer.echo(
            f"would prune {count(len(done.keys), 'message')} sent or queued before {when} "
            f"and remove {file_copies(done.files)}: {_listed(done.keys)}"
            if done.keys
            else f"nothing to prune before {when}"
            + (
                f"; would remove {file_copies(done.files)} left by an earlier prune"
                if done.files
                else ""
            )
        )
        typer.echo("dry run: nothing changed (add --yes to prune)")
        return
    typer.echo(
        f"pruned {count(len(done.keys), 'message')} sent or queued before {when} "
        f"(key, kind, status and dates kept), removed {file_copies(done.files)}"
        + ("; recorded (regie.outbox.pruned)" if done.keys else "")
    )


def _why(app: App, status: str, pruned: datetime | None) -> str:
    """A refused key's state: its status, and the office's day it was pruned on (review11 5)."""
    from regie.services import office_day

    if pruned is None:
        return status
    return f"{status}, pruned on {office_day(app, pruned).isoformat()}: nothing left to send"


def _listed(keys: list[str]) -> str:
    return ", ".join(keys[:10]) + (f" and {len(keys) - 10} more" if len(keys) > 10 else "")


def _messages(keys: list[str], kind: str = "") -> str:
    """``1 message: k1``, ``2 failed messages: k1, k2``."""
    return f"{count(len(keys), f'{kind}message')}: {_listed(keys)}"


def file_copies(n: int) -> str:
    return count(n, "file copy", "file copies")


#: `regie outbox SUBCOMMAND …`: anything else is the listing's options.
SUBCOMMANDS = ("retry", "mark-sent", "prune")


def retry_command() -> typer.core.TyperGroup:
    command = typer.main.get_command(retry_app)
    assert isinstance(command, typer.core.TyperGroup)
    return command


class OutboxCommand(typer.core.TyperCommand):
    """`regie outbox`: ``regie outbox retry …`` goes to :func:`retry`, anything else lists."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: Any = None,
        **extra: Any,
    ) -> Any:
        if args and args[0] in SUBCOMMANDS:
            name = f"{info_name or 'outbox'} {args[0]}"
            command = retry_command().get_command(None, args[0])  # type: ignore[arg-type]
            assert command is not None
            return command.make_context(name, args[1:], parent=parent, **extra)
        return super().make_context(info_name, args, parent=parent, **extra)

    def format_epilog(self, ctx: Any, formatter: Any) -> None:
        super().format_epilog(ctx, formatter)
        with formatter.section("Also"):
            formatter.write_dl(
                [
                    (
                        "regie outbox retry (--key KEY… | --all-dead | --all-failed) [--yes]",
                        "give dead messages fresh attempts, send failed ones at the next send",
                    ),
                    (
                        "regie outbox mark-sent KEY… [--yes]",
                        "mark messages that went out before a restore as sent",
                    ),
                    (
                        "regie outbox prune (--older-than DAYS | --before DATE) [--yes]",
                        "erase old sent, suppressed and dead messages' personal content",
                    ),
                ]
            )


def warn_dead(app: App) -> bool:
    """Say on stderr when messages queued in the last week are dead (no more attempts) and how
    to retry them; True then (the command exits 1, as for a message not delivered)."""
    from regie.services import utcnow
    from store import outbox

    with app.session() as session:
        dead = outbox.dead_keys(session, app.programme_id(), since=utcnow() - outbox.DEAD_NOTICED)
    if not dead:
        return False
    typer.echo(
        f"  dead (no more attempts, not sent): {_messages(dead)}; "
        "see `regie outbox --status dead`, retry with `regie outbox retry --all-dead --yes`",
        err=True,
    )
    return True


def served(app: App, command: str) -> str:
    """The programme `regie COMMAND` serves (:func:`regie.programme_guard.served`), imported
    when run: the guard reads the database."""
    from regie.programme_guard import served as guard

    return guard(app, command)
