"""`regie update redact UPDATE_ID --reason TEXT [--yes]`: the office removes personal data from
one status update's note.

`regie update` takes an item id as its argument (`regie update 1.1.1 --status …`); an item id is
``STEP.N…`` (docs/plan-schema.md), so a first argument ``redact`` can only mean this command:
:class:`UpdateCommand` hands such a call to it.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
import typer.core

from regie.cli.common import command_group

redact_app = command_group(add_completion=False)


@redact_app.command("redact")
def redact(
    update_id: Annotated[
        int,
        typer.Argument(
            metavar="UPDATE_ID",
            help="The status update's id: listed by `regie status ITEM`, also update_id in "
            "`regie events --item ITEM --format json` and printed when it was recorded.",
        ),
    ],
    reason: Annotated[
        str, typer.Option("--reason", help="Why (recorded with the redaction; no personal data).")
    ],
    yes: Annotated[
        bool, typer.Option("--yes", help="Redact now; without it nothing changes (a dry run).")
    ] = False,
) -> None:
    """Replace one status update's note by a placeholder, also where it was copied (events,
    unsent messages, feeds; an unsent message's .eml file is removed); the redaction is
    recorded, never the old text. Archived reports and sent messages stay as they are."""
    from regie.bootstrap import bootstrap
    from regie.erasure import redact_update
    from regie.services import utcnow

    # Who redacts is recorded: the operator (`regie --operator`, REGIE_OPERATOR, the OS login).
    report = redact_update(bootstrap(), update_id, utcnow(), reason=reason, apply=yes)
    verb = "redacted" if report.done else "would redact"
    typer.echo(f"{verb} the note of update {report.update_id} (item {report.item})")
    for table, count in report.counts.items():
        typer.echo(f"  {table}: {count}")
    typer.echo("archived reports and sent messages are not changed (kept as they were)")
    if not report.done:
        typer.echo("dry run: nothing changed (add --yes to redact)")


def redact_command() -> typer.core.TyperCommand:
    command = typer.main.get_command(redact_app)
    assert isinstance(command, typer.core.TyperCommand)
    return command


class UpdateCommand(typer.core.TyperCommand):
    """`regie update`: ``regie update redact …`` goes to :func:`redact`, anything else is an
    answer for an item."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: Any = None,
        **extra: Any,
    ) -> Any:
        if args and args[0] == "redact":
            name = f"{info_name or 'update'} redact"
            return redact_command().make_context(name, args[1:], parent=parent, **extra)
        return super().make_context(info_name, args, parent=parent, **extra)

    def format_epilog(self, ctx: Any, formatter: Any) -> None:
        super().format_epilog(ctx, formatter)
        usage = "regie update redact UPDATE_ID --reason TEXT [--yes]"
        with formatter.section("Also"):
            formatter.write_dl([(usage, "remove personal data from one update's note")])
