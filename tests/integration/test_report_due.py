"""A reporting obligation (`reports:`) in use (review newprog, finding 7): the progress report
states whom it is for, and the programme office is reminded, once, before the report falls due
(`regie cycle`; a dry run queues nothing; none once the report is archived or marked gereed).
Two programmes: the MVI plan (Tweede Kamer, every two years, action 4.4) and the Flemish
Circulair Bouwen plan (a yearly report to the Vlaams Parlement)."""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from governance.clock import utcnow
from regie.bootstrap import App, bootstrap
from regie.config import load_settings
from regie.cycle import deadline_check, send_reminders
from regie.reports import archived_report, reproduce, voortgang_formats
from store import Repository
from store.records import OutboxRecord
from tests.cli_in_process import regie
from tests.integration.migrated_template import shared_templates
from tests.integration.reports_scenario import cli_env, migrated_app

RULE_ONLY = pytest.mark.one_database(
    "the reminder's rule, from SQL this file's other PostgreSQL tests run"
)

FLEMISH = Path(__file__).resolve().parent.parent / "fixtures" / "plans" / "circulair_bouwen_be.yaml"

YEARLY = """
reports:
  - id: jaarverslag
    title: Jaarlijkse voortgangsrapportage Circulair Bouwen
    recipient: Vlaams Parlement
    cadence: jaarlijks
"""
SECOND = """  - id: raad
    title: Rapportage aan de Raad
    recipient: SERV
    cadence: halfjaarlijks
"""
KEY = "report-due:jaarverslag:2025-12-31:secretariaat"


def flemish_app(tmp_path: Path, database_url: str, reports: str | None = YEARLY) -> App:
    """The Circulair Bouwen plan with ``reports`` and reminders 5 working days ahead."""
    text = FLEMISH.read_text(encoding="utf-8")
    text = text.replace(
        "  second_prompt_days: 1\n", "  second_prompt_days: 1\n  report_lead_days: 5\n"
    )
    home = tmp_path / "home"
    home.mkdir()
    plan = home / "plan.yaml"
    plan.write_text(text + (reports or ""), encoding="utf-8")
    env = {"REGIE_HOME": str(home), "REGIE_PLAN": str(plan), "REGIE_DATABASE_URL": database_url}
    shared_templates().fill_if_empty(database_url)  # empty: a copy of the migrated template
    return bootstrap(load_settings(env))


def report_rows(app: App) -> list[tuple[str, str, str, str, str, str]]:
    with app.engine.connect() as conn:
        return [
            (r.key, r.kind, r.recipient, r.status, r.subject, r.body_text)
            for r in conn.execute(
                sa.text(
                    "SELECT key, kind, recipient, status, subject, body_text FROM outbox "
                    "WHERE kind = 'report_due' ORDER BY id"
                )
            )
        ]


def due_keys(keys: list[str]) -> list[str]:
    return [k for k in keys if k.startswith("report-due:")]


def outbox_state(app: App) -> tuple[str, str | None]:
    """The reminder's outbox status and last error."""
    with app.engine.connect() as conn:
        status, error = conn.execute(
            sa.text("SELECT status, last_error FROM outbox WHERE key = :k"), {"k": KEY}
        ).one()
    return status, error


def cancelled(archive_id: int | None) -> str:
    """The reason a reminder is suppressed once its report is archived as ``archive_id``."""
    return f"cancelled: report jaarverslag 2025-01-01 – 2025-12-31 archived ({archive_id})"


def claim(app: App) -> OutboxRecord:
    """A sender claims the reminder (pending -> sending), as at the start of a delivery."""
    with app.session() as s, s.begin():
        [row] = Repository(s, app.programme_id()).claim_outbox(
            limit=None, now=utcnow(), keys=[KEY], max_attempts=5
        )
    return row


def fail(app: App, claimed: OutboxRecord) -> None:
    """The claimed delivery fails: a retry is scheduled."""
    with app.session() as s, s.begin():
        Repository(s, app.programme_id()).mark_failed(
            KEY, error="timeout", now=utcnow(), claim_token=claimed.claim_token, max_attempts=5
        )


