"""The daily cycle's use cases: deadline check (sync → assess → record) and sending the outbox.

The flows in ``flows/`` are thin wrappers around these functions.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from regie.bootstrap import App
from regie.errors import InvalidInput

if TYPE_CHECKING:
    from concurrent.futures import Future

    from sqlalchemy.orm import Session

    from governance.assessment import Assessment
    from governance.events import DomainEvent
    from governance.plan import Plan
    from governance.programme_end import OpenAfterEnd
    from governance.reminders import ReminderPlan
    from regie.answer_links import LinkMaker
    from regie.plan_in_force import PlanInForce
    from store import Repository
    from store.records import OutboxRecord


@dataclass(frozen=True, slots=True)
class EventSummary:
    name: str
    item_id: str
    occurred_on: date
    payload: dict[str, Any]

    @property
    def resource_id(self) -> str:
        from governance.events import resource_id

        return resource_id(self.item_id)


@dataclass
class CheckReport:
    """What one deadline check did (or, with dry_run, would do)."""

    programme_id: str
    as_of: date
    dry_run: bool
    synced: str = ""  # the sync line, e.g. "in sync" or "2 changed"
    #: The sync's warnings, as `regie sync` prints them (a due date moved without a decision).
    warnings: list[str] = field(default_factory=list)
    events: list[EventSummary] = field(default_factory=list)  # newly recorded events
    queued: list[str] = field(default_factory=list)  # idempotency keys newly queued
    counts: dict[str, int] = field(default_factory=dict)  # items per state
    assessed: int = 0  # items (re-)assessed: all of them on a full assessment
    incremental: bool = False  # only the items that can have changed were assessed
    rebuilt: bool = False  # a full assessment that rebuilt the per-item memory (asked for)
    programme_rag: str = ""
    working_day: bool = True
    unaddressed: list[str] = field(default_factory=list)  # items due a prompt nobody can receive
    unreachable: list[str] = field(default_factory=list)  # contacts no channel reaches (and why)
    #: Dry run: keys of messages the run would send whose file is already in the file outbox
    #: (sent before, by a database that no longer knows it: restored from a backup?).
    resend: list[str] = field(default_factory=list)
    #: Computed deadlines first seen after the programme's end: "<item> <due>" (walk30 9).
    after_end: list[str] = field(default_factory=list)
    #: After the programme's end: its last day and the items still open, by what happens to them.
    ended: tuple[date, OpenAfterEnd] | None = None
    programme_end: date | None = None

    def summary(self) -> dict[str, Any]:
        return {
            "programme": self.programme_id,
            "as_of": self.as_of.isoformat(),
            "dry_run": self.dry_run,
            "synced": self.synced,
            "warnings": list(self.warnings),
            "events": len(self.events),
            "queued": len(self.queued),
            "counts": dict(self.counts),
            "programme_rag": self.programme_rag,
            "working_day": self.working_day,
            "assessed": self.assessed,
            "incremental": self.incremental,
            "rebuilt": self.rebuilt,
            "unaddressed": list(self.unaddressed),
            "unreachable": list(self.unreachable),
            "resend": list(self.resend),
            "event_names": [e.name for e in self.events],
            "after_end": list(self.after_end),
            "programme_end": self.programme_end.isoformat() if self.programme_end else None,
            "ended": _ended(self.ended),
        }


def _ended(ended: tuple[date, OpenAfterEnd] | None) -> dict[str, Any] | None:
    if ended is None:
        return None
    on, still = ended
    return {"on": on.isoformat(), "open": still.open, **still._asdict()}


@dataclass
class SendReport:
    channel: str
    sent: list[str] = field(default_factory=list)  # keys
    failed: list[tuple[str, str]] = field(default_factory=list)  # (key, error)
    dead: list[str] = field(default_factory=list)  # keys of failures that were the last attempt
    skipped: list[str] = field(default_factory=list)  # nothing left to send (items finished)
    #: Reminder digests not sent as the day's status round message asks all their items.
    in_round: list[str] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (key, e.g. "sent by e-mail")
    stopped: str | None = None  # why the batch stopped early (bad credentials …)
    waiting: int = 0  # failed messages waiting for a later attempt, after this send
    next_attempt: datetime | None = None  # when the first of them is tried next
    #: Messages another sender holds as 'sending' after this send (it is at work, or stopped
    #: before it finished: walk58d 3), and when the first is taken again if still unsent.
    held: list[str] = field(default_factory=list)
    held_until: datetime | None = None

    def summary(self) -> dict[str, Any]:
        return {
            "channel": self.channel,
            "sent": len(self.sent),
            "failed": len(self.failed),
            "dead": len(self.dead),
            "skipped": len(self.skipped),
            "in_round": len(self.in_round),
            "errors": [
                f"{key}: {error}"
                for key, error in self.failed[:ERRORS_SHOWN]
                if error != self.stopped  # said once, below
            ],
            "notes": [f"{key}: {note}" for key, note in self.notes],
            "stopped": self.stopped,
            "waiting": self.waiting,
            "next_attempt": self.next_attempt.isoformat() if self.next_attempt else None,
            "held": len(self.held),
            "held_keys": self.held[:ERRORS_SHOWN],  # the first: a summary stays small
            "held_until": self.held_until.isoformat() if self.held_until else None,
        }


#: Failures listed by key in a summary; the rest are counted (``regie outbox --status failed``).
ERRORS_SHOWN = 10


@contextmanager
def transaction(session: Session, *, commit: bool) -> Iterator[None]:
    """One transaction that is committed, or deliberately rolled back (a dry run computes
    everything, then keeps nothing). An error always rolls back."""
    tx = session.begin()
    try:
        yield
    except BaseException:
        tx.rollback()
        raise
    if commit:
        tx.commit()
    else:
        tx.rollback()


def deadline_check(
    app: App,
    as_of: date,
    *,
    dry_run: bool = False,
    plan: Plan | None = None,
    replay: bool = False,
    full_assessment: bool = False,
    rebuild_memory: bool = False,
    in_force: PlanInForce | None = None,
) -> CheckReport:
    """Sync the plan, assess it at ``as_of``, and record events, states and queued reminders in
    one transaction. Running it twice for the same ``as_of`` adds nothing.

    The assessment is incremental when it can be (:mod:`regie.daily`); ``full_assessment``
    re-assesses every item; ``rebuild_memory`` does so without trusting the stored per-item
    memory (previous states from item_states, latest updates read, the memory written anew).

    ``replay`` rebuilds history: reminders are recorded but marked ``suppressed``, never sent.

    The day is judged by the plan in force on it (:mod:`regie.plan_in_force`, the rule of
    ``regie status --as-of``): a decision of a later meeting does not apply yet. Plan-file
    edits without a decision are not rewound (``status --as-of`` undoes those): the file's
    plan is what is synced, and the day is judged with them. ``in_force``: kept across a run
    of days (a replay) so the rewind is read once and redone only when a day passes a meeting.
    """
    from governance.clock import utcnow
    from governance.programme_end import OpenAfterEnd, ended
    from governance.reminders import with_free_keys
    from governance.workdays import WorkCalendar
    from regie.daily import assess_day
    from regie.delivery import unreachable_contacts
    from regie.forecasts import quoted_forecasts
    from regie.gc_pause import paused_gc
    from regie.messages import (
        escalation_handovers,
        former_contacts,
        latest_update_ids,
        named_items,
        outbox_messages,
    )
    from regie.open_elsewhere import digests_elsewhere
    from regie.plan_in_force import PlanInForce
    from regie.report_due import queue_report_reminders
    from regie.services import sync_store, sync_warnings
    from store import Repository, memory
    from store.answers import add_links
    from store.assessment_query import notes_by_id
    from store.dialect import alongside, dialect_name
    from store.former_contacts import former_contact_names
    from store.prompt_rows import prompts_of

    plan = plan or app.load_plan()
    in_force = in_force or PlanInForce()
    calendar = WorkCalendar.for_plan(plan)
    report = CheckReport(plan.programme.id, as_of, dry_run)
    done_meeting = steering_done(app, plan, as_of)  # read before the day's transaction
    with app.session() as session, transaction(session, commit=not dry_run), paused_gc():
        synced = sync_store(app, session, plan)
        report.synced = synced.describe(would=dry_run)
        report.warnings = sync_warnings(session, plan, synced)
        if synced.changed:
            in_force.forget()
        # From here on the plan of the day (the file's own when nothing is rewound).
        plan, plan_hash = in_force.of(session, plan, as_of)
        repo = Repository(session, plan.programme.id)
        today = ensure_not_future(app, plan, as_of)
        ensure_forward(plan.programme.id, repo.last_assessed(), as_of, today)
        # On PostgreSQL the server stores the day (states, events, prompts, memory) while the
        # items are judged, the memory is made and the messages rendered, which need nothing
        # from the database (store.dialect.alongside).
        report.working_day = calendar.is_working_day(as_of)
        # Messages an earlier run of the day queued: a rerun's digests go under other keys.
        taken = repo.outbox_keys(as_of)
        # SQLite writes at once, in this thread: there the day is recorded after the memory,
        # as before (its records then never live beside the memory's, a lower peak RSS).
        early = dialect_name(session) == "postgresql"
        day_plan: list[tuple[list[DomainEvent], ReminderPlan]] = []
        recorded: list[Future[set[str]]] = []  # the new event keys
        with alongside(session) as submit:

            def record(events: list[DomainEvent], reminders: ReminderPlan) -> None:
                event_records, prompt_records = _event_records(events), reminders.records

                def record_day() -> set[str]:
                    new_keys = set(repo.record_new_events(event_records))
                    repo.record_assessed_day(as_of)
                    repo.record_prompts(prompt_records)
                    return new_keys

                recorded.append(submit(record_day))

            def planned(assessment: Assessment, reminders: ReminderPlan) -> None:
                """The day's events and prompts, stored as soon as they are known (PostgreSQL:
                before the memory is made, so the server inserts them meanwhile)."""
                if not report.working_day:
                    # Weekends and public holidays: states and events yes, prompts no. The next
                    # working day catches up, as reminder stages never get lost.
                    reminders = quiet(reminders)
                reminders = with_free_keys(reminders, taken)
                day_plan.append(([*assessment.events, *reminders.events], reminders))
                if early:
                    record(*day_plan[-1])

            day = assess_day(
                session,
                plan,
                as_of,
                calendar,
                now=utcnow(),
                plan_hash=plan_hash,
                full=full_assessment,
                rebuild=rebuild_memory,
                submit=submit,
                planned=planned,
                replaying=replay,
            )
            assessment = day.assessment
            events, reminders = day_plan[-1]
            if not early:
                record(events, reminders)
            report.assessed = day.reassessed
            report.incremental = day.incremental
            report.rebuilt = rebuild_memory
            linker = answer_linker(app, plan) if not replay else None
            # The notes of the latest answers the messages repeat (an incremental run's
            # memory holds none), read as the session's submitted work (PostgreSQL).
            note_ids = latest_update_ids(assessment, reminders)
            notes = submit(lambda: notes_by_id(session, note_ids)).result()
            # Their forecasts as quoted: the latest update's own, an earlier one in force
            # apart with its day (walk56a 3); by the decisions the day's plan rests on.
            named = [assessment.items[i] for i in named_items(reminders)]
            decided = in_force.decisions(session, plan.programme.id)
            forecasts = submit(
                lambda: quoted_forecasts(session, plan, named, as_of, decisions=decided)
            ).result()
            # A hand-over names a predecessor removed from the plan (archived, not forgotten).
            pid = plan.programme.id
            # An escalated item that changed hands lately says so: its prompts read (few).
            escalated = {e.item_id for e in reminders.escalations}
            held = submit(lambda: prompts_of(session, pid, as_of, escalated)).result()
            # Whose predecessors its note names: the archived contacts' organisations too
            # (read once, by the day's assessment).
            orgs = day.former_organisations
            handed = escalation_handovers(plan, assessment, reminders, held, orgs)
            gone = former_contacts(plan, reminders, handed)
            former = submit(lambda: former_contact_names(session, pid, gone)).result()
            # Each digest ends with the contact's other open items (walk55b 3).
            elsewhere, overview = digests_elsewhere(
                session, plan, assessment, reminders, incremental=day.incremental, submit=submit
            )
            # Rendered as they are queued, none kept: a day's digests at 100k items are tens of
            # MiB of text and payload (their keys and recipients noted for the checks after).
            addressed: list[tuple[str, str]] = []
            records = _noted(
                outbox_messages(
                    plan,
                    assessment,
                    reminders,
                    linker,
                    office_channel=office_channel(app),
                    taken=taken,
                    notes=notes,
                    reply_to=app.mail_reply_to(plan) is not None,
                    steering_done=done_meeting,
                    former=former,
                    handed=handed,
                    elsewhere=elsewhere,
                    overview=overview,
                    forecasts=forecasts,
                ),
                addressed,
            )
        new_keys = recorded[-1].result()
        report.queued = repo.enqueue(records, status="suppressed" if replay else "pending")
        if linker is not None:  # links of messages queued just now (not of duplicates)
            add_links(session, plan.programme.id, linker.made(set(report.queued)), utcnow())
        # The reports the plan's reporting obligations owe: the office reminded before they
        # fall due, once per obligation and due date (regie.report_due).
        report.queued += queue_report_reminders(
            session, plan, as_of, status="suppressed" if replay else "pending",
            office_channel=office_channel(app),
        )  # fmt: skip
        report.events = [
            EventSummary(e.name, e.item_id, e.occurred_on, dict(e.payload))
            for e in events
            if e.key in new_keys
        ]
        report.events += _after_end(repo, plan, assessment, as_of, report)
        end = plan.programme.end
        if ended(end, as_of):  # the cycle goes on; the office is told each run
            report.ended = (end, OpenAfterEnd.of(memory.state_dues(session, plan.programme.id)))
        report.counts = {k: v for k, v in day.counts.items() if v}
        report.programme_rag = assessment.programme.value
        report.unaddressed = [i.item_id for i in reminders.unaddressed]
        if dry_run:
            waiting = repo.outbox_keys_with_status("pending", "failed")  # keys only: 100k items
            from regie.resend import sent_before

            report.resend = sent_before(app, [*report.queued, *waiting])
        if not replay:
            queued = set(report.queued)
            report.unreachable = [
                str(u)
                for u in unreachable_contacts(
                    app, plan, {recipient for key, recipient in addressed if key in queued}
                )
            ]
    return report


def _noted(records: Iterable[OutboxRecord], seen: list[tuple[str, str]]) -> Iterator[OutboxRecord]:
    """``records`` as they come, each one's (key, recipient) added to ``seen``."""
    for record in records:
        seen.append((record.key, record.recipient))
        yield record


