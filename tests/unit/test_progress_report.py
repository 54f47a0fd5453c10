"""The progress report (voortgangsrapportage) rendered from a plan and an assessment, no store:
lists one item a line, the look-ahead in calendar months, the plan's own date example, the
deadline of finished items in the annex, and "wacht op" said once."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest

from governance import progress
from governance.assessment import assess
from governance.plan import Plan
from governance.planfile import load_plan
from governance.progress import ProgressReport, build_progress
from governance.updates import StatusUpdate, UpdateStatus
from regie.reports import render_progress, render_progress_annex
from tests.conftest import SEED_PLAN
from tests.unit.planbuilder import Updates, act, dependent, make_plan, ms, on, quarter, tbd

SECOND = Path(__file__).resolve().parent.parent / "fixtures" / "plans" / "second_programme.yaml"
START, END, AS_OF = date(2015, 7, 1), date(2015, 12, 31), date(2016, 1, 15)
UPDATES = (
    StatusUpdate("1.1.1", UpdateStatus.DONE, date(2015, 9, 28), completed_on=date(2015, 9, 25)),
    StatusUpdate("1.5.1", UpdateStatus.DONE, date(2015, 12, 18)),
    StatusUpdate("4.1.2", UpdateStatus.DONE, date(2015, 11, 24), completed_on=date(2015, 11, 20)),
    StatusUpdate("1.2.1", UpdateStatus.AT_RISK, date(2016, 1, 8), forecast=date(2016, 3, 31)),
)


def _report(
    plan: Plan, updates: tuple[StatusUpdate, ...] | list[StatusUpdate] = ()
) -> ProgressReport:
    return build_progress(plan, assess(plan, list(updates), AS_OF), START, END)


@pytest.fixture(scope="module")
def seed() -> ProgressReport:
    return _report(load_plan(SEED_PLAN), UPDATES)


def _listed(report: ProgressReport) -> list[str]:
    """The item ids the report's lists name, in the order the template writes them."""
    out: list[str] = []
    for s in report.steps:
        out += [d.item.item_id for d in s.done]
        out += [x.item_id for x in s.ongoing]
        out += [x.item_id for x in s.ahead]
    return out


# --- 1. every list item on a line of its own --------------------------------------------------


def test_markdown_lists_one_item_a_line(seed: ProgressReport) -> None:
    md = render_progress(seed, "md").decode()
    listed = _listed(seed)
    assert len(listed) > 20 and any(s.ongoing for s in seed.steps)
    bullets = [line for line in md.splitlines() if line.startswith("- ")]
    assert [b.split(" ")[1] for b in bullets] == listed
    for b in bullets:  # no second item run into the first
        assert not re.search(r"\S- \d", b), b
    lines = md.splitlines()
    for n, line in enumerate(lines):
        if line.startswith("#"):  # a heading stays a block of its own (DOCX reads blocks)
            assert lines[n - 1] == "" and lines[n + 1] == "", (lines[n - 1], line)


def test_docx_lists_one_paragraph_an_item(seed: ProgressReport) -> None:
    from docx import Document

    doc = Document(io.BytesIO(render_progress(seed, "docx")))
    styled = [(p.style.name if p.style else None, p.text) for p in doc.paragraphs]
    bullets = [text for style, text in styled if style == "List Bullet"]
    assert [b.split(" ")[0] for b in bullets] == _listed(seed)
    ongoing = next(x for s in seed.steps for x in s.ongoing if x.state == "on_track")
    assert any(b.startswith(f"{ongoing.item_id} {ongoing.title} (") for b in bullets)
    normal = [text for style, text in styled if style == "Normal"]
    assert not [t for t in normal if re.search(r"\S- \d", t)]


def test_html_lists_one_li_an_item(seed: ProgressReport) -> None:
    html = render_progress(seed, "html").decode()
    items = re.findall(r"<li>([^<]*)</li>", html)
    assert [i.split(" ")[0] for i in items] == _listed(seed)


# --- 2. the date example comes from the plan --------------------------------------------------


def test_date_example_is_the_plans_own(seed: ProgressReport) -> None:
    first = "Q3-2015"  # 1.1.1, the plan's first item
    assert seed.date_example == first
    for fmt in ("md", "html"):
        text = render_progress(seed, fmt).decode()
        assert f'(bijvoorbeeld "{first}")' in text or f"(bijvoorbeeld &#34;{first}&#34;)" in text


def test_date_example_of_a_second_programme() -> None:
    report = build_progress(
        load_plan(SECOND), assess(load_plan(SECOND), [], date(2024, 7, 1)),
        date(2024, 1, 1), date(2024, 6, 30),
    )  # fmt: skip
    assert report.date_example == "maart 2024"  # the first fuzzy gereed of that plan
    md = render_progress(report, "md").decode()
    html = render_progress(report, "html").decode()
    assert '(bijvoorbeeld "maart 2024")' in md and "maart 2024" in html
    assert "Najaar" not in md and "Najaar" not in html


