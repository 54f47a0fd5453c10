"""`regie import-updates` of a sheet sent back with nothing filled in: not an error (a batch job
reads exit 2 as one), so exit 0 and one line saying nothing was recorded and how many rows were
left unanswered. A file with a header and no rows is still refused (exit 2)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from regie.answer_import import import_updates
from regie.errors import InvalidInput
from store import Repository
from tests.cli_in_process import regie
from tests.integration.answer_app import ANSWERS_PLAN, answers_app

ENV = {"REGIE_PLAN": str(ANSWERS_PLAN)}
DAY = "2025-06-02"
HEADER = "item;titel;status;forecast;completed_on;note;contact\n"


def test_a_sheet_without_answers_records_nothing_and_says_so(
    migrated_url: str, tmp_path: Path
) -> None:
    app = answers_app(migrated_url, tmp_path)
    sheet = tmp_path / "terug.csv"
    sheet.write_text(
        HEADER + "1.1.1;Knelpuntenkaart;;;;;\n1.1.2;;;;;;anna\n1.2;;;;;;\n", encoding="utf-8"
    )
    line = import_updates(app, sheet, date(2025, 6, 2))
    assert line == f"{sheet}: nothing recorded: 3 rows without an answer"
    with app.session() as session:
        repo = Repository(session, "wegen-test")
        assert repo.status_updates() == [] and repo.events() == []


def test_a_file_with_only_a_header_is_refused(migrated_url: str, tmp_path: Path) -> None:
    app = answers_app(migrated_url, tmp_path)
    sheet = tmp_path / "leeg.csv"
    sheet.write_text(HEADER + ";;;;;;\n", encoding="utf-8")  # an empty row is no row
    with pytest.raises(InvalidInput) as refused:
        import_updates(app, sheet, date(2025, 6, 2))
    assert refused.value.lines == [f"{sheet}: no rows to import (only a header row)"]


def test_the_command_exits_0_for_an_unanswered_sheet_and_2_for_no_rows(
    regie_home: Path, tmp_path: Path
) -> None:
    sheet = tmp_path / "blad.csv"
    made = regie("update-sheet", "--as-of", DAY, "--out", str(sheet), env=ENV)
    assert made.code == 0, made.err
    rows = len(sheet.read_text(encoding="utf-8-sig").splitlines()) - 2  # notice, header
    assert rows > 1
    result = regie("import-updates", str(sheet), "--as-of", DAY, env=ENV)  # sent back unfilled
    assert (result.code, result.err) == (0, "")
    assert result.out == f"{sheet}: nothing recorded: {rows} rows without an answer\n"
    header_only = tmp_path / "kop.csv"
    header_only.write_text(HEADER, encoding="utf-8")
    result = regie("import-updates", str(header_only), "--as-of", DAY, env=ENV)
    assert result.code == 2
    assert result.err == f"{header_only}: no rows to import (only a header row)\n"
    assert result.out == ""
    empty = tmp_path / "leeg.csv"
    empty.write_text("", encoding="utf-8")
    result = regie("import-updates", str(empty), "--as-of", DAY, env=ENV)
    assert result.code == 2 and "empty file" in result.err
