"""A calendar feed's item events: each item's event in the forms the scopes pick from, with the
SEQUENCE and stamps it gets against what was last published (the feed memory,
``feed_entries``); what every part of the feed shares (the format, the finished states, the
window done work stays in, the memory's transaction). See :mod:`regie.feeds`."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import quote

from regie.bootstrap import App

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from feeds.model import FeedDecision, FeedItem
    from feeds.scope import Scope
    from governance.assessment import Assessment, ItemAssessment
    from governance.decisions import Decision
    from governance.plan import Plan
    from store.feeds import ArchivedItem, FeedEntry


#: Part of every ETag key and event fingerprint: bump when the feed's layout changes (2: words;
#: 3: the plan's office name in the link line, "Uit het plan:" for an item taken out of it).
FEED_FORMAT = "3"


FINISHED = ("done", "cancelled")


ONE_SECOND = timedelta(seconds=1)


class Event(NamedTuple):
    """An item's event in the forms the scopes pick from, with what they filter on."""

    step: int
    owners: tuple[str, ...]  # organisation ids
    author: str | None  # who wrote the note in ``noted``
    plain: FeedItem  # no note, no link: every feed but the two below
    noted: FeedItem  # with the note: its writer's own feed (Scope.shows_note)
    office: FeedItem  # with the office's (login) link: the programme's feed (Scope.office_link)
    finished: date | None = None  # done or dropped (or left the plan) on this day

    def kept(self, kept_from: date) -> bool:
        """Whether the event is still in feeds: an open item's always; a done or dropped
        one's while its date or the day it was finished is on or after ``kept_from``
        (:func:`keep_since`). Both are fixed for the day: two fetches get the same bytes."""
        if self.plain.state not in FINISHED:
            return True
        return _last_day(self) >= kept_from

    def pick(self, scope: Scope) -> FeedItem:
        if scope.shows_note(self.author):
            return self.noted
        return self.office if scope.office_link else self.plain


_Made = tuple["ItemAssessment", "FeedEntry | None", "datetime | None", "Event | None"]


#: True while a feed request builds its feed: its writes wait only briefly for another
#: connection's lock (a request answers unrecorded rather than wait the lock timeout).
_serving: ContextVar[bool] = ContextVar("regie_feed_serving", default=False)


@contextmanager
def _recording(app: App, *, brief: bool = False) -> Iterator[Session]:
    """A session in a transaction for the feed memory's reads and writes; during a feed
    request (or ``brief``) its statements wait at most a second for a lock
    (:func:`store.lock_wait.brief_lock_wait`); a ``regie calendar`` command waits as any other."""
    from store.lock_wait import brief_lock_wait

    with app.session() as session, session.begin():
        if brief or _serving.get():
            with brief_lock_wait(session):
                yield session
        else:
            yield session


def _last_day(event: Event) -> date:
    """The day a finished event is kept from (:meth:`Event.kept`)."""
    return max(event.plain.due, event.finished or event.plain.due)


def keep_since(plan: Plan, as_of: date) -> date:
    """The first day a done or dropped item, or a past meeting, still shows in feeds:
    ``calendar.feed_keep_done_months`` before ``as_of`` (a big programme's feed would otherwise
    grow for ever with years of finished work)."""
    from governance.progress_period import add_months

    return add_months(as_of, -plan.calendar.feed_keep_done_months)


def _fingerprint(*parts: object) -> str:
    """What a subscriber receives of an event, but its stamps: equal parts, equal text."""
    text = repr((FEED_FORMAT, *parts)).encode()
    return hashlib.blake2b(text, digest_size=16).hexdigest()


@dataclass(frozen=True, slots=True)
class _Stamps:
    """What an item's changed event is stamped with."""

    changes: dict[str, datetime]  # item code → its newest change in the store
    fallback: datetime  # no change known: the plan file's time
    unsynced: datetime | None  # the plan file's time when it is not the synced plan

    def change(self, code: str, *more: datetime | None) -> datetime:
        known = [t for t in (self.changes.get(code), *more, self.unsynced) if t is not None]
        return max(known, default=self.fallback).replace(microsecond=0)


