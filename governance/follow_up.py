"""Who the programme office still has to chase (the office's *Opvolging* page and
``regie follow-up``): per item, the owner's requests left unanswered, the open status rounds
that asked about it and its escalation still open — each by the rule that already decides it,
joined here, none decided again:

- a request is unanswered as the daily cycle counts it for the ``unanswered`` escalation
  (:attr:`governance.reminders.PromptFacts.unanswered`: a reminder from the due date on, to a
  contact asked now, queued after the latest update);
- a round's item is unanswered as ``regie round status`` says (``without_answer``);
- an escalation is open as the agenda pack puts it to the body
  (:func:`governance.agenda_asked.open_escalations`).

Pure: the reads are :mod:`regie.follow_up`'s; ``as_of`` explicit."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from governance.workdays import WorkCalendar

#: The sorts of the page (``sorteer=``) and of ``regie follow-up --sort``: the longest
#: waiting first (the default), by owner's name, by the plan's numbering.
SORTS = ("dagen", "eigenaar", "nummer")


@dataclass(frozen=True, slots=True)
class RoundAsk:
    """An open status round that asked about an item and has no answer for it."""

    round_id: int
    body: str  # the governance body's id
    started_on: date
    answer_by: date


@dataclass(frozen=True, slots=True)
class Chase:
    """One item whose owner the office still has to chase."""

    item_id: str
    owners: tuple[str, ...]
    contacts: tuple[str, ...]  # the contacts asked about it now (ids, sorted)
    #: The first request not answered (a reminder or a round's), or, of an item escalated
    #: without one left on record, the day of its escalation.
    asked_since: date
    last_asked: date
    reminders: int  # reminders (stages) left unanswered
    rounds: tuple[RoundAsk, ...]  # open rounds without its answer
    escalated_on: date | None  # its open escalation (the pack's rule), first raised that day
    escalated_to: tuple[str, ...]  # the contacts its escalations since then went to (sorted)
    waiting_days: int  # working days from ``asked_since`` to the day

    @property
    def requests(self) -> int:
        return self.reminders + len(self.rounds)


def chases(
    as_of: date,
    calendar: WorkCalendar,
    owners: Mapping[str, tuple[str, ...]],
    contacts: Mapping[str, Iterable[str]],
    unanswered: Mapping[str, Mapping[str, date]],
    rounds: Mapping[str, Sequence[RoundAsk]],
    open_escalations: Mapping[str, date],
    raised: Iterable[tuple[str, date, tuple[str, ...]]],
) -> list[Chase]:
    """The items to chase on ``as_of``, in the plan's numbering.

    ``owners``: item → its owners (ids); ``contacts``: item → the contacts asked about it now;
    ``unanswered``: item → stage → the first day it was queued, as the cycle's prompt facts
    give it (an escalated run's too: ``regie.follow_up`` reads those without the escalation);
    ``rounds``: item → the open rounds without its answer; ``open_escalations``: item → the
    day of its first escalation still open; ``raised``: every escalation raised (item, day,
    contacts it went to), for whom an open one reached."""
    reached: dict[str, set[str]] = {}
    for item_id, day, to in raised:
        since = open_escalations.get(item_id)
        if since is not None and since <= day <= as_of:
            reached.setdefault(item_id, set()).update(to)
    out = []
    for item_id in set(unanswered) | set(rounds) | set(open_escalations):
        if item_id not in owners:
            continue  # no longer in the plan as it stands: nothing to chase
        days = sorted(unanswered.get(item_id, {}).values())
        asks = tuple(rounds.get(item_id, ()))
        escalated = open_escalations.get(item_id)
        starts = [*days, *(r.started_on for r in asks)]
        if not starts and escalated is None:
            continue
        first = min(starts) if starts else escalated
        assert first is not None
        last = max(starts) if starts else first
        out.append(
            Chase(
                item_id,
                owners[item_id],
                tuple(sorted(contacts.get(item_id, ()))),
                first,
                last,
                len(days),
                asks,
                escalated,
                tuple(sorted(reached.get(item_id, ()))),
                calendar.working_days_between(first, as_of) if first < as_of else 0,
            )
        )
    return sorted(out, key=lambda c: item_order(c.item_id))


def item_order(item_id: str) -> tuple[tuple[int, str], ...]:
    """An item id as the plan orders it: 1.2.3 before 1.10.1 (a part that is no number, after)."""
    return tuple((int(p), "") if p.isdigit() else (1 << 30, p) for p in item_id.split("."))


def sorted_chases(rows: Sequence[Chase], sort: str, owner_names: Mapping[str, str]) -> list[Chase]:
    """``rows`` in the order ``sort`` names (:data:`SORTS`); ties by the plan's numbering.
    ``owner_names``: organisation id → its name (``eigenaar`` sorts by names, as people read
    them)."""

    def waiting(c: Chase) -> tuple[object, ...]:
        return (-c.waiting_days, c.asked_since, item_order(c.item_id))

    if sort == "eigenaar":

        def by_owner(c: Chase) -> tuple[object, ...]:
            names = ", ".join(owner_names.get(o, o) for o in c.owners).casefold()
            return (names == "", names, *waiting(c))

        return sorted(rows, key=by_owner)
    if sort == "nummer":
        return sorted(rows, key=lambda c: item_order(c.item_id))
    return sorted(rows, key=waiting)
