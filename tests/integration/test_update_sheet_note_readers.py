"""`regie update-sheet --contact X`'s *laatste update* cell follows "Who reads a note" (README;
:mod:`regie.note_readers`), as the answer pages and the messages do: a contact's note is quoted
to its writer and to the office's contacts; another contact's sheet says that one was given and
who reads it. The office's words and the office's own sheet (no ``--contact``) keep every note.
Plan ``answers.yaml``: 2.1 is PROV's and GEM's (anna: GEM; bram, carla: PROV; bram is anna's
deputy, who reads her notes: review54b 2). SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tests.cli_in_process import regie
from tests.integration.answer_app import ANSWERS_PLAN

DAY = "2025-06-02"
NOTE = "Bel mij op 06-12345678"
WITHHELD = (
    "risico (2025-06-02). Er is een toelichting bij gegeven. Die is hier alleen zichtbaar voor "
    "de schrijver, diens plaatsvervanger, degene voor wie de schrijver invalt en het "
    "programmabureau; ze kan wel in de vergaderstukken en het voortgangsrapport staan."
)


def _env(tmp_path: Path, url: str) -> dict[str, str]:
    return {
        "REGIE_HOME": str(tmp_path / "home"),
        "REGIE_DATABASE_URL": url,
        "REGIE_PLAN": str(ANSWERS_PLAN),
        "REGIE_CONTACTS": "",
        "REGIE_NOTIFIER": "file",
        "PREFECT_API_URL": "",
    }


def _answer(env: dict[str, str], tmp_path: Path, contact: str, note: str) -> None:
    answers = tmp_path / f"{contact}.csv"
    answers.write_text(
        f"item,status,note,contact\n2.1,at_risk,{note},{contact}\n", encoding="utf-8"
    )
    result = regie("import-updates", str(answers), "--as-of", DAY, env=env)
    assert result.code == 0, result.err


def _cell(env: dict[str, str], *args: str) -> str:
    """2.1's *laatste update* cell in the sheet made with ``args``."""
    made = regie("update-sheet", "--as-of", DAY, *args, env=env)
    assert made.code == 0, made.err
    _, header, *rows = csv.reader(io.StringIO(made.out.lstrip("\ufeff")), delimiter=";")
    (row,) = [r for r in rows if r[0] == "2.1"]
    return dict(zip(header, row, strict=True))["laatste update (ter info)"]


def test_a_contact_s_sheet_quotes_a_note_only_to_whom_may_read_it(
    tmp_path: Path, migrated_url: str
) -> None:
    env = _env(tmp_path, migrated_url)
    _answer(env, tmp_path, "anna", NOTE)
    assert _cell(env, "--contact", "anna") == f"risico (2025-06-02): {NOTE}"  # her own
    assert _cell(env, "--contact", "carla") == WITHHELD  # a co-owner in another organisation
    assert _cell(env, "--contact", "bram") == f"risico (2025-06-02): {NOTE}"  # her deputy
    assert _cell(env, "--contact", "office") == f"risico (2025-06-02): {NOTE}"
    assert _cell(env) == f"risico (2025-06-02): {NOTE}"  # the office's own sheet
    # An organisation's sheet: its contacts read as a colleague does (review54c 3).
    assert _cell(env, "--owner", "PROV") == WITHHELD
    # GEM's one contact is anna: its sheet is hers, her id filled in (review54b 6).
    assert _cell(env, "--owner", "GEM") == f"risico (2025-06-02): {NOTE}"
    assert _cell(env, "--owner", "GEM", "--contact", "anna") == f"risico (2025-06-02): {NOTE}"


def test_the_contact_reads_their_deputy_s_note_only_where_they_stand_in(
    tmp_path: Path, migrated_url: str
) -> None:
    """Bram answers 2.1 as PROV's own contact, not as Anna's deputy: Anna (GEM) reads his note
    no more than Carla does (review54c 2)."""
    env = _env(tmp_path, migrated_url)
    _answer(env, tmp_path, "bram", NOTE)
    assert _cell(env, "--contact", "bram") == f"risico (2025-06-02): {NOTE}"
    assert _cell(env, "--contact", "anna") == WITHHELD
    assert _cell(env, "--contact", "carla") == WITHHELD
    assert _cell(env) == f"risico (2025-06-02): {NOTE}"


def test_the_office_s_words_reach_every_contact_s_sheet(tmp_path: Path, migrated_url: str) -> None:
    env = _env(tmp_path, migrated_url)
    _answer(env, tmp_path, "programmabureau", "Overleg met de provincie loopt")
    assert _cell(env, "--contact", "bram") == (
        "risico (2025-06-02): Overleg met de provincie loopt"
    )
    assert _cell(env, "--owner", "PROV") == "risico (2025-06-02): Overleg met de provincie loopt"
