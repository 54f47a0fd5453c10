"""The in-process runner starts each command as a process starts: with no notes left over."""

from __future__ import annotations

from pathlib import Path

from tests.cli_in_process import regie
from tests.conftest import SEED_PLAN


def test_a_note_left_by_a_bootstrap_outside_a_command_is_not_said_by_the_next(
    regie_home: Path,
) -> None:
    from regie.bootstrap import NOTES

    # What a test's own bootstrap of a new SQLite home leaves behind (CI46: the next in-process
    # command said it on stderr, where a real process says nothing).
    NOTES.append("regie: REGIE_HOME /elders held no database: a new, empty one was made")
    shown = regie("plan", "validate", env={"REGIE_PLAN": str(SEED_PLAN)})
    assert shown.code == 0, shown.err
    assert "/elders" not in shown.err
    assert NOTES == []
