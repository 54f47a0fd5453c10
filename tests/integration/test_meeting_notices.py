"""walk32a 6: a meeting moved (or dropped) in the plan is told to the body's pack recipients —
once per real move, through the outbox, by e-mail or Slack as each prefers — on the second
programme (Fietsroutes), on SQLite and PostgreSQL, and through a real SMTP server."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from regie.bootstrap import App, bootstrap
from regie.config import load_settings
from regie.cycle import send_reminders
from regie.meeting_notices import KIND
from regie.prepare import body_contacts, prepare_meetings
from store import Repository
from tests.cli import regie
from tests.fakes.slack_api import FakeSlack
from tests.fakes.smtp import SmtpServer
from tests.integration.answer_app import ANSWERS_PLAN, answers_app
from tests.integration.mail_setup import mail_env

SCHEDULE = "    members: [GEM, PROV]\n"
DAYS = ("2025-06-12", "2025-07-10", "2025-08-14")
FIRST_RUN = date(2025, 5, 1)  # records the schedule: nothing to tell yet
MOVE_DAY = date(2025, 5, 6)


def _plan(path: Path, days: tuple[str, ...]) -> Path:
    """The second programme with its stuurgroep meeting on ``days`` at 10:00."""
    text = ANSWERS_PLAN.read_text(encoding="utf-8").replace(
        SCHEDULE,
        SCHEDULE + f'    meetings:\n      time: "10:00"\n      dates: [{", ".join(days)}]\n',
    )
    path.write_text(text, encoding="utf-8")
    return path


def _notices(app: App) -> list[str]:
    with app.session() as session:
        return [m.key for m in Repository(session, "wegen-test").outbox() if m.kind == KIND]


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def test_a_moved_meeting_is_told_once_per_move_to_each_pack_recipient(
    migrated_url: str, tmp_path: Path, home: Path
) -> None:
    plan_file = _plan(tmp_path / "plan.yaml", DAYS)
    app = answers_app(migrated_url, home, plan_file)
    assert prepare_meetings(app, FIRST_RUN).notices == []  # the first run only remembers
    plan = app.load_plan()
    body = plan.body("stuurgroep")
    assert body is not None
    recipients = {c.id for c in body_contacts(plan, body)}
    assert recipients == {"office", "anna", "bram", "carla"}

    _plan(plan_file, ("2025-06-13", *DAYS[1:]))  # 12 June → Friday 13 June
    moved = prepare_meetings(app, MOVE_DAY)
    assert moved.changed == ["stuurgroep 2025-06-12 moved to 2025-06-13"]
    assert len(moved.notices) == len(recipients)
    assert all(
        k.startswith("meeting-moved:stuurgroep:2025-06-12:2025-06-13:") for k in moved.notices
    )
    assert {k.rsplit(":", 1)[1] for k in moved.notices} == recipients
    with app.session() as session:
        rows = {
            m.recipient: m for m in Repository(session, "wegen-test").outbox() if m.kind == KIND
        }
    anna = rows["anna"]
    assert anna.subject == (
        "[Fietsroutes] Vergadering Stuurgroep Fietsroutes verplaatst naar vrijdag 13 juni 2025"
    )
    assert (
        "De vergadering van donderdag 12 juni 2025 (Stuurgroep Fietsroutes) is verplaatst naar "
        "vrijdag 13 juni 2025 om 10:00 uur." in anna.body_text
    )
    assert "De agenda ontvangt u zoals gebruikelijk vóór de vergadering." in anna.body_text
    assert anna.body_html and "vrijdag 13 juni 2025" in anna.body_html

    # The same schedule again, that day and the next: nothing new.
    assert prepare_meetings(app, MOVE_DAY).notices == []
    assert prepare_meetings(app, date(2025, 5, 7)).changed == []
    assert len(_notices(app)) == len(recipients)

    # Back to 12 June, then to 13 June again: each real move is told.
    _plan(plan_file, DAYS)
    back = prepare_meetings(app, date(2025, 5, 8))
    assert back.changed == ["stuurgroep 2025-06-13 moved to 2025-06-12"]
    assert len(back.notices) == len(recipients)
    _plan(plan_file, ("2025-06-13", *DAYS[1:]))
    again = prepare_meetings(app, date(2025, 5, 9))
    assert len(again.notices) == len(recipients)
    assert not set(again.notices) & set(moved.notices)  # another move, another key
    assert len(_notices(app)) == 3 * len(recipients)


def test_a_notice_after_the_pack_says_a_new_one_follows_and_it_does(
    migrated_url: str, tmp_path: Path, home: Path
) -> None:
    """The pack for 12 June went out on its pack day (5 June); moved on 6 June to 13 June, the
    notice says the pack received belongs to the old day and a new one follows — and the same
    run queues the pack for 13 June (its pack day has passed)."""
    plan_file = _plan(tmp_path / "plan.yaml", DAYS)
    app = answers_app(migrated_url, home, plan_file)
    assert prepare_meetings(app, date(2025, 6, 5)).packs  # 12 June's pack
    _plan(plan_file, ("2025-06-13", *DAYS[1:]))
    moved = prepare_meetings(app, date(2025, 6, 6))
    assert moved.notices and moved.packs
    assert all(":2025-06-13:" in k for k in moved.packs)
    with app.session() as session:
        (bram,) = [
            m for m in Repository(session, "wegen-test").outbox()
            if m.kind == KIND and m.recipient == "bram"
        ]  # fmt: skip
    assert (
        "De agenda die u voor 12 juni 2025 ontving, hoort bij de oude datum: voor 13 juni 2025 "
        "ontvangt u een nieuwe agenda." in bram.body_text
    )


def test_a_cancelled_meeting_is_told_and_a_held_or_past_one_is_not(
    migrated_url: str, tmp_path: Path, home: Path
) -> None:
    plan_file = _plan(tmp_path / "plan.yaml", DAYS)
    app = answers_app(migrated_url, home, plan_file)
    prepare_meetings(app, date(2025, 6, 2))
    # 10 July dropped: cancelled, told.
    _plan(plan_file, (DAYS[0], DAYS[2]))
    cancelled = prepare_meetings(app, date(2025, 6, 3))
    assert cancelled.changed == ["stuurgroep 2025-07-10 cancelled"]
    assert all(k.startswith("meeting-cancelled:stuurgroep:2025-07-10:") for k in cancelled.notices)
    with app.session() as session:
        (office,) = [
            m for m in Repository(session, "wegen-test").outbox()
            if m.kind == KIND and m.recipient == "office"
        ]  # fmt: skip
    assert office.subject.endswith(
        "Vergadering Stuurgroep Fietsroutes van donderdag 10 juli 2025 gaat niet door"
    )
    # The meeting of 12 June was held; the record moved to 11 June afterwards: nobody told.
    _plan(plan_file, ("2025-06-11", DAYS[2]))
    after = prepare_meetings(app, date(2025, 6, 16))
    assert after.changed == [] and after.notices == []
    # A meeting still ahead moved into the past (recorded late): remembered, nobody told.
    _plan(plan_file, ("2025-06-11", "2025-06-16"))
    late = prepare_meetings(app, date(2025, 6, 17))
    assert late.changed == [
        "stuurgroep 2025-08-14 moved to 2025-06-16, before 2025-06-17: nobody told"
    ]
    assert late.notices == []
    assert len(_notices(app)) == len(cancelled.notices)


def test_a_dry_run_tells_nobody_and_remembers_nothing(
    migrated_url: str, tmp_path: Path, home: Path
) -> None:
    plan_file = _plan(tmp_path / "plan.yaml", DAYS)
    app = answers_app(migrated_url, home, plan_file)
    prepare_meetings(app, FIRST_RUN)
    _plan(plan_file, ("2025-06-13", *DAYS[1:]))
    dry = prepare_meetings(app, MOVE_DAY, dry_run=True)
    assert dry.changed == ["stuurgroep 2025-06-12 moved to 2025-06-13"] and dry.notices
    assert _notices(app) == []
    assert len(prepare_meetings(app, MOVE_DAY).notices) == len(dry.notices)


def test_the_notice_goes_by_slack_or_e_mail_as_each_prefers_and_the_cli_says_so(
    migrated_url: str, tmp_path: Path
) -> None:
    """REGIE_NOTIFIER=slack,email, as the delivery tests: Anna and the office are on Slack (a
    notice has a Slack form, unlike the pack), Bram by his address; Carla has no Slack and
    gets it by e-mail through the SMTP server."""
    plan_file = _plan(tmp_path / "plan.yaml", DAYS)
    users = {"bureau@example.org": "U0OFFICE", "anna@example.org": "U0ANNA"}
    users["bram@example.org"] = "U0BRAM"
    with SmtpServer() as smtp, FakeSlack(users=users) as slack:
        env = mail_env(
            tmp_path, migrated_url, smtp, REGIE_PLAN=str(plan_file), REGIE_CONTACTS="",
            REGIE_NOTIFIER="slack,email", REGIE_SLACK_BOT_TOKEN=slack.token,
            REGIE_SLACK_API_URL=slack.base_url, REGIE_SLACK_RATE="1000",
        )  # fmt: skip
        app = bootstrap(load_settings(env))
        first = regie("meeting", "prepare", "--as-of", FIRST_RUN.isoformat(), env=env)
        assert first.code == 0, first.err
        _plan(plan_file, ("2025-06-13", *DAYS[1:]))
        done = regie("meeting", "prepare", "--as-of", MOVE_DAY.isoformat(), env=env)
        assert done.code == 0, done.err
        assert "meeting stuurgroep 2025-06-12 moved to 2025-06-13 (4 notices queued)" in done.out
        assert not send_reminders(app).failed
        mails = [m for m in smtp.mails() if str(m["X-Regie-Key"]).startswith("meeting-moved:")]
        posts = [p for p in slack.posts() if "meeting-moved:" in str(p["metadata"])]
    assert [str(m["X-Regie-Key"]).rsplit(":", 1)[1] for m in mails] == ["carla"]
    text = mails[0].get_body(("plain",))
    assert text is not None
    assert "verplaatst naar vrijdag 13 juni 2025" in str(text.get_content())  # type: ignore[attr-defined]
    assert sorted(p["channel"] for p in posts) == ["DU0ANNA", "DU0BRAM", "DU0OFFICE"]
    shown = json.dumps(posts[0]["blocks"], ensure_ascii=False)
    assert "is verplaatst naar *vrijdag 13 juni 2025* om 10:00 uur" in shown


def test_meetings_months_ahead_are_remembered_not_told(
    migrated_url: str, tmp_path: Path, home: Path
) -> None:
    """review13 2: a new rule can move years of meetings at once; only the coming months' are
    told (one notice each), the rest is said in one line and remembered."""
    plan_file = _plan(tmp_path / "plan.yaml", (*DAYS, "2026-03-12", "2026-04-09"))
    app = answers_app(migrated_url, home, plan_file)
    prepare_meetings(app, FIRST_RUN)
    _plan(plan_file, ("2025-06-13", *DAYS[1:], "2026-03-13"))
    told = prepare_meetings(app, MOVE_DAY)
    assert told.changed == [
        "stuurgroep 2025-06-12 moved to 2025-06-13",
        "stuurgroep: 1 move(s) and 1 cancellation(s) more than 120 days ahead: remembered, "
        "nobody told",
    ]
    assert told.notices and all(":2025-06-12:2025-06-13:" in k for k in told.notices)
    assert prepare_meetings(app, MOVE_DAY).changed == []  # remembered
