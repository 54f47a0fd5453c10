"""What goes in the progress report (*voortgangsrapportage*) to the recipient the plan's
reporting obligation names (the Tweede Kamer, the Vlaams Parlement …): pure content.

Kamerbrief-style, all from data: whom it is for (``reports[].recipient``), per step its goal
(from the plan), *gerealiseerd* (finished in the period, with the date), *lopend*, *vertraagd of
gewijzigd* (promised versus the new date, with the reason from the owner's note and the
decisions), *vooruitblik*; indicators (target against measured values; one without a
measurement says so, nothing is invented); a summary per step; the full table as annex.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from governance.agenda import ItemLine, ItemRevision, item_lines, local_day, removed_line
from governance.agenda_lines import one_line, with_not_started
from governance.agenda_model import created_times, renumbered_from
from governance.assessment import Assessment, ItemAssessment
from governance.cadences import CADENCE_NAMES as CADENCE_NAMES  # re-exported
from governance.cadences import CADENCES
from governance.decisions import (
    NOT_THE_OWNERS,
    Decision,
    DecisionKind,
    Measurement,
    added_by,
    decision_label,
    restores,
)
from governance.forecasts import forecast_superseded, lines_in_force
from governance.periods import DATED_KINDS, PeriodKind
from governance.plan import Deadline, Indicator, Plan, ReportObligation
from governance.provenance import DueChange, Removal, removals
from governance.ratification import ratifying_decision, revising_decision
from governance.slip_notes import quoted_update
from governance.updates import StatusUpdate

_LATE = frozenset({"overdue", "slipped"})
_FINISHED = frozenset({"done", "cancelled"})
#: The look-ahead after the period in calendar months, when the report does not say otherwise.
AHEAD_MONTHS = 6
#: The report's layout (kept with an archived report's parameters): 2 takes the date in force
#: as *Nu* and for the outlook, counts each item once in the summary, shows the source document
#: as a title and is a concept until approved. A report archived without one is made again as
#: layout 1 (the owner's forecast first, the outlook by due date, the source as written) with
#: its frozen templates (``voortgang_v1``), so that it reproduces byte for byte. 3: approved
#: by a decision that names the report (:func:`report_approval`); a text-only decision about
#: the action still approves it, flagged *impliciet goedgekeurd*. Layout 2 reports keep the
#: old rule (:func:`approval`), so that they reproduce. 4: an item delivered late (done after
#: its due date) is listed under *vertraagd of gewijzigd* too (Nu: the delivery), as the report
#: says, and the report says *punt* where it said *item*; layouts 2–3 keep their rule and their
#: frozen templates (``voortgang_v2``). 5: the day a plan-file edit was recorded (*vastgelegd
#: op*) is the office's day (``calendar.timezone``), not UTC's; layout 4 keeps UTC's date.
#: 6: the heading is the reporting obligation's ``title`` (the plan's name for the report),
#: and a note the office wrote is attributed to it, not called *toelichting eigenaar*;
#: layouts 4–5 keep both. 7: chapter 2 names, per step, the items the summary counts under
#: *afgerond buiten de periode of vervallen* (finished before or after the period, or
#: dropped), so that the count can be checked; an item due by the period's end and finished
#: only after it was late at the end, and is listed (and counted) under *vertraagd of
#: gewijzigd*; the PDF hyphenates the item tables' long words. Layouts 4–6 are made again with
#: their frozen templates (``voortgang_v6``) and their counts. 8: owners by the plan's
#: organisation ``short_name`` or ``name`` (layout 7 showed their ids), and a report whose period
#: ends on the programme's end says it is the final one and looks no further ahead (layout 7
#: promised an outlook past the end). 9 (as agenda layout 10 did, walk32c 6 and walk32a 11): an
#: owner's note over :data:`governance.agenda_model.NOTE_EXCERPT` characters is cut at a word in
#: the tables (*Reden*, the annex) and given once in full at the end (*Toelichtingen in volledige
#: tekst*; the PDF's separate annex file keeps it whole), and a slipped item whose latest answer
#: is *Risico* reads *verschoven, met risico*; layout 8 and before print the note whole and say
#: *verschoven*. 10 (walk32a 5): an item added to the plan in the period says so after its
#: title in chapter 2 (*toegevoegd aan het plan*, with the decision that added it: ``regie
#: decision add --adds``, else the day the plan's addition was recorded); layout 9 and before
#: say nothing of it. 11 (dec45): the decision that added such an item is named when it was
#: taken by the report's day (``as_of``), also after the period's end (*…, na de periode*);
#: layout 10 named only one taken by the period's end and said *zonder besluit* of a later one.
#: 12 (ratify46): a milestone that came with an action a decision added is named with that
#: decision (:func:`governance.decisions.added_by`); layout 11 said *zonder besluit* of it.
#: 13 (adds47, as agenda layout 14): only the milestones the plan had when the action's decision
#: was recorded (or that came with the action) are named with it; one added later reads *zonder
#: besluit* until a decision adds it (layout 12 named the action's decision at it).
#: 13 (words47, walk46 11c): in *vertraagd of gewijzigd* an added item's words follow its title
#: after a semicolon (*Titel; toegevoegd aan het plan (besluit …)*), not in brackets around
#: brackets; layout 12 and before are made again so (:data:`ONE_BRACKET_FROM`).
#: 14 (ratify48): an item removed by a decision says so in one pair of brackets (*uit het plan
#: verwijderd (besluit …; vastgelegd op …)*); layout 13 is made again with two
#: (:data:`ONE_BRACKET_REMOVAL_FROM`). (review47b 3, the decision that names an action added
#: milestone by milestone, does not reach the report: such an action, without a *gereed* of
#: its own, has no line of its own here.)
#: 15 (words49, walk49 12): an item without a date whose state reads as the plan's word
#: (*doorlopend*) says it once, without *(plan: doorlopend)*; layout 14 is made again with it
#: (:data:`PLAN_WORD_FROM`).
#: 16 (fresh50, walk49 1): an item is *verouderd* only after ``stale_after_days`` working days
#: without an update counted from its first assessment at the earliest (nobody was asked
#: before Regie was there: :data:`FIRST_ASSESSED_FROM`, read by ``regie.report_build``);
#: layout 15 and before are made again with the clock from the day the item became active.
#: 17 (words53): the summary's reading guide says what *verouderd* means when the annex marks
#: an item so (:data:`STALE_GUIDE_FROM`); layout 16 and before are made again without it.
#: 18 (walk54 1, review54 3): a due date moved in the plan file that a later decision
#: ratified (a text-only decision about the item or a ``set_gereed`` to that date, recorded
#: after the edit: :func:`governance.ratification.ratifying_decision`, the rule of the agenda
#: pack's *…accorderen?*) no longer reads *zonder besluit*: the edit names that decision
#: (*bekrachtigd bij besluit …*); one a later decision moved elsewhere says *daarna bijgesteld
#: bij besluit …*; layout 17 and before are made again with *zonder besluit*
#: (:data:`RATIFIED_FROM`).
#: 18 also (walk54 8, as agenda layout 19): an ongoing item whose start is still ahead
#: (``2028 e.v.`` in 2027) reads *nog niet gestart*, not *doorlopend*; layout 17 and before
#: are made again with *doorlopend* (:data:`NOT_STARTED_FROM`).
#: 19 (note54, left55a): a count of one reads in the singular (*1 van de 4 punten heeft een
#: update*, *1 werkdag*, *En nog 1 punt*, the annex's *1 punt*); layout 18 and before are made
#: again with the plural (:data:`COUNT_WORDS_FROM`).
#: 19 also (walk55a 1): an item renumbered with ``formerly`` (its history carried over) is no
#: removal: it is counted once, under its new number, which says *hernummerd (was …)* where
#: an added item says *toegevoegd aan het plan*; layout 18 and before are made again with the
#: old number *uit het plan verwijderd zonder besluit* (:data:`RENUMBERED_FROM`, read by
#: ``regie.report_build``: :func:`store.agenda_read.item_revisions`'s ``renumbered``).
#: 19 also (walk55a 2): the annex's *Prognose* is the owner's forecast in force, as *Nu* takes
#: it: none for a finished item, nor for one a later decision or plan-file edit moved
#: (:func:`governance.forecasts.forecast_in_force`); layout 18 and before are made again
#: with the standing forecast (:data:`FORECAST_IN_FORCE_FROM`).
#: 19 also (walk55d 8): a final report made after the programme's end says it in the past
#: tense (*eindigde*, *is … geëindigd*); layout 18 and before are made again with *eindigt*
#: (:data:`ENDED_TENSE_FROM`).
#: 19 also (walk55d 1): a dependent item whose predecessor was cancelled, not delivered, is
#: undated (*nog geen datum …, voorganger … vervallen*), not dated from the cancellation;
#: layout 18 and before are made again with that date (:data:`DROPPED_FROM`).
#: 19 also (walk55e 2): every open item with a date in force through the outlook's horizon is
#: counted once: late when that date is before ``as_of``, else under *Vooruitblik* (also one
#: due on ``as_of``, the period's last day when the report stands on it, or between ``as_of``
#: and the period's end); layout 18 and before are made again with the outlook after the
#: period's end only, which left out one due on the stand day and counted one due between the
#: period's end and a later ``as_of`` twice (:data:`COUNTED_ONCE_FROM`).
#: 19 also (walk55e 3): a decision that ratified a plan-file edit and is also one of the item's
#: reasons is named once, in the edit (*bekrachtigd bij besluit …: its words*), no longer also
#: as a reason before it; layout 18 is made again naming it twice (:data:`RATIFIED_ONCE_FROM`).
#: 20 (walk56e 1): in *vertraagd of gewijzigd* an ``idem`` row's promise (and a *Nu* taken
#: from its gereed) reads as the plan's reader text, ``idem (31-12-2026)``
#: (:meth:`governance.plan.Plan.deadlines`' ``gereed``), as the annex and every other view
#: have it; layout 19 and before are made again with the bare ``idem`` (:data:`IDEM_SHOWN_FROM`).
#: 20 also (walk56d 8): a reason followed by another in the *Reden* cell drops its final full
#: stop (a minuted decision is a sentence), so that no ``.;`` is shown; layout 19 and before are
#: made again with it (:data:`STOPS_JOINED_FROM`, read by ``regie.report_render``).
#: 20 also (walk56d 3): a decision corrected by a later one of its meeting (``regie decision
#: add --corrects``) is read as replaced: only the correction, moving the date from the one
#: before the meeting, is a reason; layout 19 and before are made again with both
#: (:data:`CORRECTIONS_FROM`, read by ``regie.report_build``).
#: 21 (fix57a): an item a decision of a later meeting added (``--adds``) is not in the plan of
#: the report's day (:func:`governance.provenance.additions_undone`), as ``status --as-of`` and
#: the deadline check have it; layout 20 and before are made again with it
#: (:data:`ADDITIONS_UNDONE_FROM`, read by ``regie.report_build``).
#: 21 (walk57a 4): the *Reden* column quotes the owner's note on the slip, the latest that
#: came with *risico* or a forecast (:mod:`governance.slip_notes`), not a completion note; a
#: finished item without one quotes none (:data:`SLIP_NOTES_FROM`). 21 also (walk57b 5): an
#: owner's note is printed as written, without the CSV formula guard's ``'``
#: (:data:`NOTES_AS_WRITTEN_FROM`). 21 also (walk57a 5, 7, 8): an indicator's goal is named
#: with its ``category`` from the plan, and chapter 3 says what a target without a
#: measurement means; *na de periode afgerond of vervallen*, *(plan: …)* without a bracket
#: inside a bracket, *datums* (:data:`KAMER_WORDS_FROM`). Layout 20 and before are made again
#: as they were.
#: 22 (walk58c 1, 5): the HTML has a viewport and the narrow-screen rules the agenda pack has
#: (``reports/templates/_phone.css.j2``: a table's rows read as cards, a wide table scrolls on
#: its own), so it reflows at 320 px on a phone; the title names the period after a comma
#: (*…, 1 januari 2015 tot en met 31 december 2020*; :data:`PHONE_FROM`). Layout 21 and
#: before are made again without them.
LAYOUT = 22
#: The first layout with a viewport, the narrow-screen rules and the comma in the title.
PHONE_FROM = 22
#: The first layout that leaves out an item a decision of a later meeting added.
ADDITIONS_UNDONE_FROM = 21
#: The first layout whose reads at a data cut-off leave out an update a correction recorded by
#: then replaced (fix56s, fix57a): a report of layout 20 was made from the updates as the daily
#: assessment reads them, so a rebuild at its cut-off does so too; layout 19 and before were
#: made before corrections replaced anything (read by ``regie.report_build``).
CORRECTED_UPDATES_FROM = 20
#: The first layout whose *Reden* quotes the owner's note on the slip (walk57a 4).
SLIP_NOTES_FROM = 21
#: The first layout that prints an owner's note as written, without ``'`` (walk57b 5).
NOTES_AS_WRITTEN_FROM = 21
#: The first layout with walk57a 5, 7 and 8's words (goal category, chapter 3, brackets).
KAMER_WORDS_FROM = 21
#: The first layout that reads a corrected decision as replaced by its correction.
CORRECTIONS_FROM = 20
#: The first layout whose changes show an ``idem`` row as ``idem (what it copies)``.
IDEM_SHOWN_FROM = 20
#: The first layout whose *Reden* cell reads no full stop before a semicolon.
STOPS_JOINED_FROM = 20
#: The first layout that counts each open item once: late, or under *Vooruitblik*.
COUNTED_ONCE_FROM = 19
#: The first layout that names a ratifying decision once, in the edit it ratified.
RATIFIED_ONCE_FROM = 19
#: The first layout whose final report, made after the programme's end, says it has ended.
ENDED_TENSE_FROM = 19
#: The first layout in which a cancelled predecessor dates no dependent.
DROPPED_FROM = 19
#: The first layout whose annex shows only the forecast in force.
FORECAST_IN_FORCE_FROM = 19
#: The first layout whose counts of one read in the singular.
COUNT_WORDS_FROM = 19
#: The first layout that reads a renumbering (``formerly``) as one item, not a removal.
RENUMBERED_FROM = 19
#: The first layout that names the decision ratifying a plan-file edit of a due date.
RATIFIED_FROM = 18
#: The first layout in which ongoing work not started yet reads *nog niet gestart*.
NOT_STARTED_FROM = 18
#: The first layout whose reading guide explains *verouderd* (``stale_after_days``).
STALE_GUIDE_FROM = 17
#: The first layout whose stale clock starts no earlier than an item's first assessment.
FIRST_ASSESSED_FROM = 16
#: The first layout whose tables keep one level of brackets at an added item's title.
ONE_BRACKET_FROM = 13
#: The first layout that says whose note it quotes and carries the obligation's title.
AUTHORS_FROM = 6
#: The first layout made with ``voortgang_v2``'s templates, not ``voortgang_v1``.
TEMPLATES_FROM = 2
#: The first layout made with the current templates (``voortgang``), not ``voortgang_v2``.
WORDS_FROM = 4
#: The first layout that shows a plan-file edit's recording day in the office's time zone.
LOCAL_DAYS_FROM = 5
#: The first layout that names the items finished outside the period and lists one finished
#: after the period, though due by its end, as changed (``voortgang``, not ``voortgang_v6``).
OUTSIDE_FROM = 7
#: The first layout whose PDF hyphenates the item tables (``_base.html.j2``'s ``hyphenate``).
HYPHENS_FROM = 7
#: The first layout that shows owners by name and knows the final report (the programme's end).
NAMES_FROM = 8
#: The first layout that cuts a long note in its tables and says *verschoven, met risico*.
EXCERPTS_FROM = 9
#: The first layout that marks the items added to the plan in the period (walk32a 5).
ADDED_FROM = 10
#: The first layout that names a decision taken after the period that added an item in it.
ADDED_LATER_FROM = 11
#: The first layout that names an added action's decision at its milestones (ratify46).
ACTION_NAMED_FROM = 12
#: The first layout that reads when items were created for the decision that added them
#: (:func:`governance.decisions.added_by`'s ``created``; review46 9).
DATED_ADDITIONS_FROM = 13
#: The first layout whose removal reason has one pair of brackets (ratify48).
ONE_BRACKET_REMOVAL_FROM = 14
#: The first layout that leaves out *(plan: …)* where it repeats the state's word.
PLAN_WORD_FROM = 15
#: Kinds whose gereed is a fuzzy date the plan keeps verbatim (the introduction's example).
_FUZZY_KINDS = DATED_KINDS - {PeriodKind.DATE}


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
    #: Per edit of ``edits``, the decision that ratified it (:func:`_ratified_by`; layout 18
    #: on), None for one without: the report says *zonder besluit* of that one only.
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
    #: The decision that approved the report (:func:`approval`); None: it is a concept.
    approved: Decision | None = None
    #: How the report names that decision ("besluit Stuurgroep …, 11 april 2017").
    approved_by: str | None = None
    #: :data:`LAYOUT`, or 1 for a report archived before it (made again as it was).
    layout: int = LAYOUT
    #: The approving decision does not name the report: a text-only decision about the
    #: report's action (the rule before layout 3), kept as a fallback (:func:`report_approval`).
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


def months_after(end: date, months: int) -> date:
    """The last day of the ``months`` calendar months that follow ``end``: 30 April + 6 →
    31 October, 31 August + 6 → the last day of February, 15 January + 6 → 15 July.

    The span starts the day after ``end`` and ends the day before the same day ``months``
    later (the first of the next month when that day does not exist); ``date.max`` when that
    lies beyond it."""
    if end == date.max:
        return date.max
    first = end + timedelta(days=1)
    index = first.year * 12 + first.month - 1 + months
    year, month = divmod(index, 12)
    if year > date.max.year:
        return date.max
    month += 1
    last_day = calendar.monthrange(year, month)[1]
    if first.day > last_day:  # from 30 August: no 30 February, so through its last day
        return date(year, month, last_day)
    return date(year, month, first.day) - timedelta(days=1)


def build_progress(
    plan: Plan,
    assessment: Assessment,
    start: date,
    end: date,
    *,
    decisions: Sequence[Decision] = (),
    measurements: Sequence[Measurement] = (),
    ahead_months: int = AHEAD_MONTHS,
    due_changes: Sequence[DueChange] = (),
    revisions: Sequence[ItemRevision] = (),
    recipient: str | None = None,
    delivered_by: str | None = None,
    layout: int = LAYOUT,
    obligation_id: str | None = None,
    first_recorded: datetime | None = None,
    slips: Mapping[str, StatusUpdate] | None = None,
) -> ProgressReport:
    """``recipient``: whom the report is for (the reporting obligation's; None: the report
    names none). ``delivered_by``: the action that delivers the report (the obligation's; None: the
    one of the plan's obligation for ``recipient``), whose approval :func:`approval` looks
    for. ``layout``: :data:`LAYOUT` (1: as reports archived before it were made).
    ``obligation_id``: the reporting obligation it is made for (its approval names it).
    ``due_changes``: due dates moved in the plan file without a decision (the plan's
    revisions); each such item is listed under *vertraagd of gewijzigd*, promised against now,
    whatever its state: a promise does not move silently. ``revisions``: the items' plan
    revisions (:func:`store.agenda_read.item_revisions`): an item removed from the plan file
    from ``start`` through ``as_of`` and not back is listed there too (with the decision behind
    it, else *zonder besluit*: the report must not lose it), and so is an owner change recorded
    in the period. An item they record as created in the period is marked added (layout 10
    on), with the decision that added it; not those of the first sync (``first_recorded``:
    the plan as first recorded). ``slips``: per item, the owner's latest note on a slip
    (:func:`governance.slip_notes.slip_notes`): from layout 21 the *Reden* column quotes it,
    else the latest note of an open item, and no owner's note of a finished one; None: the
    latest note, as layout 20 and before.

    *Nu* of a changed item is the date in force: the latest in time of the decisions and
    plan-file edits that moved it and the owner's forecast (:func:`_forecast_stands`), its
    delivery when done; one that has passed again is said to have lapsed. The outlook takes
    the same date."""
    lines = item_lines(plan, assessment, guarded=layout < NOTES_AS_WRITTEN_FROM)
    if layout >= NOT_STARTED_FROM:  # walk54 8: not *doorlopend* before its start
        lines = with_not_started(assessment, lines)
    # From layout 8 by the names the tables use (review8 4); before, the ids.
    labels = plan.owner_labels() if layout >= NAMES_FROM else {}
    owner_changes = _owner_changes(plan, revisions, start, min(end, assessment.as_of), labels)
    gone = _removed(
        plan, lines, revisions, decisions, start, assessment.as_of,
        one_bracket=layout >= ONE_BRACKET_REMOVAL_FROM,
    )  # fmt: skip
    edited: dict[str, list[DueChange]] = {}
    for c in due_changes:
        edited.setdefault(c.item_id, []).append(c)
    by_item: dict[str, list[Decision]] = {}
    for d in decisions:
        if d.item_id and d.meeting_on <= assessment.as_of:
            by_item.setdefault(d.item_id, []).append(d)
    restored = restores(d for ds in by_item.values() for d in ds)
    plan_items: dict[str, object] = {}
    for action in plan.actions():
        plan_items[action.id] = action
        for m in action.milestones:
            plan_items[m.id] = m
    # walk56e 1: an ``idem`` row's gereed as the reader sees it, ``idem (31-12-2026)``.
    shown = plan.deadline_table().by_id if layout >= IDEM_SHOWN_FROM else None
    final = layout >= NAMES_FROM and plan.programme.end is not None and end >= plan.programme.end
    # The final report looks no further than the programme's end: nothing comes after it.
    ahead_until = end if final else months_after(end, ahead_months)
    steps = []
    for step in plan.steps:
        mine = [x for x in lines.values() if x.step == step.number]
        done = []
        ongoing = []
        changed = []
        upcoming = []
        expected: dict[str, date] = {}
        late_open = 0
        for line in mine:
            item = assessment.items[line.item_id]
            if line.state == "done" and item.completed_on and start <= item.completed_on <= end:
                done.append(Done(line, item.completed_on))
            original = getattr(plan_items.get(line.item_id), "original_gereed", None)
            moved = by_item.get(line.item_id, [])
            # A decision's update (a drop, a restore) is the body's word: its decision is listed;
            # a report's mark is the office's record of the report made.
            latest = item.latest_update
            noted_on = None
            if slips is not None and layout >= SLIP_NOTES_FROM:  # walk57a 4: the slip's reason
                latest = quoted_update(latest, slips.get(line.item_id))
                note = one_line(latest.comment) if latest is not None else None
                noted_on = latest.reported_on if latest is not None else None
            else:
                owners_word = latest is not None and latest.source not in NOT_THE_OWNERS
                note = line.note if owners_word else None
            noted_by = _noted_by(plan, latest) if layout >= AUTHORS_FROM else None
            edits = tuple(edited.get(line.item_id, ()))
            owners = owner_changes.get(line.item_id, ())
            forecast = (
                line.forecast
                if layout < 2 or _forecast_stands(plan, item, moved, edits, assessment.as_of)
                else None
            )
            # The date in force: the owner's forecast when it is the latest word, else the due
            # date (a decision's or the plan's).
            current = line.due if layout < 2 else forecast or line.due
            # Delivered after its due date: late, so listed as changed too (layout 4 on).
            late_delivery = (
                layout >= WORDS_FROM
                and line.state == "done"
                and item.completed_on is not None
                and line.due is not None
                and item.completed_on > line.due
                and start <= item.completed_on <= end
            )
            # Due by the period's end and finished after it: late at the end (layout 7 on).
            after_period = (
                layout >= OUTSIDE_FROM
                and line.state in _FINISHED
                and item.completed_on is not None
                and item.completed_on > end
                and line.due is not None
                and line.due <= end
            )
            if (
                line.state in _LATE
                or late_delivery
                or after_period
                or original
                or edits
                or owners
                or any(d.kind is DecisionKind.CANCEL for d in moved)
            ):
                change = _change(
                    plan, line, plan_items.get(line.item_id), moved, edits, note, restored,
                    forecast=forecast, completed_on=item.completed_on, as_of=assessment.as_of,
                    noted_by=noted_by, shown=_shown(shown, line.item_id), noted_on=noted_on,
                )  # fmt: skip
                change = replace(change, edit_days=_edit_days(plan, change.edits, layout))
                if layout >= RATIFIED_FROM and change.edits:
                    ratified, revised = _ratified_by(plan, change.edits, moved, assessment.as_of)
                    change = replace(change, edit_ratified=ratified, edit_revised=revised)
                    if layout >= RATIFIED_ONCE_FROM:
                        change = _ratified_once(change)
                if late_delivery and line.due is not None:
                    why = Reason(ReasonKind.LATE_DELIVERY, on=line.due)
                    change = replace(change, reasons=(why, *change.reasons))
                if after_period and line.due is not None:
                    why = Reason(
                        ReasonKind.AFTER_PERIOD, on=line.due, finished_on=item.completed_on,
                        cancelled=line.state == "cancelled",
                    )  # fmt: skip
                    change = replace(change, reasons=(why, *change.reasons))
                if owners:
                    unmoved = change.now is None and change.ended is None
                    if unmoved and not (line.state in _LATE or original or edits):
                        change = replace(change, now=change.promised)  # only its owner changed
                    change = replace(change, reasons=(*change.reasons, *owners))
                changed.append(change)
            elif line.state not in _FINISHED:
                ongoing.append(line)
            if line.state not in _FINISHED and current is not None:
                late = current < assessment.as_of
                if layout >= COUNTED_ONCE_FROM:  # walk55e 2: each open item late or ahead
                    ahead = not late and current <= ahead_until
                else:  # due on the stand day at the period's end: neither (nor both after it)
                    ahead = end < current <= ahead_until
                if ahead:
                    upcoming.append(line)
                    if forecast is not None and forecast != line.due:
                        expected[line.item_id] = forecast
                if late:
                    late_open += 1
        removed = gone.get(step.number, [])
        outside = (
            _outside(mine, assessment, done, ongoing, changed, end)
            if layout >= OUTSIDE_FROM
            else ()
        )
        delivered = {d.item.item_id for d in done}
        changed_only = sum(1 for c in changed if c.item.item_id not in delivered) + len(removed)
        changed += removed
        steps.append(
            StepProgress(
                step.number, step.title, step.goal, tuple(done), tuple(ongoing), tuple(changed),
                tuple(upcoming), len(mine), changed_only=changed_only,
                other=len(mine) - len(done) - len(ongoing) - (changed_only - len(removed)),
                removed=len(removed), late_open=late_open, expected=expected,
                outside=outside,
            )
        )  # fmt: skip
    goals = {g.id: g.text for g in plan.goals}
    categories = {g.id: " ".join(g.category.split()) or None for g in plan.goals if g.category}
    per_indicator: dict[str, list[Measurement]] = {}
    for value in sorted(measurements, key=lambda v: (v.measured_on, v.id or 0)):
        if value.measured_on <= assessment.as_of:
            per_indicator.setdefault(value.indicator_id, []).append(value)
    indicators = tuple(
        IndicatorProgress(
            i,
            goals.get(i.goal_id, ""),
            tuple(per_indicator.get(i.id, ())),
            categories.get(i.goal_id),
        )
        for i in plan.indicators()
    )
    # Items with an owner's update: a decision's (a drop, a restore) or a report's mark is not
    # the owner's word.
    used = sum(
        1
        for i in assessment.items.values()
        if i.latest_update is not None and i.latest_update.source not in NOT_THE_OWNERS
    )
    delivering = delivered_by or _obligation_action(plan, recipient)
    approved, implicit = None, False
    if layout >= 3:
        approved, implicit = report_approval(
            plan, decisions, obligation_id or _obligation_id(plan, recipient), delivering,
            start, end, assessment.as_of,
        )  # fmt: skip
    elif layout >= 2:
        approved = approval(decisions, delivering, end, assessment.as_of)
    source = plan.programme.source_document
    return ProgressReport(
        programme_title=plan.programme.title,
        programme_short=plan.programme.short_title or plan.programme.title,
        source_document=document_title(source) if layout >= 2 else source,
        start=start,
        end=end,
        as_of=assessment.as_of,
        ahead_until=ahead_until,
        steps=tuple(steps),
        indicators=indicators,
        annex=tuple(
            lines_in_force(plan, assessment, lines, decisions, due_changes).values()
            if layout >= FORECAST_IN_FORCE_FROM
            else lines.values()
        ),
        decisions=tuple(d for d in decisions if start <= d.meeting_on <= end),
        updates_used=used,
        date_example=date_example(plan),
        completed_on={
            i.item_id: i.completed_on
            for i in assessment.items.values()
            if i.completed_on is not None and i.state.value in _FINISHED
        },
        recipient=" ".join(recipient.split()) if recipient and recipient.strip() else None,
        approved=approved,
        approved_by=decision_label(plan, approved) if approved is not None else None,
        layout=layout,
        approved_implicitly=implicit,
        title=(
            _report_title(plan, obligation_id or _obligation_id(plan, recipient))
            if layout >= AUTHORS_FROM
            else None
        ),
        owner_labels=plan.owner_labels() if layout >= NAMES_FROM else {},
        final=final,
        programme_end=plan.programme.end if final else None,
        past_end=(
            final
            and layout >= ENDED_TENSE_FROM
            and plan.programme.end is not None
            and assessment.as_of > plan.programme.end
        ),
        added=(
            _added(plan, lines, revisions, decisions, start, min(end, assessment.as_of),
                   first_recorded,
                   decided_by=assessment.as_of if layout >= ADDED_LATER_FROM else None,
                   with_action=layout >= ACTION_NAMED_FROM,
                   dated=layout >= DATED_ADDITIONS_FROM)
            if layout >= ADDED_FROM
            else {}
        ),
        stale_after_days=plan.reminders.stale_after_days if layout >= STALE_GUIDE_FROM else None,
    )  # fmt: skip


def _added(
    plan: Plan,
    lines: dict[str, ItemLine],
    revisions: Sequence[ItemRevision],
    decisions: Sequence[Decision],
    start: date,
    end: date,
    first_recorded: datetime | None,
    *,
    decided_by: date | None = None,
    with_action: bool = True,
    dated: bool = True,
) -> dict[str, Added]:
    """The plan's items created from ``start`` through ``end`` (the day recorded, the office's
    day), with the decision that added each (``--adds``), taken by ``decided_by`` (the report's
    day: a reader of a later report is told of the decision, dated, rather than read *zonder
    besluit*; only what was known then, so the report is made again the same); None: by
    ``end`` (layout 10). ``with_action``: a milestone whose action a decision added is named
    with that decision (:func:`added_by`, as the agenda pack has it; layouts up to 11: not);
    ``dated``: only those the plan had when it was recorded (layouts up to 12: every one).
    An item that took over an old id's history (:attr:`ItemRevision.renumbered_to`, read for
    layout 19 on) is marked renumbered instead (:attr:`Added.renumbered_from`)."""
    created = created_times(revisions) if dated else None
    by = {
        item_id: found.decision
        for item_id, found in added_by(plan, decisions, decided_by or end, created=created).items()
        if with_action or not found.via_action
    }
    out: dict[str, Added] = {}
    renumbered = renumbered_from(revisions)
    for r in revisions:
        if r.kind != "created" or r.item_id not in lines:
            continue
        if first_recorded is not None and r.recorded_at <= first_recorded:
            continue  # the plan as first recorded
        day = local_day(plan, r.recorded_at)
        if start <= day <= end and r.item_id in renumbered:
            out[r.item_id] = Added(day, renumbered_from=renumbered[r.item_id])
        elif start <= day <= end:
            adder = by.get(r.item_id)
            late = adder is not None and adder.meeting_on > end
            out[r.item_id] = Added(day, decision_label(plan, adder) if adder else None, late)
    return out


def _outside(
    mine: Sequence[ItemLine],
    assessment: Assessment,
    done: Sequence[Done],
    ongoing: Sequence[ItemLine],
    changed: Sequence[Change],
    end: date,
) -> tuple[Outside, ...]:
    """The step's items listed in none of its groups (the summary's *other*), in plan order:
    each one is finished, since an open item is ongoing or changed."""
    listed = {d.item.item_id for d in done} | {x.item_id for x in ongoing}
    listed |= {c.item.item_id for c in changed}
    out = []
    for line in mine:
        if line.item_id in listed:
            continue
        on = assessment.items[line.item_id].completed_on
        if line.state == "cancelled":
            kind = OutsideKind.CANCELLED
        elif on is None:
            kind = OutsideKind.UNDATED
        else:
            kind = OutsideKind.AFTER if on > end else OutsideKind.BEFORE
        out.append(Outside(line, kind, on))
    return tuple(out)


def _report_title(plan: Plan, obligation_id: str | None) -> str | None:
    """The reporting obligation's title, in one line; None without one."""
    found = next((r for r in plan.reports if r.id == obligation_id), None)
    if found is None:
        return None
    return " ".join(found.title.split()) or None