def retry_due(app: App) -> None:
    """Move the reminder's next attempt into the past, so the next send tries it."""
    with app.engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE outbox SET next_attempt_at = :t WHERE key = :k"),
            {"k": KEY, "t": utcnow() - timedelta(hours=1)},
        )


# --- the report states whom it is for ---------------------------------------------------------


def test_the_progress_report_names_the_recipient_of_its_obligation(
    tmp_path: Path, database_url: str
) -> None:
    app = migrated_app(tmp_path / "home", database_url)  # the MVI plan: to the Tweede Kamer
    start, end, as_of = date(2015, 1, 1), date(2016, 12, 31), date(2017, 1, 16)
    md, html = voortgang_formats(
        app, start, end, as_of, ("md", "html"), report_id="voortgangsrapportage"
    )
    assert "\nAan: Tweede Kamer\n" in md.content.decode()
    assert '<p class="meta recipient">Aan: Tweede Kamer</p>' in html.content.decode()
    assert md.parameters["recipient"] == "Tweede Kamer"
    # The plan's only obligation when the report names none; reproduced byte for byte.
    (again,) = voortgang_formats(app, start, end, as_of, ("md",))
    assert "Aan: Tweede Kamer" in again.content.decode()
    assert again.archive_id is not None and reproduce(app, again.archive_id).matches
    assert archived_report(app, again.archive_id).parameters["recipient"] == "Tweede Kamer"


@RULE_ONLY
def test_a_second_programme_reports_to_its_own_recipient(tmp_path: Path, database_url: str) -> None:
    from docx import Document
    from pypdf import PdfReader

    app = flemish_app(tmp_path, database_url)
    start, end, as_of = date(2025, 1, 1), date(2025, 12, 31), date(2026, 1, 5)
    md, pdf = voortgang_formats(app, start, end, as_of, ("md", "pdf"), report_id="jaarverslag")
    text = md.content.decode()
    assert "Aan: Vlaams Parlement" in text and "Kamer" not in text
    pages = PdfReader(io.BytesIO(pdf.content)).pages
    assert "Aan: Vlaams Parlement" in " ".join(" ".join(p.extract_text() for p in pages).split())
    (docx,) = voortgang_formats(app, start, end, as_of, ("docx",), report_id="jaarverslag")
    paragraphs = [p.text for p in Document(io.BytesIO(docx.content)).paragraphs]
    assert "Aan: Vlaams Parlement" in paragraphs


@RULE_ONLY
def test_a_plan_without_obligations_gets_a_report_without_recipient(
    tmp_path: Path, database_url: str
) -> None:
    app = flemish_app(tmp_path, database_url, reports=None)
    start, end, as_of = date(2025, 1, 1), date(2025, 12, 31), date(2026, 1, 5)
    (md,) = voortgang_formats(app, start, end, as_of, ("md",))
    text = md.content.decode()
    assert "Aan:" not in text and "# Voortgangsrapportage Actieplan Circulair Bouwen" in text
    assert "Periode 1 januari 2025 tot en met 31 december 2025" in text
    assert "recipient" not in md.parameters
    assert due_keys(deadline_check(app, date(2025, 12, 22)).queued) == []


@RULE_ONLY
def test_a_plan_with_several_obligations(tmp_path: Path, database_url: str) -> None:
    start, end, as_of = date(2025, 1, 1), date(2025, 12, 31), date(2026, 1, 5)
    several = flemish_app(tmp_path, database_url, reports=YEARLY + SECOND)
    (unnamed,) = voortgang_formats(several, start, end, as_of, ("md",), archive=False)
    assert "Aan:" not in unnamed.content.decode()  # which one is not known: none named
    (named,) = voortgang_formats(several, start, end, as_of, ("md",), report_id="raad")
    assert "Aan: SERV" in named.content.decode()


# --- the office is reminded before the report falls due --------------------------------------


