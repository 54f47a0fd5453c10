"""Errors the CLI turns into clear one-line messages (never a traceback)."""

from __future__ import annotations


class RegieError(Exception):
    """A problem the user can fix; ``lines`` are printed one per line, ``exit_code`` returned."""

    exit_code = 1

    def __init__(self, *lines: str, exit_code: int | None = None) -> None:
        super().__init__("\n".join(lines))
        self.lines = list(lines)
        if exit_code is not None:
            self.exit_code = exit_code


class InvalidInput(RegieError):
    """Bad input (plan file, option value): exit 2."""

    exit_code = 2


class DatabaseNotReady(RegieError):
    """The database is missing or not at the latest migration."""

    exit_code = 3
