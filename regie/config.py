"""Settings from the environment, read once at bootstrap (never deep inside the domain)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Settings:
    home: Path  # REGIE_HOME: SQLite database, file outbox, Prefect home
    database_url: str  # REGIE_DATABASE_URL, default SQLite under home
    plan_path: Path  # REGIE_PLAN, default plan/actions.yaml
    notifier: str  # REGIE_NOTIFIER: file (default), email, slack
    timezone: str  # REGIE_TIMEZONE: the office's clock for "today"

    @property
    def outbox_dir(self) -> Path:
        return self.home / "outbox"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def normalise_database_url(url: str) -> str:
    """Accept the URLs people paste (postgres://…) and pick the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def load_settings(env: dict[str, str] | None = None) -> Settings:
    env = dict(os.environ) if env is None else env
    home = Path(env.get("REGIE_HOME") or "var").expanduser()
    url = env.get("REGIE_DATABASE_URL") or f"sqlite:///{home / 'regie.db'}"
    return Settings(
        home=home,
        database_url=normalise_database_url(url),
        plan_path=Path(env.get("REGIE_PLAN") or "plan/actions.yaml").expanduser(),
        notifier=(env.get("REGIE_NOTIFIER") or "file").lower(),
        timezone=env.get("REGIE_TIMEZONE") or "Europe/Amsterdam",
    )
