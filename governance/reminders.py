"""The reminder policy: who is prompted about what today, and what escalates.

Settings come from ``plan.reminders`` (all counts in working days). Everything is computed from
an assessment and the history of what was queued before, so a daily run can be repeated, skipped
or run late without losing or duplicating prompts.

Stages. At any ``as_of`` an open item is in at most one stage:

- dated items: ``first@D`` (at most ``first_prompt_days`` before the due date D), ``second@D``
  (at most ``second_prompt_days`` before), ``due@D`` (on the due date and after it, until the
  first overdue stage; only with ``on_due_date``), ``overdue-N@D`` (N = working days overdue //
  ``overdue_every_days``, N ≥ 1), D in ISO form (``first@2016-09-30``). A dated stage names the
  due date it is about, so when the due date changes (a *gereed* revised in the plan, or a
  dependent item's date computed anew) the new date gets its own prompts: those sent for the
  old date do not count for it. A slipped item past its due date, whose owner's forecast is
  still ahead, is in no stage: the forecast is the new commitment. Forecasts: from the day the
  forecast F comes (after the due date) the item has the stages of a due date F: ``due@F`` on
  the forecast day ("your expected date has come: is it done?"), whatever ``on_due_date``
  says, then ``overdue-N@F`` counted from F (the item is overdue again). Items without such a
  forecast keep their stage keys;
- ongoing items (open-ended, recurring): ``periodic-YYYYQn``, once per calendar quarter from their
  start (other ``open_ended_every_months`` give ``periodic-YYYYMmm`` blocks);
- done, cancelled, undated and waiting items are in no stage and never prompted.

A prompt is due when the item's current stage was never prompted before (whatever the contact):
a missed day never loses a reminder and never sends the skipped stages afterwards. Nor does it
make an owner asked on two days running: a dated stage is left out when its previous stage was
first prompted (late, after missed days) fewer than half of ``overdue_every_days`` working days
before it starts; the stage after it asks. An answer
suppresses a stage: any update reported on or after the day the current stage began means the
owner already spoke in this stage, so it is not prompted. Only the owner's own updates answer:
an update a decision recorded (source ``decision``: a stuurgroep restoring a dropped item) is
not the owner speaking, so it suppresses no stage.

Recipients are contacts: every contact of each owner organisation. An owner without a contact is
covered by the programme-office contacts, with the note "no contact for <org>". Each contact gets
ONE digest a day with all their items (key ``reminder:<programme>:<contact>:<as_of>:digest``).

Escalations go to the programme-office contacts. A run is the time since the item's latest status
update (or since the start, without one; a decision's update, which answers no stage, still
starts a run: the body has just decided on the item). An item escalates at most once per run:

- ``unanswered``: at least ``escalate_after_unanswered`` prompts (distinct stages) were queued after
  the day of the latest update, each before today and at least ``unanswered_grace_days``
  working days before it — the owner's time to answer, so that a prompt just before the
  holidays does not escalate on the first day back. Prompts for an earlier due date count
  too: the owner left them unanswered all the same.
  It escalates whether or not the reminders were delivered (the office must act either way),
  but it says how many of them never reached the owner (:attr:`PromptFacts.undelivered`);
- ``overdue``: at least ``escalate_after_overdue_days`` working days overdue without an answer,
  counted from the due date or from the latest update, whichever is later; of an item whose
  owner's forecast (after the due date) has passed, from that forecast instead of the due date
  — and only once the owner was asked (below).

Asked first. An item escalates for being overdue only once its owner was prompted about the
date it is overdue against (a stage naming its due date, or the passed forecast) at least
``unanswered_grace_days`` working days before (0: the day before), as prompts count for
``unanswered``. Prompts about an earlier due date do not count: they asked about another date.
So an item nobody was asked about — the first live run after adopting Regie mid-programme, an
item added to the plan already overdue, a due date moved into the past, a dependent item whose
computed date has passed — is prompted first and escalates when the answer window has passed
unanswered, never on the day of its first prompt. Prompts a ``regie replay`` recorded count as
given: a programme whose owners were asked before replays those days and escalates at once.
Who was prompted does not matter (a new owner's first prompt is a hand-over, below): the
office is told about the item, and the item was asked about.

Back-off. Once the current run has escalated (on day E), the office and the steering body know;
prompting the owner every ``overdue_every_days`` for months more only teaches them to ignore the
mail. So the overdue stages of the current due date then come at most every
``after_escalation_every_days`` working days (rounded up to a whole number m of
``overdue_every_days``: only ``overdue-N`` with N a multiple of m is prompted; 0: no overdue
prompt at all after the escalation). It applies to the contacts who were prompted about the
item by the day of the escalation (a successor is prompted at the normal cadence, see below),
and only while the escalation is about the current due date: raised on or after the day the
date's first prompt window opened (a later due date — a *gereed* revised by decision or in the
plan — starts with the normal cadence). Something new ends it: an owner's answer starts a new
run (normal cadence, and a new escalation when it comes to that); a new due date or a new
contact has the normal cadence for as long as a new run would need to escalate for being
overdue (``escalate_after_overdue_days`` working days past the new date, or after the new
contact's first prompt), then backs off again (the run has escalated: the office knows).

Hand-over. A contact prompted about an item for the first time while other contacts were
prompted about it before (a new contact of the owning organisation, or a new owning
organisation after a plan edit or a decision) gets the prompt as a hand-over
(:class:`Handover`): who was asked before, since when and until when.

Escalation keys are ``escalation:<item>:<latest update id or 'none'>:<kind>`` (the update's
``reported_on`` stands in for a missing id). They are recorded as prompt records whose stage is
the key, so history alone says whether the current run has escalated already. Programme-office
contacts get one escalation digest a day (key ``escalation:<programme>:<contact>:<as_of>``).

What the rules read of an item's history is bounded (:class:`PromptQuestion`, :class:`PromptFacts`):
whether its current stage is on record, whether (and from which day) its current run escalated,
the stages queued since its latest update, and — only of an item whose stage is to be prompted
today — which contacts were prompted about it before, from when until when. The store answers
those through its indexes, so a day's cost does not grow with the years of prompts behind it;
:func:`facts_from_history` answers them from a list.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import NamedTuple

from governance.assessment import ONGOING_KINDS, Assessment, ItemAssessment, State
from governance.decisions import DECISION_SOURCE
from governance.events import ESCALATION_RAISED, REMINDER_QUEUED, DomainEvent, new_event
from governance.plan import GovernanceBody, Plan, ReminderPolicy
from governance.rag import STATE_VALUES
from governance.records import positional_constructor
from governance.updates import StatusUpdate
from governance.workdays import WorkCalendar

ESCALATION_PREFIX = "escalation:"
#: The kinds of escalation: the last part of an escalation key.
ESCALATION_KINDS = ("overdue", "unanswered")
#: What marks a governance body as the one that steers the programme (Dutch and English).
STEERING_WORDS = ("stuur", "steering", "bestuur", "raad", "board")
_SILENT = frozenset({State.DONE, State.CANCELLED, State.UNDATED, State.WAITING})


@dataclass(frozen=True, slots=True)
class PromptRecord:
    """One queued prompt (or escalation, stage ``escalation:…``) for one contact."""

    item_id: str
    stage: str
    contact_id: str  # "" for an escalation with no programme-office contact
    queued_on: date

    @property
    def is_escalation(self) -> bool:
        return self.stage.startswith(ESCALATION_PREFIX)


@dataclass(frozen=True, slots=True)
class Handover:
    """A prompt to a contact who was never prompted about the item while others were: the
    item was handed over to them (a new contact of its owner, or a new owner)."""

    previous: tuple[str, ...]  # the contacts prompted about it before (ids, sorted)
    first_asked: date  # the first prompt about the item to any of them
    last_asked: date  # the last prompt to one of them


@dataclass(frozen=True, slots=True)
class DigestItem:
    item_id: str
    stage: str
    state: str
    due: date | None
    title: str
    gereed: str | None
    action_id: str
    note: str | None = None  # e.g. "no contact for EZ" when sent to the programme office
    handover: Handover | None = None  # the contact's first prompt about an item others had


@dataclass(frozen=True, slots=True)
class Digest:
    contact_id: str
    as_of: date
    items: tuple[DigestItem, ...]
    key: str


@dataclass(frozen=True, slots=True)
class Escalation:
    item_id: str
    reason: str
    contact_ids: tuple[str, ...]
    key: str
    kind: str  # unanswered | overdue
    # Of an ``unanswered`` escalation: the prompts it counts, and how many of them no message
    # delivered (a failed or unsent reminder: the owner was not reached, not silent).
    prompts: int = 0
    undelivered: int = 0


@dataclass(frozen=True, slots=True)
class EscalationDigest:
    contact_id: str
    as_of: date
    escalations: tuple[Escalation, ...]
    key: str


@dataclass(frozen=True, slots=True)
class ReminderPlan:
    as_of: date
    digests: tuple[Digest, ...]
    escalations: tuple[Escalation, ...]
    escalation_digests: tuple[EscalationDigest, ...]
    events: tuple[DomainEvent, ...]
    records: tuple[PromptRecord, ...]  # append these to the history once queued
    unaddressed: tuple[DigestItem, ...]  # due prompts nobody can receive (no contacts at all)


class PromptQuestion(NamedTuple):
    """What the rules ask of one item's prompts on record (queued on or before the day)."""

    stage: str | None  # the current stage, when it is due unless prompted before (else None)
    run: str  # the prefix of the current run's escalation keys (:func:`escalation_run`)
    since: date | None  # the latest update's day: stages queued after it are unanswered
    # The stage before ``stage``: first prompted after ``previous_after``, it was a late catch-up
    # too close to this one, which is then left out (:func:`_dated_stage`).
    previous: str | None = None
    previous_after: date | None = None
    # Of an item overdue long enough to escalate for it (:func:`overdue_dates`): the stage
    # suffixes (``@<date>``) of the dates it is overdue against; its first prompt naming one of
    # them is asked for (:attr:`PromptFacts.asked_on`). Empty for every other item.
    asked_about: tuple[str, ...] = ()


