"""`regie meeting|decision|report …` as a user runs them (SQLite home): in process, but for a
PDF, whose worker process the command forks (`tests.cli.regie`)."""

from __future__ import annotations

import difflib
import hashlib
import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from governance.planfile import load_plan
from regie import __version__
from tests import cli
from tests.cli_in_process import regie
from tests.conftest import SEED_PLAN


@pytest.fixture
def plan_copy(tmp_path: Path, regie_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "actions.yaml"
    shutil.copyfile(SEED_PLAN, path)
    monkeypatch.setenv("REGIE_PLAN", str(path))
    return path


def test_meetings_from_rule_and_one_off(plan_copy: Path) -> None:
    listed = regie("meeting", "list", "--body", "stuurgroep", "--format", "json")
    assert listed.code == 0, listed.err
    dates = [m["date"] for m in json.loads(listed.out)]
    assert dates[:3] == ["2015-10-13", "2016-01-12", "2016-04-12"]
    assert dates[-1] == "2020-10-13"
    added = regie("meeting", "add", "stuurgroep", "2016-02-23", "--time", "14:00",
                  "--location", "Utrecht", "--note", "Extra overleg")  # fmt: skip
    assert added.code == 0, added.err
    again = regie("meeting", "add", "stuurgroep", "2016-02-23")
    assert again.code == 2 and "already has a meeting" in again.err
    rows = json.loads(regie("meeting", "list", "--body", "stuurgroep", "-f", "json").out)
    extra = next(m for m in rows if m["date"] == "2016-02-23")
    assert extra == {"body": "stuurgroep", "body_name": "Stuurgroep Plan van aanpak MVI",
                     "date": "2016-02-23", "time": "14:00", "location": "Utrecht",
                     "source": "db", "note": "Extra overleg"}  # fmt: skip
    # The table names the body with the id --body takes, and the one-off's note (walk32a 12).
    table = regie("meeting", "list", "--body", "stuurgroep").out.splitlines()
    (line,) = [t for t in table if t.startswith("2016-02-23")]
    assert line == (
        "2016-02-23  14:00  Stuurgroep Plan van aanpak MVI (stuurgroep)  db    "
        "Utrecht — Extra overleg"
    )


def test_bad_input_is_one_line(plan_copy: Path) -> None:
    unknown = regie("meeting", "add", "stuurgroepp", "2016-02-23")
    assert unknown.code == 2
    assert unknown.err.strip() == (
        "--body: unknown governance body 'stuurgroepp' (known: landelijk-overleg, stuurgroep, "
        "klankbordgroep, opdrachtgevend-beraad-pianoo)"
    )
    no_meeting = regie("report", "agenda", "--body", "stuurgroep", "--meeting", "2016-04-13")
    assert no_meeting.code == 2 and "has no meeting on 2016-04-13" in no_meeting.err
    assert "2016-04-12" in no_meeting.err
    fmt = regie("report", "agenda", "--body", "stuurgroep", "--meeting", "2016-04-12",
                "--format", "odt")  # fmt: skip
    assert fmt.code == 2 and "unknown format 'odt'" in fmt.err
    # One-line values typed on the command line (walk57b 7): a feed's LOCATION, a table's row.
    broken = regie("meeting", "add", "stuurgroep", "2016-02-23",
                   "--location", "Zaal 1;\r\nATTENDEE:mailto:x@evil.example")  # fmt: skip
    assert (broken.code, broken.err.strip()) == (
        2, "--location: must be one line, but contains a line break"
    )  # fmt: skip
    label = regie("calendar", "token", "create", "--label", "Test\r\nX-Inject: 1")
    assert (label.code, label.err.strip()) == (
        2, "label: must be one line, but contains a line break"
    )  # fmt: skip
    long = regie("calendar", "token", "create", "--label", "x" * 201)
    assert (long.code, long.err.strip()) == (
        2, "label: at most 200 characters, this one has 201"
    )  # fmt: skip


def test_an_unwritable_out_fails_first_and_archives_nothing(
    plan_copy: Path, tmp_path: Path
) -> None:
    missing = tmp_path / "nope" / "pack"
    pdf = cli.regie("report", "agenda", "--body", "stuurgroep", "--meeting", "2016-04-12",
                    "--as-of", "2016-01-15", "--format", "html,pdf",
                    "--out", str(missing))  # fmt: skip
    assert pdf.code == 2 and pdf.out == ""
    assert pdf.err.strip() == (
        f"--out: cannot write {missing}: folder {missing.parent} does not exist"
    )
    folder = regie("report", "voortgang", "--from", "2015-07-01", "--to", "2016-06-30",
                   "--out", str(tmp_path))  # fmt: skip
    assert folder.code == 2 and folder.err.strip().startswith(f"--out: {tmp_path} is a folder")
    assert not missing.parent.exists()
    assert json.loads(regie("report", "list", "--format", "json").out) == []


def test_a_report_for_a_day_that_has_not_come_is_refused_and_not_archived(
    plan_copy: Path, tmp_path: Path
) -> None:
    """A pack or report made --as-of a future day would be a forecast archived as the record of
    that day (walk32a 4): refused in one line, nothing archived; a simulation may look ahead."""
    from datetime import timedelta

    later = (date.today() + timedelta(days=60)).isoformat()
    pack = regie("report", "agenda", "--body", "stuurgroep", "--meeting", "2016-04-12",
                 "--as-of", later, "--format", "md")  # fmt: skip
    assert pack.code == 2 and pack.out == ""
    (line,) = pack.err.strip().splitlines()
    assert line.startswith(f"--as-of {later} is after today (") and "archived" in line
    report = regie("report", "voortgang", "--from", "2015-07-01", "--to", "2015-12-31",
                   "--as-of", later, "--format", "md")  # fmt: skip
    assert report.code == 2 and report.err.strip().startswith(f"--as-of {later} is after today")
    to_come = regie("report", "voortgang", "--from", "2015-07-01", "--to", later, "--format", "md")
    assert to_come.code == 2 and to_come.err.strip().startswith(f"--to {later} is after")
    assert json.loads(regie("report", "list", "--format", "json").out) == []
    simulated = regie("report", "agenda", "--body", "stuurgroep", "--meeting", "2016-04-12",
                      "--as-of", later, "--format", "md", env={"REGIE_SIMULATE": "1"})  # fmt: skip
    assert simulated.code == 0, simulated.err
    assert len(json.loads(regie("report", "list", "--format", "json").out)) == 1


def test_agenda_archive_and_show(plan_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "pack.md"
    made = regie("report", "agenda", "--body", "stuurgroep", "--meeting", "2016-04-12",
                 "--as-of", "2016-01-15", "--format", "md", "--out", str(out))  # fmt: skip
    assert made.code == 0, made.err
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    assert digest in made.out
    listed = json.loads(regie("report", "list", "--format", "json").out)
    assert [(r["kind"], r["format"], r["sha256"]) for r in listed] == [("agenda", "md", digest)]
    parameters = listed[0]["parameters"]
    listed_items = parameters.pop("listed")  # what its ter besluitvorming put to the body
    asked = parameters.pop("asked")  # and why, per item (layout 14: the same question counts)
    assert listed_items and sorted(asked) == listed_items
    assert all(reasons for reasons in asked.values())
    assert parameters == {
        "body": "stuurgroep", "meeting": "2016-04-12", "as_of": "2016-01-15", "layout": 23,
        "regie_version": __version__,
    }  # fmt: skip
    shown = tmp_path / "shown.md"
    assert regie("report", "show", str(listed[0]["id"]), "--out", str(shown)).code == 0
    assert shown.read_bytes() == out.read_bytes()
    assert regie("report", "show", "999").code == 2


def test_decision_round_trip_keeps_the_file(plan_copy: Path) -> None:
    before = plan_copy.read_text(encoding="utf-8")
    done = regie("decision", "add", "--body", "stuurgroep", "--meeting", "2016-01-12",
                 "--text", "Naar Q2-2016", "--set-gereed", "1.3.1", "Q2-2016")  # fmt: skip
    assert done.code == 0, done.err
    after = plan_copy.read_text(encoding="utf-8")
    diff = [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), n=0)
        if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
    ]
    assert diff == [
        '-            gereed: "Najaar 2015"',
        '+            gereed: "Q2-2016"',
        '+            gereed_original: "Najaar 2015"',
        '+            revised_by: "besluit Stuurgroep Plan van aanpak MVI, 12 januari 2016"',
    ]
    plan = load_plan(plan_copy)  # still valid
    m = next(m for m in plan.milestones() if m.id == "1.3.1")
    assert (m.gereed, m.original_gereed) == ("Q2-2016", "Najaar 2015")
    # A second move keeps the first promise.
    regie("decision", "add", "--body", "stuurgroep", "--meeting", "2016-04-12",
          "--text", "Nogmaals uitgesteld", "--set-gereed", "1.3.1", "Q3-2016")  # fmt: skip
    m = next(m for m in load_plan(plan_copy).milestones() if m.id == "1.3.1")
    assert (m.gereed, m.original_gereed, m.revised_by) == (
        "Q3-2016", "Najaar 2015", "besluit Stuurgroep Plan van aanpak MVI, 12 april 2016"
    )  # fmt: skip
    listed = regie("decision", "list").out.splitlines()
    assert len(listed) == 2 and "[1.3.1 Klimaatambassadeur]" in listed[0]


