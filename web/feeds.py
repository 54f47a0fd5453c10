"""`GET /calendar/TOKEN.ics`: a subscribed feed, with a strong ETag and 304 when unchanged.

Two paths. :class:`NotModifiedFastPath` is raw ASGI in front of Starlette's routing: a refresh
whose ``If-None-Match`` already holds what this token was last served gets its 304 from memory
(:class:`regie.feeds.NotModified`), no database query, no routing. Everything else — first
requests, changed data, unknown or ended tokens, ``If-Modified-Since`` — takes
:func:`calendar_feed`.

The body is gzip-compressed when the client accepts it (``Accept-Encoding``), under another
ETag (:func:`regie.feeds.gzip_etag`) and with ``Vary: Accept-Encoding``; either tag in
``If-None-Match`` is answered 304 while the calendar is unchanged. A token that never existed
answers 404; one whose subscription ended, a calendar that says so
(:func:`regie.feeds.serve_token_feed`).

A subscriber is never shown a server problem: while the plan file is broken a valid token gets
the feed of the last good version of it (or, when this process has none, a 503 with
``Retry-After`` and one generic Dutch line); the problem is in the server's log.
"""

from __future__ import annotations

import contextlib
import threading
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import TYPE_CHECKING

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from regie.feeds import (
    CACHE_SECONDS,
    RETRY_SECONDS,
    FeedUnavailable,
    NotModified,
    gzip_etag,
    serve_token_feed,
)
from web.security import route_path

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Receive, Scope, Send

PREFIX, SUFFIX = "/calendar/", ".ics"


class NotModifiedFastPath:
    def __init__(self, app: ASGIApp, memory: NotModified) -> None:
        self.app = app
        self.memory = memory

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD"):
            path = route_path(scope)  # without the site's sub-path (web.security.SubPath)
            if path.startswith(PREFIX) and path.endswith(SUFFIX):
                for name, value in scope["headers"]:
                    if name == b"if-none-match":
                        if self.memory.expired():  # the check reads the database: not on the loop
                            await run_in_threadpool(self._refresh)
                        headers = self._answer(path[len(PREFIX) : -len(SUFFIX)], value)
                        if headers is not None:
                            if accepts_gzip(_header(scope, b"accept-encoding")):
                                headers = [
                                    (k, gzip_etag(v.decode()).encode() if k == b"etag" else v)
                                    for k, v in headers
                                ]
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


def _header(scope: Scope, name: bytes) -> str:
    return ", ".join(v.decode("latin-1") for k, v in scope["headers"] if k == name)


def accepts_gzip(accept_encoding: str | None) -> bool:
    """Whether an ``Accept-Encoding`` header admits gzip (RFC 9110 §12.5.3: not with q=0)."""
    for part in (accept_encoding or "").split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip().lower() not in ("gzip", "x-gzip"):
            continue
        q = params.strip().lower().replace(" ", "")
        if q.startswith("q="):
            try:
                return float(q[2:]) > 0
            except ValueError:
                return False
        return True
    return False


_gzipped_lock = threading.Lock()
_gzipped: dict[str, bytes] = {}  # ETag → compressed body (the same bytes every time)
_GZIPPED_SIZE = 16
MIN_GZIP_BYTES = 1024  # below this, compression saves too little to matter


def gzipped(etag: str, body: bytes) -> bytes:
    """``body`` gzip-compressed, deterministically (no time stamp in the header), kept for the
    last few ETags: a 4.5 MB programme feed takes a noticeable moment to compress."""
    import gzip

    found = _gzipped.get(etag)
    if found is None:
        found = gzip.compress(body, compresslevel=6, mtime=0)
        with _gzipped_lock:
            if len(_gzipped) >= _GZIPPED_SIZE:
                _gzipped.pop(next(iter(_gzipped)))
            _gzipped[etag] = found
    return found


def calendar_feed(request: Request) -> Response:
    from governance.clock import utcnow

    token = str(request.path_params["token"])
    memory: NotModified = request.app.state.not_modified
    try:
        snapshot = memory.snapshot()  # before reading: a change meanwhile is never remembered
    except Exception:  # e.g. no plan to serve: the full path answers (404 or 503), unremembered
        snapshot = None
    if_none_match = request.headers.get("if-none-match")
    try:
        served = serve_token_feed(request.app.state.regie, token, if_none_match, utcnow())
    except FeedUnavailable:
        text = str(request.app.state.plain.feed_unavailable())
        return PlainTextResponse(text, status_code=503, headers={"Retry-After": str(RETRY_SECONDS)})
    if served is None:  # a token that never existed (regie.feeds.serve_token_feed)
        return PlainTextResponse(str(request.app.state.plain.not_found()), status_code=404)
    if snapshot is not None and not served.ended:  # an ended one takes the full path
        memory.remember(token, snapshot, served)
    # gzip when the client takes it (a feed shrinks to about an eighth): another representation,
    # so another ETag; Vary tells caches the answer depends on Accept-Encoding.
    gzip = accepts_gzip(request.headers.get("accept-encoding"))
    gzip = gzip and len(served.body) >= MIN_GZIP_BYTES
    headers = {
        "ETag": gzip_etag(served.etag) if gzip else served.etag,
        "Last-Modified": format_datetime(served.last_modified, usegmt=True),
        "Cache-Control": f"private, max-age={CACHE_SECONDS}",
        "Vary": "Accept-Encoding",
    }
    unchanged = served.status == 304
    if if_none_match is None:  # RFC 9110 §13.2.2: If-Modified-Since only without If-None-Match
        since = modified_since(request.headers.getlist("if-modified-since"))
        unchanged = since is not None and served.last_modified <= since
    if unchanged:
        return Response(status_code=304, headers=headers)
    if gzip:
        headers["Content-Encoding"] = "gzip"
        body = gzipped(served.etag, served.body)
        return Response(body, media_type="text/calendar; charset=utf-8", headers=headers)
    return Response(served.body, media_type="text/calendar; charset=utf-8", headers=headers)


def modified_since(values: list[str]) -> datetime | None:
    """The date of an ``If-Modified-Since`` header (RFC 9110 §13.1.3), in whole seconds (an
    HTTP-date has no finer resolution, nor has Last-Modified); None when absent, sent more
    than once, or not a date: then it is ignored."""
    if len(values) != 1:
        return None
    try:
        since = parsedate_to_datetime(values[0])
    except (TypeError, ValueError, IndexError):
        return None
    if since is None:
        return None
    since = since.replace(tzinfo=UTC) if since.tzinfo is None else since.astimezone(UTC)
    return since.replace(microsecond=0)
