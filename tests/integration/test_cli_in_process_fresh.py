"""The in-process runner gives a command what a process of its own would have, and fails the test
where :func:`tests.cli.regie` would: a traceback, a warning on stderr, no state of the test's."""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

import pytest

from regie import services
from regie.errors import InvalidInput
from tests.cli_in_process import regie
from tests.conftest import SEED_PLAN

PLAN = {"REGIE_PLAN": str(SEED_PLAN)}


@pytest.mark.usefixtures("regie_home")
def test_a_bug_in_a_command_fails_the_test_with_its_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: object) -> str:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(services, "validate", broken)
    with pytest.raises(AssertionError, match="Traceback") as failed:
        regie("plan", "validate", env=PLAN)
    assert "ZeroDivisionError: a bug" in str(failed.value)


@pytest.mark.usefixtures("regie_home")
def test_a_refusal_that_prints_a_traceback_fails_the_test(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Exit 2 and its line, but a traceback logged on the way: a process prints it on stderr."""

    def logged_then_refused(*args: object) -> str:
        try:
            raise KeyError("inner")
        except KeyError:
            logging.getLogger("regie").exception("went wrong")
        raise InvalidInput("plan: refused")

    monkeypatch.setattr(services, "validate", logged_then_refused)
    with pytest.raises(AssertionError, match="Traceback"):
        regie("plan", "validate", env=PLAN)


@pytest.mark.usefixtures("regie_home")
def test_a_warning_is_on_stderr_as_a_process_shows_it(monkeypatch: pytest.MonkeyPatch) -> None:
    real = services.validate

    def warned(*args: object) -> str:
        warnings.warn("a user warning", UserWarning, stacklevel=1)
        warnings.warn("a deprecation outside __main__", DeprecationWarning, stacklevel=1)
        return str(real(*args))

    monkeypatch.setattr(services, "validate", warned)
    shown = regie("plan", "validate", env=PLAN)
    assert shown.code == 0, shown.err
    assert "UserWarning: a user warning" in shown.err
    assert "deprecation" not in shown.err  # Python's default filters leave it out
    again = regie("plan", "validate", env=PLAN)  # a new process shows it again
    assert "UserWarning: a user warning" in again.err


@pytest.mark.usefixtures("regie_home")
def test_the_operator_of_a_command_is_not_left_for_the_test() -> None:
    from store.actor import acting_as, current_actor, os_user

    with acting_as("the test"):
        done = regie("--operator", "bram", "plan", "validate", env=PLAN)
        assert done.code == 0, done.err
        assert current_actor() == "the test"
    assert current_actor() == os_user()


def test_a_cycle_lock_this_test_holds_is_another_s_to_the_command(regie_home: Path) -> None:
    from regie.locks import cycle_lock

    with cycle_lock(regie_home):
        held = regie("cycle", "--as-of", "2015-10-01", env={**PLAN, "PREFECT_API_URL": ""})
    assert held.code == 75, held
    assert held.err.startswith(f"another cycle is running on {regie_home} (pid ")
