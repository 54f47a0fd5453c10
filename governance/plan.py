"""The typed plan: programme, organisations, governance bodies, steps → actions → milestones.

Built by :mod:`governance.planfile` from ``plan/actions.yaml``; immutable. Nothing here is specific
to one programme.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from governance.meetings import MeetingSchedule
from governance.periods import DEFAULT_SEASONS, Period, PeriodKind, Season
from governance.records import pickled_positionally, positional_constructor


@pickled_positionally
@dataclass(frozen=True, slots=True)
class Location:
    """Where something stands in the plan file (1-based line and column)."""

    path: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@pickled_positionally
@dataclass(frozen=True, slots=True)
class Organisation:
    id: str
    name: str
    kind: str | None = None  # ministry, agency, body, …
    note: str | None = None
    #: What mails, agenda packs and progress reports call it (an abbreviation such as "IenM");
    #: without it they show ``name``.
    short_name: str | None = None

    @property
    def label(self) -> str:
        """How a reader sees the organisation as an owner: ``short_name``, else ``name``."""
        return self.short_name or self.name


@pickled_positionally
@dataclass(frozen=True, slots=True)
class Contact:
    """A person who answers for an organisation's items (reminders go to contacts)."""

    id: str
    name: str
    organisation: str
    email: str | None = None
    slack: str | None = None  # Slack user id or e-mail used for users.lookupByEmail
    role: str | None = None
    programme_office: bool = False  # receives escalations
    channel: str | None = None  # slack | email: preferred channel; None: the first that reaches
    deputy: str | None = None  # may answer in this contact's place; copied on their escalations
    #: The ids this person had before (a renamed id, docs/plan-schema.md "Contact ids"): their
    #: prompts, answers, notes, links and feed under an old id are this contact's.
    formerly: tuple[str, ...] = ()


@pickled_positionally
@dataclass(frozen=True, slots=True)
class GovernanceBody:
    id: str
    name: str
    purpose: str
    cadence: str | None = None
    members: tuple[str, ...] = ()
    source: str | None = None
    meetings: MeetingSchedule | None = None  # when the body meets (listed dates and/or a rule)
    escalations: bool = False  # the plan names it as the body escalations are put to
    #: Where the plan file gives ``members`` (None: not given): an empty list there is warned of.
    members_location: Location | None = field(default=None, compare=False)


@pickled_positionally
@dataclass(frozen=True, slots=True)
class ReportObligation:
    id: str
    title: str
    recipient: str
    cadence: str | None = None
    action: str | None = None  # the action that delivers it
    source: str | None = None


@pickled_positionally
@dataclass(frozen=True, slots=True)
class Indicator:
    """A measurable target of a goal, as the plan text states it (``source`` quotes it)."""

    id: str
    goal_id: str
    name: str
    unit: str
    target: float
    target_date: date | None = None
    baseline: float | None = None
    baseline_date: date | None = None
    source: str | None = None
    note: str | None = None


@pickled_positionally
@dataclass(frozen=True, slots=True)
class Goal:
    id: str
    text: str
    category: str | None = None
    source: str | None = None
    indicators: tuple[Indicator, ...] = ()


class ItemLevel(StrEnum):
    ACTION = "action"
    MILESTONE = "milestone"


@pickled_positionally
@dataclass(frozen=True, slots=True)
class Milestone:
    id: str
    action_id: str
    title: str
    gereed: str | None
    period: Period | None
    owners: tuple[str, ...]  # the action's owners unless the milestone names its own
    depends_on: tuple[str, ...] = ()
    note: str | None = None
    location: Location | None = field(default=None, compare=False)
    original_gereed: str | None = None  # the gereed first promised, when a decision moved it
    revised_by: str | None = None  # the decision that moved it ("besluit stuurgroep 12 …")
    cancelled_by: str | None = None  # the decision that dropped it
    #: The id the item had before the plan renumbered it (``formerly``): a sync carries that
    #: id's history over to this one (docs/plan-schema.md, "Renumbering").
    formerly: str | None = None