def test_the_cycle_reminds_the_office_once_before_the_yearly_report_falls_due(
    tmp_path: Path, database_url: str
) -> None:
    app = flemish_app(tmp_path, database_url)
    # 31 December 2025; 5 working days before (26 December is a day off): from the 22nd.
    assert due_keys(deadline_check(app, date(2025, 12, 19)).queued) == []
    dry = deadline_check(app, date(2025, 12, 22), dry_run=True)
    assert due_keys(dry.queued) == [KEY] and report_rows(app) == []  # said, not queued
    assert due_keys(deadline_check(app, date(2025, 12, 22)).queued) == [KEY]
    ((key, kind, recipient, status, subject, body),) = report_rows(app)
    assert (key, kind, recipient, status) == (KEY, "report_due", "secretariaat", "pending")
    assert "Vlaams Parlement" in subject and "31 december 2025" in subject
    assert "Aan: Vlaams Parlement" in body
    assert "Periode: 1 januari 2025 tot en met 31 december 2025" in body
    assert "regie report voortgang --report jaarverslag" in body
    # Once: not again the same day, the next days, or up to the due date.
    for day in (date(2025, 12, 22), date(2025, 12, 23), date(2025, 12, 31)):
        assert due_keys(deadline_check(app, day).queued) == []
    assert len(report_rows(app)) == 1
    sent = send_reminders(app)
    assert KEY in sent.sent
    mails = list(app.settings.outbox_dir.glob("*.eml"))
    assert any("Vlaams Parlement" in m.read_text(encoding="utf-8") for m in mails)


@RULE_ONLY
def test_no_reminder_once_the_report_for_the_period_is_archived(
    tmp_path: Path, database_url: str
) -> None:
    app = flemish_app(tmp_path, database_url)
    assert due_keys(deadline_check(app, date(2025, 12, 22), dry_run=True).queued) == [KEY]
    voortgang_formats(
        app, date(2025, 1, 1), date(2025, 12, 31), date(2025, 12, 19), ("md",),
        report_id="jaarverslag",
    )  # fmt: skip
    assert due_keys(deadline_check(app, date(2025, 12, 22)).queued) == []
    assert report_rows(app) == []


def test_a_reminder_queued_is_cancelled_when_the_report_is_archived(
    tmp_path: Path, database_url: str
) -> None:
    app = flemish_app(tmp_path, database_url)
    assert due_keys(deadline_check(app, date(2025, 12, 22)).queued) == [KEY]
    # A report over another period leaves the reminder alone.
    voortgang_formats(
        app, date(2024, 1, 1), date(2024, 12, 31), date(2025, 12, 22), ("md",),
        report_id="jaarverslag",
    )  # fmt: skip
    assert [r[3] for r in report_rows(app)] == ["pending"]
    [made] = voortgang_formats(
        app, date(2025, 1, 1), date(2025, 12, 31), date(2025, 12, 22), ("md",),
        report_id="jaarverslag",
    )  # fmt: skip
    # Cancelled with the archive, visibly: the row stays, suppressed, with the reason.
    assert outbox_state(app) == ("suppressed", cancelled(made.archive_id))
    assert KEY not in send_reminders(app).sent
    assert [r[3] for r in report_rows(app)] == ["suppressed"]  # still, after the send
    listed = regie("outbox", "--status", "suppressed", env=cli_env(app))
    assert listed.code == 0 and "cancelled: report jaarverslag" in listed.out, listed.err


