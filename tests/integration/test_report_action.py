"""The progress report and its reporting obligation (longrun review 7): the plan's `reports:`
entry gives the period (`cadence`) and the action that delivers it (`action`). Without
--from/--to the period follows the last archived progress report, else the programme's start in
whole periods; --mark-done (or `regie report mark-done ID` later) records the action's open
items gereed with the archived report, an update of source "report" that the owner did not
give. Through the real commands, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from regie import __version__
from regie.bootstrap import App
from tests import cli
from tests.cli_in_process import regie
from tests.integration.reports_scenario import cli_env, migrated_app

RULE_ONLY = pytest.mark.one_database(
    "the report's rules, from SQL this file's other PostgreSQL tests run"
)

MAKER = "r.secretaris"
REPORT = "voortgangsrapportage"  # the seed plan's reporting obligation


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:
    return migrated_app(tmp_path / "home", database_url)


def _updates(app: App, item: str) -> list[dict[str, object]]:
    import sqlalchemy as sa

    from store.models import StatusUpdateRow

    with app.session() as session:
        rows = session.scalars(
            sa.select(StatusUpdateRow)
            .where(StatusUpdateRow.item_code == item)
            .order_by(StatusUpdateRow.id)
        ).all()
        return [
            {
                "status": r.status, "source": r.source, "author": r.author,
                "recorded_by": r.recorded_by, "comment": r.comment,
                "reported_on": r.reported_on, "completed_on": r.completed_on,
            }
            for r in rows
        ]  # fmt: skip


def _archived(app: App) -> list[dict[str, object]]:
    listed = regie("report", "list", "--format", "json", env=cli_env(app))
    assert listed.code == 0, listed.err
    return [r for r in json.loads(listed.out) if r["kind"] == "voortgang"]


def _state(app: App, item: str, on: str) -> dict[str, object]:
    shown = regie("status", "--as-of", on, "--format", "json", env=cli_env(app))
    assert shown.code == 0, shown.err
    return next(x for x in json.loads(shown.out) if x["id"] == item)


@RULE_ONLY
def test_the_period_follows_the_plans_cadence_and_the_last_report(app: App, tmp_path: Path) -> None:
    env = cli_env(app)
    out = str(tmp_path / "r.md")
    # Too early: no whole two-year period since the programme's start (2015-01-01) is over.
    early = regie("report", "voortgang", "--as-of", "2016-06-30", "-f", "md", "--out", out, env=env)
    assert early.code == 2 and len(early.err.strip().splitlines()) == 1, early.err
    assert "no whole tweejaarlijks period since the programme's start 2015-01-01" in early.err
    assert not _archived(app)

    from regie.decisions import add_decision

    # Approved (a concept would not count as the last report for the next period).
    add_decision(app, "stuurgroep", date(2017, 1, 10), "Voortgangsrapportage vastgesteld",
                 approves_report=f"{REPORT}:2015-01-01/2016-12-31",
                 before_archive=True)  # fmt: skip
    first = regie("report", "voortgang", "--as-of", "2017-03-15", "-f", "md", "--out", out, env=env)
    assert first.code == 0, first.err
    assert "period 2015-01-01 – 2016-12-31" in first.err  # tweejaarlijks: every two years
    assert "Periode 1 januari 2015 tot en met 31 december 2016" in Path(out).read_text()
    # Not asked to: nothing recorded, but the command says what the report may deliver.
    assert "4.4" in first.err and "regie report mark-done" in first.err
    assert _updates(app, "4.4") == []
    [made] = _archived(app)
    assert made["parameters"] == {
        "from": "2015-01-01", "to": "2016-12-31", "as_of": "2017-03-15",
        "report": "voortgangsrapportage", "layout": 22, "recipient": "Tweede Kamer",
        "regie_version": __version__,
    }  # fmt: skip

    # The next one: the period after the one archived, whatever day it is made.
    again = regie("report", "voortgang", "--as-of", "2017-06-01", "-f", "md", "--out", out, env=env)
    assert again.code == 2 and len(again.err.strip().splitlines()) == 1, again.err
    assert f"after the last archived progress report (archief {made['id']}" in again.err
    assert "runs to 2018-12-31" in again.err
    second = regie(
        "report", "voortgang", "--as-of", "2019-01-10", "-f", "md", "--out", out, env=env
    )
    assert second.code == 0, second.err
    assert "period 2017-01-01 – 2018-12-31" in second.err and f"archief {made['id']}" in second.err

    # Half a period given is refused in one line; the period given is used as given.
    half = regie("report", "voortgang", "--from", "2015-01-01", "-f", "md", env=env)
    assert half.code == 2 and "--from/--to: give both, or neither" in half.err
    given = regie(
        "report", "voortgang", "--from", "2016-01-01", "--to", "2016-06-30", "-f", "md",
        "--out", out, env=env,
    )  # fmt: skip
    assert given.code == 0 and "period" not in given.err, given.err


def test_mark_done_records_the_action_gereed_and_the_archived_report_still_reproduces(
    app: App, tmp_path: Path
) -> None:
    from regie.decisions import add_decision

    env = cli_env(app)
    # The stuurgroep moved 4.4 once: in later reports it is listed as changed, with reasons.
    add_decision(
        app, "stuurgroep", date(2016, 4, 12), "Rapportage later", set_gereed=("4.4", "Q2-2017")
    )
    # Approved by the stuurgroep before it is marked: a concept is never marked done.
    add_decision(app, "stuurgroep", date(2017, 1, 10), "Voortgangsrapportage vastgesteld",
                 approves_report=f"{REPORT}:2015-01-01/2016-12-31",
                 before_archive=True)  # fmt: skip
    out = str(tmp_path / "r.md")
    # A rebuild from the records up to a moment is not archived, so it may not mark anything.
    dry = regie(
        "report", "voortgang", "--from", "2015-01-01", "--to", "2016-12-31", "--as-of",
        "2017-03-15", "--recorded-until", "2030-01-01T00:00:00+00:00", "--mark-done",
        "-f", "md", "--out", out, env=env,
    )  # fmt: skip
    assert dry.code == 2 and "--mark-done" in dry.err and "records nothing" in dry.err
    rebuilt = regie(
        "report", "voortgang", "--from", "2015-01-01", "--to", "2016-12-31", "--as-of",
        "2017-03-15", "--recorded-until", "2030-01-01T00:00:00+00:00", "-f", "md", env=env,
    )  # fmt: skip
    assert rebuilt.code == 0 and "mark-done" not in rebuilt.err, rebuilt.err
    assert _updates(app, "4.4") == [] and not _archived(app)
    assert _state(app, "4.4", "2017-06-20")["state"] != "done"

    made = regie(
        "--operator", MAKER, "report", "voortgang", "--from", "2015-01-01", "--to", "2016-12-31",
        "--as-of", "2017-03-15", "--mark-done", "-f", "md", "--out", out, env=env,
    )  # fmt: skip
    assert made.code == 0, made.err
    [archived] = _archived(app)
    assert (
        "4.4: done recorded for 2017-03-15" in made.err and f"archief {archived['id']}" in made.err
    )
    [update] = _updates(app, "4.4")
    assert update["status"] == "done" and update["source"] == "report"
    assert update["author"] == MAKER and update["recorded_by"] == MAKER
    assert update["reported_on"] == update["completed_on"] == date(2017, 3, 15)
    note = str(update["comment"])
    assert f"archief {archived['id']} (md, sha256 {archived['sha256']})" in note
    assert "voortgangsrapportage over 1 januari 2015 tot en met 31 december 2016" in note
    # Done from that day on: no longer late, so no more prompts.
    shown = _state(app, "4.4", "2017-07-20")
    assert shown["state"] == "done" and shown["completed_on"] == "2017-03-15"

    # The archived report rests on the records up to its cut-off: the mark came after it.
    again = regie("report", "reproduce", str(archived["id"]), env=env)
    assert again.code == 0 and "matches the archived" in again.out, again.out + again.err

    # Marked once: asked again, the action has no open item left, and says so.
    twice = regie("report", "mark-done", str(archived["id"]), env=env)
    assert twice.code == 0 and "no open item due from 2016-12-31 through 2018-12-31" in twice.out
    assert len(_updates(app, "4.4")) == 1

    # The next report does not quote the mark as the owner's words, nor count it as an update.
    later = tmp_path / "later.md"
    result = regie(
        "report", "voortgang", "--as-of", "2019-01-10", "-f", "md", "--out", str(later), env=env
    )
    assert result.code == 0, result.err
    text = later.read_text()
    row = next(line for line in text.splitlines() if line.startswith("| 4.4 |"))
    assert "Rapportage later" in row and "toelichting eigenaar" not in row
    assert "de statusupdates van de eigenaren (0 van de " in text


@RULE_ONLY
def test_a_concept_is_not_marked_done(app: App, tmp_path: Path) -> None:
    from regie.decisions import add_decision

    # In real processes: the one test here of `report voortgang` and `report mark-done` as a
    # user runs them (the others run the same entry point in process: tests.cli_in_process).
    env = cli_env(app)
    out = str(tmp_path / "r.md")
    made = cli.regie(
        "report", "voortgang", "--as-of", "2017-03-15", "-f", "md", "--out", out, env=env
    )
    assert made.code == 0 and "concept until a decision approves it" in made.err, made.err
    assert f"--approves-report {REPORT}:2015-01-01/2016-12-31" in made.err
    assert "**Concept**" in Path(out).read_text()
    [concept] = _archived(app)
    refused = cli.regie("report", "mark-done", str(concept["id"]), "--as-of", "2017-03-15", env=env)
    assert refused.code == 2 and f"archief {concept['id']} is a concept" in refused.err
    # Approved after that report was archived (the decision names the obligation; the period
    # is that of its archived report): that concept stays one (its data cut-off).
    add_decision(app, "stuurgroep", date(2017, 1, 10), "Voortgangsrapportage vastgesteld",
                 approves_report=REPORT)  # fmt: skip
    again = cli.regie("report", "mark-done", str(concept["id"]), "--as-of", "2017-03-15", env=env)
    assert again.code == 2 and "is a concept" in again.err, again.err
    at_once = cli.regie(
        "report", "voortgang", "--as-of", "2017-03-15", "--mark-done", "-f", "md", "--out", out,
        env=env,
    )  # fmt: skip
    assert at_once.code == 0 and "4.4: done recorded for 2017-03-15" in at_once.err, at_once.err
    # The first said no report was archived before; now the concept is, and it is named as
    # one that does not count (walk30 10), not "no progress report archived before".
    assert made.err.rstrip().count("; no progress report archived before") == 1, made.err
    assert "no progress report archived before" not in at_once.err, at_once.err
    assert (
        "; no approved (vastgesteld) progress report archived before; concepts (not counted): "
        f"archief {concept['id']}"
    ) in at_once.err, at_once.err
    assert "Vastgesteld: besluit Stuurgroep Plan van aanpak MVI, 10 januari 2017." in (
        Path(out).read_text()
    )
    assert [u["source"] for u in _updates(app, "4.4")] == ["report"]


@RULE_ONLY
def test_mark_done_on_a_report_archived_before(app: App, tmp_path: Path) -> None:
    from regie.decisions import add_decision

    env = cli_env(app)
    out = str(tmp_path / "r.md")
    add_decision(app, "stuurgroep", date(2017, 1, 10), "Voortgangsrapportage vastgesteld",
                 approves_report=f"{REPORT}:2015-01-01/2016-12-31",
                 before_archive=True)  # fmt: skip
    made = regie("report", "voortgang", "--as-of", "2017-03-15", "-f", "md", "--out", out, env=env)
    assert made.code == 0, made.err
    [archived] = _archived(app)
    early = regie("report", "mark-done", str(archived["id"]), "--as-of", "2017-03-01", env=env)
    assert early.code == 2 and "before the day archief" in early.err, early.err
    marked = regie(
        "--operator", MAKER, "report", "mark-done", str(archived["id"]), "--as-of", "2017-03-15",
        env=env,
    )  # fmt: skip
    assert marked.code == 0, marked.err
    assert "4.4: done recorded for 2017-03-15" in marked.out
    [update] = _updates(app, "4.4")
    assert update["source"] == "report" and update["recorded_by"] == MAKER
    assert archived["sha256"] in str(update["comment"])
    # Asked again today: done since the report's day, so nothing is recorded twice.
    today = regie("report", "mark-done", str(archived["id"]), env=env)
    assert today.code == 0 and "nothing marked gereed" in today.out, today.out + today.err
    assert len(_updates(app, "4.4")) == 1
    # A report as of a day still to come delivers nothing yet.
    ahead = regie(
        "report", "voortgang", "--from", "2015-01-01", "--to", "2016-12-31", "--as-of",
        "2099-01-01", "--mark-done", "-f", "md", "--out", out, env=env,
    )  # fmt: skip
    assert ahead.code == 2 and "after today" in ahead.err and len(_archived(app)) == 1
    wrong = regie("report", "mark-done", "999", env=env)
    assert wrong.code == 2 and "no archived report 999" in wrong.err


SECOND_PLAN = """\
schema: 1
programme:
  id: halfjaar-2024
  title: Programma Halfjaarlijks 2024–2026
  short_title: Halfjaar
  start: 2024-01-01
  end: 2026-12-31
