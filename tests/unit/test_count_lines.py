"""The command line's counts that said "(s)" (fix57e): one of a thing singular, any other
number plural, verbs agreeing ("its 1 meeting day still ahead is")."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from regie.bounces import BounceRun
from regie.cli.mail import read_line
from regie.cli.outbox_retry import _messages, file_copies
from regie.cli.prune import _shared
from regie.doctor import office_bounces
from regie.due_dates import formerly_lines
from regie.meeting_notices import still_ahead
from regie.retention import Pruned, PrunedAll
from store.retention import BouncesPruned
from store.sync import SyncResult
from store.sync_formerly import Carried

ONE_MANY = pytest.mark.parametrize("n", [1, 2])


def _formerly(n: int) -> str:
    plan: Any = SimpleNamespace(actions=list, milestones=list, path=Path("plan.yaml"))
    result = SyncResult(renumbered=[Carried("1.1", "1.2", n, n, n)])
    [line] = formerly_lines(plan, result)
    return line


def _pruned(n: int) -> str:
    outbox = Pruned(keys=[], files=0, before=datetime(2026, 1, 1, tzinfo=UTC), applied=False)
    return _shared(PrunedAll(outbox, BouncesPruned(n, 0), n, n, n), "deleted")


LINES = {
    "messages": (lambda n: _messages([f"k{i}" for i in range(n)], "failed "),
                 "1 failed message: k0", "2 failed messages: k0, k1"),
    "file copies": (file_copies, "1 file copy", "2 file copies"),
    "bounces read": (lambda n: read_line(BounceRun(recorded=["b"] * n, temporary=["d"] * n)),
                     "1 bounce recorded, 1 delay noted", "2 bounces recorded, 2 delays noted"),
    "office bounces": (lambda n: office_bounces(["telos", "rivm"][:n]),
                       "the only programme-office contact telos bounces",
                       "the only programme-office contacts telos, rivm bounce"),
    "days ahead": (still_ahead, "its 1 meeting day still ahead is",
                   "its 2 meeting days still ahead are"),
    "formerly": (_formerly, "(1 status update, 1 event, 1 reminder stage)",
                 "(2 status updates, 2 events, 2 reminder stages)"),
    "shared": (_pruned, "deleted 1 web session expired or ended and 1 Slack e-mail look-up no",
               "deleted 2 web sessions expired or ended and 2 Slack e-mail look-ups no"),
}  # fmt: skip


@ONE_MANY
@pytest.mark.parametrize("name", LINES)
def test_one_singular_two_plural(name: str, n: int) -> None:
    line, *said = LINES[name]
    assert said[n - 1] in line(n)
    assert "(s)" not in line(n)
