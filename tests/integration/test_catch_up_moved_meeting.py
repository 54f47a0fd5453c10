"""Agenda layout 19's catch-up after a pack for a meeting that was then moved (review54c 1), on
the example plan with the stuurgroep meeting on 9 July and 8 October 2026. The office makes
July's pack as of 2 July; GGD reports 1.2 at risk on 3 August; the office makes October's pack
as of 1 October (it lists that risk); then the plan moves the October meeting to 15 October.
The pack for 15 October lists the risk under *Wat is verslechterd*: the body never met with
the 1 October pack, so the previous pack it had is July's. Before, that pack counted as the
previous one, and the risk never reached the pack of the meeting actually held."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from regie.bootstrap import App
from tests.cli import ROOT
from tests.integration.layout_golden import made_at, synced_at
from tests.integration.reports_scenario import migrated_app

EXAMPLE = ROOT / "docs" / "examples" / "eigen-programma.yaml"
RULE = "rule: {every: quarter, weekday: donderdag, nth: 2, start: 2026-01-01}"
MEETINGS = "dates: [2026-07-09, {}]"
JULY, OCTOBER, MOVED = date(2026, 7, 9), date(2026, 10, 8), date(2026, 10, 15)
RISK = date(2026, 8, 3)  # after July's meeting, before October's pack
RISK_LINE = "| 1.2 | Gezondheidseffecten in beeld | risico gemeld op 03-08-2026 |"


def _meetings(plan_file: Path, october: date) -> None:
    text = plan_file.read_text(encoding="utf-8")
    old = RULE if RULE in text else MEETINGS.format(OCTOBER.isoformat())
    assert text.count(old) == 1
    plan_file.write_text(text.replace(old, MEETINGS.format(october.isoformat())), "utf-8")


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:
    from governance.answers import OFFICE, AnswerInput
    from regie.answers import check_answer, store_answers
    from regie.reports import agenda

    home = tmp_path / "home"
    home.mkdir()
    plan_file = home / "actions.yaml"
    shutil.copyfile(EXAMPLE, plan_file)
    _meetings(plan_file, OCTOBER)
    app = migrated_app(home, database_url)
    synced_at(app, datetime(2026, 6, 1, 9, tzinfo=UTC))
    assert agenda(app, "stuurgroep", JULY, date(2026, 7, 2), "md").archive_id is not None
    plan = app.load_plan()
    risk = AnswerInput("1.2", "at_risk", None, None, None)
    noon = datetime.combine(RISK, time(12), UTC)
    store_answers(app, plan, [
        replace(check_answer(plan, risk, OFFICE, RISK), source="cli", recorded_at=noon)
    ])  # fmt: skip
    sent = agenda(app, "stuurgroep", OCTOBER, date(2026, 10, 1), "md")
    assert RISK_LINE in " ".join(sent.content.decode().split())
    _meetings(plan_file, MOVED)  # the meeting moved a week on
    synced_at(app, datetime(2026, 10, 5, 9, tzinfo=UTC))
    return app


def test_a_pack_for_a_moved_meeting_is_not_the_previous_one(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    from regie.reports import agenda

    text = made_at(app, monkeypatch, "agenda", 19,
                   lambda: agenda(app, "stuurgroep", MOVED, date(2026, 10, 8), "md"))  # fmt: skip
    worse = text.split("**Wat is verslechterd**")[1].split("**Overige wijzigingen**")[0]
    assert RISK_LINE in worse
