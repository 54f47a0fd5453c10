"""The office's subscriptions page shows each calendar token's status as `regie calendar token
list` does — active, revoked, contact left — with who made it and when it was last used, and
never a token itself."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from starlette.testclient import TestClient

from regie.feeds import create_token, revoke_token
from store.actor import acting_as
from tests.integration.feed_clients import synced_app
from tests.integration.test_web_item_page import visible
from tests.integration.test_web_problem_pages import _office
from web.app import create_app

NOW = datetime(2016, 1, 11, 9, 0, tzinfo=UTC)
KBAKKER = """  - id: kbakker
    name: K. Bakker
    organisation: GGD
    email: k.bakker@example.org
"""


def _rows(html: str) -> dict[int, dict[str, str]]:
    """Subscription number → its row in the table: column → visible text."""
    table = html.split("<h2>Bestaande abonnementen</h2>", 1)[1]
    out = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]:  # after the header row
        cells = {label: visible(cell) for label, cell in
                 re.findall(r'<td data-label="([^"]+)">(.*?)</td>', row, re.S)}  # fmt: skip
        out[int(cells["Nr"])] = cells
    return out


def test_the_subscriptions_page_shows_each_tokens_status(tmp_path: Path, migrated_url: str) -> None:
    app = synced_app(tmp_path, migrated_url)
    with acting_as("a.beheer"):
        everyone = create_token(app, "programme", "Iedereen", NOW)
        theirs = create_token(app, "contact:kbakker", "K. Bakker", NOW)
        gone = create_token(app, "org:GGD", None, NOW)
    with acting_as("p.bureau"):
        revoke_token(app, gone.id, NOW)
    web = TestClient(create_app(app))
    assert web.get(f"/calendar/{everyone.token}.ics").status_code == 200  # now last used
    plan = app.settings.plan_path
    text = plan.read_text("utf-8")
    assert KBAKKER in text
    plan.write_text(text.replace(KBAKKER, ""), "utf-8")

    page = _office(web, app).get("/agenda")
    assert page.status_code == 200
    rows = _rows(page.text)
    today = datetime.now(UTC).date().isoformat()
    active, left, revoked = rows[everyone.id], rows[theirs.id], rows[gone.id]
    assert (active["Bereik"], active["Omschrijving"], active["Gemaakt"]) == (
        "programme", "Iedereen", "2016-01-11"
    )  # fmt: skip
    assert active["Gemaakt door"] == left["Gemaakt door"] == revoked["Gemaakt door"] == "a.beheer"
    assert active["Laatst gebruikt"] == today and left["Laatst gebruikt"] == "nooit"
    assert active["Status"].startswith("actief Intrekken")
    assert left["Status"].startswith("contactpersoon niet meer in het plan")
    assert "Intrekken" in left["Status"]  # the office may still revoke it
    assert revoked["Status"] == "ingetrokken op 2016-01-11 door p.bureau"
    for made in (everyone, theirs, gone):  # the secret address is shown once, when made
        assert made.token not in page.text
