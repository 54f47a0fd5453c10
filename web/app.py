"""The ASGI app factory: routes, static files and templates around one Regie `App`."""

from __future__ import annotations

import contextlib
import logging
import threading
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
from web import corrections, decision_pages, follow_up_pages, pages, report_pages
from web.feeds import NotModifiedFastPath, calendar_feed
from web.security import ActingUser, SecurityHeaders, SubPath, route_path, sub_path
from web.templating import STATIC, templates

if TYPE_CHECKING:
    from regie.bootstrap import App

log = logging.getLogger("regie.web")
RETRY_SECONDS = 300
#: What every response carries unless its handler set the header itself (SecurityHeaders):
#: the office pages' headers; Cache-Control stays each handler's choice (static files, feeds).
RESPONSE_HEADERS = {k: v for k, v in pages.SECURITY_HEADERS.items() if k != "Cache-Control"}
LOG_AGAIN_SECONDS = 3600  # a problem still there is logged again after this long
_logged_lock = threading.Lock()
_logged: dict[str, float] = {}  # problem → when it was logged (one line, not one per request)


def create_app(regie: App) -> Starlette:
    """The web app for ``regie``; the caller has checked settings (``regie serve`` does)."""
    from web import answers, slack

    routes = [
        Route("/healthz", healthz, methods=["GET", "HEAD"]),
        Route("/calendar/{token}.ics", calendar_feed, methods=["GET", "HEAD"]),
        Route("/", pages.overview),
        Route("/te-laat", pages.overdue),
        Route("/te-laat.csv", pages.overdue_csv),
        Route("/opvolging", follow_up_pages.follow_up),
        Route("/opvolging.csv", follow_up_pages.follow_up_csv),
        Route("/items/{item_id}", pages.item),
        Route("/items/{item_id}/corrigeren", corrections.correct, methods=["POST"]),
        Route("/agenda", pages.agenda),
        Route("/agenda", pages.agenda_create, methods=["POST"]),
        Route("/agenda/{token_id}/intrekken", pages.agenda_revoke, methods=["POST"]),
        Route("/besluiten", decision_pages.decisions),
        Route("/besluiten.csv", decision_pages.decisions_csv),
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
    from regie.plan_cache import current_plan

    with contextlib.suppress(RegieError):  # read now: feeds fall back on it should it break
        current_plan(regie)
    not_modified = NotModified(regie)  # 304s for unchanged feeds, before any routing
    web = Starlette(
        routes=routes,
        lifespan=_lifespan,
        middleware=[
            # First: every later part sees the site's sub-path (links, redirects, routing).
            Middleware(SubPath, prefix=sub_path(regie.settings.base_url)),
            Middleware(SecurityHeaders, headers=RESPONSE_HEADERS),  # on every answer
            Middleware(NotModifiedFastPath, memory=not_modified),
            Middleware(ActingUser),  # who a POST records as acting (store.actor)
        ],
        exception_handlers={
            RegieError: regie_problem,
            404: not_found,
            405: not_allowed,
            500: server_error,
        },
    )
    web.state.regie = regie
    web.state.not_modified = not_modified
    web.state.secret_key = regie.settings.require_secret_key()
    # A rotation's previous key (REGIE_SECRET_KEY_PREVIOUS) still verifies, never signs.
    web.state.verification_keys = regie.settings.verification_keys()
    web.state.templates = templates()
    # The plain-text answers' macros, loaded now: an outage must not need a template loaded.
    web.state.plain = web.state.templates.env.get_template("plain.txt.j2").module
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


def server_error(request: Request, exc: Exception) -> Response:
    """An unexpected error (a bug): one generic Dutch line, no traceback or English page. This
    answer is sent outside the app's middleware (Starlette's ServerErrorMiddleware), so it
    carries the security headers itself. The exception goes on to the server's log."""
    text = str(request.app.state.plain.server_error())
    return PlainTextResponse(text, status_code=500, headers=pages.SECURITY_HEADERS)


def regie_problem(request: Request, exc: Exception) -> Response:
    """A known problem met while serving (e.g. the plan file was broken after start-up): 503,
    because fixing the setup fixes the page, with ``Retry-After``. A logged-in officer reads
    the problem (Dutch context, no traceback: they can have it fixed); anyone else — answer
    links, Slack, a visitor — a generic Dutch page: no file path or parser message leaves the
    server without a login. The page is HTML in the site's layout (lang, title, heading), as
    owners who click an answer link during an outage see it. The problem is logged once (a
    warning)."""
    from regie.errors import RegieError

    lines = exc.lines if isinstance(exc, RegieError) else [str(exc)]
    problem = "; ".join(lines)
    _log_once(f"web: {problem}")  # not the request's path: an answer link's holds its token
    headers = {"Retry-After": str(RETRY_SECONDS), "Cache-Control": "no-store"}
    shown = problem if _logged_in(request) else None
    try:
        page: Response = request.app.state.templates.TemplateResponse(
            request, "unavailable.html.j2", {"problem": shown}, status_code=503, headers=headers
        )
        return page
    except Exception:  # the page must answer even when rendering fails: the plain line
        plain = request.app.state.plain
        text = plain.unavailable() if shown is None else plain.cannot_show(shown)
        return PlainTextResponse(str(text), status_code=503, headers=headers)


def _logged_in(request: Request) -> bool:
    """Whether the request carries a valid officer's session (False when that cannot be told,
    e.g. the database is down: then nothing is shown)."""
    from regie.services import utcnow
    from regie.users import current_user
    from web.security import session_token

    try:
        return current_user(request.app.state.regie, session_token(request), utcnow()) is not None
    except Exception:
        return False


def not_found(request: Request, exc: Exception) -> Response:
    """An address we do not serve: the Dutch page, with the menu for a logged-in officer. A
    file under /static/ is asked for by the browser, not read by a person: a plain line."""
    if route_path(request.scope).startswith("/static/"):
        return PlainTextResponse(str(request.app.state.plain.not_found()), status_code=404)
    return pages.error_page(request, 404, "page")


def not_allowed(request: Request, exc: Exception) -> Response:
    """A page asked for with a method it does not take (``POST /``): the Dutch page, 405, and
    the ``Allow`` header Starlette gave."""
    headers = exc.headers if isinstance(exc, HTTPException) else None
    return pages.error_page(request, 405, "method", headers=headers, method=request.method)


def healthz(request: Request) -> Response:
    """200 when the database answers, 503 (one line) when it does not. The line does not quote
    the driver (its host, port, user): anyone may ask; the server's log has it, once.

    ``?full=1`` from this machine or a logged-in officer: every check of `regie doctor` but the
    Prefect API's, one line each (``&format=json``: a list of ``{check, status, detail}``),
    503 when one fails. From anyone else it is the plain answer: the details name files,
    the database and message keys."""
    from regie.health import database_problem
    from web.limits import BUSY_RETRY_SECONDS

    if request.query_params.get("full") == "1" and _may_see_health(request):
        return _full_health(request)
    problem = database_problem(request.app.state.regie)
    if problem:
        _log_once(f"healthz: database: {problem}")
        return PlainTextResponse(
            "database: unavailable\n", status_code=503,
            headers={"Retry-After": str(BUSY_RETRY_SECONDS)},
        )  # fmt: skip
    return PlainTextResponse("ok\n")


def _may_see_health(request: Request) -> bool:
    """From this machine (a loopback address, not forwarded by a proxy: any header a proxy adds,
    :func:`regie.health.from_this_machine`) or a logged-in officer."""
    from regie.health import from_this_machine

    peer = request.client.host if request.client else None
    if from_this_machine(peer, request.headers.keys()):
        return True
    return _logged_in(request)


def _full_health(request: Request) -> Response:
    from starlette.responses import JSONResponse

    from regie.health import full_checks

    checks = full_checks(request.app.state.regie)
    status = 503 if any(c.status == "fail" for c in checks) else 200
    headers = {"Cache-Control": "no-store"}
    if request.query_params.get("format") == "json":
        body = [c.as_json() for c in checks]
        return JSONResponse(body, status_code=status, headers=headers)
    text = "".join(f"{c.line()}\n" for c in checks)
    return PlainTextResponse(text, status_code=status, headers=headers)


def _log_once(problem: str) -> None:
    """Log ``problem`` as a warning when first met, and again hourly while it lasts (not once
    per request)."""
    import time

    now = time.monotonic()
    with _logged_lock:
        when = _logged.get(problem)
        if when is not None and now - when < LOG_AGAIN_SECONDS:
            return
        if when is None and len(_logged) >= 64:
            _logged.pop(next(iter(_logged)))
        _logged[problem] = now
    log.warning("%s", problem)