def _noted_by(plan: Plan, latest: StatusUpdate | None) -> str | None:
    """Who wrote the note a change quotes when it is not the owner (layout 6): the office, by
    the plan's name for it (a correction by the office is not the owner's explanation); None:
    the owner's."""
    from governance.answers import written_by
    from governance.office_names import office_names

    if latest is not None and written_by(plan, latest) == "office":
        return office_names(plan.programme).the
    return None


def report_approval(
    plan: Plan,
    decisions: Sequence[Decision],
    obligation_id: str | None,
    action: str | None,
    start: date,
    end: date,
    as_of: date,
) -> tuple[Decision | None, bool]:
    """The decision that approves the report of ``obligation_id`` over ``start``–``end`` as of
    ``as_of``, and whether only implicitly. Explicit: the latest decision that names this
    report and period (:attr:`Decision.approves`), taken after the period and on or before
    ``as_of``. Else, as a fallback so that a programme's habit does not turn its reports into
    concepts overnight: :func:`approval`'s text-only decision about the report's action, but
    only when that action delivers no other obligation of the plan (else it cannot tell which
    report it approves). (None, False): the report is a concept. No text-only decision taken
    at or after the first meeting that names a report of the obligation counts: the body has
    named what it approves since."""
    named = [
        d
        for d in decisions
        if d.approves is not None
        and obligation_id is not None
        and d.approves.report_id == obligation_id
        and (d.approves.start, d.approves.end) == (start, end)
        and end < d.meeting_on <= as_of
    ]
    if named:
        return max(named, key=_decision_order), False
    sharing = [r.id for r in plan.reports if action is not None and r.action == action]
    if len(sharing) > 1:
        return None, False
    # Once the body names the reports it approves, a text-only decision about the action
    # ("4.4 uitgesteld") approves none taken after that (review mailrep, 9): the fallback is
    # for the habit before.
    first_named = min(
        (
            d.meeting_on
            for d in decisions
            if d.approves is not None and d.approves.report_id == obligation_id
        ),
        default=date.max,
    )
    text_only = [d for d in decisions if d.approves is None and d.meeting_on < first_named]
    implicit = approval(text_only, action, end, as_of)
    return implicit, implicit is not None