def steering_done(app: App, plan: Plan, as_of: date) -> bool:
    """Whether the steering body an escalation names had meetings and has none left on or
    after ``as_of`` (`regie meeting list`: the plan's and the one-off ones): the escalation
    then says so instead of suggesting the item for its agenda (walk30 9). A body without any
    meeting known is not "done": nothing says it stopped meeting."""
    from governance.reminders import steering_body
    from regie.report_reads import meetings

    body = steering_body(plan)
    if body is None:
        return False
    known = meetings(app, body.id, plan=plan)
    return bool(known) and known[-1].on < as_of


def office_channel(app: App) -> str | None:
    slack = app.settings.slack
    return slack.office_channel if slack and "slack" in app.settings.notifiers else None


def answer_linker(app: App, plan: Plan) -> LinkMaker | None:
    """Signed answer links for e-mailed digests, when a REGIE_SECRET_KEY is set (without one,
    the digest asks the owner to reply to it, and ``regie cycle`` says links are off)."""
    from regie.answer_links import LinkMaker

    if not app.settings.secret_key:
        return None
    secret = app.settings.require_secret_key()  # a key too short to be safe: one clear line
    addresses = {c.id: c.email for c in plan.contacts if c.email}
    return LinkMaker(app.settings.base_url, secret, plan.programme.id, addresses)


