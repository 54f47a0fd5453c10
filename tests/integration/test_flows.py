"""The flows on a real (temporary) Prefect API with the seed plan and a real SQLite store.

One Prefect test server serves the whole session (``prefect_harness`` in tests/prefect_harness.py,
registered in tests/conftest.py); every test gets its own REGIE_HOME.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from tests.conftest import SEED_PLAN

pytestmark = [pytest.mark.prefect, pytest.mark.usefixtures("prefect_harness")]

AS_OF = "2015-10-01"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """REGIE_HOME for one test: SQLite database and file outbox; the seed plan."""
    home = tmp_path / "home"
    monkeypatch.setenv("REGIE_HOME", str(home))
    monkeypatch.setenv("REGIE_PLAN", str(SEED_PLAN))
    monkeypatch.setenv("REGIE_NOTIFIER", "file")
    monkeypatch.delenv("REGIE_DATABASE_URL", raising=False)
    return home


def outbox(home: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted((home / "outbox").glob("*.eml"))}


def database(home: Path) -> list[str]:
    """The whole SQLite database as SQL text, to compare before and after."""
    connection = sqlite3.connect(home / "regie.db")
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


def to_deliver(result: dict[str, Any]) -> int:
    """What a ``daily-cycle`` run should have delivered: the check's messages and those of the
    day's meeting work (order35: round requests, agenda packs), less the digests left unsent as
    the day's round message asks all their items."""
    meetings, send = result["meetings"], result["send"]
    made = sum(meetings["requests"].values()) + len(meetings["packs"])
    return int(result["check"]["queued"] + made - send["in_round"])


def test_daily_cycle_records_sends_and_a_second_run_adds_nothing(home: Path) -> None:
    from flows.daily_cycle import daily_cycle

    state = daily_cycle(as_of=AS_OF, return_state=True)
    assert state.is_completed(), state.message
    first: dict[str, Any] = state.result()
    check, send = first["check"], first["send"]
    assert check["as_of"] == AS_OF
    assert check["dry_run"] is False
    assert check["events"] > 0
    assert check["queued"] > 0
    queued = to_deliver(first)
    assert {k: send[k] for k in ("channel", "sent", "failed", "dead")} == {
        "channel": "file",
        "sent": queued,
        "failed": 0,
        "dead": 0,
    }
    assert send["errors"] == []
    files = outbox(home)
    assert len(files) == queued

    again = daily_cycle(as_of=AS_OF)
    assert again["check"]["events"] == 0
    assert again["check"]["queued"] == 0
    assert again["check"]["counts"] == check["counts"]
    assert again["send"]["sent"] == 0
    assert outbox(home) == files


def test_a_full_daily_cycle_rebuilds_the_memory(home: Path) -> None:
    """``full=True`` (``regie cycle --full`` on a server) judges every item from the records."""
    from flows.daily_cycle import daily_cycle

    first = daily_cycle(as_of=AS_OF)["check"]
    assert (first["incremental"], first["rebuilt"]) == (False, False)
    later = daily_cycle(as_of="2015-10-06")["check"]
    assert later["incremental"] and later["assessed"] < sum(later["counts"].values())
    full = daily_cycle(as_of="2015-10-07", full=True)["check"]
    assert (full["incremental"], full["rebuilt"]) == (False, True)
    assert full["assessed"] == sum(full["counts"].values()) == sum(first["counts"].values())


def test_dry_run_writes_nothing_and_predicts_the_real_run(home: Path) -> None:
    from flows.daily_cycle import daily_cycle

    daily_cycle(as_of="2015-06-01")  # an earlier real run, so there is a database to compare
    db_before, outbox_before = database(home), outbox(home)

    dry = daily_cycle(as_of=AS_OF, dry_run=True)
    assert dry["send"] is None
    assert dry["check"]["dry_run"] is True
    assert database(home) == db_before
    assert outbox(home) == outbox_before

    real = daily_cycle(as_of=AS_OF)["check"]
    assert real["events"] > 0
    assert (dry["check"]["events"], dry["check"]["queued"]) == (real["events"], real["queued"])
    assert dry["check"]["counts"] == real["counts"]


def test_every_recorded_event_reaches_prefect(home: Path) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
    from prefect.events.filters import EventFilter, EventNameFilter, EventRelatedFilter

    from flows.deadline_check import deadline_check

    state = deadline_check(as_of=AS_OF, return_state=True)
    summary: dict[str, Any] = state.result()
    run_id = state.state_details.flow_run_id
    assert summary["events"] > 0
    only_this_run = EventFilter(
        event=EventNameFilter(prefix=["regie."]),
        related=EventRelatedFilter(id=[f"prefect.flow-run.{run_id}"]),
    )
    with get_client(sync_client=True) as client:
        # The server stores incoming events in batches: poll, bounded.
        deadline = time.monotonic() + 30
        page = client.read_events(only_this_run, limit=50)
        while page.total < summary["events"] and time.monotonic() < deadline:
            time.sleep(0.5)
            page = client.read_events(only_this_run, limit=50)
        assert page.total == summary["events"]
        events = list(page.events)
        while page.next_page is not None:
            page = client.read_events_page(str(page.next_page))
            events.extend(page.events)
        assert sorted(e.event for e in events) == sorted(summary["event_names"])
        for event in events:
            assert event.resource.id.startswith("regie.milestone.")
            assert event.resource.get("prefect.resource.name") == event.resource.id.split(".", 2)[2]
            assert any(r.id == f"regie.programme.{summary['programme']}" for r in event.related)

        # A dry run emits nothing: its flow run has no emitting task at all.
        dry_state = deadline_check(as_of=AS_OF, dry_run=True, return_state=True)
        assert dry_state.is_completed()
        dry_run_id = dry_state.state_details.flow_run_id
        assert isinstance(dry_run_id, UUID)
        task_runs = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[dry_run_id]))
        )
        assert [t.name.rsplit("-", 1)[0] for t in task_runs] == ["record-deadline-check"]


def test_a_bad_as_of_fails_the_flow_run_with_a_clear_message(home: Path) -> None:
    from flows.deadline_check import deadline_check

    state = deadline_check(as_of="1 oktober 2015", return_state=True)
    assert state.is_failed()
    with pytest.raises(ValueError, match="JJJJ-MM-DD"):
        state.result()
    assert not (home / "regie.db").exists()


def test_a_fault_in_the_meeting_work_still_sends_the_days_reminders(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """review12 1: a pack that cannot be made fails the run, after the digests went out."""
    from flows.daily_cycle import daily_cycle

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("pack template missing")

    monkeypatch.setattr("regie.prepare.meeting_day", broken)
    state = daily_cycle(as_of=AS_OF, return_state=True)
    assert state.is_failed()
    assert "pack template missing" in str(state.message)
    files = outbox(home)
    assert files and all(name.startswith("reminder") for name in files), sorted(files)
