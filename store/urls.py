"""Database URLs as text: checked and normalised without importing SQLAlchemy.

Reading the settings must stay cheap: ``regie plan validate`` never opens the database, and
importing SQLAlchemy alone costs it about a third of a second.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_plus

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


#: The drivers Regie runs on, after :func:`normalise_url`: SQLite, and PostgreSQL through
#: psycopg 3 (``postgres://`` and ``postgresql://`` are given that driver).
SUPPORTED_DRIVERS = ("sqlite", "sqlite+pysqlite", "postgresql+psycopg")


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
    if "@" in (found["ipv4host"] or "") or "@" in (found["port"] or "") or _at_in_userinfo(found):
        # SQLAlchemy would take the password's tail for the host, port, database or query: a
        # connection error naming a host that does not exist, with part of the password in it.
        return "an '@' in the user name or password must be written as %40"
    port = found["port"]
    if port is not None:  # "host:/db" too: SQLAlchemy then fails on int("")
        try:
            int(port)
        except ValueError:
            return f"port {port!r} is not a number"
    return None


def unsupported(url: str) -> bool:
    """Whether ``url`` (normalised, parseable) names a database or driver Regie does not run on
    (``mysql://``, a typo): refused before SQLAlchemy looks for a plugin or a driver module."""
    found = _URL.match(url)
    return found is None or found["name"] not in SUPPORTED_DRIVERS


#: Query parameters that carry a secret (libpq's ``?password=``, ``sslpassword``; ``passfile``
#: names where one is): masked by :func:`hide_password` like the password in the user info.
SECRET_QUERY_KEYS = frozenset({"password", "sslpassword", "passfile"})
_SECRET_QUERY = re.compile(r"(?i)([?&;](?:ssl)?pass(?:word|file)=)[^&;#]*")
_USERINFO = re.compile(r"(://[^/?#@:]*:)[^/?#]*@")


def hide_password(url: str) -> str:
    """``url`` with every password as ``***``: the user info's (as SQLAlchemy renders it) and
    the query's (``?password=…``, also percent-encoded ``?pass%77ord=…``): fit to print.

    A password with an unescaped ``@`` is hidden whole, whatever follows that ``@`` (``:``,
    ``/``, ``?``): the user info is read up to its last ``@`` (:func:`_userinfo_end`), not up
    to the first, where SQLAlchemy's parse ends it."""
    found = _URL.match(url)
    if found is None:  # not a URL: still no secret query parameter in what is printed
        return _hide_userinfo(_SECRET_QUERY.sub(r"\1***", url))
    if found["query"] is not None:
        start = found.start("query")
        parts = url[start:].split("&")
        for i, part in enumerate(parts):
            key, sep, _ = part.partition("=")
            if sep and unquote_plus(key).strip().lower() in SECRET_QUERY_KEYS:
                parts[i] = f"{key}=***"
        url = url[:start] + "&".join(parts)
    if found["password"] is None:
        return url
    if not _at_in_userinfo(found):  # SQLAlchemy's parse is right (``…@host/my@db``)
        start, end = found.span("password")
        return url[:start] + "***" + url[end:]
    return _hide_userinfo(url)


#: The text between a ``?`` and an ``@`` when that ``@`` is in a query's value
#: (``?application_name=a@b``), not in a password (``pw@x?y@host``).
_QUERY_BEFORE_AT = re.compile(r"[^/=&@]+=[^/&@]*(?:&[^/=&@]+=[^/&@]*)*")


def _userinfo_end(url: str) -> int | None:
    """Where the user info of ``url`` ends, read as its writer meant it: its last ``@`` that is
    not in a query's value, an unescaped ``@`` in the password (before a ``:``, ``/`` or ``?``
    of the password) included; None without one."""
    scheme = url.find("://")
    if scheme < 0:
        return None
    begin, end = scheme + 3, len(url)
    while (at := url.rfind("@", begin, end)) >= 0:
        question = url.rfind("?", begin, at)
        if (
            question >= 0
            and "/" not in url[at:]
            and _QUERY_BEFORE_AT.fullmatch(url, question + 1, at)
        ):
            end = question  # an '@' in the query: the user info, if any, is before it
            continue
        return at
    return None


def _hide_userinfo(url: str) -> str:
    """``url`` with the user info's password (from its first ``:`` to :func:`_userinfo_end`)
    as ``***``."""
    at = _userinfo_end(url)
    if at is None:
        return url
    begin = url.index("://") + 3
    colon = url.find(":", begin, at)
    if colon < 0 or "/" in url[begin:colon]:
        return url
    return url[: colon + 1] + "***" + url[at:]


def _at_in_userinfo(found: re.Match[str]) -> bool:
    """Whether SQLAlchemy's parse leaves part of the password in the database or query (an
    unescaped ``@`` followed by a ``/`` or ``?`` of the password). An ``@`` in a database name
    (``…@host/my@db``: nothing after it looks like a host's path) is allowed."""
    if found["password"] is None:
        return False
    url = found.string
    at = _userinfo_end(url)
    if at is None or at <= found.end("password"):
        return False
    in_database = found["database"] is not None and found.start("database") <= at < found.end(
        "database"
    )
    return not in_database or "/" in url[at:]


def sqlite_file(url: str) -> str | None:
    """The file a SQLite URL names, as written (relative paths are the working directory's);
    None for another database, an in-memory one or an SQLite ``file:`` URI."""
    found = _URL.match(url)
    if found is None or not found["name"].startswith("sqlite"):
        return None
    database = found["database"] or ""
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return database
