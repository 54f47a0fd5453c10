"""The item page's "Bron" column names where each status update came from in Dutch — one per
channel an owner can answer by, and the governance body's decision — never the stored key."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from governance.labels import SOURCE_LABELS
from tests.integration.test_item_page_decision_author import _app, _client
from tests.integration.test_web_item_page import visible


def _bron(html: str) -> list[str]:
    return [visible(c) for c in re.findall(r'<td data-label="Bron">(.*?)</td>', html, re.S)]


def test_every_source_is_shown_in_dutch(tmp_path: Path, migrated_url: str) -> None:
    from regie.answers import CHANNELS
    from regie.decisions import add_decision
    from regie.history import record_update

    app = _app(tmp_path, migrated_url)
    for n, channel in enumerate(CHANNELS):  # oldest first: shown last
        record_update(
            app, "1.3.1", "at_risk", as_of=date(2016, 1, 4 + n), forecast=None,
            completed_on=None, comment=None, author="rivm-contact", source=channel,
        )  # fmt: skip
    add_decision(app, "stuurgroep", date(2016, 1, 12), "Verkenning vervalt", cancel="1.3.1")
    page = _client(app).get("/items/1.3.1")
    assert page.status_code == 200, page.text
    shown = _bron(page.text)
    assert shown == [SOURCE_LABELS[k] for k in ("decision", *reversed(CHANNELS))]
    assert not set(shown) & {*SOURCE_LABELS, "overig"}  # never a key
    assert shown[:2] == ["besluit", "webformulier"]
