"""The office's pages know the programme's end (walk55d 6): once it has passed, the overview and
the overdue list say so with the open items counted as a pack made then counts them, and every
page marks a deadline after the end as `regie status` does ("!")."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from regie import office
from regie.services import status_rows, sync
from tests.integration.test_web_item_page import _app, _client, visible
from tests.integration.test_web_office_pages import _row

END_ONLY = pytest.mark.one_database(
    "the pages' words about the end, from SQL this file's other PostgreSQL tests run"
)

END = date(2015, 6, 30)
AFTER = date(2015, 7, 1)
MARK = "(na het einde van het programma)"


def _ended_app(tmp_path: Path, url: str):  # type: ignore[no-untyped-def]
    """The seed plan, ending on ``END`` (its meeting rule's ``until`` is left: a warning)."""
    app = _app(tmp_path, url)
    plan = app.settings.plan_path
    text = plan.read_text(encoding="utf-8")
    assert text.count("\n  end: 2020-12-31\n") == 1
    plan.write_text(text.replace("\n  end: 2020-12-31\n", f"\n  end: {END}\n"), "utf-8")
    sync(app, None)
    return app


@END_ONLY
def test_the_pages_say_the_programme_has_ended_and_mark_deadlines_after_it(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = _ended_app(tmp_path, migrated_url)
    monkeypatch.setattr(office, "today", lambda app: AFTER)
    _, rows = status_rows(app, AFTER)
    late = [r["id"] for r in rows if r["after_end"]]  # what `regie status` marks "!"
    still = [r for r in rows if r["state"] not in ("done", "cancelled")]
    undated = sum(1 for r in still if r["due"] is None)
    assert late and undated and len(still) > undated  # the case the sentence splits
    web = _client(app)
    page = web.get("/")
    assert page.status_code == 200
    text = visible(page.text)
    assert (
        f"Het programma is op 30 juni 2015 geëindigd; nog open staan {len(still) - undated} "
        f"punten met datum en {undated} punten zonder datum; naar de punten zonder datum wordt "
        "niet meer gevraagd." in text
    ), text[:600]
    assert f"Deadline na het einde van het programma (30 juni 2015): {', '.join(late)}." in text
    for item_id in late:
        assert MARK in _row(page.text, item_id), item_id
    marked = re.findall(r'<tr>\s*<td data-label="Nr"[^>]*><a href="/items/([^"]+)"', page.text)
    assert {i for i in marked if MARK in _row(page.text, i)} == set(late)
    overdue = visible(web.get("/te-laat").text)
    assert "Het programma is op 30 juni 2015 geëindigd; nog open staan" in overdue
    item = visible(web.get(f"/items/{late[0]}").text)
    assert "(na het einde van het programma op 30 juni 2015)" in item, item[:800]


@END_ONLY
def test_before_the_end_only_the_deadlines_after_it_are_marked(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = _ended_app(tmp_path, migrated_url)
    monkeypatch.setattr(office, "today", lambda app: END)  # the last day of the programme
    _, rows = status_rows(app, END)
    late = [r["id"] for r in rows if r["after_end"]]
    assert late
    web = _client(app)
    text = visible(web.get("/").text)
    assert "geëindigd" not in text
    assert f"Deadline na het einde van het programma (30 juni 2015): {', '.join(late)}." in text
    assert "geëindigd" not in visible(web.get("/te-laat").text)
