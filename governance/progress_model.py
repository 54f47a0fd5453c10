"""The progress report's data (:mod:`governance.progress`): per step its groups and counts, a
change and its reasons, the indicators, and the report itself; the templates word them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from governance.agenda import ItemLine
from governance.decisions import Decision, Measurement
from governance.plan import Indicator
from governance.progress_layouts import LAYOUT
from governance.provenance import DueChange

#: The states of a finished item: done, or dropped.
FINISHED = frozenset({"done", "cancelled"})


class ReasonKind(StrEnum):
    """Why an item is listed under *vertraagd of gewijzigd* (one macro each in
    ``reports/templates/_progress_texts.j2``, which words it)."""

    DECISION = "decision"  # decided_by, text, restored
    OWNER_NOTE = "owner_note"  # text: the owner's latest explanation
    OFFICE_NOTE = "office_note"  # text, by: the office's own words (layout 6 on)
    LATE_DELIVERY = "late_delivery"  # on: the due date it was delivered after
    OWNER_CHANGE = "owner_change"  # before, after: the owners; on: the day recorded
    REMOVED = "removed"  # decided_by (None: without a decision), with_items; on: recorded
    #: Due by the period's end, finished only after it (layout 7 on): on: the due date;
    #: finished_on: the day it was done or dropped; cancelled: dropped, not done.
    AFTER_PERIOD = "after_period"


#: The reasons that quote a note (layout 9 cuts a long one in the *Reden* column).
NOTE_KINDS = frozenset({ReasonKind.OWNER_NOTE, ReasonKind.OFFICE_NOTE})


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason of a :class:`Change`, in data: the report's templates word it."""

    kind: ReasonKind
    text: str | None = None
    decided_by: str | None = None  # how the report names the decision (decision_label)
    restored: bool = False  # the decision brought a dropped item back
    on: date | None = None
    before: object = None
    after: object = None
    with_items: tuple[str, ...] = ()
    by: str | None = None  # who wrote a note that is not the owner's (the office, by name)
    finished_on: date | None = None  # AFTER_PERIOD: the day the item was done or dropped
    cancelled: bool = False  # AFTER_PERIOD: dropped, not done
    #: REMOVED: the decision and the recording day in one pair of brackets (layout 14 on).
    one_bracket: bool = False


class Ending(StrEnum):
    """A change whose *now* is no date: the item was dropped or left the plan."""

    CANCELLED = "cancelled"
    REMOVED = "removed"


@dataclass(frozen=True, slots=True)
class Change:
    """A delay or change: what was promised, what it is now, and why (notes, decisions)."""

    item: ItemLine
    #: The first gereed as written; None when the item had none (the report says so).
    promised: str | None
    now: date | str | None  # a forecast or revised gereed; None when no new date is known
    reasons: tuple[Reason, ...]
    #: Due dates moved in the plan file without a decision, oldest first (the report says so).
    edits: tuple[DueChange, ...] = ()
    #: The day a done item was delivered (the report shows it as now).
    delivered: date | None = None
    #: ``now`` (a date, or a gereed whose due date it is) has passed on the report's day and the
    #: item is not finished: the report says the new date lapsed too.
    lapsed: bool = False
    #: The item was dropped or left the plan: the report says so as its now.
    ended: Ending | None = None
    #: Per edit of ``edits``, the day it was recorded (*vastgelegd op*): the office's day
    #: (layout 5 on), else the stored instant's own date (UTC's), as archived reports show it.
    edit_days: tuple[date, ...] = ()
    #: Per edit of ``edits``, the decision that ratified it
    #: (:func:`governance.progress_changes.ratified_by`; layout 18 on), None for one without:
    #: the report says *zonder besluit* of that one only.
    edit_ratified: tuple[str | None, ...] = ()
    #: Per edit of ``edits`` not ratified, the decision that moved the date elsewhere after it
    #: (:func:`governance.ratification.revising_decision`; layout 18 on): the report says
    #: *daarna bijgesteld bij besluit …*, not *zonder besluit*.
    edit_revised: tuple[str | None, ...] = ()


@dataclass(frozen=True, slots=True)
class Done:
    item: ItemLine
    on: date


class OutsideKind(StrEnum):
    """Why an item counted under *afgerond buiten de periode of vervallen* is not listed in
    the step's other groups (layout 7 on)."""

    AFTER = "after"  # done after the period (not due by its end: else it is changed)
    BEFORE = "before"  # done before the period started
    UNDATED = "undated"  # done; the owner gave no completion date
    CANCELLED = "cancelled"  # dropped without a decision (a decision's drop is changed)


