"""`regie update ITEM --corrects UPDATE_ID` (walk28 #12): the office corrects the item's latest
update with a reason, tied to it; every other attempt is one line, exit 2, nothing written.
`regie status ITEM` lists the ids and says which update corrects which, up to --as-of, and the
item's state comes from the correction from its own day on, never before."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.cli import Result
from tests.cli_in_process import regie
from tests.conftest import SEED_PLAN

SECOND = Path(__file__).resolve().parent.parent / "fixtures" / "plans" / "second_programme.yaml"


@pytest.fixture
def env(tmp_path: Path, migrated_url: str) -> dict[str, str]:
    plan = tmp_path / "plan.yaml"
    shutil.copy(SEED_PLAN, plan)
    env = {
        "REGIE_HOME": str(tmp_path / "home"),
        "REGIE_DATABASE_URL": migrated_url,
        "REGIE_PLAN": str(plan),
    }
    assert regie("sync", env=env).code == 0
    return env


def update(env: dict[str, str], *args: str) -> Result:
    return regie("update", *args, env=env)


def count(env: dict[str, str], item: str) -> int:
    shown = regie("status", item, "--as-of", "2016-12-31", "--format", "json", env=env)
    assert shown.code == 0, shown.err
    return len(json.loads(shown.out)["updates"])


def test_a_correction_is_tied_to_the_update_and_shown_in_status(env: dict[str, str]) -> None:
    wrong = update(env, "1.1.2", "-s", "done", "--as-of", "2016-03-01", "--comment", "Klaar")
    assert wrong.code == 0 and "(update 1)" in wrong.out, wrong.err
    fixed = update(
        env, "1.1.2", "-s", "on_track", "--forecast", "2016-03-20", "--as-of", "2016-03-02",
        "--corrects", "1", "--comment", "Correctie: nog niet klaar",
    )  # fmt: skip
    assert fixed.code == 0, fixed.err
    assert fixed.out.startswith("1.1.2: on_track recorded for 2016-03-02 (update 2, correcting")

    after = regie("status", "1.1.2", "--as-of", "2016-03-02", env=env)
    assert after.code == 0, after.err
    lines = after.out.splitlines()
    first = next(line for line in lines if line.strip().startswith("update 1 "))
    second = next(line for line in lines if line.strip().startswith("update 2 "))
    assert "CORRECTED by update 2 on 2016-03-02" in first
    assert "correction of update 1 of 2016-03-01 (the office)" in second
    data = json.loads(
        regie("status", "1.1.2", "--as-of", "2016-03-02", "--format", "json", env=env).out
    )
    assert data["items"][0]["state"] == "on_track"  # the correction sets the state
    assert [(u["id"], u["corrects"], u["corrected_by"]) for u in data["updates"]] == [
        (1, None, 2),
        (2, 1, None),
    ]
    # The day before the correction: the wrong answer as it was known then, nothing corrected.
    before = json.loads(
        regie("status", "1.1.2", "--as-of", "2016-03-01", "--format", "json", env=env).out
    )
    assert before["items"][0]["state"] == "done"
    assert [(u["id"], u["corrected_by"]) for u in before["updates"]] == [(1, None)]

    events = json.loads(regie("events", "--item", "1.1.2", "--format", "json", env=env).out)
    payloads = [e["payload"] for e in events if e["name"] == "regie.status.updated"]
    assert "corrects" not in payloads[0] and payloads[1]["corrects"] == 1

    # A correction of the correction: the chain's newest link.
    again = update(env, "1.1.2", "-s", "at_risk", "--as-of", "2016-03-03", "--corrects", "2",
                   "--comment", "Toch risico")  # fmt: skip
    assert again.code == 0, again.err


def refused(env: dict[str, str], *args: str) -> str:
    """The one line a refused correction prints; exit 2, stdout empty."""
    result = update(env, *args)
    assert (result.code, result.out) == (2, ""), result
    assert len(result.err.splitlines()) == 1, result.err
    return result.err.strip()


def test_each_wrong_correction_is_one_line_and_writes_nothing(
    env: dict[str, str], tmp_path: Path, migrated_url: str
) -> None:
    assert update(env, "1.1.2", "-s", "done", "--as-of", "2016-03-01").code == 0
    assert update(env, "1.1.1", "-s", "on_track", "--as-of", "2016-03-01").code == 0
    # Another programme in the same database, with an update of its own (id 3).
    second = {**env, "REGIE_PLAN": str(tmp_path / "second.yaml"),
              "REGIE_HOME": str(tmp_path / "home2")}  # fmt: skip
    shutil.copy(SECOND, second["REGIE_PLAN"])
    assert regie("sync", "--add-programme", env=second).code == 0
    other = update(second, "1.1.1", "-s", "on_track", "--as-of", "2024-06-03")
    assert other.code == 0 and "(update 3)" in other.out, other.err
    day = ("--as-of", "2016-03-02")

    no_reason = refused(env, "1.1.2", "-s", "on_track", *day, "--corrects", "1")
    assert no_reason == "--comment: a correction needs a reason"
    blank = refused(env, "1.1.2", "-s", "on_track", *day, "--corrects", "1", "--comment", "  ")
    assert blank == no_reason
    unknown = refused(env, "1.1.2", "-s", "on_track", *day, "--corrects", "99", "--comment", "x")
    assert unknown == "--corrects: no update 99 in this programme"
    foreign = refused(env, "1.1.2", "-s", "on_track", *day, "--corrects", "3", "--comment", "x")
    assert foreign == "--corrects: no update 3 in this programme"
    elsewhere = refused(env, "1.1.2", "-s", "on_track", *day, "--corrects", "2", "--comment", "x")
    assert elsewhere == "--corrects: update 2 is about 1.1.1, not 1.1.2"
    earlier = refused(env, "1.1.2", "-s", "on_track", "--as-of", "2016-02-29",
                      "--corrects", "1", "--comment", "x")  # fmt: skip
    assert earlier == (
        "--corrects: update 1 is of 2016-03-01, after this correction's day 2016-02-29: "
        "a correction counts from its own day on"
    )
    assert count(env, "1.1.2") == 1  # nothing written by any of them

    assert (
        update(env, "1.1.2", "-s", "on_track", *day, "--corrects", "1", "--comment", "Fout").code
        == 0
    )
    twice = refused(env, "1.1.2", "-s", "at_risk", *day, "--corrects", "1", "--comment", "x")
    assert twice == (
        "--corrects: update 1 was already corrected by update 4 (2016-03-02): correct that one, "
        "update 4"
    )
    assert update(env, "1.1.2", "-s", "at_risk", "--as-of", "2016-03-05").code == 0  # update 5
    older = refused(env, "1.1.2", "-s", "done", "--as-of", "2016-03-06", "--corrects", "4",
                    "--comment", "x")  # fmt: skip
    assert older == (
        "--corrects: update 4 is not the item's latest update: update 5 (2016-03-05) came after "
        "it and sets the state: correct update 5 or record a new update"
    )
    assert count(env, "1.1.2") == 3


def test_status_shortens_a_long_note_visibly_and_json_keeps_it_whole(env: dict[str, str]) -> None:
    """walk56b 5: the line cut a note at 80 characters with nothing to show it was cut, in
    Python's repr (``\\'`` for a note with both quotes); ``--format json`` keeps it whole."""
    note = """Jan's "ontwerp" <b>vet</b> & klaar""" + " lang" * 300
    done = update(env, "1.1.2", "-s", "on_track", "--as-of", "2016-03-01", "--comment", note)
    assert done.code == 0, done.err
    shown = regie("status", "1.1.2", "--as-of", "2016-03-01", env=env)
    assert shown.code == 0, shown.err
    line = next(line for line in shown.out.splitlines() if line.strip().startswith("update 1 "))
    assert line.endswith(f' "{note[:79]}…"'), line  # 80 characters, the last one "…"
    assert line.endswith(
        ' "Jan\'s "ontwerp" <b>vet</b> & klaar lang lang lang lang lang lang lang lang lang…"'
    )
    assert "\\'" not in line
    whole = regie("status", "1.1.2", "--as-of", "2016-03-01", "--format", "json", env=env)
    assert json.loads(whole.out)["updates"][0]["comment"] == note


