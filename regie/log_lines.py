"""How `regie serve` writes its log lines: each carries its level, so that a monitor can pick
out the warnings.

Under systemd (standard error connected to the journal: ``JOURNAL_STREAM`` names that very
stream) every line starts with the syslog priority in angle brackets, ``<4>`` for a warning,
which journald takes as the entry's priority (``journalctl -p warning`` shows it) and strips;
the journal adds the time itself. Anywhere else a line reads
``2026-12-04 07:00:00,123 WARNING regie.web: …``.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping
from typing import IO, Any

#: syslog priorities (RFC 5424) of Python's levels, as journald reads them from a ``<N>`` prefix.
PRIORITIES = ((logging.CRITICAL, 2), (logging.ERROR, 3), (logging.WARNING, 4), (logging.INFO, 6))
DEBUG_PRIORITY = 7


def priority(level: int) -> int:
    """The syslog priority of a logging level (a custom level gets that of the level below)."""
    for threshold, value in PRIORITIES:
        if level >= threshold:
            return value
    return DEBUG_PRIORITY


def to_journal(stream: IO[str] | None = None, env: Mapping[str, str] | None = None) -> bool:
    """Whether ``stream`` (standard error by default) is systemd's journal: ``JOURNAL_STREAM``
    (``DEVICE:INODE``) names it. A stream merely inherited from a unit, then redirected to a
    file or a pipe, has another device or inode and keeps the plain format."""
    value = (os.environ if env is None else env).get("JOURNAL_STREAM", "")
    device, _, inode = value.partition(":")
    if not (device.isdigit() and inode.isdigit()):
        return False
    try:
        found = os.fstat((sys.stderr if stream is None else stream).fileno())
    except (AttributeError, OSError, ValueError):  # no file behind it (a test's StringIO)
        return False
    return (found.st_dev, found.st_ino) == (int(device), int(inode))


class LevelFormatter(logging.Formatter):
    """A line with the level: ``<4>regie.web: …`` for the journal, ``TIME WARNING regie.web: …``
    elsewhere. In the journal each line of a multi-line entry (a traceback) carries the prefix,
    as journald files every line as an entry of its own."""

    def __init__(self, journal: bool | None = None) -> None:
        self.journal = to_journal() if journal is None else journal
        shown = "%(name)s: %(message)s"
        super().__init__(shown if self.journal else f"%(asctime)s %(levelname)s {shown}")

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        if not self.journal:
            return text
        prefix = f"<{priority(record.levelno)}>"
        return "\n".join(prefix + line for line in text.split("\n"))


def server_log_config(level: str = "WARNING") -> dict[str, Any]:
    """The logging set-up of `regie serve` (uvicorn's ``log_config``): Regie's and uvicorn's
    records at ``level`` and above on standard error, one :class:`LevelFormatter` line each."""
    handler = {"class": "logging.StreamHandler", "formatter": "level", "stream": "ext://sys.stderr"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"level": {"()": LevelFormatter}},
        "handlers": {"stderr": handler},
        "loggers": {
            # uvicorn's own loggers would otherwise keep the handlers of its default set-up
            "uvicorn": {"handlers": [], "level": level, "propagate": True},
            "uvicorn.error": {"handlers": [], "level": level, "propagate": True},
            "uvicorn.access": {"handlers": [], "level": level, "propagate": True},
        },
        "root": {"handlers": ["stderr"], "level": level},
    }
