"""A synthetic programme for benchmarks: a large plan and a history of status updates.

Deterministic for a given size and seed. The plan has steps → actions → milestones with the
period mix of a real plan van aanpak (quarters, months, seasons, years, ranges, exact dates,
open-ended, recurring, Ntb and a few dependent items), owners from 20 organisations, and some
action-level *gereed* dates. Every *gereed* text goes through :func:`parse_period`, as the plan
loader's would.

Status updates are spread over 2015–2020 around each item's period: on track, at risk with a
forecast, done (sometimes with an earlier completion date) and the odd cancellation. A few are
backfilled (recorded long after the day they count for) and a few tie on (reported_on,
recorded_at) with the previous one, so the ordering rules of the assessment are exercised.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from pathlib import Path

from governance.periods import Period, PeriodKind, parse_period
from governance.plan import Action, Contact, Milestone, Organisation, Plan, Programme, Step

#: Bump when the generated data changes, so cached benchmark databases are rebuilt.
GENERATOR_VERSION = 1

PROGRAMME_ID = "bench"
FIRST_DAY = date(2015, 1, 1)
LAST_DAY = date(2020, 12, 31)
YEARS = tuple(range(2015, 2021))
ORGANISATIONS = 20
STEPS = 10
MILESTONES_PER_ACTION = 10

_MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
_LONG_MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip
_SEASONS = ("Voorjaar", "Zomer", "Najaar", "Winter")
#: (kind, weight): how often each kind of *gereed* text occurs (dependent ones are separate).
_KIND_WEIGHTS = (
    ("quarter", 28),
    ("month", 20),
    ("season", 10),
    ("year", 8),
    ("half", 4),
    ("date", 6),
    ("range", 6),
    ("open", 6),
    ("recurring", 3),
    ("tbd", 4),
)
DEPENDENT_SHARE = 0.005  # half a percent of the milestones: "a few"
ACTION_GEREED_SHARE = 0.1  # actions with their own Gereed beside their milestones
_COMMENTS = (
    "Loopt volgens planning.",
    "Afstemming met de partners loopt nog.",
    "Wacht op besluit van de stuurgroep.",
    "Opgeleverd aan de opdrachtgever.",
)
_SOURCES = ("cli", "slack", "email", "web")
_Outcome = tuple[str, date | None, date | None]  # status, forecast, completed_on


@dataclass(frozen=True, slots=True)
class UpdateRow:
    """One status update as it goes into ``status_updates`` (insertion order = id order)."""

    item_code: str
    status: str
    reported_on: date
    forecast: date | None
    completed_on: date | None
    comment: str | None
    author: str | None
    source: str
    recorded_at: datetime


@cache
def _period(text: str) -> Period:
    return parse_period(text)


def _gereed(rng: random.Random, base_year: int) -> str:
    """A *gereed* text around ``base_year`` (kinds weighted as in ``_KIND_WEIGHTS``)."""
    kinds, weights = zip(*_KIND_WEIGHTS, strict=True)
    kind = rng.choices(kinds, weights)[0]
    y = min(YEARS[-1], base_year + rng.choice((0, 0, 0, 1)))
    if kind == "quarter":
        return f"Q{rng.randint(1, 4)}-{y}"
    if kind == "month":
        return f"{rng.choice(_MONTHS).capitalize()} {y}"
    if kind == "season":
        return f"{rng.choice(_SEASONS)} {y if y < YEARS[-1] else y - 1}"
    if kind == "year":
        return str(y)
    if kind == "half":
        return f"H{rng.randint(1, 2)} {y}"
    if kind == "date":
        return f"{rng.randint(1, 28)} {rng.choice(_LONG_MONTHS)} {y}"
    if kind == "range":
        first = rng.randint(1, 4)
        last_year = min(YEARS[-1], y + rng.randint(0, 1))
        last = rng.randint(first if last_year == y else 1, 4)
        return f"Q{first}-{y}/Q{last}-{last_year}"
    if kind == "open":
        return rng.choice((f"Vanaf {y}", f"{y} e.v.", f"{y} en verder"))
    return "Periodiek" if kind == "recurring" else "Ntb"


def build_plan(milestones: int = 100_000, seed: int = 2015) -> Plan:
    """A plan with about ``milestones`` milestones: 10 steps × N actions × 10 milestones."""
    rng = random.Random(seed)
    orgs = tuple(
        Organisation(f"org{i:02d}", f"Organisatie {i:02d}", kind="ministry" if i < 8 else "agency")
        for i in range(1, ORGANISATIONS + 1)
    )
    contacts = tuple(
        Contact(f"c-{o.id}", f"Contactpersoon {o.id}", o.id, email=f"{o.id}@example.org")
        for o in orgs
    )
    per_step = max(1, milestones // (STEPS * MILESTONES_PER_ACTION))
    earlier_actions: list[Action] = []
    steps: list[Step] = []
    for s in range(1, STEPS + 1):
        actions: list[Action] = []
        for a in range(1, per_step + 1):
            action = _action(rng, s, a, orgs, earlier_actions)
            actions.append(action)
            earlier_actions.append(action)
        steps.append(Step(s, f"Stap {s}", tuple(actions), goal=f"Doel van stap {s}"))
    programme = Programme(
        PROGRAMME_ID, "Synthetisch programma", "Bench", start=FIRST_DAY, end=LAST_DAY
    )
    return Plan(programme, tuple(steps), orgs, contacts)


def _action(
    rng: random.Random,
    step: int,
    number: int,
    orgs: tuple[Organisation, ...],
    earlier: list[Action],
) -> Action:
    code = f"{step}.{number}"
    owners = tuple(o.id for o in rng.sample(orgs, rng.choice((1, 1, 2))))
    base_year = rng.choice(YEARS)
    items: list[Milestone] = []
    for m in range(1, MILESTONES_PER_ACTION + 1):
        mid = f"{code}.{m}"
        own = (rng.choice(orgs).id,) if rng.random() < 0.1 else owners
        if earlier and rng.random() < DEPENDENT_SHARE:
            target = rng.choice(earlier[-50:])  # a recent earlier action, or one of its items
            dep = target.id if rng.random() < 0.4 else rng.choice(target.milestones).id
            text = f"Afhankelijk van {dep}"
            items.append(Milestone(mid, code, f"Mijlpaal {mid}", text, _period(text), own, (dep,)))
            continue
        text = _gereed(rng, base_year)
        items.append(Milestone(mid, code, f"Mijlpaal {mid}", text, _period(text), own))
    gereed = None
    if rng.random() < ACTION_GEREED_SHARE:
        gereed = str(min(YEARS[-1], base_year + 1))
    return Action(
        code,
        step,
        f"Actie {code}",
        owners,
        gereed,
        _period(gereed) if gereed else None,
        tuple(items),
    )


# --- status updates ----------------------------------------------------------------------------


def _window(period: Period | None) -> tuple[date, date, date | None]:
    """The days updates about an item fall on, and its due date (None when undated)."""
    if period is None or period.end is None or period.kind is PeriodKind.DEPENDENT:
        start = period.start if period is not None and period.start else FIRST_DAY
        return max(FIRST_DAY, start - timedelta(days=60)), LAST_DAY, None
    lo = (period.start or period.end) - timedelta(days=120)
    hi = period.end + timedelta(days=240)
    return max(FIRST_DAY, lo), min(LAST_DAY, hi), period.end


def _update(rng: random.Random, day: date, due: date | None) -> _Outcome:
    """What an update reported on ``day`` says about an item due on ``due``."""
    r = rng.random()
    if due is None:
        if r < 0.7:
            return "on_track", None, None
        if r < 0.9:
            return "at_risk", None, None
        return "done", None, None
    if day <= due:
        if r < 0.65:
            return "on_track", None, None
        if r < 0.72:
            return "on_track", due, None
        if r < 0.95:
            return "at_risk", due + timedelta(days=rng.randint(-5, 200)), None
        return "done", None, None
    if r < 0.5:
        late = rng.random() < 0.5
        return "done", None, day - timedelta(days=rng.randint(0, 15)) if late else None
    if r < 0.75:
        return "at_risk", day + timedelta(days=rng.randint(-20, 180)), None
    if r < 0.97:
        return "on_track", None, None
    return "cancelled", None, None


def generate_updates(plan: Plan, count: int = 1_000_000, seed: int = 2020) -> list[UpdateRow]:
    """``count`` status updates over the plan's deadlines, in the order they were recorded."""
    rng = random.Random(seed)
    deadlines = plan.deadlines()
    # About one item in twelve never gets an update.
    weights = [0 if rng.random() < 0.08 else 1 for _ in deadlines]
    per_item = Counter(rng.choices(range(len(deadlines)), weights, k=count))
    authors = {o.id: f"c-{o.id}" for o in plan.organisations}
    rows: list[UpdateRow] = []
    for index in sorted(per_item):
        d = deadlines[index]
        lo, hi, due = _window(d.period)
        span = (hi - lo).days
        author = authors.get(d.owners[0]) if d.owners else None
        days = sorted(lo + timedelta(days=rng.randint(0, span)) for _ in range(per_item[index]))
        previous: UpdateRow | None = None
        for day in days:
            status, forecast, completed = _update(rng, day, due)
            at = datetime.combine(day, time(8 + rng.randint(0, 9), rng.randint(0, 59)), UTC)
            if rng.random() < 0.04:  # backfilled: recorded well after the day it counts for
                at += timedelta(days=rng.randint(1, 60))
            if previous is not None and rng.random() < 0.02:  # an exact tie: id decides
                day, at = previous.reported_on, previous.recorded_at
            comment = rng.choice(_COMMENTS) if rng.random() < 0.2 else None
            source = rng.choice(_SOURCES)
            previous = UpdateRow(
                d.item_id, status, day, forecast, completed, comment, author, source, at
            )
            rows.append(previous)
    rows.sort(key=lambda u: u.recorded_at)  # stable: tied rows keep their order, ids follow it
    return rows


