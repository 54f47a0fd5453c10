"""Every domain event reaches Prefect one way: regie.events.publish (the deadline check's flow
and an owner's answer alike), so resources, related programme and payload have one shape."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("regie", "flows", "store", "web", "notifications", "governance", "reports", "feeds")


def test_only_regie_events_calls_prefect_emit_event() -> None:
    callers = sorted(
        str(path.relative_to(ROOT))
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "emit_event(" in path.read_text(encoding="utf-8")
    )
    assert callers == ["regie/events.py"]


def test_answers_publish_through_regie_events() -> None:
    source = (ROOT / "regie" / "answers.py").read_text(encoding="utf-8")
    assert re.search(r"from regie\.events import .*\bpublish\b", source)
    assert "import prefect" not in source and "from prefect" not in source
