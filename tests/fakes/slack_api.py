"""A small fake of the Slack Web API over real HTTP, for ``WebClient(base_url=…)``.

It records every call, keeps the posted messages per channel (with their ``metadata``), answers
429 + ``Retry-After`` when posts come faster than ``rate`` per second, and injects failures:
HTTP 500s and dropped connections, either before a post is stored or after (the nasty case:
Slack posted, the client never heard). Other tests extend it through :meth:`FakeSlack.route`
(e.g. ``conversations.history`` with canned blocks).

``views.open`` takes the request slack-sdk sends (``trigger_id`` plus ``view`` as JSON) and
checks it as Slack does: a trigger is one the fake handed out (:meth:`FakeSlack.trigger`, as
Slack puts one in each interaction payload), used once (``exchanged_trigger_id``) and within
:attr:`FakeSlack.trigger_seconds` (``expired_trigger_id``: Slack's triggers live about 3
seconds, so a modal must be opened right after the acknowledgement); the view is a modal
within Block Kit's limits (title ≤ 24 characters, input blocks with a label and an element,
unique block ids, a date picker's ``initial_date`` as YYYY-MM-DD), else ``invalid_arguments``
with the reasons in ``response_metadata.messages``. ``chat.update`` replaces a stored
message's blocks and text; ``conversations.history`` honours ``oldest``, ``latest`` and
``inclusive``, newest first.

Usage::

    with FakeSlack(users={"a@example.org": "U001"}) as slack:
        client = WebClient(token=slack.token, base_url=slack.base_url)
"""

from __future__ import annotations

import contextlib
import json
import random
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

Handler = Callable[["FakeSlack", dict[str, Any]], dict[str, Any]]

POST = "chat.postMessage"


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    at: float
    outcome: str = "ok"  # ok | error:<code> | 429 | 500 | dropped | dropped-after


@dataclass
class Fault:
    kind: str  # "500" | "drop" | "drop-after" (the post is stored, the answer lost)
    method: str = POST
    count: int = 1


