"""Agenda layout 19 (fix54g), *Sinds de vorige vergadering*: what got worse is compared with the
data as the body's latest earlier pack read them (walk54b's cross-check of walk54 3), so a risk
reported or a deadline passed between that pack and its meeting reaches the body once, marked
*nog niet in het vorige agendapakket*; and a plan-file edit of a due date names the decision
that ratified it, by the rule of the pack's *…accorderen?* and progress layout 18 (fix54a)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time

import pytest

from governance.agenda import item_lines
from governance.agenda_model import ShownBefore, SinceEntry, SinceLast
from governance.agenda_since import since_last
from governance.assessment import Assessment, assess
from governance.decisions import Decision, DecisionKind, decided_by
from governance.meetings import Meeting
from governance.plan import Plan
from governance.provenance import DueChange
from governance.updates import StatusUpdate
from reports.render import environment
from tests.unit.planbuilder import Updates, act, make_plan, ms, on, quarter

PACK_DAY = date(2015, 2, 23)  # the previous meeting's pack: its day ...
MADE_AT = datetime(2015, 2, 23, 7, tzinfo=UTC)  # ... and when it was archived
PREVIOUS = date(2015, 3, 2)  # the body's previous meeting
NOW = date(2015, 6, 1)
SHOWN = ShownBefore(PREVIOUS, PACK_DAY, MADE_AT)
MARK = " (nog niet in het vorige agendapakket)"


def _at(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), UTC)


def _plan() -> Plan:
    return make_plan(
        act(
            "1.1",
            ms("1.1.1", on(date(2015, 2, 10))),  # late already on the pack's day
            ms("1.1.2", on(date(2015, 2, 25))),  # late after the pack, before the meeting
            ms("1.1.3", on(date(2015, 4, 1))),  # late after the meeting
        ),
        act("2.1", *(ms(f"2.1.{n}", quarter(2015, 4)) for n in range(1, 5))),
    )


def _updates() -> list[StatusUpdate]:
    updates = Updates()
    risks = {  # item: (reported on, recorded at)
        "2.1.1": (date(2015, 2, 26), _at(date(2015, 2, 26))),  # after the pack, before the meeting
        "2.1.2": (date(2015, 2, 20), _at(date(2015, 2, 20))),  # in that pack
        "2.1.3": (date(2015, 2, 20), _at(date(2015, 2, 26))),  # recorded after it was archived
        "2.1.4": (date(2015, 3, 10), _at(date(2015, 3, 10))),  # after the meeting
    }
    for item_id, (day, at) in risks.items():
        updates.add(item_id, "at_risk", day)
        updates.all[-1] = replace(updates.all[-1], recorded_at=at)
    return updates.all


def _state(plan: Plan, day: date, until: datetime | None = None) -> Assessment:
    """The assessment of ``day`` from the updates recorded by ``until``, as a pack read them."""
    known = [u for u in _updates() if until is None or (u.recorded_at and u.recorded_at <= until)]
    return assess(plan, known, day)


def _since(previous: Meeting | None, *, caught_up: bool = True, **more: object) -> SinceLast:
    plan = _plan()
    now = _state(plan, NOW)
    return since_last(
        plan, now, item_lines(plan, now), previous,
        previous_assessment=_state(plan, PREVIOUS) if previous else None,
        shown=SHOWN if caught_up else None,
        shown_assessment=_state(plan, PACK_DAY, MADE_AT) if caught_up else None,
        **more,  # type: ignore[arg-type]
    )  # fmt: skip


def _worse(sl: SinceLast) -> list[tuple[str, str, bool]]:
    return [(e.item_id, e.kind, e.early) for e in sl.worse]


def test_what_got_worse_after_the_previous_pack_is_listed_once() -> None:
    sl = _since(Meeting("sg", PREVIOUS))
    assert sl.since == PREVIOUS and sl.basis == "previous"  # the heading's meeting stays
    assert sorted(_worse(sl)) == [
        ("1.1.2", "late", True),  # its deadline passed after the pack, before the meeting
        ("1.1.3", "late", False),
        ("2.1.1", "at_risk", True),  # reported after the pack's day
        ("2.1.3", "at_risk", True),  # reported before it, recorded after it was archived
        ("2.1.4", "at_risk", False),
    ]  # not 1.1.1 (late) nor 2.1.2 (at risk): that pack showed them so
    assert sl.shown == SHOWN  # the intro explains the mark, also when only these have it
    # Layouts up to 18 (no earlier pack's data): compared with the meeting's day only, so
    # 1.1.2, 2.1.1 and 2.1.3 reach no pack as a deterioration.
    old = _since(Meeting("sg", PREVIOUS), caught_up=False)
    assert sorted(_worse(old)) == [("1.1.3", "late", False), ("2.1.4", "at_risk", False)]
    assert old.shown is None


def test_after_a_meeting_without_a_pack_the_pack_before_it_counts() -> None:
    """The previous meeting (2 March) got no pack; the body's latest is 23 February's, sent for
    the meeting of 26 February: the same comparison, and the intro names that meeting."""
    plan = _plan()
    now = _state(plan, NOW)
    earlier = ShownBefore(date(2015, 2, 26), PACK_DAY, MADE_AT)
    sl = since_last(
        plan, now, item_lines(plan, now), Meeting("sg", PREVIOUS),
        previous_assessment=_state(plan, PREVIOUS), shown=earlier,
        shown_assessment=_state(plan, PACK_DAY, MADE_AT),
    )  # fmt: skip
    assert _worse(sl) == _worse(_since(Meeting("sg", PREVIOUS))) and sl.shown == earlier


def test_the_colours_still_compare_with_the_meeting() -> None:
    assert (
        _since(Meeting("sg", PREVIOUS)).rag_changes
        == _since(Meeting("sg", PREVIOUS), caught_up=False).rag_changes
    )


def test_a_first_meeting_has_no_earlier_pack_to_compare_with() -> None:
    first = _since(None)
    assert first.basis == "start" and first.shown is None
    assert _worse(first) == _worse(_since(None, caught_up=False))
    assert not any(e.early for e in first.worse)


def _render(name: str, *args: object) -> str:
    return str(getattr(environment().get_template("_asked.j2").module, name)(*args))


@pytest.mark.parametrize(
    ("early", "words"),
    [
        ((False, False), "2 nieuw te laat"),
        ((True, False), "2 nieuw te laat (waarvan 1 nog niet in het vorige agendapakket)"),
        ((True, True), f"2 nieuw te laat{MARK}"),
    ],
)
def test_the_count_says_how_many_the_previous_pack_did_not_show(
    early: tuple[bool, bool], words: str
) -> None:
    worse = tuple(
        SinceEntry(f"1.{n}", "", "late", date(2015, 2, 25), early=e) for n, e in enumerate(early)
    )
    sl = SinceLast(PREVIOUS, "previous", (), {}, worse)
    assert _render("worse_counts", sl, True) == words
    assert _render("worse_change", worse[0]).endswith(MARK) is early[0]


# -- a plan-file edit ratified by a later decision (the one rule, fix54a) --------------------

EDITED = date(2015, 3, 5)  # after the previous meeting
LATER = date(2015, 4, 2)  # a meeting after it
EDIT = DueChange("1.1.3", "1 april 2015", "1 mei 2015", date(2015, 4, 1), date(2015, 5, 1),
                 _at(EDITED))  # fmt: skip


def _decision(item_id: str, day: date, n: int = 1) -> Decision:
    return Decision("sg", day, DecisionKind.DECISION, "Akkoord", item_id=item_id, id=n)


def _moved(decisions: list[Decision], ratified: bool = True) -> SinceEntry:
    sl = _since(
        Meeting("sg", PREVIOUS), caught_up=False, due_changes=[EDIT], decisions=decisions,
        ratified=ratified,
    )  # fmt: skip
    (entry,) = (e for e in sl.entries if e.kind == "moved")
    return entry


def test_an_edit_names_the_decision_that_ratified_it() -> None:
    taken = [
        _decision("1.1.3", PREVIOUS),
        _decision("1.1.3", date(2015, 5, 7), 3),
        _decision("1.1.3", LATER, 2),
    ]
    assert _moved(taken).ratified_by == decided_by("sg", LATER)  # the first on or after it
    assert _moved([_decision("1.1.3", EDITED)]).ratified_by == decided_by("sg", EDITED)
    assert _moved([_decision("1.1.3", PREVIOUS)]).ratified_by is None  # before the edit
    assert _moved([_decision("1.1.2", LATER)]).ratified_by is None  # another item's
    assert _moved([_decision("1.1.3", date(2015, 7, 1))]).ratified_by is None  # after as_of
    assert _moved(taken, ratified=False).ratified_by is None  # layouts up to 18


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_ratified_edit_reads_as_the_progress_report_says_it(fmt: str) -> None:
    since = environment().get_template("_since.j2").module.since_change  # type: ignore[attr-defined]
    entry = _moved([_decision("1.1.3", LATER)])
    assert str(since(entry, fmt)) == (
        "datum gewijzigd in het plan: 1 april 2015 → 1 mei 2015 (vastgelegd op 05-03-2015; "
        f"bekrachtigd bij {decided_by('sg', LATER)})"
    )
    assert str(since(replace(entry, ratified_by=None), fmt)) == (
        "datum gewijzigd in het plan zonder besluit: 1 april 2015 → 1 mei 2015 "
        "(vastgelegd op 05-03-2015)"
    )
