"""Another process holding a home's cycle lock, as a running `regie cycle` does: for the tests
of what meets a held lock (flows, the CLI, the lock's wait)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.cli import ROOT

HOLD = """
import sys
from pathlib import Path
from regie.locks import cycle_lock
with cycle_lock(Path(sys.argv[1])):
    print("held", flush=True)
    sys.stdin.read()
"""


@contextmanager
def holding_cycle_lock(home: Path) -> Iterator[subprocess.Popen[str]]:
    """A process that holds ``home``'s cycle lock until its standard input is closed (the test
    may close it early to release the lock); waited for on the way out."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(home)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "held"
        yield process
    finally:
        assert process.stdin is not None
        if not process.stdin.closed:
            process.stdin.close()
        process.wait(timeout=30)
