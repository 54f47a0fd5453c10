"""The item page names who wrote a status update: a cancel decision's update is the governance
body's, shown by its name ("Stuurgroep Plan van aanpak MVI"), as packs and reports name it —
never its id (``stuurgroep``)."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

from starlette.testclient import TestClient

from regie.bootstrap import App, bootstrap
from regie.config import load_settings
from tests.conftest import SEED_PLAN
from tests.integration.server import TEST_SECRET_KEY
from tests.integration.test_web_item_page import visible

PASSWORD = "a long enough password"
BODY_NAME = "Stuurgroep Plan van aanpak MVI"


def _app(tmp_path: Path, url: str) -> App:
    plan = tmp_path / "plan.yaml"  # a decision edits the plan file: a copy
    shutil.copy(SEED_PLAN, plan)
    return bootstrap(
        load_settings({"REGIE_HOME": str(tmp_path / "home"), "REGIE_DATABASE_URL": url,
                       "REGIE_PLAN": str(plan), "REGIE_SECRET_KEY": TEST_SECRET_KEY})
    )  # fmt: skip


def _client(app: App) -> TestClient:
    from regie.users import add_user, log_in
    from web.app import create_app
    from web.security import session_cookie_name

    now = datetime.now(UTC)
    add_user(app, "office", PASSWORD, "P. Bureau", now)
    token = log_in(app, "office", PASSWORD, now)
    assert token is not None
    return TestClient(create_app(app), cookies={session_cookie_name(app): token})


def _door(html: str) -> list[str]:
    return [visible(c) for c in re.findall(r'<td data-label="Door">(.*?)</td>', html, re.S)]


def test_a_cancel_decision_s_update_names_the_body(tmp_path: Path, migrated_url: str) -> None:
    from regie.decisions import add_decision
    from regie.history import record_update
    from store.actor import acting_as

    app = _app(tmp_path, migrated_url)
    with acting_as("marieke"):  # the office types the owner's answer in on the command line
        record_update(
            app, "1.3.1", "at_risk", as_of=date(2016, 1, 5), forecast=None, completed_on=None,
            comment=None, author="rivm-contact",
        )  # fmt: skip
    assert app.load_plan().body("stuurgroep") is not None
    add_decision(app, "stuurgroep", date(2016, 1, 12), "Verkenning vervalt", cancel="1.3.1")
    page = _client(app).get("/items/1.3.1")
    assert page.status_code == 200, page.text
    # Newest first: the decision's update, then the owner's (a person: shown as recorded), with
    # who in the office typed it in (a decision's update names none).
    assert _door(page.text) == [BODY_NAME, "rivm-contact ingevoerd door marieke"]
    assert "stuurgroep" not in _door(page.text)
