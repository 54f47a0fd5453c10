"""walk55e 1: from agenda layout 20 the pack's *Vooruitblik* starts at the pack's own day, not
at the meeting: an open item due between the pack and the meeting is announced (it will be
*te laat* at the meeting otherwise without ever having been announced as due). An item late
already is not in it (it is listed as late); older layouts look ahead from the meeting only."""

from __future__ import annotations

from datetime import date

from governance.agenda import build_agenda
from governance.assessment import assess
from governance.meetings import Meeting
from governance.plan import GovernanceBody
from tests.unit.planbuilder import Updates, act, make_plan, ms, quarter

PACK_DAY = date(2016, 3, 25)
PLAN = make_plan(
    act(
        "1.1",
        ms("1.1.1", quarter(2015, 4)),  # late on the pack's day: not announced
        ms("1.1.2", quarter(2016, 1)),  # due 31 March: between the pack and the meeting
        ms("1.1.3", quarter(2016, 2)),  # due before the next meeting
        ms("1.1.4", quarter(2016, 3)),  # after the next meeting
        ms("1.1.5", quarter(2016, 1)),  # due before the meeting, but done
    )
)


def _ahead(from_pack: bool) -> list[str]:
    u = Updates()
    u.add("1.1.5", "done", date(2016, 3, 1))
    now = assess(PLAN, u.all, PACK_DAY)
    pack = build_agenda(
        PLAN, now, GovernanceBody("stuurgroep", "Stuurgroep", "Sturen"),
        Meeting("stuurgroep", date(2016, 4, 2)), previous=Meeting("stuurgroep", date(2016, 1, 13)),
        next_meeting=Meeting("stuurgroep", date(2016, 7, 1)), ahead_from_pack=from_pack,
    )  # fmt: skip
    return [line.item_id for line in pack.ahead]


def test_the_look_ahead_starts_at_the_pack_day() -> None:
    assert _ahead(True) == ["1.1.2", "1.1.3"]


def test_layouts_up_to_19_look_ahead_from_the_meeting() -> None:
    assert _ahead(False) == ["1.1.3"]
