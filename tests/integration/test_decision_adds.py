"""A decision that adds an item to the plan (walk32a 5): `regie decision add --adds ID`, before
or after the item is in the plan file; `regie sync` warns of a new item no decision added, as it
does of a removal; the agenda pack says *nieuw in het plan (besluit …)* (layout 11; layout 10
made again as it was) and the progress report marks the items added in its period,
*toegevoegd aan het plan* with the decision (layout 10; layout 9 as it was). SQLite and
PostgreSQL.

The seed plan is synced first (its items are the plan, not additions), then the edit of
19 December 2016 adds milestones 3.1.9 and 3.1.10."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from regie.bootstrap import App
from tests.cli_in_process import regie
from tests.integration.migrated_template import shared_templates
from tests.integration.reports_scenario import cli_env, make_app

OUTPUTS_ONLY = pytest.mark.one_database(
    "the outputs' words, from SQL this file's other PostgreSQL tests run"
)

FIRST_SYNC = datetime(2015, 9, 30, 8, tzinfo=UTC)
EDITED = datetime(2016, 12, 19, 10, tzinfo=UTC)
DECIDED = date(2016, 10, 11)  # a meeting of the stuurgroep, before the edit
MEETING, AS_OF = date(2017, 1, 10), date(2017, 1, 3)
BY = "besluit Stuurgroep Plan van aanpak MVI, 11 oktober 2016"
ANCHOR = 'gereed: "Q4-2015"\n            owners: [PIANOo]\n            depends_on: ["3.1.1"]\n'
NEW = (
    '          - id: "3.1.9"\n            title: Evaluatie behoeftepeiling\n'
    '            gereed: "Q3-2017"\n            owners: [BZ]\n'
    '          - id: "3.1.10"\n            title: Tweede evaluatie\n'
    '            gereed: "Q4-2017"\n            owners: [BZ]\n'
)


def _sync(app: App, now: datetime) -> list[str]:
    from regie.services import sync_warnings
    from store import sync_plan

    plan = app.load_plan()
    with app.session() as session, session.begin():
        result = sync_plan(session, plan, now=now, plan_path=str(plan.path))
        return sync_warnings(session, plan, result)


def _add_items(app: App) -> None:
    path = Path(app.settings.plan_path)
    text = path.read_text(encoding="utf-8")
    assert text.count(ANCHOR) == 1
    path.write_text(text.replace(ANCHOR, ANCHOR + NEW), encoding="utf-8")


def _adds(app: App, item: str, meeting: date = DECIDED) -> tuple[int, str, str]:
    done = regie(
        "decision", "add", "--body", "stuurgroep", "--meeting", meeting.isoformat(),
        "--adds", item, "--text", f"Nieuwe mijlpaal {item}", env=cli_env(app),
    )  # fmt: skip
    return done.code, done.out, done.err


def _decisions(app: App) -> list[tuple[str | None, bool]]:
    from regie.decisions import decisions

    return [(d.item_id, d.adds) for d in decisions(app, None)]


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:

    shared_templates().fill_if_empty(database_url)  # empty: a copy of the migrated template
    app = make_app(tmp_path / "home", database_url)
    assert _sync(app, FIRST_SYNC) == []  # the plan as first recorded: nothing is "added"
    return app


def test_a_decision_adds_an_item_before_it_is_in_the_plan(app: App) -> None:
    code, out, err = _adds(app, "3.1.9")
    assert code == 0, err
    assert "note: 3.1.9 is not in" in out and "`regie sync` then records it" in out
    assert _decisions(app) == [("3.1.9", True)]

    # An id no new item can have, a step the plan lacks, a second addition: one line, refused,
    # nothing written.
    for item, words in (
        ("9.1", "the plan has no step 9"),
        ("drie", "an action's id is STEP.N, a milestone's STEP.N.M"),
        ("3.1.9", "already adds it"),
    ):
        code, out, err = _adds(app, item)
        assert code != 0 and out == "", (item, out)
        assert len(err.strip().splitlines()) == 1 and words in err, (item, err)
        assert "Traceback" not in err
    assert _decisions(app) == [("3.1.9", True)]

    listed = regie("decision", "list", "--format", "csv", env=cli_env(app))
    assert listed.code == 0, listed.err
    assert ",add,toegevoegd aan het plan,3.1.9," in listed.out

    _add_items(app)
    warnings = _sync(app, EDITED)
    # 3.1.9 came with its decision; 3.1.10 without one: said once, at the item.
    assert len(warnings) == 1, warnings
    assert (
        "3.1.10 'Tweede evaluatie' added to the plan without a recorded decision" in (warnings[0])
    )
    assert "actions.yaml:" in warnings[0] and "--adds 3.1.10" in warnings[0]
    # The sync stamps the edit with the wall clock: packs of earlier (simulated) days do not
    # show it, and the warning promises only the packs as of today or later (tidy49).
    assert "as of today by the wall clock or later say so" in warnings[0]
    assert "\n" not in warnings[0] and "the agenda pack and the progress report" not in warnings[0]
    assert _sync(app, EDITED) == []  # nothing new: nothing said


@OUTPUTS_ONLY
def test_a_decision_after_the_edit_adds_the_item_and_the_outputs_name_it(app: App) -> None:
    from regie.reports import agenda_pack, progress_report, render_agenda, render_progress

    _add_items(app)
    warnings = _sync(app, EDITED)
    assert [w.split(" added to")[0].rsplit(": ", 1)[1] for w in warnings] == [
        "3.1.9 'Evaluatie behoeftepeiling'",
        "3.1.10 'Tweede evaluatie'",
    ]
    code, out, err = _adds(app, "3.1.9")
    assert code == 0, err
    assert "note:" not in out  # it is in the plan already
    # walk46 11f: one --adds says what it adds, as several do.
    assert out.splitlines()[0] == f"decision 1 recorded for stuurgroep {DECIDED}: adds 3.1.9", out

    pack = agenda_pack(app, "stuurgroep", MEETING, AS_OF)
    assert pack.since_last is not None
    added = {e.item_id: e.decided_by for e in pack.since_last.entries if e.kind == "added"}
    assert added == {"3.1.9": BY, "3.1.10": None}
    md = render_agenda(pack, "md").decode()
    assert f"| 3.1.9 | Evaluatie behoeftepeiling | nieuw in het plan ({BY}) |" in md
    assert "| 3.1.10 | Tweede evaluatie | nieuw in het plan (vastgelegd op 19-12-2016) |" in md
    assert f"nieuw in het plan ({BY})" in render_agenda(pack, "html").decode()
    # An archived pack of layout 10 is made again as it was: no decision named.
    old = render_agenda(pack, "md", layout=10).decode()
    same = "| 3.1.9 | Evaluatie behoeftepeiling | nieuw in het plan (vastgelegd op 19-12-2016) |"
    assert same in old
    assert BY not in old.split("Sinds de vorige vergadering")[1].split("| Stap |")[0]

    start, end = date(2016, 7, 1), date(2016, 12, 31)
    report = progress_report(app, start, end, AS_OF)
    assert set(report.added) == {"3.1.9", "3.1.10"}
    text = render_progress(report, "md").decode()
    line_9 = next(x for x in text.splitlines() if x.startswith("- 3.1.9 "))
    assert line_9.endswith(f"; toegevoegd aan het plan ({BY})"), line_9
    line_10 = next(x for x in text.splitlines() if x.startswith("- 3.1.10 "))
    assert line_10.endswith(
        "; toegevoegd aan het plan (zonder besluit, vastgelegd op 19 december 2016)"
    ), line_10
    assert f"toegevoegd aan het plan ({BY})" in render_progress(report, "html").decode()
    # Not added in this period: nothing said.
    earlier = progress_report(app, date(2016, 1, 1), date(2016, 6, 30), AS_OF)
    assert earlier.added == {}
    # Layout 9 (an archived report made again) says nothing of it.
    from regie.reports import _progress_report

    nine, _ = _progress_report(app, start, end, AS_OF, layout=9)
    assert nine.added == {}
    assert "toegevoegd aan het plan" not in render_progress(nine, "md").decode()


def test_an_item_added_without_a_decision_is_put_to_the_body_until_one_adds_it(
    app: App,
) -> None:
    """dec45 1: `regie sync` warned of a new item no decision added, but the pack only said
    *nieuw in het plan*: layout 12 puts it ter besluitvorming (every body's pack, as a removal
    without a decision) until a decision taken by the pack's day adds it. A layout-11 pack is
    made again as it was."""
    from regie.reports import _agenda_pack, _archive, agenda_pack, render_agenda, reproduce

    _add_items(app)
    assert len(_sync(app, EDITED)) == 2

    def asked(as_of: date = AS_OF) -> dict[str, str]:
        pack = agenda_pack(app, "stuurgroep", MEETING, as_of)
        return {a.item.item_id: a.weight for a in pack.asked if a.reason == "added"}

    assert asked() == {"3.1.9": "choice", "3.1.10": "choice"}
    pack = agenda_pack(app, "stuurgroep", MEETING, AS_OF)
    md = render_agenda(pack, "md").decode()
    assert "Toevoeging van 3.1.10 aan het plan accorderen?" in md
    assert "nieuw in het plan zonder besluit, vastgelegd op 19-12-2016" in md
    assert "Toevoeging van 3.1.9 aan het plan accorderen?" in render_agenda(pack, "html").decode()
    # Layout 11 did not put it to the body: made again as it was, byte for byte.
    old_pack, _ = _agenda_pack(app, "stuurgroep", MEETING, AS_OF, layout=11)
    old = render_agenda(old_pack, "md", layout=11)
    assert b"Toevoeging van" not in old and b"nieuw in het plan zonder besluit" not in old
    parameters = {"body": "stuurgroep", "meeting": MEETING.isoformat(), "as_of": AS_OF.isoformat(),
                  "layout": 11}  # fmt: skip
    archived = _archive(
        app, app.load_plan(), "agenda", "md", "Agenda", AS_OF, parameters, old, True
    )
    again = reproduce(app, archived.archive_id)
    assert again.matches and again.content == old

    # A decision that adds 3.1.9 (taken before the edit) answers it; one for 3.1.10 taken
    # after the pack's day does not, yet: the pack is the record of its day.
    assert _adds(app, "3.1.9")[0] == 0
    code, _, err = _adds(app, "3.1.10", meeting=MEETING)
    assert code == 0, err
    assert asked() == {"3.1.10": "choice"}
    assert asked(MEETING) == {}


def test_a_new_action_is_put_to_the_body_with_its_milestones(app: App) -> None:
    """A new action and its milestones are one point (as `regie sync` warns of them); a
    decision that adds the action adds its milestones."""
    from regie.reports import agenda_pack, render_agenda

    path = Path(app.settings.plan_path)
    text = path.read_text(encoding="utf-8")
    anchor = ANCHOR
    action = (
        '      - id: "3.20"\n        title: Draaiboek nieuwe regeling\n        owners: [BZ]\n'
        "        milestones:\n"
        '          - id: "3.20.1"\n            title: Concept\n'
        '            gereed: "Q2-2017"\n            owners: [BZ]\n'
        '          - id: "3.20.2"\n            title: Vaststelling\n'
        '            gereed: "Q4-2017"\n            owners: [BZ]\n'
    )
    assert text.count(anchor) == 1
    path.write_text(text.replace(anchor, anchor + action), encoding="utf-8")
    warnings = _sync(app, EDITED)
    assert (
        len(warnings) == 1
        and "3.20 'Draaiboek nieuwe regeling' (with 3.20.1, 3.20.2)" in (warnings[0])
    ), warnings
    pack = agenda_pack(app, "stuurgroep", MEETING, AS_OF)
    added = [a for a in pack.asked if a.reason == "added"]
    assert [(a.item.item_id, a.item.title, a.with_items) for a in added] == [
        ("3.20", "Draaiboek nieuwe regeling", ("3.20.1", "3.20.2"))
    ]
    md = render_agenda(pack, "md").decode()
    assert "Toevoeging van 3.20 (met 3.20.1, 3.20.2) aan het plan accorderen?" in md
    assert _adds(app, "3.20")[0] == 0
    assert not [a for a in agenda_pack(app, "stuurgroep", MEETING, AS_OF).asked
                if a.reason == "added"]  # fmt: skip


def test_a_decision_after_the_period_that_added_an_item_is_named_with_its_date(app: App) -> None:
    """dec45 2: an item added in the period by a decision taken after the period's end read
    *zonder besluit* in a report made once the decision was known. Layout 11 names the decision
    known by the report's day, saying it came after the period; a report of a day before the
    decision still says *zonder besluit* (what was known then); layout 10 is made again as it
    was."""
    from regie.reports import (
        _archive,
        _progress_report,
        progress_report,
        render_progress,
        reproduce,
    )

    _add_items(app)
    _sync(app, EDITED)
    code, _, err = _adds(app, "3.1.9", meeting=MEETING)  # 10 January 2017, after the period
    assert code == 0, err
    start, end, later = date(2016, 7, 1), date(2016, 12, 31), date(2017, 1, 16)
    by = "besluit Stuurgroep Plan van aanpak MVI, 10 januari 2017"

    def line(report: object, item: str) -> str:
        text = render_progress(report, "md").decode()
        return next(x for x in text.splitlines() if x.startswith(f"- {item} "))

    report = progress_report(app, start, end, later)
    assert line(report, "3.1.9").endswith(f"; toegevoegd aan het plan ({by}, na de periode)")
    assert report.layout >= 21  # progress layout 21 on (fix57a, fix57h); words of 14 (ratify48)
    assert line(report, "3.1.10").endswith(
        "; toegevoegd aan het plan (zonder besluit, vastgelegd op 19 december 2016)"
    )
    assert f"({by}, na de periode)" in render_progress(report, "html").decode()
    # Made on 3 January, before the decision: what was known then.
    before = progress_report(app, start, end, AS_OF)
    assert line(before, "3.1.9").endswith(
        "; toegevoegd aan het plan (zonder besluit, vastgelegd op 19 december 2016)"
    )
    # A decision taken in the period is named as before, without "na de periode".
    code, _, err = _adds(app, "3.1.10")  # 11 October 2016
    assert code == 0, err
    assert line(progress_report(app, start, end, later), "3.1.10").endswith(
        f"; toegevoegd aan het plan ({BY})"
    )
    # Layout 10, archived: made again as it was (a later decision unnamed).
    ten, _ = _progress_report(app, start, end, later, layout=10)
    old = render_progress(ten, "md")
    assert "- 3.1.9 " in old.decode() and by not in old.decode()
    parameters = {"from": start.isoformat(), "to": end.isoformat(), "as_of": later.isoformat(),
                  "layout": 10}  # fmt: skip
    archived = _archive(app, app.load_plan(), "voortgang", "md", "Voortgang", later, parameters,
                        old, True)  # fmt: skip
    again = reproduce(app, archived.archive_id)
    assert again.matches and again.content == old
