"""walk54 8: ongoing work before its start is not started (:mod:`governance.item_start`),
as the stale clock and the periodic reminder stage already read it; its state stays
*ongoing*. An owner's *risico* outranks it, as it outranks *doorlopend*; a finished item is
finished."""

from __future__ import annotations

from datetime import date

from governance.assessment import assess
from governance.item_start import not_started, not_started_ids
from governance.plan import Plan
from governance.rag import State
from tests.unit.planbuilder import Updates, act, from_, make_plan, ms, recurring

START = date(2028, 1, 1)


def _plan() -> Plan:
    return make_plan(
        act("1.1", ms("1.1.1", from_(START, "2028 e.v."))),
        act("1.2", ms("1.2.1", recurring())),  # from the programme's start
        act("1.3", ms("1.3.1", from_(START, "2028 e.v."))),
        act("1.4", ms("1.4.1", from_(START, "2028 e.v."))),
        start=date(2026, 9, 1),
    )


def test_before_its_start_an_open_ended_item_is_not_started_from_its_start_it_is() -> None:
    plan = _plan()
    updates = Updates()
    updates.add("1.3.1", "at_risk", date(2026, 12, 1))
    updates.add("1.4.1", "done", date(2026, 12, 1), completed_on=date(2026, 12, 1))
    before = assess(plan, updates.all, date(2027, 12, 31))
    item = before.items["1.1.1"]
    assert item.state is State.ONGOING and not_started(item, before.as_of)
    assert not_started_ids(before.items, before.as_of) == {"1.1.1"}
    assert before.items["1.3.1"].state is State.AT_RISK
    on = assess(plan, updates.all, START)
    assert not_started_ids(on.items, on.as_of) == frozenset()


def test_a_recurring_item_waits_for_the_programmes_start() -> None:
    early = assess(_plan(), [], date(2026, 8, 31))
    assert not_started_ids(early.items, early.as_of) == {"1.1.1", "1.2.1", "1.3.1", "1.4.1"}
