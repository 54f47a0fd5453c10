"""The reminder policy: who is prompted about what today, and what escalates.

The package: ``records`` (what the rules read and give), ``stages``, ``facts`` (the questions
asked of the prompts on record), ``escalations``, ``planning`` (a day's digests and
escalations) and ``free_keys`` (a rerun's keys). The notes below are the rules they share.

Settings come from ``plan.reminders`` (all counts in working days). Everything is computed from
an assessment and the history of what was queued before, so a daily run can be repeated, skipped
or run late without losing or duplicating prompts.

Stages. At any ``as_of`` an open item is in at most one stage:

- dated items: ``first@D`` (at most ``first_prompt_days`` before the due date D), ``second@D``
  (at most ``second_prompt_days`` before), ``due@D`` (on the due date and after it, until the
  first overdue stage; only with ``on_due_date``; a due date on a day off from the last working
  day before it, so that the owner is asked before the deadline has passed), ``overdue-N@D`` (N
  = working days overdue // ``overdue_every_days``, N ≥ 1), D in ISO form
  (``first@2016-09-30``). A dated stage names the due date it is about, so when the due date
  changes (a *gereed* revised in the plan, or a dependent item's date computed anew) the new
  date gets its own prompts: those sent for the old date do not count for it. A slipped item
  whose owner's forecast after its due date is still ahead is in no stage, before the due date
  as after it: the forecast is the new commitment, and ``second``/``due`` would ask what the
  owner has just answered (walk32b 1). Forecasts: from the day the forecast F comes (after
  the due date) the item has the stages of a due date F: ``due@F`` on the forecast day ("your
  expected date has come: is it done?"), whatever ``on_due_date`` says, then ``overdue-N@F``
  counted from F (the item is overdue again). Items without such a forecast keep their stage keys;
- ongoing items (open-ended, recurring): ``periodic-YYYYQn``, once per calendar quarter from their
  start (other ``open_ended_every_months`` give ``periodic-YYYYMmm`` blocks);
- done, cancelled, undated and waiting items are in no stage and never prompted, but for one
  notice: a dependent item left without a date because its predecessors were cancelled
  (:attr:`ItemAssessment.cancelled_predecessors`) is in the stage
  ``predecessor-cancelled@<ids>`` (ids joined by ``,``), prompted once like any other, so that
  its owner hears that the predecessor was dropped and the body sets a date or lets the item
  lapse. It never counts as unanswered and never escalates (the item is undated).

A prompt is due when the item's current stage was never prompted before (whatever the contact):
a missed day never loses a reminder and never sends the skipped stages afterwards. Nor does it
make an owner asked on two days running: a dated stage is left out when its previous stage was
first prompted (late, after missed days) fewer than half of ``overdue_every_days`` working days
before it starts; the stage after it asks. An answer
suppresses a stage: any update reported on or after the day the current stage began means the
owner already spoke in this stage, so it is not prompted. Only the owner's own updates answer:
an update a decision recorded (source ``decision``: a stuurgroep restoring a dropped item) is
not the owner speaking, so it suppresses no stage.

Recipients are contacts: every contact of each owner organisation, except a programme-office
contact of an organisation that has other contacts (:meth:`Plan.answering_for`: the office is
not the owner's voice, walk49 4). An owner without a contact is covered by the programme-office
contacts, with the note "no contact for <org>". Each contact gets ONE digest a day with all
their items (key ``reminder:<programme>:<contact>:<as_of>:digest``).

Escalations go to the programme-office contacts. A run is the time since the item's latest status
update (or since the start, without one; a decision's update, which answers no stage, still
starts a run: the body has just decided on the item). An item escalates at most once per run:

- ``unanswered``: at least ``escalate_after_unanswered`` prompts (distinct stages) were queued after
  the day of the latest update, each before today and at least ``unanswered_grace_days``
  working days before it — the owner's time to answer, so that a prompt just before the
  holidays does not escalate on the first day back. Only prompts asked once the item was due
  count (``due@``, ``overdue-N@``, an ongoing item's ``periodic-``), not ``first@``/``second@``
  (:func:`counts_unanswered`), and a dated item escalates only while it is overdue: never on
  its due date, before it, or while the owner's forecast is ahead (walk32b 2). Prompts for an
  earlier due date count too: the owner left them unanswered all the same. Only prompts to
  the contacts who answer for the item now count (:attr:`PromptQuestion.asked_of`), each from
  its first day to one of them: after a hand-over the successor has their own prompts and
  grace, as a first-time owner (walk30 3, hands33).
  It escalates whether or not the reminders were delivered (the office must act either way),
  but it says how many of them never reached the owner (:attr:`PromptFacts.undelivered`).
  When an item is ripe for both kinds on a day, ``overdue`` is raised, unless some of the
  unanswered prompts were not delivered: then ``unanswered``, which says so. A run that
  escalated under the rules before (either kind) stays escalated: no second escalation;
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
Only prompts to the contacts who answer for the item now count (:attr:`PromptQuestion.asked_of`):
after a hand-over (a new contact of the owner, or a new owner) the successor's grace runs from
their own first prompt about that date, the hand-over request, not from the prompts to the
contact who left (walk30 3). A contact change is a full assessment day (``incremental.basis``),
so every item's next check follows.

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

Hand-over. A contact prompted about an item for the first time while their predecessors were
prompted about it before gets the prompt as a hand-over (:class:`Handover`): who was asked
before, since when and until when, and for which owner the contact now answers. Predecessors
are the contacts asked before who are no longer asked about the item and answered for the
organisation the contact is asked for (a colleague who left the plan); only when nobody of
that organisation was asked before (the owner change itself), those who answered for an
organisation that no longer owns the item (a new owner after a plan edit or a decision;
``Handover.was`` names it) or whose organisation is not known any more (review55b 1). Never
a colleague still asked beside them, nor a contact of another organisation that still owns the
item (walk55b 1), nor one whose place a colleague still asked had already taken (a current
contact of the same organisation first asked after their last prompt; fix55r): a contact added
beside a colleague who stays took nothing over, however long ago that colleague took over, and
gets a plain request.
An escalation of an item handed over since its latest update (or ever, without one) says so:
when, to whom and from whom (:func:`handed_over`; the predecessors by the same rule,
:func:`governance.reminders.succession.taken_over_from`, among those first asked before
them: one asked the same day who left later is nobody's predecessor), so that the office does
not chase a contact who has just got the item as if they had ignored it. Of several hand-overs
it names the latest (review55c 1).

Escalation keys are ``escalation:<item>:<latest update id or 'none'>:<kind>`` (the update's
``reported_on`` stands in for a missing id). They are recorded as prompt records whose stage is
the key, so history alone says whether the current run has escalated already. Programme-office
contacts get one escalation digest a day (key ``escalation:<programme>:<contact>:<as_of>``).
On a live day an escalation only `regie replay` recorded (its digests suppressed, never sent)
does not count: the run escalates once more, live, under the key with ``:after-replay`` added
(:data:`AFTER_REPLAY`; :attr:`PromptFacts.replayed`). A replay's own days count them.

What the rules read of an item's history is bounded (:class:`PromptQuestion`, :class:`PromptFacts`):
whether its current stage is on record, whether (and from which day) its current run escalated,
the stages queued since its latest update, and — only of an item whose stage is to be prompted
today — which contacts were prompted about it before, from when until when. The store answers
those through its indexes, so a day's cost does not grow with the years of prompts behind it;
:func:`facts_from_history` answers them from a list.
"""