def _publish(
    code: str,
    entry: FeedEntry | None,
    due: date,
    cancelled: bool,
    stamps: _Stamps,
    more: datetime | None,
    content: tuple[object, ...],
    published: tuple[dict[str, FeedEntry], dict[str, FeedEntry]],
) -> tuple[int, datetime]:
    """An item event's SEQUENCE and stamp against what was last published (``entry``), its new
    memory added to ``published`` (new, changed) when the event changed. ``content``: the
    event's other values; ``more``: another change time (an archived item's)."""
    from store.feeds import FeedEntry

    if entry is None:
        sequence = 0
    else:
        status_moved = entry.cancelled is not None and entry.cancelled != cancelled
        sequence = entry.sequence + (entry.due != due or status_moved)
    mark = _fingerprint(*content, cancelled, sequence)
    if entry is not None and entry.fingerprint == mark and entry.changed_at is not None:
        return sequence, entry.changed_at
    if entry is None:
        stamp = stamps.change(code, more)
    elif entry.fingerprint is None and sequence == entry.sequence:
        # Stored before the fingerprints (migration 0013): stamped as then, so that upgrading
        # moves no stamp; the fingerprint is recorded now.
        known = [t for t in (stamps.changes.get(code), entry.changed_at, more) if t is not None]
        stamp = max(known, default=stamps.fallback).replace(microsecond=0)
    else:
        stamp = stamps.change(code, more)
        if entry.changed_at is not None:
            stamp = max(stamp, entry.changed_at.replace(microsecond=0) + ONE_SECOND)
    (published[0] if entry is None else published[1])[code] = FeedEntry(
        due, sequence, stamp, mark, cancelled
    )
    return sequence, stamp


@dataclass(frozen=True, slots=True)
class _Builder:
    """Builds one feed's item events: a current item's and an archived one's alike."""

    pid: str
    base: str | None
    exact: set[str]  # items with an exact date (not a period's end): no "uiterlijk"
    stamps: _Stamps
    published: tuple[dict[str, FeedEntry], dict[str, FeedEntry]]  # see _publish
    office: str  # the plan's words for the office, in a sentence ("het programmasecretariaat")

    def item(
        self,
        code: str,
        entry: FeedEntry | None,
        more: datetime | None,
        *,
        title: str,
        gereed: str | None,
        due: date,
        step: int,
        action: str,
        owners: tuple[str, ...],
        state: str,
        labels: tuple[str, str],
        forecast: date | None = None,
        note: str | None = None,
        decision: FeedDecision | None = None,
        removed: bool = False,
        first_code: str | None = None,
    ) -> FeedItem:
        """The event with its note and link, published against ``entry`` (:func:`_publish`;
        ``more``: another change time); a scope's forms leave out what it must not show.
        ``first_code``: the id the item had before it was renumbered with ``formerly`` (the
        first of a chain): its UID stays, so a calendar updates the event, not deletes it."""
        from feeds.model import FeedItem

        uid = f"{first_code or code}@{self.pid}.regie"
        url = f"{self.base}/items/{quote(code)}"
        cancelled = state == "cancelled"
        # The fingerprint's parts, in this order: a change would move every stored event's stamp.
        content = (uid, code, title, gereed, due, step, action, owners, state, *labels,
                   forecast, note, url, *((decision,) if decision else ()),
                   self.office, removed)  # fmt: skip
        sequence, stamp = _publish(
            code, entry, due, cancelled, self.stamps, more, content, self.published
        )
        return FeedItem(
            uid=uid,
            item_id=code,
            title=title,
            gereed=gereed,
            due=due,
            step=step,
            action=action,
            owners=owners,
            state=state,
            state_label=labels[0],
            rag_label=labels[1],
            forecast=forecast,
            latest_note=note,
            url=url,
            cancelled=cancelled,
            sequence=sequence,
            last_modified=stamp,
            by_end=code not in self.exact,
            decided=decision,
            removed=removed,
            office=self.office,
        )


