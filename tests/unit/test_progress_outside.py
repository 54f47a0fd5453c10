"""The progress report (layout 7, review walk29): chapter 2 names, per step, every item the
summary counts under *Afgerond buiten de periode of vervallen*, so that the count can be
checked; an item due by the period's end and finished only after it was late at the end, and
is listed and counted under *Vertraagd of gewijzigd*. Layout 6 (archived reports) keeps its
count and names none of them."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from governance.assessment import assess
from governance.plan import Plan
from governance.planfile import load_plan
from governance.progress import LAYOUT, OutsideKind, ProgressReport, build_progress
from governance.updates import StatusUpdate, UpdateStatus
from regie.reports import render_progress
from tests.conftest import SEED_PLAN

SECOND = Path(__file__).resolve().parent.parent / "fixtures" / "plans" / "second_programme.yaml"
START, END, AS_OF = date(2016, 1, 1), date(2016, 3, 31), date(2016, 4, 13)


def _done(item_id: str, on: date) -> StatusUpdate:
    return StatusUpdate(item_id, UpdateStatus.DONE, on, completed_on=on)


def _report(plan: Plan, updates: list[StatusUpdate], layout: int = LAYOUT) -> ProgressReport:
    return build_progress(plan, assess(plan, updates, AS_OF), START, END, layout=layout)


#: The seed: 3.7 (Q1-2016) gereed the day after the period; 1.1.1 (Q3-2015) before it; 1.4
#: (Apr 2016) after it, on time; 3.9 (Voorjaar 2016) dropped by its owner; 1.5.3 (Q1-2016)
#: dropped after the period.
SEED_UPDATES = [
    _done("3.7", date(2016, 4, 1)),
    _done("1.1.1", date(2015, 9, 25)),
    _done("1.4", date(2016, 4, 5)),
    StatusUpdate("3.9", UpdateStatus.CANCELLED, date(2016, 2, 10), completed_on=date(2016, 2, 10)),
    StatusUpdate("1.5.3", UpdateStatus.CANCELLED, date(2016, 4, 4), completed_on=date(2016, 4, 4)),
]


LATE_37 = "gereed na de periode; aan het eind van de periode te laat (deadline 31 maart 2016)"


def _chapter_2(md: str) -> str:
    return md[md.index("## 2. Voortgang per stap") : md.index("## 3. Indicatoren")]


def _step(md: str, number: int) -> str:
    chapter = _chapter_2(md)
    parts = re.split(r"^### Stap ", chapter, flags=re.M)
    return next(p for p in parts if p.startswith(f"{number}. "))


def test_an_item_due_in_the_period_and_done_after_it_is_late_at_the_end() -> None:
    report = _report(load_plan(SEED_PLAN), SEED_UPDATES)
    step = report.steps[2]
    (change,) = [c for c in step.changed if c.item.item_id == "3.7"]
    assert change.delivered == date(2016, 4, 1)
    md = render_progress(report, "md").decode()
    row = next(line for line in md.splitlines() if line.startswith("| 3.7 |"))
    assert "| Q1-2016 | gereed op 1 april 2016 |" in row
    assert LATE_37 in row
    # Dropped after the period, though due in it: late at the end too, with the day it was dropped.
    row = next(line for line in md.splitlines() if line.startswith("| 1.5.3 |"))
    assert "| Q1-2016 | vervallen |" in row
    assert "vervallen op 4 april 2016, na de periode; aan het eind van de periode te laat" in row
    html = render_progress(report, "html").decode()
    assert LATE_37 in html


def test_chapter_2_names_what_the_summary_counts_outside_the_period() -> None:
    report = _report(load_plan(SEED_PLAN), SEED_UPDATES)
    md = render_progress(report, "md").decode()
    one = _step(md, 1)
    assert "#### Afgerond buiten de periode of vervallen" in one
    assert (
        "- Eerder afgerond: 1.1.1 Inventarisatie (gereed 25 september 2015; beloofd Q3-2015)" in one
    )
    assert (
        "- Na de periode afgerond: 1.4 Implementatie aanpassingen in aanbestedingswet "
        "(gereed 5 april 2016; beloofd Apr 2016)" in one
    )
    three = _step(md, 3)
    assert "- Vervallen: 3.9 " in three
    assert "(vervallen 10 februari 2016; beloofd Voorjaar 2016)" in three
    assert "Geen punten vóór of na de periode afgerond of vervallen." in _step(md, 4)  # walk57a 7
    html = render_progress(report, "html").decode()
    assert "<h4>Afgerond buiten de periode of vervallen</h4>" in html
    assert (
        "<li>Eerder afgerond: 1.1.1 Inventarisatie (gereed 25 september 2015; beloofd Q3-2015)"
        "</li>" in html
    )
    for step in report.steps:
        # The summary's column is the list, item for item.
        assert step.other == len(step.outside)
        assert len(step.done) + len(step.ongoing) + step.changed_only + step.other == step.total
        summary = next(line for line in md.splitlines() if line.startswith(f"| {step.number}. "))
        assert summary.split(" | ")[5] == str(step.other)
    assert {o.item.item_id: o.kind for s in report.steps for o in s.outside} == {
        "1.1.1": OutsideKind.BEFORE,
        "1.4": OutsideKind.AFTER,
        "3.9": OutsideKind.CANCELLED,
    }
    # Every item the report counts is named in chapter 2 (the Markdown lists them all).
    chapter = _chapter_2(md)
    for line in report.annex:
        assert re.search(rf"(^- |: |^\| ){re.escape(line.item_id)} ", chapter, re.M), line.item_id


def test_a_report_archived_as_layout_6_keeps_its_count_and_names_none() -> None:
    report = _report(load_plan(SEED_PLAN), SEED_UPDATES, layout=6)
    assert all(c.item.item_id != "3.7" for s in report.steps for c in s.changed)
    assert report.steps[2].outside == ()
    md = render_progress(report, "md").decode()
    assert "Afgerond buiten de periode of vervallen\n" not in _chapter_2(md)
    assert "| 3.7 |" not in md.split("## Bijlage")[0]


def test_a_second_programme_names_its_items_outside_the_period() -> None:
    plan = load_plan(SECOND)
    late = _done("1.1.1", date(2024, 7, 2))  # due maart 2024
    report = build_progress(
        plan, assess(plan, [late], date(2024, 7, 3)), date(2024, 1, 1), date(2024, 6, 30)
    )
    (change,) = [c for s in report.steps for c in s.changed if c.item.item_id == "1.1.1"]
    assert change.delivered == date(2024, 7, 2)
    md = render_progress(report, "md").decode()
    row = next(line for line in md.splitlines() if line.startswith("| 1.1.1 |"))
    assert "| maart 2024 | gereed op 2 juli 2024 |" in row
    assert "aan het eind van de periode te laat (deadline 31 maart 2024)" in row