@dataclass
class FakeSlack:
    token: str = "xoxb-fake-token"
    users: dict[str, str] = field(default_factory=dict)  # e-mail → user id
    channels: set[str] = field(default_factory=set)  # public channel ids that exist
    rate: float | None = None  # posts per second before 429s; None: no limit
    fault_rate: float = 0.0  # share of posts that fail randomly (500, drop, drop-after)
    seed: int = 0
    retry_after: int = 1
    team: str = "Fake workspace"
    trigger_seconds: float = 3.0  # how long Slack's trigger_id can be exchanged

    def __post_init__(self) -> None:
        self.calls: list[Call] = []
        self.messages: dict[str, list[dict[str, Any]]] = {}  # channel → posts, oldest first
        self.faults: list[Fault] = []
        self.routes: dict[str, Handler] = {
            "auth.test": FakeSlack._auth_test,
            "users.lookupByEmail": FakeSlack._lookup,
            "conversations.open": FakeSlack._open,
            POST: FakeSlack._post,
            "conversations.history": FakeSlack._history,
            "views.open": FakeSlack._views_open,
            "chat.update": FakeSlack._update,
            "chat.postEphemeral": FakeSlack._ephemeral,
        }
        self.triggers: dict[str, float] = {}  # trigger id → when handed out (monotonic)
        self.views: list[dict[str, Any]] = []  # views opened, oldest first
        self._lock = threading.Lock()
        self._random = random.Random(self.seed)
        self._recent: deque[float] = deque()
        self._ts = 0
        self._server: ThreadingHTTPServer | None = None

    # --- set-up ---------------------------------------------------------------------------

    def route(self, method: str, handler: Handler) -> None:
        """Answer ``method`` with ``handler(fake, args)`` (a dict; ``ok`` added when missing)."""
        self.routes[method] = handler

    def inject(self, kind: str, method: str = POST, count: int = 1) -> None:
        self.faults.append(Fault(kind, method, count))

    def start(self) -> FakeSlack:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        server.daemon_threads = True
        self._server = server
        # shutdown() waits for the poll: 0.05 s, not the default 0.5 s, at every test's end.
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start() the fake first"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/api/"

    def trigger(self, at: float | None = None) -> str:
        """A trigger id as Slack puts one in an interaction payload (handed out ``at``,
        monotonic seconds; default now)."""
        with self._lock:
            self._ts += 1
            trigger = f"{self._ts}.98765.abcd{self._ts:04x}"
            self.triggers[trigger] = time.monotonic() if at is None else at
            return trigger

    # --- what happened --------------------------------------------------------------------

    def posts(self) -> list[dict[str, Any]]:
        with self._lock:
            return [m for msgs in self.messages.values() for m in msgs]

    def keys_posted(self) -> list[str]:
        """The outbox key of every stored post (duplicates repeat)."""
        return [
            str((m.get("metadata") or {}).get("event_payload", {}).get("key")) for m in self.posts()
        ]

    def report(self) -> dict[str, Any]:
        """What a test in another process needs: the keys posted and each post's outcome."""
        return {
            "keys": self.keys_posted(),
            "outcomes": [c.outcome for c in self.calls_to(POST)],
        }

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    # --- the API ----------------------------------------------------------------------------

    def handle(self, method: str, args: dict[str, Any], auth: str | None) -> tuple[int, Any]:
        """(HTTP status, JSON body) — or (0, None) to drop the connection, (-1, body) to store
        and then drop."""
        with self._lock:
            call = Call(method, args, time.monotonic())
            self.calls.append(call)
            fault = self._fault(method)
            if fault == "500":
                call.outcome = "500"
                return 500, {"ok": False, "error": "fatal_error"}
            if fault == "drop":
                call.outcome = "dropped"
                return 0, None
            if auth != f"Bearer {self.token}":
                call.outcome = "error:invalid_auth"
                return 200, {"ok": False, "error": "invalid_auth" if auth else "not_authed"}
            if method == POST and self.rate is not None and not self._admit(call.at):
                call.outcome = "429"
                return 429, {"ok": False, "error": "ratelimited"}
            handler = self.routes.get(method)
            if handler is None:
                call.outcome = "error:unknown_method"
                return 404, {"ok": False, "error": "unknown_method"}
            body = handler(self, args)
            body.setdefault("ok", True)
            if not body["ok"]:
                call.outcome = f"error:{body.get('error')}"
            if fault == "drop-after":
                call.outcome = "dropped-after"
                return -1, body
            return 200, body

    def _fault(self, method: str) -> str | None:
        for fault in self.faults:
            if fault.method == method and fault.count > 0:
                fault.count -= 1
                return fault.kind
        if method == POST and self.fault_rate and self._random.random() < self.fault_rate:
            return self._random.choice(("500", "drop", "drop-after"))
        return None

    def _admit(self, now: float) -> bool:
        assert self.rate is not None
        while self._recent and self._recent[0] <= now - 1.0:
            self._recent.popleft()
        if len(self._recent) >= self.rate:
            return False
        self._recent.append(now)
        return True

    def _auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"user": "regie", "team": self.team, "user_id": "UBOT"}

    def _lookup(self, args: dict[str, Any]) -> dict[str, Any]:
        user = self.users.get(str(args.get("email", "")).lower())
        if user is None:
            return {"ok": False, "error": "users_not_found"}
        return {"user": {"id": user, "profile": {"email": args.get("email")}}}

    def _open(self, args: dict[str, Any]) -> dict[str, Any]:
        user = str(args.get("users", ""))
        if user not in self.users.values():
            return {"ok": False, "error": "user_not_found"}
        channel = "D" + user
        self.messages.setdefault(channel, [])
        return {"channel": {"id": channel}}

    def _post(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = str(args.get("channel", ""))
        if channel not in self.messages and channel not in self.channels:
            return {"ok": False, "error": "channel_not_found"}
        if not args.get("text") and not args.get("blocks"):
            return {"ok": False, "error": "no_text"}
        self._ts += 1
        ts = f"{time.time():.0f}.{self._ts:06d}"
        stored = {
            "ts": ts,
            "channel": channel,
            "text": args.get("text"),
            "blocks": _json(args.get("blocks")),
            "metadata": _json(args.get("metadata")),
        }
        self.messages.setdefault(channel, []).append(stored)
        return {"channel": channel, "ts": ts, "message": stored}

    def _history(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = str(args.get("channel", ""))
        if channel not in self.messages:
            return {"ok": False, "error": "channel_not_found"}
        with_meta = str(args.get("include_all_metadata", "")).lower() in {"1", "true"}
        oldest = float(args.get("oldest") or 0)
        latest = float(args.get("latest") or "inf")
        inclusive = str(args.get("inclusive", "")).lower() in {"1", "true"}
        limit = int(args.get("limit") or 100)
        start = int(args.get("cursor") or 0)
        newest_first = [
            m
            for m in reversed(self.messages[channel])
            if float(m["ts"]) > oldest
            and (float(m["ts"]) < latest or (inclusive and float(m["ts"]) == latest))
        ]
        page = newest_first[start : start + limit]
        shown = [{k: v for k, v in m.items() if with_meta or k != "metadata"} for m in page]
        more = start + limit < len(newest_first)
        return {
            "messages": shown,
            "has_more": more,
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }

    def _views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        trigger = str(args.get("trigger_id") or "")
        if not trigger:
            return {"ok": False, "error": "invalid_arguments"}
        if trigger not in self.triggers:
            return {"ok": False, "error": "invalid_trigger_id"}
        issued = self.triggers[trigger]
        if issued < 0:
            return {"ok": False, "error": "exchanged_trigger_id"}
        if time.monotonic() - issued > self.trigger_seconds:
            return {"ok": False, "error": "expired_trigger_id"}
        view = _json(args.get("view"))
        problems = view_problems(view)
        if problems:
            return {
                "ok": False,
                "error": "invalid_arguments",
                "response_metadata": {"messages": [f"[ERROR] {p}" for p in problems]},
            }
        self.triggers[trigger] = -1.0  # exchanged
        self._ts += 1
        opened = {**view, "id": f"V{self._ts:08d}", "hash": f"{self._ts}.hash", "state": {}}
        self.views.append(opened)
        return {"view": opened}

    def _ephemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        """Shown to one user only, not kept in the channel (the call is recorded)."""
        self._ts += 1
        return {"message_ts": f"{time.time():.0f}.{self._ts:06d}"}

    def _update(self, args: dict[str, Any]) -> dict[str, Any]:
        channel, ts = str(args.get("channel", "")), str(args.get("ts", ""))
        found = [m for m in self.messages.get(channel, []) if m["ts"] == ts]
        if not found:
            return {"ok": False, "error": "message_not_found"}
        if "blocks" in args:
            found[0]["blocks"] = _json(args["blocks"])
        if args.get("text") is not None:
            found[0]["text"] = args["text"]
        return {"channel": channel, "ts": ts}


TITLE_MAX = 24  # characters in a modal's title, submit and close (Block Kit)
VIEW_BLOCKS_MAX = 100
METADATA_MAX = 3000  # characters of private_metadata


def view_problems(view: Any) -> list[str]:
    """What Slack would refuse in a modal view (the checks a fake can make)."""
    import re

    if not isinstance(view, dict):
        return ["view must be a JSON object"]
    problems: list[str] = []
    if view.get("type") != "modal":
        problems.append("type must be modal")
    for name in ("title", "submit", "close"):
        text = view.get(name)
        if text is None and name != "title":
            continue
        if not isinstance(text, dict) or text.get("type") != "plain_text":
            problems.append(f"{name} must be a plain_text object")
        elif not 0 < len(str(text.get("text", ""))) <= TITLE_MAX:
            problems.append(f"{name}.text must be 1 to {TITLE_MAX} characters")
    if len(str(view.get("private_metadata") or "")) > METADATA_MAX:
        problems.append(f"private_metadata must be at most {METADATA_MAX} characters")
    blocks = view.get("blocks")
    if not isinstance(blocks, list) or not 0 < len(blocks) <= VIEW_BLOCKS_MAX:
        return [*problems, f"blocks must be a list of 1 to {VIEW_BLOCKS_MAX} blocks"]
    seen: set[str] = set()
    inputs = 0
    for n, block in enumerate(blocks):
        block_id = block.get("block_id") if isinstance(block, dict) else None
        if block_id is not None:
            if block_id in seen:
                problems.append(f"blocks[{n}].block_id {block_id!r} is not unique")
            seen.add(str(block_id))
        if not isinstance(block, dict) or block.get("type") != "input":
            continue
        inputs += 1
        element = block.get("element")
        if not isinstance(block.get("label"), dict) or not isinstance(element, dict):
            problems.append(f"blocks[{n}]: an input block needs a label and an element")
            continue
        initial = element.get("initial_date")
        iso = isinstance(initial, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", initial)
        if element.get("type") == "datepicker" and initial is not None and not iso:
            problems.append(f"blocks[{n}].element.initial_date must be YYYY-MM-DD")
    if inputs and view.get("submit") is None:
        problems.append("a modal with input blocks needs submit")
    return problems


def _json(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _handler(fake: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # quiet in tests
            pass

        def do_GET(self) -> None:
            self._answer()

        def do_POST(self) -> None:
            self._answer()

        def _answer(self) -> None:
            url = urlsplit(self.path)
            method = url.path.rsplit("/", 1)[-1]
            if url.path == "/_fake/report":  # for a fake in another process (benchmarks)
                self._send(200, fake.report())
                return
            args: dict[str, Any] = dict(parse_qsl(url.query))
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            kind = self.headers.get("Content-Type") or ""
            if raw and "json" in kind:
                args.update(json.loads(raw))
            elif raw:
                args.update(parse_qsl(raw.decode()))
            status, body = fake.handle(method, args, self.headers.get("Authorization"))
            if status <= 0:
                # Close without a word: the client sees a dropped connection.
                self.close_connection = True
                with contextlib.suppress(OSError):
                    self.connection.shutdown(socket.SHUT_RDWR)
                return
            self._send(status, body)

        def _send(self, status: int, body: Any) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            if status == 429:
                self.send_header("Retry-After", str(fake.retry_after))
            self.end_headers()
            with contextlib.suppress(OSError):  # the client may be gone (kill tests)
                self.wfile.write(data)

    return Handler


def main() -> None:
    """Serve a fake in its own process: ``python -m tests.fakes.slack_api --users 500``; prints
    the base URL, serves until stdin closes. Users are ``c0000@example.org`` → ``U00000`` …"""
    import argparse
    import sys

    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=0)
    parser.add_argument("--rate", type=float)
    parser.add_argument("--fault-rate", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    users = {f"c{n:04d}@example.org": f"U{n:05d}" for n in range(args.users)}
    with FakeSlack(users=users, rate=args.rate, fault_rate=args.fault_rate, seed=args.seed) as f:
        print(f.base_url, flush=True)
        sys.stdin.read()


if __name__ == "__main__":
    main()
