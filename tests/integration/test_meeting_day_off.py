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


BE_PLAN = Path(__file__).resolve().parents[1] / "fixtures" / "plans" / "circulair_bouwen_be.yaml"
BE_DATES = "      dates: [2026-05-21, 2027-11-18]\n"
BE_EXTRA = "    - 2025-12-26\n"


def _be_plan(tmp_path: Path, dates: str) -> Path:
    text = BE_PLAN.read_text(encoding="utf-8")
    assert text.count(BE_DATES) == 1 and text.count(BE_EXTRA) == 1
    text = text.replace(BE_DATES, dates).replace(
        BE_EXTRA, BE_EXTRA + "    - {date: 2027-07-11, name: Feestdag van de Vlaamse Gemeenschap}\n"
    )
    plan = tmp_path / "be.yaml"
    plan.write_text(text, encoding="utf-8")
    return plan


def test_validate_names_the_day_off_as_meeting_add_does_at_the_date_itself(
    env: dict[str, str], tmp_path: Path
) -> None:
    """walk54 6: each listed date on a day off is reported at its own line (a block list) or
    column (a flow list), not at the list's first date, and named with every reason in the
    words of `regie meeting add` (the holiday by its name, a Sunday that is also an extra day
    off as both)."""
    block = _be_plan(
        tmp_path,
        "      dates:\n        - 2026-05-21\n        - 2027-07-21\n        - 2027-07-11\n",
    )
    line = block.read_text(encoding="utf-8").splitlines().index("        - 2027-07-21") + 1
    said = {
        "2027-07-21": "a public holiday (Nationale feestdag)",
        "2027-07-11": "a Sunday and an extra day off (Feestdag van de Vlaamse Gemeenschap)",
    }
    result = regie("plan", "validate", str(block), env=env)
    assert result.code == 2
    assert result.err.splitlines() == [  # in file order, not by date (walk56e 4)
        f"{block}:{line}:11: meeting date 2027-07-21 is {said['2027-07-21']}, not a working day",
        f"{block}:{line + 1}:11: meeting date 2027-07-11 is {said['2027-07-11']}, not a working "
        "day",
    ]
    flow = _be_plan(tmp_path, "      dates: [2026-05-21, 2027-07-21, 2027-07-11]\n")
    line = (
        flow.read_text(encoding="utf-8")
        .splitlines()
        .index("      dates: [2026-05-21, 2027-07-21, 2027-07-11]")
        + 1
    )
    result = regie("plan", "validate", str(flow), env=env)
    assert result.code == 2
    assert result.err.splitlines() == [  # by column along the line (walk56e 4)
        f"{flow}:{line}:27: meeting date 2027-07-21 is {said['2027-07-21']}, not a working day",
        f"{flow}:{line}:39: meeting date 2027-07-11 is {said['2027-07-11']}, not a working day",
    ]
    flow.write_text(
        flow.read_text(encoding="utf-8").replace("[2026-05-21, 2027-07-21, 2027-07-11]", "[]"),
        encoding="utf-8",
    )
    env = {**env, "REGIE_PLAN": str(flow)}
    for day, what in said.items():  # the same words as `regie meeting add`
        refused = _add(env, day, "--time", "10:00")
        assert refused.err.strip() == f"DATE: {day} is {what}, {ANYWAY}"


def test_a_plan_without_meetings_on_days_off_is_not_composed_a_second_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file-order sort of fix56r made every plan load locate nothing with the slow composing
    pass (≈ 0.4 s on the seed plan, every command): it runs only when a meeting is on a day off."""
    import governance.planfile
    from regie.bootstrap import bootstrap
    from regie.config import load_settings

    def composed(*args: object, **kwargs: object) -> None:
        raise AssertionError("the plan file was composed again to locate nothing")

    monkeypatch.setattr(governance.planfile, "locate_all", composed)
    plan = tmp_path / "plan.yaml"
    shutil.copy(SEED_PLAN, plan)
    app = bootstrap(load_settings({"REGIE_HOME": str(tmp_path / "home"), "REGIE_PLAN": str(plan)}))
    assert app.load_plan().programme.id
