"""Issue #12 §5: a 10,000-item programme — feed generation, 304s per second, overview time.

Usage, from the repository root::

    .venv/bin/python -m benchmarks.feeds_web [--milestones 10000] [--updates 50000]
        [--runs 5] [--seconds 5] [--connections 32] [--as-of 2019-10-01] [--rebuild]

(1) feed generation: ``regie.feeds.build_feed`` for the whole programme and for one
    organisation, the plan in memory (as the server holds it), the store on SQLite; the first
    run also records every item in ``feed_entries`` and is reported apart. "After a new status
    update": one update is recorded (untimed) before each timed build, on a working copy of the
    cached database (var/bench/feeds-work.db, copied at start).
(2) conditional GETs: `regie serve`'s app under uvicorn in a child process on loopback; an
    asyncio client on ``--connections`` keep-alive connections sends ``If-None-Match`` with the
    current ETag for ``--seconds`` and counts the 304s. Client and server share the 2 cores.
(3) the overview page's server time: ``GET /`` through the ASGI app in process (Starlette's
    TestClient, logged in), unfiltered and filtered, with the assessment memo warm and cold
    (cold: what a request pays when it arrives before ``regie serve``'s background warmer has
    assessed a change); the overdue list's first page and a filtered later page.

Every figure prints CPU seconds of this process (process_time) next to wall time, and the load
average; the 304 rounds print the server child's CPU (/proc) and the client's.

Targets: (1) ≤ 0.3 s, (2) ≥ 5,000/s, (3) ≤ 0.5 s. Results: benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import multiprocessing
import os
import shutil
import socket
import statistics
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from benchmarks.database import cache_key, prepare
from benchmarks.machine import describe
from benchmarks.synthetic import build_plan, generate_updates
from governance.plan import Plan

TOKEN = "benchmark-token-0123456789abcdef"
NOW = datetime(2019, 10, 1, 8, 0, tzinfo=UTC)
SECRET = "benchmark-secret-key-0123456789-abcdefgh"


def make_app(url: str, plan: Plan, plan_path: Path) -> Any:
    """A Regie App on the benchmark database whose plan cache already holds ``plan``."""
    from regie import plan_cache
    from regie.bootstrap import bootstrap
    from regie.config import load_settings

    plan_path.parent.mkdir(parents=True, exist_ok=True)
    if not plan_path.exists():  # its stat is the plan's version: written once, never touched
        plan_path.write_text("# stands in for the synthetic plan (held in memory)\n")
    app = bootstrap(
        load_settings(
            {"REGIE_DATABASE_URL": url, "REGIE_PLAN": str(plan_path), "REGIE_HOME": "var/bench",
             "REGIE_SECRET_KEY": SECRET, "REGIE_TIMEZONE": "Europe/Amsterdam"}
        )
    )  # fmt: skip
    app._programme_id = plan.programme.id
    plan_cache._cache[str(plan_path)] = (plan_cache.plan_version(app), plan)
    return app


_cpu: list[float] = []  # CPU seconds of the last timed() call's runs


def timed(fn: Any, runs: int, setup: Any = None) -> list[float]:
    out = []
    _cpu.clear()
    for _ in range(runs):
        if setup is not None:  # not timed
            setup()
        started, cpu = time.perf_counter(), time.process_time()
        fn()
        out.append(time.perf_counter() - started)
        _cpu.append(time.process_time() - cpu)
    return out


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def figures(label: str, samples: list[float], target: float | None = None) -> str:
    best, median = min(samples), statistics.median(samples)
    verdict = (
        ""
        if target is None
        else ("  meets" if median <= target else "  MISSES") + (f" ≤ {target} s")
    )
    cpu = statistics.median(_cpu) if len(_cpu) == len(samples) else float("nan")
    return (f"{label:<48} best {best:.3f} s  median {median:.3f} s (CPU {cpu:.3f} s){verdict}"
            f"  load {_load()}")  # fmt: skip


def feed_generation(app: Any, plan: Plan, as_of: date, runs: int) -> None:
    from feeds import ics
    from feeds.scope import Scope
    from regie import plan_cache
    from regie.feeds import build_feed

    whole = Scope("programme")
    first = timed(lambda: build_feed(app, plan, whole, as_of), 1)[0]
    feed = build_feed(app, plan, whole, as_of)
    events = feed.body.count(b"BEGIN:VEVENT")
    print(f"first build (records {events:,} feed entries)          {first:.3f} s")
    org = Scope("org", plan.organisations[0].id)
    org_events = build_feed(app, plan, org, as_of).body.count(b"BEGIN:VEVENT")

    def new_update() -> None:  # an owner's answer arrives (untimed); the next build pays for it
        record_answer(app, plan, as_of)

    def nothing_cached() -> None:
        plan_cache.clear_facts()
        ics._chunks.clear()
        build_feed(app, plan, whole, as_of)

    programme = lambda: build_feed(app, plan, whole, as_of)  # noqa: E731
    sides: list[tuple[str, Any, float | None, Any]] = [
        (f"(1) programme feed, {events:,} events, {len(feed.body):,} B", programme, 0.3, None),
        (f"(1) one organisation's feed, {org_events:,} events",
         lambda: build_feed(app, plan, org, as_of), 0.3, None),
        ("(1) programme feed after a new status update", programme, 0.3, new_update),
        ("(1) programme feed, nothing cached", nothing_cached, None, None),
    ]  # fmt: skip
    samples: dict[str, list[float]] = {label: [] for label, _, _, _ in sides}
    cpu: dict[str, list[float]] = {label: [] for label, _, _, _ in sides}
    for _ in range(runs):  # alternate the sides: load changes hit them alike
        for label, fn, _, setup in sides:
            samples[label] += timed(fn, 1, setup)
            cpu[label] += _cpu
    for label, _, target, _ in sides:
        _cpu[:] = cpu[label]
        print(figures(label, samples[label], target))


def _serve(url: str, plan: Plan, plan_path: Path, port: int) -> None:
    import uvicorn

    from web.app import create_app

    app = make_app(url, plan, plan_path)
    uvicorn.run(create_app(app), host="127.0.0.1", port=port, log_level="warning",
                http="httptools", access_log=False, server_header=False)  # fmt: skip


class _Client(asyncio.Protocol):
    """One keep-alive connection: send the conditional GET, wait for the whole answer, repeat.
    A raw protocol, not streams or httpx: the client shares the two cores with the server."""

    def __init__(self, request: bytes, deadline: float, counts: dict[str, int]) -> None:
        self.request, self.deadline, self.counts = request, deadline, counts
        self.buffer = b""
        self.done: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport
        transport.write(self.request)  # type: ignore[attr-defined]

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buffer[:end]
            length = 0
            if not head.startswith(b"HTTP/1.1 304"):
                length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                               if line.lower().startswith(b"content-length")), 0)  # fmt: skip
            if len(self.buffer) < end + 4 + length:
                return
            self.buffer = self.buffer[end + 4 + length :]
            self.counts["304" if length == 0 and head.startswith(b"HTTP/1.1 304") else "other"] += 1
            if time.perf_counter() >= self.deadline:
                self.transport.close()
                return
            self.transport.write(self.request)  # type: ignore[attr-defined]

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.done.done():
            self.done.set_result(None)


async def _hammer(port: int, etag: str, seconds: float, connections: int) -> tuple[int, int]:
    request = (
        f"GET /calendar/{TOKEN}.ics HTTP/1.1\r\nHost: 127.0.0.1\r\nIf-None-Match: {etag}\r\n\r\n"
    ).encode()
    deadline = time.perf_counter() + seconds
    counts = {"304": 0, "other": 0}
    loop = asyncio.get_running_loop()
    clients = []
    for _ in range(connections):
        _, client = await loop.create_connection(
            lambda: _Client(request, deadline, counts), "127.0.0.1", port
        )
        clients.append(client)
    await asyncio.gather(*(c.done for c in clients))
    return counts["304"], counts["other"]


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def conditional_gets(url: str, plan: Plan, plan_path: Path, args: argparse.Namespace) -> None:
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    child = multiprocessing.get_context("fork").Process(
        target=_serve, args=(url, plan, plan_path, port), daemon=True
    )
    child.start()
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        started = time.perf_counter()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/calendar/{TOKEN}.ics") as response:
            etag = response.headers["etag"]
            size = len(response.read())
        print(f"first GET (builds the feed, {size:,} B)                 "
              f"{time.perf_counter() - started:.3f} s")  # fmt: skip
        assert child.pid is not None
        for round_ in range(1, args.rounds + 1):
            server_cpu, client_cpu = _cpu_seconds(child.pid), time.process_time()
            got, other = asyncio.run(_hammer(port, etag, args.seconds, args.connections))
            server_cpu = _cpu_seconds(child.pid) - server_cpu
            client_cpu = time.process_time() - client_cpu
            rate = got / args.seconds
            verdict = "meets" if rate >= 5000 else "MISSES"
            print(f"(2) round {round_}: {got:,} × 304 in {args.seconds:.0f} s = {rate:,.0f}/s"
                  f" ({other} other)  {verdict} ≥ 5,000/s; CPU server {server_cpu:.2f} s,"
                  f" client {client_cpu:.2f} s = {got / max(server_cpu, 1e-9):,.0f} per"
                  f" server CPU second; load {_load()}")  # fmt: skip
    finally:
        child.terminate()
        child.join(10)


def overview_time(app: Any, runs: int) -> None:
    from starlette.testclient import TestClient

    from regie import plan_cache
    from regie.errors import InvalidInput
    from regie.users import add_user, log_in
    from web.app import create_app
    from web.security import session_cookie_name

    with contextlib.suppress(InvalidInput):  # already there from an earlier run
        add_user(app, "feeds-timer", "benchmark password", None, NOW)
    token = log_in(app, "feeds-timer", "benchmark password", datetime.now(UTC))
    assert token
    client = TestClient(create_app(app), cookies={session_cookie_name(app): token})

    def get(path: str) -> None:
        response = client.get(path)
        assert response.status_code == 200, response.status_code

    get("/")
    size = len(client.get("/").content)
    print(figures(f"(3) GET / all items, warm ({size:,} B)", timed(lambda: get("/"), runs), 0.5))

    def cold() -> None:
        plan_cache.clear_facts()
        get("/")

    print(figures("(3) GET / all items, cold (assesses; no warmer)", timed(cold, runs), 0.5))
    plan = plan_cache.current_plan(app)[0]
    print(figures("(3) GET / all items after a new status update (no warmer)",
                  timed(lambda: get("/"), runs, lambda: record_answer(app, plan, NOW.date())),
                  0.5))  # fmt: skip
    owner = app_plan_owner(app)
    print(figures(f"(3) GET /?eigenaar={owner}, warm", timed(lambda: get(f"/?eigenaar={owner}"),
                                                                runs), 0.5))  # fmt: skip
    print(figures("(3) GET /te-laat (page 1, counts per step), warm",
                  timed(lambda: get("/te-laat"), runs), 0.5))  # fmt: skip
    print(figures("(3) GET /te-laat?stap=2&pagina=2, warm",
                  timed(lambda: get("/te-laat?stap=2&pagina=2"), runs), 0.5))  # fmt: skip


_answers = [0]


def record_answer(app: Any, plan: Plan, as_of: date) -> None:
    """One new status update (at risk, with a note) for the next item in a fixed stride."""
    from governance.updates import StatusUpdate, UpdateStatus
    from store.repository import Repository

    ids = [d.item_id for d in plan.deadlines()]
    _answers[0] += 1
    n = _answers[0]
    update = StatusUpdate(ids[n * 7919 % len(ids)], UpdateStatus.AT_RISK, as_of, None, None,
                          f"benchmark {n}", recorded_at=datetime.now(UTC))  # fmt: skip
    with app.session() as session, session.begin():
        Repository(session, plan.programme.id).add_status_update(update)


def app_plan_owner(app: Any) -> str:
    from regie.plan_cache import current_plan

    return str(current_plan(app)[0].organisations[0].id)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.feeds_web", description=__doc__)
    parser.add_argument("--milestones", type=int, default=10_000)
    parser.add_argument("--updates", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--as-of", default="2019-10-01")
    parser.add_argument("--seed", type=int, default=2015)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    as_of = date.fromisoformat(args.as_of)

    for line in describe():
        print(line)
    plan = build_plan(args.milestones, args.seed)
    items = len(plan.deadlines())
    key = "feeds-" + cache_key(args.milestones, args.updates, args.seed)
    db = prepare("sqlite", plan, lambda: generate_updates(plan, args.updates), key,
                 rebuild=args.rebuild)  # fmt: skip
    print(f"programme: {items:,} items, {args.updates:,} status updates, as of {as_of}; "
          f"SQLite {'built' if db.built else 'cached'}")  # fmt: skip
    # A working copy: the runs add status updates, the cached database stays as built.
    work = Path("var/bench/feeds-work.db").resolve()
    shutil.copyfile(db.url.removeprefix("sqlite:///"), work)
    db.url = f"sqlite:///{work}"
    plan_path = Path("var/bench/feeds-plan.yaml").resolve()
    app = make_app(db.url, plan, plan_path)
    _ensure_token(app, plan)
    feed_generation(app, plan, as_of, args.runs)
    conditional_gets(db.url, plan, plan_path, args)
    overview_time(app, args.runs)


def _ensure_token(app: Any, plan: Plan) -> None:
    from regie.feeds import token_hash
    from store import feeds as store

    with app.session() as session, session.begin():
        if store.lookup_token(session, plan.programme.id, token_hash(TOKEN)) is None:
            store.add_token(session, plan.programme.id, token_hash(TOKEN), "programme",
                            "benchmark", NOW)  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