def _decision_order(d: Decision) -> tuple[date, datetime, int]:
    return (d.meeting_on, d.recorded_at or datetime.min, d.id or 0)


def approval(
    decisions: Sequence[Decision], action: str | None, end: date, as_of: date
) -> Decision | None:
    """The decision that approves the report over a period ending on ``end``, as of ``as_of``:
    the latest text-only decision (``regie decision add --item ACTION --text …``) of a body
    about ``action``, the action that delivers the report, taken after the period and on or
    before ``as_of``. A decision that moves or drops the action is no approval. None: the
    report is a concept (so is one whose obligation names no action)."""
    if action is None:
        return None
    found = [
        d
        for d in decisions
        if d.item_id == action and d.kind is DecisionKind.DECISION and end < d.meeting_on <= as_of
    ]
    return max(
        found, key=lambda d: (d.meeting_on, d.recorded_at or datetime.min, d.id or 0), default=None
    )


def _obligation_id(plan: Plan, recipient: str | None) -> str | None:
    """The plan's reporting obligation for ``recipient`` (the only one when ``recipient`` is
    None); None when there is none, or several."""
    wanted = " ".join(recipient.split()) if recipient else None
    found = [
        r.id for r in plan.reports if wanted is None or " ".join(r.recipient.split()) == wanted
    ]
    return found[0] if len(found) == 1 else None


