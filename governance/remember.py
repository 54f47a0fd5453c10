"""What the daily run remembers of each item: its assessment, what it counted of the item's
updates and its next check (:class:`governance.incremental.Remembered`)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import date, timedelta

from governance.assessment import Assessment
from governance.escalated_today import backed_off_after_escalation
from governance.incremental import Remembered, new_remembered
from governance.next_checks import Scheduler, Skip
from governance.programme_end import ended, no_longer_asked
from governance.rag import RAG_VALUES, STATE_VALUES
from governance.reminders import (
    NO_FACTS,
    PromptFacts,
    PromptQuestion,
    PromptRecord,
    ReminderPlan,
    counts_unanswered,
    escalation_run,
    prompt_questions,
    settled_since,
)
from governance.updates import UpdateStatus

_DAY = timedelta(days=1)
_STATUS_VALUES = {s: s.value for s in UpdateStatus}


def remember(
    assessment: Assessment,
    reminders: ReminderPlan,
    scheduler: Scheduler,
    facts: Mapping[str, PromptFacts],
    *,
    recorded: bool,
    questions: Mapping[str, PromptQuestion] | None = None,
    recipients_of: Callable[[Sequence[str]], Collection[str]] | None = None,
    end: date | None,
) -> dict[str, Remembered]:
    """What to keep of the items just assessed, with their next checks.

    ``reminders`` is the day's plan before it was held back, ``recorded`` whether its records
    are stored today (not on a day off) and ``facts`` what the prompts on record before today's
    told the plan (:func:`governance.reminders.plan_reminders_from`), asked ``questions``
    (:func:`governance.reminders.prompt_questions`: worked out again when not given).
    Besides :meth:`Scheduler.next_check`, an item is checked tomorrow when something for it was
    due but nobody can receive it; on the day its unanswered prompts escalate (the owner's grace
    ended); on the day an item overdue long enough escalates, its owner's grace after the first
    prompt about its date ended; on the next working day when its prompt was held back on a day
    off. ``recipients_of`` (owners → the contacts prompted for them,
    :func:`governance.reminders.recipients`): without it no prompted stage's next stages are
    left out (:func:`_settled_after_prompt`). ``end``: the programme's end (``programme.end``;
    no default, so no caller forgets it), after which an item without a deadline does not
    escalate for unanswered prompts (no day to check it for) nor has a periodic stage in the
    ``questions`` worked out here.
    """
    as_of = assessment.as_of
    tomorrow = as_of + _DAY
    busy = {i.item_id for d in reminders.digests for i in d.items}
    busy.update(e.item_id for e in reminders.escalations)
    again = {i.item_id for i in reminders.unaddressed}
    # Items whose unanswered prompts escalate on a later day: that day (the owner's grace,
    # ``unanswered_grace_days`` after the prompt that makes the count, has run out).
    ripe: dict[str, date] = {}
    held: set[str] = set()
    today: dict[str, list[PromptRecord]] = {}
    if not recorded:
        # Held back on a day off: nothing is prompted before the next working day, so the
        # prompt is looked at again then (a state change before it has its own next check).
        held = busy - again
    else:
        for r in reminders.records:
            today.setdefault(r.item_id, []).append(r)
    today_records = reminders.records if recorded else ()
    needed = scheduler.policy.escalate_after_unanswered
    if needed > 0:
        # Besides the items prompted now, those with enough prompts on record (in ``facts``):
        # an earlier run of this day prompted them (a rerun, e.g. after an owner's answer),
        # or the owner's grace has not run out yet (also on a day off, which records none).
        # On a first run of a day an item with that many ripe unanswered escalates today
        # instead (``escalation_run`` below, or ``escalated``).
        pending = (busy if recorded else set()).union(
            i for i, f in facts.items() if len(f.unanswered) >= needed and not f.escalated
        )
        # Per item, thousands on a quarter's first day: what is the same for all worked out
        # once (the programme's end, whether a stage counts), and an item's run looked at
        # only when one of today's records is an escalation (no reminder's stage starts so).
        over = ended(end, as_of)
        escalating_today = {r.item_id for r in today_records if r.is_escalation}
        counts: dict[str, bool] = {}
        items = assessment.items
        for item_id in pending:
            item = items[item_id]
            if over and no_longer_asked(item, end, as_of):
                continue  # no escalation for it after the end (escalation_for)
            latest = item.latest_update
            known = facts.get(item_id, NO_FACTS)
            if known.escalated:
                continue  # no escalation for unanswered prompts
            records = today.get(item_id, ())
            if item_id in escalating_today:
                run = escalation_run(item_id, latest)
                if any(r.stage.startswith(run) for r in records):
                    continue  # this run had its one
            # Unanswered from tomorrow: those on record (after the latest update's day, up to
            # today) and today's, unless the latest update is of today. They escalate once
            # the ``needed``-th of them (by first day) is ``unanswered_grace_days`` old.
            stages = dict(known.unanswered)
            since = latest.reported_on if latest is not None else None
            if since is None or since < as_of:
                for r in records:
                    name = r.stage
                    counted = counts.get(name)
                    if counted is None:
                        counted = counts[name] = counts_unanswered(name)
                    if counted:
                        stages.setdefault(name, as_of)
            if len(stages) >= needed:
                nth = sorted(stages.values())[needed - 1]
                grace = scheduler.policy.unanswered_grace_days
                ripe[item_id] = max(scheduler.add(nth, grace), tomorrow)
    if questions is None:
        questions = prompt_questions(
            assessment, as_of, scheduler.policy, scheduler.cal, recipients_of, end=end
        )
    _asked_first(assessment, reminders, scheduler, facts, today, ripe, questions)
    working = scheduler.cal.working_day_on_or_after(tomorrow) if held else tomorrow

    # Items whose current stage was first prompted late, so that their next overdue stage
    # will be left out as too close to that prompt (most items the day a programme's prompts
    # start, or after days without them): that stage's first day is no next check. The first
    # prompt is today's record or one on record (:attr:`PromptFacts.stage_on`): a rerun of the
    # day or a later day of the stage, incremental or full, then sets the same next check as
    # the prompt's day (fix57k: before, only a rerun of that day did). Not for an item whose
    # run has escalated (its unanswered prompts are no longer told). Also on a day off (no
    # records today: only the stages on record), as the last working day's run did.
    skips: dict[str, Skip] = {}
    escalating = {e.item_id for e in reminders.escalations}
    asked = set(today)
    too_soon: dict[tuple[str, date], Skip | None] = {}
    asked.update(i for i, f in facts.items() if f.stage_prompted)
    for item_id in asked:
        question = questions.get(item_id)
        stage = None if question is None else question.stage
        known = facts.get(item_id, NO_FACTS)
        if stage is None or known.escalated or item_id in escalating:
            continue
        on: date | None
        if known.stage_prompted:
            on = known.stage_on
        elif any(r.stage == stage for r in today.get(item_id, ())):
            on = as_of
        else:
            continue
        if on is None:
            continue
        key = (stage, on)
        if key in too_soon:
            skip = too_soon[key]
        else:  # once per stage and day (thousands of items share one): None for most
            skip = too_soon[key] = scheduler.too_soon_next(stage, on)
        if skip is not None:
            skips[item_id] = skip
    # Items whose overdue stage was due today and left out for every contact by the
    # back-off after an escalation: the stages it leaves out next are no next checks (on
    # a continuous run most overdue items have escalated; 3 of 4 of their stages prompt
    # nobody by default). Also on a day off: a full run then sets what the last working day's
    # run did.
    for item_id, question in questions.items():
        stage = question.stage
        if stage is None or item_id in busy or item_id in again or item_id in today:
            continue
        facts_of = facts.get(item_id)
        if facts_of is None or not facts_of.escalated or facts_of.stage_prompted:
            continue
        if facts_of.too_soon or facts_of.escalated_on is None or facts_of.escalated_on >= as_of:
            continue  # escalated today: a rerun must set what the first run did
        skip = scheduler.backed_off_next(stage)
        if skip is not None:
            skips[item_id] = skip
    if recipients_of is not None:
        # Today's escalations count as the run's (the facts tell only earlier runs'): not on
        # a day off, when they are held back to the next working day.
        escalating = {e.item_id for e in reminders.escalations} if recorded else set()
        skips.update(_settled_after_prompt(assessment, scheduler, facts, questions, today,
                                           again, recipients_of, escalating))  # fmt: skip

    # One loop, the next check written out (once per judged item). Positional (a named
    # tuple's keyword call costs twice as much), with the enums' values looked up rather than
    # read through Enum.value.
    make = new_remembered
    states, rags, statuses = STATE_VALUES, RAG_VALUES, _STATUS_VALUES
    next_check, skip_of, ripe_on = scheduler.next_check, skips.get, ripe.get
    out: dict[str, Remembered] = {}
    for item_id, item in assessment.items.items():
        scheduled: date | None
        if item_id in again:
            scheduled = tomorrow
        else:
            scheduled = next_check(item, skip_of(item_id))
            escalates = ripe_on(item_id)
            if escalates is not None and (scheduled is None or escalates < scheduled):
                scheduled = escalates
            if item_id in held:
                scheduled = working if scheduled is None else min(scheduled, working)
        state, rag, latest = states[item.state], rags[item.rag], item.latest_update
        if latest is None:
            out[item_id] = make((
                state, rag, item.stale, item.due, scheduled, item.action_id, None, None, None,
                item.forecast, None,
            ))  # fmt: skip
        else:
            out[item_id] = make((
                state, rag, item.stale, item.due, scheduled, item.action_id, latest.id,
                latest.reported_on, statuses[latest.status], item.forecast, latest.source,
            ))  # fmt: skip
    return out


def _settled_after_prompt(
    assessment: Assessment,
    scheduler: Scheduler,
    facts: Mapping[str, PromptFacts],
    questions: Mapping[str, PromptQuestion],
    today: Mapping[str, Sequence[PromptRecord]],
    again: Collection[str],
    recipients_of: Callable[[Sequence[str]], Collection[str]],
    escalating: Collection[str] = (),
) -> dict[str, Skip]:
    """The items whose current overdue stage (``overdue-N@D``) is on record — prompted today
    or before — or left out as too soon (the stage before it caught up late) after their run
    escalated (before the stage or while it runs, today among them: ``escalating``), when the
    back-off will leave the next stages out for every contact: those stages are no next
    checks, the next prompted one is
    (:meth:`Scheduler.backed_off_next`). Without it the item wakes on N+1, prompts nobody,
    and only from then skips (≈ 1 of 3 left-out stages per cycle on a continuous run; on
    the days after an escalation wave, every item that escalated during its stage).

    Decided as the reminders will on N+1's first day, from what stays fixed until new input:
    the escalation is about the current due date (a new date's normal cadence is not
    counted), and every contact the owners have (``recipients_of``) is settled on that day
    (:func:`governance.reminders.settled`: prompted by the escalation's day, or first
    prompted long enough before it), their first prompts counted with today's. Between now
    and then nothing is prompted for the stage (it is on record), so every day of stage N
    from the escalation's — the first run of the prompt's or the escalation's day, a rerun,
    a full run later — decides the same. On the escalation's first run the facts do not
    say so yet: ``escalating`` does, and the caller gives the contacts of such an item
    whose stage is on record (:func:`governance.escalated_today.contacts_wanted`). Both start
    from one predicate (:func:`governance.escalated_today.backed_off_after_escalation`), so the
    read names every item this can skip through ``escalating``. An update, a plan or a contact
    change re-assesses the item anyway."""
    policy, cal = scheduler.policy, scheduler.cal
    as_of = assessment.as_of
    items = assessment.items
    found: dict[str, Skip] = {}
    windows: dict[date, date] = {}
    for item_id, question in questions.items():
        stage = question.stage
        # The predicate's first condition before any look-up: most items are in no overdue
        # stage (a quarter's prompts, dated stages before the due date).
        if stage is None or not stage.startswith("overdue-") or item_id in again:
            continue
        known = facts.get(item_id, NO_FACTS)
        records = today.get(item_id, ())
        entry = backed_off_after_escalation(
            stage, known, scheduler, escalates_today=item_id in escalating, records=records
        )
        if entry is None:
            continue
        escalated_on, skip = entry
        item = items[item_id]
        due = item.due
        if due is None:
            continue
        opened = windows.get(due)
        if opened is None:
            opened = windows[due] = cal.window_start(due, policy.first_prompt_days)
        if escalated_on < opened:
            continue  # about an earlier date: the new date's normal cadence may prompt N+1
        to = recipients_of(item.owners)
        if not to:
            continue
        contacts = known.contacts
        prompted = {r.contact_id for r in records if not r.is_escalation}
        comes = skip[1]
        for contact in to:
            seen = contacts.get(contact)
            first = seen[0] if seen is not None else as_of if contact in prompted else None
            if first is None or not settled_since(first, escalated_on, comes, policy, cal):
                break  # never prompted (a hand-over on N+1) or only lately
        else:
            found[item_id] = skip
    return found


def _asked_first(
    assessment: Assessment,
    reminders: ReminderPlan,
    scheduler: Scheduler,
    facts: Mapping[str, PromptFacts],
    today: Mapping[str, Sequence[PromptRecord]],
    ripe: dict[str, date],
    questions: Mapping[str, PromptQuestion],
) -> None:
    """Into ``ripe``: the items overdue long enough to escalate that did not today (their run
    has not escalated) → the day the owner's grace after the first prompt about the date
    they are overdue against runs out (governance.reminders, "Asked first"). Without such a
    prompt (held back, nobody to receive it, or an answer suppressed the stage) the day the
    next prompt comes is the next check already."""
    as_of = assessment.as_of
    escalated = {e.item_id for e in reminders.escalations}
    grace, tomorrow = scheduler.policy.unanswered_grace_days, as_of + _DAY
    for item_id, question in questions.items():
        about = question.asked_about
        if not about or item_id in escalated:
            continue
        known = facts.get(item_id, NO_FACTS)
        if known.escalated:
            continue
        first = known.asked_on
        of = question.asked_of
        if first is None and any(
            not r.is_escalation and r.stage.endswith(about) and (not of or r.contact_id in of)
            for r in today.get(item_id, ())
        ):
            first = as_of  # asked today: the grace counts from today
        if first is not None:
            day = max(scheduler.add(first, grace), tomorrow)
            if item_id not in ripe or day < ripe[item_id]:
                ripe[item_id] = day
