"""Agenda layout 22 (fix57a), on the example plan: the data as the body's latest pack read them
(*Wat is verslechterd* compares with them, fix54g) leave out an update a correction recorded
by then replaced, as that pack's own reads did. 1.1.2 (due Q1-2027) is answered on 1 September
with a later date, 30 June 2027, and the answer is corrected the next day without a date:
October's pack, sent after both (as of 1 October), shows 1.1.2 on schedule. On 5 October,
before the meeting, its owner reports a risk. January's pack of layout 22 lists that risk as
*nog niet in het vorige agendapakket*; layout 21 (made again as built) compared with 1.1.2
moved by the withdrawn date, took the risk as shown already and lost it. Each pack archived
and made again byte for byte. SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from regie.bootstrap import App
from tests.cli import ROOT
from tests.cli_in_process import regie
from tests.integration.layout_golden import made_at, synced_at
from tests.integration.reports_scenario import cli_env, migrated_app
from tests.integration.test_cycle import rows

EXAMPLE = ROOT / "docs" / "examples" / "eigen-programma.yaml"
OCTOBER, JANUARY = date(2026, 10, 8), date(2027, 1, 14)
OCTOBER_PACK, JANUARY_PACK = date(2026, 10, 1), date(2027, 1, 7)
RISKED = (
    "| 1.1.2 | Sensoren geplaatst | risico gemeld op 05-10-2026 (nog niet in het vorige "
    "agendapakket) |"
)
ANSWERED, RISK = date(2026, 9, 1), date(2026, 10, 5)


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:
    from governance.answers import OFFICE, AnswerInput
    from regie.answers import check_answer, store_answers
    from regie.prepare import prepare_meetings

    home = tmp_path / "home"
    home.mkdir()
    plan_file = home / "actions.yaml"
    shutil.copyfile(EXAMPLE, plan_file)
    text = plan_file.read_text(encoding="utf-8")
    plan_file.write_text(text.replace("gereed: Q3-2026", "gereed: 6 juli 2026"), encoding="utf-8")
    app = migrated_app(home, database_url)
    synced_at(app, datetime(2026, 6, 1, 9, tzinfo=UTC))  # fixed: the documents show no wall clock
    plan = app.load_plan()
    answer = AnswerInput("1.1.2", "on_track", date(2027, 6, 30), None, None)
    update = check_answer(plan, answer, OFFICE, ANSWERED)
    store_answers(app, plan, [replace(update, source="cli", recorded_at=datetime.combine(
        ANSWERED, time(12), UTC))])  # fmt: skip
    [(update_id,)] = rows(app, "SELECT id FROM status_updates WHERE item_code = '1.1.2'")
    done = regie(
        "update", "1.1.2", "-s", "on_track", "--as-of", "2026-09-02", "--corrects",
        str(update_id), "--comment", "Verkeerde datum", env=cli_env(app),
    )  # fmt: skip
    assert done.code == 0, done.err
    assert prepare_meetings(app, OCTOBER_PACK).packs  # October's pack goes out after both
    risk = check_answer(plan, AnswerInput("1.1.2", "at_risk", None, None, None), OFFICE, RISK)
    store_answers(app, plan, [replace(risk, source="cli", recorded_at=datetime.combine(
        RISK, time(12), UTC))])  # fmt: skip
    return app


def _january(app: App, monkeypatch: pytest.MonkeyPatch, layout: int) -> str:
    from regie.reports import agenda

    return made_at(app, monkeypatch, "agenda", layout,
                   lambda: agenda(app, "stuurgroep", JANUARY, JANUARY_PACK, "md"))  # fmt: skip


def test_the_latest_packs_data_leave_out_a_corrected_update(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    from regie.report_build import AGENDA_LAYOUT, AGENDA_SHOWN_CORRECTED_FROM
    from regie.reports import agenda

    assert AGENDA_LAYOUT >= AGENDA_SHOWN_CORRECTED_FROM == 22
    october = agenda(app, "stuurgroep", OCTOBER, OCTOBER_PACK, "md", archive=False)
    assert (
        "| 1.1.2 | Sensoren geplaatst | Provincie Voorbeeld | Q1-2027 | 31-03-2027 | — | op schema"
        in (october.content.decode())
    )
    old, new = _january(app, monkeypatch, 21), _january(app, monkeypatch, 22)
    assert RISKED in new
    assert "1 nieuw risico of verschuiving door de eigenaar gemeld" in new
    assert "1.1.2 | Sensoren geplaatst | risico gemeld" not in old
