"""store.urls checks a database URL as SQLAlchemy would, without importing SQLAlchemy."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from store.urls import hide_password, normalise_url, sqlite_file, unsupported, url_problem

URLS = [
    "sqlite:///var/regie.db",
    "sqlite://",
    "sqlite:///:memory:",
    "sqlite:////abs/path/regie.db?timeout=5",
    "postgresql+psycopg://regie:s3cr%40t@db.example:5432/regie",
    "postgresql+psycopg://regie@[::1]:5432/regie",
    "postgresql+psycopg://db.example/regie?sslmode=require&application_name=regie",
    "mysql+pymysql://u:p@h/d",
    "postgresql+psycopg://regie@db.example:port/regie",
    "postgresql+psycopg://regie@db.example:/regie",
    "not a url",
    "sqlite:/var/regie.db",
    "://x",
    "",
    "postgres ql://h/d",
]


@pytest.mark.parametrize("url", URLS)
def test_url_problem_agrees_with_sqlalchemy(url: str) -> None:
    try:
        sa.make_url(url)
    except (sa.exc.ArgumentError, ValueError):
        accepted = False
    else:
        accepted = True
    assert (url_problem(url) is None) == accepted, url


def test_a_bad_port_is_named() -> None:
    assert url_problem("postgresql+psycopg://h:abc/d") == "port 'abc' is not a number"


def test_pasted_postgres_urls_get_the_psycopg_driver() -> None:
    assert normalise_url("postgres://h/d") == "postgresql+psycopg://h/d"
    assert normalise_url("sqlite:///x.db") == "sqlite:///x.db"


@pytest.mark.parametrize("url", [*[u for u in URLS if url_problem(u) is None], "mysql://u:@h/d"])
def test_hide_password_agrees_with_sqlalchemy(url: str) -> None:
    """The same URL back (SQLAlchemy reorders a query string: compared without it)."""
    hidden = sa.make_url(url).render_as_string(hide_password=True)
    assert hide_password(url).split("?")[0] == hidden.split("?")[0]
    assert "s3cr" not in hide_password(url)


def test_only_sqlite_and_postgresql_through_psycopg_are_supported() -> None:
    supported = ["sqlite:///x.db", "sqlite+pysqlite:///x.db", normalise_url("postgres://h/d")]
    assert not any(unsupported(u) for u in supported)
    others = ["foo://x", "mysql://u:p@h/d", "postgresql+psycopg2://h/d", "SQLite:///x.db"]
    assert all(unsupported(u) for u in others)


def test_the_file_of_a_sqlite_url() -> None:
    assert sqlite_file("sqlite:////srv/regie/regie.db?timeout=5") == "/srv/regie/regie.db"
    assert sqlite_file("sqlite:///var/regie.db") == "var/regie.db"
    for none in ("sqlite://", "sqlite:///:memory:", "sqlite:///file:x.db?mode=ro&uri=true"):
        assert sqlite_file(none) is None
    assert sqlite_file("postgresql+psycopg://h/d") is None


def test_an_unescaped_at_sign_in_the_password_is_named_and_hidden() -> None:
    """SQLAlchemy parses ``regie:pw@RET@host`` as password ``pw`` and host ``RET@host``: the
    connection fails naming part of the password. Refused with what to write instead, and the
    printed URL hides all of it."""
    url = "postgresql+psycopg://regie:pw@s3cr@db.example:5432/regie"
    assert url_problem(url) == "an '@' in the user name or password must be written as %40"
    assert hide_password(url) == "postgresql+psycopg://regie:***@db.example:5432/regie"
    assert url_problem("postgresql+psycopg://regie:pw%40s3cr@db.example/regie") is None


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "postgresql+psycopg://regie@127.0.0.1:1/regie?password=S3cretPw",
            "postgresql+psycopg://regie@127.0.0.1:1/regie?password=***",
        ),
        (
            "postgresql+psycopg:///regie?host=/run/pg&user=regie&password=S3cretPw&sslmode=require",
            "postgresql+psycopg:///regie?host=/run/pg&user=regie&password=***&sslmode=require",
        ),
        (
            "postgresql+psycopg://u:S3cretPw@h/d?sslpassword=S3cretPw&pass%77ord=S3cretPw",
            "postgresql+psycopg://u:***@h/d?sslpassword=***&pass%77ord=***",
        ),
        ("postgresql+psycopg://h/d?passfile=/S3cretPw", "postgresql+psycopg://h/d?passfile=***"),
        ("postgres ql://u:S3cretPw@h/d?password=S3cretPw", "postgres ql://u:***@h/d?password=***"),
    ],
)
def test_hide_password_masks_every_password_form(url: str, shown: str) -> None:
    """libpq's ``?password=`` (security review, finding 10), also where it is no URL at all."""
    assert hide_password(url) == shown


def test_the_app_shows_its_database_without_a_query_password(tmp_path: object) -> None:
    from regie.bootstrap import bootstrap
    from regie.config import load_settings

    url = "postgresql://regie@127.0.0.1:1/regie?password=S3cretPw&application_name=x"
    app = bootstrap(load_settings({"REGIE_HOME": str(tmp_path), "REGIE_DATABASE_URL": url}))
    assert "S3cretPw" not in app.safe_url and "password=***" in app.safe_url