#: How far past today ``--simulate`` may run the cycle.
SIMULATION_YEARS = 100


def ensure_forward(
    programme_id: str, last: date | None, as_of: date, today: date | None = None
) -> None:
    """Assessing an earlier day after a later one would re-announce transitions the later day
    already recorded: the programme's history only moves forward. ``today`` (the office's
    date; None under a simulation): a last assessed day after it was assessed by a run whose
    clock, or ``--as-of``, was ahead, and the refusal says so and the way back (walk58d 2)."""
    if last is None or as_of >= last:
        return
    if today is not None and last > today:
        raise InvalidInput(clock_ahead(programme_id, last, today))
    raise InvalidInput(
        f"{programme_id} is already assessed up to {last}; {as_of} is earlier. "
        "Use `regie status --as-of` to look back, or a fresh REGIE_HOME to replay."
    )


def clock_ahead(programme_id: str, last: date, today: date) -> str:
    """Why no cycle runs while the last assessed day is after today, and the ways back that
    keep the database (docs/operations.md, "A clock that ran ahead")."""
    return (
        f"{programme_id} is already assessed up to {last}, after today ({today}): an earlier "
        "cycle ran with the machine's clock ahead (or with `--as-of` ahead); check the clock. "
        f"Its reminders and escalations of {last} are queued or sent (`regie outbox`). History "
        f"only moves forward: wait, from {last} on `regie cycle` runs again (`regie send` and "
        "answers work meanwhile), or restore the backup made before that run (`regie db "
        'restore FILE`; docs/operations.md, "A clock that ran ahead")'
    )