def _items(
    app: App,
    plan: Plan,
    assessment: Assessment,
    archived: list[ArchivedItem],
    entries: dict[str, FeedEntry],
    stamps: _Stamps,
    reuse: Mapping[str, _Made],
    decided: Mapping[str, FeedDecision] | None = None,
    renumbered: Mapping[str, str] | None = None,
    forecasts: Mapping[str, date | None] | None = None,
) -> tuple[list[Event], dict[str, _Made], tuple[dict[str, FeedEntry], dict[str, FeedEntry]]]:
    """Events with (step, owner ids): what :meth:`Scope.includes_archived` filters on; per
    current item what its event was made from (``reuse`` next time); and the feed memory to
    save (new and changed entries: :func:`_publish`). ``renumbered``: old id → the id that
    took it over with ``formerly`` (:func:`store.sync_formerly.renumbered_ids`).
    ``forecasts``: the owners' forecasts in force (:func:`regie.forecasts.forecasts_in_force`:
    an item left out has none; walk55a 2); None: each item's standing forecast."""
    from governance.clock import local_date
    from governance.labels import rag_label, state_label
    from governance.office_names import office_names
    from regie.plan_cache import plan_index
    from regie.texts import feed_words

    zone = app.settings.timezone or plan.calendar.timezone  # the business date's (services.today)
    actions = {a.id: f"{a.id} {a.title}" for a in plan.actions()}
    deadlines = plan_index(plan)[0].deadlines
    period_ends = {d.item_id: d.period.end for d in deadlines if d.period is not None}
    exact = {d.item_id for d in deadlines if d.period is not None and d.period.kind == "date"}
    decided = decided or {}
    out: list[Event] = []
    made: dict[str, _Made] = {}
    published: tuple[dict[str, FeedEntry], dict[str, FeedEntry]] = ({}, {})
    office = office_names(plan.programme).the
    build = _Builder(plan.programme.id, app.settings.base_url, exact, stamps, published, office)
    renumbered = renumbered or {}
    earlier = {new: old for old, new in renumbered.items()}

    def first_code(code: str) -> str | None:
        """The first id of ``code``'s renumberings (None: never renumbered)."""
        seen = {code}
        while code in earlier and earlier[code] not in seen:
            code = earlier[code]
            seen.add(code)
        return code if len(seen) > 1 else None

    def taken_over(code: str) -> FeedEntry | None:
        """A renumbered item's first publication: its old id's memory, one SEQUENCE on (the
        summary names the new id), no fingerprint (so it is published again)."""
        seen = {code}
        while code in earlier and earlier[code] not in seen:
            code = earlier[code]
            seen.add(code)
            found = entries.get(code)
            if found is not None:
                return replace(found, sequence=found.sequence + 1, fingerprint="")
        return None

    for item in assessment.items.values():
        code = item.item_id
        entry, change = entries.get(code), stamps.changes.get(code)
        carried = entry is None and code in earlier
        if carried:
            entry = taken_over(code)
        known = reuse.get(code)
        if known is not None and known[0] is item and known[1] == entry and known[2] == change:
            made[code] = known
            if known[3] is not None:
                out.append(known[3])
            continue
        due = item.due or _finished_date(item, entries, period_ends)
        made[code] = (item, entry, change, None)
        if due is None:
            continue
        latest = item.latest_update
        note = latest.comment if latest else None
        event = build.item(
            code, entry, None, title=item.title, gereed=item.gereed, due=due, step=item.step,
            action=actions.get(item.action_id, item.action_id),
            owners=tuple(plan.owner_names(item.owners)), state=item.state.value,
            labels=(state_label(item.state.value), rag_label(item.rag.value)),
            forecast=item.forecast if forecasts is None else forecasts.get(code),
            note=note, decision=decided.get(code),
            first_code=first_code(code),
        )  # fmt: skip
        if carried and code in published[1]:  # no stored memory of the new id yet: a new row
            published[0][code] = published[1].pop(code)
        plain = replace(event, latest_note=None, url=None)
        made_event = Event(
            step=item.step,
            owners=tuple(item.owners),
            author=latest.author if latest and note else None,
            plain=plain,
            noted=replace(event, url=None) if note is not None else plain,
            office=replace(event, latest_note=None) if note is not None else event,
            finished=item.completed_on,
        )
        saved = published[0].get(code) or published[1].get(code) or entry
        made[code] = (item, saved, change, made_event)
        out.append(made_event)
    current = set(assessment.items)
    # An action taken out of the plan with its items: its title as the store last had it
    # (walk54b 5: "Actie: 2.2", not "Actie: 2.2 Communicatie met bewoners", when the removed
    # item was the action itself); an action still in the plan goes by its current title.
    gone_actions = {g.code: f"{g.code} {g.title}" for g in archived} | actions
    for gone in archived:
        if gone.due is None or gone.code in current or gone.code in renumbered:
            continue  # a renumbered item's event goes on under its new id (same UID)
        event = build.item(
            gone.code, entries.get(gone.code), gone.archived_at, title=gone.title,
            gereed=gone.gereed, due=gone.due, step=gone.step,
            action=gone_actions.get(gone.action_code, gone.action_code),
            owners=tuple(plan.owner_names(gone.owners)), state="cancelled",
            labels=(feed_words("removed"), rag_label("grey")), removed=True,
            first_code=first_code(gone.code),
        )  # fmt: skip
        plain = replace(event, url=None)  # no note: it left the plan
        left = local_date(gone.archived_at, zone)  # the office's day it left the plan
        out.append(Event(gone.step, tuple(gone.owners), None, plain, plain, event, left))
    return out, made, published


