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


@contextmanager
def _app(env: dict[str, str], make: Callable[[int], dict[str, Any]], digests: int) -> Iterator[Any]:
    from regie.bootstrap import bootstrap
    from regie.config import load_settings
    from regie.services import sync
    from store import OutboxRecord, Repository

    with tempfile.TemporaryDirectory(prefix="regie-bench-") as tmp:
        env = {
            "REGIE_HOME": tmp,
            "REGIE_DATABASE_URL": f"sqlite:///{tmp}/regie.db",
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
    lost: int
    duplicated: int
    attempts: int
    outcomes: Counter[str]


def slack_run(digests: int, rate: float, faults: float, seed: int) -> SlackRun:
    from regie.cycle import send_reminders
    from tests.fakes.slack_api import POST, FakeSlack

    users = {f"c{n:04d}@example.org": f"U{n:05d}" for n in range(digests)}
    with FakeSlack(users=users, rate=rate, fault_rate=faults, seed=seed) as slack:
        env = {
            "REGIE_NOTIFIER": "slack",
            "REGIE_SLACK_BOT_TOKEN": slack.token,
            "REGIE_SLACK_API_URL": slack.base_url,
            "REGIE_SLACK_RATE": f"{rate:g}",
        }
        with _app(env, lambda n: {"slack": f"U{n:05d}"}, digests) as app:
            start = time.perf_counter()
            report = send_reminders(app)
            seconds = time.perf_counter() - start
        posted = Counter(slack.keys_posted())
        calls = slack.calls_to(POST)
    expected = {f"reminder:c{n:04d}:2015-10-01:digest" for n in range(digests)}
    assert not report.failed, report.failed[:3]
    return SlackRun(
        seconds,
        lost=len(expected - set(posted)),
        duplicated=sum(c - 1 for c in posted.values()),
        attempts=len(calls),
        outcomes=Counter(c.outcome for c in calls),
    )


class _PerMail:
    """The e-mail notifier without its batch: a connection per message."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.channel = inner.channel

    def send(self, message: Any) -> Any:
        return self.inner.send(message)


def email_run(digests: int, side: str) -> tuple[float, int]:
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
            report = send_reminders(app)
            seconds = time.perf_counter() - start
        received = len(smtp.received)
        sessions = smtp.sessions
    assert not report.failed and received == digests, (report.failed[:3], received)
    return seconds, sessions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--digests", type=int, default=500)
    parser.add_argument("--rate", type=float, default=20.0)
    parser.add_argument("--faults", type=float, default=0.10)
    parser.add_argument("--slack-runs", type=int, default=1)
    parser.add_argument("--email-runs", type=int, default=3)
    parser.add_argument("--only", choices=("slack", "email"))
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    for line in machine.describe():
        print(line)
    if args.only in (None, "slack"):
        bound = args.digests / args.rate
        print(
            f"\nSlack: {args.digests} digests, workspace limit {args.rate:g}/s, "
            f"{args.faults:.0%} injected failures; "
            f"bound {bound:.1f} s, target ≤ {1.2 * bound:.1f} s"
        )
        for run in range(args.slack_runs):
            r = slack_run(args.digests, args.rate, args.faults, args.seed + run)
            verdict = (
                "met" if r.seconds <= 1.2 * bound and not (r.lost or r.duplicated) else "MISSED"
            )
            outcomes = ", ".join(f"{k} {v}" for k, v in sorted(r.outcomes.items()))
            print(
                f"  run {run + 1}: {r.seconds:.1f} s = {r.seconds / bound:.2f} × bound "
                f"({verdict}); "
                f"lost {r.lost}, duplicated {r.duplicated}; {r.attempts} posts tried ({outcomes})"
            )
    if args.only in (None, "email"):
        print(f"\nE-mail: {args.digests} mails to aiosmtpd, sides alternating")
        times: dict[str, list[float]] = {"batch": [], "per-mail": []}
        for run in range(args.email_runs):
            for side in ("batch", "per-mail") if run % 2 == 0 else ("per-mail", "batch"):
                seconds, sessions = email_run(args.digests, side)
                times[side].append(seconds)
                print(
                    f"  run {run + 1} {side:8}: {seconds:.2f} s, "
                    f"{args.digests / seconds:.0f} mails/s, {sessions} SMTP connection(s)"
                )
        for side, values in times.items():
            median = statistics.median(values)
            print(f"  median {side:8}: {median:.2f} s = {args.digests / median:.0f} mails/s")


if __name__ == "__main__":
    main()
