"""Database URLs as text: checked and normalised without importing SQLAlchemy.

Reading the settings must stay cheap: ``regie plan validate`` never opens the database, and
importing SQLAlchemy alone costs it about a third of a second.
"""

from __future__ import annotations

import re

# The pattern of SQLAlchemy 2.0's ``sqlalchemy.engine.url._parse_url``: a URL this accepts is
# one ``make_url`` accepts (tests/unit/test_urls.py holds the two side by side).
_URL = re.compile(
    r"""
        (?P<name>[\w\+]+)://
        (?:
            (?P<username>[^:/]*)
            (?::(?P<password>[^@]*))?
        @)?
        (?:
            (?:
                \[(?P<ipv6host>[^/\?]+)\] |
                (?P<ipv4host>[^/:\?]+)
            )?
            (?::(?P<port>[^/\?]*))?
        )?
        (?:/(?P<database>[^\?]*))?
        (?:\?(?P<query>.*))?
    """,
    re.X,
)


def normalise_url(url: str) -> str:
    """Accept the URLs people paste (``postgres://…``) and pick the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def url_problem(url: str) -> str | None:
    """Why ``url`` is not a database URL, or None when SQLAlchemy can parse it."""
    found = _URL.match(url)
    if found is None:
        return "not a database URL"
    port = found["port"]
    if port is not None:  # "host:/db" too: SQLAlchemy then fails on int("")
        try:
            int(port)
        except ValueError:
            return f"port {port!r} is not a number"
    return None
