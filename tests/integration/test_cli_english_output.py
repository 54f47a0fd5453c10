"""The command line is English: `regie send`, `regie outbox` and `regie events` as a programme
officer runs them (in process; the fake Slack Web API, an aiosmtpd server, SQLite and
PostgreSQL). The notifiers' Dutch reasons stay as stored (`outbox --format json`'s
`last_error`) and are shown in English; a reminder's stage is said in words, its key kept for
`events --format json`."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from regie.bootstrap import bootstrap
from regie.config import load_settings
from regie.cycle import deadline_check
from tests.cli_in_process import regie
from tests.fakes.slack_api import FakeSlack
from tests.fakes.smtp import SmtpServer

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning", "ignore::DeprecationWarning")

ROOT = Path(__file__).resolve().parents[2]
CONTACTS = """\
contacts:
  - id: office
    name: Programmabureau
    organisation: IenM
    email: pmo@example.nl
    slack: U0OFFICE
    programme_office: true
  - id: pianoo
    name: P. Ianoo
    organisation: PIANOo
    email: not-in-slack@example.nl
  - id: telos
    name: T. Elos
    organisation: Telos
"""
UNREACHABLE = "telos unreachable (slack: no Slack id or e-mail address; email: no address)"
DUTCH = ("onbereikbaar", "geen ", "verstuurd via", "e-mailadres")
LATE = re.compile(r"deadline of \d{4}-\d\d-\d\d \(\d+ working days? overdue\)")


@pytest.fixture
def env(tmp_path: Path, migrated_url: str) -> Iterator[dict[str, str]]:
    contacts = tmp_path / "contacts.yaml"
    contacts.write_text(CONTACTS, encoding="utf-8")
    with (
        FakeSlack(users={"pmo@example.nl": "U0OFFICE"}, channels=set()) as slack,
        SmtpServer() as smtp,
    ):
        yield {
            "REGIE_HOME": str(tmp_path / "home"),
            "REGIE_DATABASE_URL": migrated_url,
            "REGIE_PLAN": str(ROOT / "plan" / "actions.yaml"),
            "REGIE_CONTACTS": str(contacts),
            "REGIE_NOTIFIER": "slack,email",
            "REGIE_SLACK_BOT_TOKEN": slack.token,
            "REGIE_SLACK_API_URL": slack.base_url,
            "REGIE_SLACK_RATE": "1000",
            "REGIE_SMTP_HOST": "127.0.0.1",
            "REGIE_SMTP_PORT": str(smtp.port),
            "REGIE_SMTP_SECURITY": "none",
            "REGIE_MAIL_FROM": "Programmabureau <regie@example.nl>",
            "PREFECT_API_URL": "",
        }


def test_send_outbox_and_events_speak_english(env: dict[str, str]) -> None:
    deadline_check(bootstrap(load_settings(env)), date(2015, 10, 15))

    sent = regie("send", env=env)
    assert sent.code == 1  # telos cannot be reached
    telos = [line for line in sent.err.splitlines() if ":telos:" in line]
    assert telos and all(line.endswith(f": {UNREACHABLE}") for line in telos), sent.err
    # The fallback to e-mail is a note, in English too.
    assert "slack: no Slack account for not-in-slack@example.nl — sent via email" in sent.out
    assert not any(word in sent.out + sent.err for word in DUTCH), sent.out + sent.err

    table = regie("outbox", env=env)
    assert table.code == 0, table.err
    assert "telos unreachable" in table.out
    assert not any(word in table.out for word in DUTCH), table.out
    rows = json.loads(regie("outbox", "--format", "json", env=env).out)
    failed = [r for r in rows if r["recipient"] == "telos"]
    assert failed and all(r["reason"] == UNREACHABLE for r in failed)
    assert all("onbereikbaar" in r["last_error"] for r in failed)  # as stored
    assert all(r["reason"] is None for r in rows if r["status"] == "sent")

    events = regie("events", "--since", "2015-10-15", env=env)
    assert events.code == 0, events.err
    assert "stage=" not in events.out and "@2015-" not in events.out
    assert "reminder after the deadline of 2015-" in events.out
    assert LATE.search(events.out)
    recorded = json.loads(regie("events", "--format", "json", env=env).out)
    stages = {e["payload"]["stage"] for e in recorded if e["name"] == "regie.reminder.queued"}
    assert any(s.startswith("overdue-") and "@2015-" in s for s in stages)  # keys, for scripts


def test_events_list_without_a_readable_plan(env: dict[str, str], tmp_path: Path) -> None:
    """The audit log lists while the plan file is broken: the stage in words, without the
    working days it would need the plan's calendar for."""
    deadline_check(bootstrap(load_settings(env)), date(2015, 10, 15))
    broken = tmp_path / "broken.yaml"
    broken.write_text("schema: 1\nprogramme: [\n", encoding="utf-8")
    events = regie("events", "--since", "2015-10-15", env={**env, "REGIE_PLAN": str(broken)})
    assert events.code == 0, events.err
    assert "reminder after the deadline of 2015-" in events.out
    assert not LATE.search(events.out) and "stage=" not in events.out
