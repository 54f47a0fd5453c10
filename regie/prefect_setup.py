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
    return _prefect_setting("PREFECT_API_URL", env)


def prefect_api_url_source(env: Mapping[str, str] | None = None) -> str:
    """Where :func:`prefect_api_url` found the URL, or where it looked when it found none:
    ``the environment`` or ``profile 'NAME' in PATH`` (two installations on one machine that
    share a ``PREFECT_HOME`` share its profile's server, walk56c 5)."""
    return _prefect_setting_and_source("PREFECT_API_URL", env)[1]


def _prefect_setting(name: str, env: Mapping[str, str] | None = None) -> str | None:
    """A Prefect setting from the environment, else from the active profile (see above)."""
    return _prefect_setting_and_source(name, env)[0]


def _prefect_setting_and_source(
    name: str, env: Mapping[str, str] | None = None
) -> tuple[str | None, str]:
    """A Prefect setting and where it came from (see :func:`prefect_api_url_source`)."""
    env = os.environ if env is None else env
    if value := env.get(name, "").strip():
        return value, "the environment"
    home = Path(env.get("PREFECT_HOME") or "~/.prefect").expanduser()
    path = Path(env.get("PREFECT_PROFILES_PATH") or home / "profiles.toml").expanduser()
    try:
        profiles = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None, f"the environment or {path}"  # no profile file: the default sets nothing
    active = env.get("PREFECT_PROFILE") or profiles.get("active")
    profile = profiles.get("profiles", {}).get(active, {}) if isinstance(active, str) else {}
    stored = profile.get(name) if isinstance(profile, dict) else None
    where = f"profile {active!r} in {path}" if isinstance(active, str) else str(path)
    if not isinstance(stored, str) or not stored.strip():
        return None, f"the environment or {where}"
    return stored.strip(), where


#: How long a look at the Prefect server may take before it counts as not answering.
SERVER_CHECK_SECONDS = 2.0


def server_problem(api_url: str, timeout: float = SERVER_CHECK_SECONDS) -> str | None:
    """Why the Prefect server at ``api_url`` does not answer, or None when it does.

    What Prefect's ``api_healthcheck`` asks (``GET …/health``, with the API key or auth string
    when one is set), without importing Prefect (≈ 1 s) and with a short timeout instead of
    Prefect's 60 s: a server that is down is said at once (``regie cycle`` before its flow
    run, an answer before its event is queued).
    """
    import base64
    import urllib.error
    import urllib.request

    headers = {}
    if key := _prefect_setting("PREFECT_API_KEY"):
        headers["Authorization"] = f"Bearer {key}"
    elif auth := _prefect_setting("PREFECT_API_AUTH_STRING"):
        headers["Authorization"] = "Basic " + base64.b64encode(auth.encode()).decode()
    request = urllib.request.Request(f"{api_url.rstrip('/')}/health", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read(1024)
    except urllib.error.HTTPError as exc:
        return f"HTTP {exc.code} {exc.reason}"
    except TimeoutError:
        return f"no answer within {timeout:g} s"
    except (OSError, ValueError) as exc:  # refused, unknown host (URLError), a malformed URL
        reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
        if isinstance(reason, TimeoutError):
            return f"no answer within {timeout:g} s"
        return str(reason) or type(reason).__name__
    return None


def prefect_environment(app: App) -> None:
    """Give Prefect the project's own home (and quiet logs) before it is imported or its
    profile is read (see DESIGN.md); settings the caller made win."""
    os.environ.setdefault("PREFECT_HOME", str((app.settings.home / "prefect").resolve()))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")
