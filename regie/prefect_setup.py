"""Which Prefect API Regie's flows would use, and Prefect's environment, without importing Prefect.

Importing Prefect costs ≈ 2 s and, with no API configured, running a flow starts a temporary
server: callers ask :func:`prefect_api_url` first and leave Prefect alone when it is None.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from regie.bootstrap import App


def prefect_api_url(env: Mapping[str, str] | None = None) -> str | None:
    """The Prefect API this process would use, read without importing Prefect (≈ 2 s).

    As Prefect 3.9 reads it: ``PREFECT_API_URL`` from the environment, else from the active
    profile (``PREFECT_PROFILE`` or the file's ``active``) in ``PREFECT_PROFILES_PATH``
    (default ``$PREFECT_HOME/profiles.toml``). Prefect's project files (``prefect.toml``,
    ``.env``) are not consulted: export the variable or use a profile.
    """
    env = os.environ if env is None else env
    if url := env.get("PREFECT_API_URL", "").strip():
        return url
    home = Path(env.get("PREFECT_HOME") or "~/.prefect").expanduser()
    path = Path(env.get("PREFECT_PROFILES_PATH") or home / "profiles.toml").expanduser()
    try:
        profiles = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None  # no profile file (Prefect's default profile has no API URL either)
    active = env.get("PREFECT_PROFILE") or profiles.get("active")
    profile = profiles.get("profiles", {}).get(active, {}) if isinstance(active, str) else {}
    stored = profile.get("PREFECT_API_URL") if isinstance(profile, dict) else None
    if not isinstance(stored, str) or not stored.strip():
        return None
    return stored.strip()


def prefect_environment(app: App) -> None:
    """Give Prefect the project's own home (and quiet logs) before it is imported or its
    profile is read (see DESIGN.md); settings the caller made win."""
    os.environ.setdefault("PREFECT_HOME", str((app.settings.home / "prefect").resolve()))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")
