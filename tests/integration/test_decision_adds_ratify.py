"""What agenda layout 13 asks about additions without a decision, and what `--adds` takes
(ratify46): an install upgraded to 0036 is not asked about the additions it made before (the
plan as it stood is accepted as is); an item done or cancelled is not asked; several items are
added at once; a decision that adds an action adds its milestones (not asked, shown as
decided); `--adds` refuses a milestone its action's decision covers, an item of the first sync
and a milestone of an action the plan lacks, one line each, nothing written; an addition put to
the body before is *eerder voorgelegd*. SQLite and PostgreSQL.

As in test_decision_adds: the seed plan is synced first, the edit of 19 December 2016 adds
milestones 3.1.9 and 3.1.10 (or action 3.20 with 3.20.1 and 3.20.2)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from regie.bootstrap import App
from tests.cli_in_process import regie
from tests.integration.reports_scenario import cli_env, migrated_app
from tests.integration.test_decision_adds import (
    ANCHOR,
    AS_OF,
    BY,
    DECIDED,
    EDITED,
    FIRST_SYNC,
    MEETING,
    NEW,
    _add_items,
    _decisions,
    _sync,
)

CONTENT_ONLY = pytest.mark.one_database(
    "the pack's and report's content, from SQL this file's other PostgreSQL tests run"
)

ACTION = (
    '      - id: "3.20"\n        title: Draaiboek nieuwe regeling\n        owners: [BZ]\n'
    "        milestones:\n"
    '          - id: "3.20.1"\n            title: Concept\n'
    '            gereed: "Q2-2017"\n            owners: [BZ]\n'
    '          - id: "3.20.2"\n            title: Vaststelling\n'
    '            gereed: "Q4-2017"\n            owners: [BZ]\n'
)
LATER = datetime(2016, 12, 28, 10, tzinfo=UTC)
APRIL, APRIL_AS_OF = date(2017, 4, 11), date(2017, 4, 4)


@pytest.fixture
def app(tmp_path: Path, database_url: str, documents_made_once: None) -> App:
    app = migrated_app(tmp_path / "home", database_url)
    assert _sync(app, FIRST_SYNC) == []
    return app


def _adds(app: App, *items: str, meeting: date = DECIDED) -> tuple[int, str, str]:
    flags = [x for item in items for x in ("--adds", item)]
    done = regie(
        "decision", "add", "--body", "stuurgroep", "--meeting", meeting.isoformat(),
        *flags, "--text", "Toevoeging aanvaard", env=cli_env(app),
    )  # fmt: skip
    return done.code, done.out, done.err


def _edit(app: App, text: str, anchor: str = ANCHOR) -> None:
    path = Path(app.settings.plan_path)
    plan = path.read_text(encoding="utf-8")
    assert plan.count(anchor) == 1
    path.write_text(plan.replace(anchor, anchor + text), encoding="utf-8")


def _asked(
    app: App, meeting: date = MEETING, as_of: date = AS_OF, layout: int | None = None
) -> dict[str, tuple[str, ...]]:
    from regie.reports import _agenda_pack

    pack, _ = _agenda_pack(app, "stuurgroep", meeting, as_of, layout=layout)
    return {a.item.item_id: a.with_items for a in pack.asked if a.reason == "added"}


def test_an_upgraded_install_is_not_asked_about_the_additions_it_made_before(
    app: App, database_url: str
) -> None:
    """The first layout-12 pack of a programme that ran before 0036 asked about every item it
    ever added. The upgrade accepts the plan as it stood (its latest revision then); what is
    added after it is asked."""
    import sqlalchemy as sa

    from store import downgrade, make_engine, upgrade

    _add_items(app)
    assert len(_sync(app, EDITED)) == 2
    assert set(_asked(app)) == {"3.1.9", "3.1.10"}  # a programme created at 0036: asked

    downgrade(database_url, "0035")  # an install before this rule, then its upgrade
    upgrade(database_url)
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT programme_id FROM additions_accepted")).all()
    finally:
        engine.dispose()
    assert len(rows) == 1
    assert _asked(app) == {}  # accepted as the plan stood at the upgrade
    # Layout 12 (before 0036) asked from the first sync on: made again so (layout13).
    assert set(_asked(app, layout=12)) == {"3.1.9", "3.1.10"}
    # An accepted item is refused as a first-sync one is: one line why, nothing written
    # (review46 8, adds47).
    code, out, err = _adds(app, "3.1.9", "3.1.10")
    assert code == 2 and out == "", out
    assert err.strip().splitlines() == [
        f"--adds {item}: it was in the plan when the plan was accepted as it stood (the upgrade "
        f"to migration 0036, 2016-12-19), not added to it; a decision about it is --item {item}"
        for item in ("3.1.9", "3.1.10")
    ]
    assert _decisions(app) == []

    # Added after the upgrade: put to the body, the earlier ones still not.
    new = NEW.replace("3.1.9", "3.1.11").replace("3.1.10", "3.1.12")
    _edit(app, new.split('          - id: "3.1.12"')[0])
    assert len(_sync(app, LATER)) == 1
    assert _asked(app) == {"3.1.11": ()}
    # The upgrade's fact is append-only, as the rest of the history.
    engine = make_engine(database_url)
    try:
        with pytest.raises(sa.exc.DatabaseError), engine.begin() as connection:
            connection.execute(sa.text("DELETE FROM additions_accepted"))
    finally:
        engine.dispose()


def test_an_addition_done_or_cancelled_is_not_asked(app: App) -> None:
    from dataclasses import replace

    from governance.answers import OFFICE, AnswerInput
    from regie.answers import check_answer, store_answers

    _add_items(app)
    _sync(app, EDITED)
    assert set(_asked(app)) == {"3.1.9", "3.1.10"}
    plan = app.load_plan()
    on = date(2016, 12, 20)
    update = check_answer(plan, AnswerInput("3.1.9", "done", None, on, None), OFFICE, on)
    stored = replace(update, source="cli", recorded_at=datetime(2016, 12, 20, 12, tzinfo=UTC))
    store_answers(app, plan, [stored], sync=True)
    assert set(_asked(app)) == {"3.1.10"}  # delivered: nothing left to accept
    done = regie(
        "decision", "add", "--body", "stuurgroep", "--meeting", "2016-10-11",
        "--cancel", "3.1.10", "--text", "Vervalt", env=cli_env(app),
    )  # fmt: skip
    assert done.code == 0, done.err
    assert _asked(app) == {}  # dropped by the body: nothing left to accept
    # Layout 12 asked them still, and an archived pack of it is made again so (layout13).
    assert set(_asked(app, layout=12)) == {"3.1.9", "3.1.10"}


def test_several_additions_are_ratified_at_once_or_none_is(app: App) -> None:
    _add_items(app)
    _sync(app, EDITED)
    # One bad id among good ones: one line per problem, nothing written.
    code, out, err = _adds(app, "3.1.9", "3.1.1", "9.1")
    assert code != 0 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 2 and "Traceback" not in err, err
    assert lines[0].startswith("--adds 3.1.1: it is in the plan as first recorded (2015-09-30)")
    assert "the plan has no step 9" in lines[1]
    assert _decisions(app) == []

    code, out, err = _adds(app, "3.1.9,3.1.10")
    assert code == 0, err
    assert out.splitlines() == [
        "decision 1 recorded for stuurgroep 2016-10-11: adds 3.1.9",
        "decision 2 recorded for stuurgroep 2016-10-11: adds 3.1.10",
    ]
    assert _decisions(app) == [("3.1.9", True), ("3.1.10", True)]
    assert _asked(app) == {}


@CONTENT_ONLY
def test_adding_an_action_decides_its_milestones_too(app: App) -> None:
    """walk33 3: after `--adds 3.20` the pack asks nothing about 3.20.1/3.20.2 and shows them
    *nieuw in het plan (besluit …)* as it shows 3.20; a layout-11 pack is made again as it
    was (the milestones *vastgelegd op*)."""
    from regie.reports import _agenda_pack, agenda_pack, render_agenda

    _edit(app, ACTION)
    _sync(app, EDITED)
    assert _asked(app) == {"3.20": ("3.20.1", "3.20.2")}
    code, _, err = _adds(app, "3.20")
    assert code == 0, err
    assert _asked(app) == {}
    pack = agenda_pack(app, "stuurgroep", MEETING, AS_OF)
    assert pack.since_last is not None
    added = {e.item_id: e.decided_by for e in pack.since_last.entries if e.kind == "added"}
    assert added == {"3.20": BY, "3.20.1": BY, "3.20.2": BY}
    md = render_agenda(pack, "md").decode()
    assert f"| 3.20.1 | Concept | nieuw in het plan ({BY}) |" in md
    assert f"| 3.20.2 | Vaststelling | nieuw in het plan ({BY}) |" in md
    for layout in (11, 12):  # layout13: 12 is made again as built, as 11 is
        old_pack, _ = _agenda_pack(app, "stuurgroep", MEETING, AS_OF, layout=layout)
        old = render_agenda(old_pack, "md", layout=layout).decode()
        assert "| 3.20.1 | Concept | nieuw in het plan (vastgelegd op 19-12-2016) |" in old
        assert f"nieuw in het plan ({BY})" in old  # 3.20 itself, as layout 11 named it
        assert not [a for a in old_pack.asked if a.reason == "added"], layout


@CONTENT_ONLY
def test_the_progress_report_names_the_action_s_decision_at_its_milestones(app: App) -> None:
    """The progress report (layout 12) says of the milestones that came with an action a
    decision added *toegevoegd aan het plan (besluit …)*, as of the action, not *zonder
    besluit*; layouts 10 and 11 are made again as they were."""
    from regie.reports import _progress_report, progress_report, render_progress

    _edit(app, ACTION)
    _sync(app, EDITED)
    start, end = date(2016, 7, 1), date(2016, 12, 31)
    before = render_progress(progress_report(app, start, end, AS_OF), "md").decode()
    assert "toegevoegd aan het plan (zonder besluit, vastgelegd op 19 december 2016)" in before
    code, _, err = _adds(app, "3.20")
    assert code == 0, err
    report = progress_report(app, start, end, AS_OF)
    text = render_progress(report, "md").decode()
    for item in ("3.20.1", "3.20.2"):
        line = next(x for x in text.splitlines() if x.startswith(f"- {item} "))
        assert line.endswith(f"; toegevoegd aan het plan ({BY})"), line
    assert "zonder besluit" not in text
    for layout in (10, 11):
        made, _ = _progress_report(app, start, end, AS_OF, layout=layout)
        old = render_progress(made, "md").decode()
        line = next(x for x in old.splitlines() if x.startswith("- 3.20.1 "))
        assert line.endswith(
            "; toegevoegd aan het plan (zonder besluit, vastgelegd op 19 december 2016)"
        ), layout


def test_the_progress_report_keeps_one_level_of_brackets_at_an_added_title(app: App) -> None:
    """walk46 11c: a late item added in the period is in *vertraagd of gewijzigd*; layout 13
    puts its words after the title with a semicolon (layout 12: brackets around brackets, made
    again so)."""
    from regie.reports import _progress_report, progress_report, render_progress

    _edit(app, LATE.replace("Q1-2017", "Q3-2016"))
    _sync(app, EDITED)
    start, end = date(2016, 7, 1), date(2016, 12, 31)
    words = "toegevoegd aan het plan (zonder besluit, vastgelegd op 19 december 2016)"
    report = progress_report(app, start, end, AS_OF)
    assert report.layout >= 13  # the current layout (14, ratify48) keeps this rule
    md = render_progress(report, "md").decode()
    html = render_progress(report, "html").decode()
    assert f"| 3.1.9 | Evaluatie behoeftepeiling; {words} |" in md
    assert f"<td>Evaluatie behoeftepeiling; {words}</td>" in html
    old, _ = _progress_report(app, start, end, AS_OF, layout=12)
    assert f"| 3.1.9 | Evaluatie behoeftepeiling ({words}) |" in render_progress(old, "md").decode()


def test_adds_refuses_what_no_decision_can_add_one_line_each(app: App) -> None:
    """walk33 4: a milestone its action's decision covers, an item of the first sync, a
    milestone of an action the plan lacks, a milestone given with its action: refused, one
    line each, exit 2, nothing written."""
    _edit(app, ACTION)
    _sync(app, EDITED)
    for items, words in (
        (("3.1.1",), "--adds 3.1.1: it is in the plan as first recorded (2015-09-30), not "
                     "added to it; a decision about it is --item 3.1.1"),
        (("3.1",), "--adds 3.1: it is in the plan as first recorded"),
        (("3.77.1",), "--adds 3.77.1: its action 3.77 is not in the plan; a decision that "
                      "adds the action adds its milestones (--adds 3.77)"),
        (("3.20", "3.20.1"), "--adds 3.20.1: its action 3.20 is added by this decision, and "
                             "with it its milestones; leave 3.20.1 out"),
    ):  # fmt: skip
        code, out, err = _adds(app, *items)
        assert code == 2 and out == "", (items, out)
        assert err.strip() == words or (len(err.strip().splitlines()) == 1 and words in err), (
            items,
            err,
        )
    assert _decisions(app) == []

    assert _adds(app, "3.20")[0] == 0
    code, out, err = _adds(app, "3.20.2")
    assert code == 2 and out == ""
    assert err.strip() == (
        "--adds 3.20.2: decision 1 (stuurgroep 2016-10-11) adds its action 3.20, and with it "
        "its milestones; nothing to record"
    )
    # Also before the plan file has them: a decision adds 3.30, its milestone is covered.
    assert _adds(app, "3.30")[0] == 0
    code, _, err = _adds(app, "3.30.1")
    assert code == 2 and "adds its action 3.30" in err
    assert _decisions(app) == [("3.20", True), ("3.30", True)]


def test_an_addition_put_to_the_body_before_is_eerder_voorgelegd(app: App) -> None:
    """review14 5: the pack sent for January asked about 3.20; April's pack says so, as it
    does of any point asked again."""
    from regie.prepare import prepare_meetings
    from regie.reports import agenda_pack, render_agenda

    _edit(app, ACTION)
    _sync(app, EDITED)
    assert prepare_meetings(app, AS_OF).packs  # January's pack goes out, asking about 3.20
    pack = agenda_pack(app, "stuurgroep", APRIL, APRIL_AS_OF)
    (point,) = [a for a in pack.asked if a.reason == "added"]
    assert point.earlier == (MEETING,)
    md = render_agenda(pack, "md", layout=13).decode()
    assert (
        "| 3.20 | **Toevoeging van 3.20 (met 3.20.1, 3.20.2) aan het plan accorderen?** | nieuw "
        "in het plan zonder besluit (vastgelegd op 19-12-2016); eerder voorgelegd op "
        "10-01-2017 (2e keer op de agenda) |"
    ) in md
    md = render_agenda(pack, "md").decode()  # layout 14: one level of brackets (walk46 11c)
    assert (
        "| 3.20 | **Toevoeging van 3.20 (met 3.20.1, 3.20.2) aan het plan accorderen?** | nieuw "
        "in het plan zonder besluit, vastgelegd op 19-12-2016; voor de 2e keer voorgelegd, "
        "eerder op 10-01-2017 |"
    ) in md
    assert "1. **Toevoeging van 3.20 (met 3.20.1, 3.20.2) aan het plan accorderen?** (nieuw " in md


LATE = (
    '          - id: "3.1.9"\n            title: Evaluatie behoeftepeiling\n'
    '            gereed: "Q1-2017"\n            owners: [BZ]\n'
)


@CONTENT_ONLY
@pytest.mark.parametrize("kept", [True, False], ids=["asked-kept", "layout-13-pack"])
def test_eerder_voorgelegd_counts_the_same_question(
    app: App, kept: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """walk46 11d: January's pack asked to accept 3.1.9 into the plan; in April it is late too.
    Its *Nieuwe datum* was never asked before: April's pack says the item was on the agenda with
    another question, and counts January only for the addition. A pack of layout 14 keeps what
    it asked (``asked``); one of layout 13 kept only its items: worked out from the data."""
    from regie import report_build, reports
    from regie.prepare import prepare_meetings
    from regie.reports import _agenda_pack, agenda_pack, render_agenda

    if not kept:  # January's pack as layout 13 archived it: no reasons, its own layout
        keep = report_build.agenda_parameters

        def parameters(*args: Any, **kwargs: Any) -> dict[str, Any]:
            out = {k: v for k, v in keep(*args, **kwargs).items() if k != "asked"}
            return out | {"layout": 13}

        # prepare archives through regie.reports' name of it
        monkeypatch.setattr(reports, "agenda_parameters", parameters)
    _edit(app, LATE)
    _sync(app, EDITED)
    assert prepare_meetings(app, AS_OF).packs  # January's pack: Toevoeging van 3.1.9
    monkeypatch.undo()
    pack = agenda_pack(app, "stuurgroep", APRIL, APRIL_AS_OF)
    points = {a.reason: a for a in pack.asked if a.item.item_id == "3.1.9"}
    assert set(points) == {"overdue", "added"}
    assert (points["overdue"].earlier, points["overdue"].earlier_other) == ((), (MEETING,))
    assert (points["added"].earlier, points["added"].earlier_other) == ((MEETING,), ())
    md = render_agenda(pack, "md").decode()
    assert (
        "| 3.1.9 | **Nieuwe datum vaststellen voor 3.1.9?** | te laat: deadline 31-03-2017 "
        "verstreken; eerder met een andere vraag op de agenda op 10-01-2017 |"
    ) in md
    assert "voor de 2e keer voorgelegd, eerder op 10-01-2017 |" in md  # the addition
    assert "keer op de agenda" not in md
    # Layout 13 counted the item: its late point was "eerder voorgelegd" in January.
    old, _ = _agenda_pack(app, "stuurgroep", APRIL, APRIL_AS_OF, layout=13)
    late = next(a for a in old.asked if a.item.item_id == "3.1.9" and a.reason == "overdue")
    assert late.earlier == (MEETING,) and late.earlier_other == ()
    assert "te laat sinds 31-03-2017; eerder voorgelegd op 10-01-2017 (2e keer op de agenda)" in (
        render_agenda(old, "md", layout=13).decode()
    )


def test_a_layout_12_pack_is_read_by_its_own_rule_after_the_upgrade(
    app: App, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """review47b 1: January's layout-12 pack (before 0036) asked to accept 3.1.9, as layout 12
    asked every addition since the first sync. The install then upgraded, which accepts 3.1.9
    as the plan stood. April's pack asks a new date for it: that question was never put, so it
    is not *voor de 2e keer voorgelegd* (the pack's rule, not today's accepted cut)."""
    from regie import report_build, reports
    from regie.prepare import prepare_meetings
    from regie.reports import agenda_pack, render_agenda
    from store import downgrade, upgrade

    keep = report_build.agenda_parameters

    def parameters(*args: Any, **kwargs: Any) -> dict[str, Any]:
        out = {k: v for k, v in keep(*args, **kwargs).items() if k != "asked"}
        return out | {"layout": 12}

    # prepare archives through regie.reports' name of it
    monkeypatch.setattr(reports, "agenda_parameters", parameters)
    _edit(app, LATE)
    _sync(app, EDITED)
    assert prepare_meetings(app, AS_OF).packs  # January's pack: Toevoeging van 3.1.9
    monkeypatch.undo()
    downgrade(database_url, "0035")  # an install before 0036, then its upgrade
    upgrade(database_url)
    pack = agenda_pack(app, "stuurgroep", APRIL, APRIL_AS_OF)
    points = {a.reason: a for a in pack.asked if a.item.item_id == "3.1.9"}
    assert set(points) == {"overdue"}  # accepted at the upgrade: no longer asked to accept
    assert (points["overdue"].earlier, points["overdue"].earlier_other) == ((), (MEETING,))
    md = render_agenda(pack, "md").decode()
    assert (
        "| 3.1.9 | **Nieuwe datum vaststellen voor 3.1.9?** | te laat: deadline 31-03-2017 "
        "verstreken; eerder met een andere vraag op de agenda op 10-01-2017 |"
    ) in md
    lines = [x for x in md.splitlines() if "voor 3.1.9?" in x]
    assert lines and not [x for x in lines if "2e keer" in x]