def _obligation_action(plan: Plan, recipient: str | None) -> str | None:
    """The action of the plan's reporting obligation for ``recipient`` (the only one when
    ``recipient`` is None); None when there is none, or several that differ."""
    wanted = " ".join(recipient.split()) if recipient else None
    actions = {
        r.action
        for r in plan.reports
        if r.action and (wanted is None or " ".join(r.recipient.split()) == wanted)
    }
    if wanted is None and len(plan.reports) != 1:
        return None
    return next(iter(actions)) if len(actions) == 1 else None


#: A file path in a text: a token with a directory separator that ends in a file name with an
#: extension (``shared/seeds/000_06e2.txt``, ``C:\plannen\mvi.pdf``), or one that starts like
#: a path (``/srv/…``, ``~/…``, ``./…``). A web address is no path.
_PATH = re.compile(
    r"(?<![\w:/])(?:[A-Za-z]:\\|~/|\.{1,2}/|/)?(?:[\w.-]+[/\\])+[\w.-]*\.[A-Za-z][A-Za-z0-9]{0,4}\b"
    r"|(?<![\w:/])(?:~|\.{1,2})?/[\w.-]+(?:/[\w.-]+)+"
)
_URL = re.compile(r"\b[a-z][a-z0-9+.-]*://\S+", re.IGNORECASE)


