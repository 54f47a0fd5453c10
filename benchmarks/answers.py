"""Answers per second through the real `regie serve` on loopback: ``POST /slack/interactivity``
(signature check + replay guard + store + event) and the e-mail form POST (link check + CSRF +
store + event + link used), on SQLite and PostgreSQL, at a given concurrency.

Usage, from the repository root::

    .venv/bin/python -m benchmarks.answers [--answers 1000] [--concurrency 100] [--rounds 2]
        [--db sqlite|postgres|both]

PostgreSQL needs ``REGIE_TEST_POSTGRES_URL`` (the server; a database ``regie_bench_answers`` is
created there and dropped afterwards). The sides alternate (SQLite, PostgreSQL, SQLite, …) so
that load drift on a shared machine hits both alike. Printed per run: answers/s, p50 and p99
latency of one request as the client saw it (queueing included), the server's CPU seconds per
answer (user + system, from /proc; wall clock on a shared machine says little alone), the
client's CPU, and the 1-minute load average at the end of the run. Target: p99 under Slack's 3 s
acknowledgement limit at 100 concurrent answers.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "tests" / "fixtures" / "plans" / "answers.yaml"
SECRET = "bench-3vQ8mZ2kR7wL9xT4pN6cH1jF5dS0aYgU"
SIGNING = "bench-signing-secret-0123456789abcdef"


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare(database_url: str, home: Path, links: int) -> list[str]:
    """Migrate, sync the plan, and make ``links`` answer links for anna on 1.1.1 (URL tokens)."""
    from dataclasses import replace

    from regie.answer_links import LinkMaker, fill_links
    from regie.bootstrap import App
    from regie.config import Settings
    from regie.services import utcnow
    from store import sync_plan, upgrade
    from store.answers import add_links

    upgrade(database_url)
    app = App(Settings(home, database_url, PLAN, "file", None))
    app.settings = replace(app.settings, secret_key=SECRET)
    plan = app.load_plan()
    maker = LinkMaker("http://bench", SECRET, plan.programme.id)
    keys = [f"bench:{i}" for i in range(links)]
    # As the sender makes them: the stored text's placeholder filled in (regie.answer_links).
    urls = [
        fill_links(maker("anna", "1.1.1", k), SECRET, plan.programme.id, k, "anna") for k in keys
    ]
    with app.session() as session, session.begin():
        sync_plan(session, plan, now=utcnow(), plan_path=str(plan.path))
        add_links(
            session, plan.programme.id, maker.made({f"bench:{i}" for i in range(links)}), utcnow()
        )
    app.engine.dispose()
    return [u.rsplit("/", 1)[1] for u in urls]


def slack_request(n: int) -> tuple[bytes, dict[str, str]]:
    from slack_sdk.signature import SignatureVerifier

    payload = {
        "type": "block_actions",
        "user": {"id": "U0ANNA"},
        "container": {"type": "message", "channel_id": "", "message_ts": f"{n}.000"},
        # "Gereed": on 1.1.1, overdue by the real clock, "Op schema" would open "Nieuwe
        # datum…" (a modal, no trigger here: 400) instead of storing an answer.
        "actions": [{"action_id": "regie_answer:done", "value": "1.1.1"}],
    }
    body = urlencode({"payload": json.dumps(payload)}).encode()
    ts = str(int(time.time()))
    sig = SignatureVerifier(SIGNING).generate_signature(timestamp=ts, body=body)
    return body, {
        "x-slack-request-timestamp": ts,
        "x-slack-signature": str(sig),
        "content-type": "application/x-www-form-urlencoded",
    }


def form_request(token: str) -> tuple[bytes, dict[str, str]]:
    from regie.answer_links import csrf_token

    form = {
        "status": "at_risk",
        "note": "bench",
        "csrf_token": csrf_token(SECRET, token.split(".")[0]),
    }
    return urlencode(form).encode(), {"content-type": "application/x-www-form-urlencoded"}


async def fire(
    url: str, requests: list[tuple[str, bytes, dict[str, str]]], concurrency: int
) -> tuple[float, list[float], dict[int | str, int]]:
    """``concurrency`` keep-alive connections, each sending its next request when the previous
    answer is in. A minimal HTTP/1.1 client on asyncio streams: httpx spent ≈ 10 ms of CPU per
    request, so on a busy machine the client's own queue made the tail (the server's wait for a
    slot stayed under 0.6 s while the client saw 10 s)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    latencies: list[float] = []
    codes: dict[int | str, int] = {}
    queue = list(reversed(requests))

    async def worker() -> None:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while queue:
                path, body, headers = queue.pop()
                head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
                message = (
                    f"POST {path} HTTP/1.1\r\nhost: {host}:{port}\r\n{head}"
                    f"content-length: {len(body)}\r\n\r\n"
                ).encode() + body
                start = time.perf_counter()
                try:
                    writer.write(message)
                    code: int | str = await read_response(reader)
                except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                    code = f"{type(exc).__name__} at {start - begin:.1f} s"
                    writer.close()
                    reader, writer = await asyncio.open_connection(host, port)
                latencies.append(time.perf_counter() - start)
                codes[code] = codes.get(code, 0) + 1
        finally:
            writer.close()

    begin = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - begin, latencies, codes


