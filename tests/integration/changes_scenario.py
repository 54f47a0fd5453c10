"""A year of changes on the seed plan, for the goldens of archived layouts: whatever words a
report or pack has for a change must show in them, so that a change to a template every layout
shares (``reports/templates/_progress_texts.j2``, ``_since.j2``, ``_asked.j2``) cannot reach an
archived document unseen.

On :func:`reports_scenario.seed_scenario`'s answers and decision (to January 2016), on Regie's
clock at each step's moment:

- 2.1.3 is dropped by the stuurgroep on 12 April 2016 and brought back on 12 July (restored,
  its gereed as it was: Q3-2016, overdue by October);
- the programme office itself corrects 3.1.1 on 1 June (its note is the office's, not the
  owner's);
- the stuurgroep drops 3.8.3 on 12 July for good (*vervallen*);
- 2.4.1's owner reports it at risk, a year late, on 1 September (step 2 from amber to red:
  *verslechterd*); 1.2.1 and 1.2.2 are done on 20 September, and 4.2 and 4.3, which waited
  for them, on 26 September (step 4 from amber to green: *verbeterd*);
- a plan-file edit recorded on 20 September at 23:30 UTC (21 September in Amsterdam: layout 4
  says the 20th, layout 5 on the 21st) deletes milestone 3.5.2 and action 3.6 (with 3.6.1 and
  3.6.2), gives 3.1.2 to IenM instead of PIANOo and 1.2.2 (no gereed: *geen datum* promised)
  to EZ, and moves 3.4.2 from 2016 to Q1-2017 without a decision.

The progress report covers 2016 (as of 3 January 2017); the pack is the stuurgroep's of
11 October 2016 as of 1 October (the previous meeting: 12 July).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime, time, tzinfo
from pathlib import Path

from regie.bootstrap import App
from tests.integration.reports_scenario import make_app, migrated_app, seed_scenario

FIRST_SYNC = datetime(2015, 9, 30, 8, tzinfo=UTC)
EDITED = datetime(2016, 9, 20, 23, 30, tzinfo=UTC)
REPORT_START, REPORT_END, REPORT_AS_OF = date(2016, 1, 1), date(2016, 12, 31), date(2017, 1, 3)
MEETING, PACK_AS_OF = date(2016, 10, 11), date(2016, 10, 1)

MILESTONE_352 = """          - id: "3.5.2"
            title: Bijeenkomst
            gereed: "Q4 -2015"
"""
OWNER_312 = 'gereed: "Q4-2015"\n            owners: [PIANOo]\n            depends_on: ["3.1.1"]\n'
OWNER_122 = '- id: "1.2.2"\n            title: Opstellen nieuw afsprakenkader\n'
GEREED_342 = (
    '- id: "3.4.2"\n            title: Aangepast instrument gereed\n            gereed: "2016"\n'
)


@contextmanager
def _clock_at(moment: datetime) -> Iterator[None]:
    """Regie's one clock (``governance.clock``'s ``datetime.now``) at ``moment``."""
    import governance.clock

    class Stopped(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> Stopped:  # type: ignore[override]
            return cls.fromtimestamp(moment.timestamp(), tz)

    real = governance.clock.datetime
    governance.clock.datetime = Stopped  # type: ignore[misc]
    try:
        yield
    finally:
        governance.clock.datetime = real  # type: ignore[misc]


def _at_noon(on: date) -> datetime:
    return datetime.combine(on, time(12), UTC)


def _sync(app: App, now: datetime) -> None:
    from store import sync_plan

    plan = app.load_plan()
    with app.session() as session, session.begin():
        sync_plan(session, plan, now=now, plan_path=str(plan.path))


def _answer(
    app: App, item: str, status: str, on: date, forecast: date | None, comment: str, office: bool
) -> None:
    from governance.answers import OFFICE, Answerer, AnswerInput
    from regie.answers import check_answer, store_answers

    plan = app.load_plan()
    # Not the office: an author the plan does not name, as seed_scenario's answers.
    who: Answerer = OFFICE if office else replace(OFFICE, name="fixture")
    completed = on if status == "done" else None
    update = check_answer(plan, AnswerInput(item, status, forecast, completed, comment), who, on)
    with _clock_at(_at_noon(on)):
        store_answers(app, plan, [replace(update, source="cli", recorded_at=_at_noon(on))])


def _decide(app: App, meeting: date, text: str, **change: str) -> None:
    from regie.decisions import add_decision

    with _clock_at(_at_noon(meeting)):
        add_decision(app, "stuurgroep", meeting, text, **change)  # type: ignore[arg-type]


def _edit_plan(app: App) -> None:
    path = Path(app.settings.plan_path)
    text = path.read_text(encoding="utf-8")
    for part in (MILESTONE_352, OWNER_312, OWNER_122, GEREED_342):
        assert text.count(part) == 1, part
    text = text.replace(MILESTONE_352, "").replace(OWNER_312, OWNER_312.replace("PIANOo", "IenM"))
    text = text.replace(OWNER_122, f"{OWNER_122}            owners: [EZ]\n")
    text = text.replace(GEREED_342, GEREED_342.replace('"2016"', '"Q1-2017"'))
    start, end = text.index('      - id: "3.6"\n'), text.index('      - id: "3.7"\n')
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    _sync(app, EDITED)


def changes_app(home: Path, database_url: str) -> App:
    """An app on a copy of the seed plan with the year of changes above recorded (once per
    worker and database kind, copied for each test: :func:`copy_recorded`)."""
    from tests.integration.migrated_template import copy_recorded

    copy_recorded("changes", home, database_url, _record_changes)
    return make_app(home, database_url)


def _record_changes(home: Path, database_url: str) -> None:
    app = migrated_app(home, database_url, golden=True)  # its documents are golden files
    _sync(app, FIRST_SYNC)
    with _clock_at(_at_noon(date(2016, 1, 12))):
        seed_scenario(app)
    _decide(app, date(2016, 4, 12), "Onderzoek Rijksinkoop vervalt", cancel="2.1.3")
    _answer(app, "3.1.1", "at_risk", date(2016, 6, 1), date(2016, 11, 30),
            "Correctie: de datum volgens de projectleider", office=True)  # fmt: skip
    _decide(app, date(2016, 7, 12), "Onderzoek Rijksinkoop gaat toch door", restore="2.1.3")
    _decide(app, date(2016, 7, 12), "Geen tweede handreiking", cancel="3.8.3")
    _answer(app, "1.2.1", "on_track", date(2016, 8, 15), date(2016, 12, 15),
            "Draagvlak gevonden", office=False)  # fmt: skip
    _answer(app, "2.4.1", "at_risk", date(2016, 9, 1), date(2017, 12, 31),
            "Overleg loopt vertraging op", office=False)  # fmt: skip
    for item in ("1.2.1", "1.2.2"):  # 4.2 and 4.3 wait no longer
        _answer(app, item, "done", date(2016, 9, 20), None, "Afspraken gemaakt", office=False)
    # Step 4 from amber to green: *verbeterd*.
    _answer(app, "4.1.3", "on_track", date(2016, 9, 26), None, "Loopt", office=False)
    for item in ("4.2", "4.3"):
        _answer(app, item, "done", date(2016, 9, 26), None, "Geregeld", office=False)
    _edit_plan(app)