class PromptFacts(NamedTuple):
    """The answers: whether the asked stage is on record, whether the run escalated, and the
    stages (not escalations) queued after ``since``, each with the first day it was queued
    (left empty once the run escalated: it escalates no more, so nothing reads them).

    ``undelivered``: of ``unanswered``, the stages whose every message failed or was not sent
    (yet). The store tells it only of the items about to escalate for unanswered prompts; an
    escalation then says how many of the requests never reached the owner."""

    stage_prompted: bool = False
    escalated: bool = False
    unanswered: Mapping[str, date] = {}
    too_soon: bool = False  # the previous stage was first prompted after ``previous_after``
    undelivered: frozenset[str] = frozenset()
    # The first day the current run escalated (None: it has not).
    escalated_on: date | None = None
    # Of an item whose current stage is due (asked, not prompted, not too soon), or on record
    # after its run escalated (governance.incremental: whether the next stage is left out for
    # every contact): each contact prompted about it before (reminders, not escalations) →
    # (first day, last day).
    contacts: Mapping[str, tuple[date, date]] = {}
    # Of an item asked about (:attr:`PromptQuestion.asked_about`) whose run has not escalated:
    # the first day a prompt (not an escalation) named one of those dates (None: never).
    asked_on: date | None = None

    def unanswered_before(self, day: date) -> set[str]:
        return {stage for stage, first in self.unanswered.items() if first < day}


