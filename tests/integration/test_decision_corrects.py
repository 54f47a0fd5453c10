"""A decision recorded wrongly is corrected by a later one of the same meeting (walk56d 3):
``decision add --corrects N``. Both stay in the register, the corrected one marked; the plan's
date is set again from the one before the meeting; the pack, the progress report and the
decision list show one change. SQLite and PostgreSQL, through the real command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from regie.bootstrap import App
from tests.cli import Result
from tests.cli_in_process import regie
from tests.integration.reports_scenario import cli_env, migrated_app


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:
    made = migrated_app(tmp_path / "home", database_url)  # a copy of the seed plan
    synced = regie("sync", env=cli_env(made))  # the plan as it stood before the meeting
    assert synced.code == 0, synced.err
    return made


def _decide(app: App, meeting: str, text: str, *args: str) -> Result:
    return regie("decision", "add", "--body", "stuurgroep", "--meeting", meeting, "--text", text,
                 *args, env=cli_env(app))  # fmt: skip


def _listed(app: App) -> list[dict[str, object]]:
    shown = regie("decision", "list", "--format", "json", env=cli_env(app))
    assert shown.code == 0, shown.err
    return list(json.loads(shown.out))


def test_a_corrected_decision_reads_as_one_change(app: App) -> None:
    plan = Path(str(app.settings.plan_path))
    wrong = _decide(app, "2016-01-12", "1.4 naar juni", "--set-gereed", "1.4", "juni 2016")
    assert wrong.code == 0, wrong.err
    fixed = _decide(app, "2016-01-12", "Correctie: 1.4 naar juli", "--set-gereed", "1.4",
                    "juli 2016", "--corrects", "1")  # fmt: skip
    assert fixed.code == 0, fixed.err
    assert "decision 2 recorded for stuurgroep 2016-01-12, correcting decision 1" in fixed.out
    text = plan.read_text(encoding="utf-8")
    assert 'gereed: "juli 2016"' in text and "juni 2016" not in text

    first, second = _listed(app)
    original = second["gereed_before"]
    assert original and original == first["gereed_before"] and original != "juni 2016"
    assert first["effect"] == "gecorrigeerd door besluit 2" and first["corrected_by"] == 2
    assert second["corrects"] == 1
    assert (
        second["effect"] == f"gereed bijgesteld: {original} → juli 2016 (correctie van besluit 1)"
    )

    pack = regie("report", "agenda", "--body", "stuurgroep", "--meeting", "2016-04-12",
                 "--as-of", "2016-04-01", "--format", "md", env=cli_env(app))  # fmt: skip
    assert pack.code == 0, pack.err
    assert "Correctie: 1.4 naar juli" in pack.out and "1.4 naar juni" not in pack.out
    assert "juni 2016" not in pack.out
    since = [x for x in pack.out.splitlines() if x.startswith("| 1.4 |") and "gewijzigd" in x]
    assert len(since) == 1 and f"datum gewijzigd: {original} → juli 2016 (besluit" in since[0]

    report = regie("report", "voortgang", "--from", "2016-01-01", "--to", "2016-12-31",
                   "--as-of", "2016-04-01", "--format", "md", env=cli_env(app))  # fmt: skip
    assert report.code == 0, report.err
    assert "Correctie: 1.4 naar juli" in report.out and "1.4 naar juni" not in report.out


def test_an_older_agenda_layout_is_made_again_with_both_decisions(app: App) -> None:
    from datetime import date

    from regie.report_build import AGENDA_CORRECTIONS_FROM, _agenda_pack

    assert _decide(app, "2016-01-12", "juni", "--set-gereed", "1.4", "juni 2016").code == 0
    fixed = _decide(
        app, "2016-01-12", "juli", "--set-gereed", "1.4", "juli 2016", "--corrects", "1"
    )
    assert fixed.code == 0, fixed.err

    def made(layout: int) -> tuple[list[str], list[str | None]]:
        pack, _ = _agenda_pack(
            app, "stuurgroep", date(2016, 4, 12), date(2016, 4, 1), layout=layout
        )
        assert pack.since_last is not None
        moved = [
            e.after for e in pack.since_last.entries if e.item_id == "1.4" and e.kind == "moved"
        ]
        return [d.decision.text for d in pack.decisions], moved

    assert made(AGENDA_CORRECTIONS_FROM) == (["juli"], ["juli 2016"])
    assert made(AGENDA_CORRECTIONS_FROM - 1) == (["juni", "juli"], ["juni 2016", "juli 2016"])


def test_a_correction_is_refused_in_one_line_unless_it_fits(app: App) -> None:
    assert _decide(app, "2016-01-12", "1.4 naar juni", "--set-gereed", "1.4", "juni 2016").code == 0
    assert _decide(app, "2016-01-12", "1.3.2 vervalt", "--cancel", "1.3.2").code == 0
    plan = Path(str(app.settings.plan_path))
    before = plan.read_text(encoding="utf-8")
    dated = ("--set-gereed", "1.4", "juli 2016")
    refused = [
        ((*dated, "--corrects", "9"), "--corrects 9: no decision 9 (see `regie decision list`)"),
        (
            ("--set-gereed", "1.5", "juli 2016", "--corrects", "1"),
            "--corrects 1: decision 1 is about 1.4; give the same item",
        ),
        (
            ("--item", "1.4", "--corrects", "1"),
            "--corrects 1: decision 1 moved a date; its correction gives --set-gereed 1.4 TEXT",
        ),
        (
            ("--item", "1.3.2", "--corrects", "2"),
            "--corrects 2: decision 2 drops, restores, adds or approves; that is not corrected "
            "(record a decision of its own: --restore, --cancel)",
        ),
    ]
    for args, said in refused:
        result = _decide(app, "2016-01-12", "x", *args)
        assert result.code == 2 and result.out == "", result.out
        assert result.err.strip() == said
    other = regie("decision", "add", "--body", "stuurgroep", "--meeting", "2016-04-12",
                  "--text", "x", *dated, "--corrects", "1", env=cli_env(app))  # fmt: skip
    assert other.code == 2 and "is of stuurgroep 2016-01-12; a correction is recorded" in other.err
    assert plan.read_text(encoding="utf-8") == before and len(_listed(app)) == 2

    ok = _decide(app, "2016-01-12", "juli", "--set-gereed", "1.4", "juli 2016", "--corrects", "1")
    assert ok.code == 0, ok.err
    again = _decide(app, "2016-01-12", "aug", "--set-gereed", "1.4", "aug 2016", "--corrects", "1")
    assert again.code == 2
    assert again.err.strip() == (
        "--corrects 1: decision 1 is corrected already by decision 3; correct that one "
        "(--corrects 3)"
    )
