"""`regie update-sheet`: the open items as a sheet for owners, read back by `import-updates`."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.cli_in_process import regie
from tests.integration.answer_app import ANSWERS_PLAN

ENV = {"REGIE_PLAN": str(ANSWERS_PLAN)}
DAY = "2025-06-02"
NOTICE = (
    "Let op – wie leest de toelichting (kolom toelichting)? Die komt bij het programmabureau en "
    "kan "
    "letterlijk in de vergaderstukken (agenda) van het overleg „Stuurgroep Fietsroutes”, het "
    "voortgangsrapport en uw eigen "
    "agenda-abonnement staan. Ook uw eventuele plaatsvervanger leest mee, en als u invalt degene "
    "voor wie u invalt. Schrijf er daarom geen persoonsgegevens in: "
    "geen namen of telefoonnummers, niets over iemands gezondheid of afwezigheid (dus niet „Jan "
    "is ziek”, wel „minder capaciteit dan gepland”)."
)


def sheet(tmp_path: Path, *args: str, env: dict[str, str] = ENV) -> list[list[str]]:
    out = tmp_path / f"blad{len(list(tmp_path.glob('blad*.csv')))}.csv"
    result = regie("update-sheet", "--as-of", DAY, "-o", str(out), *args, env=env)
    assert result.code == 0, result.err
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel reads UTF-8 only with a byte-order mark"
    notice, *rows = csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";")
    assert notice == [NOTICE] + [""] * (len(rows[0]) - 1)  # one line above the header
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
        "item", "actie", "titel", "eigenaar", "gereed (plan)", "deadline",
        "laatste update (ter info)", "status", "prognose", "gereed op", "toelichting", "contact",
    ]  # fmt: skip
    by_id = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert sorted(by_id) == ["1.1.2", "1.2", "2.1"]  # 1.1.1 is gereed: nothing to ask
    assert by_id["1.1.2"]["actie"] == "1.1 Knelpunten in kaart"
    assert by_id["1.1.2"]["gereed (plan)"] == "Q3-2025"
    assert by_id["1.1.2"]["deadline"] == "2025-09-30"
    # The owners as every reader sees them, never by their ids (walk54 4)
    assert by_id["2.1"]["eigenaar"] == "Provincie Noordwaarts, Gemeente Rivierstad"
    assert all(by_id[i][c] == "" for i in by_id for c in ("status", "prognose", "toelichting"))


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
            cells.update(status="Risico", prognose="1-9-2025", toelichting="Aanbesteding loopt uit")
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


def fill(tmp_path: Path, rows: list[list[str]], answers: dict[str, dict[str, str]]) -> Path:
    """The sheet as an owner returns it: ``answers`` per item id, other rows left as written."""
    header = rows[0]
    back = tmp_path / f"terug{len(list(tmp_path.glob('terug*.csv')))}.csv"
    with back.open("w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f, delimiter=";")
        out.writerow(header)
        for row in rows[1:]:
            cells = dict(zip(header, row, strict=True)) | answers.get(row[0], {})
            out.writerow([cells[h] for h in header])
    return back


def test_an_answer_typed_in_a_reference_column_is_not_lost(
    regie_home: Path, tmp_path: Path
) -> None:
    rows = sheet(tmp_path)
    back = fill(tmp_path, rows, {"1.2": {"gereed (plan)": "3-2-2025"}, "2.1": {"status": "risico"}})
    result = regie("import-updates", str(back), "--as-of", DAY, env=ENV)
    assert result.code == 2
    assert result.err.splitlines()[0] == (
        f"{back}:4: gereed (plan): '3-2-2025', but the plan says 'Q4-2025' for 1.2 (nor did it "
        "before: answers go in status, prognose, gereed op and toelichting)"
    )
    assert latest(regie_home) == {}


def test_an_id_excel_changed_is_caught_by_its_title(regie_home: Path, tmp_path: Path) -> None:
    rows = sheet(tmp_path)
    rows = [rows[0], *[["1.2" if r[0] == "2.1" else r[0], *r[1:]] for r in rows[1:]]]
    back = fill(tmp_path, rows, {"1.2": {"status": "op schema"}})
    result = regie("import-updates", str(back), "--as-of", DAY, env=ENV)
    assert result.code == 2
    assert "titel: 'Aanbesteden', but the plan says 'Ontwerp provinciale routes' for 1.2" in (
        result.err
    )
    assert f"{back}:5: gereed (plan): 'Q1-2026', but the plan says 'Q4-2025' for 1.2" in result.err
    assert result.err.splitlines()[-1] == f"{back}: nothing imported (2 problems)"
    twice = fill(tmp_path, sheet(tmp_path), {"1.2": {"status": "op schema"}})
    with twice.open("a", encoding="utf-8", newline="") as f:
        f.write("1.2;;;;;;;gereed;;2025-06-01;;\r\n")
    result = regie("import-updates", str(twice), "--as-of", DAY, env=ENV)
    assert result.code == 2
    assert result.err.splitlines() == [
        f"{twice}:6: 1.2 is answered on line 4 too: one answer each",
        f"{twice}: nothing imported (1 problem)",
    ]


def test_an_existing_file_is_never_overwritten(regie_home: Path, tmp_path: Path) -> None:
    returned = tmp_path / "rivm.csv"
    returned.write_text("item;status\n1.1.1;risico\n", encoding="utf-8")
    result = regie("update-sheet", "--out", str(returned), env=ENV)
    assert result.code == 2
    assert result.err.strip() == f"--out: {returned} already exists (choose another name)"
    assert returned.read_text(encoding="utf-8") == "item;status\n1.1.1;risico\n"


def test_excel_s_plain_csv_and_a_note_over_lines(regie_home: Path, tmp_path: Path) -> None:
    """Excel's plain "CSV" is Windows-1252; a problem names the line its row starts on."""
    plain = tmp_path / "excel.csv"
    plain.write_bytes(
        "item;status;note\n1.1.1;risico;vertraging – zie categorieën\n".encode("cp1252")
    )
    assert regie("import-updates", str(plain), "--as-of", DAY, env=ENV).code == 0
    assert latest(regie_home)["1.1.1"]["status"] == "at_risk"
    lines = tmp_path / "regels.csv"
    lines.write_text(
        'item;status;forecast;note\n1.1.2;risico;;"een\ntwee\ndrie"\n2.1;risico;x;"a\nb"\n',
        encoding="utf-8",
    )
    result = regie("import-updates", str(lines), "--as-of", DAY, env=ENV)
    assert result.code == 2
    assert result.err.splitlines()[0].startswith(f"{lines}:5: forecast: 'x' is not a date")


