"""The programme office's bounce notice is queued for the office's business day, not UTC's: at
00:30 in Amsterdam (22:30 UTC in summer) the two dates differ, and the day the notice is filed
under (the outbox's ``created_on``: audit export, the day's messages) must be the office's."""

from __future__ import annotations

import mailbox
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from regie.bootstrap import bootstrap
from regie.bounces import read_bounces
from regie.config import load_settings
from regie.cycle import deadline_check, send_reminders
from store import Repository
from tests.fakes.smtp import SmtpServer
from tests.integration.mail_setup import Clock, mail_env
from tests.integration.test_mail_bounces import DAY, GONE, dsn

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning", "ignore::DeprecationWarning")

#: Half past midnight on 1 July in Amsterdam, still 30 June in UTC; after the reminder the test
#: sends (at the senders' clock's start: a bounce older than a later good send no longer counts).
LATE = datetime(2026, 6, 30, 22, 30, tzinfo=UTC)


def test_the_bounce_notice_is_filed_under_the_office_s_date(
    tmp_path: Path, migrated_url: str, sender_clock: Clock
) -> None:
    assert sender_clock.now < LATE
    with SmtpServer() as relay:
        app = bootstrap(load_settings(mail_env(tmp_path, migrated_url, relay)))
        deadline_check(app, DAY)
        assert send_reminders(app).sent
        original = next(m for m in relay.mails() if m["To"].addresses[0].addr_spec == GONE)
    box = mailbox.Maildir(tmp_path / "Maildir")
    box.add(dsn(original))

    sender_clock.now = LATE  # Regie's clock, and with it the office's date (services.today)
    run = read_bounces(app, [tmp_path / "Maildir"])

    assert run.notices, run
    with app.session() as session:
        rows = Repository(session, app.programme_id()).outbox()
    notices = [r for r in rows if r.kind == "mail_bounce"]
    assert notices and {r.created_on for r in notices} == {date(LATE.year, 7, 1)}