NO_FACTS = PromptFacts()
_NONE: frozenset[str] = frozenset()


def escalation_keys(run: str) -> tuple[str, ...]:
    """Every key an escalation of the run ``run`` can have: what the store looks up."""
    return tuple(f"{run}{kind}" for kind in ESCALATION_KINDS)


#: Positional constructors of the records made per item (see governance.records).
_new_digest_item = positional_constructor(DigestItem)
#: ``PromptRecord(item_id, stage, contact_id, queued_on)``, made fast: also for the store's reads
#: of the prompt history.
new_prompt_record = positional_constructor(PromptRecord)


def digest_key(programme_id: str, contact_id: str, as_of: date) -> str:
    """The outbox key of a contact's reminder digest of one day. It names the programme:
    programmes sharing a REGIE_HOME (and contact ids) must not share outbox files or
    Message-IDs, which are derived from the key."""
    return f"reminder:{programme_id}:{contact_id}:{as_of.isoformat()}:digest"


def escalation_digest_key(programme_id: str, contact_id: str, as_of: date) -> str:
    """The outbox key of a programme-office contact's escalation digest of one day."""
    return f"escalation:{programme_id}:{contact_id}:{as_of.isoformat()}"


def steering_body(plan: Plan) -> GovernanceBody | None:
    """The body an escalation suggests putting an item to: the one the plan marks with
    ``escalations: true``; else the first of its ``governance:`` entries whose id or name says
    it steers (stuurgroep, programmaraad, steering board …); None when the plan names none, and
    the message says so neutrally."""
    named = next((body for body in plan.governance if body.escalations), None)
    if named is not None:
        return named
    for body in plan.governance:
        words = f"{body.id} {body.name}".lower()
        if any(word in words for word in STEERING_WORDS):
            return body
    return None


class Stage(NamedTuple):
    name: str
    starts_on: date
    previous: str | None = None  # the stage before it, for one asked soon after (see below)
    previous_after: date | None = None  # that stage first prompted after this: too soon


def current_stage(
    item: ItemAssessment, as_of: date, policy: ReminderPolicy, calendar: WorkCalendar
) -> Stage | None:
    """The reminder stage ``item`` is in at ``as_of``, None when it is not to be prompted."""
    return _Stages(as_of, policy, calendar).of(item)


class _Stages:
    """:func:`current_stage` for many items at one ``as_of``: thousands of items share a few
    hundred due dates and starts, so each date's stage is worked out once."""

    __slots__ = ("as_of", "cal", "dated", "forecasts", "periodic", "policy")

    def __init__(self, as_of: date, policy: ReminderPolicy, cal: WorkCalendar) -> None:
        self.as_of, self.policy, self.cal = as_of, policy, cal
        self.dated: dict[tuple[date, bool], Stage | None] = {}
        self.forecasts: dict[date, Stage] = {}
        self.periodic: dict[date | None, Stage | None] = {}

    def of(self, item: ItemAssessment) -> Stage | None:
        state = item.state
        if state in _SILENT:
            return None
        due = item.due
        if due is not None:
            forecast = item.forecast
            if forecast is not None and due < forecast <= self.as_of:
                # The owner's forecast after the due date, reached (the module notes,
                # "Forecasts"): the stage is the forecast's alone, whatever the due date and
                # state. Items share forecast days as they share due dates: each worked out once.
                staged = self.forecasts.get(forecast)
                if staged is None:
                    staged = self.forecasts[forecast] = _forecast_stage(
                        forecast, self.as_of, self.policy, self.cal
                    )
                return staged
            key = (due, state is State.SLIPPED)  # the only part of the state a stage reads
            if key in self.dated:
                return self.dated[key]
            found = self.dated[key] = _dated_stage(due, state, self.as_of, self.policy, self.cal)
            return found
        if item.period_kind in ONGOING_KINDS:
            start = item.start
            if start in self.periodic:
                return self.periodic[start]
            months = self.policy.open_ended_every_months
            found = self.periodic[start] = _periodic_stage(start, self.as_of, months)
            return found
        return None


