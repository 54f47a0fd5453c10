"""Routing through the send loop with real parts: the fake Slack Web API, an aiosmtpd server,
a real database (SQLite and PostgreSQL), the seed plan with a separate contacts file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from regie.bootstrap import App, bootstrap
from regie.config import load_settings
from regie.cycle import deadline_check, send_reminders
from tests.cli_in_process import regie
from tests.fakes.slack_api import FakeSlack
from tests.fakes.smtp import SmtpServer
from tests.integration.mail_setup import mail_env, outbox_rows

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning", "ignore::DeprecationWarning")

CONTACTS = """\
contacts:
  - id: office
    name: Programmabureau
    organisation: IenM
    email: pmo@example.nl
    slack: U0OFFICE
    programme_office: true
  - id: ienm
    name: I. en M.
    organisation: IenM
    email: ienm@example.nl
    deputy: ez
  - id: rivm
    name: R. Ivm
    organisation: RIVM
    email: rivm@example.nl
    slack: URIVM
    channel: email
  - id: pianoo
    name: P. Ianoo
    organisation: PIANOo
    email: not-in-slack@example.nl
  - id: telos
    name: T. Elos
    organisation: Telos
  - id: ez
    name: E. Z.
    organisation: EZ
    email: ez@example.nl
"""
USERS = {"pmo@example.nl": "U0OFFICE", "ienm@example.nl": "UIENM", "rivm@example.nl": "URIVM"}
USERS["ez@example.nl"] = "UEZ"


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack(users=dict(USERS), channels={"CPMO"}) as fake:
        yield fake


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


@pytest.fixture
def env(tmp_path: Path, migrated_url: str, slack: FakeSlack, smtp: SmtpServer) -> dict[str, str]:
    (tmp_path / "contacts.yaml").write_text(CONTACTS, encoding="utf-8")  # these, not mail_env's
    return mail_env(
        tmp_path, migrated_url, smtp,
        REGIE_NOTIFIER="slack,email",
        REGIE_SLACK_BOT_TOKEN=slack.token,
        REGIE_SLACK_API_URL=slack.base_url,
        REGIE_SLACK_OFFICE_CHANNEL="CPMO",
        REGIE_SLACK_RATE="1000",
    )  # fmt: skip


def _app(env: dict[str, str]) -> App:
    return bootstrap(load_settings(env))


def test_each_message_goes_to_the_first_channel_that_reaches_its_contact(
    env: dict[str, str], slack: FakeSlack, smtp: SmtpServer
) -> None:
    app = _app(env)
    # The owners asked a week before (recorded as given, as a replay does): the overdue items
    # escalate once their owner's grace has passed.
    deadline_check(app, date(2015, 10, 8), replay=True)
    check = deadline_check(app, date(2015, 10, 15))
    assert "escalation:mvi-2015-2020:office-channel:2015-10-15" in check.queued
    assert "escalation:mvi-2015-2020:ez:2015-10-15:deputy" in check.queued
    assert check.unreachable == ["telos (slack: no Slack id or e-mail address; email: no address)"]

    report = send_reminders(app)
    assert report.channel == "slack,email"
    assert report.failed == [
        (
            "reminder:mvi-2015-2020:telos:2015-10-15:digest",
            "telos onbereikbaar (slack: geen Slack-id of e-mailadres; email: geen e-mailadres)",
        )
    ]
    by_key = outbox_rows(app)
    channel = {k: r.channel for k, r in by_key.items() if r.status == "sent"}
    # The office answers for no IenM item (ienm does): its own Slack id carries its escalations.
    assert channel["escalation:mvi-2015-2020:office:2015-10-15"] == "slack"
    assert (
        channel["reminder:mvi-2015-2020:ienm:2015-10-15:digest"] == "slack"
    )  # looked up by e-mail
    assert channel["reminder:mvi-2015-2020:rivm:2015-10-15:digest"] == "email"  # channel: email
    assert (
        channel["reminder:mvi-2015-2020:pianoo:2015-10-15:digest"] == "email"
    )  # not in Slack: fell back
    assert channel["escalation:mvi-2015-2020:office-channel:2015-10-15"] == "slack"
    assert channel["escalation:mvi-2015-2020:ez:2015-10-15:deputy"] == "slack"
    notes = dict(report.notes)
    assert (
        "geen Slack-account voor not-in-slack@example.nl"
        in notes["reminder:mvi-2015-2020:pianoo:2015-10-15:digest"]
    )
    # Slack got each of its messages once, the office channel included; e-mail the rest.
    slack_keys = sorted(k for k, c in channel.items() if c == "slack")
    assert sorted(slack.keys_posted()) == slack_keys
    assert [p["channel"] for p in slack.posts() if p["channel"] == "CPMO"] == ["CPMO"]
    mails = smtp.mails()
    assert sorted(m["X-Regie-Key"] for m in mails) == sorted(
        k for k, c in channel.items() if c == "email"
    )
    assert all(m["Auto-Submitted"] == "auto-generated" for m in mails)
    assert smtp.sessions == 1  # one SMTP connection for the whole batch
    html = mails[0].get_body(("html",))
    assert html is not None and "<table" in html.get_content()
    # Nothing left to send; a second run sends nothing again.
    again = send_reminders(app)
    assert again.sent == [] and len(slack.posts()) == len(slack_keys)


def test_invalid_auth_stops_the_batch_with_one_line(
    env: dict[str, str], slack: FakeSlack, smtp: SmtpServer
) -> None:
    env = {**env, "REGIE_NOTIFIER": "slack", "REGIE_SLACK_BOT_TOKEN": "xoxb-revoked-0000"}
    deadline_check(_app(env), date(2015, 10, 15))
    result = regie("send", env=env)
    assert result.code == 1
    lines = result.err.strip().splitlines()
    stopped = [line.strip() for line in lines if "invalid_auth" in line]
    assert stopped == [
        "sending stopped: Slack refused the bot token (invalid_auth): check REGIE_SLACK_BOT_TOKEN"
    ]
    assert "xoxb-revoked" not in result.err + result.out
    # Only the messages already in flight reached Slack (at most one per worker, 8); the others
    # were not tried and wait for a later run.
    assert 1 <= len(slack.calls) <= 8 and not slack.posts()
    # Only those tried used up an attempt (ops review, finding 1): the rest are pending, untried.
    rows = json.loads(regie("outbox", "--format", "json", env=env).out)
    assert {r["status"] for r in rows} <= {"failed", "pending"}
    failed = [r for r in rows if r["status"] == "failed"]
    assert 1 <= len(failed) <= 8 and all(r["attempts"] == 1 for r in failed)
    assert all(r["attempts"] == 0 for r in rows if r["status"] == "pending")


@pytest.mark.slow
def test_notify_test_and_outbox_name_the_unreachable(
    env: dict[str, str], slack: FakeSlack, smtp: SmtpServer
) -> None:
    ok = regie("notify", "test", "ienm", env=env)
    assert ok.code == 0, ok.err
    assert ok.out.startswith("ienm: test message sent via slack (DUIENM/")
    fallback = regie("notify", "test", "pianoo", env=env)
    assert fallback.code == 0, fallback.err
    assert "sent via email" in fallback.out and "no Slack account for" in fallback.out
    assert [m["Subject"] for m in smtp.mails()] == ["[MVI 2015–2020] Testbericht van Regie"]
    nobody = regie("notify", "test", "telos", env=env)
    assert nobody.code == 1 and nobody.err.strip() == (
        "telos: not sent: telos unreachable "
        "(slack: no Slack id or e-mail address; email: no address)"
    )
    unknown = regie("notify", "test", "pianooo", env=env)
    assert unknown.code == 2 and "did you mean 'pianoo'" in unknown.err
    # The tests went through the outbox: kept there, sent once, and a failed one is not
    # retried by a later send.
    tests = [r for r in json.loads(regie("outbox", "--format", "json", env=env).out)]
    assert sorted((r["recipient"], r["status"]) for r in tests) == [
        ("ienm", "sent"),
        ("pianoo", "sent"),
        ("telos", "dead"),
    ]
    assert all(r["key"].startswith(f"test:{r['recipient']}:") for r in tests)
    assert regie("send", env=env).code == 0
    assert len(smtp.mails()) == 1 and len(slack.posts()) == 1

    deadline_check(_app(env), date(2015, 10, 15))
    listing = regie("outbox", env=env)
    assert listing.code == 0
    assert (
        "unreachable on slack,email: telos (slack: no Slack id or e-mail address; "
        "email: no address)" in listing.out
    )
    rows = json.loads(regie("outbox", "--format", "json", env=env).out)
    why = {r["recipient"]: r["unreachable"] for r in rows if r["status"] == "pending"}
    assert why["telos"] == "slack: no Slack id or e-mail address; email: no address"
    assert why["ienm"] is None


def test_a_bad_contacts_file_is_path_line_col_and_exit_2(
    env: dict[str, str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad-contacts.yaml"
    bad.write_text("contacts:\n  - id: x\n    name: X\n    organisation: Nergens\n")
    result = regie("plan", "validate", env={**env, "REGIE_CONTACTS": str(bad)})
    assert result.code == 2
    assert result.err.strip().startswith(f"{bad}:4:19: unknown organisation 'Nergens'")


def test_bad_settings_stop_before_anything_is_done(env: dict[str, str]) -> None:
    result = regie("send", env={**env, "REGIE_SMTP_PORT": "x", "REGIE_SLACK_BOT_TOKEN": ""})
    assert result.code == 2
    assert result.err.strip().splitlines() == [
        "REGIE_SLACK_BOT_TOKEN: not set, but REGIE_NOTIFIER names slack",
        "REGIE_SMTP_PORT: 'x' is not a whole number",
    ]


def test_slack_and_email_delivery_need_no_readable_plan(
    env: dict[str, str], tmp_path: Path, smtp: SmtpServer
) -> None:
    """#7 §4 with real channels: while the plan file is broken, queued messages still go out,
    each on its contact's own channel (carried by the message, not read from the plan)."""
    check = deadline_check(_app(env), date(2015, 10, 15))
    broken = tmp_path / "broken.yaml"
    broken.write_text("schema: 1\nprogramme: [\n", encoding="utf-8")
    report = send_reminders(_app({**env, "REGIE_PLAN": str(broken)}))
    assert report.sent and set(report.sent) <= set(check.queued)
    sent = {r.key: r.channel for r in outbox_rows(_app(env)).values() if r.status == "sent"}
    assert sent["reminder:mvi-2015-2020:rivm:2015-10-15:digest"] == "email"  # channel: email
    assert sent["reminder:mvi-2015-2020:ienm:2015-10-15:digest"] == "slack"  # found by e-mail
    assert any("rivm@example.nl" in m.recipients for m in smtp.received)


