"""`regie round start --scope` with an owner or step the plan does not have (walk33 10): one line
naming it and what the plan has, exit 2, no traceback, no round started and nothing queued."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from regie.bootstrap import App
from regie.errors import InvalidInput
from regie.rounds import run_round_day
from tests.cli_in_process import regie
from tests.integration.answer_app import ANSWERS_PLAN
from tests.integration.link_setup import link_app


@pytest.fixture
def app(migrated_url: str, tmp_path: Path) -> App:
    return link_app(migrated_url, tmp_path)


@pytest.mark.parametrize(
    ("scope", "line"),
    [
        ("owner:XYZ", "--scope owner:XYZ: unknown organisation 'XYZ' (known: GEM, PROV, PB)"),
        ("owner:", "--scope owner:: unknown organisation '' (known: GEM, PROV, PB)"),
        ("step:9", "--scope step:9: the plan has no step '9' (step:N; steps: 1, 2)"),
        ("org:GEM", "--scope: 'org:GEM' is not step:N (a step of the plan) or owner:ORG"),
    ],
)
def test_an_unknown_scope_names_itself_and_what_the_plan_has(
    app: App, scope: str, line: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        run_round_day(
            app, date(2025, 6, 2), body="stuurgroep", answer_by=date(2025, 6, 20), scope=scope
        )
    assert str(refused.value) == line


def test_the_command_says_it_on_one_line_and_starts_nothing(regie_home: Path) -> None:
    env = {"REGIE_PLAN": str(ANSWERS_PLAN)}
    start = ["round", "start", "--body", "stuurgroep", "--answer-by", "2025-06-20"]
    result = regie(*start, "--scope", "owner:XYZ", "--as-of", "2025-06-02", env=env)
    assert result.code == 2
    assert result.err == (
        "--scope owner:XYZ: unknown organisation 'XYZ' (known: GEM, PROV, PB)\n"
    ), result.err
    status = regie("round", "status", "--format", "json", env=env)
    assert status.code == 0 and json.loads(status.out) == []
    outbox = regie("outbox", "--format", "json", env=env)
    assert outbox.code == 0 and json.loads(outbox.out) == []
