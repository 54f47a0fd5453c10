"""walk57b 2 and 6: `regie import-updates` given the wrong kind of file. A file larger than any
update sheet is refused before it is read (a 300 MB file took 2.1 GB); a cell far over any note
says so, not the csv module's English; an Excel workbook says to save it as CSV UTF-8; a
tab-separated file and Excel's UTF-16 "Unicode-tekst" are read."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from regie import answer_import
from tests.cli_in_process import regie
from tests.integration.answer_app import ANSWERS_PLAN

ENV = {"REGIE_PLAN": str(ANSWERS_PLAN)}
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # how an .xls (a compound document) starts


def _import(path: Path) -> tuple[int, str]:
    result = regie("import-updates", str(path), "--as-of", "2025-06-02", env=ENV)
    return result.code, result.err.strip() or result.out.strip()


def _notes(regie_home: Path) -> list[str]:
    result = regie("status", "--as-of", "2025-06-02", "--format", "json", env=ENV)
    assert result.code == 0, result.err
    rows = json.loads(result.out)
    return sorted(str(r["latest_update"]["comment"]) for r in rows if r["latest_update"])


def test_a_file_larger_than_any_sheet_is_refused_unread(
    regie_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "big.csv"
    with big.open("wb") as handle:  # sparse: its size without writing it
        handle.truncate(answer_import.MAX_FILE_BYTES + 1)
    read: list[Path] = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda p: read.append(p) or real(p))
    code, said = _import(big)
    assert code == 2 and big not in read
    assert said == (
        f"{big}: 64 MB, more than an update sheet can be (at most 64 MB: 10000 rows with a full "
        "note each): not read — is it the right file?"
    )


def test_a_huge_cell_is_named_as_such(regie_home: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "huge.csv"
    sheet.write_text("item;status;note\n1.1.1;at_risk;" + "a" * 200_000 + "\n", encoding="utf-8")
    code, said = _import(sheet)
    assert code == 2
    assert said == (
        f"{sheet}:2: a cell of more than 131072 characters (a note is at most 2000): not an "
        "update sheet, or a cell not closed by its quote"
    )


@pytest.mark.parametrize(
    ("name", "content", "what"),
    [
        ("sheet.xlsx", None, "an Excel workbook (.xlsx) or another zip file"),
        ("sheet.xls", OLE + b"\0" * 512, "an old Excel workbook (.xls)"),
    ],
)  # fmt: skip
def test_a_workbook_is_told_to_be_saved_as_csv(
    regie_home: Path, tmp_path: Path, name: str, content: bytes | None, what: str
) -> None:
    path = tmp_path / name
    if content is None:
        with zipfile.ZipFile(path, "w") as book:
            book.writestr("xl/workbook.xml", "<workbook/>")
    else:
        path.write_bytes(content)
    code, said = _import(path)
    assert code == 2
    assert said == (
        f"{path}: {what}, not a CSV file: in Excel, 'Opslaan als' → 'CSV UTF-8 (door komma's "
        "gescheiden)', then import that file"
    )


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_tab_separated_and_utf16_sheets_are_read(
    regie_home: Path, tmp_path: Path, encoding: str
) -> None:
    sheet = tmp_path / "tab.csv"
    text = "item\tstatus\tnote\n1.1.1\tat_risk\tWacht op de aanbesteding\n1.2\ton_track\tLoopt\n"
    sheet.write_bytes(text.encode(encoding))  # utf-16: with its BOM, as Excel writes it
    code, said = _import(sheet)
    assert code == 0, said
    assert "2 updates recorded" in said
    assert _notes(regie_home) == ["Loopt", "Wacht op de aanbesteding"]
