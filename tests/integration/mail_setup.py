"""The set-up the mail tests share (bounces, refusals): Regie's e-mail channel pointed at a real
SMTP server (:class:`tests.fakes.smtp.SmtpServer`), the seed plan with the outage tests'
contacts, the senders' clock, the outbox as rows.

tests/conftest.py registers this module as a plugin, so a test asks for ``sender_clock``; a
module with its own ``clock`` fixture keeps it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
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


#: Where the senders' clock starts: a fixed instant (a test must not depend on today's date),
#: years after :data:`DAY` as a real run's now would be, at an hour when the office's date is
#: UTC's.
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class Clock:
    """The senders' clock: ``now``, moved on by hand (:func:`sender_clock`)."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start


@pytest.fixture
def sender_clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """The senders' clock, moved on by the test: Regie's one clock (``governance.clock``'s
    ``datetime.now``, so :func:`~governance.clock.utcnow` however imported, a repository's
    default clock too) reads it, and a `regie` command the test runs (:mod:`tests.cli`) starts
    on it."""
    import governance.clock
    import tests.cli

    fake = Clock()
    monkeypatch.setattr(tests.cli, "clock", lambda: fake.now)

    class Moved(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> Moved:  # type: ignore[override]
            return cls.fromtimestamp(fake.now.timestamp(), tz)

    monkeypatch.setattr(governance.clock, "datetime", Moved)
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
