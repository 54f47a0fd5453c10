"""`GET /calendar/TOKEN.ics`: a subscribed feed, with a strong ETag and 304 when unchanged.

Two paths. :class:`NotModifiedFastPath` is raw ASGI in front of Starlette's routing: a refresh
whose ``If-None-Match`` already holds what this token was last served gets its 304 from memory
(:class:`regie.feeds.NotModified`), no database query, no routing. Everything else — first
requests, changed data, unknown or revoked tokens — takes :func:`calendar_feed`.
"""

from __future__ import annotations

import contextlib
from email.utils import format_datetime
from typing import TYPE_CHECKING

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from regie.feeds import CACHE_SECONDS, NotModified, serve_token_feed

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Receive, Scope, Send

PREFIX, SUFFIX = "/calendar/", ".ics"


class NotModifiedFastPath:
    def __init__(self, app: ASGIApp, memory: NotModified) -> None:
        self.app = app
        self.memory = memory

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD"):
            path: str = scope["path"]
            if path.startswith(PREFIX) and path.endswith(SUFFIX):
                for name, value in scope["headers"]:
                    if name == b"if-none-match":
                        if self.memory.expired():  # the check reads the database: not on the loop
                            await run_in_threadpool(self._refresh)
                        headers = self._answer(path[len(PREFIX) : -len(SUFFIX)], value)
                        if headers is not None:
                            await send(
                                {"type": "http.response.start", "status": 304, "headers": headers}
                            )
                            await send({"type": "http.response.body", "body": b""})
                            return
                        break
        await self.app(scope, receive, send)

    def _refresh(self) -> None:
        with contextlib.suppress(Exception):  # e.g. a broken plan file: the full path says so
            self.memory.snapshot()

    def _answer(self, token: str, if_none_match: bytes) -> list[tuple[bytes, bytes]] | None:
        try:
            return self.memory.answer(token, if_none_match.decode("latin-1"), refresh=False)
        except Exception:  # e.g. a broken plan file: the full path answers it properly (503)
            return None


def calendar_feed(request: Request) -> Response:
    from governance.clock import utcnow

    token = str(request.path_params["token"])
    memory: NotModified = request.app.state.not_modified
    snapshot = memory.snapshot()  # before reading: a change meanwhile is never remembered
    served = serve_token_feed(
        request.app.state.regie, token, request.headers.get("if-none-match"), utcnow()
    )
    if served is None:  # unknown and revoked look the same: no hint which
        return PlainTextResponse("Niet gevonden\n", status_code=404)
    memory.remember(token, snapshot, served)
    headers = {
        "ETag": served.etag,
        "Last-Modified": format_datetime(served.last_modified, usegmt=True),
        "Cache-Control": f"private, max-age={CACHE_SECONDS}",
    }
    if served.status == 304:
        return Response(status_code=304, headers=headers)
    return Response(served.body, media_type="text/calendar; charset=utf-8", headers=headers)
