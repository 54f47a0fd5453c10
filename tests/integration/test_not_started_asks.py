"""Ongoing work before its start (walk54 8, fix54h's leftovers): nobody is asked about it, and
what says so is exact. A round whose scope holds only such items says they have not started;
`regie update-sheet` leaves them out as a round does; `regie status --state` names them as the
table does (*nog niet gestart*, ``not_started``), and ``ongoing`` (*doorlopend*) no longer
matches them. SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from tests.cli_in_process import regie
from tests.integration.test_not_started import BEFORE, FROM, _started_env
from tests.integration.test_programme_end import _app

#: A step whose one item starts in 2026 (the plan's step 1 has 1.5, also `2026 e.v.`).
LATER = """\
  - number: 2
    title: Later
    actions:
      - {id: "2.1", title: Onderhoud, owners: [bond], gereed: 2026 e.v.}
"""


def _env(tmp_path: Path, url: str) -> dict[str, str]:
    env = _started_env(tmp_path, url)
    plan = Path(env["REGIE_PLAN"])
    plan.write_text(plan.read_text(encoding="utf-8") + LATER, encoding="utf-8")
    return env


def test_a_round_of_only_items_not_started_says_so(tmp_path: Path, migrated_url: str) -> None:
    from regie.rounds import NothingToAsk, start_round

    app = _app(_env(tmp_path, migrated_url))
    with pytest.raises(NothingToAsk) as refused:
        start_round(app, "stuurgroep", date(2025, 12, 5), "step:2", BEFORE)
    assert str(refused.value) == (
        "--scope step:2: nothing to ask on 2025-11-27: every item in scope is done, cancelled, "
        "waiting on another item or not started yet; no round started"
    )
    start_round(app, "stuurgroep", date(2026, 1, 7), "step:2", FROM)  # from its start: asked


def _sheet_ids(env: dict[str, str], as_of: date) -> set[str]:
    shown = regie("update-sheet", "--as-of", as_of.isoformat(), env=env)
    assert shown.code == 0, shown.err
    rows = shown.out.lstrip("\ufeff").splitlines()[2:]  # the notice, the header
    return {row.split(";", 1)[0] for row in rows}


def test_the_update_sheet_asks_about_an_item_only_from_its_start(
    tmp_path: Path, migrated_url: str
) -> None:
    env = _env(tmp_path, migrated_url)
    before = _sheet_ids(env, BEFORE)
    assert "1.6" in before and "1.2" in before  # Periodiek: running since the start
    assert not before & {"1.5", "2.1"}
    assert {"1.5", "2.1"} <= _sheet_ids(env, FROM)


def _status(env: dict[str, str], state: str, fmt: str = "json") -> str:
    shown = regie("status", "--as-of", BEFORE.isoformat(), "--state", state, "-f", fmt, env=env)
    assert shown.code == 0, shown.err
    return shown.out


def _ids(env: dict[str, str], state: str) -> dict[str, dict[str, object]]:
    rows: list[dict[str, object]] = json.loads(_status(env, state))
    return {str(r["id"]): r for r in rows}


def test_status_state_names_items_not_started_as_the_table_does(
    tmp_path: Path, migrated_url: str
) -> None:
    env = _env(tmp_path, migrated_url)
    for name in ("not_started", "Nog niet gestart"):
        rows = _ids(env, name)
        assert set(rows) == {"1.5", "2.1"}
        assert all(r["state"] == "ongoing" and r["not_started"] for r in rows.values())
    ongoing = _ids(env, "doorlopend")
    assert set(ongoing) == {"1.6"} and ongoing["1.6"]["not_started"] is False
    table = _status(env, "not_started", "table").splitlines()
    items = [line for line in table if " 1.5 " in line or " 2.1 " in line]
    assert len(items) == 2 and all("nog niet gestart" in line for line in items)
    assert not any(" 1.6 " in line for line in table)
    wrong = regie("status", "--state", "bezig", env=env)
    assert wrong.code != 0 and "not_started (nog niet gestart)" in wrong.err
