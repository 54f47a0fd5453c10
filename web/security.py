"""Session cookie and CSRF tokens, reusable by every form of the web app.

The session cookie holds a random token (only its hash is stored). A form's CSRF token is an
HMAC of the session token under REGIE_SECRET_KEY; before login (and for forms outside the
login, e.g. answer links) it is an HMAC of a random nonce kept in its own cookie. Every POST
handler calls :func:`csrf_ok` before acting. During a key rotation's grace period a token made
under REGIE_SECRET_KEY_PREVIOUS (a form opened before the restart) is accepted too; new tokens
are made under the current key only.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

if TYPE_CHECKING:
    from regie.bootstrap import App
    from regie.config import Settings

CSRF_FIELD = "csrf_token"


@dataclass(frozen=True)
class CookieNames:
    """The cookies' names for one installation (see :func:`cookie_names`)."""

    session: str
    nonce: str


@functools.lru_cache(maxsize=16)
def cookie_names(base_url: str, database: str = "") -> CookieNames:
    """``regie_session_<tag>`` and ``regie_nonce_<tag>``, ``<tag>`` a short hash of
    REGIE_BASE_URL: browsers share a host's cookies across ports, so two installations on one
    host (``:8561``, ``:8562``) with one name would log each other's officers out (walk56c 3).
    ``database`` (the database's address, its password left out) goes into the hash beside it
    while REGIE_BASE_URL is left at its default, which every such installation shares
    (:func:`installation_cookie_names`). Over https the name is ``__Host-…`` at the host's root
    (Secure, Path=/, no Domain: no other site or plain-http page can set it), ``__Secure-…``
    under a sub-path."""
    parts = urlsplit(base_url.strip())
    public = f"{parts.scheme.lower()}://{parts.netloc.lower()}{parts.path.rstrip('/')}"
    hashed = f"{public}\n{database}" if database else public
    tag = hashlib.sha256(hashed.encode()).hexdigest()[:8]
    prefix = ""
    if parts.scheme.lower() == "https":
        prefix = "__Secure-" if parts.path.rstrip("/") else "__Host-"
    return CookieNames(f"{prefix}regie_session_{tag}", f"{prefix}regie_nonce_{tag}")


def installation_cookie_names(settings: Settings) -> CookieNames:
    """The cookies' names of the installation ``settings`` describe: by REGIE_BASE_URL when it
    is set (the names stay as they were); left at its default, by the database's address too,
    so two installations that both leave it (``regie serve --port 8562`` beside one on 8561)
    keep their own logins (fix57c 4)."""
    if settings.base_url_given:
        return cookie_names(settings.base_url)
    return _by_database(settings.base_url, settings.database_url)


@functools.lru_cache(maxsize=16)
def _by_database(base_url: str, database_url: str) -> CookieNames:
    from sqlalchemy import make_url

    from store.urls import hide_password

    # Without its password: a short hash of it in every browser would help guess it.
    address = hide_password(make_url(database_url).render_as_string(hide_password=True))
    return cookie_names(base_url, address)


def session_cookie_name(app: App) -> str:
    """The session cookie's name for ``app``'s installation (a test's or benchmark's client)."""
    return installation_cookie_names(app.settings).session


def _names(request: Request) -> CookieNames:
    settings: Settings = request.app.state.regie.settings
    return installation_cookie_names(settings)


def _secret(request: Request) -> bytes:
    key: str = request.app.state.secret_key
    return key.encode()


def _sign(request: Request, purpose: str, basis: str, key: bytes | None = None) -> str:
    secret = _secret(request) if key is None else key
    return hmac.new(secret, f"{purpose}:{basis}".encode(), hashlib.sha256).hexdigest()


def _signed_by_any(request: Request, purpose: str, basis: str, submitted: str) -> bool:
    """Whether ``submitted`` is the token for ``basis`` under the current key or a rotation's
    previous one (``state.verification_keys``); every key compared, in constant time."""
    keys: tuple[str, ...] = getattr(request.app.state, "verification_keys", ())
    signers = [_secret(request), *(k.encode() for k in keys[1:])]
    given = submitted.encode()
    return any(
        [hmac.compare_digest(_sign(request, purpose, basis, k).encode(), given) for k in signers]
    )


def secure_cookies(request: Request) -> bool:
    base_url: str = request.app.state.regie.settings.base_url
    return base_url.startswith("https://")


def session_token(request: Request) -> str | None:
    return request.cookies.get(_names(request).session) or None


def csrf_token(request: Request, *, anonymous: bool = False) -> str:
    """The token to put in a form's hidden ``csrf_token`` field.

    Bound to the session cookie; with ``anonymous`` (the login form, forms outside the login)
    bound to a nonce cookie instead, which :func:`set_nonce_cookie` sets on the response when
    the browser has none yet. A stale session cookie must not decide the login form's token."""
    token = session_token(request)
    if token and not anonymous:
        return _sign(request, "session", token)
    nonce = request.cookies.get(_names(request).nonce)
    if not nonce:
        nonce = secrets.token_urlsafe(24)
        request.state.new_nonce = nonce
    return _sign(request, "nonce", nonce)


