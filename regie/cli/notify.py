"""`regie notify test CONTACT_ID`: check a set-up by sending one test message to a contact."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import typer

from regie.cli.common import HelpGroup

if TYPE_CHECKING:
    from regie.bootstrap import App
    from store.records import OutboxRecord

notify_app = typer.Typer(
    rich_markup_mode=None,
    cls=HelpGroup,
    help="Check the Slack and e-mail set-up.",
    no_args_is_help=True,
)


@notify_app.command("test")
def notify_test(
    contact: Annotated[str, typer.Argument(help="Contact id from the plan or REGIE_CONTACTS.")],
) -> None:
    """Send one test message on the contact's channel and say what happened."""
    from regie.bootstrap import bootstrap
    from regie.notify import send_test

    for line in send_test(bootstrap(), contact):
        typer.echo(line)


def print_unreachable(app: App, rows: Sequence[OutboxRecord]) -> None:
    """Below `regie outbox`: contacts with undelivered messages that no channel reaches."""
    from regie.delivery import unreachable_contacts

    waiting = {r.recipient for r in rows if r.status in {"pending", "failed", "dead", "sending"}}
    if not waiting:
        return
    for u in unreachable_contacts(app, app.load_plan(), waiting):
        typer.echo(f"unreachable on {app.settings.notifier}: {u}")
