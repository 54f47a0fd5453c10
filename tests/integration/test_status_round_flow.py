"""The status-round flow on a real (temporary) Prefect API: start, then chase and close."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.integration.answer_app import ANSWERS_PLAN

pytestmark = [pytest.mark.prefect, pytest.mark.usefixtures("prefect_harness")]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("REGIE_HOME", str(home))
    monkeypatch.setenv("REGIE_PLAN", str(ANSWERS_PLAN))
    monkeypatch.setenv("REGIE_NOTIFIER", "file")
    monkeypatch.delenv("REGIE_DATABASE_URL", raising=False)
    return home


def test_status_round_flow_starts_chases_and_closes(home: Path) -> None:
    from flows.status_round import status_round

    state = status_round(
        as_of="2025-06-02", body="stuurgroep", answer_by="2025-06-20", return_state=True
    )
    assert state.is_completed(), state.message
    started: dict[str, Any] = state.result()
    assert started["started"]["queued"] == 3
    assert started["send"]["sent"] == 3
    chased = status_round(as_of="2025-06-19")
    assert chased["rounds"][0]["queued"] == 3  # nobody answered: all three chased
    closed = status_round(as_of="2025-06-20")
    assert closed["rounds"][0]["closed"] is True
    assert closed["send"]["sent"] == 1  # the office's summary
    mails = sorted(p.name for p in (home / "outbox").rglob("*.eml"))
    assert len(mails) == 7
