"""Delivery throughput (issue #9 §6): Slack against the fake Web API at a workspace limit, and
e-mail to a real SMTP server (aiosmtpd), both through the real send loop and a SQLite outbox.

Usage, from the repository root::

    .venv/bin/python -m benchmarks.delivery [--digests 500] [--rate 20] [--faults 0.10]
        [--slack-runs 1] [--email-runs 3] [--only slack|email]

Slack: ``--digests`` digests to as many contacts, the fake answering 429 + Retry-After above
``--rate`` posts per second and failing ``--faults`` of the posts at random (HTTP 500, a dropped
connection, or a dropped answer after the post was stored); Regie paced at the same rate
(``REGIE_SLACK_RATE``). The bound is digests / rate seconds; the target ≤ 1.2 × that, with 0
lost and 0 duplicated.

E-mail: ``--digests`` mails, one SMTP connection for the batch (``batch``) against one connection
per mail (``per-mail``), the two sides alternating run by run; messages per second.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks import machine

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "tests" / "fixtures" / "plans" / "minimal.yaml"


DATABASE_URL: str | None = None  # --database-url: a PostgreSQL server (a fresh database each run)


@contextmanager
def _database(tmp: str) -> Iterator[str]:
    if DATABASE_URL is None:
        yield f"sqlite:///{tmp}/regie.db"
        return
    import uuid

    import sqlalchemy as sa

    from store import upgrade

    name = f"regie_bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(DATABASE_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.make_url(DATABASE_URL).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def _app(env: dict[str, str], make: Callable[[int], dict[str, Any]], digests: int) -> Iterator[Any]:
    from regie.bootstrap import bootstrap
    from regie.config import load_settings
    from regie.services import sync
    from store import OutboxRecord, Repository

    with tempfile.TemporaryDirectory(prefix="regie-bench-") as tmp, _database(tmp) as url:
        env = {
            "REGIE_HOME": tmp,
            "REGIE_DATABASE_URL": url,
            "REGIE_PLAN": str(PLAN),
            **env,
        }
        app = bootstrap(load_settings(env))
        sync(app, None)
        item = {
            "id": "1.1.1",
            "stage": "first@2015-09-30",
            "state": "overdue",
            "title": "Inventarisatie",
            "gereed": "Q3-2015",
            "due": "2015-09-30",
            "days_overdue": 3,
            "owners": ["RIVM"],
        }
        with app.session() as session, session.begin():
            Repository(session, app.programme_id()).enqueue(
                OutboxRecord(
                    key=f"reminder:c{n:04d}:2015-10-01:digest",
                    kind="reminder_digest",
                    recipient=f"c{n:04d}",
                    recipient_name=f"Contact {n}",
                    subject="[MVI test] Verzoek om update: 1 punt",
                    body_text=f"Beste Contact {n},\n\n- 1.1.1 Inventarisatie\n" * 5,
                    body_html=f"<p>Beste Contact {n},</p><table><tr><td>1.1.1</td></tr></table>",
                    payload={"programme": "MVI test", "items": [item]},
                    created_on=date(2015, 10, 1),
                    **make(n),
                )
                for n in range(digests)
            )
        yield app


@dataclass
class SlackRun:
    seconds: float
    cpu: float  # the sender's CPU seconds (user + system)
    fake_cpu: float  # the fake Slack's, which shares the machine
    lost: int
    duplicated: int
    attempts: int
    outcomes: Counter[str]


def slack_run(
    digests: int, rate: float, faults: float, seed: int, side: str = "send loop"
) -> SlackRun:
    """The fake runs in its own process, as Slack would: it does not share our interpreter.

    ``side``: "send loop" (claim, post, mark sent in the database: what ``regie send`` does) or
    "notifier" (the Slack notifier alone, no database: where the time goes)."""
    import json
    import subprocess
    import sys
    import urllib.request

    from regie.cycle import send_reminders

    fake = subprocess.Popen(
        [
            *(sys.executable, "-m", "tests.fakes.slack_api", "--users", str(digests)),
            *("--rate", f"{rate:g}", "--fault-rate", f"{faults:g}", "--seed", str(seed)),
        ],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert fake.stdout is not None
        base_url = fake.stdout.readline().strip()
        env = {
            "REGIE_NOTIFIER": "slack",
            "REGIE_SLACK_BOT_TOKEN": "xoxb-fake-token",
            "REGIE_SLACK_API_URL": base_url,
            "REGIE_SLACK_RATE": f"{rate:g}",
        }
        with _app(env, lambda n: {"slack": f"U{n:05d}"}, digests) as app:
            messages = _messages(app) if side == "notifier" else []
            notifier = app.channel("slack") if side == "notifier" else None
            start = time.perf_counter()
            cpu = time.process_time()
            if notifier is not None:
                failed = []
                for message in messages:
                    try:
                        notifier.send(message)
                    except Exception as exc:
                        failed.append((message.key, str(exc)))
            else:
                failed = send_reminders(app).failed
            seconds = time.perf_counter() - start
            cpu = time.process_time() - cpu
        root = base_url.removesuffix("api/")
        with urllib.request.urlopen(f"{root}_fake/report") as answer:
            posted = json.load(answer)
        fake_cpu = _cpu_of(fake.pid)
    finally:
        if fake.stdin is not None:
            fake.stdin.close()
        fake.wait(timeout=30)
    keys = Counter(posted["keys"])
    expected = {f"reminder:c{n:04d}:2015-10-01:digest" for n in range(digests)}
    assert not failed, failed[:3]
    return SlackRun(
        seconds,
        cpu,
        fake_cpu,
        lost=len(expected - set(keys)),
        duplicated=sum(c - 1 for c in keys.values()),
        attempts=len(posted["outcomes"]),
        outcomes=Counter(posted["outcomes"]),
    )


def _messages(app: Any) -> list[Any]:
    from notifications import Message
    from store import Repository

    with app.session() as session:
        rows = Repository(session, app.programme_id()).outbox()
    return [
        Message(
            key=r.key,
            kind=r.kind,
            recipient=r.recipient,
            recipient_name=r.recipient_name,
            subject=r.subject,
            text=r.body_text,
            email=r.email,
            slack=r.slack,
            html=r.body_html,
            metadata=dict(r.payload),
        )
        for r in rows
    ]


def _cpu_of(pid: int) -> float:
    """User + system CPU seconds of a running process (Linux /proc)."""
    import os

    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class _PerMail:
    """The e-mail notifier without its batch: a connection per message."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.channel = inner.channel

    def send(self, message: Any) -> Any:
        return self.inner.send(message)