def _dated_stage(
    due: date, state: State, as_of: date, policy: ReminderPolicy, cal: WorkCalendar
) -> Stage | None:
    """The stage of an item due on ``due`` with no forecast after it that ``as_of`` has reached
    (else :func:`_forecast_stage`)."""
    # The due date is part of the name: prompts for an old due date must not count for a new one.
    at = f"@{due.isoformat()}"
    every = policy.overdue_every_days
    # A stage first prompted late (after missed days) close before the next one: the next is
    # left out when it starts fewer than half of ``every`` working days after that prompt. A
    # stage prompted on the day it began leaves the next alone, however close the policy set it.
    gap = -(-every // 2)

    def stage(name: str, starts: date, before: tuple[str, date] | None) -> Stage:
        if before is None or gap <= 0:
            return Stage(name + at, starts)
        previous, began = before
        after = max(cal.add_working_days(starts, -gap), began)
        return Stage(name + at, starts, previous + at, after)

    if as_of > due:
        if state is State.SLIPPED:
            return None
        n = cal.working_days_between(due, as_of) // every if every > 0 else 0
        if n >= 1:
            before: tuple[str, date] | None
            if n > 1:
                before = (f"overdue-{n - 1}", cal.add_working_days(due, (n - 1) * every))
            else:
                before = ("due", due) if policy.on_due_date else None
            return stage(f"overdue-{n}", cal.add_working_days(due, n * every), before)
    second = cal.window_start(due, policy.second_prompt_days)
    first = cal.window_start(due, policy.first_prompt_days)
    if as_of >= due and policy.on_due_date:
        return stage("due", due, ("second", second))
    if as_of >= second:
        return stage("second", second, ("first", first))
    if as_of >= first:
        return stage("first", first, None)
    return None


def _forecast_stage(
    forecast: date, as_of: date, policy: ReminderPolicy, cal: WorkCalendar
) -> Stage:
    """The stage of an item past its due date whose owner's forecast ``as_of`` has reached:
    ``due@F`` from the forecast day F, then ``overdue-N@F`` counted from F."""
    at = f"@{forecast.isoformat()}"
    every = policy.overdue_every_days
    n = cal.working_days_between(forecast, as_of) // every if every > 0 else 0
    if n < 1:
        return Stage("due" + at, forecast)
    starts = cal.add_working_days(forecast, n * every)
    gap = -(-every // 2)
    if n > 1:
        previous, began = f"overdue-{n - 1}", cal.add_working_days(forecast, (n - 1) * every)
    else:
        previous, began = "due", forecast
    after = max(cal.add_working_days(starts, -gap), began)
    return Stage(f"overdue-{n}{at}", starts, previous + at, after)


def _periodic_stage(start: date | None, as_of: date, months: int) -> Stage | None:
    if start is not None and as_of < start:
        return None
    months = max(months, 1)
    first = (as_of.year * 12 + as_of.month - 1) // months * months
    year, month0 = divmod(first, 12)
    opens = date(year, month0 + 1, 1)
    label = f"{year}Q{month0 // 3 + 1}" if months == 3 else f"{year}M{month0 + 1:02d}"
    return Stage(f"periodic-{label}", max(opens, start) if start else opens)


def _answered(latest: StatusUpdate | None, stage: Stage) -> bool:
    """Whether the owner spoke in ``stage``: an update of theirs reported on or after the day
    it began (a decision's update is the body's, not the owner's)."""
    return (
        latest is not None
        and latest.reported_on >= stage.starts_on
        and latest.source != DECISION_SOURCE
    )


def recipients(plan: Plan, owners: Sequence[str]) -> dict[str, str | None]:
    """Contact id → note for the contacts that answer for ``owners`` (see the module notes)."""
    office = [c.id for c in plan.contacts if c.programme_office]
    out: dict[str, str | None] = {}
    missing: list[str] = []
    for org in owners:
        ids = [c.id for c in plan.contacts if c.organisation == org]
        if not ids:
            missing.append(org)
        out.update(dict.fromkeys((i for i in ids if i not in out), None))
    if missing or not owners:
        note = f"no contact for {', '.join(missing)}" if missing else "no owner"
        out.update(dict.fromkeys(office, note))
    return out


def plan_reminders(
    plan: Plan,
    assessment: Assessment,
    history: Sequence[PromptRecord],
    as_of: date,
    calendar: WorkCalendar | None = None,
    undelivered: Collection[tuple[str, str]] = (),
) -> ReminderPlan:
    """What to queue at ``as_of``: digests per contact, escalations, their events and records,
    given the prompts on record (any before ``as_of`` and those of ``as_of``) and the (item,
    stage) pairs no message delivered (:attr:`PromptFacts.undelivered`)."""
    cal = calendar or WorkCalendar.for_plan(plan)
    questions = prompt_questions(assessment, as_of, plan.reminders, cal)
    facts = facts_from_history(history, questions, as_of, undelivered)
    return plan_reminders_from(plan, assessment, questions, facts, as_of, cal)


def prompt_questions(
    assessment: Assessment, as_of: date, policy: ReminderPolicy, calendar: WorkCalendar
) -> dict[str, PromptQuestion]:
    """What :func:`plan_reminders_from` needs to know of each item's prompts: nothing for a
    silent item, the stage only when an answer has not already suppressed it."""
    if assessment.as_of != as_of:
        raise ValueError(f"assessment is for {assessment.as_of}, reminders asked for {as_of}")
    # Thousands of items share a few hundred due dates and starts: each stage worked out once.
    # Per item (all of them on a full run) :func:`_answered` and :func:`escalation_run` are
    # written out, and the tuple made without NamedTuple's keyword-checking constructor.
    of = _Stages(as_of, policy, calendar).of
    make, prefix, silent, overdue = _new_question, ESCALATION_PREFIX, _SILENT, State.OVERDUE
    quiet = _Quiet(as_of, calendar)
    out: dict[str, PromptQuestion] = {}
    for item_id, item in assessment.items.items():
        state = item.state
        if state in silent:
            continue  # no stage, no escalation
        about = overdue_dates(item, policy, quiet) if state is overdue else ()
        latest = item.latest_update
        stage = of(item)
        if latest is None:
            run = f"{prefix}{item_id}:none:"
            if stage is None:
                out[item_id] = make((None, run, None, None, None, about))
            else:
                name, previous, after = stage.name, stage.previous, stage.previous_after
                out[item_id] = make((name, run, None, previous, after, about))
            continue
        since = latest.reported_on
        ref = since.isoformat() if latest.id is None else latest.id
        run = f"{prefix}{item_id}:{ref}:"
        if stage is None or (since >= stage.starts_on and latest.source != DECISION_SOURCE):
            out[item_id] = make((None, run, since, None, None, about))
        else:
            name, previous, after = stage.name, stage.previous, stage.previous_after
            out[item_id] = make((name, run, since, previous, after, about))
    return out


class _Quiet:
    """``working_days_between(day, as_of)``, cached per day across items."""

    __slots__ = ("as_of", "cal", "counts")

    def __init__(
        self, as_of: date, cal: WorkCalendar, counts: dict[date, int] | None = None
    ) -> None:
        self.as_of, self.cal = as_of, cal
        self.counts = counts if counts is not None else {}

    def __call__(self, day: date) -> int:
        found = self.counts.get(day)
        if found is None:
            found = self.counts[day] = self.cal.working_days_between(day, self.as_of)
        return found


def _overdue_silence(item: ItemAssessment, quiet: _Quiet) -> tuple[int, str]:
    """The working days an overdue item has been without an answer (module notes,
    ``overdue``), and the words on a forecast that has passed."""
    silent = item.working_days_overdue
    forecast, due, past = item.forecast, item.due, ""
    if forecast is not None and due is not None and forecast > due:
        silent = quiet(forecast)  # the owner's forecast passed: counted from it
        past = f", {silent} past the forecast {forecast}"
    latest = item.latest_update
    if latest is not None:
        silent = min(silent, quiet(latest.reported_on))
    return silent, past


def overdue_dates(item: ItemAssessment, policy: ReminderPolicy, quiet: _Quiet) -> tuple[str, ...]:
    """Of an item overdue long enough without an answer to escalate for it
    (``escalate_after_overdue_days``): the stage suffixes (``@<date>``) of the dates it is
    overdue against, its due date and a forecast after it that has passed. It escalates only
    once its owner was prompted about one of them and had ``unanswered_grace_days`` to answer
    (module notes, "Asked first"). Empty for every other item."""
    due = item.due
    if item.state is not State.OVERDUE or due is None:
        return ()
    if _overdue_silence(item, quiet)[0] < policy.escalate_after_overdue_days:
        return ()
    forecast = item.forecast
    if forecast is not None and forecast > due:
        return (f"@{due.isoformat()}", f"@{forecast.isoformat()}")
    return (f"@{due.isoformat()}",)


def asked_long_enough(asked_on: date | None, policy: ReminderPolicy, quiet: _Quiet) -> bool:
    """Whether an owner first prompted on ``asked_on`` about the date an item is overdue
    against has had their time to answer (``unanswered_grace_days``; 0: from the next day)."""
    return (
        asked_on is not None
        and asked_on < quiet.as_of
        and quiet(asked_on) >= policy.unanswered_grace_days
    )


_new_question = functools.partial(tuple.__new__, PromptQuestion)


def facts_from_history(
    history: Iterable[PromptRecord],
    questions: Mapping[str, PromptQuestion],
    as_of: date,
    undelivered: Collection[tuple[str, str]] = (),
) -> dict[str, PromptFacts]:
    """The answers to ``questions`` from a list of prompts (those after ``as_of`` ignored):
    what the store's indexed look-ups give (``store.prompt_facts``). ``undelivered``: the
    (item, stage) pairs no message delivered; the unanswered stages among them are told."""
    # A full run's tens of thousands of items: kept to plain loops and C-level look-ups.
    by_item: dict[str, list[PromptRecord]] = {}
    get = by_item.get
    for r in history:
        item_id = r.item_id
        past = get(item_id)
        if past is None:
            if item_id not in questions:
                continue
            past = by_item[item_id] = []
        past.append(r)
    out: dict[str, PromptFacts] = {}
    for item_id, past in by_item.items():
        stage, run, since, previous, previous_after, about = questions[item_id]
        names = [r.stage for r in past if r.queued_on <= as_of]
        if not names:
            continue
        too_soon = False
        if previous is not None and previous_after is not None and previous in names:
            first_asked = min(
                r.queued_on for r in past if r.stage == previous and r.queued_on <= as_of
            )
            too_soon = first_asked > previous_after
        escalations = [
            r.queued_on
            for r in past
            if r.queued_on <= as_of and r.stage.startswith(ESCALATION_PREFIX)
            and r.stage.startswith(run)
        ]  # fmt: skip
        escalated = bool(escalations)
        unanswered: dict[str, date] = {}
        if not escalated:
            for r in past:
                day = r.queued_on
                if day > as_of or (since is not None and day <= since) or r.is_escalation:
                    continue
                first = unanswered.get(r.stage)
                if first is None or day < first:
                    unanswered[r.stage] = day
        asked = stage is not None and stage in names
        asked_on = None
        if about and not escalated:
            for r in past:
                day, name = r.queued_on, r.stage
                if day > as_of or not name.endswith(about) or r.is_escalation:
                    continue
                if asked_on is None or day < asked_on:
                    asked_on = day
        missed = _NONE
        if undelivered:
            missed = frozenset(s for s in unanswered if (item_id, s) in undelivered)
        contacts: dict[str, tuple[date, date]] = {}
        if stage is not None and not too_soon and (not asked or escalated):
            for r in past:
                day = r.queued_on
                if day > as_of or r.is_escalation:
                    continue
                seen = contacts.get(r.contact_id)
                if seen is None:
                    contacts[r.contact_id] = (day, day)
                else:
                    contacts[r.contact_id] = (min(seen[0], day), max(seen[1], day))
        out[item_id] = PromptFacts(
            asked,
            escalated,
            unanswered,
            too_soon,
            missed,
            min(escalations) if escalations else None,
            contacts,
            asked_on,
        )
    return out


def plan_reminders_from(
    plan: Plan,
    assessment: Assessment,
    questions: Mapping[str, PromptQuestion],
    facts: Mapping[str, PromptFacts],
    as_of: date,
    calendar: WorkCalendar,
) -> ReminderPlan:
    """:func:`plan_reminders` with the prompts on record given as the answers (``facts``,
    missing for an item with none) to ``questions`` (:func:`prompt_questions`)."""
    policy = plan.reminders
    per_contact: dict[str, list[DigestItem]] = {}
    unaddressed: list[DigestItem] = []
    escalations: list[Escalation] = []
    office = tuple(sorted(c.id for c in plan.contacts if c.programme_office))
    # Thousands of items share a few hundred owner lists and update days: each list of
    # recipients and working-day count is worked out once.
    addressed: dict[tuple[str, ...], dict[str, str | None]] = {}
    quiet = _Quiet(as_of, calendar)
    items = assessment.items
    for item_id, question in questions.items():
        item = items[item_id]
        known = facts.get(item_id, NO_FACTS)
        name = question.stage
        if name is not None and not known.stage_prompted and not known.too_soon:
            to = addressed.get(item.owners)
            if to is None:
                to = addressed[item.owners] = recipients(plan, item.owners)
            slow = known.escalated and backs_off(item, name, known, as_of, policy, calendar)
            for contact, note in to.items():
                if slow and settled(known, contact, as_of, policy, calendar):
                    continue  # knew of the escalation: the slower cadence (module notes)
                handover = _handover(known, contact) if known.contacts else None
                per_contact.setdefault(contact, []).append(_digest_item(item, name, note, handover))
            if not to:
                unaddressed.append(_digest_item(item, name, "no contact"))
        escalation = _escalation(item, known, policy, office, quiet)
        if escalation is not None:
            escalations.append(escalation)
    return _bundle(plan.programme.id, as_of, per_contact, escalations, unaddressed)


def _digest_item(
    item: ItemAssessment, stage: str, note: str | None, handover: Handover | None = None
) -> DigestItem:
    return _new_digest_item(
        item.item_id,
        stage,
        STATE_VALUES[item.state],
        item.due,
        item.title,
        item.gereed,
        item.action_id,
        note,
        handover,
    )


def backs_off(
    item: ItemAssessment,
    stage: str,
    known: PromptFacts,
    as_of: date,
    policy: ReminderPolicy,
    cal: WorkCalendar,
) -> bool:
    """Whether ``stage`` is left out of the slower cadence after an escalation (module notes,
    "Back-off") for the contacts who knew of it (:func:`settled`)."""
    escalated_on, due = known.escalated_on, item.due
    if escalated_on is None or due is None or not stage.startswith("overdue-"):
        return False
    about_this_date = escalated_on >= cal.window_start(due, policy.first_prompt_days)
    if not about_this_date and item.working_days_overdue < policy.escalate_after_overdue_days:
        return False  # a new due date: the normal cadence until it would escalate again
    every, after = policy.overdue_every_days, policy.after_escalation_every_days
    if after == 0:
        return True
    if every <= 0:
        return False
    m = -(-after // every)
    n = int(stage.partition("@")[0].removeprefix("overdue-"))
    return n % m != 0


def settled(
    known: PromptFacts, contact: str, as_of: date, policy: ReminderPolicy, cal: WorkCalendar
) -> bool:
    """Whether ``contact`` gets the slower cadence: prompted about the item by the day of the
    escalation, or first prompted long enough ago (``escalate_after_overdue_days``) to have
    escalated since. A contact never prompted about it (a hand-over) or only lately: not."""
    seen = known.contacts.get(contact)
    return seen is not None and settled_since(seen[0], known.escalated_on, as_of, policy, cal)


def settled_since(
    first: date, escalated_on: date | None, as_of: date, policy: ReminderPolicy, cal: WorkCalendar
) -> bool:
    """:func:`settled` of a contact first prompted about the item on ``first``."""
    if escalated_on is None:
        return False
    if first <= escalated_on:
        return True
    return cal.working_days_between(first, as_of) >= policy.escalate_after_overdue_days


def _handover(known: PromptFacts, contact: str) -> Handover | None:
    """The hand-over of an item to ``contact``: never prompted about it, others were."""
    if contact in known.contacts:
        return None
    others = known.contacts
    return Handover(
        tuple(sorted(others)),
        min(first for first, _ in others.values()),
        max(last for _, last in others.values()),
    )


def escalation_run(item_id: str, latest: StatusUpdate | None) -> str:
    """The prefix of the escalation keys of an item's current run (see the module notes)."""
    return f"{ESCALATION_PREFIX}{item_id}:{_update_ref(latest)}:"


def _update_ref(latest: StatusUpdate | None) -> str:
    if latest is None:
        return "none"
    return str(latest.id) if latest.id is not None else latest.reported_on.isoformat()


def _escalation(
    item: ItemAssessment,
    known: PromptFacts,
    policy: ReminderPolicy,
    office: tuple[str, ...],
    quiet: _Quiet,
) -> Escalation | None:
    """``quiet`` caches ``working_days_between(day, as_of)`` per day across items."""
    state = item.state
    if state in _SILENT or known.escalated:
        return None  # silent, or this run has escalated already
    if state is not State.OVERDUE and not known.unanswered:
        return None  # nothing unanswered, and not overdue
    latest = item.latest_update
    since = latest.reported_on if latest else None
    kind = reason = ""
    prompts = undelivered = 0
    if state is State.OVERDUE:
        silent, past = _overdue_silence(item, quiet)
        # Only once the owner was asked about the date it is overdue against, and had their
        # time to answer (module notes, "Asked first"): never about an item nobody asked.
        if silent >= policy.escalate_after_overdue_days and asked_long_enough(
            known.asked_on, policy, quiet
        ):
            kind = "overdue"
            overdue = item.working_days_overdue
            reason = f"{overdue} working days overdue{past}, {silent} without answer"
    if not kind and policy.escalate_after_unanswered > 0 and known.unanswered:
        unanswered = known.unanswered_before(quiet.as_of)
        grace = policy.unanswered_grace_days
        ripe = [s for s in unanswered if quiet(known.unanswered[s]) >= grace]
        if len(ripe) >= policy.escalate_after_unanswered:
            kind = "unanswered"
            after = f" since {since}" if since else ""
            prompts = len(unanswered)
            undelivered = len(unanswered & known.undelivered)
            missed = f", {undelivered} not delivered" if undelivered else ""
            reason = f"{prompts} prompts unanswered{after}{missed}"
    if not kind:
        return None
    key = f"{escalation_run(item.item_id, latest)}{kind}"
    return Escalation(item.item_id, reason, office, key, kind, prompts, undelivered)


def free_key(key: str, taken: Collection[str]) -> str:
    """``key``, or when an earlier run of the day queued a message under it, the first of
    ``key:2``, ``key:3`` … not taken."""
    if key not in taken:
        return key
    n = 2
    while f"{key}:{n}" in taken:
        n += 1
    return f"{key}:{n}"


def is_addition(key: str) -> bool:
    """Whether :func:`free_key` numbered ``key``: a later run's message of the day, which adds
    to the first (no base key ends in a number: they end in ``digest``, a date or ``deputy``)."""
    return key.rpartition(":")[2].isdigit()


def with_free_keys(reminders: ReminderPlan, taken: Collection[str]) -> ReminderPlan:
    """``reminders`` with every digest and escalation digest under a key no message has yet
    (``taken``: the outbox keys of the day). A rerun of a day (after an owner's answer, a plan
    edit) prompts only what the earlier run did not: under that run's key its digest would be
    taken for the one already queued, and its prompts recorded as sent but never sent. The
    reminder and escalation events name the digests that carry them."""
    if not taken:
        return reminders
    renamed: dict[str, str] = {}
    digests = []
    for d in reminders.digests:
        key = renamed[d.key] = free_key(d.key, taken)
        digests.append(d if key == d.key else replace(d, key=key))
    escalation_digests = []
    for e in reminders.escalation_digests:
        key = renamed[e.key] = free_key(e.key, taken)
        escalation_digests.append(e if key == e.key else replace(e, key=key))
    events = tuple(_carried_by(e, renamed) for e in reminders.events)
    return replace(
        reminders,
        digests=tuple(digests),
        escalation_digests=tuple(escalation_digests),
        events=events,
    )


def _carried_by(event: DomainEvent, renamed: Mapping[str, str]) -> DomainEvent:
    """``event`` naming the renamed digests that carry it (``digest`` of a reminder,
    ``digests`` of an escalation: one per contact)."""
    if event.name == REMINDER_QUEUED:
        digest = event.payload.get("digest")
        if isinstance(digest, str) and renamed.get(digest, digest) != digest:
            return replace(event, payload={**event.payload, "digest": renamed[digest]})
    elif event.name == ESCALATION_RAISED:
        digests = event.payload.get("digests")
        if isinstance(digests, str) and digests:
            keys = digests.split(",")
            if any(renamed.get(k, k) != k for k in keys):
                named = ",".join(renamed.get(k, k) for k in keys)
                return replace(event, payload={**event.payload, "digests": named})
    return event


def _bundle(
    programme_id: str,
    as_of: date,
    per_contact: dict[str, list[DigestItem]],
    escalations: list[Escalation],
    unaddressed: list[DigestItem],
) -> ReminderPlan:
    digests = tuple(
        Digest(contact, as_of, tuple(items), digest_key(programme_id, contact, as_of))
        for contact, items in sorted(per_contact.items())
    )
    events: list[DomainEvent] = []
    records: list[PromptRecord] = []
    record, event = new_prompt_record, new_event
    for digest in digests:
        contact, key = digest.contact_id, digest.key
        for di in digest.items:
            records.append(record(di.item_id, di.stage, contact, as_of))
            payload: dict[str, str | int | None] = {
                "stage": di.stage,
                "state": di.state,
                "contact": contact,
                "digest": key,
            }
            events.append(event(REMINDER_QUEUED, di.item_id, as_of, payload, contact))
    to_office: dict[str, list[Escalation]] = {}
    for e in escalations:
        for contact in e.contact_ids or ("",):
            records.append(PromptRecord(e.item_id, e.key, contact, as_of))
            if contact:
                to_office.setdefault(contact, []).append(e)
        contacts = ",".join(e.contact_ids)
        # The message that carries it to each contact, in the order of ``contacts``: a rerun
        # of the day puts it in a digest of its own (with_free_keys renames it).
        carriers = ",".join(escalation_digest_key(programme_id, c, as_of) for c in e.contact_ids)
        payload = {
            "kind": e.kind,
            "reason": e.reason,
            "key": e.key,
            "contacts": contacts,
            "digests": carriers,
        }
        if e.undelivered:
            payload.update(prompts=e.prompts, undelivered=e.undelivered)
        qualifier = "+".join(e.contact_ids) or None
        events.append(DomainEvent(ESCALATION_RAISED, e.item_id, as_of, payload, qualifier))
    escalation_digests = tuple(
        EscalationDigest(
            contact, as_of, tuple(items), escalation_digest_key(programme_id, contact, as_of)
        )
        for contact, items in sorted(to_office.items())
    )
    return ReminderPlan(
        as_of,
        digests,
        tuple(escalations),
        escalation_digests,
        tuple(events),
        tuple(records),
        tuple(unaddressed),
    )
