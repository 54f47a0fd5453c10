"""Every command that writes to ``--out`` takes ``-o`` too, as the report commands do (walk54
9: `regie calendar export -o FILE` failed with "No such option: -o")."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import typer

from regie.cli.app import app


def _commands(command: Any, path: str) -> Iterator[tuple[str, Any]]:
    """Every command under ``command`` by its path (typer's own click: groups have commands)."""
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _commands(sub, f"{path} {name}")


def test_every_out_option_has_the_short_o() -> None:
    with_out = {
        path: option.opts
        for path, command in _commands(typer.main.get_command(app), "regie")
        for option in command.params
        if "--out" in option.opts
    }
    assert {"regie calendar export", "regie update-sheet", "regie report agenda"} <= set(with_out)
    assert {path: opts for path, opts in with_out.items() if "-o" not in opts} == {}
    taken = {
        path: [o.name for o in command.params if "-o" in o.opts and "--out" not in o.opts]
        for path, command in _commands(typer.main.get_command(app), "regie")
    }
    assert {path: names for path, names in taken.items() if names} == {}  # -o means --out only
