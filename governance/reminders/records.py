"""What the reminder rules read and give: prompts on record, digests, escalations, the
questions asked of the history and its answers, and the outbox keys (module notes: the package)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from governance.assessment import State
from governance.events import DomainEvent
from governance.plan import GovernanceBody, Plan
from governance.records import positional_constructor

ESCALATION_PREFIX = "escalation:"
#: The kinds of escalation: the last part of an escalation key (before :data:`AFTER_REPLAY`).
ESCALATION_KINDS = ("overdue", "unanswered")
#: Ends the key of a live escalation of a run that only `regie replay` had escalated (its
#: messages suppressed, never sent: :attr:`PromptFacts.replayed`). The replayed key stays on
#: record beside it (prompts are append-only), so the live one needs a key of its own.
AFTER_REPLAY = ":after-replay"
#: What marks a governance body as the one that steers the programme (Dutch and English).
STEERING_WORDS = ("stuur", "steering", "bestuur", "raad", "board")
SILENT_STATES = frozenset({State.DONE, State.CANCELLED, State.UNDATED, State.WAITING})
#: The stages asked before a due date: a courtesy, not a deadline missed, so they never count
#: as unanswered (the package notes, ``unanswered``; walk32b 2).
PRE_DEADLINE_STAGES = ("first@", "second@")
#: The one-off notice that a dependent item's predecessors were cancelled, so that it has no
#: date now (``predecessor-cancelled@2.4.1``, ids joined by ``,``): news for its owner, not a
#: request about a deadline, so it never counts as unanswered either.
NOTICE_PREFIX = "predecessor-cancelled@"
#: The stages that never count as unanswered: before the deadline, and the notice.
NOT_UNANSWERED = (*PRE_DEADLINE_STAGES, NOTICE_PREFIX)


def escalation_kind(stage: str) -> str:
    """The kind of an escalation key (``overdue``, ``unanswered``), :data:`AFTER_REPLAY` aside."""
    return stage.removesuffix(AFTER_REPLAY).rpartition(":")[2]


def counts_unanswered(stage: str) -> bool:
    """Whether a prompt record of ``stage`` can count for the ``unanswered`` escalation: a
    reminder (not an escalation) asked once the item was due, or an ongoing item's."""
    return not stage.startswith(ESCALATION_PREFIX) and not stage.startswith(NOT_UNANSWERED)


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
    """A prompt to a contact who was never prompted about the item while their predecessors
    were: contacts no longer asked who answered for the same organisation, or, when none did,
    for one that no longer owns it (a new contact of its owner, or a new owner; see
    :func:`governance.reminders.planning.predecessors`)."""

    previous: tuple[str, ...]  # the predecessors (ids, sorted)
    first_asked: date  # the first prompt about the item to any of them
    last_asked: date  # the last prompt to one of them
    via: tuple[str, ...] = ()  # the owners the contact is asked for (sorted; () not known)
    was: tuple[str, ...] = ()  # the predecessors' organisations not in ``via`` (an owner change)


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
    # Of such an item, and of every item when unanswered prompts escalate: the contacts its
    # prompts go to now; only prompts to them start the owner's grace and count as unanswered
    # (a successor's grace runs from their own requests, not from the prompts to the contact
    # who left). Empty: any contact's (no plan given).
    asked_of: frozenset[str] = frozenset()


class PromptFacts(NamedTuple):
    """The answers: whether the asked stage is on record, whether the run escalated, and the
    stages (not escalations) queued after ``since`` for the current contacts
    (:attr:`PromptQuestion.asked_of`), each with the first day it was queued for one of them
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
    # the first day a prompt (not an escalation) to one of its current contacts
    # (:attr:`PromptQuestion.asked_of`) named one of those dates (None: never).
    asked_on: date | None = None
    # On a live day (not a replay's): the current run escalated only on replayed days, whose
    # messages nobody received. Those escalations are left out of the other answers (the run
    # has not escalated), and a live escalation of the run ends in :data:`AFTER_REPLAY`
    # (store.replayed_prompts).
    replayed: bool = False
    # Of an item whose current stage is on record (``stage_prompted``): the first day it was
    # queued, for any contact (the next check leaves out the next stage when it will be too
    # soon after that prompt, also on a later day of the stage: fix57k).
    stage_on: date | None = None

    def unanswered_before(self, day: date) -> set[str]:
        return {stage for stage, first in self.unanswered.items() if first < day}


NO_FACTS = PromptFacts()


def escalation_keys(run: str) -> tuple[str, ...]:
    """Every key an escalation of the run ``run`` can have: what the store looks up. A live
    escalation after a replayed one (:data:`AFTER_REPLAY`) is not among them: it is only ever
    on record beside the replayed key, which the store finds, and then reads the item's
    prompts whole (store.replayed_prompts)."""
    return tuple(f"{run}{kind}" for kind in ESCALATION_KINDS)


#: ``PromptRecord(item_id, stage, contact_id, queued_on)``, made fast (see governance.records):
#: also for the store's reads of the prompt history.
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
