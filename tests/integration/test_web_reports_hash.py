""" "Rapporten": the full content hash is readable for keyboard and touch users (a disclosure),
not only in a title attribute (a mouse's tooltip)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

from starlette.testclient import TestClient

from tests.integration.feed_clients import synced_app


def test_the_full_hash_is_in_a_disclosure(tmp_path: Path, migrated_url: str) -> None:
    from regie.reports import agenda
    from regie.users import add_user, log_in
    from web.app import create_app
    from web.security import session_cookie_name

    app = synced_app(tmp_path, migrated_url)
    made = agenda(app, "regieteam", date(2016, 3, 29), date(2016, 3, 1), "md")
    now = datetime.now(UTC)
    add_user(app, "office", "a long enough password", "P. Bureau", now)
    token = log_in(app, "office", "a long enough password", now)
    assert token is not None
    web = TestClient(create_app(app), follow_redirects=False)
    web.cookies.set(session_cookie_name(app), token)

    text = web.get("/rapporten").text
    assert f'title="{made.sha256}"' not in text
    (details,) = re.findall(r"<details>.*?</details>", text, re.S)
    summary = re.search(r"<summary>(.*?)</summary>", details, re.S)
    assert summary is not None and f"{made.sha256[:12]}…" in summary.group(1)
    assert "volledige inhoudshash tonen" in summary.group(1)  # what the button does
    body = details[summary.end() :]
    assert made.sha256 in body.replace("<wbr>", "")  # breaks in a narrow column