def _decided(plan: Plan, decisions: list[Decision], as_of: date) -> dict[str, FeedDecision]:
    """Item → the decision that set its date or dropped it last (by meeting, up to ``as_of``),
    as its event's description tells it (calendar review, finding 8)."""
    from feeds.model import FeedDecision
    from governance.decisions import DecisionKind, decision_label

    latest: dict[str, Decision] = {}
    for d in decisions:
        if d.item_id is None or d.meeting_on > as_of:
            continue
        if d.kind not in (DecisionKind.SET_GEREED, DecisionKind.CANCEL):
            continue
        before = latest.get(d.item_id)
        if before is None or (d.meeting_on, d.id or 0) >= (before.meeting_on, before.id or 0):
            latest[d.item_id] = d
    return {
        code: FeedDecision(
            str(d.kind), decision_label(plan, d), d.text, d.gereed_before,
            first_date=_undated(plan, d.gereed_before),
        )
        for code, d in latest.items()
    }  # fmt: skip


def _undated(plan: Plan, gereed: str | None) -> bool:
    """Whether a decision's earlier *gereed* text named no date yet (Ntb or blank; walk32a 11):
    setting one is not a move. None (the item was dropped) is a restore, not this."""
    from governance.periods import PeriodError, PeriodKind, parse_period

    if gereed is None:
        return False
    if not gereed.strip():
        return True
    try:
        return parse_period(gereed, plan.calendar.seasons).kind is PeriodKind.TBD
    except PeriodError:
        return False


def _finished_date(
    item: ItemAssessment, entries: dict[str, FeedEntry], period_ends: dict[str, date | None]
) -> date | None:
    """A done or cancelled item has no due date in the assessment; it stays on the date it was
    last published on (or its period's end), so the calendar shows it finished, not gone."""
    if item.state.value not in ("done", "cancelled"):
        return None
    entry = entries.get(item.item_id)
    return entry.due if entry is not None and entry.due else period_ends.get(item.item_id)