def set_nonce_cookie(request: Request, response: Response) -> None:
    nonce = getattr(request.state, "new_nonce", None)
    if nonce:
        response.set_cookie(
            _names(request).nonce, nonce, httponly=True, samesite="strict",
            secure=secure_cookies(request), path=cookie_path(request),
        )  # fmt: skip


def csrf_ok(request: Request, submitted: object, *, anonymous: bool = False) -> bool:
    """Whether a POSTed token matches this browser's session (or nonce, with ``anonymous``)."""
    if not isinstance(submitted, str) or not submitted:
        return False
    basis = request.cookies.get(_names(request).nonce) if anonymous else session_token(request)
    purpose = "nonce" if anonymous else "session"
    return bool(basis) and _signed_by_any(request, purpose, str(basis), submitted)


def cookie_path(request: Request) -> str:
    """The cookies' ``Path``: the site's sub-path (:class:`SubPath`, e.g. ``/regie/``), so the
    session's bearer token is not sent to other applications on the same host; ``/`` at the
    host's root. A cookie is deleted with the path it was set with."""
    scope = request.scope
    return f"{scope.get('app_root_path', scope.get('root_path', ''))}/"


def set_session_cookie(request: Request, response: Response, token: str, max_age: int) -> None:
    path = cookie_path(request)
    response.set_cookie(
        _names(request).session, token, max_age=max_age, httponly=True, samesite="lax",
        secure=secure_cookies(request), path=path,
    )  # fmt: skip
    # A __Host-/__Secure- cookie is deleted only by a Secure Set-Cookie
    response.delete_cookie(_names(request).nonce, path=path, secure=secure_cookies(request))


def clear_session_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(
        _names(request).session, path=cookie_path(request), secure=secure_cookies(request)
    )


#: Who a request that is not logged in records as acting (an owner's answer link, Slack): the
#: record itself names the owner (a status update's ``author``).
ANONYMOUS_ACTOR = "web (not logged in)"
_READS = frozenset({"GET", "HEAD", "OPTIONS"})


class ActingUser:
    """ASGI middleware: a request that may change something (not GET/HEAD/OPTIONS) runs with
    the logged-in user as the actor every record names (:func:`store.actor.acting_as`); one
    with no live session as :data:`ANONYMOUS_ACTOR`. Reads cost nothing extra."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") in _READS:
            await self.app(scope, receive, send)
            return
        from store.actor import acting_as

        actor = await self._actor(Request(scope))
        with acting_as(actor):
            await self.app(scope, receive, send)

    @staticmethod
    async def _actor(request: Request) -> str:
        from starlette.concurrency import run_in_threadpool

        from regie.services import utcnow
        from regie.users import current_user

        token = session_token(request)
        if not token:
            return ANONYMOUS_ACTOR
        user = await run_in_threadpool(current_user, request.app.state.regie, token, utcnow())
        return user.username if user is not None else ANONYMOUS_ACTOR


class SecurityHeaders:
    """ASGI middleware: every HTTP response carries ``headers`` (the office pages' anti-framing,
    CSP, nosniff and referrer headers; ``web.pages.SECURITY_HEADERS`` without Cache-Control)
    unless its handler set that header itself: an answer page keeps its
    ``Referrer-Policy: no-referrer``, a report download its own headers. Answer links, feeds,
    static files, plain-text errors and redirects are covered as well as the office's pages.
    Cache-Control is each handler's own choice (static files and feeds are meant to be
    cached), never added here. The 500 of an unexpected error is answered outside every
    middleware (Starlette's ServerErrorMiddleware): ``web.app.server_error`` sets them itself."""

    def __init__(self, app: ASGIApp, headers: Mapping[str, str]) -> None:
        self.app = app
        self.headers = [
            (k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                given = list(message.get("headers", ()))
                present = {bytes(name).lower() for name, _ in given}
                missing = [(k, v) for k, v in self.headers if k not in present]
                if missing:
                    message = {**message, "headers": given + missing}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def sub_path(base_url: str) -> str:
    """The path REGIE_BASE_URL puts the site under (``https://example.org/regie/`` →
    ``/regie``); empty at the host's root."""
    return urlsplit(base_url).path.rstrip("/")


class SubPath:
    """ASGI middleware: the site behind a reverse proxy on a sub-path (REGIE_BASE_URL's path).
    It becomes the ASGI ``root_path``, so routes match without it and every address the pages
    make (``url_for``, the templates' ``root``, redirects) has it. A proxy that takes the
    sub-path off the request has it put back first (as ``uvicorn --root-path`` does); one that
    passes it on is served as it is."""

    def __init__(self, app: ASGIApp, prefix: str) -> None:
        self.app = app
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        prefix = self.prefix
        if not prefix or scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        scope = {**scope, "root_path": prefix}
        if path != prefix and not path.startswith(prefix + "/"):
            scope["path"] = prefix + path
            raw = scope.get("raw_path")
            if raw is not None:
                scope["raw_path"] = prefix.encode() + raw
        await self.app(scope, receive, send)


def route_path(scope: Scope) -> str:
    """The request's path within the site: without its sub-path (:class:`SubPath`). Inside a
    mount (``/static``) the site's is ``app_root_path``, ``root_path`` the mount's."""
    path: str = scope["path"]
    root: str = scope.get("app_root_path", scope.get("root_path", ""))
    return path[len(root) :] if root and path.startswith(root) else path