def ensure_not_future(app: App, plan: Plan, as_of: date) -> date | None:
    """A day that has not come yet would send real reminders early and, since history only
    moves forward, lock out every day until then. Simulations say so (REGIE_SIMULATE).
    Returns today (the office's date); None under a simulation, whose history may stand
    after it."""
    from regie.services import today as business_date

    zone = app.settings.timezone or plan.calendar.timezone
    today = business_date(app, plan)
    if app.settings.simulate:
        # The cycle looks ahead from its day (reminder windows, working-day sums, the next
        # block of months): a century is more than any simulation needs, 9999-12-31 a typo.
        horizon = today.replace(year=today.year + SIMULATION_YEARS, day=min(today.day, 28))
        if as_of > horizon:
            raise InvalidInput(
                f"--as-of {as_of}: a simulation reaches at most {SIMULATION_YEARS} years past "
                f"today ({horizon})"
            )
        return None
    if as_of > today:
        raise InvalidInput(
            f"--as-of {as_of} is after today ({today} in {zone}): reminders would go out for a "
            "day that has not come and every day before it would be refused afterwards; "
            "to simulate, use a scratch REGIE_HOME and `regie cycle --simulate`"
        )
    return today


def check_can_run(app: App, plan: Plan, as_of: date) -> str | None:
    """The checks a cycle would fail on, done before Prefect starts (one line, no flow log);
    a warning to show, or None."""
    from governance.dates import programme_life
    from store import Repository

    life = programme_life(plan)
    if as_of < life.first:  # a typo (0001-01-01) would be stored as the first assessed day
        raise InvalidInput(f"--as-of {as_of} is before the programme's life ({life.describe()})")
    today = ensure_not_future(app, plan, as_of)
    with app.session() as session:
        last = Repository(session, plan.programme.id).last_assessed()
    ensure_forward(plan.programme.id, last, as_of, today)
    start = plan.programme.start
    if last is None and start is not None and as_of < start:
        # Allowed (a run-up), but history only moves forward: say it before it is recorded.
        return (
            f"warning: this home's first day {as_of} is before the programme's start {start}; "
            "it can never assess an earlier day"
        )
    return None