def document_title(text: str | None) -> str | None:
    """The plan's ``source_document`` as the report names it: a document's title, without
    what only the programme office reads: a part in brackets that names a file path is left
    out ("… Bijlage 2 (tekstextractie: shared/seeds/….txt)" → "… Bijlage 2"); a text that
    still names a path after that (or is one) is not shown at all (None)."""
    if text is None:
        return None
    kept = " ".join(text.split())
    bare = _URL.sub("", kept)
    if not _PATH.search(bare):
        return kept or None
    kept = re.sub(
        r"\s*\(([^()]*)\)", lambda m: "" if _PATH.search(_URL.sub("", m[1])) else m[0], kept
    )
    kept = kept.strip(" ,;:")
    if not kept or _PATH.search(_URL.sub("", kept)):
        return None
    return kept


def date_example(plan: Plan) -> str | None:
    """The first gereed of the plan, in plan order, that is a fuzzy date (``Q3-2015``,
    ``Najaar 2015``, ``H1 2016``): the introduction's example of dates kept as written."""
    for d in plan.deadlines():
        if d.period is not None and d.period.kind in _FUZZY_KINDS and d.gereed:
            return " ".join(d.gereed.split())
    return None


def _change(
    plan: Plan,
    line: ItemLine,
    plan_item: object,
    decisions: list[Decision],
    edits: tuple[DueChange, ...] = (),
    note: str | None = None,
    restored: Collection[Decision] = (),
    *,
    forecast: date | None = None,
    completed_on: date | None = None,
    as_of: date | None = None,
    noted_by: str | None = None,
    shown: str | None = None,
    noted_on: date | None = None,
) -> Change:
    """Promised (the first gereed) against now: the owner's ``forecast`` when it is in force
    (:func:`_forecast_stands`; None when not), else a revised gereed; a done item's delivery
    (``completed_on``). A gereed edited in the plan file without a decision: promised is the
    gereed before the first such edit (or the decisions' original), now the gereed the plan
    has. ``note``: the owner's latest explanation (none when the latest update is a
    decision's); ``restored``: the decisions that brought a dropped item back
    (:func:`governance.decisions.restores`). A now that has passed on ``as_of`` while the item
    is open is ``lapsed``. ``shown``: the gereed as the plan's reader sees it (an ``idem`` row's
    ``idem (Q1-2016)``, layout 20 on); None: the file's word. ``noted_on``: the day of the
    quoted note, when it need not be the latest update's (layout 21 on: the report gives a long
    one in full at its end with that day)."""
    reasons = [
        Reason(
            ReasonKind.DECISION,
            text=d.text,
            decided_by=decision_label(plan, d),
            restored=d in restored,
        )
        for d in decisions
    ]
    if note:
        if noted_by is None:
            reasons.append(Reason(ReasonKind.OWNER_NOTE, text=note, on=noted_on))
        else:  # the office's own words (layout 6 on)
            reasons.append(Reason(ReasonKind.OFFICE_NOTE, text=note, by=noted_by, on=noted_on))
    original = getattr(plan_item, "original_gereed", None)
    gereed = shown if shown is not None else getattr(plan_item, "gereed", None)
    now: date | str | None = None
    ends: date | None = None  # the last day of now
    if forecast is not None:
        now = ends = forecast
    elif original or edits or any(d in restored for d in decisions):
        now, ends = gereed, line.due
    delivered = completed_on if line.state == "done" else None
    ended = Ending.CANCELLED if line.state == "cancelled" else None
    if ended is not None:
        now = None
    lapsed = line.state not in _FINISHED and ends is not None and as_of is not None and ends < as_of
    promised = original or (edits[0].gereed_before if edits else None) or gereed
    return Change(
        line, promised or None, now, tuple(reasons), edits, delivered, lapsed, ended=ended
    )


