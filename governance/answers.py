"""Rules for an owner's answer, whatever the channel: who may answer, and what an answer says.

Pure: the caller passes the plan, the item and the day; nothing here reads the clock or a
database. The use case :func:`regie.answers.record_answer` applies these rules and stores.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import NamedTuple

from governance.characters import describe_en, refused_character
from governance.dates import Life
from governance.office_names import office_names
from governance.plan import Contact, Deadline, Plan
from governance.updates import StatusUpdate, UpdateStatus

NOTE_MAX = 2000  # characters; the answer forms and Slack's modal use the same limit


class Refusal(StrEnum):
    """Why an answer was not stored (the ``reason`` of a ``regie.answer.refused`` event)."""

    UNKNOWN_CONTACT = "unknown_contact"
    UNKNOWN_ITEM = "unknown_item"
    NOT_OWNER = "not_owner"
    OFFICE_ONLY = "office_only"
    INVALID = "invalid"
    LINK_USED = "link_used"
    LINK_EXPIRED = "link_expired"
    LINK_REPLACED = "link_replaced"
    LINK_TAMPERED = "link_tampered"
    LINK_FOREIGN = "link_foreign"
    LINK_DEPARTED = "link_departed"  # its contact is no longer in the plan
    LINK_SUCCESSOR = "link_successor"  # its contact id now has another address (a successor)
    SIGNATURE = "signature"
    REPLAYED = "replayed"
    BUSY = "busy"
    ITEM_CANCELLED = "item_cancelled"  # the item is vervallen: an owner's answer cannot reopen it
    ITEM_DONE = "item_done"  # someone else reported it gereed: reopening needs a confirmation
    LINK_REMOVED = "link_removed"  # the link's item is no longer in the plan
    # The plan no longer lets the link's holder answer for its item: another owner, or the
    # holder's role changed (a deputy withdrawn). The link was theirs, in this programme.
    LINK_OWNER_CHANGED = "link_owner_changed"


def refused_en(reason: Refusal, item: Deadline) -> str:
    """Why a person may not answer for ``item``, in English for the command line (the person
    themselves is told the reason's Dutch text: ``regie/templates/answers/refusals.txt.j2``)."""
    if reason is Refusal.NOT_OWNER:
        if not item.owners:
            return "the item has no owner: only the programme office may answer for it"
        noun = "owner" if len(item.owners) == 1 else "owners"
        return f"not a contact of its {noun} {', '.join(item.owners)}, nor a deputy of one"
    if reason is Refusal.OFFICE_ONLY:
        return "only the programme office may cancel an item"
    if reason is Refusal.UNKNOWN_CONTACT:
        return "not a contact in the plan"
    return reason.value.replace("_", " ")


@dataclass(frozen=True, slots=True)
class Answerer:
    """Who answers: a contact from the plan, or the programme office acting as itself (CLI,
    spreadsheet import), which may answer for everything."""

    contact_id: str | None  # None: the programme office itself
    name: str
    #: Answering through an answer link issued to this contact (:func:`may_answer`).
    by_link: bool = False

    @property
    def is_office_itself(self) -> bool:
        return self.contact_id is None


OFFICE = Answerer(None, "programmabureau")


def office_keywords(plan: Plan) -> tuple[str, ...]:
    """The words that name the office itself as an update's author (``regie update
    --author``): the plan's own name for it in small letters ("programmasecretariaat"), and
    ``programmabureau``, which every install's scripts may use, whatever the plan calls it."""
    own = office_names(plan.programme).name.casefold()
    return tuple(dict.fromkeys((own, OFFICE.name)))


def names_office(plan: Plan, author: str) -> bool:
    """Whether ``author`` is one of :func:`office_keywords` (the plan's name in any case:
    "Programmasecretariaat" as the messages sign it)."""
    return author == OFFICE.name or author.casefold() in office_keywords(plan)


def contact(plan: Plan, contact_id: str) -> Contact | None:
    return plan.contact(contact_id)


def find_item(plan: Plan, item_id: str) -> Deadline | None:
    # By id from the plan's one table (a valid plan has no id twice): the note rule asks it per
    # recipient and item (regie.note_readers).
    return plan.deadline_table().by_id.get(item_id)


def answers_as_deputy(person: Contact, item: Deadline) -> bool:
    """Whether ``person`` answers ``item`` as a deputy: not the office, and not a contact of
    an organisation that owns it (the deputy of one). Slack's "Beantwoord door …" and the
    answer pages say so; such a deputy gets no reminders about the item, only escalations."""
    return not person.programme_office and person.organisation not in item.owners


def is_office(plan: Plan, who: Answerer) -> bool:
    if who.contact_id is None:
        return True
    c = contact(plan, who.contact_id)
    return c is not None and c.programme_office


def may_answer(plan: Plan, who: Answerer, item: Deadline) -> Refusal | None:
    """None when ``who`` may answer for ``item``: a contact who answers for an owning
    organisation (:meth:`Plan.answering_for`), the deputy of such a contact, or the programme
    office.

    Through a link (:attr:`Answerer.by_link`) also the deputy of a programme-office contact of
    an owning organisation: the office answered for it when the link was issued and no longer
    does once the organisation has a contact of its own (a plan edit, or office49's rule), but
    a link stays good while it is valid, as long as the plan keeps its holder where they were
    (the deputy of that contact, the contact of that organisation, the organisation an owner).
    Only the office's standing can change under a link without the plan withdrawing anyone:
    every other contact of an organisation answers for it."""
    if who.contact_id is None:
        return None
    me = contact(plan, who.contact_id)
    if me is None:
        return Refusal.UNKNOWN_CONTACT
    if me.programme_office:
        return None
    answering_for = [c for org in item.owners for c in plan.answering_for(org)]
    if who.by_link:
        owners = set(item.owners)
        answering_for += [
            c for c in plan.contacts if c.programme_office and c.organisation in owners
        ]
    if any(c.id == me.id or c.deputy == me.id for c in answering_for):
        return None
    return Refusal.NOT_OWNER


@dataclass(frozen=True, slots=True)
class AnswerInput:
    """An answer as a channel received it, before it is checked."""

    item_id: str
    status: str
    forecast: date | None = None
    completed_on: date | None = None
    note: str | None = None


class Problem(StrEnum):
    """What is wrong with one field of an answer. The person reads it in Dutch (a macro per
    value in ``regie/templates/answers/problems.txt.j2``, given the problem's ``values``)."""

    UNKNOWN_STATUS = "unknown_status"
    DONE_DATE_NOT_DONE = "done_date_not_done"  # a completion date with another status
    DONE_DATE_AFTER_REPORT = "done_date_after_report"
    FORECAST_FINISHED = "forecast_finished"  # a forecast with done or cancelled
    FORECAST_PAST = "forecast_past"
    NOTE_TOO_LONG = "note_too_long"  # values: limit
    NOTE_CHARACTER = "note_character"  # values: character, position (1-based)
    BEFORE_LIFE = "before_life"  # the update's own date
    OUTSIDE_LIFE = "outside_life"
    NO_OWN_DATE = "no_own_date"  # an action judged by its milestones; values: milestones
    # A correction (governance.corrections); values as there.
    REASON_MISSING = "reason_missing"
    CORRECTS_UNKNOWN = "corrects_unknown"
    CORRECTS_OTHER_ITEM = "corrects_other_item"
    CORRECTS_CORRECTED = "corrects_corrected"
    CORRECTS_NOT_LATEST = "corrects_not_latest"
    CORRECTS_LATER = "corrects_later"
    CORRECTS_DECISION = "corrects_decision"
    # At risk on an overdue item (the forms' "loopt vast") without a word of what is stuck.
    BLOCKED_NOTE_MISSING = "blocked_note_missing"


class FieldProblem(NamedTuple):
    """One problem with one field: ``code`` and its ``values`` for the person (worded where it
    is shown: :func:`regie.texts.problem_text`), English for the command line."""

    field: str
    code: Problem
    en: str
    values: Mapping[str, object] = MappingProxyType({})


def answer_problems(
    answer: AnswerInput, reported_on: date, life: Life | None = None
) -> list[FieldProblem]:
    """Every problem with the answer's own content (who answers is :func:`may_answer`'s job);
    with ``life`` (:func:`governance.dates.programme_life`) also dates beyond reason."""
    problems: list[FieldProblem] = date_problems(answer, reported_on, life)
    known = [s.value for s in UpdateStatus]
    if answer.status not in known:
        problems.append(
            FieldProblem(
                "status",
                Problem.UNKNOWN_STATUS,
                f"unknown status {answer.status[:40]!r} (known: {', '.join(known)})",
            )
        )
    if answer.completed_on is not None:
        if answer.status != UpdateStatus.DONE:
            problems.append(
                FieldProblem(
                    "completed_on",
                    Problem.DONE_DATE_NOT_DONE,
                    "only with status done",
                )
            )
        elif answer.completed_on > reported_on:
            problems.append(
                FieldProblem(
                    "completed_on",
                    Problem.DONE_DATE_AFTER_REPORT,
                    f"{answer.completed_on} is after the update's date {reported_on}",
                )
            )
    if answer.forecast is not None and answer.status in (UpdateStatus.DONE, UpdateStatus.CANCELLED):
        problems.append(
            FieldProblem(
                "forecast",
                Problem.FORECAST_FINISHED,
                "only with status on_track or at_risk",
            )
        )
    elif answer.forecast is not None and answer.forecast < reported_on:
        problems.append(
            FieldProblem(
                "forecast",
                Problem.FORECAST_PAST,
                f"{answer.forecast} is before the update's date {reported_on}",
            )
        )
    if answer.note is not None and len(answer.note) > NOTE_MAX:
        problems.append(
            FieldProblem(
                "note",
                Problem.NOTE_TOO_LONG,
                f"{len(answer.note)} characters, at most {NOTE_MAX}",
                {"limit": NOTE_MAX},
            )
        )
    elif answer.note is not None and (problem := note_character_problem(answer.note)):
        problems.append(problem)
    return problems


def without_carried(
    status: str,
    forecast: date | None,
    completed_on: date | None,
    carried: list[tuple[date | None, date | None]],
) -> tuple[date | None, date | None]:
    """The posted (expected date, date finished), less a date a correction's form was filled in
    with (``carried``: each answer's (forecast, completed_on) it may have started from) that the
    chosen status takes none of: the expected date of an *Op schema* changed to *Gereed* or
    *Vervallen*, the date finished of a *Gereed* changed to another status. Without this the most
    common correction ("it is actually done") is refused for a date nobody typed (walk56b 1); a
    date typed anew is still refused (:func:`date_problems`)."""
    if status in ("done", "cancelled") and forecast in {f for f, _ in carried if f is not None}:
        forecast = None
    if status != "done" and completed_on in {c for _, c in carried if c is not None}:
        completed_on = None
    return forecast, completed_on


def overdue_without_date(item: Deadline, latest: StatusUpdate | None, as_of: date) -> bool:
    """Whether ``item`` is past its deadline on ``as_of``, not finished and without a new date
    still ahead in its latest answer: the answer form then asks the new date first and Slack
    offers *Nieuwe datum… / Loopt vast…* (their one rule)."""
    if latest is not None and latest.status in (UpdateStatus.DONE, UpdateStatus.CANCELLED):
        return False
    if latest is not None and latest.forecast is not None and latest.forecast >= as_of:
        return False  # a new date given that still lies ahead (verschoven)
    due = item.period.end if item.period is not None else None
    return due is not None and due < as_of


def blocked_note_problem(
    item: Deadline, latest: StatusUpdate | None, status: str, note: str | None, as_of: date
) -> FieldProblem | None:
    """An owner's *Risico* on an overdue item is "it is stuck" (the form's "loopt vast of hulp
    nodig", Slack's *Loopt vast…*), with or without a date: the office and the steering body
    read a red flag, so it needs a note saying what is stuck or what help is needed. The
    owners' channels apply it; the office records what it was told (walk32c 5)."""
    if status != UpdateStatus.AT_RISK or (note or "").strip():
        return None
    if not overdue_without_date(item, latest, as_of):
        return None
    return FieldProblem(
        "note",
        Problem.BLOCKED_NOTE_MISSING,
        "at risk on an overdue item: say what is stuck or what help is needed",
    )


def note_character_problem(note: str) -> FieldProblem | None:
    """A note may hold any text, line breaks and tabs, but no control character (NUL, ESC,
    BEL …: PostgreSQL cannot store NUL, a DOCX report no control character) and no
    direction-changing one (the plan file's own rule: :mod:`governance.characters`)."""
    found = refused_character(note)
    if found is None:
        return None
    at, char = found
    return FieldProblem(
        "note",
        Problem.NOTE_CHARACTER,
        f"contains {describe_en(char)} at character {at + 1}: remove it",
        {"character": char, "position": at + 1},
    )


def date_problems(answer: AnswerInput, reported_on: date, life: Life | None) -> list[FieldProblem]:
    """Dates that cannot be meant: before the programme's life (minus its margin), or far
    beyond its end (a forecast before the report, a completion after it are
    :func:`answer_problems`'). The report day's upper bound is today, the caller's."""
    problems: list[FieldProblem] = []
    if life is not None:
        span = life.around(reported_on)
        if reported_on < life.first:
            problems.append(
                FieldProblem(
                    "as_of",
                    Problem.BEFORE_LIFE,
                    f"{reported_on} is before the programme's life ({life.describe()})",
                )
            )
        for name, value in (("forecast", answer.forecast), ("completed_on", answer.completed_on)):
            early_forecast = name == "forecast" and value is not None and value < reported_on
            if value is not None and value not in span and not early_forecast:
                start, end = life.planned or (span.first, span.last)
                problems.append(
                    FieldProblem(
                        name,
                        Problem.OUTSIDE_LIFE,
                        f"{value} is outside the programme's life ({span.describe()})",
                        # The person is told the programme's own start or end (walk32c 11).
                        {"after": value > span.last, "start": start, "end": end},
                    )
                )
    return problems


NOTE_EXCERPT = 200  # characters of the latest answer's note a form shows


@dataclass(frozen=True, slots=True)
class Standing:
    """An item's latest answer as an answer form shows it: its status, who gave it (``by``: a
    contact's name and organisation (:attr:`Organisation.label`), the programme office, or the
    decision's words), on which day, and an excerpt of its note. ``kind`` is ``decision``,
    ``office`` or ``person``."""

    status: str
    kind: str
    by: str
    author: str | None
    on: date
    forecast: date | None
    completed_on: date | None
    note: str | None
    #: *Op schema* with an expected date after the item's deadline: the overview's *verschoven*.
    moved: bool = False
    #: Given by a deputy (:func:`answers_as_deputy`): the pages say "(plaatsvervanger)".
    deputy: bool = False
    #: A note was given that this reader may not read (:func:`regie.note_readers.standing_for`):
    #: ``note`` is None, the page says only that there is one.
    note_withheld: bool = False

    @property
    def finished(self) -> bool:
        return self.status in (UpdateStatus.DONE, UpdateStatus.CANCELLED)


def standing(plan: Plan, latest: StatusUpdate | None) -> Standing | None:
    """How ``latest`` (the item's newest update, or None) reads on an answer form."""
    from governance.decisions import DECISION_SOURCE, decided_by

    if latest is None:
        return None
    author = latest.author
    person = contact(plan, author) if author else None
    if latest.source == DECISION_SOURCE:
        body = plan.body(author) if author else None
        kind, by = (
            "decision",
            decided_by(body.name if body else (author or "?"), latest.reported_on),
        )
    elif person is None or person.programme_office:
        kind, by = "office", office_names(plan.programme).the
    else:
        kind = "person"
        # The organisation as mails, packs and reports show it (short_name, else name).
        org = plan.owner_name(person.organisation)
        by = f"{person.name} ({org})" if person.organisation else person.name
    note = latest.comment
    if note is not None and len(note) > NOTE_EXCERPT:
        note = note[: NOTE_EXCERPT - 1].rstrip() + "…"
    item = find_item(plan, latest.item_id)
    due = item.period.end if item is not None and item.period is not None else None
    deputy = False
    if kind == "person" and person is not None and item is not None:
        deputy = answers_as_deputy(person, item)
    ahead = latest.forecast
    moved = latest.status is UpdateStatus.ON_TRACK and None not in (ahead, due)
    return Standing(
        moved=moved and ahead is not None and due is not None and ahead > due,
        status=latest.status.value,
        kind=kind,
        by=by,
        author=author,
        on=latest.reported_on,
        forecast=latest.forecast,
        completed_on=latest.completed_on,
        note=note,
        deputy=deputy,
    )


def written_by(plan: Plan, update: StatusUpdate) -> str:
    """Who wrote ``update``, as far as the record tells: ``decision`` (a body's), ``office``
    (the office itself, or one of its contacts), ``contact`` (another contact of the plan),
    ``former`` (:func:`by_former_contact`) or ``unknown`` (no author, or the maker of a
    report's delivery: the office's operator). The messages name no one for the last two."""
    from governance.decisions import DECISION_SOURCE

    if update.source == DECISION_SOURCE:
        return "decision"
    if update.author == OFFICE.name:
        return "office"
    person = contact(plan, update.author) if update.author else None
    if person is None:
        return "former" if by_former_contact(plan, update) else "unknown"
    return "office" if person.programme_office else "contact"


def by_former_contact(plan: Plan, update: StatusUpdate) -> bool:
    """Whether ``update`` names an author the plan no longer has: a contact since removed from
    the plan (the record keeps their id), also one whose id was changed in the plan, which has
    no way to say that two ids are one person (review54b 7; docs/plan-schema.md). Their note is
    still a person's note, which only the office reads now (:mod:`regie.note_readers`). Not a
    record without an author, a decision, the office by one of its names
    (:func:`names_office`), nor a report's delivery, whose author is the operator who made the
    report (the office)."""
    from governance.decisions import DECISION_SOURCE, REPORT_SOURCE

    author = update.author
    if not author or update.source in (DECISION_SOURCE, REPORT_SOURCE):
        return False
    return contact(plan, author) is None and not names_office(plan, author)


#: :func:`written_by`'s kinds whose note is a person's: only its writer and the office read it.
PERSONS_NOTES = frozenset({"contact", "former"})


def standing_refusal(
    plan: Plan, who: Answerer, latest: StatusUpdate | None, status: str, confirmed: bool
) -> Refusal | None:
    """Whether an answer may change what the item's latest update says: an owner cannot
    answer for a cancelled item (only the office reopens it: a decision or the office's own
    update), and reopening an item someone else reported done needs ``confirmed``. The office
    itself is never held back (it may correct anything)."""
    if latest is None or is_office(plan, who):
        return None
    if latest.status is UpdateStatus.CANCELLED:
        return Refusal.ITEM_CANCELLED
    reopens = status != UpdateStatus.DONE
    someone_else = latest.author is None or latest.author != who.contact_id
    if latest.status is UpdateStatus.DONE and reopens and not confirmed and someone_else:
        return Refusal.ITEM_DONE
    return None
