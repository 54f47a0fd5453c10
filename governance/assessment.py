"""Assess every deadline of a plan on one day: state, RAG colour, stale flag, transition events.

Pure: the result follows from the plan, the owners' status updates and an explicit ``as_of``.
Only updates reported on or before ``as_of`` count (so replaying history sees only the past);
per item the latest by (reported_on, recorded_at, id) wins. The owner's forecast is the one in
the latest update that gave a forecast.

States, strongest first: done / cancelled (the owner said so) > overdue > slipped > at risk >
waiting > due soon > on track. Items without a date are undated (to be decided) and open-ended
or recurring items are ongoing, unless done, cancelled or at risk.

- overdue: ``as_of`` is past the due date and no live forecast covers it;
- slipped: the latest forecast is after the due date and not itself past yet. This holds before
  and after the due date; once the forecast has passed too, the item is overdue;
- at risk: the latest update says so and the item is neither overdue nor slipped;
- waiting: a *dependent* item (``Afhankelijk van …``, or ``idem`` below one) whose dependencies are
  not all done. Once they are, it is due ``dependency_lead_days`` working days after the last one
  was completed and is assessed like any dated item. A dated item with unfinished dependencies
  stays date-driven; ``waiting_on`` lists them for the agenda;
- due soon: inside the first reminder window (at most ``first_prompt_days`` working days before
  the due date), not past it.

A dependency id may name an action (done when its own deadline, if any, and all its milestones
are done or cancelled; completed on the latest completion date) or a single item.

Stale: an active item (dated and inside or past its first reminder window, or ongoing and
started) with no update for ``stale_after_days`` working days. The clock starts at the latest
of the latest update, the day the item became active and the first day Regie assessed the item
(``first_assessed``): an old update does not make an item stale on its first active day, and
nobody is blamed for not reporting before Regie was there to ask. The first assessed days are
the business days the daily cycle stored (``store.first_assessed``), never a clock: an item
missing from ``first_assessed`` (or stored after ``as_of``) is first assessed on ``as_of``, so
nothing is stale on its first day. ``first_assessed=None``: the clock is not limited (the rule
alone, as if Regie had assessed every item from the programme's start).

Events: one per item whose state differs from ``previous`` (an id missing from ``previous``, or
``previous=None`` on a first run, counts as a change). ``regie.milestone.stale`` is emitted when
the flag turns on: on a first run for every stale item, later when ``previous_stale`` (feed back
:meth:`Assessment.stale_ids`) is given and does not hold the id.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from governance.assessor import Assessor, ItemAssessment, PlanIndex
from governance.events import DomainEvent, state_events
from governance.item_start import ONGOING_KINDS
from governance.plan import Plan, Step
from governance.rag import STATE_VALUES, Rag, State, rollup, worst
from governance.updates import StatusUpdate, latest_updates
from governance.workdays import WorkCalendar

__all__ = [
    "ONGOING_KINDS",
    "Assessment",
    "ItemAssessment",
    "Rag",
    "State",
    "assess",
    "latest_updates",
    "rollups",
    "step_rollups",
]


@dataclass(frozen=True, slots=True)
class Assessment:
    as_of: date
    items: dict[str, ItemAssessment]  # plan order
    actions: dict[str, Rag]
    steps: dict[int, Rag]
    programme: Rag
    events: list[DomainEvent]

    def states(self) -> dict[str, str]:
        """Item id → state value: store it and pass it back as ``previous``."""
        values = STATE_VALUES  # looked up: Enum.value is a Python-level property
        return {i.item_id: values[i.state] for i in self.items.values()}

    def stale_ids(self) -> frozenset[str]:
        """Ids with the stale flag on: pass back as ``previous_stale``."""
        return frozenset(i.item_id for i in self.items.values() if i.stale)

    def counts(self) -> dict[str, int]:
        """Items per state value, every state listed (zero included)."""
        # Counted per member, then named: Enum.value is a Python-level property.
        by_state = Counter(item.state for item in self.items.values())
        return {s.value: by_state.get(s, 0) for s in State}


def assess(
    plan: Plan,
    updates: Sequence[StatusUpdate],
    as_of: date,
    previous: Mapping[str, str] | None = None,
    calendar: WorkCalendar | None = None,
    previous_stale: Collection[str] | None = None,
    *,
    index: PlanIndex | None = None,
    picked: tuple[dict[str, StatusUpdate], dict[str, date]] | None = None,
    first_assessed: Mapping[str, date] | None = None,
    dropped: bool = True,
) -> Assessment:
    """Assess every deadline of ``plan`` at ``as_of`` (see the module notes for the rules).

    ``index`` saves rebuilding the plan's index when the caller assesses one plan repeatedly.
    ``picked``: each item's latest update and forecast (:func:`latest_updates`' answer), when
    the caller has them; ``updates`` is then not read. ``first_assessed``: item → the first
    day Regie assessed it (the stale clock starts no earlier; see the module notes).
    ``dropped``: a dependent whose predecessor was cancelled is undated (walk55d 1); False:
    dated from the cancellation, as reports of earlier layouts were made.
    """
    index = index or PlanIndex(plan)
    latest, forecasts = picked if picked is not None else latest_updates(updates, as_of)
    cal = calendar or WorkCalendar.for_plan(plan)
    assessor = Assessor(
        index, latest, forecasts, as_of, cal, first_assessed=first_assessed, dropped=dropped
    )
    assessor.judge_all(index.deadlines)
    items = assessor.results()
    actions, steps, programme = rollups(plan.steps, ((i.action_id, i.rag) for i in items.values()))
    events = state_events(items.values(), as_of, previous, previous_stale)
    return Assessment(as_of, items, actions, steps, programme, events)


def rollups(
    steps: Iterable[Step], item_rags: Iterable[tuple[str, Rag]]
) -> tuple[dict[str, Rag], dict[int, Rag], Rag]:
    """Colours per action (the worst of its items), per step and for the programme."""
    by_action: dict[str, list[Rag]] = {}
    for action_id, rag in item_rags:
        by_action.setdefault(action_id, []).append(rag)
    actions = {action_id: worst(rags) for action_id, rags in by_action.items()}
    return actions, *step_rollups(steps, actions)


def step_rollups(steps: Iterable[Step], actions: Mapping[str, Rag]) -> tuple[dict[int, Rag], Rag]:
    """Colours per step and for the programme from each action's colour."""
    get = actions.get
    per_step = {
        step.number: rollup(r for r in map(get, [a.id for a in step.actions]) if r is not None)
        for step in steps
    }
    return per_step, rollup(actions.values())
