"""`regie notify test CONTACT_ID`: check a set-up by sending one test message to a contact."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import typer

from regie.cli.common import command_group

if TYPE_CHECKING:
    from regie.bootstrap import App
    from store.records import OutboxRecord

notify_app = command_group(
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


WAITING = frozenset({"pending", "failed", "dead", "sending"})


def unreachable_reasons(app: App, rows: Sequence[OutboxRecord]) -> dict[str, str]:
    """Contacts with undelivered messages that no channel reaches, with why not. Empty when
    the plan cannot be read: the outbox is an audit log that must list without it."""
    from regie.delivery import unreachable_contacts
    from regie.errors import InvalidInput

    waiting = {r.recipient for r in rows if r.status in WAITING}
    if not waiting:
        return {}
    try:
        plan = app.load_plan()
    except InvalidInput:
        return {}
    return {u.contact_id: u.reason for u in unreachable_contacts(app, plan, waiting)}


def print_unreachable(app: App, rows: Sequence[OutboxRecord]) -> None:
    """Below `regie outbox`: contacts with undelivered messages that no channel reaches."""
    for contact_id, reason in unreachable_reasons(app, rows).items():
        typer.echo(f"unreachable on {app.settings.notifier}: {contact_id} ({reason})")