def quiet(reminders: ReminderPlan) -> ReminderPlan:
    """The same plan without anything to queue (no digests, escalations, records or events)."""
    from dataclasses import replace

    return replace(
        reminders,
        digests=(),
        escalations=(),
        escalation_digests=(),
        events=(),
        records=(),
        unaddressed=(),
    )


def _after_end(
    repo: Repository, plan: Plan, assessment: Assessment, as_of: date, report: CheckReport
) -> list[EventSummary]:
    """Record each computed deadline after the programme's end once per item and date (the
    key has no day: :func:`governance.programme_end.after_end_key`); the new ones go in the
    report, for the cycle's one line and Prefect."""
    from governance.programme_end import DUE_AFTER_END, after_end_key, computed_after_end
    from store import EventRecord

    end = plan.programme.end
    late = computed_after_end(assessment.items.values(), end)
    if end is None or not late:
        return []
    report.programme_end = end
    records = [
        EventRecord(
            DUE_AFTER_END,
            i.item_id,
            as_of,
            {"due": i.due.isoformat(), "end": end.isoformat(), "period_text": i.gereed},
            after_end_key(i.item_id, i.due),
        )
        for i in late
        if i.due is not None
    ]
    fresh = set(repo.record_new_events(records))
    new = [r for r in records if r.dedupe_key in fresh]
    report.after_end = [f"{r.item_id} {r.payload['due']}" for r in new]
    return [EventSummary(r.name, r.item_id or "", r.occurred_on, dict(r.payload)) for r in new]


