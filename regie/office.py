"""The programme office's web page: overview (step → action → item), overdue list, item history.

Reads the plan (cached per file version), assesses it against the store for ``as_of`` and hands
plain rows to the templates. The assessment is kept while nothing new is recorded (same day,
plan version and store watermarks), so paging through filters does not reassess.
"""

from __future__ import annotations

import contextlib
import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from regie.bootstrap import App

# The item page's reminder rows live in regie.item_reminders (re-exported: they were here).
from regie.item_reminders import ReminderRow as ReminderRow

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sqlalchemy.orm import Session

    from governance.assessment import Assessment, ItemAssessment
    from governance.plan import Plan
    from governance.programme_end import EndView
    from store.feeds import ArchivedItem
    from store.records import Revision, StoredEvent

PAGE_SIZE = 250  # items per overview page: a 10,000-item programme stays a readable page
#: The value of the *verouderd* checkbox (``?verouderd=ja``).
STALE_ON = "ja"


@dataclass(frozen=True, slots=True)
class ItemRow:
    id: str
    level: str
    title: str
    state: str
    rag: str
    due: date | None
    gereed: str | None
    owners: tuple[str, ...]  # organisation ids (the filters')
    owner_names: tuple[str, ...]  # as people read them: ``short_name``, else ``name``
    forecast: date | None
    note: str | None
    reported_on: date | None
    stale: bool
    waiting_on: tuple[str, ...]
    overdue_days: int
    #: Ongoing work whose start is still ahead (walk54 8): *nog niet gestart*, not *doorlopend*.
    not_started: bool = False
    #: Open and due after the programme's end (walk55d 6, as `regie status` marks it ``!``).
    after_end: bool = False
    #: A dependent item's predecessors that were cancelled, not delivered (walk55d 1): it has
    #: no date until the body sets one.
    cancelled_predecessors: tuple[str, ...] = ()
    #: A finished item's day (done or cancelled), as ``regie status`` prints it (walk57c 2).
    completed_on: date | None = None


@dataclass(slots=True)
class ActionView:
    id: str
    title: str
    items: list[ItemRow] = field(default_factory=list)


@dataclass(slots=True)
class StepView:
    number: int
    title: str
    actions: list[ActionView] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Filters:
    owner: str | None = None
    step: int | None = None
    state: str | None = None
    #: Only items without a recent status update (*verouderd*, walk57c 10).
    stale: bool = False

    def query(self, **more: str) -> str:
        """The filters as a URL query (``eigenaar=…&stap=…``), ``more`` after them: the links
        of a page keep its filters."""
        from urllib.parse import urlencode

        pairs = {
            "eigenaar": self.owner or "",
            "stap": "" if self.step is None else str(self.step),
            "status": self.state or "",
            "verouderd": STALE_ON if self.stale else "",
            **more,
        }
        return urlencode({k: v for k, v in pairs.items() if v})


@dataclass(frozen=True, slots=True)
class Overview:
    as_of: date
    programme: str
    steps: list[StepView]
    shown: int
    total: int
    owners: list[tuple[str, str]]  # (id, name) for the filter
    step_choices: list[tuple[int, str]]
    states: list[tuple[str, str]]  # (key, Dutch label) for the filter
    problems: list[str]  # Dutch, one per bad filter (the filter is then ignored)
    filters: Filters
    page: int = 1
    pages: int = 1
    matched: int = 0
    asked_page: int | None = None  # a page beyond the last that was asked for (then the last)
    #: The programme's end as the page tells it (walk55d 6); None: a page made without it.
    end: EndView | None = None


@dataclass(frozen=True, slots=True)
class ItemDetail:
    as_of: date
    programme: str
    row: ItemRow
    action: str
    step: str
    revisions: list[Revision]
    updates: list[Any]  # StatusUpdate, newest first
    events: list[StoredEvent]
    reminders: list[ReminderRow]
    #: Per update (same order): the office's day it was recorded when it came in late
    #: (*nagekomen*, :func:`governance.agenda.recorded_late`), else None.
    late: list[date | None] = field(default_factory=list)
    #: The plan's end, named where the item's deadline falls after it (walk55d 6).
    programme_end: date | None = None
    #: The office's day the item left the plan (archived by a sync, or gone from the file
    #: since the last one): the page shows it read-only with its history; None: in the plan.
    left_on: date | None = None
    #: The id that took over the item's history when the plan renumbered it (``formerly``,
    #: walk55a 5): the page of the old number names the new one. None: not renumbered.
    renumbered_to: str | None = None
    #: Per update (same order): who in the office typed it in, on the office's channels
    #: (:func:`regie.history.office_recorder`, as ``regie status ITEM`` names them), else None.
    typed_in_by: list[str | None] = field(default_factory=list)