@dataclass(frozen=True, slots=True)
class Outside:
    """An item finished outside the period or dropped, as chapter 2 names it."""

    item: ItemLine
    kind: OutsideKind
    on: date | None  # the day it was done or dropped; None when not known


@dataclass(frozen=True, slots=True)
class Added:
    """An item added to the plan in the report's period: the day the plan's addition was
    recorded, and the decision that added it (None: none recorded)."""

    on: date
    decided_by: str | None = None
    #: The decision was taken after the period's end (by the report's day; layout 11 on).
    after_period: bool = False
    #: The item took over this old id's history (``formerly``; layout 19 on): it is not new,
    #: it was renumbered (*hernummerd (was …)*), and no decision about an addition is named.
    renumbered_from: str | None = None


@dataclass(frozen=True, slots=True)
class StepProgress:
    number: int
    title: str
    goal: str | None
    done: tuple[Done, ...]
    ongoing: tuple[ItemLine, ...]
    changed: tuple[Change, ...]
    ahead: tuple[ItemLine, ...]
    total: int
    #: The summary counts each item once; these add up to ``total + removed``: ``done``,
    #: ``ongoing``, ``changed_only`` (the changed items not already under done: an item
    #: delivered late counts as done) and ``other`` (finished outside the period, or dropped,
    #: and not listed). ``removed``: items taken out of the plan in the period (under changed).
    changed_only: int = 0
    other: int = 0
    removed: int = 0
    #: Open items whose date in force (decided, forecast or planned) has passed on the day.
    late_open: int = 0
    #: Item id → the owner's forecast in force, for items of ``ahead`` expected on another
    #: day than their due date.
    expected: dict[str, date] = field(default_factory=dict)
    #: The items counted in ``other``, in plan order, as chapter 2 names them (layout 7 on;
    #: empty before it, when the report did not name them).
    outside: tuple[Outside, ...] = ()


@dataclass(frozen=True, slots=True)
class IndicatorProgress:
    indicator: Indicator
    goal_text: str
    measurements: tuple[Measurement, ...]  # oldest first
    #: The goal's ``category`` as the plan gives it (``beleidsdoel waaraan … bijdraagt``);
    #: None without one. Chapter 3 names it with the goal (layout 21 on, walk57a 5).
    goal_category: str | None = None

    @property
    def latest(self) -> Measurement | None:
        return self.measurements[-1] if self.measurements else None


@dataclass(frozen=True, slots=True)
class ProgressReport:
    programme_title: str
    programme_short: str
    source_document: str | None
    start: date
    end: date
    as_of: date
    ahead_until: date
    steps: tuple[StepProgress, ...]
    indicators: tuple[IndicatorProgress, ...]
    annex: tuple[ItemLine, ...]
    decisions: tuple[Decision, ...]
    updates_used: int
    #: The plan's first fuzzy gereed (a quarter, season, …) as written; None when it has none.
    date_example: str | None = None
    #: Item id → completion date, for the finished items of the annex that have one.
    completed_on: dict[str, date] = field(default_factory=dict)
    #: Whom it is for: the reporting obligation's ``recipient`` (None: the report names none).
    recipient: str | None = None
    #: The decision that approved the report (:func:`governance.progress_front.approval`);
    #: None: it is a concept.
    approved: Decision | None = None
    #: How the report names that decision ("besluit Stuurgroep …, 11 april 2017").
    approved_by: str | None = None
    #: :data:`governance.progress_layouts.LAYOUT`, or 1 for a report archived before it (made
    #: again as it was).
    layout: int = LAYOUT
    #: The approving decision does not name the report: a text-only decision about the
    #: report's action (the rule before layout 3), kept as a fallback
    #: (:func:`governance.progress_front.report_approval`).
    approved_implicitly: bool = False
    #: The reporting obligation's ``title`` (layout 6 on; None: the report names none, or
    #: an archived layout made again): the report's heading.
    title: str | None = None
    #: Organisation id → how the report shows it as an owner (layout 8 on; empty before).
    owner_labels: dict[str, str] = field(default_factory=dict)
    #: The period ends on the programme's end (layout 8 on): the final report, without an
    #: outlook past it.
    final: bool = False
    #: The programme's end, which a final report names (a period given by hand may end later).
    programme_end: date | None = None
    #: A final report made after the programme's end (layout 19 on): it says the programme
    #: *is geëindigd*, not that it *eindigt*.
    past_end: bool = False
    #: Item id → how it came into the plan in the period (layout 10 on; empty before).
    added: dict[str, Added] = field(default_factory=dict)
    #: Working days without an update before an item is *verouderd*, for the reading guide
    #: (layout 17 on, words53; None before: the guide said nothing of it).
    stale_after_days: int | None = None
