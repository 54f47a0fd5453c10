"""One Prefect test server per pytest session, for the tests that run real flows.

Registered from tests/conftest.py (``pytest_plugins``), so this module is imported before any
test imports Prefect: Prefect reads PREFECT_HOME and the analytics switch at import time, and
the tests must never write to the developer's ~/.prefect.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator

import pytest

if "PREFECT_HOME" not in os.environ:
    _home = tempfile.mkdtemp(prefix="regie-test-prefect-")
    os.environ["PREFECT_HOME"] = _home
    atexit.register(shutil.rmtree, _home, ignore_errors=True)
elif _worker := os.environ.get("PYTEST_XDIST_WORKER"):
    # Parallel workers (pytest-xdist) must not share a home: Prefect keeps its ephemeral
    # server's SQLite database, profiles and result storage there.
    os.environ["PREFECT_HOME"] = os.path.join(os.environ["PREFECT_HOME"], _worker)
    os.makedirs(os.environ["PREFECT_HOME"], exist_ok=True)
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """A temporary Prefect API (SQLite) for the whole session: starting one costs ~10 s."""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
    from prefect.testing.utilities import prefect_test_harness

    # No flow-run heartbeats (Prefect's crash detection for workers; no test reads them): a
    # run's heartbeat thread sleeps in 1 s steps and the run's end joins it, ≈ 0.6 s of an
    # idle core per in-process flow run and subflow (benchmarks/RESULTS.md §18, wait52).
    no_heartbeats = temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None})
    with prefect_test_harness(server_startup_timeout=180), no_heartbeats:  # slow when busy
        yield
