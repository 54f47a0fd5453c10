"""`GET /calendar/TOKEN.ics`: a subscribed feed, with a strong ETag and 304 when unchanged."""

from __future__ import annotations

from email.utils import format_datetime

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from regie.feeds import CACHE_SECONDS, serve_token_feed


def calendar_feed(request: Request) -> Response:
    from governance.clock import utcnow

    token = str(request.path_params["token"])
    served = serve_token_feed(
        request.app.state.regie, token, request.headers.get("if-none-match"), utcnow()
    )
    if served is None:  # unknown and revoked look the same: no hint which
        return PlainTextResponse("Niet gevonden\n", status_code=404)
    headers = {
        "ETag": served.etag,
        "Last-Modified": format_datetime(served.last_modified, usegmt=True),
        "Cache-Control": f"private, max-age={CACHE_SECONDS}",
    }
    if served.status == 304:
        return Response(status_code=304, headers=headers)
    return Response(served.body, media_type="text/calendar; charset=utf-8", headers=headers)
