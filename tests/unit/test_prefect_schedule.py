"""prefect.yaml runs the morning in `regie cycle`'s order (review10a 2): the meeting preparation
and the status round queue the day's round requests and chases before the daily cycle sends the
reminder digests, so a digest leaves out what the round's message already asks the owner."""

from __future__ import annotations

from typing import Any

from ruamel.yaml import YAML

from tests.cli import ROOT


def deployments() -> dict[str, dict[str, Any]]:
    text = (ROOT / "prefect.yaml").read_text(encoding="utf-8")
    return {d["name"]: d for d in YAML(typ="safe").load(text)["deployments"]}


def morning(name: str) -> tuple[tuple[int, int], str, str]:
    """A scheduled deployment's (hour, minute), weekdays and time zone (one daily cron)."""
    [schedule] = deployments()[name]["schedules"]
    minute, hour, day, month, weekdays = schedule["cron"].split()
    assert (day, month) == ("*", "*"), schedule
    return (int(hour), int(minute)), weekdays, schedule["timezone"]


def test_the_round_step_comes_before_the_daily_cycles_send() -> None:
    prepare, status_round, daily = (
        morning(n) for n in ("prepare-meeting", "status-round", "daily-cycle")
    )
    assert prepare[0] < status_round[0] < daily[0], (prepare, status_round, daily)
    assert prepare[2] == status_round[2] == daily[2] == "Europe/Amsterdam"
    # The round runs on every day the daily cycle does.
    assert status_round[1] == daily[1] == "1-5"


def test_the_flows_behind_the_order() -> None:
    found = deployments()
    assert found["prepare-meeting"]["entrypoint"] == "flows/prepare_meeting.py:prepare_meeting"
    assert found["status-round"]["entrypoint"] == "flows/status_round.py:status_round"
    assert found["daily-cycle"]["entrypoint"] == "flows/daily_cycle.py:daily_cycle"
