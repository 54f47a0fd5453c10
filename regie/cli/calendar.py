"""`regie calendar`: feed tokens (create, list, revoke) and exporting a feed without a server."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from regie.cli.common import command_group

if TYPE_CHECKING:
    from regie.bootstrap import App

calendar_app = command_group(
    help="Calendar feeds (.ics) and their subscription tokens.",
)
token_app = command_group(
    help="Create, list and revoke feed tokens.",
    no_args_is_help=True,
)
calendar_app.add_typer(token_app, name="token")

ScopeOpt = Annotated[
    str,
    typer.Option(help="programme | org:ID | step:N | contact:ID | body:ID (a governance body)."),
]


@token_app.command("create")
def token_create(
    scope: ScopeOpt = "programme",
    label: Annotated[str | None, typer.Option(help="Who or what it is for.")] = None,
) -> None:
    """Create a token; print its https and webcal:// subscribe URLs (shown only this once)."""
    from sqlalchemy.exc import DBAPIError

    from governance.clock import utcnow
    from regie.bootstrap import bootstrap
    from regie.errors import InvalidInput
    from regie.feeds import LABEL_MAX, create_token

    if label is not None and len(label) > LABEL_MAX:  # as the /agenda form (walk57c 5)
        raise InvalidInput(f"label: at most {LABEL_MAX} characters, this one has {len(label)}")

    app = bootstrap()
    try:
        made = create_token(app, scope, label, utcnow())
    except DBAPIError:
        _require_synced(app)  # the likely cause, said in one line; anything else as it was
        raise
    typer.echo(f"calendar token {made.id} for {made.scope}")
    typer.echo(f"  {made.url}")
    typer.echo(f"  {made.webcal_url}")
    if made.events == 0:
        typer.echo(
            f"warning: the feed for {made.scope} holds no events today: nothing in it has a "
            "date yet (undated, open-ended, periodic and waiting items are not in feeds, nor "
            "are meetings of a body without a schedule); the subscriber sees an empty "
            "calendar until something gets a date",
            err=True,
        )
    elif made.events is not None:
        # The number follows the count (walk49 13): "1 event today", "3 events today".
        typer.echo(f"  {made.events} event{'' if made.events == 1 else 's'} today")


def _require_synced(app: App) -> None:
    """A token belongs to a programme in the database: before the first `regie sync` (or
    `regie cycle`) there is none, and one line says so (exit 2, as for a bad --scope) instead
    of a foreign-key error (exit 3)."""
    from regie.errors import InvalidInput
    from store.audit import programme_stored

    programme_id = app.programme_id()
    with app.session() as session:
        if not programme_stored(session, programme_id):
            raise InvalidInput(
                f"calendar token create: programme {programme_id!r} is not in the database "
                "yet: run `regie sync` first"
            )


@token_app.command("list")
def token_list(
    fmt: Annotated[str, typer.Option("--format", "-f", help="table | json")] = "table",
) -> None:
    """List tokens: id, scope, label, created, last used, revoked, status (active, revoked, or
    contact left: a contact no longer in the plan; never the token itself)."""
    from regie.bootstrap import bootstrap
    from regie.errors import InvalidInput
    from regie.feeds import list_tokens

    if fmt not in ("table", "json"):
        raise InvalidInput(f"--format: {fmt!r} is not table or json")
    rows = list_tokens(bootstrap())
    if fmt == "json":
        from regie.cli.tables import print_json

        print_json(rows)
        return
    if not rows:  # one line, as `regie user list` says it (walk56c 6)
        typer.echo("no calendar tokens (make one with `regie calendar token create`)")
        return
    from rich.table import Table

    from regie.cli.tables import console

    table = Table("id", "scope", "label", "created", "last used", "revoked", "status")
    for row in rows:
        table.add_row(*(str(row[k] or "") for k in ("id", "scope", "label", "created")),
                      str(row["last_used"] or ""), str(row["revoked"] or ""),
                      row["status"] or "unknown (plan unreadable)")  # fmt: skip
    console().print(table)
    if any(row["status"] == "contact left" for row in rows):
        typer.echo(
            "contact left: the contact is no longer in the plan, so the URL serves an empty "
            "calendar that says the subscription ended; their successor gets a token of their "
            "own: regie calendar token create --scope contact:ID"
        )


@token_app.command("revoke")
def token_revoke(
    token_id: Annotated[int, typer.Argument(help="The id from `regie calendar token list`.")],
) -> None:
    """Revoke a token: from now on its URL serves an empty calendar that says the
    subscription ended (so calendar apps drop its events); a URL never issued answers 404."""
    from governance.clock import utcnow
    from regie.bootstrap import bootstrap
    from regie.feeds import revoke_token

    typer.echo(revoke_token(bootstrap(), token_id, utcnow()))


@calendar_app.command("export")
def export(
    scope: ScopeOpt = "programme",
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="Write here instead of standard output ('-': standard output)."
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Business date YYYY-MM-DD (default: today). Another day is a read-only look "
            "at the plan as it stood that day: what it publishes is not remembered, and "
            "SEQUENCE is counted from what was last published for today (by the server or an "
            "export for today): 0 for an item never published, as in a replay that only "
            "exports past days.",
        ),
    ] = None,
) -> None:
    """Write a scope's feed (.ics) without a server."""
    import sys

    from governance.counts import count
    from regie.bootstrap import bootstrap
    from regie.cli.common import parse_date
    from regie.errors import InvalidInput
    from regie.feeds import export_feed

    # Another day than today is a look, not a publication: nothing is remembered of it.
    body = export_feed(bootstrap(), scope, parse_date(as_of, "--as-of"), record=None)
    if out is None or str(out) == "-":
        sys.stdout.buffer.write(body)
        sys.stdout.flush()
    else:
        try:
            out.write_bytes(body)
        except OSError as exc:  # the user's path: bad input (2), not the machine's fault (3)
            raise InvalidInput(f"--out: cannot write {out}: {exc.strerror or exc}") from None
        typer.echo(f"{out}: {count(body.count(b'BEGIN:VEVENT'), 'event')}", err=True)
