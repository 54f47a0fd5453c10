"""Every command answers --help, quickly importable, without touching the database."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.cli import regie


def all_commands() -> list[list[str]]:
    """Every command and group the CLI registers, so a new command cannot miss its help."""
    from regie.cli import app

    found: list[list[str]] = [[]]
    for command in app.registered_commands:
        assert command.callback is not None
        found.append([command.name or command.callback.__name__.replace("_", "-")])
    groups = [([], group) for group in app.registered_groups]
    while groups:  # nested groups too (e.g. `calendar token create`)
        prefix, group = groups.pop(0)
        assert group.name and group.typer_instance
        path = [*prefix, group.name]
        found.append(path)
        for command in group.typer_instance.registered_commands:
            assert command.name
            found.append([*path, command.name])
        groups.extend((path, sub) for sub in group.typer_instance.registered_groups)
    return found


COMMANDS = all_commands()
EXPECTED = {
    "plan validate", "plan show", "db upgrade", "db downgrade", "db current", "sync", "status",
    "cycle", "update", "events", "replay", "send", "outbox", "serve",
    "calendar token create", "calendar token list", "calendar token revoke", "calendar export",
}  # fmt: skip


def test_the_issues_commands_are_all_there() -> None:
    assert {" ".join(c) for c in COMMANDS} >= EXPECTED


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "regie")
def test_every_command_has_help(command: list[str]) -> None:
    result = regie(*command, "--help")
    assert result.code == 0
    assert "Usage:" in result.out
    assert result.err == ""


def test_help_does_not_import_heavy_packages() -> None:
    # `regie --help` must stay instant: no prefect, sqlalchemy or YAML loader on that path.
    code = (
        "import sys\n"
        "from regie.cli import app\n"
        "try:\n"
        "    app(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = [m for m in ('prefect', 'sqlalchemy', 'ruamel.yaml', 'alembic', 'holidays')"
        " if m in sys.modules]\n"
        "print('HEAVY:' + ','.join(heavy))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "HEAVY:\n" in proc.stdout, proc.stdout