organisations:
  - id: BZK
    name: Ministerie van Binnenlandse Zaken en Koninkrijksrelaties
contacts:
  - id: office
    name: Programmabureau (voorbeeld)
    organisation: BZK
    email: office@example.org
    programme_office: true
governance:
  - id: raad
    name: Programmaraad
    purpose: Stelt de halfjaarberichten vast.
    members: [BZK]
reports:
  - id: halfjaarbericht
    title: Halfjaarbericht aan de programmaraad
    recipient: Programmaraad
    cadence: Halfjaarlijks
    action: "1.2"
  - id: eindevaluatie
    title: Eindevaluatie
    recipient: Tweede Kamer
    cadence: bij afronding
    action: "1.1"
steps:
  - number: 1
    title: Uitvoeren
    actions:
      - id: "1.1"
        title: Eindevaluatie
        owners: [BZK]
        gereed: "Q4 2026"
      - id: "1.2"
        title: Halfjaarberichten
        owners: [BZK]
        milestones:
          - id: "1.2.1"
            title: Bericht eerste helft 2024
            gereed: "Q3 2024"
          - id: "1.2.2"
            title: Bericht tweede helft 2024
            gereed: "Q1 2025"
          - id: "1.2.3"
            title: Bericht eerste helft 2025
            gereed: "Q3 2025"
