"""The agenda pack's mail starts its subject with the programme in brackets, as every other
mail of Regie does ([MVI 2015–2020] Herinnering …), for any programme."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from regie.bootstrap import App
from regie.prepare import PACK_KIND, prepare_meetings
from store import Repository
from tests.integration.reports_scenario import migrated_app

SECOND = Path(__file__).resolve().parent.parent / "fixtures" / "plans" / "second_programme.yaml"


def _subjects(app: App) -> set[str]:
    plan = app.load_plan()
    with app.session() as session:
        return {
            m.subject
            for m in Repository(session, plan.programme.id).outbox()
            if m.kind == PACK_KIND
        }


@pytest.mark.parametrize(
    ("plan", "as_of", "subject"),
    [
        (None, date(2015, 10, 6), "[MVI 2015–2020] Agenda Stuurgroep Plan van aanpak MVI "
         "13 oktober 2015 (stand per 6 oktober 2015)"),
        (SECOND, date(2024, 2, 28), "[DigiToegang] Agenda Programmaraad "),
    ],
)  # fmt: skip
def test_the_pack_subject_names_the_programme(
    tmp_path: Path, database_url: str, plan: Path | None, as_of: date, subject: str
) -> None:
    home = tmp_path / "home"
    if plan is not None:
        home.mkdir()
        shutil.copyfile(plan, home / "actions.yaml")
    app = migrated_app(home, database_url)
    prepare_meetings(app, as_of)
    subjects = _subjects(app)
    assert subjects and all(s.startswith(subject) for s in subjects), subjects