def test_decision_that_would_break_the_plan_writes_nothing(plan_copy: Path) -> None:
    before = plan_copy.read_bytes()
    bad = regie("decision", "add", "--body", "stuurgroep", "--meeting", "2016-01-12",
                "--text", "Onzin", "--set-gereed", "1.3.1", "ooit misschien")  # fmt: skip
    assert bad.code == 2
    assert "the decision would make the plan invalid; nothing was written" in bad.err
    assert "ooit misschien" in bad.err
    assert plan_copy.read_bytes() == before
    assert regie("decision", "list").out.strip() == "no decisions"


def test_a_gereed_before_the_meeting_is_refused_and_writes_nothing(plan_copy: Path) -> None:
    """A typo in the year (Q2-2015 for Q2-2016) made the item late at once and went into the
    pack and the progress report as a missed promise (walk32a 3)."""
    before = plan_copy.read_bytes()
    bad = regie("decision", "add", "--body", "stuurgroep", "--meeting", "2016-01-12",
                "--text", "Terug", "--set-gereed", "1.3.1", "Q2-2015")  # fmt: skip
    assert bad.code == 2
    assert bad.err.strip() == (
        "--set-gereed 1.3.1 Q2-2015: its deadline 2015-06-30 is before the meeting "
        "(2016-01-12); a decision sets a gereed still to come (a typo in the year?)"
    )
    assert plan_copy.read_bytes() == before
    assert regie("decision", "list").out.strip() == "no decisions"
    # The meeting's own quarter still ends after it: taken.
    ok = regie("decision", "add", "--body", "stuurgroep", "--meeting", "2016-01-12",
               "--text", "Dit kwartaal", "--set-gereed", "1.3.1", "Q1-2016")  # fmt: skip
    assert ok.code == 0, ok.err


