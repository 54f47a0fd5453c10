"""REGIE_LOG_LEVEL and REGIE_LOG_FORMAT (walk31 #14): `regie serve` logs at the level asked for,
as text lines or JSON objects; other libraries stay at WARNING (their debug lines may hold
tokens); a bad value is one line at start-up."""

from __future__ import annotations

import json
import logging
import logging.config
from pathlib import Path
from typing import Any

import pytest

from regie.config import load_settings
from regie.errors import InvalidInput
from regie.log_lines import server_log_config
from tests.integration.server import TEST_SECRET_KEY
from tests.unit.test_log_lines import restored_logging

__all__ = ["restored_logging"]  # the fixture, used by name


def test_debug_opens_regie_s_loggers_and_not_the_libraries(
    restored_logging: None, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("JOURNAL_STREAM", raising=False)
    logging.config.dictConfig(server_log_config("DEBUG"))
    logging.getLogger("regie.web").debug("a look inside")
    logging.getLogger("uvicorn.error").info("Started server process")
    logging.getLogger("slack_sdk.web.base_client").debug("Sending a request - headers: xoxb-…")
    lines = capsys.readouterr().err.splitlines()
    assert [line.split(" ", 2)[2] for line in lines] == [
        "DEBUG regie.web: a look inside",
        "INFO uvicorn.error: Started server process",
    ]


def test_json_is_one_object_a_line(
    restored_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    logging.config.dictConfig(server_log_config("INFO", "json"))
    logging.getLogger("regie.feeds").info("feed %s refreshed", "stuurgroep")
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("regie.web").exception("failed")
    first, second = (json.loads(line) for line in capsys.readouterr().err.splitlines())
    assert {k: first[k] for k in ("level", "logger", "message")} == {
        "level": "INFO",
        "logger": "regie.feeds",
        "message": "feed stuurgroep refreshed",
    }
    assert first["time"].endswith("+00:00")
    assert second["level"] == "ERROR" and "ValueError: boom" in second["exception"]


def test_the_settings_take_a_level_and_a_format_and_refuse_others_in_one_line() -> None:
    settings = load_settings({"REGIE_LOG_LEVEL": "Debug", "REGIE_LOG_FORMAT": "JSON"})
    assert (settings.log_level, settings.log_format) == ("DEBUG", "json")
    default = load_settings({})
    assert (default.log_level, default.log_format) == ("WARNING", "text")
    with pytest.raises(InvalidInput) as caught:
        load_settings({"REGIE_LOG_LEVEL": "loud", "REGIE_LOG_FORMAT": "xml"})
    assert caught.value.lines == [
        "REGIE_LOG_LEVEL: 'loud' is not one of debug, info, warning, error",
        "REGIE_LOG_FORMAT: 'xml' is not text or json",
    ]


class Stop(Exception):
    pass


def test_serve_hands_the_level_and_format_to_uvicorn(
    regie_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    from regie.cli.serve import serve

    monkeypatch.setenv("REGIE_SECRET_KEY", TEST_SECRET_KEY)
    monkeypatch.setenv("REGIE_LOG_LEVEL", "info")
    monkeypatch.setenv("REGIE_LOG_FORMAT", "json")
    seen: dict[str, Any] = {}

    def config(_app: object, **kwargs: Any) -> None:
        seen.update(kwargs)
        raise Stop

    monkeypatch.setattr(uvicorn, "Config", config)
    with pytest.raises(Stop):
        serve(host="127.0.0.1", port=0)
    assert seen["log_level"] == "info"
    assert seen["log_config"] == server_log_config("INFO", "json")
