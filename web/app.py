"""The ASGI app factory: routes, static files and templates around one Regie `App`."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
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
        exception_handlers={RegieError: regie_problem, 404: not_found, 405: not_allowed},
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


def not_found(request: Request, exc: Exception) -> Response:
    """An address we do not serve: the Dutch page, with the menu for a logged-in officer. A
    file under /static/ is asked for by the browser, not read by a person: a plain line."""
    if request.url.path.startswith("/static/"):
        return PlainTextResponse("Niet gevonden\n", status_code=404)
    return pages.error_page(
        request, 404, "Pagina niet gevonden", "Op dit adres staat geen pagina van Regie."
    )


def not_allowed(request: Request, exc: Exception) -> Response:
    """A page asked for with a method it does not take (``POST /``): the Dutch page, 405, and
    the ``Allow`` header Starlette gave."""
    headers = exc.headers if isinstance(exc, HTTPException) else None
    return pages.error_page(
        request, 405, "Dit kan hier niet",
        "Deze pagina kan niet op deze manier worden gebruikt (verzoek: "
        f"{request.method}). Open de pagina via een link of het menu.",
        headers=headers,
    )  # fmt: skip


def healthz(request: Request) -> Response:
    """200 when the database answers, 503 (one line) when it does not."""
    from regie.health import database_problem

    problem = database_problem(request.app.state.regie)
    if problem:
        return PlainTextResponse(f"database: {problem}\n", status_code=503)
    return PlainTextResponse("ok\n")
