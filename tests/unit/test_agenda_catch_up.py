"""Agenda layout 19 (walk54 3): *sinds de vorige vergadering* also lists what the body's latest
pack could not show: what happened after that pack's day or was recorded after it was archived,
though before the previous meeting; marked ``early``. Each change reaches the body once: what
that pack did show is not listed again (governance.agenda_since.since_last's ``shown``)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time

from governance.agenda import item_lines
from governance.agenda_model import ItemRevision, ShownBefore, SinceLast
from governance.agenda_since import since_last
from governance.assessment import assess
from governance.meetings import Meeting
from governance.plan import Plan
from governance.updates import StatusUpdate
from tests.unit.planbuilder import Updates, act, make_plan, ms, quarter

PACK_DAY = date(2015, 2, 23)  # the previous meeting's pack: its day ...
MADE_AT = datetime(2015, 2, 23, 7, tzinfo=UTC)  # ... and when it was archived
PREVIOUS = date(2015, 3, 2)  # the body's previous meeting
NOW = date(2015, 6, 1)
SHOWN = ShownBefore(PREVIOUS, PACK_DAY, MADE_AT)


def _at(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), UTC)


def _plan() -> Plan:
    return make_plan(
        act("1.1", *(ms(f"1.1.{n}", quarter(2015, 2)) for n in range(1, 6))),
        act("2.1", ms("2.1.1", quarter(2015, 4)), owners=("IenM", "RWS")),
    )


def _updates() -> list[StatusUpdate]:
    updates = Updates()
    finished = {  # item: (finished on, recorded at)
        "1.1.1": (date(2015, 2, 25), _at(date(2015, 2, 25))),  # after the pack's day
        "1.1.2": (date(2015, 2, 20), _at(date(2015, 2, 20))),  # in that pack
        "1.1.3": (date(2015, 2, 20), _at(date(2015, 2, 26))),  # recorded after it was made
        "1.1.4": (date(2015, 3, 10), _at(date(2015, 3, 10))),  # after the meeting
        "1.1.5": (PACK_DAY, _at(PACK_DAY, 6)),  # on the pack's day, before it was made
    }
    for item_id, (on, at) in finished.items():
        update = updates.add(item_id, "done", on, completed_on=on)
        updates.all[-1] = replace(update, recorded_at=at)
    return updates.all


OWNERS = ItemRevision("2.1", "changed", "owners", ["IenM", "RWS"], ["IenM"], _at(PACK_DAY, 9))


def _since(previous: Meeting | None, shown: ShownBefore | None) -> SinceLast:
    plan = _plan()
    now = assess(plan, _updates(), NOW)
    return since_last(plan, now, item_lines(plan, now), previous, revisions=[OWNERS], shown=shown)


def _listed(sl: SinceLast) -> list[tuple[str, str, bool]]:
    return [(e.item_id, e.kind, e.early) for e in sl.entries]


def test_what_the_previous_pack_could_not_show_is_listed_once() -> None:
    sl = _since(Meeting("sg", PREVIOUS), SHOWN)
    assert sl.since == PREVIOUS and sl.basis == "previous"  # the heading's meeting stays
    assert _listed(sl) == [
        ("1.1.1", "done", True),
        ("1.1.3", "done", True),
        ("1.1.4", "done", False),
        ("2.1", "owners", True),  # a plan edit recorded after the pack was made
    ]
    assert sl.counts["done"] == 3 and sl.shown == SHOWN
    # Layouts up to 18 (no pack given): from the meeting's day only.
    old = _since(Meeting("sg", PREVIOUS), None)
    assert _listed(old) == [("1.1.4", "done", False)] and old.shown is None


def test_a_meeting_without_a_pack_reaches_back_to_the_pack_before() -> None:
    """The previous meeting (2 March) got no pack; the latest was for 9 February's (as of 2
    February): everything since that pack is listed, the earlier part marked."""
    shown = ShownBefore(date(2015, 2, 9), date(2015, 2, 2), _at(date(2015, 2, 2), 7))
    sl = _since(Meeting("sg", PREVIOUS), shown)
    assert [e.item_id for e in sl.entries] == ["1.1.1", "1.1.2", "1.1.3", "1.1.4", "1.1.5", "2.1"]
    assert [e.item_id for e in sl.entries if not e.early] == ["1.1.4"]


def test_nothing_to_catch_up_on_says_nothing_of_the_pack() -> None:
    shown = ShownBefore(PREVIOUS, date(2015, 2, 27), _at(date(2015, 2, 27), 7))
    sl = _since(Meeting("sg", PREVIOUS), shown)
    assert _listed(sl) == [("1.1.4", "done", False)] and sl.shown is None


def test_a_first_meeting_counts_as_before() -> None:
    plan = _plan()
    now = assess(plan, _updates(), NOW)
    first = since_last(plan, now, item_lines(plan, now), None, shown=SHOWN)
    assert first.basis == "start" and first.shown is None
    assert not any(e.early for e in first.entries)
    assert first == since_last(plan, now, item_lines(plan, now), None)
