"""Liveness for `GET /healthz`: does the database answer? And, for ``/healthz?full=1``,
`regie doctor`'s checks (:mod:`regie.doctor`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from regie.bootstrap import App, first_line

if TYPE_CHECKING:
    from regie.doctor import Check


def database_problem(app: App) -> str | None:
    """None when the database answers a trivial query, else the first line of the error."""
    import sqlalchemy as sa

    try:
        with app.engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except Exception as exc:  # any driver error: report it, never a traceback page
        return first_line(exc)
    return None


def full_checks(app: App) -> list[Check]:
    """`regie doctor`'s checks for ``/healthz?full=1``, without the Prefect API's: the page
    asks no other server."""
    from regie.doctor import run_checks

    return run_checks(app, prefect=False)


#: Headers a proxy adds for the request it forwards (lower case): a request carrying one came
#: through a proxy, so its loopback address says nothing about who asked. ``X-Forwarded-*`` (any:
#: a proxy may set only ``-Proto`` or ``-Host``) and the CDNs' client address headers too.
FORWARDED_HEADERS = frozenset(
    {
        "forwarded",
        "x-real-ip",
        "via",
        "x-client-ip",
        "true-client-ip",
        "cf-connecting-ip",
        "fastly-client-ip",
        "x-cluster-client-ip",
        "x-original-forwarded-for",
    }
)
FORWARDED_PREFIX = "x-forwarded-"


def from_this_machine(peer: str | None, header_names: Iterable[str]) -> bool:
    """Whether a request came from this machine itself: from a loopback address (``peer``) and
    not forwarded by a proxy (none of :data:`FORWARDED_HEADERS`, no ``X-Forwarded-*``, whatever
    their values). A proxy on this machine connects from loopback for everyone it serves."""
    import ipaddress

    try:
        loopback = ipaddress.ip_address(peer or "").is_loopback
    except ValueError:
        return False
    if not loopback:
        return False
    for name in header_names:
        lowered = name.lower()
        if lowered in FORWARDED_HEADERS or lowered.startswith(FORWARDED_PREFIX):
            return False
    return True
