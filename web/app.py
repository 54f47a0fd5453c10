"""The ASGI app factory: routes, static files and templates around one Regie `App`."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from regie.errors import RegieError
from web import pages, report_pages
from web.feeds import NotModifiedFastPath, calendar_feed
from web.templating import STATIC, templates

if TYPE_CHECKING:
    from regie.bootstrap import App


def create_app(regie: App) -> Starlette:
    """The web app for ``regie``; the caller has checked settings (``regie serve`` does)."""
    from web import answers, slack

    routes = [
        Route("/healthz", healthz, methods=["GET", "HEAD"]),
        Route("/calendar/{token}.ics", calendar_feed, methods=["GET", "HEAD"]),
        Route("/", pages.overview),
        Route("/te-laat", pages.overdue),
        Route("/items/{item_id}", pages.item),
        Route("/agenda", pages.agenda),
        Route("/agenda", pages.agenda_create, methods=["POST"]),
        Route("/agenda/{token_id}/intrekken", pages.agenda_revoke, methods=["POST"]),
        Route("/rapporten", report_pages.reports),
        Route("/rapporten/{report_id}", report_pages.download),
        Route("/inloggen", pages.login_form),
        Route("/inloggen", pages.login, methods=["POST"]),
        Route("/uitloggen", pages.logout, methods=["POST"]),
        Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
        *answers.routes(),
        *slack.routes(),
    ]
    from regie.feeds import NotModified

    not_modified = NotModified(regie)  # 304s for unchanged feeds, before any routing
    web = Starlette(
        routes=routes,
        lifespan=_lifespan,
        middleware=[Middleware(NotModifiedFastPath, memory=not_modified)],
        exception_handlers={RegieError: regie_problem},
    )
    web.state.regie = regie
    web.state.not_modified = not_modified
    web.state.secret_key = regie.settings.require_secret_key()
    web.state.templates = templates()
    return web


@contextlib.asynccontextmanager
async def _lifespan(web: Starlette) -> AsyncIterator[None]:
    """While serving, the assessment is kept current in the background (regie.office.Warmer)."""
    from regie.office import Warmer

    warmer = Warmer(web.state.regie)
    warmer.start()
    try:
        yield
    finally:
        warmer.stop()
        with contextlib.suppress(Exception):  # a database gone at shutdown: nothing to keep
            web.state.not_modified.flush()


def regie_problem(request: Request, exc: Exception) -> Response:
    """A known problem met while serving (e.g. the plan file was broken after start-up): its
    first line, Dutch context, no traceback; 503 because fixing the setup fixes the page."""
    from regie.errors import RegieError

    lines = exc.lines if isinstance(exc, RegieError) else [str(exc)]
    return PlainTextResponse(
        "Regie kan deze pagina nu niet tonen: " + "; ".join(lines) + "\n", status_code=503
    )


def healthz(request: Request) -> Response:
    """200 when the database answers, 503 (one line) when it does not."""
    from regie.health import database_problem

    problem = database_problem(request.app.state.regie)
    if problem:
        return PlainTextResponse(f"database: {problem}\n", status_code=503)
    return PlainTextResponse("ok\n")
