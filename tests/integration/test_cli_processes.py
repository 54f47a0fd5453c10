"""The commands whose behaviour other files check in process (:mod:`tests.cli_in_process`), each
run here as a user runs it: a real `regie` process (Python's start, Regie's imports, the exit
path, output through the process's own streams). Every command keeps at least one such run;
the ones not run as a process anywhere else since speed47 are here (SQLite; the first on a fresh
home, the others on a copy of the migrated template)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.cli import regie
from tests.integration.answer_app import ANSWERS_PLAN

ENV = {"REGIE_PLAN": str(ANSWERS_PLAN)}


@pytest.mark.fresh_home  # a process that makes and migrates the home's database
def test_a_status_round_started_chased_and_counted(regie_home: Path) -> None:
    start = regie("round", "start", "--body", "stuurgroep", "--answer-by", "2025-06-13",
                  "--as-of", "2025-06-10", env=ENV)  # fmt: skip
    assert start.code == 0, start.err
    assert start.out.startswith("round 1 (stuurgroep, answers by 2025-06-13) started: 3 requests")
    answered = regie("update", "1.1.1", "--status", "on_track", "--as-of", "2025-06-11", env=ENV)
    assert answered.code == 0, answered.err
    status = regie("round", "status", "--as-of", "2025-06-11", env=ENV)
    assert status.code == 0, status.err
    assert "1/4 items answered" in status.out and "without answer: 1.1.1" not in status.out
    tick = regie("round", "tick", "--as-of", "2025-06-12", env=ENV)
    assert tick.code == 0, tick.err
    assert tick.out.startswith("round 1 (stuurgroep): ")
    bad = regie("round", "status", "--as-of", "12-06-2025", env=ENV)
    assert bad.code == 2 and bad.err.startswith("--as-of: ") and "Traceback" not in bad.err


def test_a_sheet_written_filled_in_and_read_back(regie_home: Path, tmp_path: Path) -> None:
    out = tmp_path / "blad.csv"
    written = regie("update-sheet", "--as-of", "2025-06-02", "--out", str(out), "--contact",
                    "anna", env=ENV)  # fmt: skip
    assert written.code == 0, written.err
    assert f"{out}: 3 items to answer" in written.err
    _notice, header, *rows = csv.reader(
        io.StringIO(out.read_bytes().decode("utf-8-sig"), newline=""), delimiter=";"
    )
    filled = []
    for row in rows:
        cells = dict(zip(header, row, strict=True))
        if cells["item"] == "1.1.1":
            cells.update({"status": "Risico", "prognose": "1-9-2025"})  # the Dutch column
        filled.append([cells[h] for h in header])
    back = tmp_path / "terug.csv"
    with back.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, delimiter=";").writerows([header, *filled])
    read = regie("import-updates", str(back), "--as-of", "2025-06-02", env=ENV)
    assert read.code == 0, read.err
    assert "1 update recorded" in read.out
    shown = regie("status", "--as-of", "2025-06-02", "--format", "json", env=ENV)
    latest = {r["id"]: r["latest_update"] for r in json.loads(shown.out)}
    assert latest["1.1.1"]["status"] == "at_risk" and latest["1.1.1"]["author"] == "anna"
    assert latest["1.1.1"]["forecast"] == "2025-09-01"
    wrong = tmp_path / "fout.csv"
    wrong.write_text("item;status\n1.1.1;misschien\n", encoding="utf-8")
    refused = regie("import-updates", str(wrong), "--as-of", "2025-06-02", env=ENV)
    assert refused.code == 2 and refused.err.startswith(f"{wrong}:2: ")


def test_a_test_message_and_a_mail_that_is_no_bounce(regie_home: Path, tmp_path: Path) -> None:
    tested = regie("notify", "test", "anna", env=ENV)
    assert tested.code == 0, tested.err
    assert tested.out.startswith("anna: test message sent via file (")
    mail = tmp_path / "gewoon.eml"
    mail.write_text("From: a@example.org\nTo: b@example.org\nSubject: hoi\n\nhallo\n", "utf-8")
    read = regie("mail", "bounces", str(mail), env=ENV)
    assert read.code == 0, read.err
    assert "0 bounces recorded" in read.out and "1 not a bounce" in read.out