def test_the_sheet_says_who_reads_a_note_and_reads_back_with_that_line(
    regie_home: Path, tmp_path: Path
) -> None:
    """The notice line above the header stays where it is: the sheet as written, filled in,
    imports; so does Excel's plain CSV of it (Windows-1252, the notice quoted)."""
    out = tmp_path / "blad.csv"
    made = regie("update-sheet", "--as-of", DAY, "--contact", "anna", "--out", str(out), env=ENV)
    assert made.code == 0, made.err
    text = out.read_text(encoding="utf-8-sig")
    assert text.startswith(NOTICE + ";" * 11 + "\nitem;actie;titel;")

    def filled(item: str, status: str, note: str) -> list[list[str]]:
        notice, header, *rows = csv.reader(io.StringIO(text, newline=""), delimiter=";")
        for row in rows:
            if row[0] == item:
                row[header.index("status")], row[header.index("toelichting")] = status, note
        return [notice, header, *rows]

    with out.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, delimiter=";").writerows(filled("1.1.1", "risico", "Loopt uit"))
    result = regie("import-updates", str(out), "--as-of", DAY, env=ENV)
    assert result.code == 0, result.err
    assert "1 update recorded" in result.out

    excel = tmp_path / "excel.csv"
    with excel.open("w", encoding="cp1252", newline="") as f:
        csv.writer(f, delimiter=";", quoting=csv.QUOTE_NONNUMERIC).writerows(
            filled("2.1", "op schema", "Volgens plan")
        )
    result = regie("import-updates", str(excel), "--as-of", DAY, env=ENV)
    assert result.code == 0, result.err
    assert "1 update recorded" in result.out
    updates = latest(regie_home)
    assert (updates["1.1.1"]["comment"], updates["2.1"]["comment"]) == ("Loopt uit", "Volgens plan")


