"""A loopback port that refuses connections, for tests of a server that is down."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def refused_port() -> Iterator[int]:
    """A port nothing answers on while the block runs: bound here and never listening, so
    connections are refused and no other process (another test worker's fake server) can take
    it meanwhile — a port that was merely freed could be (CI59: a closed fake Slack's port
    answered as another test's fake)."""
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        yield int(held.getsockname()[1])
