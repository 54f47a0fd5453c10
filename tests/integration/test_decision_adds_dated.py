"""One rule for additions in both directions (adds47; agenda layout 14): milestones of a new
action ratified one by one add the action (not asked, `--adds` of it refused; walk46 4); a
combined `--adds` checks a milestone only against an action it really adds (walk46 5); an
action's decision adds the milestones the plan had when it was recorded, a milestone added
later is asked of its own and `--adds` takes it (review46 9). Layout 13 is made again as it
was. SQLite and PostgreSQL.

As in test_decision_adds_ratify: the seed plan is synced first, the edit of 19 December 2016
adds action 3.20 (no gereed of its own) with 3.20.1 and 3.20.2."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from regie.bootstrap import App
from tests.integration.reports_scenario import make_app
from tests.integration.test_decision_adds import (
    AS_OF,
    BY,
    DECIDED,
    EDITED,
    FIRST_SYNC,
    MEETING,
    _add_items,
    _decisions,
    _sync,
)
from tests.integration.test_decision_adds_ratify import ACTION, LATER, _adds, _asked, _edit

RULE_ONLY = pytest.mark.one_database(
    "the additions' rule, from SQL this file's other PostgreSQL tests run"
)

#: When the office recorded the body's decision on 3.20: after the edit, before the next one.
RECORDED = datetime(2016, 12, 20, 12, tzinfo=UTC)
LATE_MILESTONE = (
    '          - id: "3.20.3"\n            title: Evaluatie draaiboek\n'
    '            gereed: "Q2-2018"\n            owners: [BZ]\n'
)
DECIDED_FIRST = (
    '      - id: "3.30"\n        title: Nieuwe regeling\n        owners: [BZ]\n'
    "        milestones:\n"
    '          - id: "3.30.1"\n            title: Ontwerp\n'
    '            gereed: "Q3-2017"\n            owners: [BZ]\n'
)


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:
    from store import upgrade

    if not database_url.startswith("sqlite"):
        upgrade(database_url)
    app = make_app(tmp_path / "home", database_url)
    assert _sync(app, FIRST_SYNC) == []
    return app


def _recorded_at(app: App, item: str, at: datetime) -> None:
    """A decision adding ``item``, recorded by the office at ``at``."""
    from governance.decisions import Decision, DecisionKind
    from store.reports_repo import ReportsRepository

    decision = Decision("stuurgroep", DECIDED, DecisionKind.DECISION, "Aanvaard", item, adds=True)
    with app.session() as session, session.begin():
        ReportsRepository(session, app.programme_id(), clock=lambda: at).add_decision(decision)


def _named(app: App, layout: int | None = None) -> dict[str, str | None]:
    from regie.reports import _agenda_pack

    pack, _ = _agenda_pack(app, "stuurgroep", MEETING, AS_OF, layout=layout)
    assert pack.since_last is not None
    return {e.item_id: e.decided_by for e in pack.since_last.entries if e.kind == "added"}


@RULE_ONLY
def test_milestones_ratified_one_by_one_add_their_action(app: App) -> None:
    """walk46 4: after `--adds 3.20.1` the pack asks 3.20 with 3.20.2; after `--adds 3.20.2`
    nothing, and 3.20 is *nieuw in het plan (besluit …)*; `--adds 3.20` is then refused, one
    line, nothing written (as `--adds 3.20.1` is after `--adds 3.20`). Layout 13 asked 3.20
    still, and is made again so."""
    from regie.reports import _agenda_pack, render_agenda

    _edit(app, ACTION)
    _sync(app, EDITED)
    assert _adds(app, "3.20.1")[0] == 0
    assert _asked(app) == {"3.20": ("3.20.2",)}
    assert _adds(app, "3.20.2")[0] == 0
    assert _asked(app) == {}
    assert _named(app) == {"3.20": BY, "3.20.1": BY, "3.20.2": BY}
    pack, _ = _agenda_pack(app, "stuurgroep", MEETING, AS_OF)
    md = render_agenda(pack, "md").decode()
    assert f"| 3.20 | Draaiboek nieuwe regeling | nieuw in het plan ({BY}) |" in md
    assert "Toevoeging van 3.20" not in md

    code, out, err = _adds(app, "3.20")
    assert code == 2 and out == "", out
    assert err.strip() == (
        "--adds 3.20: decisions add each of its milestones (the last: decision 2 (stuurgroep "
        "2016-10-11)) and it has no gereed of its own; nothing to record"
    )
    assert _decisions(app) == [("3.20.1", True), ("3.20.2", True)]

    old, _ = _agenda_pack(app, "stuurgroep", MEETING, AS_OF, layout=13)
    assert _asked(app, layout=13) == {"3.20": ()}
    assert (
        "Toevoeging van 3.20 aan het plan accorderen?"
        in render_agenda(old, "md", layout=13).decode()
    )


def test_a_combined_adds_checks_a_milestone_against_the_actions_it_adds(app: App) -> None:
    """walk46 5: `--adds 3.20,3.1.9,3.1,3.20.1`: 3.1 is refused (first sync), so 3.1.9 is a
    genuine addition (no line); 3.20.1 comes with 3.20, which this decision adds."""
    _edit(app, ACTION)
    _add_items(app)  # right after the anchor: 3.1's milestones, before 3.20
    _sync(app, EDITED)
    code, out, err = _adds(app, "3.20", "3.1.9", "3.1", "3.20.1")
    assert code == 2 and out == "", out
    assert err.strip().splitlines() == [
        "--adds 3.1: it is in the plan as first recorded (2015-09-30), not added to it; a "
        "decision about it is --item 3.1",
        "--adds 3.20.1: its action 3.20 is added by this decision, and with it its milestones; "
        "leave 3.20.1 out",
    ]
    assert _decisions(app) == []
    assert _adds(app, "3.20", "3.1.9")[0] == 0
    assert _decisions(app) == [("3.20", True), ("3.1.9", True)]


def test_a_milestone_added_after_its_action_s_decision_is_an_addition_of_its_own(
    app: App,
) -> None:
    """review46 9: 3.20 added by a decision recorded 20 December; 3.20.3 added to it on
    28 December is new of its own: `regie sync` warns, the pack asks it and does not name the
    old decision at it, `--adds 3.20.3` is recorded. Action 3.30, decided before the plan had
    it, comes with its milestone in one sync: both decided. Layout 13 is made again as built
    (3.20.3 under the action's decision)."""
    _edit(app, ACTION)
    _sync(app, EDITED)
    _recorded_at(app, "3.20", RECORDED)
    _recorded_at(app, "3.30", RECORDED)
    assert _asked(app) == {}
    _edit(app, LATE_MILESTONE, anchor=ACTION)
    _edit(app, DECIDED_FIRST, anchor=ACTION + LATE_MILESTONE)
    warnings = _sync(app, LATER)
    assert (
        len(warnings) == 1
        and "3.20.3 'Evaluatie draaiboek' added to the plan without" in (warnings[0])
    ), warnings
    assert _asked(app) == {"3.20.3": ()}
    named = _named(app)
    assert named["3.20.1"] == named["3.30"] == named["3.30.1"] == BY
    assert named["3.20.3"] is None  # *zonder besluit*, not the action's old decision
    assert _asked(app, layout=13) == {}
    assert _named(app, layout=13)["3.20.3"] == BY
    # The progress report (layout 13) says so too; layout 12 is made again as built.
    from regie.reports import _progress_report, progress_report, render_progress

    def line(report: object, item: str) -> str:
        text = render_progress(report, "md").decode()
        return next(x for x in text.splitlines() if x.startswith(f"- {item} "))

    start, end = date(2016, 7, 1), date(2016, 12, 31)
    report = progress_report(app, start, end, AS_OF)
    assert line(report, "3.20.1").endswith(f"; toegevoegd aan het plan ({BY})")
    assert line(report, "3.20.3").endswith(
        "; toegevoegd aan het plan (zonder besluit, vastgelegd op 28 december 2016)"
    )
    old, _ = _progress_report(app, start, end, AS_OF, layout=12)
    assert line(old, "3.20.3").endswith(f"; toegevoegd aan het plan ({BY})")

    code, out, err = _adds(app, "3.20.3")
    assert code == 0, err
    assert _asked(app) == {}
    assert _named(app)["3.20.3"] == BY
    # A milestone the plan file lacks yet, of an action in the plan: an addition of its own.
    code, out, err = _adds(app, "3.20.4")
    assert code == 0 and "note: 3.20.4 is not in" in out, err
    # One the decision of 3.30.1's action found in the plan: covered, refused.
    code, out, err = _adds(app, "3.30.1")
    assert code == 2 and "adds its action 3.30, and with it its milestones" in err, err


def _adds_at(app: App, item: str, meeting: date, at: datetime) -> None:
    """A decision of ``meeting`` adding ``item``, recorded by the office at ``at``."""
    from governance.decisions import Decision, DecisionKind
    from store.reports_repo import ReportsRepository

    decision = Decision("stuurgroep", meeting, DecisionKind.DECISION, "Aanvaard", item, adds=True)
    with app.session() as session, session.begin():
        ReportsRepository(session, app.programme_id(), clock=lambda: at).add_decision(decision)


def test_an_action_added_milestone_by_milestone_is_named_by_its_latest_meeting(app: App) -> None:
    """ratify48 (review47b 3): 3.20.2 decided on 20 December and recorded the same day, 3.20.1
    decided on 11 October but recorded on 21 December: 3.20 was only fully decided on 20
    December, and reads so (agenda layout 15's *nieuw in het plan*, `--adds 3.20`'s refusal);
    agenda layout 14 named the decision recorded last. The progress report names each
    milestone's own decision (3.20 has no line of its own there)."""
    from regie.reports import progress_report, render_progress

    _edit(app, ACTION)
    _sync(app, EDITED)
    _adds_at(app, "3.20.2", date(2016, 12, 20), datetime(2016, 12, 20, 12, tzinfo=UTC))
    _adds_at(app, "3.20.1", DECIDED, datetime(2016, 12, 21, 12, tzinfo=UTC))
    late = "besluit Stuurgroep Plan van aanpak MVI, 20 december 2016"
    assert _named(app, layout=15)["3.20"] == late
    assert _named(app, layout=14)["3.20"] == BY  # as packs of layout 14 were made
    code, out, err = _adds(app, "3.20")
    assert code == 2 and out == "", out
    assert "(the last: decision 1 (stuurgroep 2016-12-20))" in err, err

    report = progress_report(app, date(2016, 7, 1), date(2016, 12, 31), AS_OF)
    text = render_progress(report, "md").decode()
    assert f"- 3.20.1 Concept (BZ): gereed Q2-2017, op schema; toegevoegd aan het plan ({BY})" in (
        text
    )
    assert f"; toegevoegd aan het plan ({late})" in text  # 3.20.2's
    assert "- 3.20 " not in text
