"""Progress layout 20, chapter 2 *Vertraagd of gewijzigd*: an ``idem`` row promises what it
copies, ``idem (Q4-2015)``, as the annex and every other view say (walk56e 1), and a reason
that ends in a full stop reads no ``.;`` before the next one (walk56d 8). Layout 19 is made
again as built: the bare ``idem``, the ``.;``."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from governance import progress
from governance.assessment import assess
from governance.decisions import Decision, DecisionKind
from governance.plan import Plan
from governance.progress import ProgressReport, build_progress
from governance.provenance import DueChange
from governance.updates import StatusUpdate, UpdateStatus
from regie.reports import render_progress
from tests.unit.planbuilder import act, dependent, idem, make_plan, ms, quarter

START, END, AS_OF = date(2015, 1, 1), date(2016, 12, 31), date(2016, 1, 15)
Q4 = quarter(2015, 4)
PLAN = make_plan(
    act("1.1", ms("1.1.1", Q4), ms("1.1.2", idem(Q4, "1.1.1"), title="Idem als boven")),
    act("1.2", ms("1.2.1", dependent("Afhankelijk van 1.1.1"), depends_on=("1.1.1",)),
        ms("1.2.2", idem(dependent("Afhankelijk van 1.1.1"), "1.2.1"), depends_on=("1.1.1",))),
)  # fmt: skip


def _report(plan: Plan, layout: int, decisions: tuple[Decision, ...] = (),
            updates: tuple[StatusUpdate, ...] = ()) -> ProgressReport:  # fmt: skip
    assessment = assess(plan, list(updates), AS_OF)
    return build_progress(plan, assessment, START, END, decisions=decisions, layout=layout)


def _row(report: ProgressReport, item_id: str, fmt: str = "md") -> str:
    """The *Vertraagd of gewijzigd* row of ``item_id`` (Markdown), or its HTML table row."""
    text = render_progress(report, fmt).decode()
    if fmt == "md":
        return next(x for x in text.splitlines() if x.startswith(f"| {item_id} |"))
    return next(x for x in text.splitlines() if x.startswith(f"<tr><td>{item_id}</td>"))


def test_both_come_with_layout_20() -> None:
    assert progress.LAYOUT >= progress.IDEM_SHOWN_FROM == progress.STOPS_JOINED_FROM == 20


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_late_idem_row_promises_what_it_copies(fmt: str) -> None:
    """1.1.1 and its ``idem`` row 1.1.2 are both late (Q4-2015, nothing heard by 15 January
    2016): 1.1.2's *Beloofd* names the quarter, as the annex does."""
    new, old = _report(PLAN, 20), _report(PLAN, 19)
    assert [c.promised for s in new.steps for c in s.changed] == ["Q4-2015", "idem (Q4-2015)"]
    cell = "| idem (Q4-2015) |" if fmt == "md" else "<td>idem (Q4-2015)</td>"
    assert cell in _row(new, "1.1.2", fmt)
    assert "idem (Q4-2015)" in render_progress(new, fmt).decode().split("Bijlage")[-1]
    bare = "| idem |" if fmt == "md" else "<td>idem</td>"
    assert bare in _row(old, "1.1.2", fmt)  # layout 19, as built


def test_a_dependent_idem_row_names_the_dependency() -> None:
    """1.2.2 copies 1.2.1's *Afhankelijk van 1.1.1*: due once 1.1.1 is done (1 December 2015),
    late on 15 January 2016 like 1.2.1."""
    done = StatusUpdate("1.1.1", UpdateStatus.DONE, date(2015, 12, 1))
    new = _report(PLAN, 20, updates=(done,))
    old = _report(PLAN, 19, updates=(done,))
    promised = {c.item.item_id: c.promised for s in new.steps for c in s.changed}
    assert promised["1.2.2"] == "idem (Afhankelijk van 1.1.1)"
    assert {c.item.item_id: c.promised for s in old.steps for c in s.changed}["1.2.2"] == "idem"


DECIDED = (
    Decision("stuurgroep", date(2015, 12, 8), DecisionKind.DECISION,
             "Verschuiving naar Q1-2016 geaccordeerd.", "1.1.1", id=1),
    Decision("stuurgroep", date(2016, 1, 12), DecisionKind.DECISION,
             "Nieuwe datum volgt in februari.", "1.1.1", id=2),
    Decision("stuurgroep", date(2016, 1, 12), DecisionKind.DECISION,
             "Zie de notulen...", "1.1.2", id=3),
)  # fmt: skip
NOTE = StatusUpdate(
    "1.1.1", UpdateStatus.AT_RISK, date(2016, 1, 4), comment="Leverancier is failliet."
)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_joined_reasons_read_no_full_stop_before_the_semicolon(fmt: str) -> None:
    """Two minuted decisions and the owner's note about 1.1.1: each reason but the last loses
    its final full stop; the last keeps it, as does an ellipsis."""
    new = _row(_report(PLAN, 20, DECIDED, (NOTE,)), "1.1.1", fmt)
    old = _row(_report(PLAN, 19, DECIDED, (NOTE,)), "1.1.1", fmt)
    assert ".;" not in new
    assert "Verschuiving naar Q1-2016 geaccordeerd; besluit " in new
    assert "Nieuwe datum volgt in februari; toelichting eigenaar: " in new
    assert new.endswith("Leverancier is failliet. |" if fmt == "md" else "failliet.</td></tr>")
    assert "geaccordeerd.; besluit " in old and "februari.; toelichting" in old  # layout 19
    assert "Zie de notulen..." in _row(_report(PLAN, 20, DECIDED), "1.1.2", fmt)


def test_a_full_stop_before_a_plan_edit_goes_too() -> None:
    """The owner's note followed by *datum gewijzigd in het plan* (1.1.1 dated Q4-2015 in the
    file on 1 October 2015, without a decision) is joined the same way."""
    edit = DueChange("1.1.1", "Q3-2015", "Q4-2015", date(2015, 9, 30), date(2015, 12, 31),
                     datetime(2015, 10, 1, 8, tzinfo=UTC))  # fmt: skip
    rows = [
        _row(build_progress(PLAN, assess(PLAN, [NOTE], AS_OF), START, END,
                            due_changes=(edit,), layout=layout), "1.1.1")
        for layout in (20, 19)
    ]  # fmt: skip
    assert "failliet; datum gewijzigd in het plan zonder besluit: Q3-2015 → Q4-2015" in rows[0]
    assert "failliet.; datum gewijzigd" in rows[1]  # layout 19, as built
