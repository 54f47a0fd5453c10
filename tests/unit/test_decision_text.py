"""How a decision is named and what it writes into the plan file, without a database: the body's
name (never its id, never an article before it), and ``idem`` rows that keep their promise."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from governance.decisions import (
    Decision,
    DecisionKind,
    decided_by,
    decision_label,
    promise_in_effect,
)
from governance.periods import PeriodKind
from governance.plan import Action, Milestone
from governance.planfile import parse_plan
from regie.decisions import KeptPromise, edit_plan_text, kept_promises

MINIMAL = (
    Path(__file__).resolve().parent.parent / "fixtures" / "plans" / "minimal.yaml"
).read_text(encoding="utf-8")
DECIDED = "besluit Stuurgroep MVI, 12 januari 2016"


def _item(text: str, item_id: str) -> Action | Milestone:
    plan = parse_plan(text)
    items: list[Action | Milestone] = [*plan.actions(), *plan.milestones()]
    return next(i for i in items if i.id == item_id)


def test_a_decision_is_named_by_the_body_name_and_the_date_after_a_comma() -> None:
    on = date(2026, 11, 30)
    assert decided_by("Bestuurlijk overleg met lokale besturen", on) == (
        "besluit Bestuurlijk overleg met lokale besturen, 30 november 2026"
    )
    # A name ending in a number stays apart from the date.
    assert decided_by("Werkgroep 3", on) == "besluit Werkgroep 3, 30 november 2026"
    plan = parse_plan(MINIMAL)
    known = Decision("stuurgroep", date(2016, 1, 12), DecisionKind.DECISION, "x")
    assert decision_label(plan, known) == DECIDED
    # A body the plan no longer has is named by the id the decision was stored with.
    gone = Decision("oude-raad", date(2016, 1, 12), DecisionKind.DECISION, "x")
    assert decision_label(plan, gone) == "besluit oude-raad, 12 januari 2016"


def test_the_promise_of_an_idem_row_is_the_text_it_copies_up_a_chain() -> None:
    text = MINIMAL.replace(
        '            gereed: idem\n      - id: "1.2"',
        "            gereed: idem\n"
        '          - id: "1.1.3"\n'
        "            title: Nog een\n"
        "            gereed: Idem\n"
        '      - id: "1.2"',
    )
    plan = parse_plan(text)
    assert promise_in_effect(plan, "1.1.1") == "Q3-2015"
    assert promise_in_effect(plan, "1.1.2") == "Q3-2015"
    assert promise_in_effect(plan, "1.1.3") == "Q3-2015"
    assert promise_in_effect(plan, "1.2.2") == "Afhankelijk van overleg bestuurlijke afspraken"
    assert promise_in_effect(plan, "1.1") is None  # no gereed of its own
    # Only the row right below copies the row: the next one in the chain copies that row.
    assert [k.item_id for k in kept_promises(plan, "1.1.1")] == ["1.1.2"]
    assert [k.item_id for k in kept_promises(plan, "1.1.2")] == ["1.1.3"]
    assert kept_promises(plan, "1.1.3") == ()


def test_redating_an_idem_row_keeps_the_promise_it_copied_as_the_original() -> None:
    plan = parse_plan(MINIMAL)
    edited = edit_plan_text(
        MINIMAL, "1.1.2", new_gereed="Q1-2016", cancel=False, decided=DECIDED,
        promised=promise_in_effect(plan, "1.1.2"),
    )  # fmt: skip
    moved = _item(edited, "1.1.2")
    assert (moved.gereed, moved.original_gereed, moved.revised_by) == (
        "Q1-2016", "Q3-2015", DECIDED
    )  # fmt: skip


def test_redating_the_row_above_writes_the_promise_out_into_the_idem_row() -> None:
    plan = parse_plan(MINIMAL)
    keep = kept_promises(plan, "1.1.1")
    assert keep == (KeptPromise("1.1.2", "idem", "Q3-2015", "1.1.1"),)
    edited = edit_plan_text(
        MINIMAL, "1.1.1", new_gereed="Q2-2016", cancel=False, decided=DECIDED, keep=keep
    )
    below = _item(edited, "1.1.2")
    assert (below.gereed, below.original_gereed, below.revised_by) == ("Q3-2015", None, None)
    assert below.period is not None and below.period.end == date(2015, 9, 30)
    assert f'gereed: "Q3-2015"  # was "idem" (as 1.1.1), written out by {DECIDED}' in edited
    # Nothing else changed.
    changed = [
        (a, b) for a, b in zip(MINIMAL.splitlines(), edited.splitlines(), strict=False) if a != b
    ]
    assert [b.strip() for _, b in changed][:1] == ['gereed: "Q2-2016"']


def test_a_dependent_promise_is_written_out_with_the_dependencies_it_brought() -> None:
    """1.2.2 is ``idem`` under the dependent 1.2.1: it waits on its own 1.1.1 and, through the
    copy, on 1.2.1's 1.1.2. Written out, it keeps both."""
    plan = parse_plan(MINIMAL)
    keep = kept_promises(plan, "1.2.1")
    assert keep == (
        KeptPromise(
            "1.2.2", "idem", "Afhankelijk van overleg bestuurlijke afspraken", "1.2.1",
            ("1.1.1", "1.1.2"),
        ),
    )  # fmt: skip
    edited = edit_plan_text(
        MINIMAL, "1.2.1", new_gereed="Q2-2016", cancel=False, decided=DECIDED, keep=keep
    )
    below = _item(edited, "1.2.2")
    assert below.gereed == "Afhankelijk van overleg bestuurlijke afspraken"
    assert below.period is not None and below.period.kind is PeriodKind.DEPENDENT
    assert below.period.same_as is None and below.depends_on == ("1.1.1", "1.1.2")
    # Re-dating the idem row itself keeps the dependencies it had through the copy, too.
    again = edit_plan_text(
        MINIMAL, "1.2.2", new_gereed="Q2-2016", cancel=False, decided=DECIDED,
        promised=promise_in_effect(plan, "1.2.2"), depends_on=("1.1.1", "1.1.2"),
    )  # fmt: skip
    moved = _item(again, "1.2.2")
    assert moved.original_gereed == "Afhankelijk van overleg bestuurlijke afspraken"
    assert moved.depends_on == ("1.1.1", "1.1.2")


def test_a_comment_already_on_the_idem_row_is_kept() -> None:
    text = MINIMAL.replace(
        '            gereed: idem\n      - id: "1.2"',
        '            gereed: idem  # as the seed has it\n      # next action\n      - id: "1.2"',
    )
    plan = parse_plan(text)
    edited = edit_plan_text(
        text, "1.1.1", new_gereed="Q2-2016", cancel=False, decided=DECIDED,
        keep=kept_promises(plan, "1.1.1"),
    )  # fmt: skip
    line = next(x for x in edited.splitlines() if "as the seed has it" in x)
    assert line.startswith('            gereed: "Q3-2015"') and "was" not in line
    assert "      # next action\n" in edited