def test_the_office_channel_is_reminded_too_and_cancelled_with_the_archive(
    tmp_path: Path, database_url: str
) -> None:
    from regie.config import SlackSettings

    app = flemish_app(tmp_path, database_url)
    slack = SlackSettings(token="xoxb-test", office_channel="#programmabureau")
    app.settings = replace(app.settings, slack=slack, notifiers=("file", "slack"))
    channel_key = "report-due:jaarverslag:2025-12-31:office-channel"
    assert due_keys(deadline_check(app, date(2025, 12, 22)).queued) == [KEY, channel_key]
    with app.engine.connect() as conn:
        row = conn.execute(
            sa.text("SELECT slack, email, payload FROM outbox WHERE key = :k"), {"k": channel_key}
        ).one()
    payload = row.payload if isinstance(row.payload, dict) else json.loads(row.payload)
    assert row.slack == "#programmabureau" and row.email is None
    assert payload["to_channel"] is True and payload["report"]["id"] == "jaarverslag"
    # Once: not again the next day.
    assert due_keys(deadline_check(app, date(2025, 12, 23)).queued) == []
    voortgang_formats(
        app, date(2025, 1, 1), date(2025, 12, 31), date(2025, 12, 22), ("md",),
        report_id="jaarverslag",
    )  # fmt: skip
    assert [r[3] for r in report_rows(app)] == ["suppressed", "suppressed"]


@RULE_ONLY
def test_the_mvi_report_is_due_with_action_4_4_and_not_once_it_is_marked_gereed(
    tmp_path: Path, database_url: str
) -> None:
    app = migrated_app(tmp_path / "a", database_url)
    check = deadline_check(app, date(2017, 3, 17))  # 10 working days before 31 March 2017
    assert due_keys(check.queued) == ["report-due:voortgangsrapportage:2017-03-31:programmabureau"]
    ((*_, subject, body),) = report_rows(app)
    assert "Tweede Kamer" in subject and "uiterlijk 31 maart 2017" in subject
    assert "Periode: 1 januari 2015 tot en met 31 december 2016" in body
    assert "- 4.4 Tweejaarlijkse voortgangsrapportage aan de Kamer" in body
    assert "Gereed: Q4-2016/Q1-2017" in body


def test_a_reminder_queued_is_not_sent_once_the_action_is_marked_gereed(
    tmp_path: Path, database_url: str
) -> None:
    app = migrated_app(tmp_path / "c", database_url)
    mvi_key = "report-due:voortgangsrapportage:2017-03-31:programmabureau"
    assert mvi_key in deadline_check(app, date(2017, 3, 17)).queued
    _mark(app, "4.4", "done", date(2017, 3, 17))
    assert mvi_key in send_reminders(app).skipped
    ((*_, status, _subject, _body),) = report_rows(app)
    assert status == "suppressed"


def _mark(app: App, item: str, status: str, on: date) -> None:
    from governance.answers import OFFICE, AnswerInput
    from regie.answers import check_answer, store_answers

    plan = app.load_plan()
    done = on if status == "done" else None
    who = replace(OFFICE, name="t")
    update = check_answer(plan, AnswerInput(item, status, None, done, None), who, on)
    store_answers(app, plan, [update], sync=True)


@pytest.mark.parametrize("status", [pytest.param("done", marks=RULE_ONLY), "cancelled"])
def test_no_reminder_once_the_action_is_marked_gereed(
    tmp_path: Path, database_url: str, status: str
) -> None:
    app = migrated_app(tmp_path / "b", database_url)
    mvi_key = "report-due:voortgangsrapportage:2017-03-31:programmabureau"
    assert due_keys(deadline_check(app, date(2017, 3, 17), dry_run=True).queued) == [mvi_key]
    _mark(app, "4.4", status, date(2017, 3, 10))
    assert due_keys(deadline_check(app, date(2017, 3, 17)).queued) == []


def test_the_report_help_is_programme_neutral() -> None:
    result = regie("report", "voortgang", "--help")
    assert result.code == 0
    text = " ".join(result.out.split())
    assert "Kamer" not in text.replace("Tweede Kamer", "")
    assert "recipient" in text


