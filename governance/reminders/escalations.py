"""When an item escalates and when its prompts back off after it (the package notes,
"Escalations", "Asked first", "Back-off")."""

from __future__ import annotations

from datetime import date

from governance.assessment import ItemAssessment, State
from governance.plan import ReminderPolicy
from governance.programme_end import no_longer_asked
from governance.reminders.records import (
    AFTER_REPLAY,
    ESCALATION_PREFIX,
    SILENT_STATES,
    Escalation,
    PromptFacts,
)
from governance.updates import StatusUpdate
from governance.workdays import WorkCalendar


class Quiet:
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


def _overdue_silence(item: ItemAssessment, quiet: Quiet) -> tuple[int, str]:
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


def overdue_dates(item: ItemAssessment, policy: ReminderPolicy, quiet: Quiet) -> tuple[str, ...]:
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


def asked_long_enough(asked_on: date | None, policy: ReminderPolicy, quiet: Quiet) -> bool:
    """Whether an owner first prompted on ``asked_on`` about the date an item is overdue
    against has had their time to answer (``unanswered_grace_days``; 0: from the next day)."""
    return (
        asked_on is not None
        and asked_on < quiet.as_of
        and quiet(asked_on) >= policy.unanswered_grace_days
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


def escalation_run(item_id: str, latest: StatusUpdate | None) -> str:
    """The prefix of the escalation keys of an item's current run (see the module notes)."""
    return f"{ESCALATION_PREFIX}{item_id}:{_update_ref(latest)}:"


def _update_ref(latest: StatusUpdate | None) -> str:
    if latest is None:
        return "none"
    return str(latest.id) if latest.id is not None else latest.reported_on.isoformat()


def escalation_for(
    item: ItemAssessment,
    known: PromptFacts,
    policy: ReminderPolicy,
    office: tuple[str, ...],
    quiet: Quiet,
    *,
    end: date | None,
    asked_about: tuple[str, ...] | None = None,
) -> Escalation | None:
    """``quiet`` caches ``working_days_between(day, as_of)`` per day across items (its
    ``as_of`` is the day judged). ``end``: the programme's end (``programme.end``).
    ``asked_about``: the item's :attr:`PromptQuestion.asked_about` (:func:`overdue_dates` of
    it, this ``as_of`` and ``policy``), non-empty exactly when an overdue item has been silent
    long enough to escalate: its silence is then not worked out again (None: it is)."""
    state = item.state
    if state in SILENT_STATES or known.escalated:
        return None  # silent, or this run has escalated already
    if end is not None and no_longer_asked(item, end, quiet.as_of):
        # After the end an item without a deadline is no longer asked about (walk32b 7): its
        # quarterly prompts from before it left unanswered do not escalate either (round45 3).
        return None
    needed = policy.escalate_after_unanswered
    if state is not State.OVERDUE and (
        item.due is not None or needed <= 0 or len(known.unanswered) < needed
    ):
        # Not late: a dated item escalates only once it is overdue (on its due date or with
        # its forecast ahead it is not), an ongoing one for its unanswered quarterly prompts
        # (as many as the policy counts: most such items have fewer).
        return None
    latest = item.latest_update
    since = latest.reported_on if latest else None
    kind = reason = ""
    prompts = undelivered = 0
    if needed > 0 and len(known.unanswered) >= needed:
        # The stages first queued before today whose grace has run out, counted (most items
        # with one have too few: their stages are gathered only once there are enough).
        grace, as_of = policy.unanswered_grace_days, quiet.as_of
        ripe = 0
        for first in known.unanswered.values():
            if first < as_of and quiet(first) >= grace:
                ripe += 1
        if ripe >= needed:
            unanswered = known.unanswered_before(as_of)
            kind = "unanswered"
            after = f" since {since}" if since else ""
            prompts = len(unanswered)
            undelivered = len(unanswered & known.undelivered)
            missed = f", {undelivered} not delivered" if undelivered else ""
            reason = f"{prompts} prompts unanswered{after}{missed}"
    if state is State.OVERDUE and not undelivered:
        # Overdue outranks unanswered (both come about the same day once only prompts from the
        # due date on count), except when requests never reached the owner: the office must
        # hear that, not read a mail fault as a silent owner.
        if asked_about is None:
            long_silent = _overdue_silence(item, quiet)[0] >= policy.escalate_after_overdue_days
        else:
            long_silent = bool(asked_about)  # prompt_questions worked it out: not again
        # Only once the owner was asked about the date it is overdue against, and had their
        # time to answer (module notes, "Asked first"): never about an item nobody asked.
        if long_silent and asked_long_enough(known.asked_on, policy, quiet):
            silent, past = _overdue_silence(item, quiet)  # the words: only when it escalates
            kind = "overdue"
            overdue = item.working_days_overdue
            # "working days" twice: a bare count read as unanswered prompts (walk49 11).
            silence = f"{silent} working days without an answer"
            reason = f"{overdue} working days overdue{past}, {silence}"
            prompts = 0
    if not kind:
        return None
    key = f"{escalation_run(item.item_id, latest)}{kind}"
    if known.replayed:  # the replay's key is on record, for the same office contacts
        key += AFTER_REPLAY
    return Escalation(item.item_id, reason, office, key, kind, prompts, undelivered)


def escalates_unprompted(policy: ReminderPolicy) -> tuple[int, int, tuple[str, ...]] | None:
    """Of settings that escalate a silent overdue item no later than its first overdue prompt
    (walk49 3): the working day after the due date it escalates on, that of the prompt
    (``overdue-1``) and the settings that decide the escalation's day; None when the owner is
    prompted once overdue before the office hears, or never (``overdue_every_days: 0``, a
    choice). A silent overdue item escalates once ``escalate_after_overdue_days`` have passed
    and the grace after the first prompt about its date, ``first_prompt_days`` before it, has
    (:func:`asked_long_enough`); or once ``escalate_after_unanswered`` prompts from the due date
    on (the ``due`` prompt counts, review49b 2) are ``unanswered_grace_days`` old. On the
    prompt's own day it is queued just before the escalation: no time to answer. Once
    escalated, the back-off may leave ``overdue-1`` out altogether."""
    every = policy.overdue_every_days
    if every <= 0:
        return None
    grace_left = policy.unanswered_grace_days - policy.first_prompt_days
    escalates = max(policy.escalate_after_overdue_days, grace_left, 1)
    decided: tuple[str, ...] = ("escalate_after_overdue_days",)
    if grace_left > max(policy.escalate_after_overdue_days, 1):
        decided = ("first_prompt_days", "unanswered_grace_days")
    count = policy.escalate_after_unanswered
    if count > 0:
        # The working days after the due date of the counted prompts: due, overdue-1, -2 …
        nth = (count - 1 if policy.on_due_date else count) * every
        # A prompt counts from the day after it was sent (unanswered_before), at least.
        unanswered = nth + max(policy.unanswered_grace_days, 1)
        if unanswered < escalates:
            escalates = unanswered
            decided = ("escalate_after_unanswered", "unanswered_grace_days")
    return (escalates, every, decided) if escalates <= every else None
