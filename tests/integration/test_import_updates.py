"""`regie import-updates FILE.csv`: documented columns, all rows or none, FILE:LINE errors."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli_in_process import regie
from tests.integration.answer_app import ANSWERS_PLAN

ENV = {"REGIE_PLAN": str(ANSWERS_PLAN)}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "antwoorden.csv"
    path.write_text(text, encoding="utf-8")
    return path


def updates(regie_home: Path) -> list[dict[str, object]]:
    result = regie("status", "--as-of", "2025-06-02", "--format", "json", env=ENV)
    assert result.code == 0, result.err
    return [r["latest_update"] for r in json.loads(result.out) if r["latest_update"]]


def test_import_stores_every_row_verbatim(regie_home: Path, tmp_path: Path) -> None:
    csv = write(
        tmp_path,
        "\ufeffitem;status;forecast;completed_on;note;contact\n"
        '1.1.1;at_risk;2025-09-01;;"=HYPERLINK(""http://x"")";anna\n'
        "1.1.2;done;;2025-05-30;+31 6 1234;bram\n"
        '1.2;on_track;;;"@regel een\ntwee";\n',
    )
    result = regie("import-updates", str(csv), "--as-of", "2025-06-02", env=ENV)
    assert result.code == 0, result.err
    assert "3 updates recorded" in result.out
    comments = sorted(str(u["comment"]) for u in updates(regie_home))
    assert comments == ["+31 6 1234", '=HYPERLINK("http://x")', "@regel een\ntwee"]
    authors = sorted(str(u["author"]) for u in updates(regie_home))
    assert authors == ["anna", "bram", "programmabureau"]


def test_one_bad_row_stores_nothing_and_names_every_line(regie_home: Path, tmp_path: Path) -> None:
    csv = write(
        tmp_path,
        "item,status,forecast,contact\n"
        "1.1.1,on_track,,anna\n"
        "1.1.1,on_track,2025-13-01,anna\n"
        "1.1.2,maybe,,anna\n"
        "1.1.1,on_track,,carla\n"
        "9.9,on_track,,\n"
        "1.2,cancelled,,bram\n",
    )
    result = regie("import-updates", str(csv), "--as-of", "2025-06-02", env=ENV)
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert (
        lines[0] == f"{csv}:3: forecast: '2025-13-01' is not a date (use YYYY-MM-DD or DD-MM-YYYY)"
    )
    assert lines[1].startswith(f"{csv}:4: status: 'maybe' is not a status (use op schema, risico")
    assert lines[2] == (
        f"{csv}:5: 1.1.1: carla may not answer: not a contact of its owner GEM, nor a deputy of one"
    )
    assert lines[3].startswith(f"{csv}:6: 9.9")
    assert lines[4] == (
        f"{csv}:7: 1.2: bram may not answer: only the programme office may cancel an item"
    )
    assert lines[-1] == f"{csv}: nothing imported (5 problems)"
    # A reason a person reads, never the log's key.
    assert not any(key in result.err for key in ("not_owner", "office_only", "unknown_item"))
    assert updates(regie_home) == []


def test_problems_name_the_columns_as_the_sheet_does(regie_home: Path, tmp_path: Path) -> None:
    """The update sheet's Dutch columns (prognose, gereed op, toelichting): a problem in one of
    them is told by that name, not by the English name it is read as."""
    csv = write(
        tmp_path,
        "item,status,prognose,gereed op,toelichting,contact\n"
        "1.1.1,on_track,2025-13-01,,,anna\n"
        "1.1.2,on_track,,2025-05-30,,anna\n"
        "1.2,on_track,2025-05-01,,,bram\n"
        f"1.1.1,at_risk,,,{'x' * 2001},anna\n",
    )
    result = regie("import-updates", str(csv), "--as-of", "2025-06-02", env=ENV)
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert (
        lines[0] == f"{csv}:2: prognose: '2025-13-01' is not a date (use YYYY-MM-DD or DD-MM-YYYY)"
    )
    assert lines[1] == f"{csv}:3: gereed op: only with status done"
    assert lines[2] == f"{csv}:4: prognose: 2025-05-01 is before the update's date 2025-06-02"
    assert lines[3].startswith(f"{csv}:5: toelichting: 2001 characters, at most")
    assert not any(w in result.err for w in ("forecast", "completed_on", "note:"))


def test_bad_header_and_missing_file(regie_home: Path, tmp_path: Path) -> None:
    csv = write(tmp_path, "item,state\n1.1.1,on_track\n")
    result = regie("import-updates", str(csv), env=ENV)
    assert result.code == 2
    assert f"{csv}:1: unknown column 'state'" in result.err
    assert f"{csv}:1: missing column 'status'" in result.err
    result = regie("import-updates", str(tmp_path / "nope.csv"), env=ENV)
    assert result.code == 2
    assert result.err.strip() == f"{tmp_path / 'nope.csv'}: no such file"


def test_a_value_with_a_line_break_is_one_line_of_the_error(
    regie_home: Path, tmp_path: Path
) -> None:
    """A problem quoting a value holds its line break and escape as ``\\n`` / ``\\x1b``: one line
    per problem, and nothing stored."""
    csv = write(tmp_path, 'item,status\n"1.1\nx",on_track\n"9.9\x1b[2J",done\n')
    result = regie("import-updates", str(csv), "--as-of", "2025-06-02", env=ENV)
    assert result.code == 2
    assert result.err.splitlines() == [
        f"{csv}:2: 1.1\\nx: not in the plan",  # the line where its row starts
        f"{csv}:4: 9.9\\x1b[2J: not in the plan",
        f"{csv}: nothing imported (2 problems)",
    ]
    assert updates(regie_home) == []


def test_an_import_dated_after_today_is_refused_like_an_update(
    regie_home: Path, tmp_path: Path
) -> None:
    """A future-dated update would be the latest one once its day came, unseen until then."""
    csv = write(tmp_path, "item;status\n1.1.1;on_track\n")
    result = regie("import-updates", str(csv), "--as-of", "2099-01-01", env=ENV)
    assert result.code == 2
    assert result.err.startswith("--as-of: 2099-01-01 is after today (")
    assert updates(regie_home) == []
    one = regie("import-updates", str(csv), "--as-of", "2025-06-02", env=ENV)
    assert one.code == 0, one.err
    assert one.out.strip() == f"{csv}: 1 update recorded for 2025-06-02"


def test_the_contact_column_takes_the_plans_name_for_the_office(
    regie_home: Path, tmp_path: Path
) -> None:
    """ratify48: as `regie update --author`, the contact column takes the plan's own name for
    the office (``programme.office_name``, any case) and ``programmabureau``: the office's
    answer, stored as ``programmabureau`` (so it may cancel); any other name is refused."""
    plan = tmp_path / "plan.yaml"
    text = ANSWERS_PLAN.read_text(encoding="utf-8")
    plan.write_text(
        text.replace(
            "  id: wegen-test\n", "  id: wegen-test\n  office_name: Programmasecretariaat\n"
        ),
        encoding="utf-8",
    )
    env = {"REGIE_PLAN": str(plan)}
    refused = write(tmp_path, "item,status,contact\n1.1.1,on_track,secretariaat\n")
    result = regie("import-updates", str(refused), "--as-of", "2025-06-02", env=env)
    assert result.code == 2
    assert result.err.splitlines()[0] == (
        f"{refused}:2: contact: 'secretariaat' is not a contact in the plan (or empty, or "
        "'programmasecretariaat' or 'programmabureau' for the office)"
    )
    csv = tmp_path / "office.csv"
    csv.write_text(
        "item,status,contact\n1.1.1,on_track,Programmasecretariaat\n"
        "1.1.2,at_risk,PROGRAMMABUREAU\n1.2,cancelled,programmasecretariaat\n",
        encoding="utf-8",
    )
    result = regie("import-updates", str(csv), "--as-of", "2025-06-02", env=env)
    assert result.code == 0, result.err
    shown = regie("status", "--as-of", "2025-06-02", "--format", "json", env=env)
    stored = [r["latest_update"] for r in json.loads(shown.out) if r["latest_update"]]
    assert len(stored) == 3 and {u["author"] for u in stored} == {"programmabureau"}
