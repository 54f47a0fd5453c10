"""Agenda layout 20 (walk55e 4, fix55u), *Wat is verslechterd*: a colour change still compares
with the previous meeting's day (with its decisions), but where the body's latest earlier pack
showed another colour the line says so, and a colour that turned worse between that pack and
its meeting and is unchanged since is listed too (fix54g left it to the items alone)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from governance.agenda_model import RagChange, ShownBefore
from governance.agenda_since import got_worse
from governance.assessment import Assessment, Rag, assess
from governance.plan import Plan
from reports.render import environment
from tests.unit.planbuilder import act, make_plan, ms, quarter

PACK_DAY = date(2015, 2, 23)
PREVIOUS = date(2015, 3, 2)
NOW = date(2015, 6, 1)
SHOWN = ShownBefore(PREVIOUS, PACK_DAY, datetime(2015, 2, 23, 7, tzinfo=UTC))
G, A, R = Rag.GREEN, Rag.AMBER, Rag.RED


def _plan() -> Plan:
    return make_plan(*(act(f"{n}.1", ms(f"{n}.1.1", quarter(2016, 4))) for n in range(1, 6)))


def _state(plan: Plan, day: date, programme: Rag, *steps: Rag) -> Assessment:
    """The assessment of ``day`` with the programme's and the steps' colours set."""
    return replace(
        assess(plan, [], day), programme=programme, steps=dict(enumerate(steps, start=1))
    )


def _changes(*, shown_colours: bool, caught_up: bool = True) -> tuple[RagChange, ...]:
    plan = _plan()
    # Per step: the pack's colour, the meeting's, now.
    #   1: oranje, groen, rood — the pack showed another colour than the meeting's day
    #   2: groen, rood, rood   — worse between the pack and the meeting, unchanged since
    #   3: rood, rood, groen   — better since the meeting, the pack showed the same
    #   4: rood, groen, groen  — better between the pack and the meeting: nothing to say
    #   5: groen, groen, oranje — the pack and the meeting agree
    pack = _state(plan, PACK_DAY, A, A, G, R, R, G)
    meeting = _state(plan, PREVIOUS, G, G, R, R, G, G)
    now = _state(plan, NOW, R, R, R, G, G, A)
    return got_worse(
        plan, now, PREVIOUS, meeting,
        shown=SHOWN if caught_up else None,
        shown_assessment=pack if caught_up else None,
        shown_colours=shown_colours,
    )[1]  # fmt: skip


def _lines(changes: tuple[RagChange, ...]) -> list[str]:
    macro = environment().get_template("_asked.j2").module.rag_change  # type: ignore[attr-defined]
    return [str(macro(c, "md")) for c in changes]


def test_a_colour_line_names_the_colour_the_previous_pack_showed() -> None:
    changes = _changes(shown_colours=True)
    assert [(c.step, c.before, c.after, c.shown, c.direction) for c in changes] == [
        (None, "green", "red", "amber", "worse"),
        (1, "green", "red", "amber", "worse"),
        (2, "red", "red", "green", "worse"),
        (3, "red", "green", None, "better"),
        (5, "green", "amber", None, "worse"),
    ]
    assert _lines(changes) == [
        "Programma: groen (op de vergadering; in het vorige stuk oranje) → rood",
        "Stap 1. Stap 1: groen (op de vergadering; in het vorige stuk oranje) → rood",
        "Stap 2. Stap 2: groen (in het vorige stuk) → rood (al op de vergadering)",
        "Stap 3. Stap 3: rood → groen",
        "Stap 5. Stap 5: groen → oranje",
    ]


def test_layout_19_compares_the_colours_with_the_meeting_only() -> None:
    old = _changes(shown_colours=False)
    assert [(c.step, c.before, c.after, c.shown) for c in old] == [
        (None, "green", "red", None),
        (1, "green", "red", None),
        (3, "red", "green", None),
        (5, "green", "amber", None),
    ]  # step 2, red since before the meeting, reaches no colour line
    assert _lines(old)[1] == "Stap 1. Stap 1: groen → rood"


def test_without_an_earlier_pack_nothing_changes() -> None:
    assert _changes(shown_colours=True, caught_up=False) == _changes(
        shown_colours=False, caught_up=False
    )