def test_the_office_channel_reminder_is_posted_in_the_channel(
    tmp_path: Path, database_url: str
) -> None:
    from regie.config import SlackSettings
    from tests.fakes.slack_api import FakeSlack

    app = flemish_app(tmp_path, database_url)
    with FakeSlack() as fake:
        fake.channels.add("COFFICE")
        slack = SlackSettings(token=fake.token, api_url=fake.base_url, office_channel="COFFICE")
        app.settings = replace(app.settings, slack=slack, notifiers=("slack", "file"))
        deadline_check(app, date(2025, 12, 22))
        sent = send_reminders(app)
        assert "report-due:jaarverslag:2025-12-31:office-channel" in sent.sent
        [post] = [p for p in fake.posts() if p["channel"] == "COFFICE"]
    assert "Jaarlijkse voortgangsrapportage Circulair Bouwen" in str(post)
    assert "Vlaams Parlement" in str(post)


def test_a_reminder_being_sent_while_its_report_is_archived_does_not_go_out_later(
    tmp_path: Path, database_url: str
) -> None:
    """Review mailrep, finding 3: the archive cancels only unsent rows; one claimed by a
    sender at that moment, whose delivery then fails, is checked again before its retry."""
    app = flemish_app(tmp_path, database_url)
    deadline_check(app, date(2025, 12, 22))
    row = claim(app)  # a sender has claimed it (pending -> sending) ...
    [made] = voortgang_formats(  # ... when the office archives the report ...
        app, date(2025, 1, 1), date(2025, 12, 31), date(2025, 12, 22), ("md",),
        report_id="jaarverslag",
    )  # fmt: skip
    assert [r[3] for r in report_rows(app)] == ["sending"]
    fail(app, row)  # ... and its delivery fails: retried later
    retry_due(app)
    sent = send_reminders(app)
    assert KEY not in sent.sent and KEY in sent.skipped
    assert outbox_state(app) == ("suppressed", cancelled(made.archive_id))
    listed = regie("outbox", "--status", "suppressed", env=cli_env(app))
    assert listed.code == 0 and "cancelled: report jaarverslag" in listed.out, listed.err


def old_shape(app: App) -> object:
    """Take ``sole`` out of the reminder's payload, as it was queued before stop 33; return
    what it said."""
    from store.models import OutboxRow

    o = OutboxRow.__table__
    with app.engine.begin() as conn:
        payload = dict(conn.execute(sa.select(o.c.payload).where(o.c.key == KEY)).scalar_one())
        said = payload.pop("sole")
        conn.execute(sa.update(o).where(o.c.key == KEY).values(payload=payload))
    return said


def test_a_reminder_queued_before_the_send_time_check_is_checked_too(
    tmp_path: Path, database_url: str
) -> None:
    """A reminder queued before stop 33 has no ``sole`` in its payload (whether its obligation
    is the plan's only one): a report archived naming no obligation is still its report when
    the plan has only this one, so it is suppressed, not sent on the retry."""
    app = flemish_app(tmp_path, database_url)
    deadline_check(app, date(2025, 12, 22))
    assert old_shape(app) is True  # the payload as it was written before stop 33
    row = claim(app)  # a sender has claimed it ...
    assert "sole" not in row.payload
    [made] = voortgang_formats(  # ... when the report is archived, naming no obligation ...
        app, date(2025, 1, 1), date(2025, 12, 31), date(2025, 12, 22), ("md",)
    )
    fail(app, row)  # ... and its delivery fails: retried later
    retry_due(app)
    sent = send_reminders(app)
    assert KEY not in sent.sent and KEY in sent.skipped
    assert outbox_state(app) == ("suppressed", cancelled(made.archive_id))


@RULE_ONLY
def test_an_old_reminder_is_not_cancelled_by_a_report_of_another_obligation(
    tmp_path: Path, database_url: str
) -> None:
    """With two obligations, a report archived naming none is neither's: the old reminder
    still goes out."""
    app = flemish_app(tmp_path, database_url, YEARLY + SECOND)
    deadline_check(app, date(2025, 12, 22))
    assert old_shape(app) is False
    voortgang_formats(app, date(2025, 1, 1), date(2025, 12, 31), date(2025, 12, 22), ("md",))
    retry_due(app)
    assert KEY in send_reminders(app).sent