def _event_records(events: list[DomainEvent]) -> list[Any]:
    from store import EventRecord

    return [EventRecord(e.name, e.item_id, e.occurred_on, dict(e.payload), e.key) for e in events]


def send_reminders(
    app: App,
    *,
    limit: int | None = None,
    keys: Collection[str] | None = None,
    max_attempts: int | None = None,
) -> SendReport:
    """Drain pending outbox messages through the configured notifier (at most once each);
    only those of ``keys`` when given, with ``max_attempts`` tries in all when given.

    Each message is claimed (pending → sending) in its own short transaction before delivery
    and marked sent after it, so two senders never deliver the same message and a crash leaves
    the row claimable again later (the notifiers are idempotent per key).
    """
    from governance.clock import utcnow
    from notifications.base import (
        Bounced,
        ChannelDown,
        NotifierError,
        Postponed,
        Refused,
        SenderRefused,
        Unreachable,
        batch,
        workers,
    )
    from regie.answer_links import link_filler
    from regie.delivery import current_addresses, readdressed
    from regie.mapping import message_from_outbox
    from store import OutboxError, Repository, outbox
    from store.outbox import GIVE_UP_AFTER, MAX_ATTEMPTS, ROUND_ASKS

    tries = MAX_ATTEMPTS if max_attempts is None else max_attempts
    hours = app.settings.outbox_give_up_hours  # REGIE_OUTBOX_GIVE_UP_HOURS
    give_up = GIVE_UP_AFTER if hours is None else timedelta(hours=hours)
    notifier = app.notifier()
    report = SendReport(notifier.channel)
    plan_id = app.programme_id()
    # Stored messages hold placeholders: the answer links go in here (regie.answer_links).
    with_links = link_filler(app, plan_id)
    addresses = current_addresses(app)  # a message goes to the contact's address of now
    with app.session() as session, session.begin():
        claimed = Repository(session, plan_id).claim_outbox(
            limit=limit, now=utcnow(), keys=keys, max_attempts=tries
        )
    # SQLite: bookkeeping one row at a time, as it refuses (rather than waits for) a transaction
    # that reads and then writes while another thread writes. Deliveries still overlap; the
    # Slack look-up cache takes the same lock.
    bookkeeping = app.writing()

    def record_failure(row: OutboxRecord, reason: str, exc: Exception) -> None:
        # No channel reaches the recipient: waiting does not help, so no give-up window; a
        # server refused the message for good (an SMTP 5xx reply): given up at once; the
        # address bounces: it waits for a new one, however long.
        bounced = isinstance(exc, Bounced)
        with bookkeeping:
            _record_failure(
                app, plan_id, row, reason, report, tries, give_up,
                permanent=isinstance(exc, Unreachable) and not bounced,
                # The server may have it (no answer to its DATA): given up at once, as a
                # refusal is, so that nothing sends it again before the operator decides.
                refused=isinstance(exc, Refused) or getattr(exc, "unconfirmed", False),
                waiting=bounced,
                channel=getattr(exc, "channel", None),
            )  # fmt: skip

    def release(row: OutboxRecord) -> None:
        from contextlib import suppress

        from store import outbox

        # OutboxError: another sender reclaimed it meanwhile; it owns it now.
        with bookkeeping, app.session() as session, session.begin(), suppress(OutboxError):
            outbox.release(session, plan_id, row.key, claim_token=row.claim_token)

    def deliver(row: OutboxRecord) -> None:
        if report.stopped:
            # The channel is down (bad credentials, server gone): the rest wait, untried and
            # without using up an attempt, for the next run (ops review, finding 1).
            release(row)
            return
        try:
            with bookkeeping:
                checked = _recheck(app, plan_id, row)
            if checked is None:
                report.skipped.append(row.key)
                return
            if isinstance(checked, InRound):
                report.in_round.append(row.key)
                return
            with bookkeeping:
                row = readdressed(app, plan_id, checked, addresses)
            delivery = notifier.send(message_from_outbox(with_links(row), plan_id))
        except Exception as exc:  # one bad message must not strand the batch
            if isinstance(exc, Postponed):
                # Its channel went down earlier in this batch: untried, no attempt used.
                release(row)
                return
            reason = failure_reason(exc)
            if isinstance(exc, ChannelDown):
                report.stopped = reason
            if isinstance(exc, SenderRefused):
                # Our sender address, not this message: it stays queued, its attempt uncounted.
                release(row)
                with bookkeeping:
                    _sender_refused(app, plan_id, reason)
                return
            record_failure(row, reason, exc)
            return
        try:
            with bookkeeping, app.session() as session, session.begin():
                Repository(session, plan_id).mark_sent(
                    row.key,
                    channel=delivery.channel,
                    external_id=delivery.external_id,
                    now=utcnow(),
                    claim_token=row.claim_token,
                )
        except OutboxError as exc:
            # Another sender reclaimed this row after we took too long; it owns it now.
            report.failed.append((row.key, f"claim lost: {exc}"))
            return
        report.sent.append(row.key)
        if delivery.note:
            report.notes.append((row.key, delivery.note))

    # A status round's requests and chases are settled first: a digest of the same day then
    # leaves out what a round message asks only when that message went (or still waits to go),
    # not one that fails later in the same batch (store.outbox.asked_in_round).
    asks = [row for row in claimed if row.kind in ROUND_ASKS]
    others = [row for row in claimed if row.kind not in ROUND_ASKS]
    with batch(notifier):  # e.g. one SMTP connection for the lot
        for rows in (asks, others):
            if workers(notifier) == 1 or len(rows) < 2:
                for row in rows:
                    deliver(row)
            else:
                # Slack answers in tenths of a second: a few messages in flight keep the pace
                # at the workspace limit (each row is still claimed, sent and marked on its own).
                from concurrent.futures import ThreadPoolExecutor

                with ThreadPoolExecutor(workers(notifier), thread_name_prefix="send") as pool:
                    for _ in pool.map(deliver, rows):
                        pass
    down: dict[str, str] = getattr(notifier, "down", {})
    if down and not report.stopped:
        # One channel down, the others went on (the router's fall-back): still said once.
        report.stopped = "; ".join(failure_reason(NotifierError(why)) for why in down.values())
    # What a later send tries: said, so that "0 failed" does not hide it (walk31 4).
    with app.session() as session:
        report.waiting, report.next_attempt = outbox.waiting(session, plan_id)
        held = outbox.held(session, plan_id)  # this send's own are sent, failed or back
    report.held = [key for key, _ in held]
    if held:
        report.held_until = min(claimed for _, claimed in held) + outbox.RECLAIM_AFTER
    return report


