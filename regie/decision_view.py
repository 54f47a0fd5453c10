"""Every recorded decision, filtered, newest first: the office's *Besluiten* page and its CSV.

Read side only. The rows are :class:`regie.decisions.DecisionRow` (what ``regie decision
list`` shows), so the Dutch wording of a decision's effect has one source
(:attr:`~regie.decisions.DecisionRow.effect`). Filters come from the URL as text; a bad one
becomes one Dutch line naming its field and is ignored, as on the overview.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from regie.bootstrap import App
from regie.decisions import KIND_LABELS, DecisionRow

if TYPE_CHECKING:
    from governance.plan import Plan


@dataclass(frozen=True, slots=True)
class DecisionFilters:
    body: str | None = None
    meeting: date | None = None
    step: int | None = None
    effect: str | None = None  # a key of KIND_LABELS

    @property
    def used(self) -> int:
        return sum(v is not None for v in (self.body, self.meeting, self.step, self.effect))

    def query(self) -> str:
        """The filters as a query string (the CSV link keeps what the page shows)."""
        from urllib.parse import urlencode

        pairs = {
            "orgaan": self.body,
            "vergadering": self.meeting.isoformat() if self.meeting else None,
            "stap": str(self.step) if self.step is not None else None,
            "gevolg": self.effect,
        }
        return urlencode({k: v for k, v in pairs.items() if v is not None})


@dataclass(frozen=True, slots=True)
class DecisionView:
    rows: list[DecisionRow]  # those that pass the filters, newest meeting first
    total: int  # every recorded decision
    filters: DecisionFilters
    problems: list[str]  # Dutch, one per bad filter (the filter is then ignored)
    bodies: list[tuple[str, str]]  # (id, name): the plan's bodies and any with a decision
    meetings: list[tuple[date, str]]  # (day, the bodies' names) with a decision, newest first
    steps: list[tuple[int, str]]
    effects: list[tuple[str, str]]  # (kind, Dutch label)
    step_of: dict[str, int]  # item id → its step, for the items still in the plan
    linked: frozenset[str]  # the items that have a page (still in the plan)
    #: The office's time zone (REGIE_TIMEZONE, else the plan's): the CSV's *Vastgelegd op*.
    zone: str = "UTC"


def _item_steps(plan: Plan) -> dict[str, int]:
    steps = {}
    for step in plan.steps:
        for action in step.actions:
            steps[action.id] = step.number
            for milestone in action.milestones:
                steps[milestone.id] = step.number
    return steps


def parse_filters(
    plan: Plan, rows: list[DecisionRow], body: str, meeting: str, step: str, effect: str
) -> tuple[DecisionFilters, list[str]]:
    """The filters from the URL's text; a bad value becomes a Dutch line naming the field."""
    from regie.texts import filter_text

    problems: list[str] = []
    known_bodies = {b.id for b in plan.governance} | {r.body_id for r in rows}
    body_ok = body if body in known_bodies else None
    if body and body_ok is None:
        problems.append(filter_text("unknown_body", body))
    meeting_ok = None
    if meeting:
        try:
            # Only JJJJ-MM-DD: fromisoformat reads ISO week dates too (2016-W02-1).
            day = re.fullmatch(r"\d{4}-\d{2}-\d{2}", meeting, re.ASCII)
            meeting_ok = date.fromisoformat(meeting) if day else None
        except ValueError:
            meeting_ok = None
        if meeting_ok is None:
            problems.append(filter_text("not_a_date", meeting))
    step_ok = None
    if step:
        if step.isascii() and step.isdigit() and int(step) in {s.number for s in plan.steps}:
            step_ok = int(step)
        else:
            problems.append(filter_text("unknown_step", step))
    effect_ok = effect if effect in KIND_LABELS else None
    if effect and effect_ok is None:
        problems.append(filter_text("unknown_effect", effect))
    return DecisionFilters(body_ok, meeting_ok, step_ok, effect_ok), problems


