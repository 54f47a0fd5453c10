"""Agenda layout 18 (words53): a change to a worse colour whose only cause is the staleness of
items Regie did not follow yet on the previous meeting's day is listed apart, not as
*verslechterd*; staleness Regie could see then, a reported risk and a missed date stay
deteriorations (governance.agenda_since.got_worse's ``unstale``, since_last's
``followed_from``)."""

from __future__ import annotations

from datetime import date

from governance.agenda import item_lines
from governance.agenda_since import first_followed, got_worse, since_last, unfollowed_stale
from governance.assessment import Assessment, assess
from governance.meetings import Meeting
from governance.plan import Plan
from tests.unit.planbuilder import Updates, act, from_, make_plan, ms, quarter

PREVIOUS = date(2015, 3, 2)  # the body's previous meeting
NOW = date(2015, 6, 1)
BEFORE, AFTER = date(2015, 2, 16), date(2015, 3, 16)  # first assessed before / after it
ONGOING = from_(date(2015, 1, 1))


def _plan() -> Plan:
    """Step 1: followed before the meeting, silent since (stale: seen going stale). Step 2:
    followed only after it, silent (stale only by what Regie could not see then). Step 3: one
    of each kind: a silent item followed after the meeting and a risk reported since."""
    return make_plan(
        act("1.1", period=ONGOING),
        act("2.1", period=ONGOING),
        act("3.1", period=ONGOING),
        act("3.2", ms("3.2.1", quarter(2015, 4))),
    )


DAYS = {"1.1": BEFORE, "2.1": AFTER, "3.1": AFTER, "3.2.1": BEFORE}


def _assess(plan: Plan, on: date, days: dict[str, date] = DAYS) -> Assessment:
    updates = Updates()
    updates.add("3.2.1", "on_track", BEFORE)
    updates.add("3.2.1", "at_risk", date(2015, 5, 4))
    return assess(plan, updates.all, on, first_assessed=days)


def _unstale(plan: Plan, now: Assessment, since: date) -> Assessment:
    fresh = unfollowed_stale(now, since)
    assert fresh == {"2.1", "3.1"}  # 1.1 was followed on the meeting's day
    return _assess(plan, NOW, DAYS | dict.fromkeys(fresh, NOW))


def test_staleness_regie_could_not_see_is_no_deterioration() -> None:
    plan = _plan()
    now, then = _assess(plan, NOW), _assess(plan, PREVIOUS)
    assert {i.item_id for i in now.items.values() if i.stale} == {"1.1", "2.1", "3.1"}
    assert not any(i.stale for i in then.items.values())
    worse, changes, stale = got_worse(
        plan, now, PREVIOUS, then, unstale=_unstale(plan, now, PREVIOUS)
    )
    # The risk reported since is listed as before; so are the programme, step 1 (its item went
    # stale while Regie followed it) and step 3 (the risk makes it amber without staleness).
    assert [(e.item_id, e.kind) for e in worse] == [("3.2.1", "at_risk")]
    assert [(c.step, c.before, c.after, c.stale) for c in changes] == [
        (None, "green", "amber", ()),
        (1, "green", "amber", ()),
        (3, "green", "amber", ()),
    ]
    # Step 2 is amber only because 2.1 is stale, which it could not be on the meeting's day.
    assert [(c.step, c.before, c.after, c.stale) for c in stale] == [
        (2, "green", "amber", ("2.1",))
    ]
    # Older layouts (no unstale): every change of colour as before, none apart.
    _, old, apart = got_worse(plan, now, PREVIOUS, then)
    assert [c.step for c in old] == [None, 1, 2, 3] and apart == ()


def test_a_previous_meeting_before_regie_s_first_assessment_is_said() -> None:
    plan = _plan()
    days = dict.fromkeys(DAYS, AFTER)  # the first cycle came after the previous meeting
    now, then = _assess(plan, NOW, days), _assess(plan, PREVIOUS, days)
    unstale = _assess(plan, NOW, days | dict.fromkeys(unfollowed_stale(now, PREVIOUS), NOW))
    meeting = Meeting("sg", PREVIOUS)

    def made(apart: bool) -> tuple[date | None, list[int | None], list[int | None]]:
        sl = since_last(
            plan, now, item_lines(plan, now), meeting, previous_assessment=then,
            stale_apart=apart, unstale=unstale if apart else None,
        )  # fmt: skip
        return sl.followed_from, [c.step for c in sl.rag_worse], [c.step for c in sl.rag_stale]

    # Only the risk reported since is a deterioration: step 3 and the programme stay amber
    # without any staleness; steps 1 and 2 are amber by staleness alone.
    assert made(True) == (AFTER, [None, 3], [1, 2])
    assert made(False) == (None, [None, 1, 2, 3], [])
    # Followed since before the meeting: nothing to say of the first assessment.
    followed = since_last(
        plan, _assess(plan, NOW), item_lines(plan, now), meeting,
        previous_assessment=_assess(plan, PREVIOUS), stale_apart=True,
    )  # fmt: skip
    assert followed.followed_from is None


def test_a_pack_made_before_any_cycle_says_nothing_of_a_first_assessment() -> None:
    """Without stored days every item is first assessed on the pack's day: nothing is stale,
    so there is nothing to explain, though that day is after the previous meeting."""
    plan = _plan()
    now = _assess(plan, NOW, {})
    assert first_followed(now) == NOW and not unfollowed_stale(now, PREVIOUS)
    sl = since_last(
        plan, now, item_lines(plan, now), Meeting("sg", PREVIOUS),
        previous_assessment=_assess(plan, PREVIOUS, {}), stale_apart=True,
    )  # fmt: skip
    assert sl.followed_from is None and sl.rag_stale == ()