def test_no_date_example_without_a_fuzzy_date() -> None:
    plan = make_plan(act("1.1", ms("1.1.1", on(date(2015, 9, 1))), ms("1.1.2", tbd())))
    report = _report(plan)
    assert report.date_example is None
    md = render_progress(report, "md").decode()
    html = render_progress(report, "html").decode()
    assert "Datums zijn opgenomen zoals ze in het plan staan." in md  # walk57a 8: not "Data"
    assert "Datums zijn opgenomen zoals ze in het plan staan.</p>" in html
    assert "bijvoorbeeld" not in md and "bijvoorbeeld" not in html


# --- 3. the look-ahead is six calendar months -------------------------------------------------


@pytest.mark.parametrize(
    ("end", "until"),
    [
        (date(2016, 4, 30), date(2016, 10, 31)),
        (date(2015, 8, 31), date(2016, 2, 29)),
        (date(2016, 8, 31), date(2017, 2, 28)),
        (date(2015, 12, 31), date(2016, 6, 30)),
        (date(2016, 1, 15), date(2016, 7, 15)),
        (date(2016, 8, 29), date(2017, 2, 28)),
        (date(9999, 12, 31), date.max),
        (date(9999, 8, 1), date.max),
    ],
)
def test_six_calendar_months(end: date, until: date) -> None:
    assert progress.months_after(end, 6) == until


def test_look_ahead_reaches_the_end_of_the_sixth_month() -> None:
    plan = make_plan(
        act("1.1", ms("1.1.1", on(date(2016, 10, 31))), ms("1.1.2", on(date(2016, 11, 1))))
    )
    report = build_progress(plan, assess(plan, [], date(2016, 5, 2)), date(2016, 1, 1),
                            date(2016, 4, 30))  # fmt: skip
    assert report.ahead_until == date(2016, 10, 31)
    assert [x.item_id for x in report.steps[0].ahead] == ["1.1.1"]
    md = render_progress(report, "md").decode()
    assert "wat volgt tot 31 oktober 2016" in md


# --- 4. a finished item keeps its deadline in the annex --------------------------------------


def test_done_item_shows_its_deadline_and_completion(seed: ProgressReport) -> None:
    annex = {line.item_id: line for line in seed.annex}
    assert annex["1.1.1"].state == "done" and annex["1.1.1"].due == date(2015, 9, 30)
    assert seed.completed_on["1.1.1"] == date(2015, 9, 25)
    md = render_progress(seed, "md").decode()
    row = "| 1.1.1 | Inventarisatie | IenM | Q3-2015 | 30-09-2015 | — | gereed op 25-09-2015 |"
    assert row in md
    html = render_progress(seed, "html").decode()
    row = next(r for r in html.split("<tr>") if r.startswith('<td class="date">1.1.1</td>'))
    assert '<td class="date">30-09-2015</td>' in row and "gereed op 25-09-2015" in row
    bijlage = render_progress_annex(seed).decode()
    row = next(r for r in bijlage.split("<tr>") if r.startswith('<td class="date">1.1.1</td>'))
    assert '<td class="date">30-09-2015</td>' in row and "gereed op 25-09-2015" in row


def test_done_dependent_item_keeps_the_deadline_it_had() -> None:
    plan = make_plan(
        act("1.1", ms("1.1.1", quarter(2015, 3)), ms("1.1.2", dependent(), depends_on=("1.1.1",)))
    )
    updates = Updates()
    updates.add("1.1.1", "done", date(2015, 9, 25))
    open_due = assess(plan, updates.all, AS_OF).items["1.1.2"].due
    assert open_due is not None
    updates.add("1.1.2", "done", date(2015, 10, 9))
    annex = {line.item_id: line for line in _report(plan, updates.all).annex}
    assert annex["1.1.2"].state == "done" and annex["1.1.2"].due == open_due


# --- 5. "wacht op" said once ------------------------------------------------------------------


def test_waiting_item_reads_wacht_op_once(seed: ProgressReport) -> None:
    waiting = next(line for line in seed.annex if line.state == "waiting" and line.waiting_on)
    on_ = ", ".join(waiting.waiting_on)
    md = render_progress(seed, "md").decode()
    html = render_progress(seed, "html").decode()
    for text in (md, html, render_progress_annex(seed).decode()):
        assert "wacht, wacht op" not in text and "wacht<br><small>wacht op" not in text
        assert f"wacht op {on_}" in text
    assert f" | wacht op {on_} | " in md
    lopend = next(b for b in md.splitlines() if b.startswith(f"- {waiting.item_id} "))
    # Layout 7: an undated waiting item reads as its state, then the plan's words for its date.
    assert lopend.count("wacht") == 1
    assert re.search(rf"[:,] wacht op {re.escape(on_)}( \(plan: [^)]+\))?$", lopend), lopend
