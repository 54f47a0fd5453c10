"""An owner's reply the office types in (review54b 6): a note stored without a contact author is
the office's own words, which every owner's contacts read ("Who reads a note"), so `regie
update` and `import-updates` say so in one line, naming how to record it as the contact's; and
`update-sheet --owner ORG` fills in the contact column when ORG has one contact, so that the
sheet it sends back records that contact's reply as theirs. Plan ``answers.yaml``: anna is GEM's
one contact (bram, her deputy, is PROV's; so is carla); 2.1 is PROV's and GEM's, 1.1.1 GEM's.
SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.cli_in_process import regie
from tests.integration.answer_app import ANSWERS_PLAN

DAY = "2025-06-02"
NOTE = "Jan is ziek"
WARNED = "note: the comment is stored as the office's own note: every owner's contacts read it"


def _env(tmp_path: Path, url: str) -> dict[str, str]:
    return {
        "REGIE_HOME": str(tmp_path / "home"),
        "REGIE_DATABASE_URL": url,
        "REGIE_PLAN": str(ANSWERS_PLAN),
        "REGIE_CONTACTS": "",
        "REGIE_NOTIFIER": "file",
        "PREFECT_API_URL": "",
    }


def _update(env: dict[str, str], item: str, *args: str) -> str:
    done = regie("update", item, "--status", "at_risk", "--as-of", DAY, *args, env=env)
    assert done.code == 0, done.err
    return done.out


def _history(env: dict[str, str], item: str) -> list[dict[str, object]]:
    shown = regie("status", item, "--as-of", DAY, "--format", "json", env=env)
    assert shown.code == 0, shown.err
    updates: list[dict[str, object]] = json.loads(shown.out)["updates"]
    return updates


def test_update_warns_when_a_note_names_no_contact(tmp_path: Path, migrated_url: str) -> None:
    env = _env(tmp_path, migrated_url)
    out = _update(env, "2.1", "--comment", NOTE)
    (line,) = [x for x in out.splitlines() if x.startswith("note: ")]
    assert line == f"{WARNED}; for an owner's reply, name them with --author CONTACT"
    # Named: the contact's note, or the office's own by one of its names; no note: nothing said.
    for args in (
        ("--comment", NOTE, "--author", "anna"),
        ("--comment", NOTE, "--author", "programmabureau"),
        ("--comment", NOTE, "--author", "office"),
        (),
    ):
        assert "office's own" not in _update(env, "2.1", *args), args


def test_the_office_records_a_deputy_s_reply_as_theirs(tmp_path: Path, migrated_url: str) -> None:
    """The fuller path the warning points to: ``--author`` names the contact, also the deputy
    of the item's owner's contact (bram for anna on GEM's 1.1.1); the item's history names
    them, the command line as the channel, and who typed it in (the operator)."""
    env = {**_env(tmp_path, migrated_url), "REGIE_OPERATOR": "marieke"}
    out = _update(env, "1.1.1", "--comment", NOTE, "--author", "bram")
    assert "office's own" not in out
    (update,) = _history(env, "1.1.1")
    assert (update["author"], update["source"], update["comment"]) == ("bram", "cli", NOTE)
    assert update["recorded_by"] == "marieke"
    shown = regie("status", "1.1.1", "--as-of", DAY, env=env)
    assert "by Bram Smit (cli)  recorded by marieke" in shown.out, shown.out
    # A sheet the office imports names its operator too.
    sheet = tmp_path / "bram.csv"
    sheet.write_text("item,status,contact\n1.1.2,on_track,bram\n", encoding="utf-8")
    assert regie("import-updates", str(sheet), "--as-of", DAY, env=env).code == 0
    (imported,) = _history(env, "1.1.2")
    assert imported["recorded_by"] == "marieke"


def test_import_names_the_lines_whose_note_names_no_contact(
    tmp_path: Path, migrated_url: str
) -> None:
    env = _env(tmp_path, migrated_url)
    sheet = tmp_path / "antwoorden.csv"
    sheet.write_text(
        "item;status;note;contact\n"
        f"1.1.1;at_risk;{NOTE};\n"  # line 2: no contact
        f"1.1.2;at_risk;{NOTE};anna\n"
        "1.2;at_risk;Aanbesteding loopt;programmabureau\n"  # the office's, by name
        f"2.1;at_risk;{NOTE};\n"  # line 5
        "1.1.1;;;\n",
        encoding="utf-8",
    )
    done = regie("import-updates", str(sheet), "--as-of", DAY, env=env)
    assert done.code == 0, done.err
    (line,) = [x for x in done.out.splitlines() if x.startswith("note: ")]
    assert line == (
        "note: 2 notes stored as the office's own (lines 2, 5: no contact): every owner's "
        "contacts read them; for an owner's reply, fill in the sheet's contact column"
    )
    other = tmp_path / "anna.csv"
    other.write_text(f"item,status,note,contact\n1.1.2,on_track,{NOTE},anna\n", encoding="utf-8")
    signed = regie("import-updates", str(other), "--as-of", DAY, env=env)
    assert signed.code == 0 and "office's own" not in signed.out, (signed.out, signed.err)


def _sheet(env: dict[str, str], *args: str) -> list[dict[str, str]]:
    made = regie("update-sheet", "--as-of", DAY, *args, env=env)
    assert made.code == 0, made.err
    _, header, *rows = csv.reader(io.StringIO(made.out.lstrip("\ufeff")), delimiter=";")
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_an_organisation_s_sheet_names_its_one_contact(tmp_path: Path, migrated_url: str) -> None:
    env = _env(tmp_path, migrated_url)
    gem = _sheet(env, "--owner", "GEM")
    assert {r["item"] for r in gem} == {"1.1.1", "1.1.2", "2.1"}
    assert {r["contact"] for r in gem} == {"anna"}
    assert {r["contact"] for r in _sheet(env, "--owner", "PROV")} == {""}  # two: none chosen
    # Anna fills in GEM's sheet and the office imports it as it came back: her reply, her note.
    lines = ["item;status;note;contact"]
    lines += [f"{r['item']};;;{r['contact']}" for r in gem if r["item"] != "2.1"]
    lines.append(f"2.1;at_risk;{NOTE};anna")
    back = tmp_path / "gem.csv"
    back.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = regie("import-updates", str(back), "--as-of", DAY, env=env)
    assert done.code == 0, done.err
    assert "office's own" not in done.out
    (update,) = _history(env, "2.1")
    assert update["author"] == "anna"
    # Hers: quoted on her own organisation's sheet; a co-owner's contact reads that there is one.
    (own,) = [r for r in _sheet(env, "--owner", "GEM") if r["item"] == "2.1"]
    assert own["laatste update (ter info)"] == f"risico ({DAY}): {NOTE}"
    (co,) = [r for r in _sheet(env, "--contact", "carla") if r["item"] == "2.1"]
    assert co["laatste update (ter info)"].startswith(f"risico ({DAY}). Er is een toelichting")
