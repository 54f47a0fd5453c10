"""flows._quiet.NoRegieTraceback (walk55c 3, review55b 3): a record of a flow run failed on bad
input (a plan's problems, settings refused) or on a state its message tells in full (the cycle
lock held, the database not upgraded) loses its traceback; any other exception keeps it, a Regie
error that wraps another exception (a bug caught broadly and re-raised) included."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest

from flows._quiet import NoRegieTraceback, bad_input
from regie.errors import DatabaseNotReady, InvalidInput, RegieError
from regie.locks import AnotherCycleRunning
from regie.rounds import NothingToAsk

PROBLEM = "plan/actions.yaml:453:18: unknown organisation 'Nobody' in 'owners'"


def raised(make: Callable[[], object]) -> BaseException:
    """The exception ``make()`` raises, with its cause and context as Python sets them (or
    returns, then raised as it is)."""
    try:
        made = make()
        assert isinstance(made, BaseException), made
        raise made
    except BaseException as exc:
        return exc


def plan_problem() -> None:
    raise InvalidInput(PROBLEM, "plan/actions.yaml:460:3: 'due': not a date")


def wrapped_bug() -> None:
    """As regie/bootstrap.py wraps reading the revision and the migration."""
    try:
        None.upper()  # type: ignore[attr-defined]
    except Exception as exc:
        raise DatabaseNotReady(f"database sqlite:///x.db: {exc}") from exc


def input_wrapping_a_bug() -> None:
    """As `regie db upgrade REVISION` wraps whatever the migration raises."""
    try:
        {}["revision"]
    except Exception as exc:
        raise InvalidInput(f"db upgrade 0039: {exc}") from exc


def input_raised_while_handling_a_bug() -> None:
    try:
        None.upper()  # type: ignore[attr-defined]
    except AttributeError:
        raise InvalidInput("--as-of: not a date")  # noqa: B904


def input_from_none() -> None:
    try:
        open("/nonexistent/plan.yaml")  # noqa: SIM115
    except OSError as exc:
        raise InvalidInput(f"/nonexistent/plan.yaml: {exc.strerror}") from None


def input_from_input() -> None:
    try:
        plan_problem()
    except InvalidInput as exc:
        raise InvalidInput(*exc.lines) from exc


def logged(exc: BaseException) -> logging.LogRecord:
    """The record Prefect's engine logs for a failed run, through the filter."""
    record = logging.LogRecord(
        "prefect.flow_runs", logging.ERROR, __file__, 1, "Encountered exception during execution",
        None, (type(exc), exc, exc.__traceback__),
    )  # fmt: skip
    assert NoRegieTraceback().filter(record)
    return record


@pytest.mark.parametrize(
    "make",
    [
        plan_problem,
        input_from_none,
        input_from_input,
        lambda: NothingToAsk("no items"),
        lambda: AnotherCycleRunning("another cycle is running on /srv/regie"),
        lambda: DatabaseNotReady("database at 0037, latest 0038: run `regie db upgrade`"),
    ],
    ids=["plan", "from None", "from input", "a subclass", "lock", "not upgraded"],
)
def test_bad_input_is_one_line_without_a_traceback(make: Callable[[], object]) -> None:
    exc = raised(make)
    record = logged(exc)
    assert bad_input(exc) and record.exc_info is None and record.exc_text is None
    said = logging.Formatter().format(record)
    assert "Traceback" not in said and said.count("\n") == 0, said
    assert said.startswith(f"Encountered exception during execution: {type(exc).__name__}: ")


@pytest.mark.parametrize(
    "make",
    [
        wrapped_bug,
        input_wrapping_a_bug,
        input_raised_while_handling_a_bug,
        lambda: RegieError("PREFECT_HOME /x: cannot create it"),
        lambda: None.upper(),  # type: ignore[attr-defined]
    ],
    ids=["bug wrapped", "input wrapping a bug", "input handling a bug", "setup", "bug"],
)
def test_anything_else_keeps_its_traceback_and_what_it_wraps(make: Callable[[], object]) -> None:
    exc = raised(make)
    record = logged(exc)
    assert not bad_input(exc) and record.exc_info is not None
    said = logging.Formatter().format(record)
    assert said.startswith("Encountered exception during execution\nTraceback"), said
    wrapped = exc.__cause__ or exc.__context__
    if wrapped is not None:
        assert f"{type(wrapped).__name__}: {wrapped}" in said and said.count("Traceback") == 2


def test_a_wrapped_bug_is_said_with_the_bugs_own_frame() -> None:
    """review55b 3's case: the line the CLI prints is not all; the log has where it broke."""
    said = logging.Formatter().format(logged(raised(wrapped_bug)))
    assert "None.upper()" in said and "direct cause" in said
    assert said.rstrip().endswith("DatabaseNotReady: database sqlite:///x.db: "
                                  "'NoneType' object has no attribute 'upper'")  # fmt: skip
