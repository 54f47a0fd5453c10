"""Errors the CLI turns into clear one-line messages (never a traceback)."""

from __future__ import annotations

#: Control characters (C0, DEL, C1) and Unicode's line and paragraph separators, as escapes: a
#: problem quoting a value with a line break stays one line (``\\n``, ``\\x1b`` …), and a
#: value cannot move the terminal's cursor or fake another line of output.
_ESCAPES = {c: ascii(chr(c))[1:-1] for c in (*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029)}


def one_line(text: str) -> str:
    """``text`` with its control characters escaped, so it prints as exactly one line."""
    return text.translate(_ESCAPES)


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


class ServiceUnreachable(RegieError):
    """A service Regie needs does not answer (the Prefect API a cycle runs on): exit 3, as for
    a database that cannot be used; exit 1 stays "a message could not be delivered"."""

    exit_code = 3
