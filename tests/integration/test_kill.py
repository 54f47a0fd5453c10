"""Kill test: a sender subprocess is SIGKILLed at random points while draining 200 digests and
restarted until the outbox is empty.

Slack: every digest arrives exactly once (the outbox key in the post's metadata is looked up
before any repeat). E-mail: none lost; a duplicate only where the kill fell between the server
accepting DATA and the outbox commit — counted, and carrying the same Message-ID.

Kills happen inside the fake servers at a random message: before Slack stores the post, or after
it (the answer never reaches the sender), and after the SMTP server recorded a mail but before it
answered. Four kills per channel: the fifth claim is the last attempt an outbox row gets.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from regie.bootstrap import bootstrap
from regie.config import load_settings
from regie.services import sync
from store import OutboxRecord, Repository, make_engine
from tests.fakes.slack_api import POST, FakeSlack
from tests.fakes.smtp import Received, SmtpServer

pytestmark = [
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore::UserWarning", "ignore::DeprecationWarning"),
]

ROOT = Path(__file__).resolve().parents[2]
DIGESTS = 200
KILLS = 4


@dataclass
class Killer:
    """Kills the running sender when its ``target``-th message of this run comes in."""

    seed: int
    proc: subprocess.Popen[bytes] | None = None
    seen: int = 0
    target: int = 0
    mode: str = ""  # before | after
    kills: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.random = random.Random(self.seed)

    def arm(self, proc: subprocess.Popen[bytes], remaining: int, modes: tuple[str, ...]) -> None:
        with self.lock:
            self.proc, self.seen = proc, 0
            armed = len(self.kills) < KILLS and remaining > 1
            self.target = self.random.randint(1, remaining) if armed else 0
            self.mode = self.random.choice(modes)

    def tick(self, when: str) -> bool:
        """Called by the fake server before (``before``) and after (``after``) it records;
        True when it killed the sender just now."""
        with self.lock:
            if when == "before":
                self.seen += 1
            if self.proc is None or self.seen != self.target or when != self.mode:
                return False
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
            self.kills.append(self.mode)
            self.target = 0
            return True


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "REGIE_HOME": str(tmp_path / "home"),
        "REGIE_DATABASE_URL": f"sqlite:///{tmp_path / 'regie.db'}",
        "REGIE_PLAN": str(ROOT / "tests" / "fixtures" / "plans" / "minimal.yaml"),
        **extra,
    }


def _queue(env: dict[str, str], make: Callable[[int], dict[str, Any]]) -> list[str]:
    app = bootstrap(load_settings(env))
    sync(app, None)
    messages = [
        OutboxRecord(
            key=f"reminder:c{n:03d}:2015-10-01:digest",
            kind="reminder_digest",
            recipient=f"c{n:03d}",
            recipient_name=f"Contact {n}",
            subject="[MVI test] Verzoek om update: 1 punt",
            body_text=f"Beste Contact {n},\n\n- 1.1.1 Inventarisatie\n",
            payload={"programme": "MVI test", "items": []},
            created_on=date(2015, 10, 1),
            **make(n),
        )
        for n in range(DIGESTS)
    ]
    with app.session() as session, session.begin():
        return Repository(session, app.programme_id()).enqueue(messages)


def _drain(env: dict[str, str], killer: Killer, modes: tuple[str, ...]) -> int:
    """Run senders until nothing is left; returns how many runs it took."""
    engine = make_engine(env["REGIE_DATABASE_URL"])
    runs = 0
    try:
        while True:
            with engine.begin() as conn:
                left = conn.scalar(
                    sa.text("SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')")
                )
            if not left:
                break
            runs += 1
            assert runs <= 3 * KILLS, "the outbox does not drain"
            proc = subprocess.Popen(
                [sys.executable, "-m", "regie.cli", "send"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            killer.arm(proc, int(left), modes)
            _, err = proc.communicate(timeout=600)
            if proc.returncode != -signal.SIGKILL:
                assert proc.returncode == 0, err.decode()
            else:
                # What a sender left 'sending' is claimable again once the claim is stale
                # (15 minutes): make it so now instead of waiting.
                with engine.begin() as conn:
                    conn.execute(
                        sa.text("UPDATE outbox SET claimed_at = :t WHERE status = 'sending'"),
                        {"t": (datetime.now(UTC) - timedelta(hours=1)).replace(tzinfo=None)},
                    )
        with engine.begin() as conn:
            statuses = dict(
                conn.execute(sa.text("SELECT status, count(*) FROM outbox GROUP BY status")).all()
            )
        assert statuses == {"sent": DIGESTS}
    finally:
        engine.dispose()
    return runs


def test_slack_every_digest_exactly_once_across_kills(tmp_path: Path) -> None:
    users = {f"c{n:03d}@example.org": f"U{n:04d}" for n in range(DIGESTS)}
    killer = Killer(seed=int(os.environ.get("REGIE_KILL_SEED", "9")))
    with FakeSlack(users=users) as slack:
        stored = FakeSlack._post

        def post(fake: FakeSlack, args: dict[str, Any]) -> dict[str, Any]:
            if killer.tick("before"):
                return {"ok": False, "error": "fatal_error"}  # nobody is listening any more
            answer = stored(fake, args)
            killer.tick("after")
            return answer

        slack.route(POST, post)
        env = _env(
            tmp_path,
            REGIE_NOTIFIER="slack",
            REGIE_SLACK_BOT_TOKEN=slack.token,
            REGIE_SLACK_API_URL=slack.base_url,
            REGIE_SLACK_RATE="1000",
        )
        keys = _queue(env, lambda n: {"slack": f"U{n:04d}"})
        runs = _drain(env, killer, ("before", "after"))
        posted = Counter(slack.keys_posted())
    assert len(killer.kills) == KILLS and runs >= KILLS + 1
    assert sorted(posted) == sorted(keys)
    assert set(posted.values()) == {1}, "a digest was posted twice"


def test_email_none_lost_duplicates_only_after_data_with_the_same_message_id(
    tmp_path: Path,
) -> None:
    killer = Killer(seed=int(os.environ.get("REGIE_KILL_SEED", "9")))

    def after_data(received: Received) -> None:
        killer.tick("before")
        killer.tick("after")

    with SmtpServer(on_data=after_data) as smtp:
        env = _env(
            tmp_path,
            REGIE_NOTIFIER="email",
            REGIE_SMTP_HOST="127.0.0.1",
            REGIE_SMTP_PORT=str(smtp.port),
            REGIE_SMTP_SECURITY="none",
            REGIE_MAIL_FROM="Regie <regie@example.nl>",
        )
        keys = _queue(env, lambda n: {"email": f"c{n:03d}@example.org"})
        _drain(env, killer, ("after",))
        mails = smtp.mails()
    assert len(killer.kills) == KILLS
    by_key: dict[str, list[str]] = {}
    for mail in mails:
        by_key.setdefault(str(mail["X-Regie-Key"]), []).append(str(mail["Message-ID"]))
    assert sorted(by_key) == sorted(keys)  # none lost
    duplicates = {k: ids for k, ids in by_key.items() if len(ids) > 1}
    # Each kill after DATA leaves exactly one mail the server has but the outbox does not know.
    assert len(duplicates) == killer.kills.count("after")
    assert all(len(ids) == 2 and len(set(ids)) == 1 for ids in duplicates.values())
    print(f"e-mail: {len(mails)} mails for {len(keys)} keys, {len(duplicates)} duplicates")