def _assessment(app: App, as_of: date) -> tuple[Plan, Assessment]:
    from regie.plan_cache import current_plan

    plan, version = current_plan(app)
    with app.session() as session:
        return plan, shared_assessment(app, session, plan, as_of, version)


def shared_assessment(
    app: App, session: Session, plan: Plan, as_of: date, version: str | None = None
) -> Assessment:
    """The assessment for ``as_of``, computed once per (plan version, store watermarks) and
    shared by the office pages and the feeds: one assessment per change, not one per reader.
    After new status updates on the same day and plan, only the items they touch (and those
    depending on them) are judged again (:mod:`governance.reassess`)."""
    from regie.plan_cache import cached_facts, plan_version
    from store.feeds import watermarks

    pid = plan.programme.id
    # The version ``plan`` was read at: stat-ing the file again here could file an old plan's
    # assessment under a newer file's version (the warmer runs this every second).
    key = ("assessment", as_of, version or plan_version(app), watermarks(session, pid))
    facts = cached_facts(key, pid, lambda: _assess(app, session, plan, key))
    assessment: Assessment = facts["assessment"]
    return assessment


def _assess(app: App, session: Session, plan: Plan, key: tuple[Any, ...]) -> dict[str, Any]:
    """Facts for :func:`shared_assessment`: the assessment and ``seen``, an update id up to
    which every update was visible when it was read (:func:`store.memory.newest_update_id`,
    read first: on PostgreSQL ids can commit out of order). The memory is per programme: it
    is built on only for the same database (tests, and tools, open several), not when its
    newest update went back (a database restored from a backup)."""
    from governance.assessment import assess
    from governance.reassess import affected, reassess
    from regie.plan_cache import plan_index, previous_facts
    from store.assessment_query import assessment_updates
    from store.first_assessed import first_assessed_days, first_days_mark
    from store.memory import newest_update_id, updated_items

    pid = plan.programme.id
    index, calendar = plan_index(plan)
    before_key, before = previous_facts(pid, "assessment")
    store, as_of = store_identity(app), key[1]
    seen = 0
    # A redacted note (the 5th watermark) changed an update in place: assess afresh. So do
    # other first assessed days (a cycle of an earlier day, a replay): every stale flag may move.
    # Their mark, not every row: the rows are read only for a full assessment (review51 6).
    marks = before_key[3] if len(before_key) > 3 else None
    same_notes = isinstance(marks, tuple) and marks[4:] == key[3][4:]
    first_mark = first_days_mark(session, pid)
    same_first = before.get("first_mark") == first_mark
    if before_key[1:3] == key[1:3] and before.get("store") == store and same_notes and same_first:
        seen = newest_update_id(session, before["seen"])
    if seen and seen >= before["seen"]:
        updated = updated_items(
            session, pid, after_id=before["seen"], after_day=as_of, through=as_of
        )
        chosen, needed = affected(index, updated)
        updates = assessment_updates(session, pid, as_of, needed) if chosen else []
        assessment = reassess(before["assessment"], index, chosen, updates, calendar)
    else:
        seen = newest_update_id(session)
        first = first_assessed_days(session, pid)  # after its mark: a newer read is safe
        updates = assessment_updates(session, pid, as_of)
        assessment = assess(
            plan, updates, as_of, calendar=calendar, index=index, first_assessed=first
        )
    return {"assessment": assessment, "seen": seen, "store": store, "first_mark": first_mark}


def store_identity(app: App) -> str:
    """Which database facts were read from, for a cache to tell databases apart (tests and
    tools open several): a SHA-256 of its URL, never the URL, which may hold a password."""
    return hashlib.sha256(app.settings.database_url.encode()).hexdigest()