@pickled_positionally
@dataclass(frozen=True, slots=True)
class Action:
    id: str
    step: int
    title: str
    owners: tuple[str, ...]
    gereed: str | None  # action-level Gereed, kept beside the milestones
    period: Period | None
    milestones: tuple[Milestone, ...] = ()
    depends_on: tuple[str, ...] = ()
    group: str | None = None  # a sub-heading inside a step's table
    source: str | None = None  # where the plan text names the owners
    note: str | None = None
    location: Location | None = field(default=None, compare=False)
    original_gereed: str | None = None  # see Milestone
    revised_by: str | None = None
    cancelled_by: str | None = None
    formerly: str | None = None  # see Milestone


@pickled_positionally
@dataclass(frozen=True, slots=True)
class Step:
    number: int
    title: str
    actions: tuple[Action, ...] = ()
    goal: str | None = None


@dataclass(frozen=True, slots=True)
class Deadline:
    """Anything with a *gereed*: a milestone, or an action-level Gereed beside its milestones."""

    item_id: str
    level: ItemLevel
    action_id: str
    step: int
    title: str
    gereed: str | None  # as written; an ``idem`` row names what it copies: ``idem (Q1-2016)``
    period: Period | None
    owners: tuple[str, ...]
    depends_on: tuple[str, ...]


def inherits_depends_on(action: Action) -> bool:
    """Whether ``action``'s ``depends_on`` holds for each of its milestones: it has milestones
    and no *gereed* of its own, so no item of its own to hold it (docs/plan-schema.md,
    "Dependencies")."""
    return action.gereed is None and bool(action.milestones)


def with_inherited(
    own: tuple[str, ...], inherited: tuple[str, ...], item_id: str, action_id: str
) -> tuple[str, ...]:
    """A milestone's ``depends_on`` with its action's merged after its own (each id once),
    leaving out the milestone and its action: waiting for them is waiting for itself, which
    the plan file refuses."""
    extra = tuple(d for d in inherited if d not in own and d != item_id and d != action_id)
    return own + extra if extra else own


#: ``Deadline(*fields)`` without the frozen dataclass's per-field ``object.__setattr__``: a
#: plan's deadlines are made once per process, 101,023 of them at 100k items.
_new_deadline = positional_constructor(Deadline)


@dataclass(frozen=True, slots=True)
class DeadlineTable:
    """:meth:`Plan.deadlines` and what the assessment looks up in them, made in the one pass
    over the plan that makes the deadlines (a daily cycle at 100k items then walks its
    101,023 deadlines once, not once more for each table). Shared by every reader of the plan:
    read-only, like the plan."""

    deadlines: tuple[Deadline, ...]
    #: Each id's deadline (the last one of a duplicate id), in the order ids first appear.
    by_id: dict[str, Deadline]
    #: Each action id's deadline ids, in table order.
    members: dict[str, list[str]]
    #: The ids of the deadlines with a ``depends_on``, in table order (a duplicate id perhaps
    #: more than once, and listed when any of its deadlines has one).
    depending: tuple[str, ...]
    #: The first deadline whose period is still an unresolved ``idem`` (None: none is).
    unresolved_idem: str | None


@pickled_positionally
@dataclass(frozen=True, slots=True)
class Programme:
    id: str
    title: str
    short_title: str | None = None
    description: str | None = None
    start: date | None = None
    end: date | None = None
    source_document: str | None = None
    #: How messages and pages name the office (None: "Programmabureau", "het"):
    #: :func:`governance.office_names.office_names`.
    office_name: str | None = None
    office_article: str | None = None
    #: The mail's From for this programme ("Naam <adres>"); None: REGIE_MAIL_FROM.
    mail_from: str | None = None


