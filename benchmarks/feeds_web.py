"""Issue #12 §5: a 10,000-item programme — feed generation, 304s per second, overview time.

Usage, from the repository root::

    .venv/bin/python -m benchmarks.feeds_web [--milestones 10000] [--updates 50000]
        [--runs 5] [--seconds 5] [--connections 32] [--as-of 2019-10-01] [--rebuild]

(1) feed generation: ``regie.feeds.build_feed`` for the whole programme and for one
    organisation, the plan in memory (as the server holds it), the store on SQLite; the first
    run also records every item in ``feed_entries`` and is reported apart.
(2) conditional GETs: `regie serve`'s app under uvicorn in a child process on loopback; an
    asyncio client on ``--connections`` keep-alive connections sends ``If-None-Match`` with the
    current ETag for ``--seconds`` and counts the 304s. Client and server share the 2 cores.
(3) the overview page's server time: ``GET /`` through the ASGI app in process (Starlette's
    TestClient, logged in), unfiltered and filtered, with the assessment memo warm and cold.

Targets: (1) ≤ 0.3 s, (2) ≥ 5,000/s, (3) ≤ 0.5 s. Results: benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import multiprocessing
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


def timed(fn: Any, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        out.append(time.perf_counter() - started)
    return out


def figures(label: str, samples: list[float], target: float | None = None) -> str:
    best, median = min(samples), statistics.median(samples)
    verdict = (
        ""
        if target is None
        else ("  meets" if median <= target else "  MISSES") + (f" ≤ {target} s")
    )
    return f"{label:<48} best {best:.3f} s  median {median:.3f} s{verdict}"


def feed_generation(app: Any, plan: Plan, as_of: date, runs: int) -> None:
    from feeds.scope import Scope
    from regie.feeds import build_feed

    first = timed(lambda: build_feed(app, plan, Scope("programme"), as_of), 1)[0]
    feed = build_feed(app, plan, Scope("programme"), as_of)
    events = feed.body.count(b"BEGIN:VEVENT")
    print(f"first build (records {events:,} feed entries)          {first:.3f} s")
    whole = Scope("programme")
    print(figures(f"(1) programme feed, {events:,} events, {len(feed.body):,} B",
                  timed(lambda: build_feed(app, plan, whole, as_of), runs), 0.3))  # fmt: skip
    org = Scope("org", plan.organisations[0].id)
    org_events = build_feed(app, plan, org, as_of).body.count(b"BEGIN:VEVENT")
    print(figures(f"(1) one organisation's feed, {org_events:,} events",
                  timed(lambda: build_feed(app, plan, org, as_of), runs), 0.3))  # fmt: skip


def _serve(url: str, plan: Plan, plan_path: Path, port: int) -> None:
    import uvicorn

    from web.app import create_app

    app = make_app(url, plan, plan_path)
    uvicorn.run(create_app(app), host="127.0.0.1", port=port, log_level="warning",
                access_log=False, server_header=False)  # fmt: skip


async def _hammer(port: int, etag: str, seconds: float, connections: int) -> tuple[int, int]:
    request = (
        f"GET /calendar/{TOKEN}.ics HTTP/1.1\r\nHost: 127.0.0.1\r\nIf-None-Match: {etag}\r\n\r\n"
    ).encode()
    deadline = time.perf_counter() + seconds
    counts = {"304": 0, "other": 0}

    async def one() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while time.perf_counter() < deadline:
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            if head.startswith(b"HTTP/1.1 304"):
                counts["304"] += 1
            else:
                counts["other"] += 1
                length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                               if line.lower().startswith(b"content-length")), 0)  # fmt: skip
                await reader.readexactly(length)
        writer.close()

    await asyncio.gather(*(one() for _ in range(connections)))
    return counts["304"], counts["other"]


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
        for round_ in range(1, args.rounds + 1):
            got, other = asyncio.run(_hammer(port, etag, args.seconds, args.connections))
            rate = got / args.seconds
            verdict = "meets" if rate >= 5000 else "MISSES"
            print(f"(2) round {round_}: {got:,} × 304 in {args.seconds:.0f} s = {rate:,.0f}/s"
                  f" ({other} other)  {verdict} ≥ 5,000/s")  # fmt: skip
    finally:
        child.terminate()
        child.join(10)


def overview_time(app: Any, runs: int) -> None:
    from starlette.testclient import TestClient

    from regie import plan_cache
    from regie.errors import InvalidInput
    from regie.users import add_user, log_in
    from web.app import create_app
    from web.security import SESSION_COOKIE

    with contextlib.suppress(InvalidInput):  # already there from an earlier run
        add_user(app, "bench", "benchmark password", None, NOW)
    token = log_in(app, "bench", "benchmark password", datetime.now(UTC))
    assert token
    client = TestClient(create_app(app), cookies={SESSION_COOKIE: token})

    def get(path: str) -> None:
        response = client.get(path)
        assert response.status_code == 200, response.status_code

    get("/")
    size = len(client.get("/").content)
    print(figures(f"(3) GET / all items, warm ({size:,} B)", timed(lambda: get("/"), runs), 0.5))

    def cold() -> None:
        plan_cache.clear_facts()
        get("/")

    print(figures("(3) GET / all items, cold (assesses)", timed(cold, runs), 0.5))
    owner = app_plan_owner(app)
    print(figures(f"(3) GET /?eigenaar={owner}, warm", timed(lambda: get(f"/?eigenaar={owner}"),
                                                                runs), 0.5))  # fmt: skip
    print(figures("(3) GET /te-laat, warm", timed(lambda: get("/te-laat"), runs), 0.5))


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
