"""`regie serve`: the web app (calendar feeds, office pages) under uvicorn.

The address is bound here, before uvicorn starts, so that a port in use (or an address that
is not this machine's) is one line and exit 3, never uvicorn's log; "Regie serving on …" is
printed once uvicorn listens on it, never before.
"""

from __future__ import annotations

import errno
import os
import socket
from typing import Annotated

import typer

from regie.errors import InvalidInput, RegieError


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port to listen on (0: a free one).")] = 8000,
) -> None:
    """Serve the office's web pages and the calendar feeds (REGIE_BASE_URL is the public URL)."""
    import uvicorn

    from regie.backup import serving
    from regie.bootstrap import bootstrap
    from regie.log_lines import server_log_config
    from web.app import create_app

    if not 0 <= port <= 65535:
        raise InvalidInput(f"--port {port}: not a TCP port (0 … 65535)")
    app = bootstrap()
    app.settings.require_secret_key()  # sessions and CSRF tokens are signed: refuse to start
    app.ensure_schema()
    app.load_plan()  # a broken plan file is one line now, not an error page later
    sockets = listening_sockets(host, port)
    bound = sockets[0].getsockname()[1]  # the port asked for, or the free one of --port 0
    shown = f"[{host}]" if ":" in host else host
    line = f"Regie serving on http://{shown}:{bound} (public URL {app.settings.base_url})"
    config = uvicorn.Config(
        create_app(app),
        log_level=app.settings.log_level.lower(),  # REGIE_LOG_LEVEL
        # Each line with its level (the journal's <4>, …), or JSON (REGIE_LOG_FORMAT).
        log_config=server_log_config(app.settings.log_level, app.settings.log_format),
        http="httptools",
        access_log=False,  # a line per feed refresh would cost more than the refresh itself
        server_header=False,
        proxy_headers=False,
    )

    class Announcing(uvicorn.Server):
        """Says ``line`` once it listens: after uvicorn's start-up, not before."""

        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets=sockets)
            if self.started:
                typer.echo(line)

    try:
        # Held while serving: `regie db restore` refuses to swap the database under a server.
        with serving(app.settings.home):
            Announcing(config).run(sockets=sockets)
    finally:
        for sock in sockets:
            sock.close()


def listening_sockets(host: str, port: int) -> list[socket.socket]:
    """A socket bound to ``host``:``port`` for each of the host's addresses, as asyncio's
    ``create_server`` makes them (uvicorn then listens on them); a problem is one line: a port
    in use or an address not this machine's is exit 3, a host name that does not resolve exit 2."""
    try:
        found = socket.getaddrinfo(
            host or None, port, socket.AF_UNSPEC, socket.SOCK_STREAM, 0, socket.AI_PASSIVE
        )
    except socket.gaierror as exc:
        problem = f"--host {host}: unknown host ({exc.strerror})"
        raise InvalidInput(problem) from None
    sockets: list[socket.socket] = []
    try:
        for family, kind, proto, _, address in dict.fromkeys(found):
            sock = socket.socket(family, kind, proto)
            sockets.append(sock)
            if os.name == "posix":  # a restart reuses the port at once (as asyncio does)
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6 and hasattr(socket, "IPPROTO_IPV6"):
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            if port == 0 and len(sockets) > 1:  # one free port for every address
                address = (address[0], sockets[0].getsockname()[1], *address[2:])
            sock.bind(address)
    except OSError as exc:
        for sock in sockets:
            sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise RegieError(f"--port {port}: address already in use", exit_code=3) from None
        why = (exc.strerror or str(exc)).lower()
        problem = f"--host {host} --port {port}: cannot listen: {why}"
        raise RegieError(problem, exit_code=3) from None
    return sockets
