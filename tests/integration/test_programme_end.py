"""The programme's end (walk30 9): a computed deadline after ``programme.end`` is said once by
the daily cycle (its event) and marked by `regie status`; a fixed *gereed* after the end is a
`plan validate` warning at PATH:LINE:COL; after the steering body's last meeting an escalation
no longer suggests its agenda; after the end the cycle says the programme ended and how much is
still open. A second, unrelated plan (Europe/Amsterdam, 2025), SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from regie.bootstrap import App, bootstrap
from regie.config import load_settings
from regie.cycle import deadline_check
from store import Repository
from tests.cli_in_process import regie

WORDS_ONLY = pytest.mark.one_database(
    "the escalation's words, from SQL this file's other PostgreSQL tests run"
)

PLAN = """\
schema: 1
programme:
  id: eindtest
  title: Eindtest Programma
  start: 2025-09-01
  end: 2025-12-31
calendar:
  timezone: Europe/Amsterdam
  holidays_country: NL
reminders:
  first_prompt_days: 10
  second_prompt_days: 3
  overdue_every_days: 3
  escalate_after_overdue_days: 5
  unanswered_grace_days: 3
organisations:
  - {id: stad, name: Stad}
  - {id: bond, name: Bond}
contacts:
  - {id: office, name: Olga Office, organisation: stad, email: office@example.org, programme_office: true}
  - {id: bert, name: Bert Bond, organisation: bond, email: bert@example.org}
governance:
  - id: stuurgroep
    name: Stuurgroep Eindtest
    purpose: Sturing
    members: [stad, bond]
    escalations: true
    meetings:
      time: "14:00"
      rule: {every: maand, weekday: donderdag, nth: 2, start: 2025-09-01, until: UNTIL}
steps:
  - number: 1
    title: Werk
    actions:
      - {id: "1.1", title: Pakket vaststellen, owners: [stad], gereed: 2025-11-14}
      - {id: "1.2", title: Handhaving, owners: [bond], gereed: 2025-12-03}
      - {id: "1.3", title: Campagne, owners: [bond], gereed: Afhankelijk van pakket, depends_on: ["1.1"]}
      - {id: "1.4", title: Nazorg, owners: [stad], gereed: 2026-01-30}