# --- the plan as a file --------------------------------------------------------------------------


def write_yaml(plan: Plan, path: Path) -> None:
    """``plan`` as a plan file (docs/plan-schema.md): what `regie plan validate` reads."""
    q = json.dumps  # a JSON string is a valid YAML double-quoted scalar
    lines = [
        "schema: 1",
        "programme:",
        f"  id: {q(plan.programme.id)}",
        f"  title: {q(plan.programme.title)}",
        f"  start: {plan.programme.start}",
        f"  end: {plan.programme.end}",
        "organisations:",
    ]
    for o in plan.organisations:
        lines += [f"  - id: {q(o.id)}", f"    name: {q(o.name)}"]
    lines.append("contacts:")
    for c in plan.contacts:
        lines += [
            f"  - id: {q(c.id)}",
            f"    name: {q(c.name)}",
            f"    organisation: {q(c.organisation)}",
            f"    email: {q(c.email)}",
        ]
    lines.append("steps:")
    for s in plan.steps:
        lines += [f"  - number: {s.number}", f"    title: {q(s.title)}", "    actions:"]
        for a in s.actions:
            lines += [
                f"      - id: {q(a.id)}",
                f"        title: {q(a.title)}",
                f"        owners: [{', '.join(q(o) for o in a.owners)}]",
            ]
            if a.gereed:
                lines.append(f"        gereed: {q(a.gereed)}")
            lines.append("        milestones:")
            for m in a.milestones:
                lines += [
                    f"          - id: {q(m.id)}",
                    f"            title: {q(m.title)}",
                    f"            gereed: {q(m.gereed)}",
                ]
                if m.owners != a.owners:
                    lines.append(f"            owners: [{', '.join(q(o) for o in m.owners)}]")
                if m.depends_on:
                    lines.append(
                        f"            depends_on: [{', '.join(q(d) for d in m.depends_on)}]"
                    )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