def test_an_agenda_pack_to_a_member_on_slack_goes_by_e_mail(
    env: dict[str, str], slack: FakeSlack, smtp: SmtpServer, documents_made_once: None
) -> None:
    """A pack is a document (its HTML part, the Markdown body): Slack has no form for it, so
    the router hands it to e-mail, for members with a Slack id and those found by address."""
    from regie.prepare import PACK_KIND, prepare_meetings

    app = _app(env)
    queued = prepare_meetings(app, date(2016, 4, 5)).packs  # pack day of 12 April 2016
    packs = {k for k in queued if k.startswith("agenda-pack:")}
    assert any(k.endswith(":office") for k in packs) and any(k.endswith(":ienm") for k in packs)
    report = send_reminders(app)
    assert not report.failed
    rows = {k: r for k, r in outbox_rows(app).items() if r.kind == PACK_KIND}
    assert {r.status for r in rows.values()} == {"sent"}
    assert {r.channel for r in rows.values()} == {"email"}
    notes = dict(report.notes)
    office = next(k for k in packs if k.endswith(":office"))
    assert "slack: soort agenda_pack gaat niet via Slack" in notes[office]
    mailed = {m["X-Regie-Key"] for m in smtp.mails()}
    assert packs <= mailed
    assert not [k for k in slack.keys_posted() if k.startswith("agenda-pack:")]
