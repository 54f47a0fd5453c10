"""The item page's reminders and events (:func:`regie.office.item_detail`): each reminder or
escalation queued about the item with its delivery, numbered as the office counts them; why a
message was not sent (walk57c 3); one row per reminder with every contact it went to, and a
day's queued reminders one event (walk57c 11)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from governance.plan import Plan
    from governance.stage_keys import StageParts
    from regie.stage_dates import StageDates
    from store.records import StoredEvent

#: Delivery states of a prompt that never reached its contact: recorded by ``regie replay``
#: (suppressed) or given up on (dead). A stage that reached no one is no reminder to count.
_NEVER_WENT_OUT = frozenset({"suppressed", "dead"})
#: The stages the item page numbers: the reminders before a deadline and those after it.
_COUNTED = frozenset({"first", "second", "overdue"})


@dataclass(frozen=True, slots=True)
class ReminderRow:
    """A reminder or escalation about an item, as the item page describes it."""

    queued_on: date
    stage: str  # the stage key as recorded
    parts: StageParts  # what it says
    days_overdue: int | None  # a prompt after the deadline: working days past it, that day
    contact_id: str
    status: str | None  # the outbox message's status (sent, pending, suppressed …), if found
    channel: str | None  # the channel that delivered it (email, slack, file)
    #: A prompt before its deadline (first, second) or after it (overdue-N): which of the
    #: item's reminders before or after that deadline it is, counting those on record that
    #: went out (1, 2, …); None for another prompt or one that never went out. Not the stage's
    #: name: N in ``overdue-N`` counts the stages since the deadline, prompted or not (the first
    #: reminder ever sent can be ``overdue-49``), and ``second`` may be the first one sent.
    number: int | None = None
    #: A dated stage (``due@F``, ``overdue-N@F``) about the owner's expected date, not the
    #: deadline (:func:`governance.stage_keys.keyed_on_forecast`): the page says so (walk56b 3).
    forecast: bool = False
    #: Delivery attempts that failed before this one went out (0: first time, or not sent).
    failed_attempts: int = 0
    sent_at: datetime | None = None
    #: An escalation for unanswered requests: how many requests it counted, and how many of
    #: them never reached the owner (failed or not sent), as its ``regie.escalation.raised``
    #: event records them (0, 0: all delivered, another escalation, or not recorded).
    prompts: int = 0
    undelivered: int = 0
    #: Why a suppressed message was not sent (walk57c 3), a key the page words:
    #: ``replayed`` (``regie replay`` recorded history), ``withdrawn`` (its contact left or
    #: moved), ``forgotten`` (its contact was erased), ``reason`` (``reason`` says it, as the
    #: outbox stored it in Dutch: held back for a status round, nothing left to ask …) or
    #: ``other``; None for a message that was not suppressed.
    not_sent: str | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class ReminderGroup:
    """One reminder or escalation of one day and stage with every contact it went to: the
    item page's row (walk57c 11; a digest per contact is a row each otherwise). ``first``
    words the stage; ``rows``: one per contact, oldest first."""

    first: ReminderRow
    rows: list[ReminderRow]
    #: Every contact's delivery reads the same (then said once).
    same_delivery: bool


#: The start of a Dutch reason the outbox stores for a message it held back
#: (notifications/templates/delivery_notes.txt.j2): the page says "niet verstuurd" itself.
_NOT_SENT_PREFIX = "niet verzonden: "


def why_not_sent(status: str | None, error: str | None) -> tuple[str | None, str | None]:
    """(key, reason) for :attr:`ReminderRow.not_sent` and :attr:`ReminderRow.reason`."""
    from regie.erasure import suppressed_reason
    from store.outbox import WITHDRAWN

    if status != "suppressed":
        return None, None
    if not error:  # only a replay stores a message suppressed without a reason
        return "replayed", None
    if error.startswith(WITHDRAWN):
        return "withdrawn", None
    if error == suppressed_reason():
        return "forgotten", None
    if error.startswith(_NOT_SENT_PREFIX):
        parts = [p.removeprefix(_NOT_SENT_PREFIX) for p in error.split("; ")]
        return "reason", "; ".join(parts)
    return "other", None


def reminder_groups(reminders: list[ReminderRow]) -> list[ReminderGroup]:
    """The item's reminders one row per day and stage, in the order they first appear."""
    grouped: dict[tuple[date, str], list[ReminderRow]] = {}
    for r in reminders:
        grouped.setdefault((r.queued_on, r.stage), []).append(r)

    def delivery(r: ReminderRow) -> tuple[object, ...]:
        return (r.status, r.channel, r.failed_attempts, r.not_sent, r.reason)

    return [
        ReminderGroup(rows[0], rows, len({delivery(r) for r in rows}) == 1)
        for rows in grouped.values()
    ]


