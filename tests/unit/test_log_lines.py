"""`regie serve`'s log lines carry their level: a ``<N>`` priority for systemd's journal, the
level's name elsewhere (ops review, finding 8)."""

from __future__ import annotations

import io
import logging
import logging.config
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from regie.log_lines import LevelFormatter, priority, server_log_config, to_journal


def record(level: int, message: str, name: str = "regie.web") -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, message, None, None)


def test_journal_lines_start_with_the_syslog_priority() -> None:
    journal = LevelFormatter(journal=True)
    assert journal.format(record(logging.WARNING, "healthz: database: refused")) == (
        "<4>regie.web: healthz: database: refused"
    )
    assert journal.format(record(logging.ERROR, "x")).startswith("<3>")
    assert journal.format(record(logging.CRITICAL, "x")).startswith("<2>")
    assert journal.format(record(logging.INFO, "x")).startswith("<6>")
    assert journal.format(record(logging.DEBUG, "x")).startswith("<7>")
    # every line of a multi-line entry: journald files each line on its own
    assert journal.format(record(logging.ERROR, "one\ntwo")) == "<3>regie.web: one\n<3>two"
    assert [priority(level) for level in (5, 15, 25, 35, 45, 55)] == [7, 7, 6, 4, 3, 2]


def test_other_lines_name_the_level_and_the_logger() -> None:
    plain = LevelFormatter(journal=False)
    line = plain.format(record(logging.WARNING, "healthz: database: refused"))
    day, time, level, rest = line.split(" ", 3)
    assert len(day) == 10 and day[:4].isdigit() and time.count(":") == 2
    assert (level, rest) == ("WARNING", "regie.web: healthz: database: refused")


def test_the_journal_is_recognised_by_the_device_and_inode_of_standard_error(
    tmp_path: Path,
) -> None:
    with (tmp_path / "err").open("w") as stream:
        found = os.fstat(stream.fileno())
        mine = f"{found.st_dev}:{found.st_ino}"
        assert to_journal(stream, {"JOURNAL_STREAM": mine})
        assert not to_journal(stream, {"JOURNAL_STREAM": f"{found.st_dev}:{found.st_ino + 1}"})
        assert not to_journal(stream, {})
        assert not to_journal(stream, {"JOURNAL_STREAM": "junk"})
    assert not to_journal(io.StringIO(), {"JOURNAL_STREAM": mine})


@pytest.fixture
def restored_logging() -> Iterator[None]:
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    names = ("uvicorn", "uvicorn.error", "uvicorn.access")
    kept = {n: (logging.getLogger(n).handlers[:], logging.getLogger(n).level) for n in names}
    try:
        yield
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
        for name, (handlers, lvl) in kept.items():
            logging.getLogger(name).handlers[:] = handlers
            logging.getLogger(name).setLevel(lvl)


def test_the_server_s_warnings_and_uvicorn_s_reach_standard_error_with_their_level(
    restored_logging: None, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("JOURNAL_STREAM", raising=False)
    logging.config.dictConfig(server_log_config())
    logging.getLogger("regie.web").warning("healthz: database: refused")
    logging.getLogger("uvicorn.error").error("exception in ASGI application")
    logging.getLogger("regie.feeds").info("not shown: below the server's level")
    lines = capsys.readouterr().err.splitlines()
    assert [line.split(" ", 2)[2] for line in lines] == [
        "WARNING regie.web: healthz: database: refused",
        "ERROR uvicorn.error: exception in ASGI application",
    ]
