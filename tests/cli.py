"""Run the real `regie` command in a subprocess, as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: Regie's clock while a test sets it (the senders' clock): a command then runs on it too
#: (:mod:`tests.clocked_cli`); None: the real clock.
clock: Callable[[], datetime] | None = None


@dataclass
class Result:
    code: int
    out: str
    err: str


def regie(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> Result:
    full_env = {**os.environ, **(env or {})}
    full_env.setdefault("COLUMNS", "200")
    module = "regie.cli"
    if clock is not None:
        full_env["TESTS_CLOCK_NOW"] = clock().isoformat()
        module = "tests.clocked_cli"
    proc = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return Result(proc.returncode, proc.stdout, proc.stderr)
