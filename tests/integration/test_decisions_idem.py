"""Decisions in a second programme whose bodies' ids are not their names, and ``idem`` rows.

A decision and an agenda pack name a body as the plan names it ("Bestuurlijk overleg met lokale
besturen"), never by its id ("bestuurlijk-overleg") and never after an article. A decision
changes only the items it names: an ``idem`` row keeps the promise it copied, whether the
decision re-dates that row (the promise becomes its ``gereed_original``) or the row above it
(the promise is written out into the ``idem`` row)."""

from __future__ import annotations

import difflib
from datetime import date
from pathlib import Path

import pytest

from governance.plan import Milestone
from governance.planfile import load_plan
from regie.bootstrap import App
from regie.decisions import add_decision, decisions
from regie.reports import agenda, agenda_pack, progress_report, render_agenda_annex
from tests.integration.migrated_template import shared_templates
from tests.integration.reports_scenario import make_app

PLAN = """\
schema: 1
programme:
  id: dtv-test
  title: Programma Digitale Toegankelijkheid Vlaanderen
  short_title: DTV
  start: 2026-01-01
  end: 2028-12-31
calendar:
  timezone: Europe/Brussels
  holidays_country: BE
organisations:
  - id: DV
    name: Digitaal Vlaanderen
  - id: VVSG
    name: Vereniging van Vlaamse Steden en Gemeenten
contacts:
  - id: pmo
    name: Programmabureau DTV
    organisation: DV
    email: pmo@example.org
    programme_office: true
governance:
  - id: programmaraad
    name: Programmaraad Digitale Toegankelijkheid
    purpose: Stuurt het programma bij.
    members: [DV]
    meetings:
      dates: [2026-11-05, 2027-01-07]
  - id: bestuurlijk-overleg
    name: Bestuurlijk overleg met lokale besturen
    purpose: Afstemming met steden en gemeenten.
    members: [DV, VVSG]
    meetings:
      dates: [2026-11-30, 2027-03-15]
goals:
  - id: D1
    text: Alles toegankelijk.
steps:
  - number: 1
    title: Nulmeting
    actions:
      - id: "1.1"
        title: Inventaris
        owners: [DV]
        milestones:
          - id: "1.1.1"
            title: Lijst van websites
            gereed: 1e kwartaal 2026
          - id: "1.1.2"
            title: Lijst van apps
            gereed: idem
          - id: "1.1.3"
            title: Lijst van portalen
            gereed: Idem
          - id: "1.1.4"
            title: Scan van de top-100
            gereed: Najaar 2026
  - number: 2
    title: Verbeteren
    actions:
      - id: "2.1"
        title: Helpdesk
        owners: [VVSG]
        gereed: "2027"
"""
AS_OF = date(2026, 12, 3)
FIRST = "1e kwartaal 2026"


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:

    shared_templates().fill_if_empty(database_url)  # empty: a copy of the migrated template
    home = tmp_path / "home"
    home.mkdir()
    (home / "actions.yaml").write_text(PLAN, encoding="utf-8")
    return make_app(home, database_url)


def _plan_text(app: App) -> str:
    return Path(str(app.load_plan().path)).read_text(encoding="utf-8")


def _milestone(app: App, item_id: str) -> Milestone:
    """From the file as it is now."""
    return next(m for m in load_plan(str(app.load_plan().path)).milestones() if m.id == item_id)


def test_decisions_and_packs_name_the_body_not_its_id(app: App) -> None:
    add_decision(app, "bestuurlijk-overleg", date(2026, 11, 30), "Helpdesk vervalt", cancel="2.1")
    decided = "besluit Bestuurlijk overleg met lokale besturen, 30 november 2026"
    assert f'cancelled_by: "{decided}"' in _plan_text(app)
    for fmt in ("md", "html"):
        pack = agenda(app, "bestuurlijk-overleg", date(2027, 3, 15), AS_OF, fmt).content.decode()
        assert f"vervallen ({decided})" in pack
        assert "Vraag aan de vergadering" in pack  # 1.1.1 is overdue: a question is asked
        assert "bestuurlijk-overleg" not in pack
        assert "de Bestuurlijk overleg" not in pack
    pack_data = agenda_pack(app, "bestuurlijk-overleg", date(2027, 3, 15), AS_OF)
    annex = render_agenda_annex(pack_data).decode()
    assert "Bij de agenda: Bestuurlijk overleg met lokale besturen, vergadering 15 maart 2027" in (
        annex
    )
    assert "de Bestuurlijk overleg" not in annex
    # The progress report gives the decision as the reason, named the same way.
    add_decision(app, "programmaraad", date(2026, 11, 5), "Later", set_gereed=("1.1.4", "Q1-2027"))
    report = progress_report(app, date(2026, 7, 1), AS_OF, AS_OF)
    changed = {c.item.item_id: c for s in report.steps for c in s.changed}
    assert _words(changed["1.1.4"].reasons) == (
        "besluit Programmaraad Digitale Toegankelijkheid, 5 november 2026: Later",
    )


