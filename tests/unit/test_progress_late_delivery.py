"""The progress report (layout 4): an item delivered late in the period is listed under
*Vertraagd of gewijzigd* too (Nu: the delivery), as the report's explanation promises; it is
counted once (under Gerealiseerd). The report says *punt*, not *item*, and an undated item in
*Lopend* reads as a sentence. Layout 3 (archived reports) keeps its rule and its words."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from governance.assessment import assess
from governance.plan import Plan
from governance.planfile import load_plan
from governance.progress import LAYOUT, ProgressReport, build_progress
from governance.updates import StatusUpdate, UpdateStatus
from regie.reports import render_progress, render_progress_annex
from tests.conftest import SEED_PLAN

SECOND = Path(__file__).resolve().parent.parent / "fixtures" / "plans" / "second_programme.yaml"


def _report(
    plan: Plan, updates: list[StatusUpdate], start: date, end: date, as_of: date, layout: int
) -> ProgressReport:
    return build_progress(plan, assess(plan, updates, as_of), start, end, layout=layout)


def _seed(layout: int = LAYOUT, completed: date = date(2015, 10, 2)) -> ProgressReport:
    # 1.1.1 is due Q3-2015 (30 September 2015).
    done = StatusUpdate("1.1.1", UpdateStatus.DONE, completed, completed_on=completed)
    return _report(
        load_plan(SEED_PLAN), [done], date(2015, 1, 1), date(2015, 10, 12), date(2015, 10, 13),
        layout,
    )  # fmt: skip


def _changed(report: ProgressReport, item_id: str) -> list[object]:
    return [c for s in report.steps for c in s.changed if c.item.item_id == item_id]


def test_a_late_delivery_is_listed_as_changed_with_its_delivery_date() -> None:
    report = _seed()
    (change,) = _changed(report, "1.1.1")
    assert change.delivered == date(2015, 10, 2)  # type: ignore[attr-defined]
    assert change.promised == "Q3-2015"  # type: ignore[attr-defined]
    step = report.steps[0]
    assert [d.item.item_id for d in step.done] == ["1.1.1"]
    # Counted once: under Gerealiseerd, not again as changed.
    assert step.changed_only == sum(1 for c in step.changed if c.item.item_id != "1.1.1")
    assert len(step.done) + len(step.ongoing) + step.changed_only + step.other == step.total
    md = render_progress(report, "md").decode()
    row = next(line for line in md.splitlines() if line.startswith("| 1.1.1 |"))
    assert "| Q3-2015 | gereed op 2 oktober 2015 |" in row
    assert "gereed na de deadline van 30 september 2015" in row
    html = render_progress(report, "html").decode()
    assert "<td>1.1.1</td>" in html and "gereed op 2 oktober 2015" in html


def test_an_on_time_delivery_is_not_listed_as_changed() -> None:
    assert _changed(_seed(completed=date(2015, 9, 25)), "1.1.1") == []


def test_a_report_archived_as_layout_3_keeps_its_rule_and_its_words() -> None:
    report = _seed(layout=3)
    assert _changed(report, "1.1.1") == []
    md = render_progress(report, "md").decode()
    assert "| Nr | Item | Beloofd | Nu | Reden |" in md
    assert "## Bijlage: overzicht van alle items" in md
    assert "gereed geen datum" in md  # as layout 3 reports were made
    assert "Bijlage: overzicht van alle items" in render_progress_annex(report).decode()


def test_the_report_says_punt_and_reads_undated_items_as_a_sentence() -> None:
    report = _seed()
    md = render_progress(report, "md").decode()
    assert "| Nr | Punt | Beloofd | Nu | Reden |" in md
    assert "## Bijlage: overzicht van alle punten" in md
    assert " items" not in md and "Item " not in md
    assert "- 1.2.2 Opstellen nieuw afsprakenkader (IenM): nog geen datum, wacht op 1.2.1" in md
    assert "(PIANOo): nog geen datum (gereed: Ntb)" in md
    assert "gereed geen datum" not in md
    html = render_progress(report, "html").decode()
    assert "Geen lopende items" not in html and " items" not in html
    annex = render_progress_annex(report).decode()
    assert "Bijlage: overzicht van alle punten" in annex and " items" not in annex


def test_a_second_programme_lists_its_late_delivery() -> None:
    plan = load_plan(SECOND)
    late = StatusUpdate(
        "1.1.1", UpdateStatus.DONE, date(2024, 4, 10), completed_on=date(2024, 4, 9)
    )  # due maart 2024
    report = _report(plan, [late], date(2024, 1, 1), date(2024, 6, 30), date(2024, 7, 1), LAYOUT)
    (change,) = _changed(report, "1.1.1")
    assert change.delivered == date(2024, 4, 9)  # type: ignore[attr-defined]
    md = render_progress(report, "md").decode()
    row = next(line for line in md.splitlines() if line.startswith("| 1.1.1 |"))
    assert "| maart 2024 | gereed op 9 april 2024 |" in row
    # Owners by the plan's name (this plan gives no short_name; walk30 1).
    assert (
        "- 2.2 Toegankelijkheidsverklaringen (Ministerie van Binnenlandse Zaken en "
        "Koninkrijksrelaties): nog geen datum (gereed: Ntb)"
    ) in md
