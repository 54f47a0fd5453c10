"""Every command answers --help, quickly importable, without touching the database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import cli
from tests.cli_in_process import regie
from tests.conftest import SEED_PLAN


def all_commands() -> list[list[str]]:
    """Every command and group the CLI registers, so a new command cannot miss its help."""
    from regie.cli.app import app

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
    "user add", "user disable",
}  # fmt: skip


def test_the_issues_commands_are_all_there() -> None:
    assert {" ".join(c) for c in COMMANDS} >= EXPECTED


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "regie")
def test_every_command_has_help(command: list[str]) -> None:
    # In process (a process of its own per command cost ≈ 0.5 s of CPU each, ~70 of them); the
    # process itself is the next test's and the import tests' below.
    result = regie(*command, "--help")
    assert result.code == 0
    assert "Usage:" in result.out
    assert result.err == ""


def test_help_in_a_process_of_its_own_says_nothing_else() -> None:
    result = cli.regie("--help")
    assert result.code == 0
    assert "Usage:" in result.out and "Commands:" in result.out
    assert result.err == ""


def test_group_help_gives_each_commands_whole_summary() -> None:
    # Plain (not Rich) help: Click alone would cut a summary at the terminal width with "...".
    for group in [c for c in COMMANDS if len(c) < 2 or c[:2] == ["calendar", "token"]]:
        out = regie(*group, "--help").out
        summaries = out.split("Commands:", 1)[1] if "Commands:" in out else ""
        assert "..." not in summaries, out
    assert "recording every change." in regie("--help").out


def test_help_does_not_import_heavy_packages() -> None:
    # `regie --help` must stay instant: no prefect, sqlalchemy or YAML loader on that path, and
    # no Rich (Typer's Rich help imports rich.markdown and markdown-it: half of `--help`).
    code = (
        "import sys\n"
        "from regie.cli.app import app\n"
        "try:\n"
        "    app(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = [m for m in ('prefect', 'sqlalchemy', 'ruamel.yaml', 'alembic', 'holidays',"
        " 'rich', 'markdown_it')"
        " if m in sys.modules]\n"
        "print('HEAVY:' + ','.join(heavy))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "HEAVY:\n" in proc.stdout, proc.stdout


IMPORTS = (
    "import sys\n"
    "from regie.cli.app import app\n"
    "try:\n"
    "    app(sys.argv[1:])\n"
    "except SystemExit as exit:\n"
    "    assert not exit.code, exit.code\n"
    "print('LOADED:' + ','.join(sorted({m.split('.')[0] for m in sys.modules})))\n"
)


def loaded_packages(args: list[str], home: Path) -> set[str]:
    """The top-level packages a command leaves in sys.modules (run in a fresh interpreter)."""
    env = {**os.environ, "REGIE_HOME": str(home), "REGIE_PLAN": str(SEED_PLAN)}
    env.pop("REGIE_DATABASE_URL", None)
    proc = subprocess.run(
        [sys.executable, "-c", IMPORTS, *args], capture_output=True, text=True, env=env, check=True
    )
    line = next(x for x in proc.stdout.splitlines() if x.startswith("LOADED:"))
    return set(line.removeprefix("LOADED:").split(","))


# What each command needs and what it must leave alone: Prefect (≈ 2 s) is only for a cycle on
# a Prefect server; Alembic (with Mako) only to migrate; SQLAlchemy only where the database is
# opened; Jinja2 and the notifiers only where messages are rendered or sent.
NOT_USED = {
    "plan validate": {"prefect", "sqlalchemy", "alembic", "mako", "jinja2", "notifications"},
    "status": {"prefect", "alembic", "mako", "jinja2", "notifications", "flows"},
}


def test_plan_validate_imports_no_database_and_no_prefect(tmp_path: Path) -> None:
    loaded = loaded_packages(["plan", "validate"], tmp_path / "home")
    assert "ruamel" in loaded  # it did parse the plan
    assert not loaded & NOT_USED["plan validate"], loaded & NOT_USED["plan validate"]


def test_plan_validate_beside_a_synced_sqlite_database_imports_no_sqlalchemy(
    tmp_path: Path,
) -> None:
    # It reads the synced plan's dates for its warnings, through the standard library.
    home = tmp_path / "home"
    assert regie("sync", env={"REGIE_HOME": str(home), "REGIE_DATABASE_URL": ""}).code == 0
    loaded = loaded_packages(["plan", "validate"], home)
    assert not loaded & NOT_USED["plan validate"], loaded & NOT_USED["plan validate"]


def test_status_imports_no_migrations_and_no_prefect(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert regie("db", "upgrade", env={"REGIE_HOME": str(home), "REGIE_DATABASE_URL": ""}).code == 0
    loaded = loaded_packages(["status", "--as-of", "2015-10-01"], home)
    assert "sqlalchemy" in loaded  # it did read the database
    assert not loaded & NOT_USED["status"], loaded & NOT_USED["status"]