def test_a_correction_without_a_forecast_withdraws_the_corrected_date(env: dict[str, str]) -> None:
    """review56 2: the corrected update's forecast is replaced with it. From the correction's
    day on the item is judged without that date (overdue, not *verschoven* by it); the day
    before, as it was known then."""
    dated = update(
        env, "1.3.1", "-s", "at_risk", "--forecast", "2016-02-01", "--as-of", "2015-11-30",
        "--comment", "Vertraging bij partner",
    )  # fmt: skip
    assert dated.code == 0, dated.err
    withdrawn = update(
        env, "1.3.1", "-s", "at_risk", "--corrects", "1", "--as-of", "2015-12-01",
        "--comment", "Datum ingetrokken: nog onbekend",
    )  # fmt: skip
    assert withdrawn.code == 0, withdrawn.err

    def item(as_of: str) -> dict[str, object]:
        shown = regie("status", "1.3.1", "--as-of", as_of, "--format", "json", env=env)
        assert shown.code == 0, shown.err
        found: dict[str, object] = json.loads(shown.out)["items"][0]
        return found

    before, after = item("2015-11-30"), item("2015-12-01")
    assert (before["state"], before["forecast"]) == ("slipped", "2016-02-01")
    assert after["forecast"] is None, after
    assert after["state"] == "overdue", after  # due 30 November 2015, no date in force
    table = regie("status", "--as-of", "2015-12-01", env=env)
    assert table.code == 0, table.err
    (row,) = [line for line in table.out.splitlines() if "│ 1.3.1 " in line]
    assert "te laat" in row and "verschoven" not in row, row
