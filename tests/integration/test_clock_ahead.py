"""A clock that ran ahead for one run (walk58d 2): the cycle on the right date again is refused
with the cause (the clock, or `--as-of` ahead) and the ways back that keep the database, not
a fresh REGIE_HOME; `regie doctor` fails on a last assessed day after today."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.cli_in_process import regie
from tests.integration.slack_requests import set_clock
from tests.integration.test_doctor import doctor, environment


def test_a_run_with_the_clock_ahead_is_named_by_the_next_cycle_and_the_doctor(
    tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = environment(tmp_path, database_url)
    assert regie("db", "upgrade", env=env).code == 0
    set_clock(monkeypatch, datetime(2015, 10, 1, 7, tzinfo=UTC))
    assert regie("cycle", "--no-send", env=env).code == 0  # the normal day
    set_clock(monkeypatch, datetime(2015, 10, 8, 7, tzinfo=UTC))
    assert regie("cycle", "--no-send", env=env).code == 0  # the clock a week ahead
    set_clock(monkeypatch, datetime(2015, 10, 2, 7, tzinfo=UTC))  # right again
    refused = regie("cycle", "--no-send", env=env)
    assert refused.code == 2  # a person must act: not retried (docs/operations.md)
    line = refused.err.strip()
    assert "already assessed up to 2015-10-08, after today (2015-10-02)" in line
    assert "the machine's clock ahead (or with `--as-of` ahead)" in line
    assert "from 2015-10-08 on `regie cycle` runs again" in line
    assert "restore the backup made before that run (`regie db restore FILE`" in line
    assert "REGIE_HOME" not in line  # never "abandon the database"
    # An explicit earlier day says the same: the cause is the earlier run, not this --as-of.
    assert "after today (2015-10-02)" in regie("cycle", "--as-of", "2015-10-01", env=env).err
    code, found = doctor(env)
    assert code == 1
    assert found["last-assessed"] == (
        "fail",
        "mvi-2015-2020: last assessed 2015-10-08, after today (2015-10-02): a cycle ran with "
        "the clock ahead (or `--as-of` ahead); no cycle runs before that day "
        '(docs/operations.md, "A clock that ran ahead")',
    )
    # Once that day has come, the cycle runs (queueing nothing that day's run ahead queued)
    # and the doctor is content again.
    queued = regie("outbox", "--format", "json", env=env).out
    assert json.loads(queued)  # the run ahead queued messages
    set_clock(monkeypatch, datetime(2015, 10, 8, 7, tzinfo=UTC))
    assert regie("cycle", "--no-send", env=env).code == 0
    assert regie("outbox", "--format", "json", env=env).out == queued
    assert doctor(env)[1]["last-assessed"][0] == "ok"


def test_a_simulation_ahead_of_today_is_no_clock_problem(
    tmp_path: Path, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = environment(tmp_path, sqlite_url, REGIE_SIMULATE="1")
    assert regie("db", "upgrade", env=env).code == 0
    set_clock(monkeypatch, datetime(2015, 10, 1, 7, tzinfo=UTC))
    assert regie("cycle", "--no-send", "--as-of", "2015-10-08", env=env).code == 0
    refused = regie("cycle", "--no-send", "--as-of", "2015-10-05", env=env)
    assert refused.code == 2
    assert "already assessed up to 2015-10-08; 2015-10-05 is earlier" in refused.err
    assert doctor(env)[1]["last-assessed"][0] == "ok"
