"""`record_update` refuses in domain words (the answer's fields); only the CLI speaks of flags."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from regie.answers import AnswerRefused
from regie.bootstrap import bootstrap
from regie.config import load_settings
from regie.history import record_update
from tests.cli_in_process import regie
from tests.conftest import SEED_PLAN
from tests.integration.migrated_template import migrated_home

DAY = date(2015, 10, 2)


def _refusal(tmp_path: Path, item: str, status: str, **kw: date | None) -> AnswerRefused:
    home = tmp_path / "home"
    if not home.exists():  # the first call's: later ones use the same database
        migrated_home(home)
    app = bootstrap(load_settings({"REGIE_HOME": str(home), "REGIE_PLAN": str(SEED_PLAN)}))
    fields = {"forecast": None, "completed_on": None, **kw}
    with pytest.raises(AnswerRefused) as refused:
        record_update(app, item, status, as_of=DAY, comment=None, author=None, **fields)
    return refused.value


def test_refusals_name_fields_not_flags(tmp_path: Path) -> None:
    late = _refusal(tmp_path, "1.1.1", "late")
    assert [p.field for p in late.problems] == ["status"]
    not_done = _refusal(tmp_path, "1.1.1", "on_track", completed_on=date(2015, 10, 1))
    assert [p.field for p in not_done.problems] == ["completed_on"]
    action = _refusal(tmp_path, "1.2", "done")
    assert [p.field for p in action.problems] == ["item_id"]
    assert "report on its milestones" in action.problems[0].en
    for refusal in (late, not_done, action):
        assert all("--" not in p.en for p in refusal.problems)


def test_the_command_line_words_them_as_its_flags(regie_home: Path) -> None:
    late = regie("update", "1.1.1", "--status", "late")
    assert late.code == 2 and late.err.startswith("--status: unknown status 'late'")
    early = regie("update", "1.1.1", "--status", "on_track", "--completed-on", "2015-01-01")
    assert early.code == 2 and early.err.startswith("--completed-on: only with status done")
    action = regie("update", "1.2", "--status", "done")
    assert action.code == 2 and action.err.startswith("1.2: no gereed of its own")
    unknown = regie("update", "9.9.9", "--status", "done")
    assert unknown.code == 2 and unknown.err.startswith("9.9.9: no such action or milestone")


def test_an_author_who_is_a_contact_answers_under_the_contacts_rules(regie_home: Path) -> None:
    """``--author`` naming a contact of the plan is that contact's answer, refused as the
    spreadsheet import and the answer links refuse it; ``programmabureau`` is the office's."""
    import json

    cancel = regie("update", "1.2.1", "--status", "cancelled", "--author", "ienm-voorbeeld")
    assert (cancel.code, cancel.err) == (
        2,
        "1.2.1: ienm-voorbeeld may not answer: only the programme office may cancel an item\n",
    )
    foreign = regie("update", "1.2.1", "--status", "on_track", "--author", "rivm-voorbeeld")
    assert (foreign.code, foreign.err) == (
        2,
        "1.2.1: rivm-voorbeeld may not answer: not a contact of its owner IenM, nor a deputy "
        "of one\n",
    )
    assert len(foreign.err.strip().splitlines()) == 1
    events = json.loads(regie("events", "--item", "1.2.1", "--format", "json").out)
    assert [(e["name"], e["payload"]["reason"]) for e in events] == [
        ("regie.answer.refused", "office_only"),
        ("regie.answer.refused", "not_owner"),
    ]  # on record as refused; no update stored
    own = regie("update", "1.2.1", "--status", "on_track", "--author", "ienm-voorbeeld")
    assert own.code == 0, own.err
    office = regie("update", "1.2.1", "--status", "cancelled", "--author", "programmabureau")
    assert office.code == 0, office.err
    rows = json.loads(regie("status", "--format", "json").out)
    latest = next(r for r in rows if r["id"] == "1.2.1")["latest_update"]
    assert (latest["status"], latest["author"]) == ("cancelled", "programmabureau")
    events = json.loads(regie("events", "--item", "1.2.1", "--format", "json").out)
    assert [e["name"] for e in events][2:] == ["regie.status.updated"] * 2
