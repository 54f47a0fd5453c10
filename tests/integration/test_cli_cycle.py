"""The engine's commands as a user runs them (in process, SQLite under a REGIE_HOME of the test's
own, its database a copy of the migrated template)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_in_process import regie
from tests.integration.migrated_template import migrated_home


@pytest.fixture
def home(tmp_path: Path) -> dict[str, str]:
    # No Prefect server, whatever the developer's shell says: the cycle runs in-process.
    home = migrated_home(tmp_path / "home")
    return {"REGIE_HOME": str(home), "REGIE_DATABASE_URL": "", "PREFECT_API_URL": ""}


def test_cycle_runs_in_process_then_adds_nothing_the_second_time(home: dict[str, str]) -> None:
    first = regie("cycle", "--as-of", "2015-10-01", env=home)
    assert first.code == 0, first.err
    assert "ran: in-process (no PREFECT_API_URL" in first.out
    assert "te laat 6" in first.out
    assert "regie.milestone.overdue" in first.out
    outbox = Path(home["REGIE_HOME"]) / "outbox"
    files = sorted(outbox.glob("*.eml"))
    assert files and f"sent: {len(files)} via file" in first.out
    second = regie("cycle", "--as-of", "2015-10-01", env=home)
    assert second.code == 0, second.err
    assert "events recorded: 0" in second.out and "reminders queued: 0" in second.out
    assert sorted(outbox.glob("*.eml")) == files


def test_cycle_says_how_many_items_it_judged_and_full_rebuilds(home: dict[str, str]) -> None:
    """The first day judges every item, the next only those that can have changed; ``--full``
    judges every item again from the records and says the memory was rebuilt."""

    def assessed(*args: str) -> str:
        result = regie("cycle", *args, env=home)
        assert result.code == 0, result.err
        [line] = [x for x in result.out.splitlines() if x.startswith("  assessed: ")]
        return line.removeprefix("  assessed: ")

    first = assessed("--as-of", "2015-10-01")
    assert first.startswith("all ") and first.endswith(" items (full)")
    total = int(first.split()[1])
    second = assessed("--as-of", "2015-10-06")
    some, of = second.split(" items ")[0].split(" of ")
    assert int(of) == total and 0 < int(some) < total
    assert second.endswith("(incremental: those that can have changed)")
    rebuilt = assessed("--as-of", "2015-10-07", "--full")
    assert rebuilt == f"all {total} items (full, the per-item memory rebuilt)"
    assert "--full" in regie("cycle", "--help", env=home).out


def test_cycle_dry_run_writes_nothing(home: dict[str, str]) -> None:
    result = regie("cycle", "--as-of", "2015-10-01", "--dry-run", env=home)
    assert result.code == 0, result.err
    assert "(dry run)" in result.out and "would record" in result.out
    # Nothing is queued in a dry run, and the summary does not say so (walk29 10).
    assert "reminders would queue: " in result.out and "queued:" not in result.out
    assert not (Path(home["REGIE_HOME"]) / "outbox").exists()
    events = json.loads(regie("events", "--format", "json", env=home).out)
    assert events == []


def test_cycle_with_a_bad_plan_fails_before_prefect(tmp_path: Path, home: dict[str, str]) -> None:
    bad = tmp_path / "plan.yaml"
    bad.write_text("schema: 1\n")
    result = regie("cycle", env={**home, "REGIE_PLAN": str(bad)})
    assert result.code == 2
    assert all(line.startswith(str(bad)) for line in result.err.strip().splitlines())


def test_update_events_outbox_and_status(home: dict[str, str]) -> None:
    ok = regie(
        "update",
        "2.2.1",
        "--status",
        "at_risk",
        "--forecast",
        "2015-12-15",
        "--comment",
        "Wacht op offerte",
        "--author",
        "rivm-voorbeeld",
        "--as-of",
        "2015-10-02",
        env=home,
    )
    assert ok.code == 0, ok.err
    assert "2.2.1: at_risk recorded" in ok.out
    rows = json.loads(regie("status", "--as-of", "2015-10-05", "--format", "json", env=home).out)
    item = next(r for r in rows if r["id"] == "2.2.1")
    assert item["state"] == "slipped"  # the forecast lies after the due date
    assert item["latest_update"]["comment"] == "Wacht op offerte"
    assert item["forecast"] == "2015-12-15"
    events = json.loads(regie("events", "--item", "2.2.1", "--format", "json", env=home).out)
    assert [e["name"] for e in events] == ["regie.status.updated"]
    assert events[0]["resource_id"] == "regie.milestone.2.2.1"
    second = regie("update", "2.2.1", "--status", "done", "--as-of", "2015-12-01", env=home)
    assert second.code == 0
    history = json.loads(regie("events", "--item", "2.2.1", "--format", "json", env=home).out)
    assert len(history) == 2  # every update kept


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["update", "9.9.9", "--status", "done"], "9.9.9: no such action or milestone"),
        (["update", "1.1.1", "--status", "late"], "unknown status"),
        (["update", "1.1.1", "--status", "done", "--forecast", "soon"], "--forecast"),
        (["update", "1.1.1", "--status", "on_track", "--completed-on", "2015-01-01"], "only with"),
        (["events", "--since", "yesterday"], "--since"),
        (["replay", "--from", "2016-02-01", "--to", "2016-01-01"], "before"),
        (["outbox", "--status", "bogus"], "unknown outbox status"),
        (["db", "downgrade", "base"], "add --yes to confirm"),
        (["update", "1.2", "--status", "done"], "report on its milestones (1.2.1, 1.2.2)"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    home: dict[str, str], args: list[str], message: str
) -> None:
    result = regie(*args, env=home)
    assert result.code == 2, result
    assert message in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_replay_then_send_nothing(home: dict[str, str]) -> None:
    result = regie("replay", "--from", "2015-09-28", "--to", "2015-10-09", env=home)
    assert result.code == 0, result.err
    assert "replayed 10 working days" in result.out
    outbox = json.loads(regie("outbox", "--format", "json", env=home).out)
    assert outbox and {m["status"] for m in outbox} == {"suppressed"}
    sent = regie("send", env=home)
    assert sent.code == 0 and "0 sent" in sent.out
