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


class JsonFormatter(logging.Formatter):
    """One JSON object a line (REGIE_LOG_FORMAT=json), for a log collector: ``time`` (UTC,
    ISO 8601), ``level``, ``logger``, ``message`` and, with an exception, ``exception``."""

    def format(self, record: logging.LogRecord) -> str:
        import json
        from datetime import UTC, datetime

        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


#: The loggers REGIE_LOG_LEVEL opens up; every other library stays at WARNING (slack_sdk's
#: and the HTTP clients' debug lines would show tokens and personal data).
OWN_LOGGERS = ("regie", "uvicorn", "uvicorn.error", "uvicorn.access")


def server_log_config(level: str = "WARNING", form: str = "text") -> dict[str, Any]:
    """The logging set-up of `regie serve` (uvicorn's ``log_config``): Regie's and uvicorn's
    records at ``level`` and above, other libraries' at WARNING and above, on standard error,
    one :class:`LevelFormatter` line each (``form`` ``json``: a :class:`JsonFormatter` one)."""
    formatter = "json" if form == "json" else "level"
    handler = {
        "class": "logging.StreamHandler",
        "formatter": formatter,
        "stream": "ext://sys.stderr",
    }
    # uvicorn's own loggers would otherwise keep the handlers of its default set-up
    own = {name: {"handlers": [], "level": level, "propagate": True} for name in OWN_LOGGERS}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"level": {"()": LevelFormatter}, "json": {"()": JsonFormatter}},
        "handlers": {"stderr": handler},
        "loggers": own,
        "root": {"handlers": ["stderr"], "level": "WARNING"},
    }