def today(app: App) -> date:
    from regie.plan_cache import current_plan
    from regie.services import today as business_date

    return business_date(app, current_plan(app)[0])


def _row(
    item: ItemAssessment,
    plan: Plan,
    as_of: date,
    due: date | None = None,
    forecasts: dict[str, date | None] | None = None,
) -> ItemRow:
    """``due``: a finished item's deadline while it was open (:func:`_finished_deadlines`);
    ``forecasts``: the forecasts in force (:func:`_forecasts`: an item left out has none)."""
    from governance.item_start import not_started
    from governance.programme_end import past_end

    latest = item.latest_update
    return ItemRow(
        id=item.item_id,
        level=item.level.value,
        title=item.title,
        state=item.state.value,
        rag=item.rag.value,
        due=item.due or due,
        gereed=item.gereed,
        owners=item.owners,
        owner_names=tuple(plan.owner_names(item.owners)),
        forecast=(forecasts or {}).get(item.item_id),
        note=latest.comment if latest else None,
        reported_on=latest.reported_on if latest else None,
        stale=item.stale,
        waiting_on=item.waiting_on,
        overdue_days=item.working_days_overdue,
        not_started=not_started(item, as_of),
        after_end=past_end(item, plan.programme.end),
        cancelled_predecessors=item.cancelled_predecessors,
        completed_on=item.completed_on,
    )


def _finished_deadlines(plan: Plan, assessment: Assessment, ids: list[str]) -> dict[str, date]:
    """The deadline each finished item among ``ids`` had while open, as the reports show it."""
    from governance.agenda import finished_deadlines
    from regie.plan_cache import plan_index

    index, calendar = plan_index(plan)
    return finished_deadlines(plan, assessment, ids, index=index, calendar=calendar)


def _forecasts(
    app: App, plan: Plan, items: list[ItemAssessment], as_of: date
) -> dict[str, date | None]:
    """The owner's forecasts in force among ``items`` (walk55a 2: not one a finished item or
    a later decision or plan-file edit supersedes), as the reports show them."""
    from regie.forecasts import forecasts_in_force

    if not any(i.forecast is not None for i in items):
        return {}
    with app.session() as session:
        return forecasts_in_force(session, plan, items, as_of)


def page_of(text: str, pages: int) -> tuple[int, int | None]:
    """The page to show for ``pagina=text`` and, when it was beyond the last, the number asked
    for: the last page is shown then. A list shrinks as items are answered, so a page number
    from a bookmark or an earlier visit may no longer exist; the last page is what was near."""
    ok = text.isascii() and text.isdigit() and len(text) <= 9  # int() of "²" or 5000 digits fails
    number = int(text) if ok and int(text) > 0 else 1
    return (number, None) if number <= pages else (pages, number)


def parse_filters(
    plan: Plan, owner: str, step: str, state: str, stale: str = ""
) -> tuple[Filters, list[str]]:
    """Filters from the URL; a bad one becomes a Dutch message naming the field, and is ignored."""
    from governance.labels import filter_key
    from regie.texts import filter_text

    problems: list[str] = []
    owner_ok = owner if owner and plan.organisation(owner) is not None else None
    if owner and owner_ok is None:
        problems.append(filter_text("unknown_owner", owner))
    step_ok = None
    if step:
        if step.isdigit() and int(step) in {s.number for s in plan.steps}:
            step_ok = int(step)
        else:
            problems.append(filter_text("unknown_step", step))
    state_ok = filter_key(state) if state else None
    if state and state_ok is None:
        problems.append(filter_text("unknown_state", state))
    if stale not in ("", STALE_ON):
        problems.append(filter_text("not_stale_flag", stale))
    return Filters(owner_ok, step_ok, state_ok, stale == STALE_ON), problems


def _selected(items: Iterable[ItemAssessment], filters: Filters, as_of: date) -> list[Any]:
    """The items the filters let through (the overview's and the overdue list's alike)."""
    from governance.item_start import shows_as

    return [
        item
        for item in items
        if not (filters.owner and filters.owner not in item.owners)
        and not (filters.step is not None and item.step != filters.step)
        # As the rows name the item: *doorlopend* is not *nog niet gestart* (walk54 8).
        and not (filters.state and not shows_as(item, filters.state, as_of))
        and not (filters.stale and not item.stale)
    ]


