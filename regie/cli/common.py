"""What the command modules share: option types, date parsing, the app and the use cases.

Command modules import these from here, never from :mod:`regie.cli.app` (which imports the
command modules to register them: importing back would make a circle).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
import typer.core

from regie.errors import InvalidInput

if TYPE_CHECKING:
    from types import ModuleType

    from regie.bootstrap import App


class HelpGroup(typer.core.TyperGroup):
    """Plain (not Rich) help, with each command's whole first sentence.

    Typer's Rich help imports rich.markdown and markdown-it (≈ 0.2 s, most of `regie --help`);
    Click's plain help is instant but cuts a command's summary at the terminal width.
    Every command group here is made by :func:`command_group`.
    """

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=1_000)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def command_group(**kwargs: Any) -> typer.Typer:
    """A ``typer.Typer`` with the plain, instant help of :class:`HelpGroup`."""
    return typer.Typer(rich_markup_mode=None, cls=HelpGroup, **kwargs)


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
    from governance.dates import parse_iso_date

    try:
        return parse_iso_date(value)  # ISO only: not 20160301, not 2016-W10-1
    except ValueError as exc:
        raise InvalidInput(f"{option}: {exc}") from None


def update_day(app: App, as_of: str | None) -> date:
    """The business day an update counts from: ``--as-of`` or today, never after today (a
    future-dated update would be the latest one until its day, unseen before it). A simulation
    (REGIE_SIMULATE) stands at the last day its cycle ran, which may be after today: an update
    up to that day is of its past, as a decision's meeting is (follow46)."""
    services = _services()
    today = services.today(app)
    day = parse_date(as_of, "--as-of") or today
    if day <= today:
        return day
    if not app.settings.simulate:
        hint = services.simulation_hint(app, app.programme_id(), today, "an update", day)
        raise InvalidInput(
            f"--as-of: {day} is after today ({today}): an update counts from today{hint}"
        )
    reached = services.simulation_short_of(app, app.programme_id(), day)
    if reached is not None:
        raise InvalidInput(
            f"--as-of: {day} is after today ({today}) and the simulation {reached}; an update "
            f"counts from a day the simulation reached: run `regie cycle --simulate --as-of "
            f"{day}` first"
        )
    return day


def unknown_item(app: App, item: str) -> InvalidInput:
    """The one-line error for an item id the programme does not have (``update``, ``events``)."""
    from governance.dates import shorten

    return InvalidInput(f"{shorten(item)}: no such action or milestone in {app.programme_id()}")


def renumbered_item(app: App, item: str, command: str) -> InvalidInput | None:
    """The one-line error for the old id of an item the plan renumbered (``formerly``): it
    names the new id, which took over its history (walk55a 5); None: ``item`` is not one."""
    from regie.history import renumbered_as

    new = renumbered_as(app, item)
    if new is None:
        return None
    return InvalidInput(
        f"{item}: renumbered to {new} (formerly): its history is under {new}; "
        f"use `regie {command} {new}`"
    )


def _services() -> ModuleType:
    from regie import services

    return services


def _app(*, delivery: bool = True) -> App:
    """The application; ``delivery=False`` for a command that only reads the outbox or the
    event log, which needs no channel's settings (see :func:`regie.config.load_settings`)."""
    from regie.bootstrap import bootstrap
    from regie.config import load_settings

    return bootstrap(load_settings(delivery=delivery))


def _serving(command: str, *, delivery: bool = False) -> App:
    """:func:`_app` for a command that needs no plan (send, outbox, events, prune), with the
    programme it serves known: in a database holding several, the one REGIE_PLAN names, or
    one line (:func:`regie.programme_guard.served`)."""
    from regie.programme_guard import served

    app = _app(delivery=delivery)
    served(app, command)
    return app
