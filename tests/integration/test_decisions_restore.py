"""A dropped item brought back by a later decision is open again everywhere (review "longrun",
finding 1): ``decision add --set-gereed`` on a cancelled item, or ``--restore`` without a new
date, records an update that supersedes the drop; status, cycle prompts, the calendar feed,
the agenda pack and the progress report all see an open item. SQLite and PostgreSQL, through
the real command."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from regie.bootstrap import App
from tests.cli import Result
from tests.cli_in_process import regie
from tests.integration.reports_scenario import cli_env, migrated_app

TITLE_14 = "Implementatie aanpassingen in aanbestedingswet"


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:
    return migrated_app(tmp_path / "home", database_url)  # a copy of the seed plan


_env = cli_env


def _decide(app: App, meeting: str, text: str, *args: str) -> Result:
    return regie("decision", "add", "--body", "stuurgroep", "--meeting", meeting, "--text", text,
                 *args, env=_env(app))  # fmt: skip


def _status(app: App, as_of: date) -> dict[str, dict[str, Any]]:
    shown = regie("status", "--as-of", as_of.isoformat(), "--format", "json", env=_env(app))
    assert shown.code == 0, shown.err
    return {row["id"]: row for row in json.loads(shown.out)}


def _block(app: App, item_id: str) -> str:
    """The plan file's lines of one item, up to the next item."""
    text = Path(str(app.settings.plan_path)).read_text(encoding="utf-8")
    start = text.index(f'- id: "{item_id}"')
    end = text.find("- id:", start + 1)
    return text[start:end]


def _first_prompt_day(app: App, item_id: str, start: date) -> date:
    """The first day from ``start`` on which the item is inside its first reminder window."""
    from governance.rag import State
    from regie.reports import assess_as_of

    plan = app.load_plan()
    day = start
    with app.session() as session:
        while assess_as_of(session, plan, day).items[item_id].state is not State.DUE_SOON:
            day += timedelta(days=1)
            assert day.year < 2018
    return day


def _prompted(app: App, item_id: str, since: date) -> set[tuple[str, date]]:
    """The item's prompt stages queued from ``since`` on (one per contact), and their day."""
    import sqlalchemy as sa

    from store.models import PromptRow

    with app.session() as session:
        rows = session.execute(
            sa.select(PromptRow.stage, PromptRow.queued_on).where(
                PromptRow.item_code == item_id, PromptRow.queued_on >= since
            )
        ).all()
    return {(stage, on) for stage, on in rows}


def _event(ics: str, item_id: str) -> str:
    events = [
        e for e in ics.split("BEGIN:VEVENT")[1:] if re.search(rf"\b{re.escape(item_id)}\b", e)
    ]
    assert events, ics[:2000]
    return events[0]


def test_a_dropped_item_restored_with_a_new_date_is_open_again_everywhere(app: App) -> None:
    env = _env(app)
    assert _decide(app, "2016-04-12", "1.4 vervalt", "--cancel", "1.4").code == 0
    restored = _decide(app, "2016-07-12", "1.4 toch uitvoeren, nieuw gereed Q4-2016",
                       "--set-gereed", "1.4", "Q4-2016")  # fmt: skip
    assert restored.code == 0, restored.err

    assert _status(app, date(2016, 5, 2))["1.4"]["state"] == "cancelled"
    now = _status(app, date(2016, 8, 1))["1.4"]
    assert (now["state"], now["due"]) == ("on_track", "2016-12-31")
    block = _block(app, "1.4")
    assert "cancelled_by" not in block
    assert 'gereed: "Q4-2016"' in block and 'gereed_original: "Apr 2016"' in block
    assert "1.4 restored, gereed → Q4-2016" in restored.out

    # Prompted again from the new date's first-prompt day, not before.
    first = _first_prompt_day(app, "1.4", date(2016, 8, 1))
    before = regie("cycle", "--as-of", (first - timedelta(days=1)).isoformat(), env=env)
    assert before.code == 0, before.err
    assert _prompted(app, "1.4", date(2016, 7, 12)) == set()
    on = regie("cycle", "--as-of", first.isoformat(), env=env)
    assert on.code == 0, on.err
    assert _prompted(app, "1.4", date(2016, 7, 12)) == {("first@2016-12-31", first)}

    feed = regie("calendar", "export", "--scope", "org:IenM", "--as-of", "2016-08-01", env=env)
    assert feed.code == 0, feed.err
    assert "STATUS:CANCELLED" not in _event(feed.out, "1.4")

    pack = regie("report", "agenda", "--body", "stuurgroep", "--meeting", "2016-10-11",
                 "--as-of", "2016-10-11", "--format", "md", env=env)  # fmt: skip
    assert pack.code == 0, pack.err
    decision = next(x for x in pack.out.splitlines() if "1.4 toch uitvoeren" in x)
    assert "nu vervallen" not in decision and "nu op schema" in decision
    assert "hersteld, gereed bijgesteld: Apr 2016 → Q4-2016" in decision
    annex = [x for x in pack.out.splitlines() if x.startswith("| 1.4 |")]
    assert annex and all("vervallen" not in x for x in annex)

    report = regie("report", "voortgang", "--from", "2016-01-01", "--to", "2016-12-31",
                   "--as-of", "2016-08-01", "--format", "md", env=env)  # fmt: skip
    assert report.code == 0, report.err
    rows = [x for x in report.out.splitlines() if x.startswith("| 1.4 |")]
    changed = next(x for x in rows if "1.4 vervalt" in x)
    assert "1.4 toch uitvoeren, nieuw gereed Q4-2016 (hersteld)" in changed
    assert "| Q4-2016 |" in changed  # now: the new gereed, not "vervallen"
    assert "toelichting eigenaar" not in changed  # the decisions are the body's, not the owner's
    assert all("vervallen" not in x.split("|")[7] for x in rows if x.count("|") > 9)


