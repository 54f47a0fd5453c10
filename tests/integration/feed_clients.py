"""Read a feed the way calendar apps do: ical.js (Node, tests/js) and icalendar."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.integration.server import TEST_SECRET_KEY

if TYPE_CHECKING:
    from regie.bootstrap import App

JS = Path(__file__).resolve().parents[1] / "js"
FEEDS_PLAN = Path(__file__).resolve().parents[1] / "fixtures" / "plans" / "feeds.yaml"


def synced_app(tmp_path: Path, url: str, *, sync: bool = True) -> App:
    """The feeds fixture plan (a copy, free to edit), synced, with a secret key for the web app.
    ``sync`` False: the app on a plan and database made before (a copy of them)."""
    from regie.bootstrap import bootstrap
    from regie.config import load_settings
    from regie.services import sync as sync_plan

    plan = tmp_path / "plan.yaml"
    if sync:
        shutil.copy(FEEDS_PLAN, plan)
    app = bootstrap(
        load_settings({"REGIE_HOME": str(tmp_path / "home"), "REGIE_DATABASE_URL": url,
                       "REGIE_PLAN": str(plan), "REGIE_SECRET_KEY": TEST_SECRET_KEY})
    )  # fmt: skip
    if sync:
        sync_plan(app, None)
    return app


def ical_js(body: bytes) -> dict[str, Any]:
    """The feed as ical.js sees it (tests/js/parse_ics.mjs); skipped only outside CI."""
    node = shutil.which("node")
    if node is None or not (JS / "node_modules" / "ical.js").exists():
        import os

        if os.environ.get("CI"):
            pytest.fail("CI must run the ical.js checks: node or tests/js/node_modules missing")
        pytest.skip("ical.js not installed (cd tests/js && npm ci)")
    proc = subprocess.run(
        [node, str(JS / "parse_ics.mjs")], input=body, capture_output=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr.decode()
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def icalendar_events(body: bytes) -> dict[str, Any]:
    """UID → VEVENT as icalendar reads it."""
    from icalendar import Calendar

    calendar = Calendar.from_ical(body)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}
