"""What the rules ask of the prompts on record and their answers from a list (the store answers
them through its indexes: ``store.prompt_facts``)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Iterable, Mapping
from datetime import date

from governance.assessment import Assessment, State
from governance.decisions import DECISION_SOURCE
from governance.plan import ReminderPolicy
from governance.reminders.escalations import Quiet, overdue_dates
from governance.reminders.records import (
    ESCALATION_PREFIX,
    NOT_UNANSWERED,
    SILENT_STATES,
    PromptFacts,
    PromptQuestion,
    PromptRecord,
)
from governance.reminders.stages import Stages
from governance.workdays import WorkCalendar

_NONE: frozenset[str] = frozenset()


def prompt_questions(
    assessment: Assessment,
    as_of: date,
    policy: ReminderPolicy,
    calendar: WorkCalendar,
    contacts_of: Callable[[tuple[str, ...]], Collection[str]] | None = None,
    *,
    end: date | None,
) -> dict[str, PromptQuestion]:
    """What :func:`plan_reminders_from` needs to know of each item's prompts: nothing for a
    silent item, the stage only when an answer has not already suppressed it.
    ``contacts_of(owners)``: the contacts prompted for those owners now
    (:func:`governance.reminders.recipients`): only their prompts start an owner's grace, for
    the overdue escalation (an item overdue long enough to escalate is asked when they were
    first prompted about its date) and for the unanswered one (:attr:`PromptQuestion.asked_of`).
    ``end``: the programme's end (``programme.end``; keyword-only without default, so no caller
    forgets it): after it an item without a deadline is no longer asked about each quarter
    (:class:`Stages`)."""
    if assessment.as_of != as_of:
        raise ValueError(f"assessment is for {assessment.as_of}, reminders asked for {as_of}")
    # Thousands of items share a few hundred due dates and starts: each stage worked out once.
    # Per item (all of them on a full run) the answer check (an owner's update reported on or
    # after the stage began) and :func:`escalation_run` are written out, and the tuple made
    # without NamedTuple's keyword-checking constructor.
    of = Stages(as_of, policy, calendar, end=end).of
    make, prefix, silent, overdue = _new_question, ESCALATION_PREFIX, SILENT_STATES, State.OVERDUE
    quiet = Quiet(as_of, calendar)
    out: dict[str, PromptQuestion] = {}
    whom: dict[tuple[str, ...], frozenset[str]] = {}  # per owner list: a few hundred
    counts_unanswered = policy.escalate_after_unanswered > 0
    for item_id, item in assessment.items.items():
        state = item.state
        if state in silent and not item.cancelled_predecessors:
            continue  # no stage, no escalation (an undated item's notice apart: Stages)
        about = overdue_dates(item, policy, quiet) if state is overdue else ()
        to: frozenset[str] | None = _NONE
        if contacts_of is not None and (about or counts_unanswered):
            to = whom.get(item.owners)
            if to is None:
                to = whom[item.owners] = frozenset(contacts_of(item.owners))
        latest = item.latest_update
        stage = of(item)
        if latest is None:
            run = f"{prefix}{item_id}:none:"
            if stage is None:
                out[item_id] = make((None, run, None, None, None, about, to))
            else:
                name, previous, after = stage.name, stage.previous, stage.previous_after
                out[item_id] = make((name, run, None, previous, after, about, to))
            continue
        since = latest.reported_on
        ref = since.isoformat() if latest.id is None else latest.id
        run = f"{prefix}{item_id}:{ref}:"
        if stage is None or (since >= stage.starts_on and latest.source != DECISION_SOURCE):
            out[item_id] = make((None, run, since, None, None, about, to))
        else:
            name, previous, after = stage.name, stage.previous, stage.previous_after
            out[item_id] = make((name, run, since, previous, after, about, to))
    return out


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
    prefix, early = ESCALATION_PREFIX, NOT_UNANSWERED
    # One pass over an item's prompts gathers every answer (a quarter's first day asks of
    # thousands of items with a prompt or two each); those a condition leaves out are
    # dropped after it.
    for item_id, past in by_item.items():
        stage, run, since, previous, previous_after, about, asked_of = questions[item_id]
        seen = asked = False
        first_previous: date | None = None
        first_stage: date | None = None
        escalated_on: date | None = None
        unanswered: dict[str, date] = {}
        contacts: dict[str, tuple[date, date]] = {}
        asked_on: date | None = None
        for r in past:
            day = r.queued_on
            if day > as_of:
                continue
            seen = True
            name = r.stage
            if name == stage:
                asked = True
                if first_stage is None or day < first_stage:
                    first_stage = day
            if name == previous and (first_previous is None or day < first_previous):
                first_previous = day
            if name.startswith(prefix):
                # An escalation: of this run or not, no reminder (not unanswered, no
                # contact's prompt, not asked about a date).
                if name.startswith(run) and (escalated_on is None or day < escalated_on):
                    escalated_on = day
                continue
            contact = r.contact_id
            was = contacts.get(contact)
            if was is None:
                contacts[contact] = (day, day)
            else:
                contacts[contact] = (min(was[0], day), max(was[1], day))
            # Only a current contact's prompts count (asked of one who no longer answers
            # for the item, they do not).
            theirs = not asked_of or contact in asked_of
            if theirs and (since is None or day > since) and not name.startswith(early):
                first = unanswered.get(name)
                if first is None or day < first:
                    unanswered[name] = day
            if (
                about and theirs and name.endswith(about)
                and (asked_on is None or day < asked_on)
            ):  # fmt: skip
                asked_on = day
        if not seen:
            continue
        too_soon = (
            first_previous is not None and previous_after is not None
            and first_previous > previous_after
        )  # fmt: skip
        escalated = escalated_on is not None
        if escalated:
            unanswered, asked_on = {}, None  # the run escalated: no more of either
        missed = _NONE
        if undelivered:
            missed = frozenset(s for s in unanswered if (item_id, s) in undelivered)
        if stage is None or too_soon or (asked and not escalated):
            contacts = {}
        out[item_id] = PromptFacts(
            asked, escalated, unanswered, too_soon, missed, escalated_on, contacts, asked_on,
            stage_on=first_stage,
        )  # fmt: skip
    return out
