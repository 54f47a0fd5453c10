"""Ongoing work before its start (walk54 8, fix54l's notes): the office's overview filters it as
*nog niet gestart*, as its badge and `regie status --state` name it, and *doorlopend* there no
longer matches it; a new agenda pack's decision list (layout 19) says *nu nog niet gestart* for
a decision about it, older layouts *nu doorlopend* as built. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from regie.bootstrap import App
from tests.cli_in_process import regie
from tests.integration.test_not_started import BEFORE, FROM, LAYOUT_ONLY, _started_env
from tests.integration.test_programme_end import _app


def _ids(app: App, as_of: date, state: str) -> set[str]:
    from regie.office import overview

    found = overview(app, as_of, state=state)
    assert not found.problems, found.problems
    return {r.id for s in found.steps for a in s.actions for r in a.items}


def test_the_offices_state_filter_names_items_not_started_as_their_badge(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from regie import office
    from tests.integration.server import TEST_SECRET_KEY
    from tests.integration.test_web_item_page import _client

    env = _started_env(tmp_path, migrated_url) | {"REGIE_SECRET_KEY": TEST_SECRET_KEY}
    app = _app(env)
    for name in ("not_started", "Nog niet gestart"):
        assert _ids(app, BEFORE, name) == {"1.5"}
    assert _ids(app, BEFORE, "doorlopend") == {"1.6"}  # 1.5 reads *nog niet gestart*
    assert _ids(app, BEFORE, "ongoing") == {"1.6"}
    assert _ids(app, date(2026, 1, 2), "doorlopend") == {"1.5", "1.6"}  # from its start
    assert _ids(app, date(2026, 1, 2), "not_started") == set()
    monkeypatch.setattr(office, "today", lambda app: BEFORE)
    page = _client(app).get("/?status=nog niet gestart")
    assert page.status_code == 200
    assert '<option value="not_started" selected>nog niet gestart</option>' in page.text
    assert '<option value="ongoing" >doorlopend</option>' in page.text
    assert 'href="/items/1.5"' in page.text and 'href="/items/1.6"' not in page.text


@LAYOUT_ONLY
def test_a_decision_about_it_says_not_started_in_a_new_pack(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from regie import report_build
    from regie.reports import agenda

    env = _started_env(tmp_path, migrated_url)
    app = _app(env)
    for meeting in ("2025-11-13", "2025-12-11"):
        decided = regie("decision", "add", "--body", "stuurgroep", "--meeting", meeting,
                        "--text", "Beheer start in 2026", "--item", "1.5", env=env)  # fmt: skip
        assert decided.code == 0, decided.err

    def decision(layout: int, as_of: date, meeting: date, fmt: str = "md") -> str:
        with monkeypatch.context() as then:
            then.setattr(report_build, "AGENDA_LAYOUT", layout)
            made = agenda(app, "stuurgroep", meeting, as_of, fmt)
        (line,) = [x for x in made.content.decode().splitlines() if "Beheer start in" in x]
        return line

    assert decision(19, date(2025, 12, 4), date(2025, 12, 11)).endswith("| nu nog niet gestart |")
    assert decision(18, date(2025, 12, 4), date(2025, 12, 11)).endswith("| nu doorlopend |")
    html = decision(19, date(2025, 12, 4), date(2025, 12, 11), "html")
    assert "<td>nu nog niet gestart</td>" in html
    # From its start the new layout says *doorlopend* too.
    assert decision(19, FROM, date(2026, 1, 8)).endswith("| nu doorlopend |")


#: An action whose milestones are one not started yet (2026 e.v.) and one running (Periodiek).
ACTION = """\
      - id: "1.7"
        title: Nabeheer
        owners: [bond]
        milestones:
          - {id: "1.7.1", title: Beheer later, gereed: 2026 e.v.}
          - {id: "1.7.2", title: Beheer nu, gereed: Periodiek}
"""


@LAYOUT_ONLY
def test_a_decision_about_an_action_counts_its_milestones_not_started(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """review54c 7: the action's milestone count names them as the item-level line does."""
    from regie import report_build
    from regie.reports import agenda

    env = _started_env(tmp_path, migrated_url)
    plan = Path(env["REGIE_PLAN"])
    plan.write_text(plan.read_text(encoding="utf-8") + ACTION, encoding="utf-8")
    app = _app(env)
    for on in ("2025-11-13", "2025-12-11"):
        decided = regie("decision", "add", "--body", "stuurgroep", "--meeting", on,
                        "--text", "Nabeheer start gefaseerd", "--item", "1.7", env=env)  # fmt: skip
        assert decided.code == 0, decided.err

    def decision(layout: int, as_of: date, meeting: date, fmt: str = "md") -> str:
        with monkeypatch.context() as then:
            then.setattr(report_build, "AGENDA_LAYOUT", layout)
            made = agenda(app, "stuurgroep", meeting, as_of, fmt)
        (line,) = [x for x in made.content.decode().splitlines() if "Nabeheer start" in x]
        return line

    before, meeting = date(2025, 12, 4), date(2025, 12, 11)
    assert decision(19, before, meeting).endswith(
        "| nu 2 mijlpalen: 1 nog niet gestart, 1 doorlopend |"
    )
    assert decision(18, before, meeting).endswith("| nu 2 mijlpalen: 2 doorlopend |")
    html = decision(19, before, meeting, "html")
    assert "<td>nu 2 mijlpalen: 1 nog niet gestart, 1 doorlopend</td>" in html
    # From the later milestone's start the new layout counts both as *doorlopend*.
    assert decision(19, FROM, date(2026, 1, 8)).endswith("| nu 2 mijlpalen: 2 doorlopend |")
