"""An item renumbered in the plan file does not lose its history silently (walk29, "Renumbering
an item silently drops its history"): `regie plan validate` and `regie sync` say, on one line at
the new id (PATH:LINE:COL), that the new number looks like the old one renumbered and that its
history does not come along, instead of the plain "removed without a recorded decision"
warning. Milestone 3.5.2 becomes 3.5.3 (same title, same action); action 3.6 becomes 3.10 with
its milestones 3.6.1/3.6.2 → 3.10.1/3.10.2. A new id with another title is no renumbering.
SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from regie.bootstrap import App
from tests.cli_in_process import regie
from tests.integration.migrated_template import shared_templates
from tests.integration.reports_scenario import cli_env, make_app

FIRST_SYNC = datetime(2015, 9, 30, 8, tzinfo=UTC)
EDITED = datetime(2016, 4, 14, 10, tzinfo=UTC)


def _sync(app: App, now: datetime) -> list[str]:
    from regie.services import sync_warnings
    from store import sync_plan

    plan = app.load_plan()
    with app.session() as session, session.begin():
        result = sync_plan(session, plan, now=now, plan_path=str(plan.path))
        return sync_warnings(session, plan, result)


def _edit(app: App, *swaps: tuple[str, str]) -> Path:
    path = Path(app.settings.plan_path)
    text = path.read_text(encoding="utf-8")
    for old, new in swaps:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return path


def _at(path: Path, line_text: str) -> str:
    """PATH:LINE:COL of the ``id:`` key on the line that reads ``line_text``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    number = lines.index(line_text) + 1
    return f"{path}:{number}:{line_text.index('id:') + 1}"


RENUMBER = (
    ('          - id: "3.5.2"\n', '          - id: "3.5.3"\n'),
    ('      - id: "3.6"\n', '      - id: "3.10"\n'),
    ('          - id: "3.6.1"\n', '          - id: "3.10.1"\n'),
    ('          - id: "3.6.2"\n', '          - id: "3.10.2"\n'),
)


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:

    shared_templates().fill_if_empty(database_url)  # empty: a copy of the migrated template
    app = make_app(tmp_path / "home", database_url)
    assert _sync(app, FIRST_SYNC) == []
    return app


def test_validate_and_sync_say_a_renumbered_item_starts_without_its_history(app: App) -> None:
    path = _edit(app, *RENUMBER)
    milestone_at = _at(path, '          - id: "3.5.3"')
    action_at = _at(path, '      - id: "3.10"')

    validated = regie("plan", "validate", env=cli_env(app))
    assert validated.code == 0, validated.err
    said = [x for x in validated.out.splitlines() if "renumbered" in x]
    assert len(said) == 2, validated.out
    assert said[0].startswith(f"warning: {milestone_at}: 3.5.3 'Bijeenkomst' looks like 3.5.2 ")
    assert "(3.5.2 → 3.5.3: same title, same action 3.5)" in said[0]
    assert "a new number is a new item" in said[0]
    assert "3.5.2's status updates, answers, decisions and calendar event do not come" in said[0]
    assert "keep the number 3.5.2 in the file" in said[0]
    assert said[1].startswith(
        f"warning: {action_at}: 3.10 'Lessen innovatiegericht inkopen delen' looks like 3.6 "
    )
    assert "(3.6 → 3.10, 3.6.1 → 3.10.1, 3.6.2 → 3.10.2: same title, same step 3)" in said[1]
    # One line per renumbering, not also the plain removal warning.
    assert "syncing removes it" not in validated.out

    warnings = _sync(app, EDITED)
    assert len(warnings) == 2, warnings
    assert warnings[0].startswith(f"warning: {milestone_at}: 3.5.3 'Bijeenkomst' looks like 3.5.2")
    assert "the sync archived 3.5.2 and created 3.5.3" in warnings[0]
    assert "give the item its number 3.5.2 again and sync" in warnings[0]
    assert "(3.6 → 3.10, 3.6.1 → 3.10.1, 3.6.2 → 3.10.2: same title" in warnings[1]
    assert not any("removed from the plan" in w for w in warnings)

    # Synced: the file and the store agree, nothing left to say.
    assert "renumbered" not in regie("plan", "validate", env=cli_env(app)).out


def test_a_new_id_with_another_title_is_a_removal_and_an_addition(app: App) -> None:
    _edit(
        app,
        ('          - id: "3.5.2"\n', '          - id: "3.5.3"\n'),
        ("            title: Bijeenkomst\n", "            title: Slotbijeenkomst\n"),
    )
    validated = regie("plan", "validate", env=cli_env(app))
    assert "renumbered" not in validated.out
    assert "3.5.2 'Bijeenkomst' is not in the file: syncing removes it" in validated.out
    warnings = _sync(app, EDITED)
    assert len(warnings) == 2 and "3.5.2 'Bijeenkomst' removed from the plan" in warnings[0]
    # The new id is an item added without a decision (walk32a 5), told as such.
    assert "3.5.3 'Slotbijeenkomst' added to the plan without a recorded decision" in warnings[1]


def test_a_renumbered_action_whose_milestone_goes_keeps_the_milestone_removal(app: App) -> None:
    # 3.6 → 3.10 with 3.6.1 → 3.10.1, but 3.6.2 deleted: its removal is still warned about.
    _edit(
        app,
        *RENUMBER[1:3],
        (
            '          - id: "3.6.2"\n            title: Lanceren innovatiemarkt\n'
            '            gereed: "Ntb"\n'
            "            note: Ntb overgenomen van de enige datum van deze actie (zie de note bij"
            " 3.6).\n",
            "",
        ),
    )
    warnings = _sync(app, EDITED)
    assert any("(3.6 → 3.10, 3.6.1 → 3.10.1: same title, same step 3)" in w for w in warnings)
    removed = [w for w in warnings if "removed from the plan" in w]
    assert len(removed) == 1 and "3.6.2 'Lanceren innovatiemarkt' removed" in removed[0], warnings


def test_the_cycle_says_it_of_an_item_with_answers(tmp_path: Path, database_url: str) -> None:
    # walk29's case: 1.1.2 (answered by its owner) renumbered 1.1.3 before a cycle.
    from tests.integration.reports_scenario import scenario_app

    app = scenario_app(tmp_path / "home", database_url)
    env = cli_env(app)
    assert regie("sync", env=env).code == 0
    path = _edit(app, ('          - id: "1.1.2"\n', '          - id: "1.1.3"\n'))
    ran = regie("cycle", "--as-of", "2016-04-14", env=env)
    assert ran.code == 0, ran.err
    said = [x.strip() for x in ran.out.splitlines() if "renumbered" in x]
    assert len(said) == 1, ran.out
    at = _at(path, '          - id: "1.1.3"')
    assert said[0].startswith(
        f"warning: {at}: 1.1.3 'Uitvoeren overlegronde' "
        "looks like 1.1.2 renumbered (1.1.2 → 1.1.3: same title, same action 1.1)"
    )
    assert "1.1.2 'Uitvoeren overlegronde' removed from the plan" not in ran.out
