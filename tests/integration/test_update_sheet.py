"""`regie update-sheet`: the open items as a sheet for owners, read back by `import-updates`."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.cli import regie
from tests.integration.answer_app import ANSWERS_PLAN

ENV = {"REGIE_PLAN": str(ANSWERS_PLAN)}
DAY = "2025-06-02"


def sheet(tmp_path: Path, *args: str, env: dict[str, str] = ENV) -> list[list[str]]:
    out = tmp_path / "blad.csv"
    result = regie("update-sheet", "--as-of", DAY, "--out", str(out), *args, env=env)
    assert result.code == 0, result.err
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel reads UTF-8 only with a byte-order mark"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert f"{out}: {len(rows) - 1} item" in result.err
    return rows


def latest(regie_home: Path) -> dict[str, dict[str, object]]:
    result = regie("status", "--as-of", DAY, "--format", "json", env=ENV)
    assert result.code == 0, result.err
    return {r["id"]: r["latest_update"] for r in json.loads(result.out) if r["latest_update"]}


def test_the_sheet_lists_the_open_items_with_empty_answer_columns(
    regie_home: Path, tmp_path: Path
) -> None:
    done = tmp_path / "gereed.csv"
    done.write_text("item,status,completed_on\n1.1.1,done,2025-05-30\n", encoding="utf-8")
    assert regie("import-updates", str(done), "--as-of", DAY, env=ENV).code == 0
    rows = sheet(tmp_path)
    assert rows[0] == [
        "item", "actie", "titel", "eigenaar", "gereed", "deadline", "stand", "laatste update",
        "status", "forecast", "completed_on", "note", "contact",
    ]  # fmt: skip
    by_id = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert sorted(by_id) == ["1.1.2", "1.2", "2.1"]  # 1.1.1 is gereed: nothing to ask
    assert by_id["1.1.2"]["actie"] == "1.1 Knelpunten in kaart"
    assert by_id["1.1.2"]["gereed"] == "Q3-2025"
    assert by_id["1.1.2"]["deadline"] == "2025-09-30"
    assert by_id["1.1.2"]["stand"] == "op schema"
    assert by_id["2.1"]["eigenaar"] == "PROV, GEM"
    assert all(by_id[i][c] == "" for i in by_id for c in ("status", "forecast", "note"))


def test_a_contact_s_sheet_holds_what_they_may_answer_for(regie_home: Path, tmp_path: Path) -> None:
    rows = sheet(tmp_path, "--contact", "anna")
    assert [r[0] for r in rows[1:]] == ["1.1.1", "1.1.2", "2.1"]  # GEM's items
    assert {r[-1] for r in rows[1:]} == {"anna"}
    rows = sheet(tmp_path, "--contact", "bram")  # PROV's, and anna's as her deputy
    assert [r[0] for r in rows[1:]] == ["1.1.1", "1.1.2", "1.2", "2.1"]
    rows = sheet(tmp_path, "--owner", "PROV")
    assert [r[0] for r in rows[1:]] == ["1.2", "2.1"]
    result = regie("update-sheet", "--contact", "zoe", env=ENV)
    assert result.code == 2
    assert result.err.strip().startswith("--contact: 'zoe' is not a contact in the plan")


def test_text_that_excel_would_run_as_a_formula_is_written_as_text(
    regie_home: Path, tmp_path: Path
) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        ANSWERS_PLAN.read_text(encoding="utf-8").replace(
            "title: Prioriteiten", """title: '=HYPERLINK("http://x")'"""
        ),
        encoding="utf-8",
    )
    rows = sheet(tmp_path, env={"REGIE_PLAN": str(plan)})
    titles = {r[0]: r[2] for r in rows[1:]}
    assert titles["1.1.2"] == '\'=HYPERLINK("http://x")'


def test_the_filled_in_sheet_is_read_back_and_unanswered_rows_are_skipped(
    regie_home: Path, tmp_path: Path
) -> None:
    rows = sheet(tmp_path, "--contact", "anna")
    header = rows[0]
    filled = []
    for row in rows[1:]:
        cells = dict(zip(header, row, strict=True))
        if cells["item"] == "1.1.1":  # as Excel saves it: a Dutch label, a Dutch date
            cells.update(status="Risico", forecast="1-9-2025", note="Aanbesteding loopt uit")
        elif cells["item"] == "2.1":
            cells.update(status="op schema")
        filled.append([cells[h] for h in header])  # 1.1.2: left empty, not answered
    back = tmp_path / "terug.csv"
    with back.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, delimiter=";").writerows([header, *filled])
    result = regie("import-updates", str(back), "--as-of", DAY, env=ENV)
    assert result.code == 0, result.err
    assert "2 updates recorded" in result.out
    assert "1 row without an answer skipped" in result.out
    updates = latest(regie_home)
    assert sorted(updates) == ["1.1.1", "2.1"]
    assert updates["1.1.1"]["status"] == "at_risk"
    assert updates["1.1.1"]["forecast"] == "2025-09-01"
    assert updates["1.1.1"]["author"] == "anna"
    assert updates["2.1"]["status"] == "on_track"


def test_a_row_with_answers_but_no_status_is_refused(regie_home: Path, tmp_path: Path) -> None:
    back = tmp_path / "terug.csv"
    back.write_text(
        "item;titel;status;forecast;note\n1.1.1;Knelpuntenkaart;;1-9-2025;loopt uit\n",
        encoding="utf-8",
    )
    result = regie("import-updates", str(back), "--as-of", DAY, env=ENV)
    assert result.code == 2
    assert f"{back}:2: status: empty" in result.err
    ambiguous = tmp_path / "datum.csv"
    ambiguous.write_text("item,status,forecast\n1.1.1,at_risk,9/1/2025\n", encoding="utf-8")
    result = regie("import-updates", str(ambiguous), "--as-of", DAY, env=ENV)
    assert result.code == 2
    assert "is not a date (use YYYY-MM-DD or DD-MM-YYYY)" in result.err
