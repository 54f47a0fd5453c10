"""REGIE_SIMULATE takes on or off; any other value is refused in one line, as every setting
with fixed values, not read as off (walk55c 7): an operator who set ``REGIE_SIMULATE=ja`` was
told only that the day lies after today."""

from __future__ import annotations

from pathlib import Path

import pytest

from regie.config import load_settings
from regie.errors import InvalidInput
from tests.cli_in_process import regie


def _settings(tmp_path: Path, value: str | None) -> bool:
    env = {"REGIE_HOME": str(tmp_path)}
    if value is not None:
        env["REGIE_SIMULATE"] = value
    return load_settings(env).simulate


@pytest.mark.parametrize("value", ["1", "true", "Yes", " TRUE "])
def test_on(tmp_path: Path, value: str) -> None:
    assert _settings(tmp_path, value) is True


@pytest.mark.parametrize("value", [None, "", "0", "false", "No"])
def test_off(tmp_path: Path, value: str | None) -> None:
    assert _settings(tmp_path, value) is False


@pytest.mark.parametrize("value", ["ja", "maybe", "2", "on"])
def test_any_other_value_is_refused_in_one_line(tmp_path: Path, value: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        _settings(tmp_path, value)
    assert refused.value.lines == [
        f"REGIE_SIMULATE: {value!r} is not one of 1, true, yes, 0, false, no"
    ]


def test_the_cycle_refuses_it_before_anything_else(tmp_path: Path) -> None:
    env = {"REGIE_HOME": str(tmp_path / "home"), "REGIE_SIMULATE": "ja"}
    done = regie("cycle", "--as-of", "2030-01-02", env=env)
    assert done.code == 2
    assert done.err == "REGIE_SIMULATE: 'ja' is not one of 1, true, yes, 0, false, no\n"
    assert not (tmp_path / "home").exists()