def overview(
    app: App, as_of: date, owner: str = "", step: str = "", state: str = "", page: str = "",
    stale: str = "",
) -> Overview:  # fmt: skip
    from governance.labels import FILTER_LABELS
    from governance.programme_end import end_view

    plan, assessment = _assessment(app, as_of)
    filters, problems = parse_filters(plan, owner, step, state, stale)
    selected = _selected(assessment.items.values(), filters, as_of)
    pages = max(1, -(-len(selected) // PAGE_SIZE))
    number, asked = page_of(page, pages)
    shown = selected[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
    dues = _finished_deadlines(plan, assessment, [i.item_id for i in shown])
    forecasts = _forecasts(app, plan, shown, as_of)
    titles = {a.id: a.title for a in plan.actions()}
    steps: dict[int, StepView] = {s.number: StepView(s.number, s.title) for s in plan.steps}
    actions: dict[str, ActionView] = {}
    for item in shown:
        view = actions.get(item.action_id)
        if view is None:
            view = actions[item.action_id] = ActionView(item.action_id, titles[item.action_id])
            steps[item.step].actions.append(view)
        view.items.append(_row(item, plan, as_of, dues.get(item.item_id), forecasts))
    return Overview(
        as_of=as_of,
        programme=plan.programme.short_title or plan.programme.title,
        steps=[s for s in steps.values() if s.actions],
        shown=len(shown),
        total=len(assessment.items),
        owners=[(o.id, o.label) for o in plan.organisations],
        step_choices=[(s.number, s.title) for s in plan.steps],
        states=list(FILTER_LABELS.items()),
        problems=problems,
        filters=filters,
        page=number,
        pages=pages,
        matched=len(selected),
        asked_page=asked,
        end=end_view(assessment.items.values(), plan.programme.end, as_of),
    )


@dataclass(frozen=True, slots=True)
class OverdueView:
    as_of: date
    programme: str
    rows: list[ItemRow]  # this page, in the order asked for (longest overdue first)
    total: int  # overdue items in the whole programme
    per_step: list[tuple[int, str, int]]  # (step, title, overdue count), every step with any
    step: int | None  # the step filter, if any
    matched: int
    page: int
    pages: int
    problems: list[str]
    asked_page: int | None = None  # a page beyond the last that was asked for (then the last)
    #: The programme's end as the page tells it (walk55d 6); None: a page made without it.
    end: EndView | None = None
    #: Every filter (owner, step, stale) as used (walk57c 1); the step is ``step`` too.
    filters: Filters = field(default_factory=Filters)
    owners: list[tuple[str, str]] = field(default_factory=list)  # (id, name) for the filter
    sort: str = "dagen"  # a key of regie.overdue_order.SORTS
    #: Every matching row (not only this page's) for the CSV download; empty on the page.
    everything: list[ItemRow] = field(default_factory=list)
    step_of: dict[str, int] = field(default_factory=dict)  # the CSV's *Stap*, per row's id


def overdue(
    app: App, as_of: date, step: str = "", page: str = "", *, owner: str = "", stale: str = "",
    sort: str = "", every_row: bool = False,
) -> OverdueView:  # fmt: skip
    """The overdue list, a page of ``PAGE_SIZE`` at a time, with counts per step, filtered by
    owner, step and the stale flag as the overview is, and sorted by ``sort`` (longest
    overdue first, by owner, or by deadline: :mod:`regie.overdue_order`). ``every_row``: also
    every matching row, for the CSV."""
    from governance.programme_end import end_view
    from regie.overdue_order import parse_sort, sorted_late
    from regie.texts import filter_text

    plan, assessment = _assessment(app, as_of)
    filters, problems = parse_filters(plan, owner, step, "", stale)
    order = parse_sort(sort)
    if order is None:
        problems.append(filter_text("unknown_sort", sort))
    late = [i for i in assessment.items.values() if i.state.value == "overdue"]
    # The step counts under the other filters: a link per step keeps them.
    counted = _selected(late, Filters(filters.owner, None, None, filters.stale), as_of)
    counts: dict[int, int] = {}
    for i in counted:
        counts[i.step] = counts.get(i.step, 0) + 1
    late = sorted_late(_selected(late, filters, as_of), order or "dagen", plan)
    total = sum(1 for i in assessment.items.values() if i.state.value == "overdue")
    pages = max(1, -(-len(late) // PAGE_SIZE))
    number, asked = page_of(page, pages)
    shown = late[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
    chosen = late if every_row else shown
    forecasts = _forecasts(app, plan, chosen, as_of)
    rows = [_row(i, plan, as_of, forecasts=forecasts) for i in chosen]
    return OverdueView(
        as_of=as_of,
        programme=plan.programme.short_title or plan.programme.title,
        rows=rows if not every_row else rows[(number - 1) * PAGE_SIZE : number * PAGE_SIZE],
        total=total,
        per_step=[(s.number, s.title, counts[s.number]) for s in plan.steps if s.number in counts],
        step=filters.step,
        matched=len(late),
        page=number,
        pages=pages,
        problems=problems,
        asked_page=asked,
        end=end_view(assessment.items.values(), plan.programme.end, as_of),
        filters=filters,
        owners=[(o.id, o.label) for o in plan.organisations],
        sort=order or "dagen",
        everything=rows if every_row else [],
        step_of={i.item_id: i.step for i in chosen} if every_row else {},
    )


def item_detail(app: App, item_id: str, as_of: date) -> ItemDetail | None:
    from governance.agenda import recorded_late
    from governance.clock import local_date, utcnow
    from regie.history import office_recorder, typed_in_by
    from regie.item_reminders import reminder_rows
    from regie.stage_dates import StageDates
    from store import Repository
    from store.feeds import stored_item
    from store.office import reminders_for
    from store.sync_formerly import renumbered_to

    plan, assessment = _assessment(app, as_of)
    item = assessment.items.get(item_id)
    pid = plan.programme.id
    zone = app.settings.timezone or plan.calendar.timezone
    with app.session() as session:
        # An item that left the plan keeps its history: the page shows it (walk28 #13).
        gone = stored_item(session, pid, item_id, utcnow()) if item is None else None
        if item is None and gone is None:
            return None
        repo = Repository(session, pid)
        revisions = [r for r in repo.revisions(code=item_id) if r.entity in ("action", "milestone")]
        updates = list(reversed(repo.status_updates(item=item_id)))
        events = repo.events(item=item_id)
        sent = reminders_for(session, pid, item_id)
        typed = typed_in_by(session, pid, item_id)
        moved_to = renumbered_to(session, pid, item_id) if gone is not None else None
    if item is not None:
        action = plan.action(item.action_id)
        step = next(s for s in plan.steps if s.number == item.step)
        due = _finished_deadlines(plan, assessment, [item_id]).get(item_id)
        forecasts = _forecasts(app, plan, [item], assessment.as_of)
        row = _row(item, plan, assessment.as_of, due, forecasts)
        action_id, step_text, left_on = item.action_id, f"Stap {step.number}: {step.title}", None
    else:
        assert gone is not None
        action = plan.action(gone.action_code)
        known = next((s for s in plan.steps if s.number == gone.step), None)
        row = _left_row(gone, updates[0] if updates else None, plan)
        action_id = gone.action_code
        step_text = f"Stap {known.number}: {known.title}" if known else f"Stap {gone.step}"
        left_on = local_date(gone.archived_at, zone)
    return ItemDetail(
        as_of=as_of,
        programme=plan.programme.short_title or plan.programme.title,
        row=row,
        action=f"{action_id} {action.title if action else ''}".strip(),
        step=step_text,
        revisions=revisions,
        updates=updates,
        events=events,
        reminders=reminder_rows(plan, sent, events, StageDates(row.due, revisions, updates, zone)),
        programme_end=plan.programme.end,
        # The office's date, as the reports say it (UTC's differs around midnight).
        late=[
            None if u.source == "decision" else recorded_late(u.reported_on, u.recorded_at, zone)
            for u in updates
        ],
        left_on=left_on,
        renumbered_to=moved_to,
        typed_in_by=[office_recorder(u, typed) for u in updates],
    )


def _left_row(gone: ArchivedItem, latest: Any, plan: Plan) -> ItemRow:
    """An item that left the plan, as last stored: no stand is judged any more (grey); its
    owners by the plan's names while they are in it, else by id."""
    return ItemRow(
        id=gone.code,
        level="action" if gone.code == gone.action_code else "milestone",
        title=gone.title,
        state="cancelled",
        rag="grey",
        due=gone.due,
        gereed=gone.gereed,
        owners=tuple(gone.owners),
        owner_names=tuple(plan.owner_names(gone.owners)),
        forecast=None,
        note=latest.comment if latest else None,
        reported_on=latest.reported_on if latest else None,
        stale=False,
        waiting_on=(),
        overdue_days=0,
    )


@dataclass(frozen=True, slots=True)
class ReportRow:
    id: int
    kind: str  # agenda | voortgang
    format: str
    title: str
    body: str | None  # the governance body's name (agenda packs)
    meeting: date | None
    period: tuple[date, date] | None  # progress reports: from, to
    as_of: date
    created_at: Any
    sha256: str
    size: int
    # What it rests on (None for reports archived before migration 0019).
    made_by: str | None = None
    made_via: str | None = None  # cli | prepare | web
    plan_sha256: str | None = None
    data_until: Any = None


def archived_reports(app: App) -> tuple[str, list[ReportRow]]:
    """Every archived report of the programme, newest first (the archive is
    :func:`regie.reports.archived`'s)."""
    from regie.plan_cache import current_plan
    from regie.reports import archived

    plan, _ = current_plan(app)
    names = {b.id: b.name for b in plan.governance}
    rows = []
    for r in archived(app):
        p = r.parameters

        def day(key: str, p: dict[str, Any] = p) -> date | None:
            value = p.get(key)
            return date.fromisoformat(value) if isinstance(value, str) else None

        start, end = day("from"), day("to")
        body = p.get("body")
        rows.append(
            ReportRow(
                id=r.id,
                kind=r.kind,
                format=r.format,
                title=r.title,
                body=names.get(body, body) if isinstance(body, str) else None,
                meeting=day("meeting"),
                period=(start, end) if start and end else None,
                as_of=r.as_of,
                created_at=r.created_at,
                sha256=r.sha256,
                size=r.size,
                made_by=r.made_by,
                made_via=r.made_via,
                plan_sha256=r.plan_sha256,
                data_until=r.data_until,
            )
        )
    rows.sort(key=lambda row: row.id, reverse=True)
    return plan.programme.short_title or plan.programme.title, rows


class Warmer:
    """Keeps the shared assessment current in the background while ``regie serve`` runs: it
    looks once a second (one small watermark query) and assesses when the day, the plan file
    or the store changed and then stayed the same for a second — so the office's first page
    after a start or a new answer finds the assessment ready instead of paying for it. A
    request that arrives while it is computing waits for the same computation
    (:func:`regie.plan_cache.cached_facts` is single flight)."""

    INTERVAL_SECONDS = 1.0

    def __init__(self, app: App) -> None:
        import threading

        self._app = app
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="regie-warmer", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def warm_once(self) -> None:
        """Assess now if anything changed since the last assessment (else one small query)."""
        _assessment(self._app, today(self._app))

    def change_key(self) -> tuple[object, ...]:
        """What the assessment depends on: the day, the plan file and the store's watermarks."""
        from regie.plan_cache import current_plan
        from store.feeds import watermarks

        plan, version = current_plan(self._app)
        with self._app.session() as session:
            marks = watermarks(session, plan.programme.id)
        return (today(self._app), version, marks)

    def tick(self, seen: tuple[object, ...] | None) -> tuple[object, ...]:
        """One look: assess only when nothing changed since the previous look (``seen``).
        During a burst of answers every second brings a change, and assessing a large
        programme each time would take a core (and the GIL) from the answers themselves."""
        key = self.change_key()
        if key == seen:
            self.warm_once()  # a no-op when this state is assessed already
        return key

    def _run(self) -> None:
        seen: tuple[object, ...] | None = None
        while not self._stop.is_set():
            # A broken plan file or an unreachable database: the pages report it, not this.
            with contextlib.suppress(Exception):
                seen = self.tick(seen)
            self._stop.wait(self.INTERVAL_SECONDS)
