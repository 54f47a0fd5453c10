"""Which update a correction may correct (governance.corrections): a decision's is changed by a
new decision, not corrected (review6)."""

from __future__ import annotations

from datetime import date

from governance.answers import Problem
from governance.corrections import correction_problems
from governance.decisions import DECISION_SOURCE
from governance.updates import StatusUpdate, UpdateStatus
from web.correction_form import start_form


def _update(uid: int, source: str, on: date) -> StatusUpdate:
    return StatusUpdate(
        item_id="1.1", status=UpdateStatus.CANCELLED, reported_on=on, comment="Vervalt",
        author="stuurgroep", source=source, id=uid,
    )  # fmt: skip


def test_a_decision_s_update_is_not_corrected_and_gets_no_form() -> None:
    decided = _update(7, DECISION_SOURCE, date(2016, 4, 12))
    found = correction_problems(7, decided, "1.1", [decided], date(2016, 4, 20))
    assert [p.code for p in found] == [Problem.CORRECTS_DECISION]
    assert found[0].values == {"update": 7, "body": "stuurgroep", "on": date(2016, 4, 12)}
    assert "regie decision add" in found[0].en
    assert start_form(decided) is None
    answered = _update(8, "web", date(2016, 4, 13))
    assert correction_problems(8, answered, "1.1", [decided, answered], date(2016, 4, 20)) == []
    form = start_form(answered)
    assert form is not None and form.corrects == 8
