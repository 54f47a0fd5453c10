"""walk31 1: answer links for e-mail or Slack need REGIE_BASE_URL. Without it every link in
the owners' messages pointed at http://127.0.0.1:8000, exit 0, not a word; the commands that
queue such links now refuse in one line (exit 2) before anything is written. A local address
set on purpose (a test) still works, and a message queued with the local default gets the
address set when it is sent (the URL is stored with the message). A real SMTP server
(aiosmtpd), a real database (SQLite, PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.cli import regie
from tests.fakes.smtp import SmtpServer
from tests.integration.mail_setup import DAY, mail_env
from tests.integration.server import TEST_SECRET_KEY

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning", "ignore::DeprecationWarning")

REFUSED = (
    "REGIE_BASE_URL: not set, but answer links go out by {channels} and would point at "
    "http://127.0.0.1:8000, which owners cannot open; set it to the address owners reach "
    "`regie serve` at (e.g. https://regie.example.nl), or set "
    "REGIE_BASE_URL=http://127.0.0.1:8000 on purpose for a test"
)


@pytest.mark.parametrize(
    ("notifier", "args"),
    [
        ("email", ("cycle", "--as-of", DAY.isoformat())),
        ("email", ("cycle", "--no-send", "--as-of", DAY.isoformat())),
        ("slack,email", ("round", "tick", "--as-of", DAY.isoformat())),
        ("slack", ("meeting", "prepare", "--as-of", DAY.isoformat())),
    ],
)
def test_links_for_people_without_a_base_url_are_refused_before_anything_is_written(
    tmp_path: Path, database_url: str, notifier: str, args: tuple[str, ...]
) -> None:
    env = mail_env(
        tmp_path, database_url, SmtpServer(),  # never started: nothing may be sent
        REGIE_SECRET_KEY=TEST_SECRET_KEY, REGIE_NOTIFIER=notifier,
        REGIE_SLACK_BOT_TOKEN="xoxb-test", REGIE_SLACK_API_URL="http://127.0.0.1:9/api/",
    )  # fmt: skip
    done = regie(*args, env=env)
    channels = " and ".join(notifier.split(","))
    assert (done.code, done.err.strip()) == (2, REFUSED.format(channels=channels)), done.out
    assert not Path(env["REGIE_HOME"]).exists()  # no home, no outbox, no lock file
    engine = sa.create_engine(database_url)
    try:
        assert sa.inspect(engine).get_table_names() == []  # not even migrated
    finally:
        engine.dispose()


def test_a_dry_run_or_a_home_without_a_key_is_not_refused(
    tmp_path: Path, migrated_url: str
) -> None:
    """Nothing is queued in a dry run; without REGIE_SECRET_KEY no links are made."""
    env = mail_env(tmp_path, migrated_url, SmtpServer(), REGIE_SECRET_KEY=TEST_SECRET_KEY)
    dry = regie("cycle", "--dry-run", "--as-of", DAY.isoformat(), env=env)
    assert dry.code == 0, dry.err
    without = regie("cycle", "--no-send", "--as-of", DAY.isoformat(),
                    env={**env, "REGIE_SECRET_KEY": ""})  # fmt: skip
    assert without.code == 0, without.err
    assert "answer links: off (REGIE_SECRET_KEY is not set)" in without.out


def test_a_local_address_set_on_purpose_works_and_one_set_later_reaches_queued_messages(
    tmp_path: Path, migrated_url: str
) -> None:
    """Queued with the local default (set on purpose here; an older release without it), sent
    after REGIE_BASE_URL is set: the mails carry the address set now."""
    relay = SmtpServer()
    local = mail_env(
        tmp_path, migrated_url, relay,
        REGIE_SECRET_KEY=TEST_SECRET_KEY, REGIE_BASE_URL="http://127.0.0.1:8000",
    )  # fmt: skip
    cycle = regie("cycle", "--no-send", "--as-of", DAY.isoformat(), env=local)
    assert cycle.code == 0, cycle.err
    with relay:
        sent = regie("send", env={**local, "REGIE_BASE_URL": "https://regie.example.nl/"})
        assert sent.code == 0, sent.out + sent.err
        mails = relay.mails()
    assert mails
    parts = [
        str(part.get_content())
        for mail in mails
        for part in mail.walk()
        if part.get_content_maintype() == "text"
    ]
    linked = [p for p in parts if "/antwoord/" in p]
    assert linked, "the digests carry answer links"
    assert all("https://regie.example.nl/antwoord/" in p for p in linked)
    assert not any("127.0.0.1:8000" in p for p in parts)
