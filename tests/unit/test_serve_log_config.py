"""`regie serve` hands uvicorn the logging set-up of :mod:`regie.log_lines`: its warnings and
uvicorn's carry their level (ops review, finding 8)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.integration.server import TEST_SECRET_KEY


class Stop(Exception):
    pass


def test_serve_configures_uvicorn_with_the_level_formatter(
    regie_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    from regie.cli.serve import serve
    from regie.log_lines import server_log_config

    monkeypatch.setenv("REGIE_SECRET_KEY", TEST_SECRET_KEY)
    seen: dict[str, Any] = {}

    def config(_app: object, **kwargs: Any) -> None:
        seen.update(kwargs)
        raise Stop

    monkeypatch.setattr(uvicorn, "Config", config)
    with pytest.raises(Stop):
        serve(host="127.0.0.1", port=0)
    assert seen["log_config"] == server_log_config()
