"""store.urls checks a database URL as SQLAlchemy would, without importing SQLAlchemy."""

from __future__ import annotations

from pathlib import Path

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


#: Passwords with an unescaped ``@`` followed by what ends a host (``:``, ``/``, ``?``): every
#: character of the password ("pw@XQZ" + tail) must be hidden wherever the URL is printed.
UNESCAPED_AT = [
    "postgresql://regie:XQZKVW@XQZKVW@db.example/regie",
    "postgresql://regie:pw@XQZ:KVW@db.example:5432/regie",
    "postgresql://regie:pw@XQZ/KVW@db.example/regie",
    "postgresql://regie:pw@XQZ?KVW@db.example/regie",
    "postgresql://regie:pw@XQZ?KVW@db.example",
    "postgresql://regie:pw@XQZ:1@127.0.0.1:1/regie",
    "http://user:pw@XQZ:KVW@prefect.example:4200/api",
]


@pytest.mark.parametrize("url", UNESCAPED_AT)
def test_a_password_with_an_unescaped_at_sign_is_hidden_whole(url: str) -> None:
    """Before: ``regie:***@XQZ:KVW@db.example`` (the password's tail after its first ``@``
    printed); the user info now ends at its last ``@``."""
    shown = hide_password(url)
    assert "XQZ" not in shown and "KVW" not in shown
    assert ":***@db.example" in shown or ":***@127.0.0.1" in shown or ":***@prefect" in shown
    assert url_problem(normalise_url(url)) == (
        "an '@' in the user name or password must be written as %40"
    )


@pytest.mark.parametrize(
    ("url", "shown"),
    [  # an '@' that is not in the password is left where it is
        ("postgresql://u:pw@h/my@db", "postgresql://u:***@h/my@db"),
        (
            "postgresql://u:pw@h/d?application_name=a@b",
            "postgresql://u:***@h/d?application_name=a@b",
        ),
        ("postgresql://u@h/my@db", "postgresql://u@h/my@db"),
        ("postgresql://h:5432/d", "postgresql://h:5432/d"),
    ],
)
def test_an_at_sign_outside_the_password_stays(url: str, shown: str) -> None:
    assert hide_password(url) == shown
    assert url_problem(url) is None


@pytest.mark.parametrize("url", UNESCAPED_AT[:-1])
def test_no_printed_line_shows_part_of_such_a_password(tmp_path: Path, url: str) -> None:
    """The commands that print the database URL (doctor, status, a settings error) refuse it
    in one line and print no character of the password."""
    from tests.cli_in_process import regie

    env = {"REGIE_HOME": str(tmp_path), "REGIE_DATABASE_URL": url, "PREFECT_API_URL": ""}
    for command in (("doctor",), ("status",), ("plan", "validate")):
        done = regie(*command, env=env)
        printed = done.out + done.err
        assert done.code == 2 and "%40" in printed, printed
        assert "XQZ" not in printed and "KVW" not in printed, printed


def test_a_password_in_the_prefect_api_url_is_not_printed(tmp_path: Path) -> None:
    from tests.cli_in_process import regie

    env = {
        "REGIE_HOME": str(tmp_path),
        "REGIE_PLAN": "plan/actions.yaml",
        "PREFECT_API_URL": "ftp://user:S3cr@tPw@prefect.example/api",
    }
    done = regie("doctor", env=env)
    assert done.code == 2 and "S3cr" not in done.err and "tPw" not in done.err, done.err
    assert "ftp://user:***@prefect.example/api" in done.err


def test_no_other_printed_url_shows_its_password(tmp_path: Path) -> None:
    """Every URL a setting, a check or an error prints: the Prefect API's (doctor's check, the
    error of a server that does not answer), the Slack API's, the base URL."""
    from regie.config import load_settings
    from regie.errors import InvalidInput
    from regie.events import PrefectUnavailable
    from tests.cli_in_process import regie

    env = {
        "REGIE_HOME": str(tmp_path),
        "REGIE_PLAN": "plan/actions.yaml",
        "PREFECT_API_URL": "http://user:S3cretPw@127.0.0.1:1/api",
    }
    done = regie("doctor", env=env)
    assert "S3cretPw" not in done.out + done.err
    assert "prefect: Prefect API http://user:***@127.0.0.1:1/api (from the environment) is not" in (
        done.out
    )
    error = PrefectUnavailable("http://user:S3cr@tPw@prefect.example/api", "timed out")
    assert "S3cr" not in str(error) and "http://user:***@prefect.example/api" in str(error)
    bad = {
        "REGIE_HOME": str(tmp_path),
        "REGIE_NOTIFIER": "slack",
        "REGIE_SLACK_BOT_TOKEN": "xoxb-1-2-abc",
        "REGIE_SLACK_API_URL": "ftp://u:S3cretPw@slack.example/api/",
        "REGIE_BASE_URL": "ftp://u:S3cretPw@regie.example",
    }
    with pytest.raises(InvalidInput) as raised:
        load_settings(bad)
    text = "\n".join(raised.value.lines)
    assert "S3cretPw" not in text
    assert "ftp://u:***@slack.example/api/" in text and "ftp://u:***@regie.example" in text
