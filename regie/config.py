"""Settings from the environment, read once at bootstrap (never deep inside the domain)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from regie.errors import InvalidInput

NOTIFIERS = ("file",)  # Slack and e-mail arrive with the notifications issue
MIN_SECRET_KEY_LENGTH = 32  # characters; secrets.token_urlsafe(32) gives 43
DEFAULT_BASE_URL = "http://127.0.0.1:8000"


@dataclass(frozen=True, slots=True)
class Settings:
    home: Path  # REGIE_HOME: SQLite database, file outbox, Prefect home
    database_url: str  # REGIE_DATABASE_URL, default SQLite under home
    plan_path: Path  # REGIE_PLAN, default plan/actions.yaml
    notifier: str  # REGIE_NOTIFIER: file (default)
    timezone: str | None  # REGIE_TIMEZONE; None: the plan's calendar.timezone
    base_url: str = DEFAULT_BASE_URL  # REGIE_BASE_URL: where `regie serve` is reached (links)
    secret_key: str | None = None  # REGIE_SECRET_KEY: signs sessions, CSRF tokens, links
    slack_signing_secret: str | None = None  # REGIE_SLACK_SIGNING_SECRET: POST /slack/interactivity
    slack_app_token: str | None = None  # REGIE_SLACK_APP_TOKEN (xapp-…): `regie slack listen`

    def require_secret_key(self) -> str:
        """The signing key, or one clear line when it is missing or too short to be safe."""
        hint = "generate one with: python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"
        if not self.secret_key:
            raise InvalidInput(f"REGIE_SECRET_KEY: not set; {hint}")
        if len(self.secret_key) < MIN_SECRET_KEY_LENGTH:
            raise InvalidInput(
                f"REGIE_SECRET_KEY: {len(self.secret_key)} characters is too short "
                f"(at least {MIN_SECRET_KEY_LENGTH}); {hint}"
            )
        return self.secret_key

    @property
    def outbox_dir(self) -> Path:
        return self.home / "outbox"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read and check the REGIE_* variables; a bad value is one clear line, not a traceback."""
    from store.urls import url_problem

    env = os.environ if env is None else env
    home = Path(env.get("REGIE_HOME") or "var").expanduser()
    url = database_url_from_env(home, env)
    problems = []
    if (problem := url_problem(url)) is not None:
        problems.append(f"REGIE_DATABASE_URL: {problem}: {url!r}")
    notifier = (env.get("REGIE_NOTIFIER") or "file").lower()
    if notifier not in NOTIFIERS:
        problems.append(
            f"REGIE_NOTIFIER: {notifier!r} is not available (available: {', '.join(NOTIFIERS)})"
        )
    timezone = env.get("REGIE_TIMEZONE") or None
    if timezone is not None and not valid_timezone(timezone):
        problems.append(f"REGIE_TIMEZONE: unknown time zone {timezone!r}")
    base_url = (env.get("REGIE_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
    if not valid_base_url(base_url):
        problems.append(f"REGIE_BASE_URL: not an http(s) URL: {base_url!r}")
    app_token = env.get("REGIE_SLACK_APP_TOKEN") or None
    if app_token is not None and not app_token.startswith("xapp-"):
        problems.append(
            "REGIE_SLACK_APP_TOKEN: not an app-level token (it must start with 'xapp-')"
        )
    if problems:
        raise InvalidInput(*problems)
    return Settings(
        home=home,
        database_url=url,
        plan_path=Path(env.get("REGIE_PLAN") or "plan/actions.yaml").expanduser(),
        notifier=notifier,
        timezone=timezone,
        base_url=base_url,
        secret_key=env.get("REGIE_SECRET_KEY") or None,
        slack_signing_secret=env.get("REGIE_SLACK_SIGNING_SECRET") or None,
        slack_app_token=app_token,
    )


def valid_base_url(url: str) -> bool:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not parts.query


def valid_timezone(name: str) -> bool:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def database_url_from_env(
    regie_home: Path | None = None, env: Mapping[str, str] | None = None
) -> str:
    """``REGIE_DATABASE_URL`` if set, else a SQLite file under ``regie_home``/REGIE_HOME/./var."""
    from store.urls import normalise_url

    env = os.environ if env is None else env
    url = env.get("REGIE_DATABASE_URL")
    if url:
        return normalise_url(url)
    home = regie_home if regie_home is not None else Path(env.get("REGIE_HOME") or "var")
    return f"sqlite:///{home.expanduser() / 'regie.db'}"