def grouped_events(events: list[StoredEvent]) -> list[tuple[StoredEvent, int]]:
    """The item's events for its page, each with how many it stands for: a day's reminder of
    one stage queued for several contacts (an event each) is one row (walk57c 11), every other
    event its own."""
    from governance.events import REMINDER_QUEUED

    rows: list[tuple[StoredEvent, int]] = []
    at: dict[tuple[date, object], int] = {}  # (day, stage) → the index of its row
    for e in events:
        key = (e.occurred_on, e.payload.get("stage") if isinstance(e.payload, dict) else None)
        if e.name != REMINDER_QUEUED:
            rows.append((e, 1))
        elif key in at:
            first, count = rows[at[key]]
            rows[at[key]] = (first, count + 1)
        else:
            at[key] = len(rows)
            rows.append((e, 1))
    return rows


def reminder_rows(
    plan: Plan, sent: list[Any], events: list[StoredEvent], dates: StageDates | None = None
) -> list[ReminderRow]:
    """The item's reminders, oldest first, numbered per stage as the office counts them;
    ``dates``: to tell a stage about the owner's forecast (None: every one the deadline's)."""
    from governance.stage_keys import stage_parts
    from regie.plan_cache import plan_index

    calendar = plan_index(plan)[1]
    reminders = []
    missed = _undelivered_requests(events)
    went_out = {r.stage for r in sent if r.status not in _NEVER_WENT_OUT}
    numbers: dict[str, int] = {}  # a stage before or after its deadline → its number there
    counted: dict[tuple[bool, date], int] = {}  # (after?, deadline) → reminders so far
    about_forecast = dates.about_forecast() if dates is not None else None
    for r in sent:  # oldest first
        parts = stage_parts(r.stage)
        late = None
        if parts.kind == "overdue" and parts.due is not None:
            late = calendar.working_days_between(parts.due, r.queued_on)
        first_of_stage = r.stage in went_out and r.stage not in numbers
        if parts.kind in _COUNTED and parts.due is not None and first_of_stage:
            phase = (parts.kind == "overdue", parts.due)
            counted[phase] = numbers[r.stage] = counted.get(phase, 0) + 1
        number = numbers.get(r.stage)
        not_sent, reason = why_not_sent(r.status, r.error)
        reminders.append(
            ReminderRow(
                r.queued_on,
                r.stage,
                parts,
                late,
                r.contact_id,
                r.status,
                r.channel,
                number,
                failed_attempts=max(r.attempts - 1, 0) if r.status == "sent" else 0,
                sent_at=r.sent_at,
                forecast=about_forecast(parts, r.queued_on) if about_forecast else False,
                not_sent=not_sent,
                reason=reason,
                **missed.get((r.queued_on, r.stage), {}),
            )
        )
    return reminders


def _undelivered_requests(events: list[Any]) -> dict[tuple[date, str], dict[str, int]]:
    """(day, escalation stage key) → the requests it counted and how many of them were not
    delivered, for the item's escalations whose ``regie.escalation.raised`` event names any
    undelivered (:attr:`governance.reminders.Escalation.undelivered`)."""
    from governance.events import ESCALATION_RAISED

    out: dict[tuple[date, str], dict[str, int]] = {}
    for e in events:
        payload = e.payload if e.name == ESCALATION_RAISED else None
        if not isinstance(payload, dict) or not isinstance(payload.get("key"), str):
            continue
        prompts, undelivered = payload.get("prompts"), payload.get("undelivered")
        if isinstance(prompts, int) and isinstance(undelivered, int) and undelivered > 0:
            out[e.occurred_on, payload["key"]] = {"prompts": prompts, "undelivered": undelivered}
    return out
