"""The plan commands as a user runs them (in process: `tests.cli_in_process`), real SQLite under
REGIE_HOME."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from tests.cli_in_process import regie
from tests.conftest import SEED_PLAN
from tests.integration.migrated_template import migrated_home


@pytest.fixture
def home(tmp_path: Path) -> dict[str, str]:
    return {"REGIE_HOME": str(migrated_home(tmp_path / "home")), "REGIE_DATABASE_URL": ""}


@pytest.fixture
def fresh(tmp_path: Path) -> dict[str, str]:
    """A home without a database yet: for the `db` commands from an empty database."""
    return {"REGIE_HOME": str(tmp_path / "home"), "REGIE_DATABASE_URL": ""}


def test_validate_seed_plan_ok(home: dict[str, str]) -> None:
    result = regie("plan", "validate", env=home)
    assert result.code == 0
    assert "OK" in result.out and "4 steps" in result.out and "40 milestones" in result.out


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02binary", "not a text file"),
        (b"schema: 1\nprogramme: \xff\xfe\n", "UTF-8"),
        (b"schema: 1\nprogramme: [unclosed\n", "syntax"),
        (b"- just\n- a list\n", "mapping"),
    ],
    ids=["empty", "binary", "non-utf8", "syntax", "not-a-mapping"],
)
def test_validate_bad_files_one_line_per_problem(
    tmp_path: Path, home: dict[str, str], content: bytes, expected: str
) -> None:
    path = tmp_path / "plan.yaml"
    path.write_bytes(content)
    result = regie("plan", "validate", str(path), env=home)
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert lines, "a problem must be reported"
    assert all(line.startswith(str(path)) for line in lines)
    assert expected.lower() in result.err.lower()


def test_validate_missing_file_and_directory(tmp_path: Path, home: dict[str, str]) -> None:
    missing = regie("plan", "validate", str(tmp_path / "nope.yaml"), env=home)
    assert missing.code == 2 and "nope.yaml" in missing.err
    directory = regie("plan", "validate", str(tmp_path), env=home)
    assert directory.code == 2 and "director" in directory.err.lower()


def test_validate_reports_every_problem_with_position(tmp_path: Path, home: dict[str, str]) -> None:
    text = SEED_PLAN.read_text(encoding="utf-8")
    text = text.replace('gereed: "Q3-2015"', 'gereed: "Zomerstop 2015"', 1)
    text = text.replace("owners: [RIVM]", "owners: [RIVMM]", 1)
    bad = tmp_path / "actions.yaml"
    bad.write_text(text, encoding="utf-8")
    result = regie("plan", "validate", str(bad), env=home)
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert len(lines) == 2, lines
    period_line = next(line for line in lines if "Zomerstop" in line)
    owner_line = next(line for line in lines if "RIVMM" in line)
    line_no = (
        text.splitlines().index(next(x for x in text.splitlines() if "Zomerstop 2015" in x)) + 1
    )
    assert period_line.startswith(f"{bad}:{line_no}:")
    assert "'Zomerstop 2015'" in period_line
    assert "unknown organisation" in owner_line.lower()


def test_plan_show_json_shape(home: dict[str, str]) -> None:
    result = regie("plan", "show", "--format", "json", env=home)
    assert result.code == 0
    data = json.loads(result.out)
    assert data["programme"]["id"] == "mvi-2015-2020"
    assert [s["number"] for s in data["steps"]] == [1, 2, 3, 4]
    first = data["steps"][0]["actions"][0]
    assert first["id"] == "1.1" and first["gereed"] is None and first["period"] is None
    assert first["depends_on"] == [] and first["owners"]
    m = first["milestones"][0]
    assert m["id"] == "1.1.1" and m["title"] == "Inventarisatie" and m["gereed"] == "Q3-2015"
    assert m["period"] == {"kind": "quarter", "start": "2015-07-01", "end": "2015-09-30"}


def test_plan_show_table(home: dict[str, str]) -> None:
    result = regie("plan", "show", env=home)
    assert result.code == 0
    assert "Inventarisatie" in result.out and "Q3-2015" in result.out


def test_plan_show_table_names_period_kinds_in_dutch(home: dict[str, str]) -> None:
    result = regie("plan", "show", env=home)
    assert result.code == 0
    assert "Soort" in result.out  # the headings are Dutch, and so are the kinds under them
    assert "kwartaal" in result.out and "doorlopend" in result.out
    for key in ("quarter", "open_ended", "half", "recurring", "tbd", "dependent"):
        assert re.search(rf"\b{key}\b", result.out) is None, key


def _count(db: Path, table: str) -> int:
    with closing(sqlite3.connect(db)) as conn, conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_sync_twice_records_nothing_the_second_time(home: dict[str, str]) -> None:
    first = regie("sync", env=home)
    assert first.code == 0 and "created" in first.out
    db = Path(home["REGIE_HOME"]) / "regie.db"
    revisions = _count(db, "plan_revisions")
    assert _count(db, "milestones") == 40
    second = regie("sync", env=home)
    assert second.code == 0 and "nothing changed" in second.out
    assert _count(db, "plan_revisions") == revisions


def test_sync_records_a_changed_gereed_as_a_revision(tmp_path: Path, home: dict[str, str]) -> None:
    plan = tmp_path / "actions.yaml"
    shutil.copy(SEED_PLAN, plan)
    assert regie("sync", str(plan), env=home).code == 0
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace('gereed: "Q3-2015"', 'gereed: "Q4-2015"', 1), encoding="utf-8")
    changed = regie("sync", str(plan), env=home)
    assert changed.code == 0 and "1 changed" in changed.out
    db = Path(home["REGIE_HOME"]) / "regie.db"
    with closing(sqlite3.connect(db)) as conn, conn:
        rows = conn.execute(
            "SELECT code, field, before, after FROM plan_revisions WHERE kind = 'changed'"
        ).fetchall()
    assert any(r[0] == "1.1.1" and r[1] == "gereed" and "Q3-2015" in r[2] for r in rows), rows


def test_invalid_plan_leaves_database_untouched(tmp_path: Path, home: dict[str, str]) -> None:
    assert regie("sync", env=home).code == 0
    db = Path(home["REGIE_HOME"]) / "regie.db"
    before = db.read_bytes()
    bad = tmp_path / "bad.yaml"
    bad.write_text(SEED_PLAN.read_text(encoding="utf-8").replace("Q3-2015", "Q9-2015", 1))
    result = regie("sync", str(bad), env=home)
    assert result.code == 2 and "Q9-2015" in result.err
    assert db.read_bytes() == before


def test_status_json_and_filters(home: dict[str, str]) -> None:
    result = regie("status", "--as-of", "2015-10-01", "--format", "json", env=home)
    assert result.code == 0
    rows = {r["id"]: r for r in json.loads(result.out)}
    for key in ("id", "action_id", "step", "title", "gereed", "due", "state", "rag", "owners"):
        assert key in rows["1.1.1"]
    assert "latest_update" in rows["1.1.1"]
    assert rows["1.1.1"]["due"] == "2015-09-30" and rows["1.1.1"]["state"] == "overdue"
    step2 = json.loads(
        regie("status", "--as-of", "2015-10-01", "--step", "2", "--format", "json", env=home).out
    )
    assert step2 and {r["step"] for r in step2} == {2}
    rivm = json.loads(
        regie(
            "status", "--as-of", "2015-10-01", "--owner", "RIVM", "--format", "json", env=home
        ).out
    )
    assert rivm and all("RIVM" in r["owners"] for r in rivm)


@pytest.mark.parametrize("given", ["te laat", "Te Laat", "OVERDUE"])
def test_status_state_takes_the_dutch_label_as_shown(home: dict[str, str], given: str) -> None:
    def ids(state: str) -> list[str]:
        args = ("status", "--as-of", "2015-10-01", "--state", state, "--format", "json")
        result = regie(*args, env=home)
        assert result.code == 0, result.err
        return [r["id"] for r in json.loads(result.out)]

    assert ids(given) == ids("overdue") != []


def test_status_unknown_state_names_keys_and_labels(home: dict[str, str]) -> None:
    result = regie("status", "--state", "laat", env=home)
    assert result.code == 2
    assert "unknown state 'laat'" in result.err
    assert "overdue (te laat)" in result.err and "on_track (op schema)" in result.err
    assert len(result.err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["status", "--as-of", "1-10-2015"], "--as-of"),
        (["status", "--owner", "NOPE"], "unknown organisation"),
        (["status", "--step", "9"], "no step 9"),
        (["status", "--state", "late"], "unknown state"),
    ],
)
def test_status_bad_options_are_one_line(
    home: dict[str, str], args: list[str], message: str
) -> None:
    result = regie(*args, env=home)
    assert result.code == 2
    assert message in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_unreachable_database_is_one_line(home: dict[str, str]) -> None:
    env = {**home, "REGIE_DATABASE_URL": "postgresql://nobody:x@127.0.0.1:1/none"}
    result = regie("sync", env=env)
    assert result.code == 3
    assert len(result.err.strip().splitlines()) == 1
    assert "x@" not in result.err  # the password is never printed


def test_db_commands_up_down_and_current(fresh: dict[str, str]) -> None:
    up = regie("db", "upgrade", env=fresh)
    assert up.code == 0 and "empty → " in up.out
    assert "up to date" in regie("db", "current", env=fresh).out
    again = regie("db", "upgrade", env=fresh)
    head = up.out.strip().rsplit("→ ", 1)[1]
    assert again.code == 0 and again.out.strip().endswith(f": already at {head}, nothing to do")
    down = regie("db", "downgrade", "base", "--yes", env=fresh)
    assert down.code == 0 and down.out.strip().endswith("→ empty")
    assert "run `regie db upgrade`" in regie("db", "current", env=fresh).out


def test_db_upgrade_and_downgrade_take_the_revision_in_either_form(fresh: dict[str, str]) -> None:
    """walk31 11: `db upgrade 0020` as `db downgrade 0020`; `--revision` for both (the older
    forms keep working)."""
    assert regie("db", "upgrade", "0020", env=fresh).out.strip().endswith("→ 0020")
    down = regie("db", "downgrade", "--revision", "0010", "--yes", env=fresh)
    assert down.code == 0 and down.out.strip().endswith("→ 0010"), down.out + down.err
    assert regie("db", "upgrade", "--revision", "0020", env=fresh).out.strip().endswith("→ 0020")
    assert regie("db", "downgrade", "0010", "--yes", env=fresh).out.strip().endswith("→ 0010")
    for args, line in (
        (("upgrade", "0020", "--revision", "0019"), "two revisions given"),
        (("downgrade", "--yes"), "give the target revision"),
        (("downgrade", "--revision", "base"), "add --yes to confirm"),
    ):
        refused = regie("db", *args, env=fresh)
        assert refused.code == 2 and line in refused.err, (args, refused.err)
        assert len(refused.err.strip().splitlines()) == 1
    assert regie("db", "upgrade", "0010", "--revision", "0010", env=fresh).code == 0  # the same


@pytest.mark.postgres
def test_postgres_needs_an_explicit_upgrade_then_syncs(
    home: dict[str, str], postgres_url: str
) -> None:
    env = {**home, "REGIE_DATABASE_URL": postgres_url}
    refused = regie("sync", env=env)
    assert refused.code == 3 and "regie db upgrade" in refused.err
    assert regie("db", "upgrade", env=env).code == 0
    synced = regie("sync", env=env)
    assert synced.code == 0 and "90 created" in synced.out
    rows = json.loads(regie("status", "--as-of", "2015-10-01", "--format", "json", env=env).out)
    assert {r["id"]: r["state"] for r in rows}["2.3.1"] == "overdue"


def test_a_meeting_on_a_sunday_is_refused_where_the_rule_is(
    tmp_path: Path, home: dict[str, str]
) -> None:
    """The second programme met every other month on the 15th, which gave Sunday 15 September
    2024: validation names the rule's line and column and the date (nothing is moved); skipping
    it under 'except' and listing the Monday under 'dates' (the fixture now) is valid."""
    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "plans" / "second_programme.yaml"
    text = fixture.read_text(encoding="utf-8")
    fixed = (
        "      dates: [2024-03-04, 2024-09-16]  # 15 September 2024 is a Sunday: the Monday after\n"
        "      rule: {every: month, interval: 2, day: 15, start: 2024-05-01, until: 2024-12-31,\n"
        "             except: [2024-09-15]}\n"
    )
    assert fixed in text
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        text.replace(
            fixed,
            "      dates: [2024-03-04]\n"
            "      rule: {every: month, interval: 2, day: 15, start: 2024-05-01, "
            "until: 2024-12-31}\n",
        ),
        encoding="utf-8",
    )
    line = 1 + plan.read_text(encoding="utf-8").splitlines().index(
        "      rule: {every: month, interval: 2, day: 15, start: 2024-05-01, until: 2024-12-31}"
    )
    result = regie("plan", "validate", str(plan), env=home)
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        f"{plan}:{line}:13: the meeting rule gives 2024-09-15, a Sunday, not a working day: "
        "skip it under 'except' (and list the day meant under 'dates'), or choose a rule that "
        "gives working days\n"
    )
    plan.write_text(text.replace("[2024-03-04, 2024-09-16]", "[2024-03-02, 2024-09-16]"), "utf-8")
    result = regie("plan", "validate", str(plan), env=home)
    assert result.code == 2
    assert result.err == (
        # At the date itself, not at the list's '[' (walk54 6)
        f"{plan}:{line - 1}:15: meeting date 2024-03-02 is a Saturday, not a working day\n"
    )
    assert regie("plan", "validate", str(fixture), env=home).code == 0


def test_validate_names_the_contacts_file_and_owners_without_a_contact(
    tmp_path: Path, home: dict[str, str]
) -> None:
    """With REGIE_CONTACTS the summary says which file gave the contacts; an organisation that
    owns items but has no contact there is a warning (its reminders go to the office), exit 0."""
    contacts = tmp_path / "contacts.yaml"
    contacts.write_text(
        "contacts:\n"
        "  - id: office\n    name: Programmabureau\n    organisation: IenM\n"
        "    email: pmo@example.nl\n    programme_office: true\n",
        encoding="utf-8",
    )
    plan = Path(__file__).resolve().parents[1] / "fixtures" / "plans" / "minimal.yaml"
    result = regie("plan", "validate", str(plan), env={**home, "REGIE_CONTACTS": str(contacts)})
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert f"contacts: {contacts} (REGIE_CONTACTS), 1" in lines
    warned = sorted(line for line in lines if line.startswith("warning: organisation"))
    assert warned == [
        "warning: organisation 'PIANOo' owns 4 open items and has no contact: "
        "their reminders go to the programme office",
        "warning: organisation 'RIVM' owns 1 open item and has no contact: "
        "their reminders go to the programme office",
    ]
    # The plan's own contacts reach every owner organisation: no such warning (two governance
    # body members have none: tests/integration/test_validate_contacts.py).
    own = regie("plan", "validate", env=home).out.splitlines()
    assert [line for line in own if line.startswith("warning: organisation")] == []
