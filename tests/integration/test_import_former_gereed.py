"""An update sheet returned after a decision (or a plan edit) moved an item's gereed (walk56a 5):
its ``gereed (plan)`` cell holds the gereed the item had when the sheet was made, which is the
plan's doing, not an answer typed in the wrong column. Accepted with one line naming the change;
a text the item never had is refused as before. The answers test plan, SQLite and PostgreSQL."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from regie.bootstrap import App
from tests.cli_in_process import regie
from tests.integration.answer_app import ANSWERS_PLAN
from tests.integration.link_setup import link_app
from tests.integration.test_formerly import _edit, _env, _sync

DAY = "2025-06-02"
BACK = "2025-06-16"  # the sheet comes back after the stuurgroep of 10 June


@pytest.fixture
def app(migrated_url: str, tmp_path: Path) -> App:
    plan = tmp_path / "plan.yaml"
    plan.write_text(ANSWERS_PLAN.read_text(encoding="utf-8"), encoding="utf-8")
    app = link_app(migrated_url, tmp_path / "home", plan)
    assert regie("sync", env=_env(app)).code == 0
    return app


def _sent(app: App, tmp_path: Path) -> Path:
    """The sheet as it went out on DAY; then the stuurgroep moves 1.2 from Q4-2025 to Q1-2026
    and the office edits 1.1.2 from Q3-2025 to Q4-2025 in the plan file."""
    sent = tmp_path / "blad.csv"
    made = regie("update-sheet", "--as-of", DAY, "--out", str(sent), env=_env(app))
    assert made.code == 0, made.err
    assert regie("meeting", "add", "stuurgroep", "2025-06-10", env=_env(app)).code == 0
    decided = regie("decision", "add", "--body", "stuurgroep", "--meeting", "2025-06-10",
                    "--set-gereed", "1.2", "Q1-2026", "--text", "Ontwerp later",
                    env=_env(app))  # fmt: skip
    assert decided.code == 0, decided.err
    _edit(app, "            gereed: Q3-2025\n", "            gereed: Q4-2025\n")
    _sync(app)
    return sent


def _returned(sent: Path, tmp_path: Path, **gereed: str) -> tuple[Path, dict[str, int]]:
    """The sheet sent back with 1.1.2 and 1.2 answered (their ``gereed (plan)`` as it went out,
    or as ``gereed`` gives it by item); and each item's line."""
    with sent.open(encoding="utf-8-sig", newline="") as f:
        notice, header, *rows = list(csv.reader(f, delimiter=";"))
    filled, lines = [], {}
    for n, row in enumerate(rows, start=3):
        cells = dict(zip(header, row, strict=True))
        lines[cells["item"]] = n
        if cells["item"] in ("1.1.2", "1.2"):
            cells.update({"status": "op schema", "toelichting": "Loopt"})
            cells["gereed (plan)"] = (
                gereed.get(cells["item"].replace(".", "_"), "") or cells["gereed (plan)"]
            )
        filled.append([cells[h] for h in header])
    back = tmp_path / "terug.csv"
    with back.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, delimiter=";").writerows([notice, header, *filled])
    return back, lines


def test_a_gereed_the_item_had_when_the_sheet_was_made_is_accepted(
    app: App, tmp_path: Path
) -> None:
    back, line = _returned(_sent(app, tmp_path), tmp_path)
    done = regie("import-updates", str(back), "--as-of", BACK, env=_env(app))
    assert done.code == 0, done.err
    assert f"{back}: 2 updates recorded for {BACK}" in done.out
    (note,) = [x for x in done.out.splitlines() if x.startswith("gereed (plan) changed")]
    assert note.startswith(
        "gereed (plan) changed since the sheet was made, accepted: "
        f"line {line['1.1.2']} (1.1.2) 'Q3-2025' → 'Q4-2025' (plan edited 20"
    )
    assert note.endswith(
        f"line {line['1.2']} (1.2) 'Q4-2025' → 'Q1-2026' "
        "(besluit Stuurgroep Fietsroutes, 10 juni 2025)"
    )


def test_a_gereed_the_item_never_had_is_refused(app: App, tmp_path: Path) -> None:
    back, line = _returned(_sent(app, tmp_path), tmp_path, **{"1_2": "Q2-2027"})
    refused = regie("import-updates", str(back), "--as-of", BACK, env=_env(app))
    assert refused.code == 2
    assert (
        f"{back}:{line['1.2']}: gereed (plan): 'Q2-2027', but the plan says 'Q1-2026' for 1.2 "
        "(nor did it before: answers go in status, prognose, gereed op and toelichting)"
    ) in refused.err.splitlines()
    assert "1.1.2" not in refused.err  # its former gereed stands
