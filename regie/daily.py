"""The assessment step of the daily cycle: incremental when the memory allows, else in full.

Full (and the memory rebuilt) on a first run, after another reminder policy, programme start,
contact list, calendar or rules version, on the first live day after replayed ones (and the
first replayed day after live ones: a live day does not count a replay's escalations), when the
memory is not of the last assessed day (a day assessed some other way), and when the memory read
does not fit the plan (:class:`governance.incremental.InconsistentMemory`: a row lost, a count
off; the full assessment rebuilds it). Otherwise only the items
:func:`governance.incremental.select_due` chooses are re-assessed, prompted and written; on a
rerun of the memory's own day (the ``reassess-on-update`` deployment after an owner's answer)
those are the items answered or edited since and what depends on them, compared with their
states before the day. Both paths give the same states, events and reminders
(tests/unit/test_incremental.py, tests/integration/test_daily.py).

A full assessment with a memory of the last assessed day (another policy or calendar, or
asked for) takes each item's previous state and most latest updates from that memory and
writes only the memory rows that changed; on a first run, a forced rerun, a memory of another
day or one found inconsistent it reads them from item_states and the updates instead. The memory is
trusted as the incremental path trusts it; ``rebuild`` (``regie cycle --full``) reads them from
item_states and the updates and makes the whole memory anew (on PostgreSQL by writing the rows
that differ from the stored ones: :func:`store.memory.save`).

Every path reads the first assessed days of the items it judges (:mod:`store.first_assessed`:
the stale clock starts no earlier) and stores the day of those assessed for the first time.
They are history, not memory: a rebuild keeps them and first fills the missing ones from the
recorded states (:func:`store.first_assessed.fill_missing_days`). Each memory row keeps a copy
of its item's day, written with the row (migration 0041): the incremental path takes the
chosen items' days from the rows it reads and reads the table only for rows without one.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from regie.gc_pause import paused_gc

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from governance.assessment import Assessment
    from governance.assessor import PlanIndex
    from governance.incremental import Remembered
    from governance.plan import Plan
    from governance.reminders import PromptFacts, PromptQuestion, ReminderPlan
    from governance.workdays import WorkCalendar
    from store.dialect import Submit
    from store.memory import MemoryHeader

    #: Told the day's assessment and reminder plan as soon as both are made (before the memory).
    Planned = Callable[[Assessment, ReminderPlan], object]
    #: The answers to the rules' questions about the prompts on record; with True, to
    #: questions that ask only who was prompted (``governance.escalated_today``).
    FactsOf = Callable[[Mapping[str, PromptQuestion], bool], Mapping[str, PromptFacts]]


@dataclass(frozen=True, slots=True)
class DayAssessment:
    assessment: Assessment  # incremental: only the re-assessed items (the roll-ups cover all)
    reminders: ReminderPlan  # for those items; not yet quieted on a day off
    counts: dict[str, int]  # items per state value, every item of the plan
    incremental: bool
    reassessed: int
    #: The organisations of the contacts no longer in the plan (contact id → organisation), as
    #: read for the hand-overs: the escalations' hand-over notes use them too.
    former_organisations: Mapping[str, str] = field(default_factory=dict)


def assess_day(
    session: Session,
    plan: Plan,
    as_of: date,
    calendar: WorkCalendar,
    *,
    now: datetime,
    plan_hash: str | None = None,
    full: bool = False,
    rebuild: bool = False,
    submit: Submit | None = None,
    planned: Planned | None = None,
    replaying: bool = False,
) -> DayAssessment:
    """Assess ``plan`` at ``as_of``, record the states and the memory; return what to prompt.

    ``plan_hash`` identifies the plan file's content: when the memory was made from the same
    one, no item's plan entry is compared. ``full`` forces a full assessment (from a current
    memory's previous states and latest updates, as after another policy); ``rebuild`` forces
    one that does not trust the memory at all: previous states from item_states, latest
    updates from the updates, the memory written anew (after a restore or a hand edit of the
    database). ``submit``
    (:func:`store.dialect.alongside`) takes the last writes and the read of the prompts on
    record after them (whose wait returns the writes' first error, the cause: see
    ``alongside``); without it they are done at once. ``planned`` is called with the assessment and
    the reminder plan once both are made, before the memory is (the caller can submit its own
    writes of them earlier). ``replaying``: the day is one of `regie replay`'s, whose own
    escalations count as made; on a live day they do not (:mod:`store.replayed_prompts`), so
    the first day of the other kind is assessed in full (:func:`governance.incremental.basis`).
    """
    from store.dialect import at_once

    with paused_gc():
        return _assess_day(
            session, plan, as_of, calendar, now, plan_hash, full, rebuild, submit or at_once,
            planned, replaying=replaying,
        )  # fmt: skip


def _assess_day(
    session: Session,
    plan: Plan,
    as_of: date,
    calendar: WorkCalendar,
    now: datetime,
    plan_hash: str | None,
    full: bool,
    rebuild: bool,
    submit: Submit,
    planned: Planned | None,
    *,
    replaying: bool,
) -> DayAssessment:
    from governance.assessor import PlanIndex
    from governance.incremental import InconsistentMemory, basis
    from store import Repository, memory

    pid = plan.programme.id
    index = PlanIndex(plan)
    header = memory.load_header(session, pid)
    fits = basis(plan, calendar, replaying=replaying)
    newest = memory.newest_update_id(session, header.seen_update_id if header else 0)
    today = memory.MemoryHeader(as_of, fits, plan_hash, newest)
    # The memory is of the last assessed day: its rows are what that day recorded in
    # item_states (both written from one assessment, in one transaction). Before this one:
    # the day goes on from it; this one: a rerun of the day (after an owner's answer, say).
    latest = header is not None and header.as_of == Repository(session, pid).last_assessed()
    current = latest and header is not None and header.as_of < as_of
    rerun = latest and header is not None and header.as_of == as_of
    if rebuild:  # the first assessed days are history, not cache: keep them, fill the gaps
        from store.first_assessed import fill_missing_days

        fill_missing_days(session, pid)
    if rebuild or full or header is None or not (current or rerun) or header.basis != fits:
        last = header if current and not rebuild else None
        return _full(session, index, as_of, calendar, now, today, submit, planned, last, replaying)
    try:
        return _incremental(
            session, index, as_of, calendar, now, header, today, submit, planned,
            rerun=rerun, replaying=replaying,
        )  # fmt: skip
    except InconsistentMemory:
        # Nothing written yet (_incremental checks before its first write): assess in full,
        # from item_states and the updates (not the memory), which replaces the whole memory.
        return _full(session, index, as_of, calendar, now, today, submit, planned, None, replaying)


def _full(
    session: Session,
    index: PlanIndex,
    as_of: date,
    calendar: WorkCalendar,
    now: datetime,
    header: MemoryHeader,
    submit: Submit,
    planned: Planned | None,
    last: MemoryHeader | None,
    replaying: bool,
) -> DayAssessment:
    """Every item judged. ``last``: the header of a memory of the last assessed day (before
    ``as_of``), which then gives the items' previous states and most latest updates
    (:func:`_full_from_memory`); None: read both from item_states and the updates."""
    from governance.assessment import assess
    from governance.incremental import item_fingerprint
    from store import memory

    if last is not None:
        kept_first: dict[str, date] = {}
        remembered, stored = memory.load_all(session, index.plan.programme.id, kept_first)
        if remembered:  # else nothing to take: read item_states (an empty plan, say)
            return _full_from_memory(
                session, index, as_of, calendar, now, header, submit, planned, last,
                remembered, stored, replaying, kept_first,
            )  # fmt: skip
    from governance.rag import RAG_VALUES, STATE_VALUES
    from store import Repository
    from store.assessment_query import assessment_updates
    from store.first_assessed import first_assessed_days, new_first_days, record_first_days
    from store.states import previous_values

    plan = index.plan
    pid = plan.programme.id
    repo = Repository(session, pid)
    previous, earlier = previous_values(session, pid, as_of)  # one read for both uses
    first = first_assessed_days(session, pid)
    result = assess(
        plan,
        assessment_updates(session, pid, as_of),
        as_of,
        previous=previous.states if previous else None,
        previous_stale=previous.stale if previous else None,
        calendar=calendar,
        index=index,
        first_assessed=first,
    )
    states, rags = STATE_VALUES, RAG_VALUES
    values = {c: (states[i.state], rags[i.rag], i.stale, i.due) for c, i in result.items.items()}
    repo.record_state_values(as_of, values, earlier)
    new_first = new_first_days(result.items.values(), first)
    submit(lambda: record_first_days(session, pid, new_first, now))
    facts_of = _facts_reader(session, plan, as_of, calendar, submit, replaying)
    former = _former_organisations(session, pid, submit)
    reminders, remembered = _plan_and_remember(
        plan, result, as_of, calendar, planned, facts_of, former
    )
    fingerprints = {i: item_fingerprint(d) for i, d in index.by_id.items()}
    submit(
        lambda: memory.save(
            session,
            pid,
            header,
            remembered,
            fingerprints,
            replace_all=True,
            recorded_at=now,
            first_days=_first_days(result),
        )
    )
    return DayAssessment(result, reminders, result.counts(), False, len(result.items), former)


def _full_from_memory(
    session: Session,
    index: PlanIndex,
    as_of: date,
    calendar: WorkCalendar,
    now: datetime,
    header: MemoryHeader,
    submit: Submit,
    planned: Planned | None,
    last: MemoryHeader,
    remembered: dict[str, Remembered],
    stored: dict[str, str],
    replaying: bool,
    kept_first: Mapping[str, date],
) -> DayAssessment:
    """:func:`_full` after another policy, calendar or rules version, or when asked for:
    every item judged, with what the memory of the last assessed day holds.

    Each remembered (state, rag, stale, due) is the item's latest item_states row (the
    memory and those rows are written from the same assessment: the window function over
    item_states gives the same); items the memory lacks (new to it, restored) have theirs
    read. Latest updates and forecasts as on the incremental path (:func:`governance.
    incremental.known_latest`: the others' updates read); a finished item not updated since
    has its completion day read by its remembered latest update's id, the rest of that update
    from the memory (:mod:`governance.memory_inputs`; an id not found or of another item: the
    picked updates read). item_states gets the rows of the
    items that changed (nothing is recorded on or after ``as_of``: the memory's day is the
    last assessed one), the memory only its rows that differ, and forgets items no longer in
    the plan. Same states, events, reminders and memory as :func:`_full` without it
    (tests/integration/test_daily.py).
    """
    from governance.assessment import assess
    from governance.incremental import item_fingerprint
    from governance.memory_inputs import recall_finished, remembered_inputs
    from governance.rag import RAG_VALUES, STATE_VALUES
    from governance.tally import tally_difference
    from governance.updates import latest_updates
    from store import memory, tallies
    from store.assessment_query import assessment_updates, completions_by_id
    from store.first_assessed import first_assessed_days, new_first_days, record_first_days
    from store.states import previous_values_of

    plan = index.plan
    pid = plan.programme.id
    by_id = index.by_id
    updated = memory.updated_items(
        session, pid, after_id=last.seen_update_id, after_day=last.as_of, through=as_of
    )
    # One pass over the plan's items: previous states, the items the memory lacks, the latest
    # updates and forecasts it tells, the items whose updates are read, and the finished ones
    # (not updated since) by their latest id.
    inputs = remembered_inputs(by_id, remembered, updated)
    previous, stale, missing = inputs.previous, inputs.stale, inputs.missing
    by_row = inputs.finished
    earlier = previous_values_of(session, pid, as_of, missing) if missing else {}
    for i, (state, _, flag, _) in earlier.items():
        previous[i] = state
        if flag:
            stale.add(i)
    # The finished items' latest updates: the memory has all the rules read of them but the
    # completion day, read by the remembered id (a primary key look-up, three columns).
    rows = completions_by_id(session, by_row) if by_row else {}
    tally = tallies.stored_tally(session, pid, len(remembered))
    finished: dict[str, date | None] = {}
    if len(rows) == len(by_row):
        for row_id, (item_id, completed_on) in rows.items():
            if by_row.get(row_id) != item_id:
                break  # of another item: read the picks instead
            finished[item_id] = completed_on
        else:
            by_row = {}
    unknown = inputs.unknown
    if by_row:  # an id not found, or of another item: those items' updates read too
        finished = {}
        unknown = [*unknown, *by_row.values()]
    updates = assessment_updates(session, pid, as_of, unknown) if unknown else []
    latest, forecasts = inputs.latest, inputs.forecasts
    picked_latest, picked_forecasts = latest_updates(updates, as_of)
    latest.update(picked_latest)  # items not among the known ones: no key is in both
    forecasts.update(picked_forecasts)
    recall_finished(finished, remembered, latest, forecasts)
    first = first_assessed_days(session, pid)  # not the memory's: it outlives a rebuild
    # From here the session is the worker's (store.dialect.alongside).
    result = assess(
        plan,
        (),
        as_of,
        previous=previous,
        previous_stale=stale,
        calendar=calendar,
        index=index,
        picked=(latest, forecasts),
        first_assessed=first,
    )
    new_first = new_first_days(result.items.values(), first)
    submit(lambda: record_first_days(session, pid, new_first, now))
    changed = []
    states, rags = STATE_VALUES, RAG_VALUES  # Enum.value is a Python-level property
    for item_id, item in result.items.items():
        value = (states[item.state], rags[item.rag], item.stale, item.due)
        before = remembered.get(item_id)
        if before is None:
            if earlier.get(item_id) != value:
                changed.append((item_id, *value))
        elif before[:4] != value:  # (state, rag, stale, due)
            changed.append((item_id, *value))
    submit(lambda: memory.append_states(session, pid, as_of, changed, now))
    facts_of = _facts_reader(session, plan, as_of, calendar, submit, replaying)
    former = _former_organisations(session, pid, submit)
    reminders, fresh = _plan_and_remember(plan, result, as_of, calendar, planned, facts_of, former)
    # The memory's rows that differ from what it holds (most do not). When the plan file is
    # the one the memory was made from, a stored fingerprint is the item's (the incremental
    # path keeps them so too: every item whose entry changed was re-assessed and given its
    # new one): written again as it is, one made only for a row without.
    # A row whose kept first assessed day is not the item's is written too.
    same_plan = header.plan_hash is not None and header.plan_hash == last.plan_hash
    firsts = _first_days(result)
    first_of, kept = firsts.get, kept_first.get
    if same_plan:
        written = {
            i: r
            for i, r in fresh.items()
            if remembered.get(i) != r or not stored.get(i) or first_of(i) != kept(i)
        }
        fingerprints = {i: stored.get(i) or item_fingerprint(by_id[i]) for i in written}
    else:
        every = {i: item_fingerprint(d) for i, d in by_id.items()}
        written = {
            i: r
            for i, r in fresh.items()
            if remembered.get(i) != r or stored.get(i) != every[i] or first_of(i) != kept(i)
        }
        fingerprints = {i: every[i] for i in written}
    # Rows of items no longer in the plan: none when every row is of a plan item.
    in_plan = len(by_id) - len(missing)
    dropped = [] if in_plan == len(remembered) else [i for i in remembered if i not in by_id]
    # After the write the memory holds exactly ``fresh`` (every plan item's row: those not
    # written equal the stored ones): the stored tally is made its own (a full run repairs it,
    # as it repairs the rows), writing only the counts that differ.
    changes = tally_difference(tally, fresh) if tally is not None else None
    submit(
        lambda: memory.save(
            session,
            pid,
            header,
            written,
            fingerprints,
            replace_all=False,
            recorded_at=now,
            drop=dropped,
            tally=changes,
            first_days=firsts,
        )
    )
    return DayAssessment(result, reminders, result.counts(), False, len(result.items), former)


def _incremental(
    session: Session,
    index: PlanIndex,
    as_of: date,
    calendar: WorkCalendar,
    now: datetime,
    last: MemoryHeader,
    header: MemoryHeader,
    submit: Submit,
    planned: Planned | None,
    *,
    rerun: bool = False,
    replaying: bool = False,
) -> DayAssessment:
    """Only the items that can have changed since the memory's day judged, prompted and
    written. ``rerun``: the memory is of this very day (an earlier run of it): only the items
    updated or edited since are chosen, and their events and item_states rows compare with
    their states before the day, as a full rerun's do (the earlier run's rows of the day are
    overwritten, or removed where an item is back to its state before)."""
    from governance.incremental import (
        assess_selected,
        item_fingerprint,
        known_latest,
        plan_changes,
        select_due,
        state_counts,
        with_dependencies,
    )
    from governance.rag import RAG_VALUES, STATE_VALUES
    from governance.tally import tally_changes
    from store import memory, tallies
    from store.assessment_query import assessment_updates
    from store.first_assessed import first_assessed_days, new_first_days, record_first_days
    from store.records import new_state_record
    from store.states import previous_values_of, record_states

    plan = index.plan
    pid = plan.programme.id
    by_id = index.by_id
    # Only what the day needs of the memory: the rows of the items whose next check has come,
    # the stored counts per state and per action colour, and the ids of every item only
    # when the plan's items may have changed; then the rows of the chosen items and of what
    # they depend on.
    rowids: dict[str, int] = {}  # SQLite: the due rows' rowids, for moving their checks
    kept_first: dict[str, date] = {}  # the first assessed days the rows read keep
    due = memory.load_due(session, pid, as_of, rowids, kept_first)
    tally = tallies.load_tally(session, pid)
    touched: set[str] = set()
    fingerprints: dict[str, str] | None = None
    ids: Collection[str] | None = None  # every remembered id, when it may differ from the plan's
    if header.plan_hash is None or header.plan_hash != last.plan_hash:
        stored = memory.load_fingerprints(session, pid)
        touched = plan_changes(index, stored)
        fingerprints = {i: item_fingerprint(d) for i, d in by_id.items()}
        ids = stored.keys()
    elif tally.items != len(by_id):
        ids = memory.load_ids(session, pid)
    # Else the same plan file as last time, whose every item the memory then held (new items
    # are chosen, removed ones dropped): it holds exactly the plan's items.
    missing = [] if ids is None else [i for i in by_id if i not in ids]
    dropped = frozenset() if ids is None else frozenset(i for i in ids if i not in by_id)
    updated = memory.updated_items(
        session, pid, after_id=last.seen_update_id, after_day=last.as_of, through=as_of
    )
    chosen = select_due(index, due, missing=missing, updated=updated, touched=touched)
    needed = with_dependencies(index, chosen)
    rest = [i for i in needed | dropped if i not in due]
    remembered = due | memory.load_items(session, pid, rest, kept_first) if rest else due
    # Most needed items have no update since their row was written (they are chosen for a
    # date): their latest update and forecast come from the memory, and only the others'
    # updates are read (two index seeks an item, the step's largest read before).
    known = known_latest(needed, remembered, updated)
    unknown_latest = [i for i in needed if i not in known]
    updates = assessment_updates(session, pid, as_of, unknown_latest) if unknown_latest else []
    before_day: dict[str, tuple[str, str, bool, date | None]] | None = None
    if rerun:
        before_day = previous_values_of(session, pid, as_of, chosen) if chosen else {}
        earlier = {i: (v[0], v[2]) for i, v in before_day.items()}
    else:
        unknown = [i for i in chosen if i not in remembered]
        earlier = memory.earlier_states(session, pid, as_of, unknown) if unknown else {}
    # The due rows keep their items' first assessed days; the other chosen items' (and those
    # of rows that keep none) are read from item_first_assessed.
    unread = [i for i in chosen if i not in kept_first]
    first = kept_first | first_assessed_days(session, pid, unread) if unread else kept_first
    result = assess_selected(
        index, chosen, updates, as_of, calendar, remembered, earlier, tally=tally, known=known,
        before_day=rerun, first_assessed=first,
    )  # fmt: skip
    # Checked before anything is written: an inconsistent memory means a full assessment.
    counts = state_counts(index, tally, remembered, result.items)
    # From here the session is the worker's (store.dialect.alongside): the states are written
    # while the prompts on record are looked up and the reminders planned.
    # item_states: a row where an item differs from its latest, which the memory holds (or,
    # for an item new to it, ``earlier`` — whose rag and due are not known: write the row).
    states, rags = STATE_VALUES, RAG_VALUES  # Enum.value is a Python-level property
    if before_day is not None:
        # A rerun: the day's rows as a full rerun writes them, for the chosen items (the
        # others' rows of the day stand: nothing of theirs changed since the earlier run).
        records = [
            new_state_record(item_id, states[i.state], rags[i.rag], i.stale, i.due)
            for item_id, i in result.items.items()
        ]
        submit(lambda: record_states(session, pid, as_of, records, now, before_day))
    else:
        changed = []
        for item_id, i in result.items.items():
            state, rag = states[i.state], rags[i.rag]
            before = remembered.get(item_id)
            if before is None or (before.state, before.rag, before.stale, before.due) != (
                state,
                rag,
                i.stale,
                i.due,
            ):
                changed.append((item_id, state, rag, i.stale, i.due))
        submit(lambda: memory.append_states(session, pid, as_of, changed, now))
    new_first = new_first_days(result.items.values(), first)
    submit(lambda: record_first_days(session, pid, new_first, now))
    facts_of = _facts_reader(session, plan, as_of, calendar, submit, replaying)
    former = _former_organisations(session, pid, submit)
    reminders, fresh = _plan_and_remember(plan, result, as_of, calendar, planned, facts_of, former)
    # Every item whose plan entry changed was chosen: the others keep their stored fingerprints.
    fresh_fps = {i: fingerprints[i] for i in fresh} if fingerprints is not None else None
    # The stored tally changed where rows move between counts (``remembered`` holds every
    # stored row of a chosen or dropped item); one counted from the rows is stored again.
    changes = tally_changes(tally, remembered, fresh, dropped) if tally.stored else None
    submit(
        lambda: memory.save(
            session,
            pid,
            header,
            fresh,
            fresh_fps,
            replace_all=False,
            recorded_at=now,
            drop=dropped,
            tally=changes,
            stored=remembered,
            rowids=rowids,
            first_days=_first_days(result),
            stored_first=kept_first,
        )
    )
    return DayAssessment(result, reminders, counts, True, len(result.items), former)


def _first_days(result: Assessment) -> dict[str, date | None]:
    """Each judged item's first assessed day, as item_first_assessed holds it once the day's
    are recorded (the stored day, or this one): what its memory row keeps."""
    return {code: item.first_assessed for code, item in result.items.items()}


def _plan_and_remember(
    plan: Plan,
    result: Assessment,
    as_of: date,
    calendar: WorkCalendar,
    planned: Planned | None,
    facts_of: FactsOf,
    former: Mapping[str, str],
) -> tuple[ReminderPlan, dict[str, Remembered]]:
    """The judged items' reminders (handed to ``planned`` at once, so the day's records can
    be written meanwhile) and what to remember of each: the same on both paths. ``former``:
    the organisations of the contacts no longer in the plan (a hand-over's predecessors)."""
    from governance.escalated_today import contacts_questions, contacts_wanted, with_contacts
    from governance.next_checks import Scheduler
    from governance.remember import remember
    from governance.reminders import (
        as_people,
        contacts_of,
        plan_reminders_from,
        prompt_questions,
        recipients,
    )

    end = plan.programme.end
    questions = prompt_questions(
        result, as_of, plan.reminders, calendar, contacts_of(plan), end=end
    )
    facts = as_people(plan, facts_of(questions, False))  # a renamed contact's old ids: theirs
    reminders = plan_reminders_from(plan, result, questions, facts, as_of, calendar, former)
    if planned is not None:
        planned(result, reminders)
    scheduler = Scheduler(as_of, plan.reminders, calendar)
    working = calendar.is_working_day(as_of)
    wanted = contacts_wanted(reminders, facts, questions, scheduler, recorded=working)
    if wanted:  # escalating today with the stage on record: who was prompted about them
        found = as_people(plan, facts_of(contacts_questions(questions, wanted), True))
        facts = with_contacts(facts, found)
    by_owners: dict[Sequence[str], Collection[str]] = {}

    def recipients_of(owners: Sequence[str]) -> Collection[str]:
        found = by_owners.get(owners)
        if found is None:
            found = by_owners[owners] = tuple(recipients(plan, owners))
        return found

    fresh = remember(
        result,
        reminders,
        scheduler,
        facts,
        recorded=working,
        questions=questions,
        recipients_of=recipients_of,
        end=end,
    )
    return reminders, fresh


def _former_organisations(session: Session, pid: str, submit: Submit) -> Mapping[str, str]:
    """Contact id → organisation of the contacts removed from the plan (archived rows, few),
    read by the session's worker."""
    from store.former_contacts import former_contact_organisations

    return submit(lambda: former_contact_organisations(session, pid)).result()


def _facts_reader(
    session: Session,
    plan: Plan,
    as_of: date,
    calendar: WorkCalendar,
    submit: Submit,
    replaying: bool,
) -> FactsOf:
    """The prompts on record as the rules ask about them (:mod:`store.prompt_facts`), read by
    the session's worker after the writes submitted before. Whether prompts were delivered is
    read only for the items whose unanswered prompts' grace has run out (``ripe``): the others
    cannot escalate for them today. ``replaying``: the escalations a replay recorded count
    (a live day leaves them out: :mod:`store.replayed_prompts`)."""
    from store.prompt_facts import prompt_facts

    pid = plan.programme.id
    needed = plan.reminders.escalate_after_unanswered
    unanswered = needed > 0
    grace = plan.reminders.unanswered_grace_days

    def ripe(first: date) -> bool:
        return calendar.working_days_between(first, as_of) >= grace

    def facts_of(
        questions: Mapping[str, PromptQuestion], contacts_only: bool
    ) -> Mapping[str, PromptFacts]:
        return submit(
            lambda: prompt_facts(
                session,
                pid,
                as_of,
                questions,
                unanswered=unanswered and not contacts_only,
                delivery_after=0 if contacts_only else needed,
                ripe=ripe,
                replaying=replaying,
            )
        ).result()

    return facts_of
