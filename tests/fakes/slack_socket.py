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
        self._server: Server | None = None

    def _handle(self, ws: ServerConnection) -> None:
        self.connections += 1
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
        self._server = serve(self._handle, "127.0.0.1", 0)
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

    def ack_for(self, envelope_id: str, timeout: float = 20.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for ack in self.acks:
                if ack.get("envelope_id") == envelope_id:
                    return ack
            time.sleep(0.05)
        raise AssertionError(f"no acknowledgement for envelope {envelope_id} in {timeout} s")