def _shown(deadlines: Mapping[str, Deadline] | None, item_id: str) -> str | None:
    """The reader's gereed of ``item_id`` among ``deadlines`` (None: no such deadline, or
    none asked for)."""
    found = deadlines.get(item_id) if deadlines is not None else None
    return found.gereed if found is not None else None


def _edit_days(plan: Plan, edits: Sequence[DueChange], layout: int) -> tuple[date, ...]:
    """The day each edit was recorded, as the report shows it: the office's day from
    :data:`LOCAL_DAYS_FROM` (an edit at 00:30 in Amsterdam is 23:30 UTC the day before), else
    the date the stored instant carries, so that an archived report reproduces."""
    if layout >= LOCAL_DAYS_FROM:
        return tuple(local_day(plan, e.recorded_at) for e in edits)
    return tuple(e.recorded_at.date() for e in edits)


def _ratified_once(change: Change) -> Change:
    """``change`` with a decision that ratified one of its plan-file edits named once (walk55e
    3): when that decision is also one of its reasons (the only one under its name), its words
    move into the edit's *bekrachtigd bij …* and the reason goes."""
    names = [r.decided_by for r in change.reasons if r.kind is ReasonKind.DECISION]
    words = {
        r.decided_by: r.text
        for r in change.reasons
        if r.kind is ReasonKind.DECISION
        and not r.restored
        and r.decided_by in change.edit_ratified
        and names.count(r.decided_by) == 1
    }
    if not words:
        return change
    ratified = tuple(f"{by}: {words[by]}" if words.get(by) else by for by in change.edit_ratified)
    reasons = tuple(
        r for r in change.reasons if not (r.kind is ReasonKind.DECISION and r.decided_by in words)
    )
    return replace(change, reasons=reasons, edit_ratified=ratified)


