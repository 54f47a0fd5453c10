"""The ASGI app factory: routes, static files and templates around one Regie `App`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from web.feeds import calendar_feed
from web.templating import STATIC, templates

if TYPE_CHECKING:
    from regie.bootstrap import App


def create_app(regie: App) -> Starlette:
    """The web app for ``regie``; the caller has checked settings (``regie serve`` does)."""
    routes = [
        Route("/healthz", healthz, methods=["GET", "HEAD"]),
        Route("/calendar/{token}.ics", calendar_feed, methods=["GET", "HEAD"]),
        Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
    ]
    web = Starlette(routes=routes)
    web.state.regie = regie
    web.state.templates = templates()
    return web


def healthz(request: Request) -> Response:
    """200 when the database answers, 503 (one line) when it does not."""
    from regie.health import database_problem

    problem = database_problem(request.app.state.regie)
    if problem:
        return PlainTextResponse(f"database: {problem}\n", status_code=503)
    return PlainTextResponse("ok\n")