@pickled_positionally
@dataclass(frozen=True, slots=True)
class ExtraDayOff:
    """A day the programme's offices do not work besides the public holidays (a regional
    holiday, a closure day): ``calendar.extra_days_off`` in the plan file."""

    on: date
    name: str | None = None


@pickled_positionally
@dataclass(frozen=True, slots=True)
class CalendarConfig:
    timezone: str = "Europe/Amsterdam"
    holidays_country: str = "NL"
    seasons: dict[str, Season] = field(default_factory=lambda: dict(DEFAULT_SEASONS))
    extra_days_off: tuple[ExtraDayOff, ...] = ()
    # Months a done or dropped item, or a past meeting, stays in calendar feeds (regie.feeds).
    feed_keep_done_months: int = 12

    def extra_dates(self) -> frozenset[date]:
        """The extra days off, counted as non-working days wherever working days are."""
        return frozenset(d.on for d in self.extra_days_off)


@pickled_positionally
@dataclass(frozen=True, slots=True)
class ReminderPolicy:
    """When owners are prompted; all counts are working days."""

    first_prompt_days: int = 15
    second_prompt_days: int = 5
    on_due_date: bool = True
    overdue_every_days: int = 5
    # Once an item has escalated (its current run, about its current due date), its overdue
    # prompts come at most this often (rounded up to whole ``overdue_every_days``): ≈ monthly.
    # 0: no more overdue prompts after the escalation (governance.reminders, "Back-off").
    after_escalation_every_days: int = 20
    escalate_after_unanswered: int = 2
    # The owner's time to answer: an unanswered prompt counts towards an escalation only once
    # it is this many working days old (0: from the day after it was sent).
    unanswered_grace_days: int = 5
    escalate_after_overdue_days: int = 10
    open_ended_every_months: int = 3  # open-ended and periodic items: a status prompt a quarter
    stale_after_days: int = 20  # no update for this many working days → stale flag
    dependency_lead_days: int = 20  # dependent item due this long after its dependency is done
    # The programme office is reminded of a report a ``reports:`` entry owes this long before
    # it falls due (governance.report_due).
    report_lead_days: int = 10
    # How far ahead an owner's new date for an overdue item may lie (Slack's "Nieuwe datum…",
    # the answer form); further is refused at the field as a likely slip of the date picker.
    new_date_max_years: int = 2
    # Where ``escalate_after_overdue_days`` stands in the plan file (line, column), else the
    # ``reminders`` mapping: `plan validate` warns there of an escalation before any overdue
    # prompt. Not compared nor in repr: ``governance.incremental.basis`` digests the repr.
    escalation_at: tuple[int, int] | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Plan:
    programme: Programme
    steps: tuple[Step, ...]
    organisations: tuple[Organisation, ...] = ()
    contacts: tuple[Contact, ...] = ()
    governance: tuple[GovernanceBody, ...] = ()
    reports: tuple[ReportObligation, ...] = ()
    goals: tuple[Goal, ...] = ()
    calendar: CalendarConfig = field(default_factory=CalendarConfig)
    reminders: ReminderPolicy = field(default_factory=ReminderPolicy)
    path: str | None = None
    # SHA-256 of the plan file's bytes when loaded from a file: "this plan is unchanged".
    source_hash: str | None = field(default=None, compare=False)
    # deadlines() and their look-ups, built once: a daily cycle at 100k items asked for them
    # several times (≈ 0.4 s each). Not an init field, so dataclasses.replace() never carries
    # it to a changed plan.
    _deadlines: DeadlineTable | None = field(default=None, init=False, compare=False, repr=False)
    # contact() by id, built once: the messages ask it per recipient and item (review54b 8).
    _contacts: dict[str, Contact] | None = field(
        default=None, init=False, compare=False, repr=False
    )

    def contact(self, contact_id: str) -> Contact | None:
        """The contact with id ``contact_id`` (the first, should the plan name one twice), or
        the one that had it before (``formerly``: a renamed id is the same person)."""
        by_id = self._contacts
        if by_id is None:
            by_id = {}
            for c in self.contacts:
                by_id.setdefault(c.id, c)
            for c in self.contacts:
                for old in c.formerly:
                    by_id.setdefault(old, c)  # a current id is never an alias (the parser)
            object.__setattr__(self, "_contacts", by_id)  # published whole
        return by_id.get(contact_id)

    def person(self, contact_id: str) -> str:
        """The current id of the person ``contact_id`` names: a ``formerly`` id's contact's,
        else ``contact_id`` itself (a current contact's, a former contact's or unknown)."""
        found = self.contact(contact_id)
        return found.id if found is not None else contact_id

    def known_as(self, contact_ids: Iterable[str]) -> set[str]:
        """``contact_ids`` with the ids each had before (``formerly``): whose records are theirs."""
        out = set(contact_ids)
        for c in self.contacts:
            if c.formerly and c.id in out:
                out.update(c.formerly)
        return out

    def actions(self) -> Iterator[Action]:
        for step in self.steps:
            yield from step.actions

    def milestones(self) -> Iterator[Milestone]:
        for action in self.actions():
            yield from action.milestones

    def deadlines(self) -> list[Deadline]:
        """Every dated-or-not item in table order: an action's own Gereed first, then its
        milestones. An action without milestones is a deadline even without a Gereed; one with
        milestones but no Gereed is none, and its ``depends_on`` is each milestone's (merged
        after the milestone's own: :func:`with_inherited`)."""
        return list(self.deadline_table().deadlines)

    def deadline_table(self) -> DeadlineTable:
        """:meth:`deadlines` with their look-ups by id and by action (built once per plan)."""
        table = self._deadlines
        if table is None:
            table = self._build_deadlines()
            object.__setattr__(self, "_deadlines", table)  # published whole
        return table

    def _build_deadlines(self) -> DeadlineTable:
        out: list[Deadline] = []
        by_id: dict[str, Deadline] = {}
        members: dict[str, list[str]] = {}
        depending: list[str] = []
        unresolved: str | None = None
        idem = PeriodKind.SAME_AS_ABOVE
        make, action_level, milestone_level = _new_deadline, ItemLevel.ACTION, ItemLevel.MILESTONE
        rows: dict[str, Action | Milestone] = {}  # made at the first ``idem`` row only

        def shown(item: Action | Milestone) -> str | None:
            """The gereed a reader sees: an ``idem`` row names what it copies, ``idem (Q1-2016)``
            (the row above may not be on the same page, in the same message or calendar)."""
            period = item.period
            if period is None or period.same_as is None or item.gereed is None:
                return item.gereed
            if not rows:
                rows.update((i.id, i) for i in self.actions())
                rows.update((i.id, i) for i in self.milestones())
            source, seen = rows.get(period.same_as), {item.id}
            while source is not None and source.period is not None and source.period.same_as:
                if source.id in seen:
                    break
                seen.add(source.id)
                source = rows.get(source.period.same_as)
            copied = source.gereed if source is not None else None
            return item.gereed if copied is None else f"{item.gereed} ({copied})"

        for action in self.actions():
            gereed = shown(action)  # a call per action, none per milestone that copies nothing
            action_id = action.id
            # The action's deadline ids, appended to while they are made (not in a second pass
            # over 101,023 deadlines); an action id given twice gathers both actions' ids.
            ids = members.get(action_id)
            if ids is None:
                ids = members[action_id] = []
            own_item = not inherits_depends_on(action)
            # Without an item of its own, the action's depends_on holds for each milestone.
            passed = () if own_item else action.depends_on
            if own_item:
                period = action.period
                d = make(
                    action_id,
                    action_level,
                    action_id,
                    action.step,
                    action.title,
                    gereed,
                    period,
                    action.owners,
                    action.depends_on,
                )
                out.append(d)
                by_id[action_id] = d
                ids.append(action_id)
                if action.depends_on:
                    depending.append(action_id)
                if unresolved is None and period is not None and period.kind is idem:
                    unresolved = action_id
            for m in action.milestones:
                period = m.period
                item_id = m.id
                d = make(
                    item_id,
                    milestone_level,
                    action_id,
                    action.step,
                    m.title,
                    m.gereed if period is None or period.same_as is None else shown(m),
                    period,
                    m.owners,
                    with_inherited(m.depends_on, passed, item_id, action_id)
                    if passed
                    else m.depends_on,
                )
                out.append(d)
                by_id[item_id] = d
                ids.append(item_id)
                if d.depends_on:  # inherited ones too
                    depending.append(item_id)
                if unresolved is None and period is not None and period.kind is idem:
                    unresolved = item_id
        return DeadlineTable(tuple(out), by_id, members, tuple(depending), unresolved)

    def action(self, action_id: str) -> Action | None:
        return next((a for a in self.actions() if a.id == action_id), None)

    def body(self, body_id: str) -> GovernanceBody | None:
        return next((b for b in self.governance if b.id == body_id), None)

    def indicators(self) -> Iterator[Indicator]:
        for goal in self.goals:
            yield from goal.indicators

    def organisation(self, org_id: str) -> Organisation | None:
        return next((o for o in self.organisations if o.id == org_id), None)

    def answering_for(self, org_id: str) -> list[Contact]:
        """The contacts who answer for ``org_id``'s items: its contacts, a programme-office
        contact among them only when the organisation has no other. The office is not the
        owner's voice: it chases and records, and answers for an organisation only when nobody
        else does (walk49 4)."""
        members = [c for c in self.contacts if c.organisation == org_id]
        return [c for c in members if not c.programme_office] or members

    def owner_labels(self) -> dict[str, str]:
        """Organisation id → how mails, packs and reports show it as an owner
        (:attr:`Organisation.label`)."""
        return {o.id: o.label for o in self.organisations}

    def owner_name(self, owner: str) -> str:
        """An organisation (an owner, a body's member) as every reader sees it — web pages,
        ``regie status``, calendar feeds, Slack, mails, packs (layout 9 on) and reports:
        :attr:`Organisation.label`; an id no longer in the plan as itself."""
        org = self.organisation(owner)
        return org.label if org is not None else owner

    def owner_names(self, owners: Iterable[str]) -> list[str]:
        """``owners`` as a reader sees them (:meth:`owner_name`)."""
        return [self.owner_name(o) for o in owners]

    def to_json(self) -> dict[str, Any]:
        """The shape of ``regie plan show --format json``."""

        def period(p: Period | None) -> dict[str, str | None] | None:
            return p.to_json() if p else None

        return {
            "programme": {
                "id": self.programme.id,
                "title": self.programme.title,
                "short_title": self.programme.short_title,
                "start": self.programme.start.isoformat() if self.programme.start else None,
                "end": self.programme.end.isoformat() if self.programme.end else None,
            },
            "organisations": [
                {"id": o.id, "name": o.name, "short_name": o.short_name, "kind": o.kind}
                for o in self.organisations
            ],
            "steps": [
                {
                    "number": s.number,
                    "title": s.title,
                    "actions": [
                        {
                            "id": a.id,
                            "title": a.title,
                            "group": a.group,
                            "owners": list(a.owners),
                            "gereed": a.gereed,
                            "period": period(a.period),
                            "depends_on": list(a.depends_on),
                            "milestones": [
                                {
                                    "id": m.id,
                                    "title": m.title,
                                    "gereed": m.gereed,
                                    "period": period(m.period),
                                    "owners": list(m.owners),
                                    "depends_on": list(m.depends_on),
                                    "note": m.note,
                                }
                                for m in a.milestones
                            ],
                            "note": a.note,
                        }
                        for a in s.actions
                    ],
                }
                for s in self.steps
            ],
        }