def email_run(digests: int, side: str) -> tuple[float, int, float]:
    from regie.cycle import send_reminders
    from tests.fakes.smtp import SmtpServer

    with SmtpServer() as smtp:
        env = {
            "REGIE_NOTIFIER": "email",
            "REGIE_SMTP_HOST": "127.0.0.1",
            "REGIE_SMTP_PORT": str(smtp.port),
            "REGIE_SMTP_SECURITY": "none",
            "REGIE_MAIL_FROM": "Regie <regie@example.nl>",
        }
        with _app(env, lambda n: {"email": f"c{n:04d}@example.org"}, digests) as app:
            if side == "per-mail":
                inner = app.notifier
                app.notifier = lambda plan=None: _PerMail(inner(plan))  # type: ignore[method-assign]
            start = time.perf_counter()
            cpu = time.process_time()
            report = send_reminders(app)
            seconds = time.perf_counter() - start
            cpu = time.process_time() - cpu  # includes the in-process SMTP server
        received = len(smtp.received)
        sessions = smtp.sessions
    assert not report.failed and received == digests, (report.failed[:3], received)
    return seconds, sessions, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--digests", type=int, default=500)
    parser.add_argument("--rate", type=float, default=20.0)
    parser.add_argument("--faults", type=float, default=0.10)
    parser.add_argument("--slack-runs", type=int, default=1)
    parser.add_argument("--email-runs", type=int, default=3)
    parser.add_argument("--only", choices=("slack", "email"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", help="PostgreSQL server URL (default: SQLite)")
    args = parser.parse_args()
    global DATABASE_URL
    DATABASE_URL = args.database_url
    for line in machine.describe():
        print(line)
    print(f"database:   {'PostgreSQL' if DATABASE_URL else 'SQLite (file)'}")
    if args.only in (None, "slack"):
        bound = args.digests / args.rate
        print(
            f"\nSlack: {args.digests} digests, workspace limit {args.rate:g}/s, "
            f"{args.faults:.0%} injected failures; "
            f"bound {bound:.1f} s, target ≤ {1.2 * bound:.1f} s"
        )
        for run in range(args.slack_runs):
            sides = ("send loop", "notifier") if run % 2 == 0 else ("notifier", "send loop")
            for side in sides:
                r = slack_run(args.digests, args.rate, args.faults, args.seed + run, side)
                met = r.seconds <= 1.2 * bound and not (r.lost or r.duplicated)
                verdict = "met" if met else "MISSED"
                outcomes = ", ".join(f"{k} {v}" for k, v in sorted(r.outcomes.items()))
                print(
                    f"  run {run + 1} {side:9}: {r.seconds:.1f} s = "
                    f"{r.seconds / bound:.2f} × bound ({verdict}); "
                    f"lost {r.lost}, duplicated {r.duplicated}; "
                    f"{r.attempts} posts tried ({outcomes}); CPU sender {r.cpu:.1f} s, "
                    f"fake Slack {r.fake_cpu:.1f} s"
                )
    if args.only in (None, "email"):
        print(f"\nE-mail: {args.digests} mails to aiosmtpd, sides alternating")
        times: dict[str, list[float]] = {"batch": [], "per-mail": []}
        for run in range(args.email_runs):
            for side in ("batch", "per-mail") if run % 2 == 0 else ("per-mail", "batch"):
                seconds, sessions, cpu = email_run(args.digests, side)
                times[side].append(seconds)
                print(
                    f"  run {run + 1} {side:8}: {seconds:.2f} s, "
                    f"{args.digests / seconds:.0f} mails/s, {sessions} SMTP connection(s), "
                    f"CPU {cpu:.1f} s (sender + server)"
                )
        for side, values in times.items():
            median = statistics.median(values)
            print(f"  median {side:8}: {median:.2f} s = {args.digests / median:.0f} mails/s")


if __name__ == "__main__":
    main()
