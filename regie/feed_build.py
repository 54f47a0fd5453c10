"""A calendar feed built: the programme's item events computed once per day, plan version and
store watermarks and shared by every scope; a scope's events, meetings, header and
Last-Modified. See :mod:`regie.feeds`."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from regie.bootstrap import App
from regie.errors import InvalidInput
from regie.feed_events import (
    FINISHED,
    _decided,
    _items,
    _last_day,
    _recording,
    _Stamps,
    keep_since,
)
from regie.feed_meetings import (
    _meeting_on,
    body_meetings,
)
from regie.services import today

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from feeds.scope import Scope
    from governance.plan import Plan


@dataclass(frozen=True, slots=True)
class Feed:
    body: bytes
    etag: str  # strong: a hash of the bytes
    changed_at: datetime  # the newest change of anything in it (UTC, whole seconds)


def export_feed(
    app: App, scope_text: str, as_of: date | None = None, *, record: bool | None = True
) -> bytes:
    """The feed for ``scope_text`` (``regie calendar export``). ``record``: remember what was
    published, as the server does (the server's next build then agrees); None: only when
    ``as_of`` is today — a feed for another day is a read-only look, which leaves the memory,
    and so the stamps the server publishes next, as they were."""
    plan = app.load_plan()
    scope = _scope(scope_text, plan)
    day = today(app, plan)
    as_of = as_of or day
    keep = record if record is not None else as_of == day
    if keep and not _stored(app, plan.programme.id):
        # Never synced: the memory of what was published belongs to the programme's row, which
        # the first sync (or cycle) makes. The feed is the plan file's, as a look (walk28 #6).
        keep = False
    if not keep and as_of != day and _stored(app, plan.programme.id):
        # A look at another day shows the plan of that day, as `regie status --as-of` does
        # (walk32b 6): a date moved after it is not shown moved yet. A publication (``record``)
        # is today's feed, whatever day it is computed for: the plan as it is.
        from regie.services import plan_of_day

        plan = plan_of_day(app, plan, as_of)
    return build_feed(app, plan, scope, as_of, record=keep).body


def _stored(app: App, programme_id: str) -> bool:
    from store.audit import programme_stored

    with app.session() as session:
        return programme_stored(session, programme_id)


def build_feed(
    app: App,
    plan: Plan,
    scope: Scope,
    as_of: date,
    version: str | None = None,
    *,
    record: bool = True,
) -> Feed:
    """``version``: the plan file version ``plan`` was read at (:func:`current_plan`); without
    it the file is looked at now (a plan replaced since would be cached under the new one).
    ``record``: save the feed memory (``feed_entries``, ``feed_meetings``); without it the feed
    is computed against that memory and nothing is written or cached."""
    from sqlalchemy.exc import IntegrityError

    for attempt in (1, 2):
        try:
            return _build(app, plan, scope, as_of, version, record)
        except IntegrityError:
            if attempt == 2:  # another request recorded the same new items: read them again
                raise
    raise AssertionError("unreachable")


def _build(
    app: App, plan: Plan, scope: Scope, as_of: date, version: str | None, record: bool
) -> Feed:
    from feeds.ics import render_feed
    from regie.plan_cache import cached_facts, clear_facts, plan_version, version_time
    from store import feeds as store

    pid = plan.programme.id
    version = version or plan_version(app)
    fallback = version_time(version)  # when that version of the plan file was written
    try:
        with _recording(app) as session:
            key = ("feeds", as_of, version, app.settings.base_url,
                   store.watermarks(session, pid))  # fmt: skip
            if record:
                facts = cached_facts(
                    key, pid, lambda: _programme_events(app, session, plan, key, fallback)
                )
            else:  # not cached: the next build must not take these unsaved stamps for saved
                facts = _programme_events(app, session, plan, key, fallback, record=False)
    except Exception:
        clear_facts()  # the feed memory may not have been saved: compute it again next time
        raise
    scheduled = (
        body_meetings(app, plan, scope.value, fallback, as_of, record=record)
        if scope.kind == "body"
        else []
    )
    # Long past meetings leave the feed (still remembered by body_meetings: their UIDs stay
    # "scheduled", never published cancelled); a meeting still to come is always kept.
    kept_from = keep_since(plan, as_of)
    meetings = [m for m in scheduled if _meeting_on(m) >= kept_from]
    # A note only in its writer's own feed (notes can hold personal data); the office's link
    # only in the programme's feed (the page is behind the login).
    in_scope = [e for e in facts["events"] if scope.includes_archived(e.step, e.owners, plan)]
    items = [e.pick(scope) for e in in_scope if e.kept(kept_from)]
    undated = sum(1 for step, owners in facts["undated"]
                  if scope.includes_archived(step, list(owners), plan))  # fmt: skip
    # The reminders carry answer links only with a secret key: the feed says what they say.
    links = bool(app.settings.secret_key)
    body = render_feed(_header(plan, scope, undated, app.settings.base_url, links), items, meetings)
    stamps = [i.last_modified for i in items] + [m.last_modified for m in meetings]
    # Last-Modified never goes back while the bytes change (If-Modified-Since clients would
    # keep what left): also the start of the day the newest finished event or past meeting
    # left the window, and the last change of any item the description's undated count is
    # made from.
    gone = [_last_day(e) for e in in_scope if not e.kept(kept_from)]
    gone += [_meeting_on(m) for m in scheduled if _meeting_on(m) < kept_from]
    if gone:
        zone = ZoneInfo(plan.calendar.timezone)
        left = _left_on(plan, max(gone), as_of)
        stamps.append(datetime.combine(left, time(), zone).astimezone(UTC))
    stamps += [at for step, owners, at in facts.get("undated_changes", ())
               if scope.includes_archived(step, list(owners), plan)]  # fmt: skip
    changed_at = max(stamps, default=fallback)
    return Feed(body, '"' + hashlib.sha256(body).hexdigest()[:40] + '"', changed_at)


def _programme_events(
    app: App,
    session: Session,
    plan: Plan,
    key: tuple[Any, ...],
    file_time: datetime,
    *,
    record: bool = True,
) -> dict[str, Any]:
    """Every item's event for the whole programme, with the step and owner ids a scope filters
    on: computed once per (day, plan version, store watermarks), shared by every scope. The
    assessment is the office pages' when they computed it for the same key (one per change).
    On the same day, plan and base URL, an item's event is reused when its assessment (the
    same object: not judged again), feed entry and change time are those of the last build.
    ``file_time``: when the plan file read was written; ``record``: save the feed memory."""
    from regie.forecasts import forecasts_in_force
    from regie.office import shared_assessment, store_identity
    from regie.plan_cache import previous_facts
    from store import feeds as store
    from store.reports_repo import ReportsRepository
    from store.sync_formerly import renumbered_ids

    pid = plan.programme.id
    as_of = key[1]
    before_key, before = previous_facts(pid, "feeds")
    database = store_identity(app)  # not the URL: it may hold a password
    same = before_key[1:4] == key[1:4] and before.get("store") == database
    reuse = before.get("by_item", {}) if same else {}
    zone = ZoneInfo(plan.calendar.timezone)
    changes, memory = _change_times(session, pid, database)
    for code, day in store.state_changes(session, pid, as_of).items():
        at = datetime.combine(day, time(), zone).astimezone(UTC)
        if code not in changes or at > changes[code]:
            changes[code] = at
    assessment = shared_assessment(app, session, plan, as_of, key[2])
    archived = store.archived_items(session, pid)
    # Not the synced plan: an edit waits for the next sync. Items taken out of the file since
    # are cancelled in the calendar now, as after it (left out, a calendar would drop the event
    # until the sync brought it back cancelled); an event whose content changed is stamped with
    # the file's time at least (the edit), not only the store's older change.
    unsynced = not store.synced_from(session, pid, plan.source_hash)
    if unsynced:
        in_file = {d.item_id for d in plan.deadlines()} | {a.id for a in plan.actions()}
        archived += store.left_the_file(session, pid, in_file, file_time)
    entries = store.feed_entries(session, pid)
    stamps = _Stamps(changes, file_time, file_time if unsynced else None)
    decided = _decided(plan, ReportsRepository(session, pid).decisions(None), as_of)
    # The *Prognose* the reports and the office's pages show (walk55a 2).
    forecasts = forecasts_in_force(session, plan, assessment.items.values(), as_of)
    events, by_item, published = _items(
        app, plan, assessment, archived, entries, stamps, reuse, decided,
        renumbered_ids(session, pid), forecasts,
    )  # fmt: skip
    if record:
        store.save_feed_entries(session, pid, *published)
    # Open items without a date (Ntb, periodic, open-ended, waiting): no event, but each
    # calendar's description counts its scope's (filtered as the events are).
    undated = [(i.step, tuple(i.owners)) for i in assessment.items.values()
               if i.due is None and i.state.value not in FINISHED]  # fmt: skip
    # Every item without a date, finished or not, with its last change: the description's
    # count moves only when one of them changes, so Last-Modified moves with it.
    undated_changes = [(i.step, tuple(i.owners), stamps.change(i.item_id))
                       for i in assessment.items.values() if i.due is None]  # fmt: skip
    return {"events": events, "by_item": by_item, "undated": undated,
            "undated_changes": undated_changes, **memory}  # fmt: skip


def _change_times(
    session: Session, pid: str, store_id: str
) -> tuple[dict[str, datetime], dict[str, Any]]:
    """Item code → when it last changed in the store (a plan revision or a status update), and
    what to remember for next time. Updates are append-only: after the first build only those
    with an id above the last build's ``seen`` mark are read and folded in (the mark from
    :func:`store.memory.newest_update_id`, read first: on PostgreSQL ids can commit out of
    order). Revisions are read again whenever their (newest id, number) moved."""
    from regie.plan_cache import previous_facts
    from store import feeds as store
    from store.memory import newest_update_id

    _, before = previous_facts(pid, "feeds")
    seen = newest_update_id(session, before["seen"]) if before.get("store") == store_id else 0
    if not seen or seen < before["seen"]:
        before = {}  # another database (tests, tools) or one restored from a backup: afresh
        seen = newest_update_id(session)
    mark = store.revision_mark(session, pid)
    if before.get("revision_mark") == mark:
        revisions: dict[str, datetime] = before["revisions"]
    else:
        revisions = store.revision_changes(session, pid)
    if before:
        updates = dict(before["updates"])  # the cached facts stay as they were
        store.fold_changes(updates, store.update_changes(session, pid, before["seen"]))
    else:
        updates = store.update_changes(session, pid)
    changes = dict(revisions)
    store.fold_changes(changes, updates)
    memory = {
        "store": store_id,  # regie.office.store_identity
        "revision_mark": mark,
        "revisions": revisions,
        "seen": seen,
        "updates": updates,
    }
    return changes, memory


def _left_on(plan: Plan, last: date, as_of: date) -> date:
    """The first day an event whose :func:`_last_day` is ``last`` was no longer kept, never
    after ``as_of`` (month ends clamp, so found by stepping a few days from the estimate)."""
    from governance.progress_period import add_months

    day = add_months(last, plan.calendar.feed_keep_done_months) - timedelta(days=4)
    while day < as_of and keep_since(plan, day) <= last:
        day += timedelta(days=1)
    return min(day, as_of)


def _header(
    plan: Plan, scope: Scope, undated: int = 0, base_url: str = "", links: bool = True
) -> Any:
    from feeds.model import FeedHeader
    from regie.texts import feed_words

    short = plan.programme.short_title or plan.programme.title
    example = False
    if scope.kind == "org":
        org = plan.organisation(scope.value)
        # Without a bracketed explanation: calendar sidebars cut long names short.
        name = re.sub(r"\s*\(.*\)\s*$", "", org.name) if org else ""
        label = feed_words("scope_org", name=name or scope.value)
    elif scope.kind == "step":
        step = next((s for s in plan.steps if str(s.number) == scope.value), None)
        label = feed_words("scope_step", number=scope.value, title=step.title if step else "")
    elif scope.kind == "contact":
        contact = next((c for c in plan.contacts if c.id == scope.value), None)
        label = feed_words("scope_contact", name=contact.name if contact else scope.value)
    elif scope.kind == "body":
        body = next((b for b in plan.governance if b.id == scope.value), None)
        label = feed_words("scope_body", name=body.name if body else scope.value)
        example = body is not None and body.meetings is not None and body.meetings.example
    else:
        label = feed_words("scope_all")
    return FeedHeader(
        name=f"{short} – {label}",
        uid=f"{scope}@{plan.programme.id}.regie",
        description=_description(scope.kind, short, plan, undated, base_url, example, links),
    )


def _description(
    kind: str, programme: str, plan: Plan, undated: int, base_url: str, example: bool, links: bool
) -> str:
    from feeds.ics import Described, describe
    from governance.office_names import office_names

    about = Described(
        kind=kind,
        programme=programme,
        office=office_names(plan.programme),
        undated=undated,
        overview=f"{base_url}/" if base_url else "",
        keep_months=plan.calendar.feed_keep_done_months,
        example=example,
        answer_links=links,
    )
    return describe(about)


def _scope(text: str, plan: Plan) -> Scope:
    from feeds.scope import ScopeError, parse_scope

    try:
        return parse_scope(text, plan)
    except ScopeError as exc:
        raise InvalidInput(f"--scope: {exc}") from None
