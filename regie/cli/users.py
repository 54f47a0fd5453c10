"""`regie user add|list|password|disable|enable|unlock|forget`: the office's web logins."""

from __future__ import annotations

from typing import Annotated

import typer

from regie.cli.common import Format, FormatOpt, command_group

user_app = command_group(
    help="Users who may log in to the office's web page.",
    no_args_is_help=True,
)


@user_app.command("add")
def user_add(
    username: Annotated[str, typer.Argument(help="Login name (lower case).")],
    name: Annotated[str | None, typer.Option(help="Name shown on the page.")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Add a user; the password is asked twice (or read from stdin) and stored as an argon2 hash."""
    from regie.bootstrap import bootstrap
    from regie.services import utcnow
    from regie.users import add_user

    typer.echo(add_user(bootstrap(), username, _password(password_stdin), name, utcnow()))


def _password(from_stdin: bool) -> str:
    """The password typed twice, or one line of standard input."""
    import sys

    from regie.errors import InvalidInput

    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    if not password:
        raise InvalidInput("password: empty")
    return password


@user_app.command("password")
def user_password(
    username: Annotated[str, typer.Argument(help="Login name.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Set a new password for a user (forgotten, or to be changed after a leak): asked twice or
    read from stdin, held to the rules of a new one; their failed logins and lock are cleared,
    their sessions end (recorded, with who did it)."""
    from regie.bootstrap import bootstrap
    from regie.services import utcnow
    from regie.users import set_password

    typer.echo(set_password(bootstrap(), username, _password(password_stdin), utcnow()))


@user_app.command("enable")
def user_enable(
    username: Annotated[str, typer.Argument(help="Login name of a disabled user.")],
) -> None:
    """Let a disabled user log in again (recorded, with who did it); a forgotten user cannot be."""
    from regie.bootstrap import bootstrap
    from regie.services import utcnow
    from regie.users import enable_user

    typer.echo(enable_user(bootstrap(), username, utcnow()))


@user_app.command("list")
def user_list(fmt: FormatOpt = Format.table) -> None:
    """List the users: name, state (active, locked, disabled), created and last login (UTC)."""
    from regie.bootstrap import bootstrap
    from regie.cli.tables import console, print_json, users_table
    from regie.services import utcnow
    from regie.users import list_users

    users = list_users(bootstrap(), utcnow())
    if fmt == Format.json:
        print_json(users)
    elif not users:
        typer.echo("no users (add one with `regie user add NAME`)")
    else:
        console().print(users_table(users))


@user_app.command("disable")
def user_disable(
    username: Annotated[str, typer.Argument(help="Login name.")],
) -> None:
    """Disable a user: no more logins, and their open sessions end now."""
    from regie.bootstrap import bootstrap
    from regie.services import utcnow
    from regie.users import disable_user

    typer.echo(disable_user(bootstrap(), username, utcnow()))


@user_app.command("unlock")
def user_unlock(
    username: Annotated[str, typer.Argument(help="Login name.")],
) -> None:
    """Unlock a user: clear the failed logins and the lock they set (recorded, with who did it:
    `regie --operator NAME user unlock …`)."""
    from regie.bootstrap import bootstrap
    from regie.services import utcnow
    from regie.users import unlock_user

    typer.echo(unlock_user(bootstrap(), username, utcnow()))


@user_app.command("forget")
def user_forget(
    username: Annotated[str, typer.Argument(help="Login name of a disabled user.")],
    yes: Annotated[bool, typer.Option("--yes", help="Required: this cannot be undone.")] = False,
) -> None:
    """Forget a disabled user: the login name becomes vertrokken-gebruiker-N, the display name
    and the sessions go (AVG article 17)."""
    from regie.bootstrap import bootstrap
    from regie.errors import InvalidInput
    from regie.services import utcnow
    from regie.users import forget_user

    if not yes:
        raise InvalidInput(f"user forget {username}: add --yes (this cannot be undone)")
    typer.echo(forget_user(bootstrap(), username, utcnow()))
