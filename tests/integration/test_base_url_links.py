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

from tests.cli_in_process import regie
from tests.fakes.smtp import SmtpServer
from tests.integration.mail_setup import DAY, mail_env
from tests.integration.server import TEST_SECRET_KEY

REFUSAL_ONLY = pytest.mark.one_database(
    "a refusal before any write, from SQL this file's other PostgreSQL tests run"
)

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning", "ignore::DeprecationWarning")

REFUSED = (
    "REGIE_BASE_URL: not set, but answer links go out by email and would point at "
    "http://127.0.0.1:8000, which owners cannot open; set it to the address owners reach "
    "`regie serve` at (e.g. https://regie.example.nl), or set "
    "REGIE_BASE_URL=http://127.0.0.1:8000 on purpose for a test"
)


@pytest.mark.parametrize(
    ("notifier", "args"),
    [
        ("email", ("cycle", "--as-of", DAY.isoformat())),
        ("email", ("cycle", "--no-send", "--as-of", DAY.isoformat())),
        ("slack,email", ("round", "tick", "--as-of", DAY.isoformat())),  # e-mail: fall-back
        ("file,email", ("meeting", "prepare", "--as-of", DAY.isoformat())),
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
    assert (done.code, done.err.strip()) == (2, REFUSED), done.out
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


def test_a_slack_only_home_is_not_refused(tmp_path: Path, migrated_url: str) -> None:
    """review10b 6: Slack posts carry answer buttons, never answer links (the blocks and the
    notification text, notifications/slack_blocks.py), so a Slack-only home needs no
    REGIE_BASE_URL; its queued messages are stored with placeholders, not addresses."""
    env = mail_env(
        tmp_path, migrated_url, None,
        REGIE_SECRET_KEY=TEST_SECRET_KEY, REGIE_NOTIFIER="slack",
        REGIE_SLACK_BOT_TOKEN="xoxb-test", REGIE_SLACK_API_URL="http://127.0.0.1:9/api/",
    )  # fmt: skip
    done = regie("cycle", "--no-send", "--as-of", DAY.isoformat(), env=env)
    assert done.code == 0, done.err
    assert "REGIE_BASE_URL" not in done.err
    engine = sa.create_engine(migrated_url)
    try:
        with engine.connect() as connection:
            queued = connection.execute(sa.text("SELECT count(*) FROM outbox")).scalar_one()
    finally:
        engine.dispose()
    assert queued > 0


@REFUSAL_ONLY
@pytest.mark.prefect
@pytest.mark.usefixtures("prefect_harness")
@pytest.mark.parametrize("name", ["deadline-check", "status-round", "prepare-meeting"])
def test_the_flows_refuse_links_without_a_base_url_and_queue_nothing(
    tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """review10b 3: the deployments' runs (a worker whose environment lacks REGIE_BASE_URL)
    refuse as `regie cycle` does: the run fails, its state message the same line, nothing
    written (the database not even migrated)."""
    from flows.deadline_check import deadline_check
    from flows.prepare_meeting import prepare_meeting
    from flows.status_round import status_round

    env = mail_env(tmp_path, database_url, SmtpServer(), REGIE_SECRET_KEY=TEST_SECRET_KEY)
    env.pop("PREFECT_API_URL")  # the session's Prefect test server
    for variable, value in env.items():
        monkeypatch.setenv(variable, value)
    flow = {
        "deadline-check": deadline_check,
        "status-round": status_round,
        "prepare-meeting": prepare_meeting,
    }[name]
    state = flow(as_of=DAY.isoformat(), return_state=True)
    assert state.is_failed()
    assert REFUSED in str(state.message)
    engine = sa.create_engine(database_url)
    try:
        assert sa.inspect(engine).get_table_names() == []
    finally:
        engine.dispose()