def decision_view(
    app: App, body: str = "", meeting: str = "", step: str = "", effect: str = ""
) -> DecisionView:
    """The decisions that pass the filters, newest meeting first (within a meeting, the one
    recorded last first), with the choices the filter form offers."""
    from regie.decisions import decision_rows
    from regie.history import decisions_recorded
    from regie.plan_cache import current_plan

    plan, _ = current_plan(app)
    names = {b.id: b.name for b in plan.governance}
    # All of them: a restore is told from the decisions before it (decision_rows).
    every = decision_rows(decisions_recorded(app, None), names)
    every.sort(key=lambda r: (r.meeting_on, r.id or 0), reverse=True)
    filters, problems = parse_filters(plan, every, body, meeting, step, effect)
    step_of = _item_steps(plan)
    rows = [
        r
        for r in every
        if (filters.body is None or r.body_id == filters.body)
        and (filters.meeting is None or r.meeting_on == filters.meeting)
        and (filters.step is None or step_of.get(r.item_id or "") == filters.step)
        and (filters.effect is None or r.kind == filters.effect)
    ]
    bodies = dict(names)
    for r in every:  # a body since removed from the plan keeps its decisions
        bodies.setdefault(r.body_id, r.body_name)
    meetings: dict[date, list[str]] = {}
    for r in every:
        if filters.body is None or r.body_id == filters.body:
            held = meetings.setdefault(r.meeting_on, [])
            if r.body_name not in held:
                held.append(r.body_name)
    if filters.meeting is not None:  # the chosen one stays a choice, whatever the body
        meetings.setdefault(filters.meeting, [])
    return DecisionView(
        rows=rows,
        total=len(every),
        filters=filters,
        problems=problems,
        bodies=sorted(bodies.items(), key=lambda b: b[1].casefold()),
        meetings=[(d, ", ".join(n)) for d, n in sorted(meetings.items(), reverse=True)],
        steps=[(s.number, s.title) for s in plan.steps],
        effects=list(KIND_LABELS.items()),
        step_of=step_of,
        linked=frozenset(step_of),
        zone=app.settings.timezone or plan.calendar.timezone,
    )


#: The CSV's columns (Dutch: the office opens it in a spreadsheet). *Soort* is the kind as
#: the page's filter names it; *Code soort* the same as a fixed code (``cancel``,
#: ``set_gereed``, …: the page's ``gevolg=`` filter) for scripts that sort or count by it.
#: *Vastgelegd op* in the office's zone (the header names it), then the same moment in UTC
#: with its ``Z``: the local autumn hour happens twice, the UTC one never.
CSV_HEADER = (
    "Vergadering", "Orgaan", "Stap", "Onderdeel", "Besluit", "Gevolg", "Soort",
    "Gereed voor", "Gereed na", "Vastgelegd op", "Vastgelegd op (UTC)", "Vastgelegd door",
    "Code soort",
)  # fmt: skip


def decisions_csv(view: DecisionView) -> bytes:
    """The filtered list as a spreadsheet opens it (:func:`regie.sheet_csv.sheet`): a decision
    text starting with ``=`` is not a formula."""
    from regie.sheet_csv import cell, sheet

    # When recorded, in the office's zone (named in the header, so the cells stay plain
    # date-times a spreadsheet reads): a decision typed in at 00:30 is on the office's day.
    recorded_col = CSV_HEADER.index("Vastgelegd op")
    header = (h if n != recorded_col else f"{h} ({view.zone})" for n, h in enumerate(CSV_HEADER))

    def row(r: DecisionRow) -> tuple[str, ...]:
        step = view.step_of.get(r.item_id or "")
        recorded = _local(r.recorded_at, view.zone) if r.recorded_at else ""
        in_utc = _utc(r.recorded_at) if r.recorded_at else ""
        return (
            r.meeting_on.isoformat(), cell(r.body_name), "" if step is None else str(step),
            cell(r.item_id), cell(r.text), cell(r.effect), cell(r.label),
            cell(r.gereed_before), cell(r.gereed_after), recorded, in_utc,
            cell(r.recorded_by), cell(r.kind),
        )  # fmt: skip

    return sheet(header, map(row, view.rows))


def _local(at: datetime, zone: str) -> str:
    from zoneinfo import ZoneInfo

    return _aware(at).astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M:%S")


def _utc(at: datetime) -> str:
    return _aware(at).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)  # SQLite's are naive UTC
