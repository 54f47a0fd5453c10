"""The set-up the mail tests share (bounces, refusals): Regie's e-mail channel pointed at a real
SMTP server (:class:`tests.fakes.smtp.SmtpServer`), the seed plan with the outage tests'
contacts, the senders' clock, the outbox as rows.

tests/conftest.py registers this module as a plugin, so a test asks for ``sender_clock``; a
module with its own ``clock`` fixture keeps it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from regie.bootstrap import App
from store import Repository
from store.records import OutboxRecord
from tests.fakes.smtp import SmtpServer

ROOT = Path(__file__).resolve().parents[2]
#: The seed programme's sender (``REGIE_MAIL_FROM``).
FROM = "Programmabureau MVI <regie@mvi.example.nl>"
#: The day the mail tests run the cycle on (a Thursday; reminders fall due then).
DAY = date(2015, 10, 15)
#: The outage tests' contacts: each owner of the seed plan by e-mail, the office among them.
CONTACTS = """\
contacts:
  - id: office
    name: Programmabureau
    organisation: IenM
    email: pmo@example.nl
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
  - id: pianoo
    name: P. Ianoo
    organisation: PIANOo
    email: pianoo@example.nl
  - id: telos
    name: T. Elos
    organisation: Telos
    email: telos@example.nl
  - id: ez
    name: E. Z.
    organisation: EZ
    email: ez@example.nl
"""


class Clock:
    """The senders' clock (governance.clock.utcnow), moved on by hand."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def sender_clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """The senders' clock (governance.clock.utcnow), moved on by the test."""
    import governance.clock

    fake = Clock()
    monkeypatch.setattr(governance.clock, "utcnow", fake)
    return fake


def mail_env(
    tmp_path: Path, url: str, relay: SmtpServer | None = None, **extra: str
) -> dict[str, str]:
    """The environment of a Regie home on database ``url`` that mails through ``relay`` (no
    SMTP port without one: Slack-only tests), with ``tmp_path/contacts.yaml`` as the contact
    list (the outage tests' contacts unless the test wrote its own first); ``extra`` wins."""
    contacts = tmp_path / "contacts.yaml"
    if not contacts.exists():
        contacts.write_text(CONTACTS, encoding="utf-8")
    return {
        "REGIE_HOME": str(tmp_path / "home"),
        "REGIE_DATABASE_URL": url,
        "REGIE_PLAN": str(ROOT / "plan" / "actions.yaml"),
        "REGIE_CONTACTS": str(contacts),
        "REGIE_NOTIFIER": "email",
        "REGIE_SMTP_HOST": "127.0.0.1",
        **({"REGIE_SMTP_PORT": str(relay.port)} if relay is not None else {}),
        "REGIE_SMTP_SECURITY": "none",
        "REGIE_MAIL_FROM": FROM,
        "REGIE_BASE_URL": "",
        "PREFECT_API_URL": "",
        **extra,
    }


def outbox_rows(app: App) -> dict[str, OutboxRecord]:
    """The programme's outbox by key."""
    with app.session() as session:
        return {r.key: r for r in Repository(session, app.programme_id()).outbox()}
