"""The plan's ``programme.mail_from`` is enough for e-mail (walk30 13): REGIE_MAIL_FROM is the
default of a home with several programmes, no longer required besides it. When neither names
a sender, `regie doctor` and `regie send` say so in one line and every message stays queued.
A real SMTP server (aiosmtpd), SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

from regie.bootstrap import bootstrap
from regie.config import load_settings
from regie.cycle import deadline_check, send_reminders
from tests.cli_in_process import regie
from tests.fakes.smtp import SmtpServer
from tests.integration.mail_setup import DAY, ROOT, mail_env, outbox_rows

SENDER = "Programma MVI <mvi@inkoop.example.nl>"


def _plan(tmp_path: Path, sender: str | None) -> Path:
    text = (ROOT / "plan" / "actions.yaml").read_text(encoding="utf-8")
    plan = tmp_path / "actions.yaml"
    line = "  id: mvi-2015-2020\n"
    if sender is not None:
        text = text.replace(line, f"{line}  mail_from: '{sender}'\n", 1)
    plan.write_text(text, encoding="utf-8")
    return plan


def _channels(env: dict[str, str]) -> tuple[str, str]:
    done = regie("doctor", "--format", "json", env=env)
    found = {c["check"]: (c["status"], c["detail"]) for c in json.loads(done.out)}
    return found["channels"]


def test_the_plan_s_sender_is_enough_without_regie_mail_from(
    tmp_path: Path, migrated_url: str
) -> None:
    plan = _plan(tmp_path, SENDER)
    with SmtpServer() as relay:
        env = mail_env(tmp_path, migrated_url, relay, REGIE_PLAN=str(plan), REGIE_MAIL_FROM="")
        app = bootstrap(load_settings(env))  # no "REGIE_MAIL_FROM: not set" any more
        deadline_check(app, DAY)
        report = send_reminders(app)
        assert report.sent and not report.failed and report.stopped is None
        assert {str(m["From"]) for m in relay.mails()} == {SENDER}
        status, detail = _channels(env)
        assert status == "ok", detail
        assert f"from {SENDER}" in detail


def test_without_any_sender_doctor_and_send_say_so_in_one_line(
    tmp_path: Path, migrated_url: str
) -> None:
    plan = _plan(tmp_path, None)
    with SmtpServer() as relay:
        env = mail_env(tmp_path, migrated_url, relay, REGIE_PLAN=str(plan), REGIE_MAIL_FROM="")
        status, detail = _channels(env)
        assert status == "fail"
        assert detail == (
            "REGIE_MAIL_FROM: not set, and the plan sets no programme.mail_from: e-mail has no "
            "sender (set either)"
        )
        app = bootstrap(load_settings(env))
        deadline_check(app, DAY)
        queued = {k for k, r in outbox_rows(app).items() if r.status == "pending"}
        assert queued
        sent = regie("send", env=env)
        assert sent.code != 0
        assert (
            sent.err.strip()
            .splitlines()[-1]
            .endswith("the plan sets no programme.mail_from: e-mail has no sender (set either)")
        ), sent.err
        assert relay.mails() == []
        after = {k for k, r in outbox_rows(app).items() if r.status == "pending"}
        assert after == queued  # nothing claimed, nothing counted as an attempt
