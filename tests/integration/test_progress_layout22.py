"""Progress layout 22 (walk58b 2 and 5).

- The report lists the plan-file edits recorded up to the end of its stand date, as the plan
  it shows is rewound: a due date moved in the file after the stand date is neither *Nu* nor a
  *Reden* (layout 21 listed it with the old date as *Nu*).
- One date style per sentence (*gereed op 7 oktober 2015, … vastgelegd op 14 januari 2016*)
  and no bracket after a bracket in the annex (*verouderd; nagekomen, …*).

Layout 21 is made again as it was (golden at 22, both reproduced byte for byte from the
archive).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from regie.bootstrap import App
from tests.integration.layout_golden import made_at, synced_at
from tests.integration.reports_scenario import AS_OF, migrated_app

START, END = date(2015, 7, 1), date(2015, 12, 31)
#: (item, status, reported on, recorded on, completed on): both recorded long after the day
#: they report for (*nagekomen*): 1.1.1 done in October, recorded the day before the stand
#: date; 3.3.1's answer of August (Q3-2015), recorded in November, is stale and late by the
#: stand date (first assessed on 1 June 2015).
LATE = (
    ("1.1.1", "done", date(2015, 10, 8), date(2016, 1, 14), date(2015, 10, 7)),
    ("3.3.1", "on_track", date(2015, 8, 3), date(2015, 11, 2), None),
)
#: 2.1.2's due date moved in the plan file without a decision, synced after the stand date.
MOVED_FROM, MOVED_TO = 'gereed: "Q1-2016"', 'gereed: "Q2-2016"'


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:
    from governance.answers import OFFICE, AnswerInput
    from regie.answers import check_answer, store_answers
    from store.first_assessed import record_first_days

    app = migrated_app(tmp_path / "home", database_url, golden=True)
    first = datetime(2015, 6, 1, 9, tzinfo=UTC)
    synced_at(app, first)  # the plan as first synced
    with app.session() as session, session.begin():
        record_first_days(session, app.programme_id(), {"3.3.1": first.date()}, first)
    plan = app.load_plan()
    for item, status, on, recorded, completed in LATE:
        answer = AnswerInput(item, status, None, completed, None)
        update = check_answer(plan, answer, replace(OFFICE, name="fixture"), on)
        at = datetime.combine(recorded, time(12), UTC)
        store_answers(app, plan, [replace(update, source="cli", recorded_at=at)], sync=False)
    path = Path(str(app.settings.plan_path))
    text = path.read_text("utf-8")
    start = text.index('id: "2.1.2"')
    at = text.index(MOVED_FROM, start)
    path.write_text(text[:at] + MOVED_TO + text[at + len(MOVED_FROM) :], "utf-8")
    synced_at(app, datetime(2016, 2, 1, 12, tzinfo=UTC))  # after the stand date
    return app


def _report(app: App, monkeypatch: pytest.MonkeyPatch, layout: int, fmt: str) -> str:
    from regie.reports import voortgang

    name = f"voortgang_edits_as_of_{START}_{END}_asof_{AS_OF}.layout{layout}.{fmt}"
    golden = name if layout == 22 else None
    return made_at(app, monkeypatch, "voortgang", layout,
                   lambda: voortgang(app, START, END, AS_OF, fmt), golden)  # fmt: skip


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_plan_edit_recorded_after_the_stand_date_is_not_listed(
    app: App, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    new, old = _report(app, monkeypatch, 22, fmt), _report(app, monkeypatch, 21, fmt)
    moved = "datum gewijzigd in het plan zonder besluit: Q1-2016 → Q2-2016"
    assert moved in old and moved not in new
    assert "Q2-2016" not in new  # neither as a reason nor as *Nu*: the plan of 15 January
    assert "1 februari 2016" not in new and "01-02-2016" not in new


def test_one_date_style_per_sentence_and_one_bracket(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    new, old = _report(app, monkeypatch, 22, "md"), _report(app, monkeypatch, 21, "md")
    done = "gereed op 7 oktober 2015, beloofd"
    assert f"{done} " in new
    assert "(nagekomen, vastgelegd op 14 januari 2016)" in new
    assert "(nagekomen, vastgelegd op 14-01-2016)" in old
    # The annex: 3.3.1 stale and back-dated, in one bracket.
    assert "(verouderd; nagekomen, vastgelegd op 02-11-2015)" in new
    assert "(verouderd) (nagekomen, vastgelegd op 02-11-2015)" in old
    assert "(verouderd) (" not in new
