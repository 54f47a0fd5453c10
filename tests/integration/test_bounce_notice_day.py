"""The programme office's bounce notice is queued for the office's business day, not UTC's: at
00:30 in Amsterdam (22:30 UTC in summer) the two dates differ, and the day the notice is filed
under (the outbox's ``created_on``: audit export, the day's messages) must be the office's."""

from __future__ import annotations

import mailbox
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path

import pytest

import governance.clock
from regie.bootstrap import bootstrap
from regie.bounces import read_bounces
from regie.config import load_settings
from regie.cycle import deadline_check, send_reminders
from store import Repository
from tests.fakes.smtp import SmtpServer
from tests.integration.mail_setup import mail_env
from tests.integration.test_mail_bounces import DAY, GONE, dsn

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning", "ignore::DeprecationWarning")

#: Half past midnight on 1 July in Amsterdam, still 30 June in UTC; next year's, after the
#: reminder the test sends (a bounce older than a later good send no longer counts).
LATE = datetime(datetime.now(UTC).year + 1, 6, 30, 22, 30, tzinfo=UTC)


def _stop_the_clock(monkeypatch: pytest.MonkeyPatch, at: datetime) -> None:
    """Regie's clock (:func:`governance.clock.utcnow`) at ``at``, and with it the office's
    date (:func:`regie.services.today` follows it)."""

    class Frozen(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> Frozen:  # type: ignore[override]
            return cls.fromtimestamp(at.timestamp(), tz)

    monkeypatch.setattr(governance.clock, "datetime", Frozen)


def test_the_bounce_notice_is_filed_under_the_office_s_date(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with SmtpServer() as relay:
        app = bootstrap(load_settings(mail_env(tmp_path, migrated_url, relay)))
        deadline_check(app, DAY)
        assert send_reminders(app).sent
        original = next(m for m in relay.mails() if m["To"].addresses[0].addr_spec == GONE)
    box = mailbox.Maildir(tmp_path / "Maildir")
    box.add(dsn(original))

    _stop_the_clock(monkeypatch, LATE)
    run = read_bounces(app, [tmp_path / "Maildir"])

    assert run.notices, run
    with app.session() as session:
        rows = Repository(session, app.programme_id()).outbox()
    notices = [r for r in rows if r.kind == "mail_bounce"]
    assert notices and {r.created_on for r in notices} == {date(LATE.year, 7, 1)}
