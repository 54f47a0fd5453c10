"""Ctrl-C in the awkward places: inside clean-up, inside a finaliser, inside the pool's logging.

The end-to-end check sends SIGINT to a real cycle (``test_faults_kill``); where it lands is luck,
so each way an interrupt used to escape the one-line report is pinned here on purpose.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path
from typing import Any, NoReturn

import pytest

from regie.cli import INTERRUPTED
from regie.cli.interrupts import caused_by_interrupt
from regie.errors import DatabaseNotReady
from store.db import make_engine
from tests.cli import ROOT


def _wrapped_interrupt() -> DatabaseNotReady:
    """What ``ensure_schema`` raised when a Ctrl-C broke the pool's clean-up of a connection."""
    try:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt:
            raise AssertionError  # noqa: B904 (context kept, as SQLAlchemy's safe_reraise keeps it)
    except AssertionError as exc:
        wrapped = DatabaseNotReady("database sqlite:///regie.db: AssertionError")
        wrapped.__cause__ = exc
        return wrapped


def test_an_interrupt_is_found_anywhere_in_the_chain() -> None:
    assert caused_by_interrupt(KeyboardInterrupt())
    assert caused_by_interrupt(_wrapped_interrupt())
    plain = DatabaseNotReady("database sqlite:///regie.db: disk I/O error")
    plain.__cause__ = OSError("disk I/O error")
    assert not caused_by_interrupt(plain)
    try:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt:
            raise OSError(28, "No space left on device", "plan/actions.yaml")  # noqa: B904
    except OSError as exc:
        restoring = exc  # a file fault while handling the interrupt: reported as itself
    assert isinstance(restoring.__context__, KeyboardInterrupt)
    assert not caused_by_interrupt(restoring)
    try:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt:
            raise ValueError("unrelated") from None
    except ValueError as exc:
        assert not caused_by_interrupt(exc)  # the context suppressed: not the cause
    looped = ValueError("a")
    other = ValueError("b")
    looped.__context__, other.__context__ = other, looped
    assert not caused_by_interrupt(looped)  # a cycle in the chain ends the walk


def test_a_database_error_caused_by_ctrl_c_ends_as_the_interrupted_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import regie.cli.app as cli

    def failing() -> NoReturn:
        raise _wrapped_interrupt()

    monkeypatch.setattr(cli, "command", lambda: failing)  # what main() runs
    monkeypatch.setattr(sys, "argv", ["regie", "cycle"])
    with pytest.raises(SystemExit) as ended:
        cli.main()
    assert ended.value.code == 130
    assert capsys.readouterr().err.splitlines() == [INTERRUPTED]


FINALISER = """
import signal, sys, time
# Python's own Ctrl-C handler, whatever this process inherited (a background job's SIGINT is
# ignored, and then nothing raises KeyboardInterrupt at all).
signal.signal(signal.SIGINT, signal.default_int_handler)
if sys.argv[1] != "none":
    from regie.cli import interrupts
    interrupts.install()
    if sys.argv[1] == "ending":
        interrupts.ending()

class Finalised:
    def __del__(self):
        raise KeyboardInterrupt  # where a Ctrl-C lands when it arrives during a finaliser

try:
    Finalised()
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:
        time.sleep(0.001)
    print("carried on")
except KeyboardInterrupt:
    print("interrupted")
"""


@pytest.mark.parametrize(
    ("hook", "outcome"),
    [("install", "interrupted"), ("none", "carried on"), ("ending", "carried on")],
)
def test_a_ctrl_c_swallowed_by_a_finaliser_is_raised_again_without_a_traceback(
    hook: str, outcome: str
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", FINALISER, hook],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.stdout.strip() == outcome
    # Without the hook CPython prints "Exception ignored in …" and a traceback, and the key
    # press is lost: the contrast shows the check above can fail. Once the command has
    # answered (``ending``) it is not raised again, and not printed either.
    assert ("Traceback" in done.stderr) is (hook == "none"), done.stderr


def test_the_pool_does_not_log_a_ctrl_c_but_still_logs_real_faults(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'regie.db'}")

    def closing_fails(fault: BaseException) -> None:
        def do_close(_connection: Any) -> NoReturn:
            raise fault

        monkeypatch.setattr(engine.dialect, "do_close", do_close)
        with engine.connect():
            pass  # back in the pool: disposing closes it

    caplog.set_level(logging.ERROR)
    closing_fails(KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):  # still raised: only the log line is dropped
        engine.dispose()
    assert not caplog.records
    closing_fails(OSError("disk I/O error"))
    engine.dispose()
    assert [r.exc_info[0] for r in caplog.records if r.exc_info] == [OSError]