async def read_response(reader: asyncio.StreamReader) -> int:
    """Read one response (status line, headers, a content-length body); its status code."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
        elif name.strip().lower() == "transfer-encoding":
            raise ValueError("chunked responses are not expected here")
    await reader.readexactly(length)
    return status


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far (Linux /proc; 0.0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_side(name: str, database_url: str, answers: int, concurrency: int) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        tokens = prepare(database_url, home, answers)
        port = free_port()
        env = {
            **os.environ,
            "REGIE_HOME": str(home),
            "REGIE_DATABASE_URL": database_url,
            "REGIE_PLAN": str(PLAN),
            "REGIE_SECRET_KEY": SECRET,
            "REGIE_SLACK_SIGNING_SECRET": SIGNING,
            "REGIE_BASE_URL": f"http://127.0.0.1:{port}",
        }
        env.pop("PREFECT_API_URL", None)
        server = subprocess.Popen(
            [sys.executable, "-m", "regie.cli", "serve", "--port", str(port)],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    urllib.request.urlopen(url + "/healthz", timeout=1)
                    break
                except OSError:
                    time.sleep(0.1)
            lines = []
            for channel, requests in (
                ("slack", [("/slack/interactivity", *slack_request(n)) for n in range(answers)]),
                ("form", [(f"/antwoord/{t}", *form_request(t)) for t in tokens]),
            ):
                server_cpu, client_cpu = cpu_seconds(server.pid), time.process_time()
                wall, lat, codes = asyncio.run(fire(url, requests, concurrency))
                server_cpu = cpu_seconds(server.pid) - server_cpu
                client_cpu = time.process_time() - client_cpu
                lat.sort()
                p50 = statistics.median(lat)
                p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))]
                lines.append(
                    f"{name:10} {channel:6} {answers / wall:8.1f} answers/s  "
                    f"p50 {p50 * 1000:7.0f} ms  p99 {p99 * 1000:7.0f} ms  "
                    f"wall {wall:6.1f} s  server CPU {server_cpu / answers * 1000:5.1f} ms/answer  "
                    f"client CPU {client_cpu:5.1f} s  load {os.getloadavg()[0]:4.1f}  codes {codes}"
                )
                print(lines[-1], flush=True)
            return lines
        finally:
            server.terminate()
            _, err = server.communicate(timeout=20)
            if "Traceback" in err or "ERROR" in err:
                print(err[-3000:], file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--answers", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    args = parser.parse_args()
    from benchmarks.machine import describe

    pg = os.environ.get("REGIE_TEST_POSTGRES_URL")
    for line in describe(pg):
        print(line)
    sides = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    if "postgres" in sides and not pg:
        sys.exit("REGIE_TEST_POSTGRES_URL is not set: cannot measure PostgreSQL")
    for _ in range(args.rounds):
        for side in sides:
            if side == "sqlite":
                with tempfile.TemporaryDirectory() as tmp:
                    run_side("SQLite", f"sqlite:///{tmp}/bench.db", args.answers, args.concurrency)
            else:
                run_side("PostgreSQL", fresh_postgres(pg or ""), args.answers, args.concurrency)


def fresh_postgres(server: str) -> str:
    import sqlalchemy as sa

    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text('DROP DATABASE IF EXISTS "regie_bench_answers" WITH (FORCE)'))
        conn.execute(sa.text('CREATE DATABASE "regie_bench_answers"'))
    admin.dispose()
    return (
        sa.make_url(server)
        .set(database="regie_bench_answers")
        .render_as_string(hide_password=False)
    )


if __name__ == "__main__":
    main()
