"""walk32a 6: a meeting moved (or dropped) in the plan is told to the body's pack recipients —
once per real move, through the outbox, by e-mail or Slack as each prefers — on the second
programme (Fietsroutes), on SQLite and PostgreSQL, and through a real SMTP server."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from regie.bootstrap import App, bootstrap
from regie.config import load_settings
from regie.cycle import send_reminders
from regie.meeting_notices import KIND
from regie.prepare import body_contacts, pack_key, prepare_meetings
from store import Repository
from store.models import OutboxRow
from tests.cli_in_process import regie
from tests.fakes.slack_api import FakeSlack
from tests.fakes.smtp import SmtpServer
from tests.integration.answer_app import ANSWERS_PLAN, answers_app
from tests.integration.mail_setup import mail_env
from tests.integration.reports_scenario import cli_env

SCHEDULE = "    members: [GEM, PROV]\n"
DAYS = ("2025-06-12", "2025-07-10", "2025-08-14")
FIRST_RUN = date(2025, 5, 1)  # records the schedule: nothing to tell yet
MOVE_DAY = date(2025, 5, 6)


#: A member who joins later (review13 6).
DIRK = "  - id: dirk\n    name: Dirk Vos\n    organisation: GEM\n    email: dirk@example.org\n"


def _plan(
    path: Path,
    days: tuple[str, ...],
    *,
    contact: str = "",
    body: str = "stuurgroep",
    location: str = "",
) -> Path:
    """The second programme with its stuurgroep meeting on ``days`` at 10:00 (``contact``: one
    more contact; ``body``: another id for the body, as a rename; ``location``: where)."""
    where = f"      location: {location}\n" if location else ""
    text = ANSWERS_PLAN.read_text(encoding="utf-8").replace(
        SCHEDULE,
        SCHEDULE + f'    meetings:\n      time: "10:00"\n{where}      dates: [{", ".join(days)}]\n',
    )
    text = text.replace("\ngovernance:\n", f"{contact}\ngovernance:\n")
    text = text.replace("  - id: stuurgroep\n", f"  - id: {body}\n")
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
        "[Fietsroutes] Vergadering Stuurgroep Fietsroutes van 12 juni 2025 verplaatst naar "
        "vrijdag 13 juni 2025"
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
    with app.session() as session, session.begin():  # Carla's was given up on: never received
        session.execute(
            sa.update(OutboxRow)
            .where(OutboxRow.key == pack_key("stuurgroep", date(2025, 6, 12), "carla"))
            .values(status="dead")
        )
    assert not send_reminders(app).failed  # delivered: the others received it
    # review13 6: Dirk joins after the pack went out; he never received the old day's pack.
    _plan(plan_file, ("2025-06-13", *DAYS[1:]), contact=DIRK)
    moved = prepare_meetings(app, date(2025, 6, 6))
    assert moved.notices and moved.packs
    assert all(":2025-06-13:" in k for k in moved.packs)
    with app.session() as session:
        told = {
            m.recipient: m for m in Repository(session, "wegen-test").outbox() if m.kind == KIND
        }
    received = (
        "De agenda die u voor 12 juni 2025 ontving, hoort bij de oude datum: voor 13 juni 2025 "
        "ontvangt u een nieuwe agenda."
    )
    assert received in told["bram"].body_text
    for never in ("dirk", "carla"):
        assert received not in told[never].body_text
        assert "De agenda ontvangt u zoals gebruikelijk vóór de vergadering." in (
            told[never].body_text
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
        _plan(plan_file, ("2025-06-13", *DAYS[1:]), location="Provinciehuis")
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
    # The place too, as in the mail (review13 8).
    assert "is verplaatst naar *vrijdag 13 juni 2025* om 10:00 uur (Provinciehuis)." in shown


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
        "stuurgroep: 1 move, 1 cancellation and 0 new meeting days more than 120 days "
        "ahead: remembered, nobody told",
    ]
    assert told.notices and all(":2025-06-12:2025-06-13:" in k for k in told.notices)
    assert prepare_meetings(app, MOVE_DAY).changed == []  # remembered


def _told(app: App, prefix: str) -> dict[str, str]:
    """The notices whose key starts with ``prefix``: recipient → subject and text."""
    with app.session() as session:
        return {
            m.recipient: f"{m.subject}\n{m.body_text}"
            for m in Repository(session, "wegen-test").outbox()
            if m.kind == KIND and m.key.startswith(prefix)
        }


def test_a_cancelled_meeting_that_comes_back_goes_ahead_after_all(
    migrated_url: str, tmp_path: Path, home: Path
) -> None:
    """review13 2: 10 July cancelled and told; put back, it is told again ("gaat toch door"),
    to each member told it was off, once."""
    plan_file = _plan(tmp_path / "plan.yaml", DAYS)
    app = answers_app(migrated_url, home, plan_file)
    prepare_meetings(app, FIRST_RUN)
    _plan(plan_file, (DAYS[0], DAYS[2]))
    assert prepare_meetings(app, MOVE_DAY).changed == ["stuurgroep 2025-07-10 cancelled"]
    _plan(plan_file, DAYS)
    back = prepare_meetings(app, date(2025, 5, 7))
    assert back.changed == ["stuurgroep 2025-07-10 goes ahead after all"]
    assert {k.rsplit(":", 1)[1] for k in back.notices} == {"office", "anna", "bram", "carla"}
    assert all(k.startswith("meeting-added:stuurgroep:2025-07-10:") for k in back.notices)
    anna = _told(app, "meeting-added:")["anna"]
    assert "Vergadering Stuurgroep Fietsroutes van donderdag 10 juli 2025 gaat toch door" in anna
    assert (
        "De vergadering van donderdag 10 juli 2025 (Stuurgroep Fietsroutes) gaat toch door om "
        "10:00 uur." in anna
    )
    # Seen again the same day and the next: told once.
    assert prepare_meetings(app, date(2025, 5, 7)).notices == []
    assert prepare_meetings(app, date(2025, 5, 8)).changed == []
    assert len(_told(app, "meeting-added:")) == 4


def test_a_new_day_after_a_cancellation_is_its_new_date_and_a_one_off_is_an_extra_meeting(
    migrated_url: str, tmp_path: Path, home: Path
) -> None:
    """review13 2, the secretary's two steps: 12 June under `except` one day (told "gaat niet
    door"), its new date 13 June under `dates` the next: told as the new date, not left
    unsaid. A day added later with a kept meeting between is an extra meeting."""
    plan_file = _plan(tmp_path / "plan.yaml", DAYS)
    app = answers_app(migrated_url, home, plan_file)
    prepare_meetings(app, FIRST_RUN)
    _plan(plan_file, DAYS[1:])
    assert prepare_meetings(app, MOVE_DAY).changed == ["stuurgroep 2025-06-12 cancelled"]
    _plan(plan_file, ("2025-06-13", *DAYS[1:]))
    redated = prepare_meetings(app, date(2025, 5, 7))
    assert redated.changed == ["stuurgroep 2025-06-13 added, the new day of cancelled 2025-06-12"]
    assert len(redated.notices) == 4
    carla = _told(app, "meeting-added:stuurgroep:2025-06-13:")["carla"]
    assert "Nieuwe datum vergadering Stuurgroep Fietsroutes: vrijdag 13 juni 2025" in carla
    assert (
        "De vergadering van donderdag 12 juni 2025 (Stuurgroep Fietsroutes), die niet doorging, "
        "heeft een nieuwe datum: vrijdag 13 juni 2025 om 10:00 uur." in carla
    )
    _plan(plan_file, ("2025-06-13", "2025-06-26", *DAYS[1:]))
    extra = prepare_meetings(app, date(2025, 5, 8))
    assert extra.changed == ["stuurgroep 2025-06-26 added"]
    bram = _told(app, "meeting-added:stuurgroep:2025-06-26:")["bram"]
    assert "Extra vergadering Stuurgroep Fietsroutes op donderdag 26 juni 2025" in bram
    assert "Stuurgroep Fietsroutes vergadert ook op donderdag 26 juni 2025 om 10:00 uur." in bram
    # A meeting more than 120 days ahead is remembered, not told.
    _plan(plan_file, ("2025-06-13", "2025-06-26", *DAYS[1:], "2025-12-11"))
    far = prepare_meetings(app, date(2025, 5, 9))
    assert far.notices == [] and far.changed == [
        "stuurgroep: 0 moves, 0 cancellations and 1 new meeting day more than 120 days "
        "ahead: remembered, nobody told"
    ]


def test_the_first_run_and_a_body_gone_from_the_plan_are_said(
    migrated_url: str, tmp_path: Path, home: Path
) -> None:
    """review13 5: the first run says it only remembered; a renamed (or removed) body is said
    once, its days remembered as gone; when it comes back untold, nobody is told either."""
    plan_file = _plan(tmp_path / "plan.yaml", DAYS)
    app = answers_app(migrated_url, home, plan_file)
    first = prepare_meetings(app, FIRST_RUN)
    assert first.changed == [] and first.notes == [
        "stuurgroep: 3 meeting days remembered on its first run; changes made before it are "
        "not told"
    ]
    assert prepare_meetings(app, FIRST_RUN).notes == []
    _plan(plan_file, DAYS, body="sg")
    out = regie("meeting", "prepare", "--as-of", MOVE_DAY.isoformat(), env=cli_env(app))
    assert out.code == 0, out.err
    assert (
        "meeting sg: 3 meeting days remembered on its first run; changes made before it are "
        "not told" in out.out
    )
    assert (
        "meeting stuurgroep: no longer in the plan; its 3 meeting days still ahead are not "
        "told as cancelled" in out.out
    )
    assert "meetings: nothing due" in out.out  # said, but no change
    assert _notices(app) == [] and prepare_meetings(app, MOVE_DAY).notes == []
    _plan(plan_file, DAYS)
    again = prepare_meetings(app, date(2025, 5, 7))
    assert again.notices == [] and again.changed == [
        f"stuurgroep {day} back in the schedule, its leaving never told: nobody told"
        for day in DAYS
    ]
    assert again.notes == ["sg: no longer in the plan; its 3 meeting days still ahead are not "
                           "told as cancelled"]  # fmt: skip


def test_the_plan_is_synced_once_per_run_not_per_body(
    migrated_url: str, tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """review13 8: two bodies recorded on the first run, one sync."""
    import regie.services

    plan_file = _plan(tmp_path / "plan.yaml", DAYS)
    raad = (
        "  - id: raad\n    name: Raad\n    purpose: Advies\n    members: [GEM]\n"
        "    meetings:\n      dates: [2025-06-19]\n"
    )
    text = plan_file.read_text(encoding="utf-8").replace("\nsteps:\n", f"{raad}\nsteps:\n")
    plan_file.write_text(text, encoding="utf-8")
    app = answers_app(migrated_url, home, plan_file)
    syncs: list[object] = []
    real = regie.services.sync_store

    def counted(*args: Any, **kwargs: Any) -> Any:
        syncs.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(regie.services, "sync_store", counted)
    first = prepare_meetings(app, FIRST_RUN)
    assert len(syncs) == 1
    assert [n.split(":")[0] for n in first.notes] == ["stuurgroep", "raad"]
