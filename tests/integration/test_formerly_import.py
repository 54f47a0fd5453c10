"""An update sheet returned after its item was renumbered with ``formerly`` (review55b 5):
`regie import-updates` records the old id's answer under the new id, as an old answer link
is followed, and says so in one line; the sheet's old title still checks out. An id that left
the plan without ``formerly`` is refused as before. `regie update OLD` still refuses naming
the new id (test_formerly_old_number). The answers test plan ("wegen-test"), SQLite and
PostgreSQL."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from regie.bootstrap import App
from tests.cli_in_process import regie
from tests.integration.answer_app import ANSWERS_PLAN
from tests.integration.link_setup import link_app
from tests.integration.test_formerly import WITH_FORMERLY, WITHOUT_FORMERLY, _edit, _env, _sync

DAY = "2025-06-02"


@pytest.fixture
def app(migrated_url: str, tmp_path: Path) -> App:
    plan = tmp_path / "plan.yaml"
    plan.write_text(ANSWERS_PLAN.read_text(encoding="utf-8"), encoding="utf-8")
    app = link_app(migrated_url, tmp_path / "home", plan)
    assert regie("sync", env=_env(app)).code == 0
    return app


def _returned(app: App, tmp_path: Path, edits: tuple[str, str]) -> Path:
    """The sheet made before ``edits`` (synced), returned after them with 1.1.1 answered."""
    sent = tmp_path / "blad.csv"
    made = regie("update-sheet", "--as-of", DAY, "--out", str(sent), env=_env(app))
    assert made.code == 0, made.err
    _edit(app, *edits)
    _edit(app, "            title: Knelpuntenkaart\n", "            title: Knelpunten op kaart\n")
    _sync(app)
    with sent.open(encoding="utf-8-sig", newline="") as f:
        _, header, *rows = list(csv.reader(f, delimiter=";"))
    filled = []
    for row in rows:
        cells = dict(zip(header, row, strict=True))
        if cells["item"] == "1.1.1":
            assert cells["titel"] == "Knelpuntenkaart"  # as the sheet went out
            cells.update({"status": "op schema", "toelichting": "Loopt"})
        filled.append([cells[h] for h in header])
    back = tmp_path / "terug.csv"
    with back.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, delimiter=";").writerows([header, *filled])
    return back


def test_a_returned_sheet_follows_the_renumbering(app: App, tmp_path: Path) -> None:
    back = _returned(app, tmp_path, WITH_FORMERLY)
    done = regie("import-updates", str(back), "--as-of", DAY, env=_env(app))
    assert done.code == 0, done.err
    assert f"{back}: 1 update recorded for {DAY}" in done.out
    assert "renumbered since the sheet was made (formerly): recorded 1.1.1 as 1.1.3" in done.out
    shown = regie("status", "1.1.3", "--as-of", DAY, "--format", "json", env=_env(app))
    assert shown.code == 0, shown.err
    assert '"comment": "Loopt"' in shown.out and '"status": "on_track"' in shown.out


def test_an_id_removed_without_formerly_is_refused_as_before(app: App, tmp_path: Path) -> None:
    back = _returned(app, tmp_path, WITHOUT_FORMERLY)
    refused = regie("import-updates", str(back), "--as-of", DAY, env=_env(app))
    assert refused.code == 2
    assert "1.1.1: not in the plan" in refused.err and "renumbered" not in refused.err
