"""Agenda layout 19's catch-up (review54 9, 11): a finish is caught up by the moment the item
became done, not by its latest update, so a repeated report of it is no new finish; a marked
change keeps one bracket; a pack for a meeting since moved is named without that date."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time

import pytest

from governance.agenda import item_lines
from governance.agenda_model import ShownBefore, SinceEntry, SinceLast
from governance.agenda_since import since_last
from governance.assessment import assess
from governance.meetings import Meeting
from governance.plan import Plan
from governance.updates import StatusUpdate
from reports.render import environment
from tests.unit.planbuilder import Updates, act, make_plan, ms, quarter

PACK_DAY = date(2015, 2, 23)  # the previous meeting's pack: its day ...
MADE_AT = datetime(2015, 2, 23, 7, tzinfo=UTC)  # ... and when it was archived
PREVIOUS = date(2015, 3, 2)  # the body's previous meeting
NOW = date(2015, 6, 1)
SHOWN = ShownBefore(PREVIOUS, PACK_DAY, MADE_AT)
MARK = "nog niet in het vorige agendapakket"


def _at(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), UTC)


def _plan() -> Plan:
    return make_plan(act("1.1", *(ms(f"1.1.{n}", quarter(2015, 2)) for n in range(1, 4))))


def _updates(again: bool) -> list[StatusUpdate]:
    """1.1.1 done on 20 February (in the pack); 1.1.2 done on 25 February (after it); 1.1.3
    cancelled on 20 February (in the pack). ``again``: each owner reports it once more after
    the pack was made (a sheet row imported again, an answer repeated), same day finished."""
    updates = Updates()
    reported = [
        ("1.1.1", "done", date(2015, 2, 20)),
        ("1.1.2", "done", date(2015, 2, 25)),
        ("1.1.3", "cancelled", date(2015, 2, 20)),
    ]
    for item_id, status, on in reported:
        updates.add(item_id, status, on, completed_on=on)
        updates.all[-1] = replace(updates.all[-1], recorded_at=_at(on))
        if again:
            later = date(2015, 2, 26)
            updates.add(item_id, status, later, completed_on=on)
            updates.all[-1] = replace(updates.all[-1], recorded_at=_at(later))
    return updates.all


def _since(again: bool, with_data: bool = True) -> SinceLast:
    plan = _plan()
    updates = _updates(again)
    now = assess(plan, updates, NOW)
    # The data as the pack read them: its day, recorded by its archiving.
    then = assess(plan, [u for u in updates if u.recorded_at and u.recorded_at <= MADE_AT],
                  PACK_DAY)  # fmt: skip
    return since_last(
        plan, now, item_lines(plan, now), Meeting("sg", PREVIOUS), shown=SHOWN,
        shown_assessment=then if with_data else None,
    )  # fmt: skip


def _listed(sl: SinceLast) -> list[tuple[str, str, bool]]:
    return [(e.item_id, e.kind, e.early) for e in sl.entries]


def test_a_finish_the_pack_showed_is_not_caught_up_when_reported_again() -> None:
    assert _listed(_since(again=False)) == [("1.1.2", "done", True)]
    # review54 9: the repeated reports are recorded after the pack; the moment each item
    # became done or cancelled is not, so only 1.1.2 is news.
    assert _listed(_since(again=True)) == [("1.1.2", "done", True)]


def test_without_the_pack_s_data_the_latest_update_decides_as_before() -> None:
    assert _listed(_since(again=True, with_data=False)) == [
        ("1.1.1", "done", True),
        ("1.1.2", "done", True),
        ("1.1.3", "cancelled", True),
    ]


def _since_change(entry: SinceEntry, fmt: str) -> str:
    module = environment().get_template("_since.j2").module
    return str(module.since_change(entry, fmt))  # type: ignore[attr-defined]


ON = date(2015, 2, 25)


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize(
    ("entry", "words"),
    [
        (SinceEntry("1", "", "done", ON), f"gereed gekomen op 25-02-2015 ({MARK})"),
        (SinceEntry("1", "", "moved", ON, "Q1", "Q2", ratified_by="besluit sg"),
         f"datum gewijzigd in het plan: Q1 → Q2 (vastgelegd op 25-02-2015; bekrachtigd bij "
         f"besluit sg; {MARK})"),
        (SinceEntry("1", "", "moved", ON, "Q1", "Q2"),
         f"datum gewijzigd in het plan zonder besluit: Q1 → Q2 (vastgelegd op 25-02-2015; {MARK})"),
        (SinceEntry("1", "", "moved", ON, "Q1", "Q2", "besluit sg"),
         f"datum gewijzigd: Q1 → Q2 (besluit sg; {MARK})"),
        (SinceEntry("1", "", "owners", ON, "A", "B"),
         f"eigenaar gewijzigd: A → B (vastgelegd op 25-02-2015; {MARK})"),
        (SinceEntry("1", "", "removed", ON), f"uit het plan verwijderd zonder besluit "
         f"(vastgelegd op 25-02-2015; {MARK})"),
        (SinceEntry("1", "", "cancelled", ON), f"vervallen op 25-02-2015 ({MARK})"),
        (SinceEntry("1", "", "cancelled", ON, decided_by="besluit sg"),
         f"vervallen op 25-02-2015 (besluit sg; {MARK})"),
        (SinceEntry("1", "", "contact", ON, "A", "B"),
         f"contactpersoon gewijzigd: A → B (vastgelegd op 25-02-2015; {MARK})"),
    ],
)  # fmt: skip
def test_a_marked_change_has_one_bracket(entry: SinceEntry, words: str, fmt: str) -> None:
    assert _since_change(replace(entry, early=True), fmt) == words
    # Unmarked, as before: the mark and its semicolon only.
    plain = words.replace(f"; {MARK})", ")").replace(f" ({MARK})", "")
    assert _since_change(entry, fmt) == plain


def _intro(shown: ShownBefore) -> str:
    module = environment().get_template("_since.j2").module
    sl = SinceLast(PREVIOUS, "previous", (), {}, shown=shown)
    pack = type("Pack", (), {"as_of": NOW})()
    return str(module.since_intro(sl, pack))  # type: ignore[attr-defined]


def test_a_pack_for_a_meeting_since_moved_is_named_without_that_date() -> None:
    assert "nog niet in het agendapakket voor die vergadering stond (stand 23 februari 2015)." in (
        _intro(SHOWN)
    )
    earlier = ShownBefore(date(2015, 2, 9), PACK_DAY, MADE_AT)
    assert "in het agendapakket voor de vergadering van 9 februari 2015 stond" in _intro(earlier)
    moved = _intro(replace(earlier, gone=True))  # 9 February no longer a meeting of the body
    assert "nog niet in het vorige agendapakket stond (stand 23 februari 2015)." in moved
    assert "9 februari" not in moved
