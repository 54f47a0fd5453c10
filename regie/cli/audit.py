"""`regie audit export|verify`, and the operator every command records as who did it.

`--operator NAME` (before the command: `regie --operator alice update …`) or REGIE_OPERATOR
names the person; without either, the OS login (:func:`store.actor.os_user`).
"""

from __future__ import annotations

import csv
import io
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from regie.cli.common import command_group

audit_app = command_group(
    help="The audit trail: export every recorded action, verify the safeguards.",
    no_args_is_help=True,
)


def operator_callback(
    operator: Annotated[
        str | None,
        typer.Option(
            "--operator",
            envvar="REGIE_OPERATOR",
            help="Who runs this command (recorded with every change it makes; default: "
            "$REGIE_OPERATOR, else your login name).",
        ),
    ] = None,
) -> None:
    """Regie: run a programme from its plan, plan/actions.yaml."""
    from regie.errors import InvalidInput
    from store.actor import clean_actor, os_user, set_actor

    if operator is not None and not clean_actor(operator):
        raise InvalidInput("--operator: say who runs the command (it is recorded)")
    set_actor(operator if operator is not None else os_user())


class ExportFormat(StrEnum):
    csv = "csv"
    json = "json"


@audit_app.command("export")
def audit_export(
    from_: Annotated[
        str,
        typer.Option(
            "--from",
            help="Recorded at or after: YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS], with +HH:MM or Z "
            "(without: the office's time zone).",
        ),
    ],
    to: Annotated[str, typer.Option("--to", help="Recorded before this moment (same forms).")],
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="csv or json.")] = (
        ExportFormat.csv
    ),
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write to this new file (0600); default stdout."),
    ] = None,
) -> None:
    """Export every recorded action in a recorded-at interval: status updates, decisions,
    meetings, plan revisions, events (logins, tokens, users, failed deliveries …), outbox
    messages queued and sent, erasures, redactions, archived reports. One row each: when
    recorded (ISO 8601, UTC offset), the business date apart, who, what, which item, where
    kept, and the record's details."""
    from regie.cli.common import _serving
    from regie.errors import InvalidInput
    from regie.history import audit_export as export
    from regie.history import office_zone, parse_instant
    from store.audit import EXPORT_COLUMNS

    app = _serving("audit export")
    zone = office_zone(app)
    start = parse_instant(from_, "--from", zone)
    end = parse_instant(to, "--to", zone)
    assert start is not None and end is not None
    rows = export(app, start, end)
    if fmt == ExportFormat.json:
        body = json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=2, default=str)
        data = (body + "\n").encode()
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(EXPORT_COLUMNS)
        writer.writerows(r.as_csv() for r in rows)
        data = buffer.getvalue().encode()
    if out is None or str(out) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    from store.files import write_private

    try:
        write_private(out, data, exclusive=True)  # 0600: names people and their notes
    except OSError as exc:
        raise InvalidInput(f"--out: cannot write {out}: {exc.strerror or exc}") from None
    typer.echo(f"{out}: {len(rows)} recorded action{'' if len(rows) == 1 else 's'}", err=True)


@audit_app.command("verify")
def audit_verify() -> None:
    """Check what the database's triggers cannot guard themselves: the append-only triggers
    are present, unchanged and enabled (PostgreSQL: and the guard functions they run have the
    bodies the migrations installed), and (SQLite) no row was deleted from a table whose
    rows are never deleted (gaps in its ids). One line per problem; exit 1 on any."""
    from regie.cli.common import _app
    from regie.history import audit_verify as verify

    problems = verify(_app(delivery=False))
    for line in problems:
        typer.echo(line, err=True)
    if problems:
        raise typer.Exit(1)
    typer.echo("audit trail verified: triggers in place, no missing rows found")