def test_redating_an_idem_row_keeps_the_promise_it_copied(app: App) -> None:
    lines = add_decision(
        app, "programmaraad", date(2026, 11, 5), "Nieuwe datum", set_gereed=("1.1.2", "Q1-2027")
    )
    moved = _milestone(app, "1.1.2")
    assert (moved.gereed, moved.original_gereed) == ("Q1-2027", FIRST)
    (stored,) = decisions(app, None)
    assert (stored.gereed_before, stored.gereed_after) == (FIRST, "Q1-2027")
    # 1.1.3 copied 1.1.2: it keeps its promise, written out, and the output says so.
    below = _milestone(app, "1.1.3")
    assert (below.gereed, below.original_gereed, below.revised_by) == (FIRST, None, None)
    assert any("1.1.3 gereed 'Idem' written out as '1e kwartaal 2026'" in x for x in lines)
    pack = agenda(app, "programmaraad", date(2027, 1, 7), AS_OF, "md").content.decode()
    assert f"gereed bijgesteld: {FIRST} → Q1-2027" in pack
    assert f"oorspronkelijk {FIRST}, bijgesteld Q1-2027" in pack
    assert "idem →" not in pack and "oorspronkelijk idem" not in pack
    report = progress_report(app, date(2026, 7, 1), AS_OF, AS_OF)
    changed = {c.item.item_id: c for s in report.steps for c in s.changed}
    assert (changed["1.1.2"].promised, changed["1.1.2"].now) == (FIRST, "Q1-2027")


def test_redating_the_row_above_leaves_the_idem_rows_their_promise(app: App) -> None:
    before = _plan_text(app)
    lines = add_decision(
        app, "programmaraad", date(2026, 11, 5), "Later", set_gereed=("1.1.1", "Q2-2027")
    )
    assert lines[-1] == (
        f"{app.load_plan().path}: 1.1.2 gereed 'idem' written out as '{FIRST}': it copied "
        "1.1.1, and this decision does not move it"
    )
    after = _plan_text(app)
    diff = [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), n=0)
        if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
    ]
    decided = "besluit Programmaraad Digitale Toegankelijkheid, 5 november 2026"
    assert diff == [
        f"-            gereed: {FIRST}",
        '+            gereed: "Q2-2027"',
        f'+            gereed_original: "{FIRST}"',
        f'+            revised_by: "{decided}"',
        "-            gereed: idem",
        f'+            gereed: "{FIRST}"  # was "idem" (as 1.1.1), written out by {decided}',
    ]
    below = _milestone(app, "1.1.2")
    assert (below.gereed, below.original_gereed, below.revised_by) == (FIRST, None, None)
    chained = _milestone(app, "1.1.3")  # still "Idem", now copying the written-out 1.1.2
    assert chained.gereed == "Idem" and chained.period is not None
    assert chained.period.end == date(2026, 3, 31)
    # Both are still late: the progress report lists them as delayed, promised as before.
    report = progress_report(app, date(2026, 7, 1), AS_OF, AS_OF)
    late = {c.item.item_id: c for s in report.steps for c in s.changed}
    assert late["1.1.2"].item.state == "overdue" and late["1.1.2"].promised == FIRST
    assert late["1.1.3"].item.state == "overdue"
    assert late["1.1.1"].promised == FIRST and late["1.1.1"].now == "Q2-2027"


def _words(reasons: tuple[object, ...]) -> tuple[str, ...]:
    """A change's reasons as the report words them (reports/templates/_progress_texts.j2)."""
    from reports.render import change_text

    return tuple(change_text(r, "reason") for r in reasons)
