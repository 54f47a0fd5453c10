"""The progress report as the stuurgroep approves it for the Kamer (review "stuurgroep",
findings 4, 5 and 12), pure: *Nu* is the date in force (the latest of decision, forecast and
plan edit; a delivery when done; a new date that lapsed says so), the summary adds up and its
outlook takes forecasts, and nothing internal reaches the reader: no file path, no internal
codes, dates in words in the PDF's title and footer, and a concept until a body approved it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from governance import progress
from governance.assessment import assess
from governance.decisions import Decision, DecisionKind, ReportRef
from governance.periods import Period
from governance.plan import Action, Plan, Programme
from governance.planfile import load_plan
from governance.progress import ProgressReport, build_progress
from governance.updates import StatusUpdate, UpdateStatus
from regie.reports import render_progress
from tests.conftest import SEED_PLAN
from tests.unit.planbuilder import act, make_plan, month, ms, on, quarter

BE_PLAN = Path(__file__).resolve().parents[1] / "fixtures" / "plans" / "circulair_bouwen_be.yaml"
START, END = date(2015, 1, 1), date(2016, 12, 31)


def _revised(plan: Plan, item_id: str, original: str, period: Period) -> Plan:
    """``plan`` with ``item_id`` moved by a decision, as ``regie decision add --set-gereed``
    leaves it in the plan file: its first gereed kept as ``original_gereed``."""
    steps = []
    for step in plan.steps:
        actions: list[Action] = []
        for a in step.actions:
            milestones = tuple(
                replace(m, original_gereed=original, gereed=period.text, period=period)
                if m.id == item_id
                else m
                for m in a.milestones
            )
            actions.append(replace(a, milestones=milestones))
        steps.append(replace(step, actions=tuple(actions)))
    return replace(plan, steps=tuple(steps))


def _moved(item_id: str, meeting: date, before: str, after: str) -> Decision:
    return Decision("stuurgroep", meeting, DecisionKind.SET_GEREED, f"{item_id} naar {after}",
                    item_id, before, after, id=meeting.toordinal())  # fmt: skip


def _report(
    plan: Plan,
    updates: list[StatusUpdate],
    as_of: date,
    decisions: Sequence[Decision] = (),
    start: date = START,
    end: date = END,
) -> ProgressReport:
    return build_progress(plan, assess(plan, updates, as_of), start, end, decisions=decisions)


def _now(report: ProgressReport, item_id: str) -> str:
    """The *Nu* cell of ``item_id`` in the Markdown report."""
    md = render_progress(report, "md").decode()
    row = next(line for line in md.splitlines() if line.startswith(f"| {item_id} |"))
    return row.split(" | ")[3]


# --- finding 4: Nu is the date in force --------------------------------------------------------

PLAN = _revised(
    make_plan(act("1.5", ms("1.5.1", quarter(2015, 4)), ms("1.5.2", quarter(2016, 4)))),
    "1.5.1",
    "Q4-2015",
    replace(month(2016, 12), text="dec 2016"),
)
EARLY_FORECAST = StatusUpdate(
    "1.5.1", UpdateStatus.AT_RISK, date(2016, 3, 1), forecast=date(2016, 9, 30)
)
DECIDED = [_moved("1.5.1", date(2016, 10, 11), "sep 2016", "dec 2016")]


def test_a_later_decision_beats_an_older_forecast() -> None:
    report = _report(PLAN, [EARLY_FORECAST], date(2016, 11, 1), DECIDED)
    change = next(c for c in report.steps[0].changed if c.item.item_id == "1.5.1")
    assert change.now == "dec 2016" and not change.lapsed
    assert _now(report, "1.5.1") == "dec 2016"


def test_a_forecast_given_after_the_decision_is_in_force() -> None:
    later = StatusUpdate(
        "1.5.1", UpdateStatus.AT_RISK, date(2016, 10, 20), forecast=date(2017, 1, 31)
    )
    report = _report(PLAN, [EARLY_FORECAST, later], date(2016, 11, 1), DECIDED)
    assert _now(report, "1.5.1") == "31 januari 2017"


def test_a_forecast_kept_by_a_later_update_without_one_does_not_beat_the_decision() -> None:
    on_track = StatusUpdate("1.5.1", UpdateStatus.ON_TRACK, date(2016, 10, 20))
    report = _report(PLAN, [EARLY_FORECAST, on_track], date(2016, 11, 1), DECIDED)
    assert _now(report, "1.5.1") == "dec 2016"


def test_a_decided_date_that_lapsed_says_so() -> None:
    report = _report(PLAN, [EARLY_FORECAST], date(2017, 3, 15), DECIDED)
    change = next(c for c in report.steps[0].changed if c.item.item_id == "1.5.1")
    assert change.lapsed
    assert _now(report, "1.5.1") == "dec 2016 (verstreken; nu te laat)"
    html = render_progress(report, "html").decode()
    assert "<td>dec 2016 (verstreken; nu te laat)</td>" in html


def test_a_lapsed_forecast_says_so_too() -> None:
    plan = make_plan(act("1.1", ms("1.1.1", quarter(2015, 4))))
    slipped = StatusUpdate("1.1.1", UpdateStatus.AT_RISK, date(2016, 1, 5),
                           forecast=date(2016, 6, 30))  # fmt: skip
    report = _report(plan, [slipped], date(2016, 9, 1))
    assert _now(report, "1.1.1") == "30 juni 2016 (verstreken; nu te laat)"


def test_a_delivered_item_shows_its_delivery() -> None:
    done = StatusUpdate("1.5.1", UpdateStatus.DONE, date(2016, 11, 21),
                        completed_on=date(2016, 11, 20))  # fmt: skip
    report = _report(PLAN, [EARLY_FORECAST, done], date(2017, 3, 15), DECIDED)
    assert _now(report, "1.5.1") == "gereed op 20 november 2016"
    md = render_progress(report, "md").decode()
    assert "30 september 2016" not in md.split("## 3.")[0]  # the overruled forecast is gone


# --- finding 5: the summary adds up, the outlook takes forecasts --------------------------------


def _summary_rows(md: str) -> list[list[int]]:
    part = md.split("## 4. Samenvatting", 1)[1]
    rows = [line for line in part.splitlines() if re.match(r"\| \d+\. ", line)]
    return [[int(x) for x in row.strip("|").split(" | ")[1:]] for row in rows]


def test_the_summary_counts_an_item_delivered_late_once() -> None:
    done = StatusUpdate("1.5.1", UpdateStatus.DONE, date(2016, 11, 21),
                        completed_on=date(2016, 11, 20))  # fmt: skip
    report = _report(PLAN, [done], date(2017, 3, 15), DECIDED)
    step = report.steps[0]
    assert [d.item.item_id for d in step.done] == ["1.5.1"]
    assert "1.5.1" in [c.item.item_id for c in step.changed]  # listed, with its reason
    md = render_progress(report, "md").decode()
    ((items, done_n, ongoing, changed, other, _ahead),) = _summary_rows(md)
    assert items == 2 and done_n + ongoing + changed + other == items
    assert (done_n, changed) == (1, 1)  # 1.5.1 under done only; 1.5.2 (Q4-2016) is late


def test_the_seed_summary_adds_up_per_step() -> None:
    plan = load_plan(SEED_PLAN)
    updates = [
        StatusUpdate("1.1.1", UpdateStatus.DONE, date(2015, 12, 1), completed_on=date(2015, 12, 1)),
        StatusUpdate("4.1.2", UpdateStatus.DONE, date(2016, 11, 24)),
        StatusUpdate("1.2.1", UpdateStatus.AT_RISK, date(2016, 1, 8), forecast=date(2016, 3, 31)),
    ]
    report = _report(plan, updates, date(2017, 3, 15))
    rows = _summary_rows(render_progress(report, "md").decode())
    assert len(rows) == len(report.steps)
    for items, done_n, ongoing, changed, other, ahead in rows:
        assert done_n + ongoing + changed + other == items
        assert ahead <= ongoing + changed


def test_the_outlook_takes_the_forecast() -> None:
    plan = make_plan(act("1.1", ms("1.1.1", quarter(2015, 3)), ms("1.1.2", quarter(2016, 3))))
    slipped = StatusUpdate("1.1.1", UpdateStatus.AT_RISK, date(2015, 9, 1),
                           forecast=date(2016, 2, 15))  # fmt: skip
    report = build_progress(
        plan, assess(plan, [slipped], date(2016, 1, 15)), date(2015, 7, 1), date(2015, 12, 31)
    )
    step = report.steps[0]
    assert [x.item_id for x in step.ahead] == ["1.1.1"]  # forecast 15 Feb, inside to 30 June
    md = render_progress(report, "md").decode()
    assert "- 1.1.1 Mijlpaal 1.1.1: gereed Q3-2015 (verwacht 15 februari 2016)" in md
    assert "Niets gepland" not in md


def test_the_outlook_names_what_is_late_and_open() -> None:
    plan = make_plan(act("1.1", ms("1.1.1", quarter(2015, 3)), ms("1.1.2", on(date(2015, 10, 1)))))
    report = build_progress(
        plan, assess(plan, [], date(2016, 1, 15)), date(2015, 7, 1), date(2015, 12, 31)
    )
    assert report.steps[0].late_open == 2
    md = render_progress(report, "md").decode()
    assert "Niets gepland tot 30 juni 2016." in md
    assert "Daarnaast zijn 2 punten te laat en nog niet gereed (zie Vertraagd of gewijzigd)." in md


# --- finding 12: nothing internal, and a concept until approved --------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (
            'Plan van aanpak MVI, Bijlage 2 "Mijlpalen" (tekstextractie: shared/seeds/0.txt)',
            'Plan van aanpak MVI, Bijlage 2 "Mijlpalen"',
        ),
        ("shared/seeds/000_06e20fb859bc7b4c.txt", None),
        ("/srv/plannen/mvi", None),
        (r"Actieplan, zie C:\plannen\actieplan.pdf", None),
        (
            "Kamerstuk 30196, nr. 300 (winter 2015/2016)",
            "Kamerstuk 30196, nr. 300 (winter 2015/2016)",
        ),
        (
            "Actieplan (https://example.org/actieplan.pdf)",
            "Actieplan (https://example.org/actieplan.pdf)",
        ),
        ("  ", None),
    ],
)
def test_the_source_document_is_a_title_not_a_path(text: str, shown: str | None) -> None:
    assert progress.document_title(text) == shown


def test_the_seed_report_shows_no_path_and_no_internal_codes() -> None:
    plan = load_plan(SEED_PLAN)
    report = _report(plan, [], date(2017, 3, 15))
    for fmt in ("md", "html"):
        text = render_progress(report, fmt).decode()
        assert "shared/seeds" not in text and "tekstextractie" not in text
        assert "Plan van aanpak Maatschappelijk Verantwoord Inkopen 2015–2020" in text
        for indicator in report.indicators:
            assert f"({indicator.indicator.id})" not in text
            assert indicator.indicator.goal_id not in text
        assert "Tegengaan van klimaatverandering" in text  # the goal in words


def test_a_concept_until_a_decision_about_the_reports_action_approves_it() -> None:
    plan = load_plan(SEED_PLAN)  # reports: voortgangsrapportage, action 4.4
    assert [r.action for r in plan.reports] == ["4.4"]
    as_of = date(2017, 4, 12)
    concept = build_progress(plan, assess(plan, [], as_of), START, END, recipient="Tweede Kamer")
    assert concept.approved is None
    md = render_progress(concept, "md").decode()
    html = render_progress(concept, "html").decode()
    assert "**Concept**: nog niet vastgesteld." in md
    assert "<strong>Concept</strong>: nog niet vastgesteld." in html
    # The PDF's title and footer (the HTML it is printed from): concept, dates in words.
    assert (
        "<title>Concept: Tweejaarlijkse voortgangsrapportage aan de Kamer, in combinatie met "
        "de uitkomsten van de tweejaarlijks uit te voeren benchmark, 1 januari 2015 tot en met "
        "31 december 2016</title>"
    ) in html
    assert (
        'content: "MVI 2015–2020 · concept voortgangsrapportage 1 januari 2015 tot en met '
        '31 december 2016 — pagina "'
    ) in html
    assert "2015-01-01" not in html and "2016-12-31" not in html
    # A decision moving the report's action, one before the period ended, one about another
    # item, one after the report's day: no approval.
    not_yet = [
        _moved("4.4", date(2017, 1, 10), "Q4-2016/Q1-2017", "Q2-2017"),
        Decision("stuurgroep", date(2016, 10, 11), DecisionKind.DECISION, "Opzet akkoord", "4.4"),
        Decision("stuurgroep", date(2017, 1, 10), DecisionKind.DECISION, "Akkoord", "4.3"),
        Decision("stuurgroep", date(2017, 7, 11), DecisionKind.DECISION, "Vastgesteld", "4.4"),
    ]
    still = build_progress(plan, assess(plan, [], as_of), START, END, decisions=not_yet,
                           recipient="Tweede Kamer")  # fmt: skip
    assert still.approved is None
    approved = Decision("stuurgroep", date(2017, 4, 11), DecisionKind.DECISION,
                        "Voortgangsrapportage vastgesteld", "4.4", id=9,
                        approves=ReportRef("voortgangsrapportage", START, END))  # fmt: skip
    final = build_progress(plan, assess(plan, [], as_of), START, END,
                           decisions=[*not_yet, approved], recipient="Tweede Kamer")  # fmt: skip
    assert final.approved == approved
    md = render_progress(final, "md").decode()
    html = render_progress(final, "html").decode()
    assert "Concept" not in md and "oncept" not in html
    assert "Vastgesteld: besluit Stuurgroep Plan van aanpak MVI, 11 april 2017." in md
    assert (
        "<title>Tweejaarlijkse voortgangsrapportage aan de Kamer, in combinatie met de "
        "uitkomsten van de tweejaarlijks uit te voeren benchmark, 1 januari 2015 tot en met "
        "31 december 2016</title>"
    ) in html


def test_an_approval_names_its_report_and_a_text_only_decision_is_implicit() -> None:
    plan = load_plan(SEED_PLAN)
    as_of = date(2017, 4, 12)
    report = "voortgangsrapportage"

    def made(decisions: list[Decision], on: Plan = plan, layout: int = 3) -> ProgressReport:
        return build_progress(on, assess(on, [], as_of), START, END, decisions=decisions,
                              recipient="Tweede Kamer", obligation_id=report,
                              layout=layout)  # fmt: skip

    text_only = Decision("stuurgroep", date(2017, 4, 11), DecisionKind.DECISION, "Akkoord",
                         "4.4", id=3)  # fmt: skip
    # A text-only decision about the report's action still approves it, flagged as such.
    implicit = made([text_only])
    assert implicit.approved == text_only and implicit.approved_implicitly
    said = (
        "Vastgesteld: besluit Stuurgroep Plan van aanpak MVI, 11 april 2017 (impliciet "
        "goedgekeurd: het besluit noemt deze rapportage niet)."
    )
    assert said in render_progress(implicit, "md").decode()
    assert said in render_progress(implicit, "html").decode()
    # A report of layout 2 (archived before approvals named their report) keeps the old rule.
    old = made([text_only], layout=2)
    assert old.approved == text_only and not old.approved_implicitly
    assert "impliciet" not in render_progress(old, "md").decode()
    # A decision that names the report approves it; one naming another period does not, and
    # it is no text-only decision about the action either.
    year = ReportRef(report, date(2015, 1, 1), date(2015, 12, 31))
    other = Decision("stuurgroep", date(2017, 4, 11), DecisionKind.DECISION, "Akkoord", "4.4",
                     id=4, approves=year)  # fmt: skip
    assert made([other]).approved is None
    named = replace(
        other, id=5, meeting_on=date(2017, 3, 1), approves=ReportRef(report, START, END)
    )
    explicit = made([text_only, other, named])
    assert explicit.approved == named and not explicit.approved_implicitly
    md = render_progress(explicit, "md").decode()
    assert "Vastgesteld: besluit Stuurgroep Plan van aanpak MVI, 1 maart 2017." in md
    # Taken before the period ended, or after the report's day: no approval.
    assert made([replace(named, meeting_on=END)]).approved is None
    assert made([replace(named, meeting_on=date(2017, 4, 13))]).approved is None
    # Two obligations delivered by one action: a text-only decision cannot tell which report
    # it approves, so it approves none; a named one still does.
    twice = replace(plan, reports=(*plan.reports, replace(plan.reports[0], id="jaarbrief")))
    assert made([text_only], on=twice).approved is None
    assert made([text_only, named], on=twice).approved == named


def test_a_second_programme_builds_its_report() -> None:
    plan = load_plan(BE_PLAN)
    report = build_progress(
        plan, assess(plan, [], date(2026, 1, 15)), date(2025, 1, 1), date(2025, 12, 31)
    )
    for fmt in ("md", "html"):
        text = render_progress(report, fmt).decode()
        assert "Concept" in text and "Circulair Bouwen" in text
        assert "MVI" not in text and "Tweede Kamer" not in text
    for step in report.steps:
        assert len(step.done) + len(step.ongoing) + step.changed_only + step.other == (
            step.total + step.removed
        )


def test_a_plan_without_a_source_document_or_programme_short_title() -> None:
    plan = replace(
        make_plan(act("1.1", ms("1.1.1", quarter(2015, 3)))),
        programme=Programme("t", "Testprogramma", start=date(2015, 1, 1)),
    )
    report = _report(plan, [], date(2016, 1, 15))
    assert report.source_document is None
    html = render_progress(report, "html").decode()
    assert "<title>Concept voortgangsrapportage Testprogramma, 1 januari 2015" in html


def test_a_plan_edit_is_in_force_from_the_day_it_was_synced() -> None:
    from datetime import UTC, datetime

    from governance.provenance import DueChange

    forecast = StatusUpdate("1.2.1", UpdateStatus.AT_RISK, date(2016, 1, 8),
                            forecast=date(2016, 3, 31))  # fmt: skip

    def now(gereed: Period, synced: datetime, as_of: date) -> object:
        plan = make_plan(act("1.2", ms("1.2.1", gereed)))
        edit = DueChange("1.2.1", "Q3-2015", "Q4-2016", date(2015, 9, 30), date(2016, 12, 31),
                         synced)  # fmt: skip
        report = build_progress(plan, assess(plan, [forecast], as_of), START, END,
                                due_changes=[edit])  # fmt: skip
        return next(c for c in report.steps[0].changed if c.item.item_id == "1.2.1").now

    # Edited to Q4-2016 on 1 February, after the owner's forecast: the plan's date is in force.
    edited = datetime(2016, 2, 1, 12, tzinfo=UTC)
    assert now(quarter(2016, 4), edited, date(2016, 2, 15)) == "Q4-2016"
    # Synced after the report's day (a replay of past days), the plan of that day still has
    # Q3-2015: the forecast is the latest word.
    later = datetime(2026, 12, 4, 12, tzinfo=UTC)
    assert now(quarter(2015, 3), later, date(2016, 2, 15)) == date(2016, 3, 31)


def test_a_forecast_before_the_due_date_moves_nothing() -> None:
    plan = _revised(make_plan(act("1.1", ms("1.1.1", quarter(2016, 2)))), "1.1.1", "Q4-2015",
                    quarter(2016, 2))  # fmt: skip
    early = StatusUpdate("1.1.1", UpdateStatus.ON_TRACK, date(2016, 1, 8),
                         forecast=date(2016, 3, 1))  # fmt: skip
    report = _report(plan, [early], date(2016, 4, 15))  # the forecast passed, the due date not
    assert _now(report, "1.1.1") == "Q2-2016"
    assert report.steps[0].late_open == 0


# --- a report archived before layout 2 is made again as it was --------------------------------

GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "reports"


def test_layout_1_renders_as_reports_archived_before_it(tmp_path: Path) -> None:
    """``voortgang_v1.*`` in tests/fixtures/reports were rendered by the code before layout 2
    (the owner's forecast first, the outlook by due date, the source document as written):
    layout 1 and its frozen templates make the same bytes, so that `regie report reproduce`
    still matches such an archived report (from the seed those files were made with:
    :mod:`tests.golden_seed`)."""
    from reports.render import render
    from tests.golden_seed import write_golden_seed

    plan = load_plan(write_golden_seed(tmp_path / "actions.yaml"))
    updates = [
        StatusUpdate("1.1.1", UpdateStatus.DONE, date(2015, 9, 28),
                     completed_on=date(2015, 9, 25)),
        StatusUpdate("1.2.1", UpdateStatus.AT_RISK, date(2016, 1, 8), forecast=date(2016, 3, 31),
                     comment="Vertraging"),
        StatusUpdate("3.1.1", UpdateStatus.ON_TRACK, date(2016, 1, 11),
                     forecast=date(2016, 2, 15)),
    ]  # fmt: skip
    decisions = [Decision("stuurgroep", date(2015, 10, 13), DecisionKind.DECISION,
                          "Opzet besproken", "4.4", id=1)]  # fmt: skip
    start, end, as_of = date(2015, 7, 1), date(2015, 12, 31), date(2016, 1, 15)

    def made(layout: int) -> ProgressReport:
        return build_progress(plan, assess(plan, updates, as_of), start, end,
                              decisions=decisions, recipient="Tweede Kamer",
                              layout=layout)  # fmt: skip

    old = made(1)
    md = render("voortgang_v1.md.j2", r=old, annex_file=None, images=False)
    assert md.encode() == (GOLDEN / "voortgang_v1.md").read_bytes()
    html = render(
        "voortgang_v1.html.j2", r=old, annex_file=None, charts={},
        title=f"Voortgangsrapportage {old.programme_short} {start} – {end}",
        footer=f"{old.programme_short} · voortgangsrapportage {start} – {end}",
    )  # fmt: skip
    assert html.encode() == (GOLDEN / "voortgang_v1.html").read_bytes()
    # Layout 2 differs where the review asked it to.
    new = render_progress(made(2), "md").decode()
    assert "tekstextractie" in md and "tekstextractie" not in new
    assert "- 3.1.1 " not in md and "- 3.1.1 Uitvoeren behoeftepeiling" in new
