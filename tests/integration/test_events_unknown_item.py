"""`regie events --item ID` names an id the programme does not have, as `regie update` does,
instead of an empty table and exit 0; an item taken out of the plan keeps its history."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.cli_in_process import regie
from tests.conftest import SEED_PLAN


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


def test_an_unknown_item_is_an_error_like_in_update(env: dict[str, str]) -> None:
    events = regie("events", "--item", "9.9.9", env=env)
    update = regie("update", "9.9.9", "--status", "done", env=env)
    assert (events.code, events.out) == (2, "")
    assert events.err == "9.9.9: no such action or milestone in mvi-2015-2020\n"
    assert events.err == update.err  # one wording for both commands
    json_too = regie("events", "--item", "9.9.9", "--format", "json", env=env)
    assert (json_too.code, json_too.out) == (2, "")


def test_known_items_without_events_and_archived_items_are_no_error(
    env: dict[str, str],
) -> None:
    quiet = regie("events", "--item", "1.1.2", "--format", "json", env=env)
    assert (quiet.code, quiet.out.strip()) == (0, "[]")
    plan = Path(env["REGIE_PLAN"])
    text = plan.read_text(encoding="utf-8")
    gone = '\n          - id: "1.1.2"\n            title: Uitvoeren overlegronde\n'
    gone += '            gereed: "Q1-2016"'
    assert gone in text
    plan.write_text(text.replace(gone, ""), encoding="utf-8")
    assert regie("sync", env=env).code == 0  # 1.1.2 is archived: its history stays
    archived = regie("events", "--item", "1.1.2", "--format", "json", env=env)
    assert (archived.code, archived.out.strip()) == (0, "[]")
