"""Commands for answers: spreadsheet import, status rounds, Slack Socket Mode (issue #10)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from regie.cli.app import AsOfOpt, _app, _services, parse_date


def import_updates(
    file: Annotated[
        Path, typer.Argument(help="CSV file: item,status,forecast,completed_on,note,contact.")
    ],
    as_of: AsOfOpt = None,
) -> None:
    """Record the answers in a spreadsheet (CSV): all rows or none, problems as FILE:LINE."""
    from regie.answer_import import import_updates as run

    app_ = _app()
    day = parse_date(as_of, "--as-of") or _services().today(app_)
    typer.echo(run(app_, file, day))


def register(app: typer.Typer) -> None:
    app.command("import-updates")(import_updates)
