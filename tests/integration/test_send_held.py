"""Messages a sender claimed and never finished (it was killed mid-batch: walk58d 3) are held as
`sending` until 15 minutes after the claim. `regie send` used to say `0 sent, 0 failed` and
`regie doctor` ok, naming none of them: now both say which are held and when a send takes them
again; once that time has passed each goes out exactly once. Real SMTP server (aiosmtpd)."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from regie.bootstrap import bootstrap
from regie.config import load_settings
from regie.cycle import deadline_check
from store import Repository
from tests.cli_in_process import regie
from tests.fakes.smtp import SmtpServer
from tests.integration.mail_setup import DAY, Clock, mail_env, outbox_rows

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning", "ignore::DeprecationWarning")


def _outbox_line(out: str) -> str:
    [line] = [line for line in out.splitlines() if " outbox: " in line]
    return line


def test_messages_held_by_a_sender_that_stopped_are_named_with_when_they_go_again(
    tmp_path: Path, migrated_url: str, sender_clock: Clock
) -> None:
    with SmtpServer() as server:
        env = mail_env(tmp_path, migrated_url, server)
        app = bootstrap(load_settings(env))
        queued = deadline_check(app, DAY).queued
        assert len(queued) >= 2
        # A sender claims the lot (09:00 UTC, 10:00 in the office's zone) and is killed.
        with app.session() as session, session.begin():
            Repository(session, app.programme_id()).claim_outbox(now=sender_clock.now)
        assert {r.status for r in outbox_rows(app).values()} == {"sending"}

        sender_clock.now += timedelta(minutes=2)
        sent = regie("send", env=env)
        assert sent.code == 0, sent.out + sent.err
        assert "email: 0 sent, 0 failed" in sent.out
        assert (
            f"held as `sending` by another sender (at work, or stopped before it finished): "
            f"{len(queued)} messages, {queued[0]}" in sent.out
        )
        assert "taken again by a send from 2026-03-02 10:15:00 +01:00 if still unsent" in sent.out
        doctor = _outbox_line(regie("doctor", env=env).out)
        assert doctor.startswith("ok")
        assert (
            f"{len(queued)} messages being sent since 2026-03-02 10:00:00 +01:00 "
            "(if their sender stopped: taken again from 2026-03-02 10:15:00 +01:00)" in doctor
        )

        sender_clock.now += timedelta(minutes=14)  # no send has run since the claim expired
        doctor = _outbox_line(regie("doctor", env=env).out)
        assert doctor.startswith("warning"), doctor
        assert (
            f"{len(queued)} messages held as `sending` since 2026-03-02 10:00:00 +01:00" in doctor
        )
        assert "the next `regie send` takes them again" in doctor

        again = regie("send", env=env)
        assert again.code == 0, again.out + again.err
        assert f"email: {len(queued)} sent, 0 failed" in again.out
        assert "held as" not in again.out
        assert Counter(m["X-Regie-Key"] for m in server.mails()) == Counter(queued)
        assert _outbox_line(regie("doctor", env=env).out).startswith("ok")
