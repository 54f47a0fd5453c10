"""The office's item page names who in the office typed an update in, as `regie status ITEM`
does (left55b): "ingevoerd door marieke" under the author, for an update on the office's own
channels (the command line, a sheet's import, the pages); an owner's own answer (a link) names
only its author, as there the recorder is only the server process. SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from regie.history import record_update
from store.actor import acting_as
from tests.integration.test_item_page_decision_author import _app, _client
from tests.integration.test_web_item_page import visible


def _door(html: str) -> list[str]:
    return [visible(c) for c in re.findall(r'<td data-label="Door">(.*?)</td>', html, re.S)]


def test_an_update_the_office_typed_in_names_who_typed_it(
    tmp_path: Path, migrated_url: str
) -> None:
    app = _app(tmp_path, migrated_url)
    for day, source, comment in ((5, "email", "Eigen antwoord"), (6, "cli", "Jan is ziek")):
        with acting_as("marieke"):
            record_update(
                app, "1.3.1", "at_risk", as_of=date(2016, 1, day), forecast=None,
                completed_on=None, comment=comment, author="rivm-contact", source=source,
            )  # fmt: skip
    page = _client(app).get("/items/1.3.1")
    assert page.status_code == 200, page.text
    # Newest first: the reply the office typed in names its operator; the owner's own does not.
    typed, own = _door(page.text)
    assert "ingevoerd door marieke" in typed, typed
    assert typed.startswith("rivm-contact")
    assert own == "rivm-contact"
    assert page.text.count("ingevoerd door") == 1