def test_restore_brings_a_dropped_item_back_with_its_date(app: App) -> None:
    assert _decide(app, "2016-01-12", "1.4 vervalt", "--cancel", "1.4").code == 0
    plan_before = _block(app, "1.4")
    assert "cancelled_by" in plan_before

    restored = _decide(app, "2016-04-12", "1.4 gaat toch door", "--restore", "1.4")
    assert restored.code == 0, restored.err
    assert "1.4 restored" in restored.out
    block = _block(app, "1.4")
    assert "cancelled_by" not in block and "revised_by" not in block
    assert 'gereed: "Apr 2016"' in block and "gereed_original" not in block
    listed = regie("decision", "list", env=_env(app)).out
    assert re.search(r"\(stuurgroep\) +hersteld \[1\.4 [^]]+\] 1\.4 gaat toch door", listed), listed

    assert _status(app, date(2016, 4, 1))["1.4"]["state"] == "cancelled"
    assert _status(app, date(2016, 4, 13))["1.4"]["state"] not in ("cancelled", "done")

    pack = regie("report", "agenda", "--body", "stuurgroep", "--meeting", "2016-07-12",
                 "--as-of", "2016-04-14", "--format", "md", env=_env(app))  # fmt: skip
    assert pack.code == 0, pack.err
    decision = next(x for x in pack.out.splitlines() if "1.4 gaat toch door" in x)
    assert "hersteld; nu " in decision and "gereed bijgesteld" not in decision
    assert "nu vervallen" not in decision


def test_restore_is_refused_in_one_line_when_there_is_nothing_to_restore_or_the_date_passed(
    app: App,
) -> None:
    plan = Path(str(app.settings.plan_path))
    original = plan.read_text(encoding="utf-8")

    open_item = _decide(app, "2016-01-12", "1.3.1 terug", "--restore", "1.3.1")
    assert open_item.code == 2 and open_item.out == ""
    assert open_item.err.strip() == (
        "--restore: 1.3.1 is not cancelled (it is overdue); there is nothing to restore"
    )
    both = _decide(app, "2016-01-12", "x", "--restore", "1.3.1", "--cancel", "1.3.1")
    assert both.code == 2 and both.err.strip() == "give --restore or --cancel, not both"
    other = _decide(
        app, "2016-01-12", "x", "--restore", "1.3.1", "--set-gereed", "1.3.2", "Q4-2016"
    )
    assert other.code == 2 and "one item per decision" in other.err
    redated = _decide(
        app, "2016-01-12", "x", "--restore", "1.3.1", "--set-gereed", "1.3.1", "Q4-2016"
    )
    assert redated.code == 2 and redated.err.startswith("--restore: 1.3.1 is not cancelled")
    assert plan.read_text(encoding="utf-8") == original

    # 1.3.2 (Najaar 2015, due 2015-11-30) dropped in January; in April its date has passed.
    assert _decide(app, "2016-01-12", "Gezant vervalt", "--cancel", "1.3.2").code == 0
    dropped = plan.read_text(encoding="utf-8")
    late = _decide(app, "2016-04-12", "Gezant toch", "--restore", "1.3.2")
    assert late.code == 2 and late.out == ""
    assert late.err.strip() == (
        "--restore: 1.3.2's date (due 2015-11-30) has passed by the meeting; restore it with a "
        "new one: --set-gereed 1.3.2 TEXT"
    )
    assert plan.read_text(encoding="utf-8") == dropped
    assert _status(app, date(2016, 4, 13))["1.3.2"]["state"] == "cancelled"

    dated = _decide(app, "2016-04-12", "Gezant toch, Q4-2016", "--set-gereed", "1.3.2", "Q4-2016")
    assert dated.code == 0, dated.err
    assert _status(app, date(2016, 4, 13))["1.3.2"]["state"] == "on_track"
    assert _status(app, date(2016, 4, 13))["1.3.1"]["state"] == "overdue"  # untouched