"""


def test_a_second_plan_with_another_cadence_and_two_obligations(app: App, tmp_path: Path) -> None:
    Path(app.settings.plan_path).write_text(SECOND_PLAN, encoding="utf-8")
    env = cli_env(app)
    out = str(tmp_path / "r.md")

    def voortgang(*args: str) -> tuple[int, str]:
        done = regie("report", "voortgang", *args, "-f", "md", "--out", out, env=env)
        return done.code, done.err

    code, err = voortgang("--as-of", "2024-08-15")
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert "2 reporting obligations (halfjaarbericht, eindevaluatie): give --report ID" in err
    code, err = voortgang("--as-of", "2024-08-15", "--report", "eindevaluatie")
    assert code == 2 and "cadence 'bij afronding', not one Regie reads" in err, err
    code, err = voortgang("--from", "2024-01-01", "--to", "2024-06-30", "--mark-done")
    assert code == 2 and "--mark-done: the plan names 2 reporting obligations" in err, err
    code, err = voortgang("--as-of", "2024-08-15", "--report", "nope")
    assert code == 2 and "--report: the plan has no reporting obligation 'nope'" in err, err
    assert not _archived(app)

    # Half a year from the programme's start; the report delivers 1.2.1, not 1.2.2, once the
    # programmaraad approved it.
    code, err = voortgang("--as-of", "2024-08-15", "--report", "halfjaarbericht", "--mark-done")
    assert code == 2 and "is a concept: no decision taken after 2024-06-30" in err, err
    _approve(app, "2024-07-16", "2024-01-01/2024-06-30")
    code, err = voortgang("--as-of", "2024-08-15", "--report", "halfjaarbericht", "--mark-done")
    assert code == 0, err
    assert "period 2024-01-01 – 2024-06-30" in err and "1.2.1: done recorded for 2024-08-15" in err
    assert [u["source"] for u in _updates(app, "1.2.1")] == ["report"]
    assert _updates(app, "1.2.2") == []

    # The next half year follows the archived one.
    _approve(app, "2025-01-14", "2024-07-01/2024-12-31")
    code, err = voortgang("--as-of", "2025-02-10", "--report", "halfjaarbericht", "--mark-done")
    assert code == 0, err
    assert "period 2024-07-01 – 2024-12-31" in err and "1.2.2: done recorded for 2025-02-10" in err
    assert _updates(app, "1.2.3") == []
    # The concept refused first is archived too (as a concept).
    assert [r["parameters"]["report"] for r in _archived(app)] == ["halfjaarbericht"] * 3


def _approve(app: App, day: str, period: str) -> None:
    """The programmaraad meets (a one-off meeting) and approves the half-year report."""
    from regie.decisions import add_decision

    added = regie("meeting", "add", "raad", day, env=cli_env(app))
    assert added.code == 0, added.err
    add_decision(app, "raad", date.fromisoformat(day), "Halfjaarbericht vastgesteld",
                 approves_report=f"halfjaarbericht:{period}", before_archive=True)  # fmt: skip


@RULE_ONLY
def test_approves_report_names_the_report_and_refuses_a_wrong_one_in_one_line(
    app: App, tmp_path: Path
) -> None:
    env = cli_env(app)
    out = str(tmp_path / "r.md")

    def decide(spec: str, meeting: str = "2017-01-10") -> tuple[int, str, str]:
        done = regie(
            "decision", "add", "--body", "stuurgroep", "--meeting", meeting, "--text",
            "Voortgangsrapportage vastgesteld", "--approves-report", spec, env=env,
        )  # fmt: skip
        return done.code, done.out, done.err

    for spec, said in (
        ("nope", "--approves-report: the plan has no reporting obligation 'nope' (known: "),
        (f"{REPORT}:2015-01-01", "is not a period FROM/TO"),
        (f"{REPORT}:2016-12-31/2015-01-01", "ends before it starts"),
        (f"{REPORT}:2015-01-01/2017-01-10", "has not ended before the meeting (2017-01-10)"),
        (REPORT, f"no progress report of {REPORT} archived over a period that ended before"),
    ):
        code, _, err = decide(spec)
        assert code == 2 and len(err.strip().splitlines()) == 1 and said in err, (spec, err)
    listed = regie("decision", "list", "--format", "json", env=env)
    assert json.loads(listed.out) == []  # nothing half-written

    # The concept is archived; the decision names the obligation and approves that report.
    made = regie("report", "voortgang", "--as-of", "2017-03-15", "-f", "md", "--out", out, env=env)
    assert made.code == 0 and "**Concept**" in Path(out).read_text(), made.err
    code, said, err = decide(REPORT, "2017-01-10")
    assert code == 0, err
    assert f"approves the progress report {REPORT} over 2015-01-01 – 2016-12-31" in said
    [decision] = json.loads(regie("decision", "list", "--format", "json", env=env).out)
    assert decision["item"] == "4.4" and decision["kind"] == "besluit"  # about the action
    assert decision["approves_report"] == f"{REPORT}:2015-01-01/2016-12-31"
    assert decision["effect"] == (  # the list and the Besluiten page say which report
        f"rapportage vastgesteld: {REPORT} (1 januari 2015 – 31 december 2016)"
    )
    again = regie("report", "voortgang", "--from", "2015-01-01", "--to", "2016-12-31",
                  "--as-of", "2017-03-15", "-f", "md", "--out", out, env=env)  # fmt: skip
    assert again.code == 0, again.err
    text = Path(out).read_text()
    assert "Vastgesteld: besluit Stuurgroep Plan van aanpak MVI, 10 januari 2017." in text
    assert "impliciet" not in text
    assert "approval" not in _archived(app)[-1]["parameters"]


def test_a_report_is_not_approved_twice_and_a_mistyped_period_is_refused(
    app: App, tmp_path: Path
) -> None:
    """Review mailrep, finding 6: approvals are append-only, so the default does not approve
    the report approved before again, and a period no archived report covers needs
    --before-archive (and must be one of the obligation's periods)."""
    env = cli_env(app)
    out = str(tmp_path / "r.md")

    def decide(spec: str, meeting: str, *more: str) -> tuple[int, str, str]:
        done = regie(
            "decision", "add", "--body", "stuurgroep", "--meeting", meeting, "--text",
            "Rapportage vastgesteld", "--approves-report", spec, *more, env=env,
        )  # fmt: skip
        return done.code, done.out, done.err

    period = f"{REPORT}:2015-01-01/2016-12-31"
    code, _, err = decide(period, "2017-01-10")  # not archived yet: asked for explicitly
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert "is archived (archived: none); check the period, or add --before-archive" in err
    code, said, err = decide(period, "2017-01-10", "--before-archive")
    assert code == 0, err
    assert "note: no progress report of voortgangsrapportage over 2015-01-01 – 2016-12-31" in (
        said + err
    )
    made = regie("report", "voortgang", "--as-of", "2017-03-15", "-f", "md", "--out", out, env=env)
    assert made.code == 0 and "Vastgesteld: besluit Stuurgroep" in Path(out).read_text()
    [first] = json.loads(regie("decision", "list", "--format", "json", env=env).out)
    # The next meeting approves "the report" again: refused, naming the approval there is.
    for spec, said_there in (
        (REPORT, f"is already approved by decision {first['id']} (stuurgroep, meeting "
                 "2017-01-10); to approve another report give its period"),
        (period, f"is already approved by decision {first['id']}"),
        (f"{REPORT}:2015-01-01/2016-12-30", "2015-01-01 – 2016-12-30 is not a period of "
                                            f"{REPORT} (tweejaarlijks; the latest: "),
        (f"{REPORT}:2015-01-01/2015-01-02", "is not a period of"),
    ):  # fmt: skip
        code, _, err = decide(spec, "2017-04-11", "--before-archive")
        assert code == 2 and len(err.strip().splitlines()) == 1, (spec, err)
        assert said_there in err, (spec, err)
    only = regie("decision", "add", "--body", "stuurgroep", "--meeting", "2017-04-11",
                 "--text", "x", "--before-archive", env=env)  # fmt: skip
    assert only.code == 2 and "--before-archive: only with --approves-report" in only.err
    assert len(json.loads(regie("decision", "list", "--format", "json", env=env).out)) == 1


@RULE_ONLY
def test_a_text_only_decision_approves_nothing_once_approvals_name_the_report(
    app: App, tmp_path: Path
) -> None:
    """Review mailrep, 9: after the first named approval, a text-only decision about the
    action ("4.4 uitgesteld") does not make a later report approved (impliciet)."""
    from regie.decisions import add_decision

    env = cli_env(app)
    out = str(tmp_path / "r.md")
    add_decision(app, "stuurgroep", date(2017, 1, 10), "Voortgangsrapportage vastgesteld",
                 approves_report=f"{REPORT}:2015-01-01/2016-12-31",
                 before_archive=True)  # fmt: skip
    add_decision(app, "stuurgroep", date(2019, 1, 8), "Actie 4.4 uitgesteld",
                 item_id="4.4")  # fmt: skip
    made = regie(
        "report", "voortgang", "--from", "2017-01-01", "--to", "2018-12-31", "--as-of",
        "2019-01-10", "-f", "md", "--out", out, env=env,
    )  # fmt: skip
    assert made.code == 0, made.err
    text = Path(out).read_text()
    assert "**Concept**" in text and "impliciet" not in text
    assert _archived(app)[-1]["parameters"].get("concept") == "yes"


@RULE_ONLY
def test_a_text_only_decision_approves_implicitly_and_says_so(app: App, tmp_path: Path) -> None:
    from regie.decisions import add_decision

    env = cli_env(app)
    out = str(tmp_path / "r.md")
    add_decision(app, "stuurgroep", date(2017, 1, 10), "Voortgangsrapportage vastgesteld",
                 item_id="4.4")  # fmt: skip
    made = regie("report", "voortgang", "--as-of", "2017-03-15", "-f", "md", "--out", out, env=env)
    assert made.code == 0, made.err
    assert "10 januari 2017 (impliciet goedgekeurd" in Path(out).read_text()
    [archived] = _archived(app)
    assert archived["parameters"]["approval"] == "implicit"
    assert "concept" not in archived["parameters"]


def test_a_far_off_day_is_refused_in_one_line_each(app: App, tmp_path: Path) -> None:
    env = cli_env(app)
    out = str(tmp_path / "r.md")
    for args in (("--as-of", "9999-12-31"), ("--from", "1900-01-01", "--to", "1900-12-31")):
        far = regie("report", "voortgang", *args, "-f", "md", "--out", out, env=env)
        lines = far.err.strip().splitlines()  # one line per day refused
        assert far.code == 2 and len(lines) == len(args) // 2, far.err
        assert all("is beyond the programme's life plus margin" in line for line in lines)
    assert not _archived(app)


@RULE_ONLY
def test_mark_done_on_an_agenda_pack_names_what_it_is(app: App, tmp_path: Path) -> None:
    """walk58a 6: the refusal read "archief 1 is a agenda report"."""
    env = cli_env(app)
    out = str(tmp_path / "a.md")
    made = regie("report", "agenda", "--body", "stuurgroep", "--meeting", "2016-04-12",
                 "--as-of", "2016-04-05", "-f", "md", "--out", out, env=env)  # fmt: skip
    assert made.code == 0, made.err
    listed = json.loads(regie("report", "list", "--format", "json", env=env).out)
    [pack] = [r for r in listed if r["kind"] == "agenda"]
    refused = regie("report", "mark-done", str(pack["id"]), "--as-of", "2016-04-12", env=env)
    assert refused.code == 2
    assert refused.err.strip() == (
        f"archief {pack['id']} is an agenda pack, not a progress report (voortgang)"
    )