def _ratified_by(
    plan: Plan, edits: Sequence[DueChange], decisions: Sequence[Decision], as_of: date
) -> tuple[tuple[str | None, ...], tuple[str | None, ...]]:
    """Per plan-file edit, the decision that ratified it and, for one not ratified, the
    decision that moved the date elsewhere after it (``decisions``: the item's, taken by the
    report's day), by the rule the agenda pack's *…accorderen?* follows
    (:mod:`governance.ratification`). None, None: the edit stays *zonder besluit*."""
    zone = plan.calendar.timezone
    ratified = tuple(ratifying_decision(e, decisions, as_of, zone) for e in edits)
    revised = tuple(
        None if r is not None else revising_decision(e, decisions, as_of, zone)
        for e, r in zip(edits, ratified, strict=True)
    )
    return _labels(plan, ratified), _labels(plan, revised)


def _labels(plan: Plan, decisions: Sequence[Decision | None]) -> tuple[str | None, ...]:
    return tuple(decision_label(plan, d) if d is not None else None for d in decisions)


def _forecast_stands(
    plan: Plan,
    item: ItemAssessment,
    decisions: Sequence[Decision],
    edits: Sequence[DueChange],
    as_of: date,
) -> bool:
    """Whether the owner's forecast is the item's date in force: it is unless a decision
    (``set_gereed``: a new date, a restore) or a plan-file edit moved the date after the owner
    gave it (:func:`governance.forecasts.forecast_superseded`, the rule every *Prognose*
    follows). An edit synced after ``as_of`` is not in the plan of that day: it moves nothing
    yet. A forecast on or before the due date moves nothing either: the due date stays the
    promise in force."""
    if item.forecast is None or (item.due is not None and item.forecast <= item.due):
        return False
    return not forecast_superseded(plan, item, decisions, edits, as_of)


