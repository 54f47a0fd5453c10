"""The `regie` command line: a thin layer over :mod:`regie.services`.

Heavy packages (SQLAlchemy, Prefect, the YAML loader) are imported inside the commands so that
``regie --help`` answers instantly.
"""

from __future__ import annotations

import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from regie.errors import InvalidInput, RegieError

app = typer.Typer(
    name="regie",
    help="Regie: run a programme's plan van aanpak from plan/actions.yaml.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
plan_app = typer.Typer(help="Read and check the plan file.", no_args_is_help=True)
db_app = typer.Typer(help="Create and migrate the database.", no_args_is_help=True)
app.add_typer(plan_app, name="plan")
app.add_typer(db_app, name="db")


class Format(StrEnum):
    table = "table"
    json = "json"


PlanPath = Annotated[
    Path | None,
    typer.Argument(help="Plan file (default: $REGIE_PLAN or plan/actions.yaml)."),
]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", help="Business date YYYY-MM-DD (default: today in the office's zone)."),
]


def parse_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{option}: {value!r} is not a date (use YYYY-MM-DD)") from None


def _services():  # type: ignore[no-untyped-def]
    from regie import services

    return services


def _app():  # type: ignore[no-untyped-def]
    from regie.bootstrap import bootstrap

    return bootstrap()


# --- plan -----------------------------------------------------------------------------------


@plan_app.command("validate")
def plan_validate(path: PlanPath = None) -> None:
    """Check the plan file; print every problem as PATH:LINE:COL: message (exit 2 on problems)."""
    summary = _services().validate(_app(), path)
    typer.echo(summary)


@plan_app.command("show")
def plan_show(path: PlanPath = None, fmt: FormatOpt = Format.table) -> None:
    """Print the plan: steps, actions, milestones with their gereed and typed period."""
    _services().show_plan(_app(), path, fmt.value)


# --- db ---------------------------------------------------------------------------------------


@db_app.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Option(help="Target revision.")] = "head",
) -> None:
    """Create or migrate the database to the latest (or given) revision."""
    typer.echo(_services().db_upgrade(_app(), revision))


@db_app.command("downgrade")
def db_downgrade(
    revision: Annotated[str, typer.Argument(help="Target revision, e.g. base or 0001.")],
) -> None:
    """Migrate the database down to REVISION."""
    typer.echo(_services().db_downgrade(_app(), revision))


@db_app.command("current")
def db_current() -> None:
    """Print the database URL (password hidden) and its migration revision."""
    typer.echo(_services().db_current(_app()))


# --- programme ------------------------------------------------------------------------------


@app.command()
def sync(path: PlanPath = None) -> None:
    """Load the plan into the database in one transaction, recording every change."""
    typer.echo(_services().sync(_app(), path))


@app.command()
def status(
    as_of: AsOfOpt = None,
    step: Annotated[int | None, typer.Option(help="Only this step number.")] = None,
    owner: Annotated[str | None, typer.Option(help="Only items this organisation owns.")] = None,
    state: Annotated[str | None, typer.Option(help="Only items in this state.")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Show every milestone with its due date, state and RAG colour."""
    _services().status(
        _app(), parse_date(as_of, "--as-of"), step=step, owner=owner, state=state, fmt=fmt.value
    )


def main() -> None:
    """Entry point: known problems become one line per problem and a non-zero exit."""
    try:
        app()
    except RegieError as exc:
        for line in exc.lines:
            print(line, file=sys.stderr)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)


if __name__ == "__main__":
    main()