def test_owners_show_by_short_name_and_old_sheets_with_ids_still_import(
    regie_home: Path, tmp_path: Path
) -> None:
    """The ``eigenaar`` column is for the reader only: a sheet written before walk54 4 (owner
    ids there) imports as one written now (short_name, else name)."""
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        ANSWERS_PLAN.read_text(encoding="utf-8").replace(
            "    name: Provincie Noordwaarts\n",
            "    name: Provincie Noordwaarts\n    short_name: Noordwaarts\n",
        ),
        encoding="utf-8",
    )
    env = {"REGIE_PLAN": str(plan)}
    rows = sheet(tmp_path, env=env)
    owners = {r[0]: r[rows[0].index("eigenaar")] for r in rows[1:]}
    assert owners == {
        "1.1.1": "Gemeente Rivierstad",
        "1.1.2": "Gemeente Rivierstad",
        "1.2": "Noordwaarts",
        "2.1": "Noordwaarts, Gemeente Rivierstad",
    }
    now = fill(tmp_path, rows, {"1.2": {"status": "op schema"}})
    old = fill(
        tmp_path,
        [rows[0], *[[*r[:3], "PROV, GEM" if r[0] == "2.1" else r[3], *r[4:]] for r in rows[1:]]],
        {"2.1": {"status": "risico"}},
    )
    for back in (now, old):
        result = regie("import-updates", str(back), "--as-of", DAY, env=env)
        assert result.code == 0, result.err
        assert "1 update recorded" in result.out
    result = regie("status", "--as-of", DAY, "--format", "json", env=env)
    updates = {r["id"]: r["latest_update"] for r in json.loads(result.out) if r["latest_update"]}
    assert (updates["1.2"]["status"], updates["2.1"]["status"]) == ("on_track", "at_risk")


def test_the_answer_columns_are_dutch_and_the_english_names_still_import(
    regie_home: Path, tmp_path: Path
) -> None:
    """walk57a 6: the sheet names its answer columns in Dutch (*prognose*, *gereed op*,
    *toelichting*) under its Dutch hint; import reads them, and a sheet with the English
    names (made before) still imports. A column named twice, in both languages, is refused."""
    rows = sheet(tmp_path, "--contact", "anna")
    assert rows[0][-5:] == ["status", "prognose", "gereed op", "toelichting", "contact"]
    dutch = fill(
        tmp_path, rows,
        {"1.1.1": {"status": "gereed", "gereed op": "30-5-2025", "toelichting": "Kaart af"},
         "1.1.2": {"status": "risico", "prognose": "1-10-2025", "toelichting": "Later"}},
    )  # fmt: skip
    result = regie("import-updates", str(dutch), "--as-of", DAY, env=ENV)
    assert result.code == 0, result.err
    updates = latest(regie_home)
    assert updates["1.1.1"]["status"] == "done"
    assert updates["1.1.1"]["comment"] == "Kaart af"
    assert updates["1.1.2"]["forecast"] == "2025-10-01"
    assert updates["1.1.2"]["comment"] == "Later"
    english = tmp_path / "oud.csv"
    english.write_text(
        "item;status;forecast;completed_on;note;contact\n2.1;risico;1-12-2025;;Oud blad;anna\n",
        encoding="utf-8",
    )
    result = regie("import-updates", str(english), "--as-of", DAY, env=ENV)
    assert result.code == 0, result.err
    assert latest(regie_home)["2.1"]["forecast"] == "2025-12-01"
    wrong = fill(tmp_path, rows, {"2.1": {"status": "gereed", "gereed op": "morgen"}})
    result = regie("import-updates", str(wrong), "--as-of", DAY, env=ENV)
    assert result.code == 2
    assert "gereed op: 'morgen' is not a date" in result.err  # read, and named as the sheet does
    both = tmp_path / "beide.csv"
    both.write_text("item;status;note;Toelichting\n2.1;risico;a;b\n", encoding="utf-8")
    result = regie("import-updates", str(both), "--as-of", DAY, env=ENV)
    assert result.code == 2
    assert f"{both}:1: a column appears twice ('note' and 'toelichting')" in result.err
