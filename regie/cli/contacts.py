"""`regie contact export|forget`: one person's data (AVG articles 15 and 17)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from regie.cli.common import command_group

contact_app = command_group(
    help="One contact's personal data: export it, or forget a contact who left.",
    no_args_is_help=True,
)


@contact_app.command("export")
def contact_export(
    contact: Annotated[str, typer.Argument(help="The contact's id in the plan.")],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write to this file (never overwritten).")
    ] = None,
) -> None:
    """Everything stored about one contact as JSON (right of access, AVG article 15)."""
    from regie.bootstrap import bootstrap
    from regie.erasure import export_contact, write_export
    from regie.services import utcnow

    text = write_export(export_contact(bootstrap(), contact, utcnow()), out)
    typer.echo(text, nl=out is not None)


@contact_app.command("forget")
def contact_forget(
    contact: Annotated[str, typer.Argument(help="The contact's id (no longer in the plan).")],
    yes: Annotated[
        bool, typer.Option("--yes", help="Erase now; without it nothing changes (a dry run).")
    ] = False,
    notes: Annotated[
        bool, typer.Option("--notes", help="Blank the notes of their status updates too.")
    ] = False,
) -> None:
    """Erase a departed contact's personal data, keeping the audit trail under a pseudonym
    (right to erasure, AVG article 17). Prints the changes per table."""
    from regie.bootstrap import bootstrap
    from regie.erasure import forget_contact
    from regie.services import utcnow

    report = forget_contact(bootstrap(), contact, utcnow(), notes=notes, apply=yes)
    verb = "forgot" if report.done else "would forget"
    typer.echo(f"{verb} contact {report.contact} as {report.pseudonym}")
    for table, count in report.counts.items():
        typer.echo(f"  {table}: {count}")
    if not report.done:
        typer.echo("dry run: nothing changed (add --yes to erase)")
