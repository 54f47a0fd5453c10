"""Run the `regie` command inside the test process: :func:`tests.cli.regie`'s twin, without a
Python start and Regie's imports per call (≈ 0.7–1 s each).

For tests of what a command does, not of the process around it: the same entry point
(``regie.cli.app.main``: one line per problem, the exit codes), the test's environment with
``env`` on top, ``COLUMNS=200``, stdout and stderr read back as :func:`subprocess.run` with
``text=True`` reads them (UTF-8, universal newlines). Left out is what only a process of its
own has: ``regie.cli.main``'s Ctrl-C handlers and its exit path (``gc.freeze()``, which a
test process must not do). The command's own database connections are closed afterwards, as
its exit would. What a fresh process would not have is not there for the command: no notes,
no context variables set (``--operator``'s actor), no cycle lock counted as this process's
own. A warning goes to stderr as the interpreter shows it, and stderr holding a traceback
fails the test, as :func:`tests.cli.regie` makes it; a bug's exception (which a process
prints as a traceback) does too. A test's clock (:data:`tests.cli.clock`) is the command's
clock too, as in :mod:`tests.clocked_cli`. Commands that fork a PDF worker or read stdin keep
using :func:`tests.cli.regie`.
"""

from __future__ import annotations

import contextvars
import io
import logging
import os
import sys
import threading
import time
import traceback
import warnings
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TextIO
from unittest import mock

from tests import cli
from tests.cli import ROOT, Result


def regie(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> Result:
    """:func:`tests.cli.regie`, in process."""
    from regie import locks
    from regie.bootstrap import NOTES
    from regie.cli.app import main
    from store import db

    out, err = io.BytesIO(), io.BytesIO()
    stdout = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
    stderr = io.TextIOWrapper(err, encoding="utf-8", write_through=True)
    before = set(db._LIVE_ENGINES)
    code: int = 0
    with (
        mock.patch.dict(os.environ, {"COLUMNS": "200", **os.environ, **(env or {})}),
        mock.patch.object(sys, "argv", ["regie", *args]),
        _working_directory(cwd),
        _clock(),
        redirect_stdout(stdout),
        redirect_stderr(stderr),
        # A process of its own has no logging handler: warnings reach stderr (logging's last
        # resort), not pytest's capture.
        mock.patch.object(logging.root, "handlers", [_last_resort(stderr)]),
        _process_warnings(stderr),
        # A cycle lock this test holds is another's to a process of its own.
        mock.patch.object(locks, "_held", set()),
    ):
        # A process of its own starts with no notes: one a test's own bootstrap left (a new
        # SQLite home's) would otherwise be said by the next command (CI46).
        NOTES.clear()
        try:
            contextvars.Context().run(main)  # a fresh process's: no context variable set
        except SystemExit as exc:
            code = _exit_code(exc.code, stderr)
        except Exception:  # a bug: a process prints its traceback and exits 1
            traceback.print_exc(file=stderr)
            code = 1
        finally:
            NOTES.clear()  # a failed command's notes are never said (regie.cli.app.main)
            for engine in set(db._LIVE_ENGINES) - before:
                engine.dispose()
    result = Result(code, _read(stdout, out), _read(stderr, err))
    assert "Traceback" not in result.err, result.err
    return result


def _exit_code(code: object, stderr: io.TextIOWrapper) -> int:
    """The process's exit status for ``sys.exit(code)``: a text is printed and exits 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=stderr)
    return 1


@contextmanager
def _process_warnings(stream: io.TextIOWrapper) -> Iterator[None]:
    """Warnings as a process of its own shows them: Python's default filters (not pytest's),
    each on ``stream`` in the interpreter's format (pytest would only collect them). A thread
    the test started before (a fake server's) keeps its warnings away from the command's."""
    command, others = threading.current_thread(), set(threading.enumerate())
    forward = warnings.showwarning

    def show(
        message: Warning | str,
        category: type[Warning],
        filename: str,
        lineno: int,
        file: TextIO | None = None,
        line: str | None = None,
    ) -> None:
        here = threading.current_thread()
        if here is not command and here in others:
            forward(message, category, filename, lineno, file, line)
            return
        stream.write(warnings.formatwarning(message, category, filename, lineno, line))

    with warnings.catch_warnings():
        warnings.resetwarnings()
        for category in DEFAULT_IGNORED:
            warnings.filterwarnings("ignore", category=category, append=True)
        warnings.filterwarnings("default", category=DeprecationWarning, module="__main__")
        warnings.showwarning = show
        yield


#: What Python's default warning filters leave out (``sys.warnoptions`` empty); a
#: DeprecationWarning is shown only when ``__main__`` triggers it.
DEFAULT_IGNORED: tuple[type[Warning], ...] = (
    DeprecationWarning,
    PendingDeprecationWarning,
    ImportWarning,
    ResourceWarning,
)


def _last_resort(stream: io.TextIOWrapper) -> logging.Handler:
    handler = logging.StreamHandler(stream)
    handler.setLevel(logging.WARNING)
    return handler


def _read(stream: io.TextIOWrapper, raw: io.BytesIO) -> str:
    stream.flush()
    return io.TextIOWrapper(io.BytesIO(raw.getvalue()), encoding="utf-8", newline=None).read()


@contextmanager
def _working_directory(path: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


@contextmanager
def _clock() -> Iterator[None]:
    """Regie's clock on the test's, from the instant the command starts (as in
    :mod:`tests.clocked_cli`); nothing changed when the test runs on the real clock."""
    if cli.clock is None:
        yield
        return
    import governance.clock

    start, begun = cli.clock().timestamp(), time.monotonic()

    class _Moving(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> _Moving:  # type: ignore[override]
            return cls.fromtimestamp(start + time.monotonic() - begun, tz)

    with mock.patch.object(governance.clock, "datetime", _Moving):
        yield
