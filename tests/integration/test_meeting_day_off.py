"""`regie meeting add` on a weekend day or public holiday: refused in one line naming the day
(exit 2, nothing stored), as the plan file refuses such meetings; `--allow-day-off` adds it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.cli import Result
from tests.cli_in_process import regie
from tests.conftest import SEED_PLAN
from tests.integration.migrated_template import shared_templates

ANYWAY = "not a working day: give --allow-day-off to add the meeting anyway"


@pytest.fixture
def env(tmp_path: Path, database_url: str) -> dict[str, str]:
    shared_templates().fill_if_empty(database_url)  # empty: a copy of the migrated template
    plan = tmp_path / "actions.yaml"
    shutil.copyfile(SEED_PLAN, plan)
    return {
        "REGIE_HOME": str(tmp_path / "home"),
        "REGIE_DATABASE_URL": database_url,
        "REGIE_PLAN": str(plan),
        # The holiday keeps its own name whatever the locale (the package follows LANGUAGE).
        "LANGUAGE": "en_US",
    }


def _add(env: dict[str, str], day: str, *more: str) -> Result:
    return regie("meeting", "add", "stuurgroep", day, *more, env=env)


def _stored(env: dict[str, str]) -> list[str]:
    listed = regie("meeting", "list", "--body", "stuurgroep", "--format", "json", env=env)
    assert listed.code == 0, listed.err
    return [m["date"] for m in json.loads(listed.out) if m["source"] == "db"]


def test_a_day_off_is_refused_in_one_line_naming_it(env: dict[str, str]) -> None:
    for day, what in [
        ("2016-02-27", "a Saturday"),
        ("2016-04-27", "a public holiday (Koningsdag)"),
        ("2016-12-25", "a Sunday and a public holiday (Eerste kerstdag)"),
    ]:
        refused = _add(env, day, "--time", "10:00")
        assert refused.code == 2, refused
        assert refused.err.strip() == f"DATE: {day} is {what}, {ANYWAY}"
        assert refused.out == ""
    assert _stored(env) == []


def test_allow_day_off_adds_it_and_says_what_day_it_is(env: dict[str, str]) -> None:
    added = _add(env, "2016-02-27", "--allow-day-off", "--note", "extra vergadering")
    assert added.code == 0, added.err
    assert added.out.strip() == "stuurgroep: meeting on 2016-02-27 added (a Saturday)"
    working = _add(env, "2016-02-23")  # a Tuesday: no flag needed
    assert working.code == 0, working.err
    assert working.out.strip() == "stuurgroep: meeting on 2016-02-23 added"
    assert _stored(env) == ["2016-02-23", "2016-02-27"]