"""  # noqa: E501


def _env(tmp_path: Path, url: str, until: str = "2025-12-31") -> dict[str, str]:
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN.replace("UNTIL", until), encoding="utf-8")
    return {
        "REGIE_HOME": str(tmp_path / "home"),
        "REGIE_DATABASE_URL": url,
        "REGIE_PLAN": str(plan),
        "REGIE_CONTACTS": "",
        "REGIE_NOTIFIER": "file",
        "REGIE_SECRET_KEY": "",
        "REGIE_BASE_URL": "",
        "PREFECT_API_URL": "",
    }


def _app(env: dict[str, str]) -> App:
    return bootstrap(load_settings(env))


def _events(app: App, name: str) -> list[tuple[str | None, str]]:
    with app.session() as session:
        found = Repository(session, app.programme_id()).events()
    return [(e.item_id, e.payload.get("due")) for e in found if e.name == name]


def test_a_computed_deadline_after_the_end_is_said_once_and_marked_in_status(
    tmp_path: Path, migrated_url: str
) -> None:
    env = _env(tmp_path, migrated_url)
    app = _app(env)
    assert deadline_check(app, date(2025, 12, 4)).summary()["after_end"] == []
    done = regie(
        "update", "1.1", "-s", "done", "--completed-on", "2025-12-08", "--as-of", "2025-12-08",
        env=env,
    )  # fmt: skip
    assert done.code == 0, done.err
    # 1.3 is due 20 working days after 1.1 was done: 8 January 2026, after the end.
    ran = regie("cycle", "--as-of", "2025-12-09", "--no-send", env=env)
    assert ran.code == 0, ran.err
    said = [x for x in ran.out.splitlines() if "after the programme's end" in x]
    assert said == [
        "  deadline after the programme's end (2025-12-31): 1.3 2026-01-08 "
        "(computed from depends_on)"
    ], ran.out
    assert "programme ended" not in ran.out  # not yet
    # Once: the next days are quiet, the event is recorded once (also after a full run).
    assert deadline_check(app, date(2025, 12, 10)).summary()["after_end"] == []
    assert deadline_check(app, date(2025, 12, 11), rebuild_memory=True).after_end == []
    assert _events(app, "regie.deadline.after-end") == [("1.3", "2026-01-08")]

    status = regie("status", "--as-of", "2025-12-10", env=env)
    assert status.code == 0, status.err
    assert "2026-01-08 !" in status.out
    assert "2026-01-30 !" in status.out  # a fixed gereed after the end is marked too
    assert "! deadline after the programme's end (2025-12-31): 1.3, 1.4" in status.out
    rows = json.loads(regie("status", "--as-of", "2025-12-10", "-f", "json", env=env).out)
    assert {r["id"]: r["after_end"] for r in rows} == {
        "1.1": False, "1.2": False, "1.3": True, "1.4": True
    }  # fmt: skip

    # After the end the cycle goes on, and says so each run.
    ended = regie("cycle", "--as-of", "2026-01-05", "--no-send", env=env)
    assert ended.code == 0, ended.err
    assert (
        "  programme ended on 2025-12-31; 3 items still open: 3 with a date (reminders continue "
        "until each is done or cancelled)"
    ) in ended.out.splitlines(), ended.out
    assert deadline_check(app, date(2026, 1, 6)).summary()["ended"] == {
        "on": "2025-12-31", "open": 3, "dated": 3, "waiting": 0, "undated": 0
    }  # fmt: skip


#: Items without a deadline: ongoing, periodic, Ntb, and one waiting on 1.4 (as 1.3 on 1.1).
UNDATED = """\
      - {id: "1.5", title: Monitoring, owners: [bond], gereed: doorlopend}
      - {id: "1.6", title: Rapportage, owners: [stad], gereed: Periodiek}
      - {id: "1.7", title: Evaluatie, owners: [bond], gereed: Ntb}
      - {id: "1.8", title: Overdracht, owners: [stad], gereed: Afhankelijk van nazorg, depends_on: ["1.4"]}
