"""store.urls checks a database URL as SQLAlchemy would, without importing SQLAlchemy."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from store.urls import normalise_url, url_problem

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
