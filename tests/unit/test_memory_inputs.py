"""What a full run takes from the memory of the last assessed day, in one pass over the plan
(:mod:`governance.memory_inputs`); the daily cycle's equality with a full assessment from the
updates is tests/integration/test_daily.py's and test_full_reads.py's."""

from __future__ import annotations

from datetime import date

from governance.incremental import Remembered, known_latest
from governance.memory_inputs import recall_finished, remembered_inputs
from governance.updates import StatusUpdate, UpdateStatus

_ON = date(2019, 9, 2)


def _row(
    status: str | None,
    latest_id: int | None = 1,
    *,
    forecast: date | None = None,
    state: str = "on_track",
    stale: bool = False,
    source: str | None = "cli",
) -> Remembered:
    on = _ON if status is not None else None
    latest_id = latest_id if status is not None else None
    return Remembered(
        state, "green", stale, None, None, "1.1", latest_id, on, status, forecast, source
    )


def test_one_pass_tells_previous_states_known_updates_and_what_to_read() -> None:
    """Every remembered item's previous state and stale flag; the items without a row; the
    items whose updates are read, in plan order (no row, updated since, finished without a
    kept id, finished with an id an item before it holds); the known items' latest updates
    (lighter copies) and forecasts — exactly :func:`known_latest`'s items; the finished ones
    by their latest id."""
    memory = {
        "open": _row("on_track", 11, forecast=date(2019, 12, 1), state="slipped"),
        "at-risk": _row("at_risk", 12, stale=True, state="at_risk", source=None),
        "never-updated": _row(None, forecast=date(2019, 11, 1)),
        "updated": _row("on_track", 13),
        "done": _row("done", 14, state="done"),
        "cancelled": _row("cancelled", 15, state="cancelled"),
        "done-no-id": _row("done", None, state="done"),
        "done-same-id": _row("done", 14, state="done"),
        "not-in-plan": _row("on_track", 16),
    }
    plan = [
        "no-row", "open", "at-risk", "never-updated", "updated", "done", "cancelled",
        "done-no-id", "done-same-id", "no-row-updated",
    ]  # fmt: skip
    updated = {"updated", "no-row-updated"}
    inputs = remembered_inputs(plan, memory, updated)
    in_plan = [i for i in plan if i in memory]
    assert inputs.previous == {i: memory[i].state for i in in_plan}
    assert inputs.stale == {"at-risk"}
    assert inputs.missing == ["no-row", "no-row-updated"]
    assert inputs.unknown == ["no-row", "updated", "done-no-id", "done-same-id", "no-row-updated"]
    assert set(inputs.latest) | set(inputs.forecasts) == known_latest(plan, memory, updated)
    assert inputs.latest == {
        "open": StatusUpdate("open", UpdateStatus.ON_TRACK, _ON, source="cli", id=11),
        "at-risk": StatusUpdate("at-risk", UpdateStatus.AT_RISK, _ON, source="memory", id=12),
    }
    assert inputs.forecasts == {"open": date(2019, 12, 1), "never-updated": date(2019, 11, 1)}
    assert inputs.finished == {14: "done", 15: "cancelled"}


def test_finished_items_recalled_with_their_completion_days() -> None:
    memory = {
        "done": _row("done", 14, state="done", forecast=date(2019, 10, 1)),
        "cancelled": _row("cancelled", 15, state="cancelled", source=None),
    }
    latest: dict[str, StatusUpdate] = {}
    forecasts: dict[str, date] = {}
    recall_finished({"done": date(2019, 8, 30), "cancelled": None}, memory, latest, forecasts)
    assert latest == {
        "done": StatusUpdate(
            "done", UpdateStatus.DONE, _ON, completed_on=date(2019, 8, 30), source="cli", id=14
        ),
        "cancelled": StatusUpdate("cancelled", UpdateStatus.CANCELLED, _ON, source="memory", id=15),
    }
    assert forecasts == {"done": date(2019, 10, 1)}
