"""The copied homes' plan (tests/relocated_plan.py) is the plan parsed at the copy's path: the
same pickle, byte for byte, as the parse cache would have stored, and nothing names the
original's file."""

from __future__ import annotations

import dataclasses
import pickle
import shutil
from pathlib import Path

import pytest

from governance.planfile import validate_plan_file
from tests.conftest import ROOT, SEED_PLAN
from tests.relocated_plan import relocated


@pytest.mark.parametrize(
    "source", [SEED_PLAN, ROOT / "tests" / "fixtures" / "plans" / "second_programme.yaml"]
)
def test_a_relocated_plan_is_the_plan_parsed_there(tmp_path: Path, source: Path) -> None:
    here, there = tmp_path / "a" / "actions.yaml", tmp_path / "home-b" / "plan.yaml"
    for path in (here, there):
        path.parent.mkdir()
        shutil.copyfile(source, path)
    parsed_here, problems = validate_plan_file(here)
    assert parsed_here is not None and not problems
    parsed_there, problems = validate_plan_file(there)
    assert parsed_there is not None and not problems

    moved = relocated(parsed_here, str(there))
    assert moved == parsed_there and moved.path == str(there)
    as_cached = pickle.dumps(dataclasses.replace(moved))
    assert as_cached == pickle.dumps(dataclasses.replace(parsed_there))
    assert str(here).encode() not in as_cached and str(there).encode() in as_cached
    assert parsed_here.path == str(here)  # the original is left as it was
