"""A local fake of Slack's Socket Mode WebSocket (like slack-sdk's own tests, with the
``websockets`` package instead of aiohttp): says hello, pushes envelopes, collects the acks."""

from __future__ import annotations

import json
import queue
import threading
import time
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve


class FakeSocketMode:
    def __init__(self) -> None:
        self.outgoing: queue.Queue[dict[str, Any]] = queue.Queue()
        self.acks: list[dict[str, Any]] = []
        self.connections = 0
        self.closed = 0  # connections that ended (the client went away)
        self._server: Server | None = None

    def _handle(self, ws: ServerConnection) -> None:
        self.connections += 1
        try:
            self._serve(ws)
        finally:
            self.closed += 1

    def _serve(self, ws: ServerConnection) -> None:
        ws.send(json.dumps({"type": "hello", "num_connections": 1, "connection_info": {}}))
        while True:
            try:
                ws.send(json.dumps(self.outgoing.get(timeout=0.05)))
            except queue.Empty:
                pass
            except ConnectionClosed:
                return
            try:
                raw = ws.recv(timeout=0.05)
            except TimeoutError:
                continue
            except ConnectionClosed:
                return
            self.acks.append(json.loads(raw))

    def start(self) -> FakeSocketMode:
        # No keepalive pings: the client's receive ends only with what a test sends.
        self._server = serve(self._handle, "127.0.0.1", 0, ping_interval=None)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.socket.getsockname()[:2]
        return f"ws://{host}:{port}/link/?ticket=fake"

    def push(self, envelope: dict[str, Any]) -> None:
        self.outgoing.put(envelope)

    def wait_closed(self, count: int, timeout: float = 20.0) -> None:
        """Until ``count`` connections have ended (the server notices a close at its next poll)."""
        deadline = time.monotonic() + timeout
        while self.closed < count and time.monotonic() < deadline:
            time.sleep(0.02)
        assert self.closed >= count, f"{self.closed} of {count} connections ended in {timeout} s"

    def ack_for(self, envelope_id: str, timeout: float = 20.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for ack in self.acks:
                if ack.get("envelope_id") == envelope_id:
                    return ack
            time.sleep(0.05)
        raise AssertionError(f"no acknowledgement for envelope {envelope_id} in {timeout} s")
