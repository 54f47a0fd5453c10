"""A body's status round asks its members about their items, not every owner (walk32a 7); a
body without ``members`` asks everyone."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from regie.bootstrap import App
from regie.errors import InvalidInput
from regie.rounds import NothingToAsk, run_round_day
from store import Repository
from tests.integration.answer_app import ANSWERS_PLAN
from tests.integration.link_setup import link_app

START, ANSWER_BY = date(2025, 6, 2), date(2025, 6, 20)


def _app(migrated_url: str, tmp_path: Path, members: str | None) -> App:
    text = ANSWERS_PLAN.read_text(encoding="utf-8")
    old = "    members: [GEM, PROV]\n"
    assert old in text
    plan = tmp_path / "plan.yaml"
    plan.write_text(text.replace(old, f"    members: {members}\n" if members else ""))
    return link_app(migrated_url, tmp_path, plan=plan)


def _requests(app: App) -> dict[str, list[str]]:
    """Per request key, the item ids the round asked its contact."""
    with app.session() as session:
        return {
            m.key: sorted(line.split()[1] for line in m.body_text.splitlines()
                          if line.startswith("- ") and line.split()[1][0].isdigit())
            for m in Repository(session, "wegen-test").outbox()
            if m.key.endswith(":request")
        }  # fmt: skip


def test_a_body_s_round_asks_only_its_members(migrated_url: str, tmp_path: Path) -> None:
    app = _app(migrated_url, tmp_path, "[GEM]")
    run_round_day(app, START, body="stuurgroep", answer_by=ANSWER_BY)
    # PROV's contacts (bram, carla) are not asked, not even about 2.1 that PROV shares with GEM.
    asked = _requests(app)
    assert sorted(asked) == ["round:1:anna:request"]
    assert asked["round:1:anna:request"] == ["1.1.1", "1.1.2", "2.1"]
    with pytest.raises(InvalidInput, match=r"^--scope: owner:PROV is not a member of stuurgroep"):
        run_round_day(app, START, body="stuurgroep", answer_by=date(2025, 6, 27),
                      scope="owner:PROV")  # fmt: skip


def test_a_body_without_members_asks_every_owner(migrated_url: str, tmp_path: Path) -> None:
    app = _app(migrated_url, tmp_path, None)
    run_round_day(app, START, body="stuurgroep", answer_by=ANSWER_BY)
    assert sorted(_requests(app)) == [
        "round:1:anna:request",
        "round:1:bram:request",
        "round:1:carla:request",
    ]


def test_a_members_round_with_nothing_of_theirs_open_says_so(
    migrated_url: str, tmp_path: Path
) -> None:
    from governance.answers import Answerer, AnswerInput
    from regie.answers import record_answer

    app = _app(migrated_url, tmp_path, "[PROV]")
    for item in ("1.2", "2.1"):
        done = AnswerInput(item, "done", completed_on=START)
        record_answer(app, done, Answerer("carla", "C"), channel="web", as_of=START, sync=True)
    with pytest.raises(NothingToAsk, match=r"every item of the body's members \(PROV\) is done"):
        run_round_day(app, START, body="stuurgroep", answer_by=ANSWER_BY)