def test_the_programme_s_end_cuts_its_last_period_short_and_nothing_comes_after(
    tmp_path: Path, database_url: str
) -> None:
    """The plan schema's ``programme.end`` is the programme's last day: a yearly obligation's
    period that it cuts runs to it (reminded, reported), and no period follows."""
    app = flemish_app(tmp_path, database_url)
    plan = app.settings.plan_path
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("  end: 2028-12-31\n", "  end: 2025-06-30\n"), encoding="utf-8")
    app = bootstrap(load_settings(cli_env(app)))
    cut = "report-due:jaarverslag:2025-06-30:secretariaat"
    # 30 June 2025, the programme's last day; 5 working days before: from the 23rd.
    assert due_keys(deadline_check(app, date(2025, 6, 20)).queued) == []
    assert due_keys(deadline_check(app, date(2025, 6, 23)).queued) == [cut]
    [(_, _, _, _, subject, body)] = report_rows(app)
    assert "30 juni 2025" in subject
    assert "Periode: 1 januari 2025 tot en met 30 juni 2025" in body
    # No period after the end: nothing where 31 December 2025 would have been due.
    for day in (date(2025, 12, 22), date(2025, 12, 31), date(2026, 12, 1)):
        assert due_keys(deadline_check(app, day).queued) == []
    assert len(report_rows(app)) == 1

    # The report covers the programme up to its end; approved, none comes after it.
    env = cli_env(app)
    # The stuurgroep meets once more after the end, to approve the last report.
    assert regie("meeting", "add", "stuurgroep", "2025-07-10", env=env).code == 0
    approved = regie(
        "decision", "add", "--body", "stuurgroep", "--meeting", "2025-07-10", "--text",
        "Jaarverslag vastgesteld", "--approves-report", "jaarverslag:2025-01-01/2025-06-30",
        "--before-archive", env=env,
    )  # fmt: skip
    assert approved.code == 0, approved.err
    made = regie("report", "voortgang", "--as-of", "2025-07-14", "-f", "md", env=env)
    assert made.code == 0, made.err
    assert "period 2025-01-01 – 2025-06-30" in made.err and "Vastgesteld" in made.out
    after = regie("report", "voortgang", "--as-of", "2026-07-06", "-f", "md", env=env)
    assert after.code == 2 and "Traceback" not in after.err
    [line] = after.err.strip().splitlines()
    assert "the programme ended on 2025-06-30" in line and "no later period" in line


def test_the_command_the_reminder_names_makes_the_report_over_the_period_it_names(
    tmp_path: Path, database_url: str
) -> None:
    """A programme that started a year before its first yearly report is archived: without a
    period `regie report voortgang` would cover both years (a first report made late covers
    every whole period since the start). The reminder names 2025, and the command it gives
    makes exactly that report (walk55d 5)."""
    import shlex

    app = flemish_app(tmp_path, database_url)
    plan = app.settings.plan_path
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("  start: 2025-01-01\n", "  start: 2024-01-01\n", 1), "utf-8")
    assert app.load_plan().programme.start == date(2024, 1, 1)
    assert due_keys(deadline_check(app, date(2025, 12, 22)).queued) == [KEY]
    ((*_, body),) = report_rows(app)
    assert "Periode: 1 januari 2025 tot en met 31 december 2025" in body
    (command,) = re.findall(r'Met "(regie report voortgang [^"]*)"', body)
    out = tmp_path / "rapport.md"
    args = [*shlex.split(command)[1:], "--as-of", "2026-01-05", "--format", "md", "--out", str(out)]
    made = regie(*args, env=cli_env(app))
    assert made.code == 0, made.err
    report = out.read_text(encoding="utf-8")
    assert "Periode 1 januari 2025 tot en met 31 december 2025" in report, report[:600]
    # The HTML mail names the same command.
    with app.engine.connect() as conn:
        html = conn.execute(sa.text("SELECT body_html FROM outbox WHERE key = :k"), {"k": KEY})
        assert f"<code>{command}</code>" in html.scalar_one()
