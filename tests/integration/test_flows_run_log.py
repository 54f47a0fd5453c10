"""What Prefect's run loggers write to the worker's log (``journalctl -u regie-worker``) when a
flow run fails on a Regie error (walk55c 3, review55b 3): bad input (a plan's problem) one line per
run it ends, no traceback; a bug Regie wraps as its own error with the tracebacks, its own and
the bug's. Real flow runs on the session's Prefect test server, a real SQLite store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SEED_PLAN
from tests.integration.test_flows import AS_OF, home  # noqa: F401

pytestmark = [pytest.mark.prefect, pytest.mark.usefixtures("prefect_harness")]

#: How a failed run's exception is logged: the task run, each flow run it passes through, the
#: engine's exit (a deployment's run).
LOG_POINTS = (
    "Task run failed with exception:",
    "Encountered exception during execution:",
    "Engine execution exited with unexpected exception",
)


def logged_run(error: type[BaseException]) -> tuple[Any, str]:
    """A ``daily-cycle`` run at AS_OF that fails, run as a test runs it and as a deployment's
    engine ends it (``prefect.flow_engine.run_flow``: the flow's ``error`` raised and logged),
    and what Prefect's run loggers logged of both, formatted as the worker's handler would
    (a record's traceback included)."""
    import io
    import logging

    from prefect.flow_engine import run_flow
    from prefect.settings import PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW, temporary_settings

    from flows.daily_cycle import daily_cycle

    log = io.StringIO()
    handler = logging.StreamHandler(log)
    loggers = [logging.getLogger(n) for n in ("prefect.task_runs", "prefect.flow_runs")]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        state = daily_cycle(as_of=AS_OF, return_state=True)
        # The engine's logger has the run's id: here none, so it is not sent to the API.
        ignore = {PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW: "ignore"}
        with temporary_settings(updates=ignore), pytest.raises(error):
            run_flow(daily_cycle, parameters={"as_of": AS_OF}, error_logger=loggers[1])
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
    return state, log.getvalue()


def test_a_bad_plan_fails_the_run_in_one_line_without_a_traceback_in_the_log(
    home: Path,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """walk55c 3: the task, the subflow, the flow and (a deployment's run) the engine's exit
    each log the plan's problem as one line, not four tracebacks in the worker's journal."""
    from regie.errors import InvalidInput

    plan = tmp_path / "actions.yaml"
    text = SEED_PLAN.read_text(encoding="utf-8").replace("[IenM]", "[Nobody]", 1)
    plan.write_text(text, encoding="utf-8")
    monkeypatch.setenv("REGIE_PLAN", str(plan))
    row, line = next((n, x) for n, x in enumerate(text.splitlines(), 1) if "[Nobody]" in x)
    problem = f"{plan}:{row}:{line.index('Nobody') + 1}: unknown organisation 'Nobody' in 'owners'"
    state, logged = logged_run(InvalidInput)
    assert state.is_failed() and problem in str(state.message)
    with pytest.raises(InvalidInput, match="unknown organisation 'Nobody'"):
        state.result()
    assert "Traceback" not in logged and 'File "' not in logged, logged
    failed = [x for x in logged.splitlines() if problem in x]
    for what in LOG_POINTS[:2]:
        assert any(x.startswith(what) for x in failed), logged
    # Prefect's own line, the error's problem added.
    assert f"{LOG_POINTS[2]}: InvalidInput: {problem}" in failed
    assert not (home / "outbox").exists()


def test_a_bug_regie_wraps_as_its_own_error_keeps_its_traceback_in_the_log(
    home: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """review55b 3: the schema check wraps whatever reading the revision raises as
    DatabaseNotReady, one line for the CLI; a bug there (an AttributeError) is no bad input,
    and the worker's log is the only place its traceback can be read: each run keeps it."""
    import store
    from regie.errors import DatabaseNotReady

    def revision_check(*_: object, **__: object) -> None:
        return None.upper()  # type: ignore[attr-defined]  # the bug

    monkeypatch.setattr(store, "current_revision", revision_check)
    state, logged = logged_run(DatabaseNotReady)
    assert state.is_failed() and "'NoneType' object has no attribute 'upper'" in str(state.message)
    with pytest.raises(DatabaseNotReady) as raised:
        state.result()
    assert isinstance(raised.value.__cause__, AttributeError)
    # Task, subflow, flow and the engine's exit: each with the traceback of the error and of
    # the bug it wraps, in both runs.
    lines = logged.splitlines()
    heads = [n for n, x in enumerate(lines) if x.startswith(LOG_POINTS)]
    assert {lines[n].split(":")[0] for n in heads} == {x.rstrip(":") for x in LOG_POINTS}
    assert all(lines[n + 1] == "Traceback (most recent call last):" for n in heads), logged
    cause = "AttributeError: 'NoneType' object has no attribute 'upper'"
    assert logged.count(cause) == len(heads) and "return None.upper()" in logged, logged
    assert logged.count("The above exception was the direct cause") == len(heads)
    assert not (home / "outbox").exists()
