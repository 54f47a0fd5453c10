"""The plan as its decisions stood on a day (governance.provenance), pure: a decision counts from
its meeting on; a chain of decisions rewinds to the one in force; a plan text's revised_by is
read when no decision is stored; due-date changes from revisions, decided or not."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from governance.decisions import Decision, DecisionKind
from governance.planfile import load_plan
from governance.provenance import (
    RevisionFact,
    decided_on,
    due_changes,
    file_edits,
    plan_as_of,
    undecided_lines,
)
from tests.conftest import SEED_PLAN

PLAN = load_plan(SEED_PLAN)
JAN, APR = date(2016, 1, 12), date(2016, 4, 12)


def _moved(plan, item_id: str, gereed: str, revised_by: str | None, original: str | None):  # type: ignore[no-untyped-def]
    """``plan`` with one milestone as a decision leaves it in the file."""
    from governance.periods import parse_period

    steps = []
    for step in plan.steps:
        actions = []
        for a in step.actions:
            ms = tuple(
                replace(
                    m, gereed=gereed, period=parse_period(gereed), revised_by=revised_by,
                    original_gereed=original,
                )
                if m.id == item_id
                else m
                for m in a.milestones
            )  # fmt: skip
            actions.append(replace(a, milestones=ms))
        steps.append(replace(step, actions=tuple(actions)))
    return replace(plan, steps=tuple(steps))


def _milestone(plan, item_id: str):  # type: ignore[no-untyped-def]
    return next(m for m in plan.milestones() if m.id == item_id)


def _decision(on: date, before: str, after: str, n: int) -> Decision:
    return Decision("stuurgroep", on, DecisionKind.SET_GEREED, "x", "1.3.1", before, after, id=n)


def test_nothing_later_gives_the_same_plan() -> None:
    assert plan_as_of(PLAN, [_decision(JAN, "Najaar 2015", "Q2-2016", 1)], APR) is PLAN
    assert plan_as_of(PLAN, [], JAN) is PLAN


def test_a_chain_of_decisions_rewinds_to_the_one_in_force() -> None:
    label_jan = "besluit Stuurgroep Plan van aanpak MVI, 12 januari 2016"
    label_apr = "besluit Stuurgroep Plan van aanpak MVI, 12 april 2016"
    now = _moved(PLAN, "1.3.1", "Q4-2016", label_apr, "Najaar 2015")
    decisions = [
        _decision(JAN, "Najaar 2015", "Q2-2016", 1),
        _decision(APR, "Q2-2016", "Q4-2016", 2),
    ]
    before = _milestone(plan_as_of(now, decisions, date(2016, 1, 8)), "1.3.1")
    assert (before.gereed, before.original_gereed, before.revised_by) == ("Najaar 2015", None, None)
    assert before.period is not None and before.period.due == date(2015, 11, 30)
    between = _milestone(plan_as_of(now, decisions, date(2016, 2, 1)), "1.3.1")
    assert (between.gereed, between.original_gereed) == ("Q2-2016", "Najaar 2015")
    assert between.revised_by == label_jan
    assert plan_as_of(now, decisions, APR) is now
    assert plan_as_of(now, decisions, date(2016, 1, 8)).source_hash is None  # not the file's


def test_a_revised_by_without_a_stored_decision_is_read_from_its_text() -> None:
    now = _moved(PLAN, "1.3.1", "Q2-2016", "besluit Stuurgroep MVI, 12 januari 2016", "Najaar 2015")
    assert decided_on("besluit Werkgroep 3, 2 februari 2016") == date(2016, 2, 2)
    earlier = _milestone(plan_as_of(now, [], date(2016, 1, 11)), "1.3.1")
    assert (earlier.gereed, earlier.revised_by) == ("Najaar 2015", None)
    assert plan_as_of(now, [], JAN) is now


def test_due_changes_tell_decided_from_hand_edits() -> None:
    at = datetime(2026, 12, 4, 3, 0, tzinfo=UTC)
    quarter = {"kind": "quarter", "start": "2016-04-01", "end": "2016-06-30"}
    season = {"kind": "season", "start": "2015-09-01", "end": "2015-11-30"}
    revisions = [
        RevisionFact("1.2.1", "gereed", "Najaar 2015", "Q2-2016", at),
        RevisionFact("1.2.1", "period", season, quarter, at),
        RevisionFact("1.3.1", "gereed", "Najaar 2015", "Q2-2016", at),
        RevisionFact("1.3.1", "period", season, quarter, at),
        RevisionFact("1.4.1", "gereed", "idem", "Q3-2015", at),  # written out: same date
        RevisionFact("1.4.1", "period", season, season, at),
    ]
    changes = due_changes(revisions, [_decision(JAN, "Najaar 2015", "Q2-2016", 1)])
    assert [(c.item_id, c.decided) for c in changes] == [("1.2.1", False), ("1.3.1", True)]
    lines = undecided_lines(changes, "plan.yaml")
    assert lines == [
        "warning: plan.yaml: 1.2.1 gereed was 'Najaar 2015' (due 2015-11-30), now 'Q2-2016' "
        "(due 2016-06-30): no decision recorded (a promise moves through `regie decision add "
        "--set-gereed`)"
    ]


def test_file_edits_against_the_synced_plan() -> None:
    stored = {"1.2.1": ("Q3-2015", date(2015, 9, 30)), "1.3.1": ("Q3-2015", date(2015, 9, 30))}
    found = file_edits(PLAN, stored, {("1.3.1", "Najaar 2015")})
    assert [(c.item_id, c.gereed_before, c.gereed_after) for c in found] == [
        ("1.2.1", "Q3-2015", "Najaar 2015")
    ]


def _edit(
    code: str, kind: str, at: datetime, field=None, before=None, after=None, *, n=0, kept=False
):  # type: ignore[no-untyped-def]
    from governance.provenance import PlanEdit

    return PlanEdit("milestone", code, kind, field, before, after, at, n, kept=kept)


def test_plan_file_edits_recorded_after_the_day_are_undone() -> None:
    """Stamped after the end of the day (Amsterdam): undone; by then, or kept (the first sync, a
    decision's): they stand. A milestone taken out later is rebuilt from its revisions."""
    first = datetime(2015, 9, 1, 10, tzinfo=UTC)
    later = datetime(2016, 4, 11, 22, 30, tzinfo=UTC)  # 12 April 00:30 in Amsterdam
    gone = _milestone(PLAN, "1.3.2")
    created = {
        "action": gone.action_id, "title": gone.title, "gereed": gone.gereed,
        "period": {"kind": gone.period.kind.value, "start": gone.period.start.isoformat(),
                   "end": gone.period.end.isoformat()} if gone.period else None,
        "owners": list(gone.owners), "depends_on": [], "note": None, "position": 1,
    }  # fmt: skip
    edited = _moved(PLAN, "1.3.1", "Q2-2017", None, None)
    edited = replace(
        edited,
        steps=tuple(
            replace(s, actions=tuple(
                replace(a, milestones=tuple(m for m in a.milestones if m.id != "1.3.2"))
                for a in s.actions
            ))
            for s in edited.steps
        ),
    )  # fmt: skip
    m131 = _milestone(PLAN, "1.3.1")
    assert m131.period is not None
    period = {"kind": m131.period.kind.value, "start": m131.period.start.isoformat(),  # type: ignore[union-attr]
              "end": m131.period.end.isoformat()}  # type: ignore[union-attr]  # fmt: skip
    edits = [
        _edit("1.3.2", "created", first, after=created, n=1, kept=True),
        _edit("1.3.1", "changed", later, "gereed", m131.gereed, "Q2-2017", n=2),
        _edit("1.3.1", "changed", later, "period", period, None, n=2),  # as a sync records it
        _edit("1.3.2", "archived", later, n=3),
    ]
    on_the_11th = plan_as_of(edited, [], date(2016, 4, 11), edits)
    assert _milestone(on_the_11th, "1.3.1").gereed == m131.gereed
    assert _milestone(on_the_11th, "1.3.1").period == replace(m131.period, text=m131.gereed)
    assert _milestone(on_the_11th, "1.3.2").title == gone.title
    assert _milestone(on_the_11th, "1.3.2").period.end == gone.period.end  # type: ignore[union-attr]
    assert plan_as_of(edited, [], date(2016, 4, 12), edits) is edited  # recorded that day
    # Kept (a decision's or the first sync's): stands whatever its time.
    kept = [replace(e, kept=True) for e in edits]
    assert plan_as_of(edited, [], date(2016, 4, 11), kept) is edited


def test_an_item_brought_back_later_is_dropped_in_between() -> None:
    """A restore removes ``cancelled_by`` from the file; a day between the drop and the restore
    shows the item dropped by the decision then in force."""
    restored = _moved(
        PLAN, "1.3.1", "Q4-2016", "besluit Stuurgroep MVI, 12 april 2016", "Najaar 2015"
    )
    decisions = [
        Decision(
            "stuurgroep", JAN, DecisionKind.CANCEL, "vervalt", "1.3.1", "Najaar 2015", None, id=1
        ),
        _decision(APR, "Najaar 2015", "Q4-2016", 2),
    ]
    between = _milestone(plan_as_of(restored, decisions, date(2016, 2, 1)), "1.3.1")
    assert between.cancelled_by == "besluit Stuurgroep Plan van aanpak MVI, 12 januari 2016"
    assert between.gereed == "Najaar 2015"
    before = _milestone(plan_as_of(restored, decisions, date(2016, 1, 8)), "1.3.1")
    assert before.cancelled_by is None and before.gereed == "Najaar 2015"
    assert plan_as_of(restored, decisions, APR) is restored


def test_the_calendar_s_last_day_has_no_day_after() -> None:
    """A report "as of" 9999-12-31 (the calendar's end) is refused nowhere: nothing is
    recorded after it, so no plan edit is undone."""
    from governance.provenance import end_of_day

    cut = end_of_day(PLAN, date.max)
    assert cut > datetime(9999, 12, 31, 12, 0, tzinfo=UTC)
    edit = _edit("1.3.1", "changed", datetime(9999, 12, 31, 22, tzinfo=UTC), "gereed",
                 "Najaar 2015", "Q2-2017")  # fmt: skip
    assert plan_as_of(PLAN, [], date.max, [edit]) is PLAN  # recorded on the last day: it stands