def _owner_changes(
    plan: Plan,
    revisions: Sequence[ItemRevision],
    start: date,
    end: date,
    labels: Mapping[str, str] | None = None,
) -> dict[str, tuple[Reason, ...]]:
    """Item id → its owner changes recorded from ``start`` through ``end`` (the office's day),
    as reasons of *vertraagd of gewijzigd*; owners by ``labels`` (id → name) where given."""

    def named(owners: Any) -> Any:
        if not labels or not isinstance(owners, list | tuple):
            return owners
        return [labels.get(str(o), o) for o in owners]

    out: dict[str, list[Reason]] = {}
    for r in revisions:
        if r.kind != "changed" or r.field != "owners":
            continue
        day = local_day(plan, r.recorded_at)
        if start <= day <= end:
            out.setdefault(r.item_id, []).append(
                Reason(
                    ReasonKind.OWNER_CHANGE, before=named(r.before), after=named(r.after), on=day
                )
            )
    return {item_id: tuple(reasons) for item_id, reasons in out.items()}


def _removed(
    plan: Plan,
    lines: dict[str, ItemLine],
    revisions: Sequence[ItemRevision],
    decisions: Sequence[Decision],
    start: date,
    as_of: date,
    *,
    one_bracket: bool = True,
) -> dict[int, list[Change]]:
    """Per step, the items removed from the plan file from ``start`` through ``as_of`` and not
    back (a milestone removed with its action goes with the action), as changes: promised the
    gereed they had, now *uit het plan verwijderd*, the decision behind it or *zonder besluit*
    (``one_bracket``: with the recording day in one pair of brackets; layout 13: two)."""
    found = removals(
        # A renumbered item lives on under its new number (counted there): no removal.
        ((r.item_id, r.kind, r.before, r.recorded_at) for r in revisions if not r.renumbered_to),
        decisions,
        zone=plan.calendar.timezone,
        as_of=as_of,
    )
    numbers = [s.number for s in plan.steps]
    out: dict[int, list[Change]] = {}
    for removal in found:
        day = local_day(plan, removal.recorded_at)
        if not start <= day <= as_of or removal.item_id in lines:
            continue
        line = removed_line(removal, lines)
        step = line.step if line.step in numbers else _step_of(removal.item_id, numbers)
        change = _removal_change(plan, removal, line, day, one_bracket)
        out.setdefault(step, []).append(change)
    return out


def _step_of(item_id: str, numbers: Sequence[int]) -> int:
    """The step an item's id starts with ("3.6.1" → 3), else the first step."""
    head = item_id.split(".", 1)[0]
    if head.isdigit() and int(head) in numbers:
        return int(head)
    return numbers[0] if numbers else 0


def _removal_change(
    plan: Plan, removal: Removal, line: ItemLine, day: date, one_bracket: bool
) -> Change:
    decided_by = decision_label(plan, removal.decision) if removal.decision is not None else None
    reason = Reason(
        ReasonKind.REMOVED, decided_by=decided_by, with_items=tuple(removal.with_items), on=day,
        one_bracket=one_bracket,
    )  # fmt: skip
    return Change(line, line.gereed, None, (reason,), ended=Ending.REMOVED)


# --- the period a reporting obligation's next report covers -----------------------------------


def cadence_months(cadence: str | None) -> int | None:
    """The months of one period of ``cadence`` (:data:`CADENCES`); None for none or another."""
    if cadence is None:
        return None
    text = " ".join(cadence.lower().split())
    if text.endswith("lijkse"):
        text = text[:-1]
    return CADENCES.get(text)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months later (the month's last day when it is shorter:
    31 August + 6 → 28 or 29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if year > date.max.year:
        return date.max
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def period_after(end: date, months: int) -> tuple[date, date]:
    """The period of ``months`` that follows one ending on ``end``."""
    start = end + timedelta(days=1)
    return start, add_months(start, months) - timedelta(days=1)


def delivery_window(start: date, end: date, obligation: ReportObligation | None) -> date:
    """The last due date of an item the report over ``start``–``end`` can deliver: the end of
    the period after it, one cadence long (as long as the report's own without a cadence)."""
    months = cadence_months(obligation.cadence) if obligation is not None else None
    try:
        return period_after(end, months)[1] if months is not None else end + (end - start)
    except OverflowError:  # a period that ends at the calendar's last day
        return date.max


def delivered_items(
    assessment: Assessment, action_id: str, end: date, until: date
) -> tuple[ItemAssessment, ...]:
    """The items of ``action_id`` (its own gereed, its milestones) a report ending on ``end``
    delivers: open (not done, not cancelled) and due from ``end`` through ``until``. An item
    due before the report's period ended belongs to an earlier report; one without a date, or
    a periodic one, is never finished by one report."""
    return tuple(
        i
        for i in assessment.items.values()
        if i.action_id == action_id
        and i.state.value not in _FINISHED
        and i.due is not None
        and end <= i.due <= until
    )
