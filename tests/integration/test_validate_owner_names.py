"""`regie plan validate` warns of an organisation whose owner name (``short_name``, else
``name``) is too long for the mail lines and table cells that show it (a length limit was
missing: a 300-character short name was accepted silently). A warning: exit code 0."""

from __future__ import annotations

from pathlib import Path

import yaml

from regie.services import OWNER_NAME_WIDTH
from tests.cli_in_process import regie

PLAN = Path(__file__).resolve().parents[1] / "fixtures" / "plans" / "second_programme.yaml"


def _validate(tmp_path: Path, organisations: list[dict]) -> list[str]:
    data = yaml.safe_load(PLAN.read_text("utf-8"))
    data["organisations"] = organisations
    plan = tmp_path / "actions.yaml"
    plan.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    env = {"REGIE_HOME": str(tmp_path / "home"), "REGIE_DATABASE_URL": "", "REGIE_CONTACTS": ""}
    result = regie("plan", "validate", str(plan), env=env)
    assert result.code == 0, result.err
    return [line for line in result.out.splitlines() if line.startswith("warning: owner name")]


def test_a_long_short_name_and_a_long_name_without_one_are_warned_of(tmp_path: Path) -> None:
    long = "B" * (OWNER_NAME_WIDTH + 1)
    warned = _validate(
        tmp_path,
        [
            {"id": "BZK", "name": "Ministerie van BZK", "short_name": long},
            {"id": "Logius", "name": "L" * (OWNER_NAME_WIDTH + 20)},
            {"id": "gemeenten", "name": "G" * 80, "short_name": "VNG"},
        ],
    )
    assert warned == [
        f"warning: owner name of organisation 'BZK' is long: its short_name has "
        f"{OWNER_NAME_WIDTH + 1} characters and is shown as the owner in mail lines and table "
        f"cells: shorten it to at most {OWNER_NAME_WIDTH} characters",
        f"warning: owner name of organisation 'Logius' is long: its name has "
        f"{OWNER_NAME_WIDTH + 20} characters and is shown as the owner in mail lines and table "
        "cells: give it a 'short_name' (an abbreviation) for mails, packs and reports",
    ]


def test_names_up_to_the_width_are_not_warned_of(tmp_path: Path) -> None:
    warned = _validate(
        tmp_path,
        [
            {"id": "BZK", "name": "x" * 90, "short_name": "B" * OWNER_NAME_WIDTH},
            {"id": "Logius", "name": "L" * OWNER_NAME_WIDTH},
            {"id": "gemeenten", "name": "Gemeenten (VNG)"},
        ],
    )
    assert warned == []
