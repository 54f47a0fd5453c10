"""Build :class:`Plan` objects in code for unit tests (no YAML loader, no period parser).

Periods are built directly with an explicit kind, start and end::

    plan = make_plan(
        act("1.1", ms("1.1.1", quarter(2015, 3)), ms("1.1.2", dependent(), depends_on=("1.1.1",))),
        contacts=(contact("ann", "IenM"), contact("po", "IenM", office=True)),
    )
"""

from __future__ import annotations

import calendar as _calendar
import dataclasses
import itertools
from dataclasses import dataclass
from datetime import date
from typing import Any

from governance.periods import Period, PeriodKind
from governance.plan import (
    Action,
    Contact,
    Milestone,
    Organisation,
    Plan,
    Programme,
    ReminderPolicy,
    Step,
)
from governance.planfile.idem import resolve_same_as
from governance.updates import StatusUpdate, UpdateStatus

# --- periods ---------------------------------------------------------------------------------


def on(day: date, text: str | None = None) -> Period:
    return Period(PeriodKind.DATE, text or day.isoformat(), day, day)


def quarter(year: int, q: int) -> Period:
    first = 3 * (q - 1) + 1
    last = first + 2
    end = date(year, last, _calendar.monthrange(year, last)[1])
    return Period(PeriodKind.QUARTER, f"Q{q}-{year}", date(year, first, 1), end)


def month(year: int, m: int) -> Period:
    end = date(year, m, _calendar.monthrange(year, m)[1])
    return Period(PeriodKind.MONTH, f"{year}-{m:02d}", date(year, m, 1), end)


def whole_year(year: int) -> Period:
    return Period(PeriodKind.YEAR, str(year), date(year, 1, 1), date(year, 12, 31))


def from_(start: date, text: str | None = None) -> Period:
    return Period(PeriodKind.OPEN_ENDED, text or f"Vanaf {start.year}", start, None)


def recurring() -> Period:
    return Period(PeriodKind.RECURRING, "Periodiek")


def tbd() -> Period:
    return Period(PeriodKind.TBD, "Ntb")


def dependent(text: str = "Afhankelijk van overleg") -> Period:
    return Period(PeriodKind.DEPENDENT, text)


def idem(above: Period, same_as: str) -> Period:
    """``idem`` as the loader resolves it: the row above's period with the text ``idem``."""
    return Period(above.kind, "idem", above.start, above.end, same_as=same_as)


# --- plan ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MilestoneSpec:
    id: str
    period: Period | None
    title: str | None
    owners: tuple[str, ...] | None
    depends_on: tuple[str, ...]


def ms(
    id: str,
    period: Period | None = None,
    *,
    title: str | None = None,
    owners: tuple[str, ...] | None = None,
    depends_on: tuple[str, ...] = (),
) -> MilestoneSpec:
    return MilestoneSpec(id, period, title, owners, depends_on)


def act(
    id: str,
    *milestones: MilestoneSpec,
    period: Period | None = None,
    owners: tuple[str, ...] = ("IenM",),
    depends_on: tuple[str, ...] = (),
    title: str | None = None,
) -> Action:
    """An action; its step is the number before the first dot of ``id``."""
    built = tuple(
        Milestone(
            id=m.id,
            action_id=id,
            title=m.title or f"Mijlpaal {m.id}",
            gereed=m.period.text if m.period else None,
            period=m.period,
            owners=m.owners or owners,
            depends_on=m.depends_on,
        )
        for m in milestones
    )
    return Action(
        id=id,
        step=int(id.split(".")[0]),
        title=title or f"Actie {id}",
        owners=owners,
        gereed=period.text if period else None,
        period=period,
        milestones=built,
        depends_on=depends_on,
    )


def contact(id: str, organisation: str, *, office: bool = False) -> Contact:
    return Contact(id, id.title(), organisation, email=f"{id}@example.org", programme_office=office)


def make_plan(
    *actions: Action,
    contacts: tuple[Contact, ...] = (),
    reminders: ReminderPolicy | None = None,
    start: date | None = date(2015, 1, 1),
) -> Plan:
    """A plan with steps grouped from the action ids and every owner as an organisation."""
    steps: dict[int, list[Action]] = {}
    for a in actions:
        steps.setdefault(a.step, []).append(a)
    orgs: dict[str, None] = {}
    for a in actions:
        orgs.update(dict.fromkeys(a.owners))
        for m in a.milestones:
            orgs.update(dict.fromkeys(m.owners))
    for c in contacts:
        orgs.setdefault(c.organisation)
    # As the loader does: a plan never reaches the assessment with an unresolved ``idem``.
    return resolve_same_as(
        Plan(
            programme=Programme("test", "Testprogramma", start=start),
            steps=tuple(Step(n, f"Stap {n}", tuple(group)) for n, group in sorted(steps.items())),
            organisations=tuple(Organisation(o, o) for o in orgs),
            contacts=contacts,
            reminders=reminders or ReminderPolicy(),
        )
    )


def policy(**overrides: Any) -> ReminderPolicy:
    """The default reminder policy with some fields changed."""
    return dataclasses.replace(ReminderPolicy(), **overrides)


# --- status updates --------------------------------------------------------------------------


class Updates:
    """Status updates with increasing ids, as a store would number them."""

    def __init__(self) -> None:
        self._ids = itertools.count(1)
        self.all: list[StatusUpdate] = []

    def add(
        self,
        item_id: str,
        status: UpdateStatus | str,
        reported_on: date,
        *,
        forecast: date | None = None,
        completed_on: date | None = None,
    ) -> StatusUpdate:
        update = StatusUpdate(
            item_id,
            UpdateStatus(status),
            reported_on,
            forecast=forecast,
            completed_on=completed_on,
            id=next(self._ids),
        )
        self.all.append(update)
        return update
