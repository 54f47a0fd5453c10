"""Fault suite, dates within reason and one cycle at a time (issue #7 §3, §5)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from regie.locks import cycle_lock
from tests import cli
from tests.cli import ROOT, Result
from tests.cli_in_process import regie
from tests.integration.migrated_template import migrated_home


@pytest.fixture
def home(tmp_path: Path) -> dict[str, str]:
    return {"REGIE_HOME": str(migrated_home(tmp_path / "home")), "REGIE_DATABASE_URL": ""}


def stored_updates(home: dict[str, str]) -> list[object]:
    found = regie("events", "--format", "json", env=home)
    assert found.code == 0, found.err
    return [e for e in json.loads(found.out) if e["name"] == "regie.status.updated"]


AS_OF = ["--as-of", "2015-10-02"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--status", "on_track", "--forecast", "0001-01-01", *AS_OF], "--forecast"),
        (["--status", "on_track", "--forecast", "9999-12-31", *AS_OF], "outside the programme"),
        (["--status", "on_track", "--forecast", "2016-W10-1", *AS_OF], "use YYYY-MM-DD"),
        (["--status", "on_track", "--forecast", "20160301", *AS_OF], "use YYYY-MM-DD"),
        (["--status", "done", "--forecast", "2016-03-01", *AS_OF], "only with status on_track"),
        (["--status", "on_track", "--forecast", "2010-06-01", *AS_OF], "before the update's date"),
        (["--status", "on_track", "--as-of", "0001-01-01"], "before the programme's life"),
        (["--status", "on_track", "--as-of", "9999-12-31"], "after today"),
        (["--status", "done", "--completed-on", "2015-10-03", *AS_OF], "after the update's date"),
        (["--status", "on_track", "--comment", "x" * 100_000, *AS_OF], "at most 2000"),
    ],
)
def test_update_refuses_dates_beyond_reason_and_stores_nothing(
    home: dict[str, str], args: list[str], message: str
) -> None:
    result = regie("update", "1.1.1", *args, env=home)
    assert result.code == 2, result
    assert message in result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and len(lines[0]) < 300  # never the whole value echoed back
    assert stored_updates(home) == []


def test_an_overlong_item_id_is_echoed_shortened(home: dict[str, str]) -> None:
    result = regie("update", "9" * 100_000, "--status", "done", *AS_OF, env=home)
    assert result.code == 2 and "…" in result.err and len(result.err) < 300


def test_cycle_refuses_a_day_after_today_unless_simulating(home: dict[str, str]) -> None:
    refused = regie("cycle", "--as-of", "9999-12-31", env=home)
    assert refused.code == 2
    assert "is after today" in refused.err and "--simulate" in refused.err
    assert not (Path(home["REGIE_HOME"]) / "outbox").exists()
    allowed = regie("cycle", "--as-of", "2099-06-01", "--simulate", "--dry-run", env=home)
    assert allowed.code == 0, allowed.err
    assert "(dry run)" in allowed.out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--as-of", "0001-01-01"],
            "--as-of 0001-01-01 is before the programme's life (2012-01-01 … 2023-12-31; "
            "the programme itself runs 2015-01-01 … 2020-12-31)",
        ),
        (["--as-of", "9999-12-31", "--simulate"], "a simulation reaches at most 100 years past"),
    ],
)
def test_cycle_refuses_days_beyond_reason_even_simulating(
    home: dict[str, str], args: list[str], message: str
) -> None:
    refused = regie("cycle", *args, env=home)
    assert refused.code == 2, refused
    assert message in refused.err and len(refused.err.strip().splitlines()) == 1
    assert not (Path(home["REGIE_HOME"]) / "outbox").exists()


def test_replay_refuses_a_range_beyond_the_programme(home: dict[str, str]) -> None:
    result = regie("replay", "--from", "2015-09-01", "--to", "9999-12-31", env=home)
    assert result.code == 2 and "beyond the programme's life" in result.err


def test_a_second_cycle_on_a_home_says_another_is_running(home: dict[str, str]) -> None:
    with cycle_lock(Path(home["REGIE_HOME"])):  # held by this process: another's to the command
        result = cli.regie("cycle", "--as-of", "2015-10-01", env=home)
    assert result.code == 75
    assert result.err.strip().startswith("another cycle is running on")
    assert not (Path(home["REGIE_HOME"]) / "outbox").exists()


def test_three_parallel_cycles_on_one_sqlite_home(tmp_path: Path) -> None:
    # A home without a database: the three also race to make and migrate it.
    home = {"REGIE_HOME": str(tmp_path / "home"), "REGIE_DATABASE_URL": ""}
    env = {**__import__("os").environ, **home}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "regie.cli", "cycle", "--as-of", "2015-10-01"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    results = [(p.wait(timeout=300), *p.communicate()) for p in procs]
    for code, _out, err in results:
        assert "Traceback" not in err and "database is locked" not in err, err
        assert code in (0, 75), err
        if code == 75:
            assert "another cycle is running" in err
    assert [code for code, _, _ in results].count(0) >= 1
    outbox = json.loads(regie("outbox", "--format", "json", env=home).out)
    keys = [m["key"] for m in outbox]
    assert keys and len(keys) == len(set(keys))
    # The day's digests whose items the status round's request asks are kept, not sent.
    sent = [m for m in outbox if m["status"] == "sent"]
    kept = [m for m in outbox if m["status"] != "sent"]
    assert sent and all(m["status"] == "suppressed" for m in kept), kept
    assert all("status round" in m["reason"] for m in kept), kept
    files = list((Path(home["REGIE_HOME"]) / "outbox").glob("*.eml"))
    assert len(files) == len(sent)


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-30"])
def test_a_meeting_beyond_reason_is_refused_and_not_stored(home: dict[str, str], day: str) -> None:
    refused = regie("meeting", "add", "stuurgroep", day, env=home)
    assert refused.code == 2, refused
    assert refused.err.strip() == (
        f"DATE: {day} is beyond the programme's life plus margin (2012-01-01 … 2023-12-31; "
        "the programme itself runs 2015-01-01 … 2020-12-31)"
    )
    assert day not in regie("meeting", "list", env=home).out
    assert regie("meeting", "add", "stuurgroep", "2016-02-02", env=home).code == 0


def test_a_measurement_beyond_reason_is_refused_one_near_its_baseline_kept(
    home: dict[str, str],
) -> None:
    def record(day: str) -> Result:
        return regie("indicator", "record", "co2-eu-1990", "12", "--on", day, "--source", "CBS",
                     env=home)  # fmt: skip

    for day in ("0001-01-01", "9999-12-31", "2030-01-01"):
        refused = record(day)
        assert refused.code == 2, refused
        assert f"--on: {day} is beyond the programme's life" in refused.err
    rows = json.loads(regie("indicator", "list", "-f", "json", env=home).out)
    assert next(r for r in rows if r["id"] == "co2-eu-1990")["latest"] is None
    # Its baseline is of 1990, long before the programme: a measurement of that year is kept.
    assert record("1990-06-30").code == 0


def test_a_measured_value_is_bounded_as_a_plan_s_and_may_be_negative(
    home: dict[str, str],
) -> None:
    def record(value: str) -> Result:
        return regie("indicator", "record", "co2-eu-1990", value, "--on", "2016-01-04",
                     "--source", "CBS", env=home)  # fmt: skip

    for value in ("1e20", "-1e16"):  # a plan's target or baseline may not be either
        refused = record(value)
        assert refused.code == 2, refused
        assert refused.err.strip() == f"VALUE: {value!r} is not between -10^15 and 10^15"
    assert record("--bogus").err.strip() == "VALUE: '--bogus' is not a number"
    kept = record("-3,5")  # a decrease, as a Dutch spreadsheet writes it
    assert kept.code == 0, kept
    rows = json.loads(regie("indicator", "list", "-f", "json", env=home).out)
    assert next(r for r in rows if r["id"] == "co2-eu-1990")["latest"]["value"] == -3.5


@pytest.mark.parametrize(
    "args",
    [
        ["agenda", "--body", "stuurgroep", "--meeting", "2015-10-13", "--as-of", "9999-12-31"],
        ["agenda", "--body", "stuurgroep", "--meeting", "2015-10-13", "--as-of", "0001-01-01"],
        ["voortgang", "--from", "0001-01-01", "--to", "9999-12-31", "--as-of", "9999-12-31"],
    ],
)
def test_reports_at_the_ends_of_the_calendar(
    home: dict[str, str], tmp_path: Path, args: list[str]
) -> None:
    """A report looks at any day (unlike what is stored): the charts and the look-ahead stay
    within the years a date can have instead of failing with a traceback; a progress report
    over a period far outside the programme is refused in one line per date (it would be
    archived)."""
    out = tmp_path / "report.html"
    if "9999-12-31" in args and args[0] == "agenda":
        # A day to come is refused (it would be archived as that day's record), in one line;
        # a simulation may look that far, and the charts must still hold there.
        refused = regie("report", *args, "-o", str(out), env=home)
        assert refused.code == 2 and len(refused.err.strip().splitlines()) == 1, refused
        assert refused.err.startswith("--as-of 9999-12-31 is after today") and not out.exists()
        home = {**home, "REGIE_SIMULATE": "1"}
    made = regie("report", *args, "-o", str(out), env=home)
    if args[0] == "voortgang":  # a period far outside the programme: refused, one line per date
        lines = made.err.strip().splitlines()
        assert made.code == 2 and len(lines) == 3 and not out.exists(), made
        assert all("beyond the programme's life plus margin" in line for line in lines), lines
        return
    assert made.code == 0, made.err
    # The agenda's timeline runs from the items' dates to the peildatum: it is drawn.
    assert ("data:image/svg+xml" if args[0] == "agenda" else "Voortgangsrapportage") in (
        out.read_text()
    )


@pytest.mark.parametrize("limit", ["0", "-1"])
def test_send_refuses_a_limit_below_one(home: dict[str, str], limit: str) -> None:
    # Before, 0 or -1 sent nothing and said "0 sent", as if the outbox were empty.
    refused = regie("send", "--limit", limit, env=home)
    assert refused.code == 2
    assert "Invalid value for '--limit'" in refused.err and "greater than or equal to 1" in (
        refused.err
    )


def test_calendar_export_to_a_dash_writes_standard_output(
    home: dict[str, str], tmp_path: Path
) -> None:
    """``--out -`` is standard output, as Unix tools read it (it made a file named "-")."""
    assert regie("cycle", "--as-of", "2015-10-01", env=home).code == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**home, "REGIE_PLAN": str(ROOT / "plan" / "actions.yaml")}
    export = ("calendar", "export", "--as-of", "2015-10-01")
    plain = regie(*export, cwd=elsewhere, env=env)
    dash = regie(*export, "--out", "-", cwd=elsewhere, env=env)
    assert plain.code == dash.code == 0, dash.err
    assert dash.out.startswith("BEGIN:VCALENDAR") and dash.out == plain.out
    assert list(elsewhere.iterdir()) == []
    for bad, why in ((tmp_path / "nowhere" / "x.ics", "No such file"), (elsewhere, "Is a dir")):
        refused = regie(*export, "--out", str(bad), env=env)
        assert refused.code == 2  # the user's path, not the machine's fault
        assert refused.err.startswith(f"--out: cannot write {bad}: {why}"), refused.err


def test_a_holidays_country_without_holidays_is_one_line_at_its_place(
    home: dict[str, str], tmp_path: Path
) -> None:
    """Two letters, but no country the holidays package knows: validation and the commands
    that need working days say where (the parser does not import the package), no traceback."""
    seed = (ROOT / "plan" / "actions.yaml").read_text(encoding="utf-8")
    assert seed.count("holidays_country: NL") == 1
    line = seed[: seed.index("holidays_country: NL")].count("\n") + 1
    plan = tmp_path / "plan.yaml"
    plan.write_text(seed.replace("holidays_country: NL", "holidays_country: XX"), encoding="utf-8")
    env = {**home, "REGIE_PLAN": str(plan)}
    want = f"{plan}:{line}:21: holidays_country 'XX': no public holidays are known for that"
    want += " country code"
    for command in (("plan", "validate"), ("cycle", "--as-of", "2015-10-01"), ("status",)):
        result = regie(*command, env=env)
        assert (result.code, result.err.strip()) == (2, want), command
    # Nothing recorded by the refused cycle.
    good = regie("cycle", "--as-of", "2015-10-01", env=home)
    assert good.code == 0, good.err


def test_slack_listen_without_a_token_says_so_and_not_that_it_listens(
    home: dict[str, str],
) -> None:
    result = regie("slack", "listen", env={**home, "REGIE_SLACK_APP_TOKEN": ""})
    assert result.code == 2
    assert result.err.strip() == "REGIE_SLACK_APP_TOKEN: not set (an app-level token, xapp-…)"
    assert "listening" not in result.out


def test_a_first_cycle_before_the_programme_s_start_runs_with_a_warning(
    home: dict[str, str],
) -> None:
    """A run-up before the start is allowed, but a home's first day is for good (history only
    moves forward): said once, on the first cycle, not on a dry run or the days after."""
    dry = regie("cycle", "--as-of", "2014-06-02", "--dry-run", env=home)
    assert dry.code == 0, dry.err
    assert "warning" not in dry.err
    first = regie("cycle", "--as-of", "2014-06-02", env=home)
    assert first.code == 0, first.err
    assert (
        "warning: this home's first day 2014-06-02 is before the programme's start 2015-01-01; "
        "it can never assess an earlier day"
    ) in first.err
    later = regie("cycle", "--as-of", "2014-06-03", env=home)
    assert later.code == 0, later.err
    assert "warning" not in later.err