def test_an_unknown_item_is_named_by_the_flag_that_gave_it(plan_copy: Path) -> None:
    before = plan_copy.read_bytes()
    for flags, flag in (
        (("--cancel", "9.9"), "--cancel"),
        (("--set-gereed", "9.9", "Q2-2016"), "--set-gereed"),
        (("--item", "9.9"), "--item"),
    ):
        bad = regie("decision", "add", "--body", "stuurgroep", "--meeting", "2016-01-12",
                    "--text", "Onbekend punt", *flags)  # fmt: skip
        assert bad.code == 2
        assert bad.err.strip() == f"{flag}: no action or milestone '9.9' in the plan"
    assert plan_copy.read_bytes() == before


def test_cancel_decision_drops_the_item(plan_copy: Path) -> None:
    done = regie("decision", "add", "--body", "stuurgroep", "--meeting", "2016-01-12",
                 "--text", "Innovatiemarkt vervalt", "--cancel", "3.6.2")  # fmt: skip
    assert done.code == 0, done.err
    # The decision is named by its body's name (the plan's), not by the id given on the command.
    decided = "besluit Stuurgroep Plan van aanpak MVI, 12 januari 2016"
    assert f'cancelled_by: "{decided}"' in plan_copy.read_text()
    rows = json.loads(regie("status", "--as-of", "2016-01-15", "-f", "json").out)
    assert next(r for r in rows if r["id"] == "3.6.2")["state"] == "cancelled"


def test_cancelling_an_action_cancels_its_open_milestones(plan_copy: Path) -> None:
    before = plan_copy.read_text(encoding="utf-8")
    done = regie("update", "2.3.1", "--status", "done", "--as-of", "2015-06-29")
    assert done.code == 0, done.err
    # Action 2.3 has no gereed of its own: its milestones carry the dates.
    made = regie("decision", "add", "--body", "stuurgroep", "--meeting", "2016-01-12",
                 "--text", "Actie 2.3 vervalt", "--cancel", "2.3")  # fmt: skip
    assert made.code == 0, made.err
    assert "cancelled with it: 2.3.2, 2.3.3" in made.out
    after = plan_copy.read_text(encoding="utf-8")
    diff = [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), n=0)
        if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
    ]
    assert diff == [
        '+        cancelled_by: "besluit Stuurgroep Plan van aanpak MVI, 12 januari 2016"'
    ]
    plan = load_plan(plan_copy)  # still valid
    assert next(a for a in plan.actions() if a.id == "2.3").cancelled_by
    rows = json.loads(regie("status", "--as-of", "2016-01-15", "-f", "json").out)
    states = {r["id"]: r["state"] for r in rows if r["id"].startswith("2.3.")}
    assert states == {"2.3.1": "done", "2.3.2": "cancelled", "2.3.3": "cancelled"}
    pack = regie("report", "agenda", "--body", "stuurgroep", "--meeting", "2016-04-12",
                 "--as-of", "2016-01-15", "--format", "md")  # fmt: skip
    annex = pack.out.split("## Bijlage")[1]
    line = next(x for x in annex.splitlines() if x.startswith("| 2.3.2 "))
    decided = "besluit Stuurgroep Plan van aanpak MVI, 12 januari 2016"
    assert f"vervallen ({decided})" in line and "| vervallen |" in line
    kept = next(x for x in annex.splitlines() if x.startswith("| 2.3.1 "))
    assert "vervallen" not in kept