def _sender_refused(app: App, plan_id: str, reason: str) -> None:
    """Remember the refusal of our sender for `regie doctor` (one event a day and reason: the
    office's day, as the audit export files it)."""
    import hashlib

    from regie.services import office_day, utcnow
    from store.audit import record_action
    from store.bounces import SENDER_REFUSED_EVENT

    now = utcnow()
    day = office_day(app, now)
    said = hashlib.sha256(reason.encode()).hexdigest()[:16]
    with app.session() as session, session.begin():
        record_action(
            session, plan_id, SENDER_REFUSED_EVENT, now=now, occurred_on=day,
            payload={"reason": reason}, key=f"{day.isoformat()}:{said}",
        )  # fmt: skip


class InRound:
    """A reminder digest not sent: the day's status round message asks all its items."""


def _recheck(app: App, plan_id: str, row: OutboxRecord) -> OutboxRecord | InRound | None:
    """The message as it should go out now, or None when nothing is left to send (recorded),
    or :class:`InRound` when the day's status round message asks all its items (recorded)."""
    from notifications.notes import NoteCode, dutch
    from regie.recheck import needs_plan, recheck
    from store import Repository
    from store.dialect import take_write_lock

    obligations = None
    if needs_plan(row):  # an old report-due reminder: rare, so the plan is read for it only
        plan = app._plan_if_readable()
        if plan is not None and plan.programme.id == plan_id:  # another programme's: unknown
            obligations = [r.id for r in plan.reports]
    with app.session() as session, session.begin():
        first = recheck(session, plan_id, row, obligations)
        if not first.changed:
            return row  # the usual case: read only
    # Something to record: again, write lock first (SQLite refuses a write after a read at once
    # when another connection writes, instead of waiting: store.dialect.take_write_lock).
    with app.session() as session, session.begin():
        take_write_lock(session)
        checked = recheck(session, plan_id, row, obligations)
        if not checked.changed:
            return row
        repo = Repository(session, plan_id)
        if checked.cancelled:
            repo.mark_suppressed(row.key, claim_token=row.claim_token, reason=checked.cancelled)
            return None
        if checked.empty:
            reasons = []
            if checked.left_out:
                reasons.append(f"{dutch(NoteCode.NOTHING_LEFT)} ({', '.join(checked.left_out)})")
            if checked.in_round:
                reasons.append(f"{dutch(NoteCode.IN_ROUND)} ({', '.join(checked.in_round)})")
                # Its stored entries emptied too: an item the round asked is no stage left
                # undelivered (store.prompt_delivery), so escalation keeps its day.
                repo.revise_outbox(checked.message)
            repo.mark_suppressed(row.key, claim_token=row.claim_token, reason="; ".join(reasons))
            return None if checked.left_out else InRound()
        repo.revise_outbox(checked.message)
        return checked.message