from __future__ import annotations

from governance.reminders.escalations import (
    asked_long_enough,
    backs_off,
    escalation_run,
    overdue_dates,
    settled,
    settled_since,
)
from governance.reminders.facts import (
    facts_from_history,
    prompt_questions,
)
from governance.reminders.free_keys import (
    free_key,
    is_addition,
    with_free_keys,
)
from governance.reminders.handed import HandedOver, handed_over
from governance.reminders.overview import (
    EscalationOverview,
    OpenCounts,
    OpenElsewhere,
    OpenItems,
    count_open_elsewhere,
    open_elsewhere,
)
from governance.reminders.planning import (
    contacts_of,
    plan_reminders,
    plan_reminders_from,
    recipients,
)
from governance.reminders.records import (
    AFTER_REPLAY,
    ESCALATION_KINDS,
    ESCALATION_PREFIX,
    NO_FACTS,
    SILENT_STATES,
    STEERING_WORDS,
    Digest,
    DigestItem,
    Escalation,
    EscalationDigest,
    Handover,
    PromptFacts,
    PromptQuestion,
    PromptRecord,
    ReminderPlan,
    counts_unanswered,
    digest_key,
    escalation_digest_key,
    escalation_keys,
    escalation_kind,
    new_prompt_record,
    steering_body,
)
from governance.reminders.renamed import as_people
from governance.reminders.stages import (
    Stage,
    current_stage,
)

__all__ = [
    "AFTER_REPLAY",
    "ESCALATION_KINDS",
    "ESCALATION_PREFIX",
    "NO_FACTS",
    "SILENT_STATES",
    "STEERING_WORDS",
    "Digest",
    "DigestItem",
    "Escalation",
    "EscalationDigest",
    "EscalationOverview",
    "HandedOver",
    "Handover",
    "OpenCounts",
    "OpenElsewhere",
    "OpenItems",
    "PromptFacts",
    "PromptQuestion",
    "PromptRecord",
    "ReminderPlan",
    "Stage",
    "as_people",
    "asked_long_enough",
    "backs_off",
    "contacts_of",
    "count_open_elsewhere",
    "counts_unanswered",
    "current_stage",
    "digest_key",
    "escalation_digest_key",
    "escalation_keys",
    "escalation_kind",
    "escalation_run",
    "facts_from_history",
    "free_key",
    "handed_over",
    "is_addition",
    "new_prompt_record",
    "open_elsewhere",
    "overdue_dates",
    "plan_reminders",
    "plan_reminders_from",
    "prompt_questions",
    "recipients",
    "settled",
    "settled_since",
    "steering_body",
    "with_free_keys",
]