def test_agenda_html_and_pdf_in_one_command(plan_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "pack.pdf"
    out.parent.mkdir()
    made = cli.regie("report", "agenda", "--body", "stuurgroep", "--meeting", "2016-04-12",
                     "--as-of", "2016-01-15", "--format", "html,pdf",
                     "--out", str(out))  # fmt: skip
    assert made.code == 0, made.err
    annex = out.parent / "agenda-stuurgroep-2016-04-12-bijlage.html"
    files = sorted(p.name for p in out.parent.iterdir())
    assert files == [annex.name, "pack.html", "pack.pdf"]
    assert out.read_bytes().startswith(b"%PDF")
    # The command makes the PDF in a worker process: the same bytes as made in one process.
    from regie.bootstrap import bootstrap
    from regie.reports import agenda_formats

    (here,) = agenda_formats(bootstrap(), "stuurgroep", date(2016, 4, 12), date(2016, 1, 15),
                             ("pdf",), archive=False)  # fmt: skip
    assert here.content == out.read_bytes()
    listed = json.loads(regie("report", "list", "--format", "json").out)
    assert [(r["kind"], r["format"]) for r in listed] == [
        ("agenda", "html"), ("agenda", "pdf"), ("agenda-bijlage", "html")
    ]  # fmt: skip
    assert listed[2]["sha256"] == hashlib.sha256(annex.read_bytes()).hexdigest()
    assert all(str(p) in made.out for p in (annex, out, out.with_suffix(".html")))
    several = regie("report", "agenda", "--body", "stuurgroep", "--meeting", "2016-04-12",
                    "--format", "html,md")  # fmt: skip
    assert several.code == 2 and "give --out PATH" in several.err


def test_the_out_suffix_chooses_the_format_and_a_contradicting_one_is_refused(
    plan_copy: Path, tmp_path: Path
) -> None:
    """walk57c 8: ``--out pack.docx`` held HTML, which Word cannot open."""
    out = tmp_path / "pack.md"
    made = regie("report", "agenda", "--body", "stuurgroep", "--meeting", "2016-04-12",
                 "--as-of", "2016-01-15", "--out", str(out))  # fmt: skip
    assert made.code == 0, made.err
    assert out.read_text(encoding="utf-8").startswith("# ")  # Markdown, not HTML
    wrong = regie("report", "agenda", "--body", "stuurgroep", "--meeting", "2016-04-12",
                  "--as-of", "2016-01-15", "--format", "html",
                  "--out", str(tmp_path / "pack.docx"))  # fmt: skip
    assert wrong.code == 2 and wrong.out == ""
    assert wrong.err.strip() == (
        f"--out {tmp_path / 'pack.docx'}: the suffix .docx does not match --format html: "
        "name the file pack.html or give --format docx"
    )
    assert not (tmp_path / "pack.docx").exists()
    listed = json.loads(regie("report", "list", "--format", "json").out)
    assert [r["format"] for r in listed] == ["md"]  # the refused one archived nothing
    other = tmp_path / "pack.txt"  # a suffix that names no format: html, as before
    assert regie("report", "agenda", "--body", "stuurgroep", "--meeting", "2016-04-12",
                 "--as-of", "2016-01-15", "--out", str(other)).code == 0  # fmt: skip
    assert other.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_the_annex_replaces_a_planted_link_and_does_not_follow_it(
    plan_copy: Path, tmp_path: Path
) -> None:
    """walk57b 3: the annex's name is Regie's and predictable: a symbolic link planted there by
    someone else must not make Regie overwrite the file it points to."""
    folder = tmp_path / "shared"
    folder.mkdir()
    precious = folder / "important.txt"
    precious.write_text("BELANGRIJK\n", encoding="utf-8")
    annex = folder / "agenda-stuurgroep-2016-04-12-bijlage.html"
    annex.symlink_to(precious)
    made = cli.regie("report", "agenda", "--body", "stuurgroep", "--meeting", "2016-04-12",
                     "--as-of", "2016-01-15", "--out", str(folder / "pack.pdf"))  # fmt: skip
    assert made.code == 0, made.err
    assert (folder / "pack.pdf").read_bytes().startswith(b"%PDF")  # the suffix chose pdf
    assert precious.read_text(encoding="utf-8") == "BELANGRIJK\n"
    assert not annex.is_symlink()
    assert annex.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert annex.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in folder.iterdir()) == [annex.name, precious.name, "pack.pdf"]