"""  # noqa: E501


def test_after_the_end_the_cycle_splits_the_open_items_by_whether_they_are_still_asked(
    tmp_path: Path, migrated_url: str
) -> None:
    """Only the items with a deadline are still reminded after the end (walk32b 7): the
    cycle's line says how many of the open items that is, how many wait on another item and
    how many are no longer asked (walk55d 4) — and the reminders agree."""
    env = _env(tmp_path, migrated_url)
    (tmp_path / "plan.yaml").write_text(PLAN.replace("UNTIL", "2025-12-31") + UNDATED)
    app = _app(env)
    for day in (date(2025, 12, 1), date(2025, 12, 31)):
        deadline_check(app, day)
    ran = regie("cycle", "--as-of", "2026-01-05", "--no-send", env=env)
    assert ran.code == 0, ran.err
    assert (
        "  programme ended on 2025-12-31; 8 items still open: 3 with a date (reminders continue "
        "until each is done or cancelled), 2 waiting on another item (asked once it has a "
        "date), 3 without a date (no longer asked)"
    ) in ran.out.splitlines(), ran.out
    # The same count from a full assessment, on a later day (incremental above).
    check = deadline_check(app, date(2026, 4, 1), full_assessment=True)
    assert check.summary()["ended"] == {
        "on": "2025-12-31", "open": 8, "dated": 3, "waiting": 2, "undated": 3
    }  # fmt: skip
    # 1 April opens a quarter: the ongoing items would be prompted, were the programme running.
    with app.session() as session:
        history = Repository(session, app.programme_id()).prompt_history(date(2026, 4, 1))
    asked = {p.item_id for p in history if p.queued_on > date(2025, 12, 31)}
    assert asked and asked <= {"1.1", "1.2", "1.4"}, asked


@WORDS_ONLY
@pytest.mark.parametrize(("until", "meets_again"), [("2025-11-30", False), ("2025-12-31", True)])
def test_after_the_last_meeting_the_escalation_does_not_suggest_its_agenda(
    tmp_path: Path, migrated_url: str, until: str, meets_again: bool
) -> None:
    app = _app(_env(tmp_path, migrated_url, until))  # last meeting 13 Nov, or 11 Dec
    for day in (date(2025, 11, 24), date(2025, 12, 1), date(2025, 12, 4)):
        deadline_check(app, day)
    with app.session() as session:
        rows = Repository(session, app.programme_id()).outbox()
    texts = [(r.body_text, r.body_html or "") for r in rows if r.kind == "escalation_digest"]
    assert texts
    for text, html in texts:
        if meets_again:
            assert "te agenderen voor het sturend overleg: Stuurgroep Eindtest." in text
            assert "geen vergadering meer" not in text
        else:
            assert "agenderen voor" not in text and "agenderen voor" not in html
            line = (
                "Overweeg contact op te nemen met de eigenaar. Het sturend overleg (Stuurgroep "
                "Eindtest) heeft geen vergadering meer gepland, dus agenderen is daar niet meer "
                "mogelijk."
            )
            assert line in text
            assert "heeft geen vergadering meer gepland" in html


def test_validate_warns_about_a_fixed_gereed_after_the_end(tmp_path: Path) -> None:
    from governance.planfile.load import load_plan
    from regie.services import gereed_after_end

    env = _env(tmp_path, "sqlite:///unused.db")
    plan = load_plan(env["REGIE_PLAN"])
    assert gereed_after_end(plan) == [
        f"{env['REGIE_PLAN']}:38:10: warning: 1.4 gereed '2026-01-30' (due 2026-01-30) is after "
        "the programme's end 2025-12-31"
    ]


def test_a_moved_end_is_seen_the_same_day_on_the_incremental_path_as_on_a_full_one(
    tmp_path: Path, migrated_url: str
) -> None:
    """review9 1: an edit that moves only ``programme.end`` changes no item, yet decides which
    computed deadlines lie after it. Two programmes in one database live the same days; on the
    day after the end moved before 1.3's deadline one goes on incrementally, the other is
    assessed in full: the same after-end line and the same recorded events."""

    def events(app: App) -> list[tuple[str, str | None, date, str]]:
        pid = app.programme_id()
        with app.session() as session:
            found = Repository(session, pid).events()
        # The cycles' events (an answer's names its update id); keys name their programme.
        return sorted(
            (e.name, e.item_id, e.occurred_on, repr(sorted(e.payload.items())).replace(pid, "P"))
            for e in found
            if e.name != "regie.status.updated"
        )

    envs, apps = [], []
    for name in ("eindtest", "eindtwee"):
        (tmp_path / name).mkdir()
        env = _env(tmp_path / name, migrated_url)
        plan = Path(env["REGIE_PLAN"])
        text = plan.read_text().replace("id: eindtest", f"id: {name}")
        plan.write_text(text.replace("end: 2025-12-31", "end: 2026-03-31"))
        envs.append(env)
        apps.append(_app(env))
        if apps[:-1]:  # the second programme joins the first's database on purpose (fix56i)
            from regie.services import sync

            sync(apps[-1], None, add_programme=True)
        deadline_check(apps[-1], date(2025, 12, 4))
        done = regie(
            "update", "1.1", "-s", "done", "--completed-on", "2025-12-08", "--as-of",
            "2025-12-08", env=env,
        )  # fmt: skip
        assert done.code == 0, done.err
        # 1.3 is due 8 January 2026: before the end of 31 March, nothing to say.
        assert deadline_check(apps[-1], date(2025, 12, 9)).after_end == []
        plan.write_text(plan.read_text().replace("end: 2026-03-31", "end: 2025-12-31"))
    day = date(2025, 12, 10)
    apps = [_app(env) for env in envs]  # the edited plan files
    incremental = deadline_check(apps[0], day)
    full = deadline_check(apps[1], day, full_assessment=True)
    assert incremental.after_end == full.after_end == ["1.3 2026-01-08"]
    mine, theirs = incremental.summary(), full.summary()
    for summary in (mine, theirs):
        del summary["programme"], summary["incremental"], summary["assessed"]
    assert mine == theirs
    assert events(apps[0]) == events(apps[1])
    assert ("regie.deadline.after-end", "1.3", day) in [e[:3] for e in events(apps[0])]


#: The end's plan with an open-ended and a periodic action besides the dated ones.
ONGOING = """\
      - {id: "1.5", title: Beheer, owners: [bond], gereed: 2025 e.v.}
      - {id: "1.6", title: Monitoring, owners: [bond], gereed: Periodiek}
