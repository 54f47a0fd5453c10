"""Agenda layout 18 (words53): a change to a worse colour whose only cause is the staleness of
items Regie did not follow yet on the previous meeting's day is listed apart, not as
*verslechterd*; staleness Regie could see then, a reported risk and a missed date stay
deteriorations (governance.agenda_since.got_worse's ``unstale``, since_last's
``followed_from``)."""

from __future__ import annotations

from datetime import date

import pytest

from governance.agenda import item_lines
from governance.agenda_model import RagChange, SinceLast
from governance.agenda_since import first_followed, got_worse, since_last, unfollowed_stale
from governance.assessment import Assessment, assess
from governance.meetings import Meeting
from governance.plan import Plan
from reports.render import environment
from tests.unit.planbuilder import Updates, act, dependent, from_, make_plan, ms, quarter

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


def test_a_waiting_item_is_never_named_and_its_step_is_not_worse() -> None:
    """review53 5: 3.1.1, followed before the meeting, waits on 2.1, which Regie followed only
    after it and which is stale now: 3.1.1 is amber by 2.1's staleness alone. Its step and the
    programme are amber by that alone too, each with 2.1 (not 3.1.1) named as the cause; before,
    step 3 was called worse (no stale item of its own)."""
    plan = make_plan(
        act("2.1", period=ONGOING),
        act("3.1", ms("3.1.1", dependent(), depends_on=("2.1",))),
    )
    days = {"2.1": AFTER, "3.1.1": BEFORE}
    now, then = _assess(plan, NOW, days), _assess(plan, PREVIOUS, days)
    assert (now.items["3.1.1"].state.value, now.items["3.1.1"].rag.value) == ("waiting", "amber")
    assert unfollowed_stale(now, PREVIOUS) == {"2.1"}
    unstale = _assess(plan, NOW, days | {"2.1": NOW})
    _, changes, stale = got_worse(plan, now, PREVIOUS, then, unstale=unstale)
    assert changes == ()
    assert [(c.step, c.before, c.after, c.stale) for c in stale] == [
        (None, "green", "amber", ("2.1",)),
        (2, "green", "amber", ("2.1",)),
        (3, "green", "amber", ("2.1",)),
    ]


def _rendered(macro: str, sl: SinceLast, *fmt: str) -> str:
    made = getattr(environment().get_template("_asked.j2").module, macro)
    return str(made(sl, *fmt))


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_line_names_the_programme_and_at_most_five_items(fmt: str) -> None:
    """review53 9: a programme-level change and more than five items (*en nog N*), in the
    same words in Markdown and HTML; the reason in the line itself, for one item or more."""
    many = tuple(f"2.{n}" for n in range(1, 8))
    sl = SinceLast(
        PREVIOUS, "previous", (), {}, rag_stale=(
            RagChange(None, "Programma X", "green", "amber", many),
            RagChange(2, "Verminderen", "green", "amber", many[:1]),
        ),
    )  # fmt: skip
    assert _rendered("stale_changes", sl, fmt) == (
        "Oranje door verouderde punten, geen verslechtering: Programma: groen → oranje "
        "(verouderd: 2.1, 2.2, 2.3, 2.4, 2.5 en nog 2); Stap 2. Verminderen: groen → oranje "
        "(verouderd: 2.1). Regie is deze punten pas na de vorige vergadering (2 maart 2015) "
        "gaan volgen, dus bij die vergadering konden ze nog niet verouderd zijn."
    )
    first = SinceLast(PREVIOUS, "previous", (), {}, rag_stale=sl.rag_stale[:1], followed_from=AFTER)
    assert _rendered("stale_why", first) == (
        "Regie beoordeelde het programma voor het eerst op 16 maart 2015, na de vorige "
        "vergadering (2 maart 2015), dus bij die vergadering konden deze punten nog niet "
        "verouderd zijn."
    )
    one = SinceLast(PREVIOUS, "previous", (), {}, rag_stale=sl.rag_stale[1:])
    assert _rendered("stale_head", one) == "Oranje door een verouderd punt"
    assert _rendered("stale_why", one).startswith("Regie is dit punt pas na de vorige")