#: A reason stored on a failed message is one readable line, never a whole traceback.
REASON_MAX = 500


def failure_reason(exc: BaseException) -> str:
    """Why a message was not delivered, in one line: the notifier's own words, or the kind of
    error for anything unexpected (a bug must not read like a delivery refusal)."""
    from notifications import NotifierError

    text = " ".join(str(exc).split()) or type(exc).__name__
    if not isinstance(exc, NotifierError):
        text = f"{type(exc).__name__}: {text}"
    return text if len(text) <= REASON_MAX else text[: REASON_MAX - 1] + "…"


def _record_failure(
    app: App,
    plan_id: str,
    row: OutboxRecord,
    reason: str,
    report: SendReport,
    max_attempts: int,
    give_up_after: timedelta,
    permanent: bool,
    refused: bool = False,
    waiting: bool = False,
    channel: str | None = None,
) -> None:
    from governance.clock import utcnow
    from store import OutboxError, Repository

    key = row.key
    try:
        with app.session() as session, session.begin():
            status = Repository(session, plan_id).mark_failed(
                key,
                error=reason,
                now=utcnow(),
                claim_token=row.claim_token,
                max_attempts=max_attempts,
                give_up_after=give_up_after,
                permanent=permanent,
                refused=refused,
                waiting=waiting,
                channel=channel,  # where it may have arrived: later attempts stay there
            )
    except OutboxError as exc:
        report.failed.append((key, f"claim lost: {exc}"))
        return
    report.failed.append((key, reason))
    if status == "dead":
        report.dead.append(key)