"""
ENDED = "Het programma is op 31 december 2025 geëindigd, maar"


def test_after_the_end_only_open_deadlines_are_asked_and_the_owner_is_told_it_ended(
    tmp_path: Path, migrated_url: str
) -> None:
    """walk32b 7: after ``programme.end`` an item without a deadline (``2025 e.v.``,
    ``Periodiek``) gets no more quarterly prompts; a late item is still chased, an item due
    after the end still asked about, and the owner's mail, its HTML and its Slack form say in
    one sentence that the programme has ended and the item is still open."""
    from notifications.slack_blocks import digest_blocks
    from regie.mapping import message_from_outbox

    env = _env(tmp_path, migrated_url)
    plan = Path(env["REGIE_PLAN"])
    plan.write_text(plan.read_text(encoding="utf-8") + ONGOING, encoding="utf-8")
    app = _app(env)
    day = date(2025, 9, 1)  # a Monday: a cycle each Monday (catching up) to the next April
    while day <= date(2026, 4, 10):
        deadline_check(app, day)
        day += timedelta(days=7)
    with app.session() as session:
        repo = Repository(session, app.programme_id())
        history = repo.prompt_history(date(2026, 4, 10))
        rows = [r for r in repo.outbox() if r.kind == "reminder_digest"]
    asked = sorted({(p.item_id, p.stage, p.queued_on) for p in history if not p.is_escalation})
    ongoing = [(i, s, d) for i, s, d in asked if i in ("1.5", "1.6")]
    # Asked each quarter of the programme (from its start, 1 September), none after its end.
    assert [(i, s) for i, s, _ in ongoing] == [
        ("1.5", "periodic-2025Q3"), ("1.5", "periodic-2025Q4"),
        ("1.6", "periodic-2025Q3"), ("1.6", "periodic-2025Q4"),
    ], ongoing  # fmt: skip
    # The late 1.2 (due 3 December) is still chased after the end, and 1.4 (due 30 January
    # 2026) asked about its deadline.
    end = date(2025, 12, 31)
    late = [s for i, s, d in asked if i == "1.2" and d > end]
    assert late and all(s.startswith("overdue-") for s in late), late
    assert {s.partition("@")[0] for i, s, d in asked if i == "1.4" and d > end} >= {"due"}
    before = [r for r in rows if r.created_on is not None and r.created_on <= end]
    after = [r for r in rows if r.created_on is not None and r.created_on > end]
    assert before and after
    for row in before:
        assert "geëindigd" not in row.body_text and "ge&euml;indigd" not in (row.body_html or "")
    for row in after:
        count = len(row.payload["items"])
        still = "dit punt staat" if count == 1 else f"deze {count} punten staan"
        sentence = f"{ENDED} {still} nog open."
        assert sentence in row.body_text, row.body_text
        html = (row.body_html or "").replace("ge&euml;indigd", "geëindigd")
        assert sentence in html
        slack = json.dumps(digest_blocks(message_from_outbox(row)), ensure_ascii=False)
        assert sentence in slack, slack