def test_an_action_comes_back_with_the_milestones_its_drop_cancelled(app: App) -> None:
    # 1.5.1 dropped on its own in January; the whole action 1.5 in April.
    assert _decide(app, "2016-01-12", "Pilots vervallen", "--cancel", "1.5.1").code == 0
    dropped = _decide(app, "2016-04-12", "1.5 vervalt", "--cancel", "1.5")
    assert dropped.code == 0, dropped.err
    assert "cancelled with it: 1.5.2, 1.5.3, 1.5.4" in dropped.out

    one = _decide(app, "2016-07-12", "1.5.4 toch", "--set-gereed", "1.5.4", "Q4-2016")
    assert one.code == 2 and one.out == ""
    assert one.err.strip().startswith(
        "--set-gereed: 1.5.4 was dropped with its action 1.5 (besluit Stuurgroep"
    )
    assert "--restore 1.5" in one.err

    back = _decide(app, "2016-07-12", "1.5 toch", "--restore", "1.5")
    assert back.code == 0, back.err
    assert "restored with it: 1.5.2, 1.5.3, 1.5.4" in back.out
    assert (
        "note: 1.5.2 comes back with its gereed due 2015-12-31, passed by the meeting" in back.out
    )
    assert "cancelled_by" not in _block(app, "1.5").split("milestones:")[0]
    assert "cancelled_by" in _block(app, "1.5.1")

    status = _status(app, date(2016, 7, 13))
    assert status["1.5.1"]["state"] == "cancelled"  # dropped by a decision of its own
    assert {status[i]["state"] for i in ("1.5.2", "1.5.3", "1.5.4")} == {"overdue"}

    again = _decide(app, "2016-10-11", "1.5 nogmaals", "--restore", "1.5")
    assert again.code == 2
    assert again.err.strip() == ("--restore: 1.5 is not cancelled; there is nothing to restore")


def test_a_second_drop_of_a_cancelled_item_is_refused_in_one_line(app: App) -> None:
    # walk56d 6: --cancel of an item already vervallen wrote a second cancellation.
    assert _decide(app, "2016-01-12", "Gezant vervalt", "--cancel", "1.3.2").code == 0
    assert _decide(app, "2016-01-12", "1.5 vervalt", "--cancel", "1.5").code == 0
    plan = Path(str(app.settings.plan_path))
    dropped = plan.read_text(encoding="utf-8")
    listed = regie("decision", "list", "--format", "json", env=_env(app))
    assert listed.code == 0, listed.err

    again = _decide(app, "2016-04-12", "x", "--cancel", "1.3.2")
    assert again.code == 2 and again.out == ""
    assert again.err.strip() == (
        "--cancel: 1.3.2 is already cancelled (besluit Stuurgroep Plan van aanpak MVI, 12 januari "
        "2016); nothing to cancel"
    )
    child = _decide(app, "2016-04-12", "x", "--cancel", "1.5.2")
    assert child.code == 2 and child.err.strip().startswith(
        "--cancel: 1.5.2 is already cancelled (besluit Stuurgroep Plan van aanpak MVI"
    )
    assert plan.read_text(encoding="utf-8") == dropped
    assert regie("decision", "list", "--format", "json", env=_env(app)).out == listed.out
