"""Reminders of the reports the plan's reporting obligations (``reports:``) owe.

The daily cycle (:func:`regie.cycle.deadline_check`, so `regie cycle` and the ``daily-cycle``
flow) calls :func:`queue_report_reminders` in its own transaction: a dry run rolls it back,
a replay keeps the messages suppressed. Each programme-office contact gets one message per
obligation and due date (the outbox key, :func:`governance.report_due.reminder_key`), from
``reminders.report_lead_days`` working days before the report falls due; none once its report
is archived or its action recorded gereed (the rules: :mod:`governance.report_due`). The
message's items are the action's items that deliver the report: one recorded gereed before the
message goes out is left out of it, and with none left it is not sent (:mod:`regie.recheck`).
The office's Slack channel, when configured, gets each reminder too (its own key). One queued
and unsent when its report is archived or marked done is cancelled then
(:func:`cancel_delivered`): suppressed, with the reason, never silently dropped.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from governance.plan import Contact, Plan
    from governance.report_due import ArchivedPeriod, ReportDue
    from governance.workdays import WorkCalendar
    from store.records import OutboxRecord

#: The outbox kind (templates ``report_due.*.j2``, ``slack/report_due.*.md.j2``).
KIND = "report_due"


def queue_report_reminders(
    session: Session,
    plan: Plan,
    as_of: date,
    *,
    status: str = "pending",
    office_channel: str | None = None,
) -> list[str]:
    """Queue the day's reminders to the programme office; return the keys newly queued (a key
    queued before is not queued again). Nothing on a day off: the window's next working day
    catches up. ``office_channel``: the office's Slack channel (REGIE_SLACK_OFFICE_CHANNEL,
    with Slack on), which gets each reminder too, under a key of its own."""
    from governance.report_due import reminders_due, reported_items
    from governance.workdays import WorkCalendar
    from store import Repository

    office = [c for c in plan.contacts if c.programme_office]
    channel = _channel_contact(plan, office_channel)
    if not plan.reports or not (office or channel):
        return []
    calendar = WorkCalendar.for_plan(plan)
    if not calendar.is_working_day(as_of):
        return []
    programme = plan.programme.id
    finished = _finished(session, programme, as_of, reported_items(plan))
    dues = reminders_due(plan, as_of, calendar, finished=finished)
    if not dues:
        return []
    # The archive only when a report is due at all: most days none is.
    dues = reminders_due(
        plan, as_of, calendar, finished=finished, archived=archived_periods(session, plan)
    )
    messages = [
        report_due_message(plan, due, contact, as_of, calendar, finished=finished)
        for due in dues
        for contact in office
    ]
    if channel is not None:
        # Posted in the channel as given (notifications.slack: ``to_channel``), no DM.
        messages += [
            _to_channel(report_due_message(plan, due, channel, as_of, calendar, finished=finished))
            for due in dues
        ]
    return Repository(session, programme).enqueue(messages, status=status)


#: The contact id of the office's Slack channel (its reminders' keys end in it).
CHANNEL_ID = "office-channel"


def _channel_contact(plan: Plan, channel: str | None) -> Contact | None:
    from governance.office_names import office_names
    from governance.plan import Contact

    if not channel or not channel.strip():
        return None
    name = office_names(plan.programme).name
    return Contact(id=CHANNEL_ID, name=name, organisation="", slack=channel.strip())


def _to_channel(record: OutboxRecord) -> OutboxRecord:
    from dataclasses import replace

    return replace(record, payload={**record.payload, "to_channel": True})


def _finished(session: Session, programme: str, as_of: date, items: Collection[str]) -> set[str]:
    """Of ``items``, those whose latest update on or before ``as_of`` is done or cancelled."""
    from governance.updates import UpdateStatus, latest_updates
    from store.assessment_query import assessment_updates

    if not items:
        return set()
    latest, _ = latest_updates(assessment_updates(session, programme, as_of, items), as_of)
    done = {UpdateStatus.DONE, UpdateStatus.CANCELLED}
    return {item for item, u in latest.items() if u.status in done}


def archived_periods(session: Session, plan: Plan) -> dict[str, list[ArchivedPeriod]]:
    """Per reporting obligation, its archived progress reports: made for it, or made naming
    none while the plan has only this one (as :func:`regie.reports.progress_period` reads
    them)."""
    from governance.report_due import ArchivedPeriod
    from store.reports_repo import ReportsRepository

    out: dict[str, list[ArchivedPeriod]] = {}
    only = plan.reports[0].id if len(plan.reports) == 1 else None
    for row in ReportsRepository(session, plan.programme.id).archived("voortgang"):
        p = row.parameters or {}
        made_for = p.get("report") or only
        if made_for is None:
            continue
        try:
            start, end = date.fromisoformat(str(p["from"])), date.fromisoformat(str(p["to"]))
        except (KeyError, ValueError):
            continue
        out.setdefault(str(made_for), []).append(ArchivedPeriod(start, end, row.as_of))
    return out


def report_due_message(
    plan: Plan,
    due: ReportDue,
    contact: Contact,
    as_of: date,
    calendar: WorkCalendar | None = None,
    *,
    finished: Collection[str] = (),
) -> OutboxRecord:
    """The reminder to one programme-office contact (Dutch, from the templates). With a period
    it says what ``--mark-done`` records gereed with the report (``marks``: the action's items
    not ``finished`` that :func:`governance.report_due.marked_done` names), or that it records
    nothing (walk58a 2)."""
    from governance.progress_period import cadence_months, delivery_window
    from governance.report_due import marked_done, reminder_key
    from governance.workdays import WorkCalendar
    from regie.messages import _programme, rendered_record, to_json

    obligation = due.obligation
    key = reminder_key(obligation.id, due.due, contact.id)
    items = [
        {
            "item_id": d.item_id,
            "title": d.title,
            "gereed": d.gereed,
            "owners": list(d.owners),
            "owner_names": plan.owner_names(d.owners),
        }
        for d in due.items
    ]
    report = {
        "id": obligation.id,
        "title": " ".join(obligation.title.split()),
        "recipient": " ".join(obligation.recipient.split()),
        "cadence": obligation.cadence,
        "action": obligation.action,
    }
    period: tuple[date, date] | None = None
    if due.start is not None and due.end is not None and obligation.action is not None:
        period = (due.start, due.end)
    marks = [d.item_id for d in marked_done(plan, obligation, *period, finished)] if period else []
    context = {
        "contact": contact,
        "programme": _programme(plan),
        "report": report,
        "due": due.due,
        "start": due.start,
        "end": due.end,
        "items": items,
        # What --mark-done records gereed with the report, through which day (walk58a 2).
        "marks": marks,
        "mark_until": delivery_window(*period, obligation) if period else None,
        "as_of": as_of,
        "key": key,
        "lead_days": plan.reminders.report_lead_days,
        "working_days_left": max(
            (calendar or WorkCalendar.for_plan(plan)).working_days_between(as_of, due.due), 0
        ),
        # Whether the cadence is one Regie reads: `regie report voortgang` then needs no period.
        "default_period": cadence_months(obligation.cadence) is not None,
    }
    payload = {
        "as_of": as_of.isoformat(),
        "programme": plan.programme.short_title or plan.programme.title,
        # The action's items that deliver the report: one recorded gereed or vervallen
        # before the message goes out is left out of it, and with none left it is not sent
        # (regie.recheck; the templates read ``start``/``end`` as ISO text there).
        "items": [{"id": i["item_id"], "title": i["title"], "gereed": i["gereed"]} for i in items],
        "report": report,
        "due": due.due.isoformat(),
        "start": due.start.isoformat() if due.start else None,
        "end": due.end.isoformat() if due.end else None,
        "render": to_json(context),
        # Whether a report archived naming no obligation is this one's (send-time check).
        "sole": len(plan.reports) == 1,
        **({"channel": contact.channel} if contact.channel else {}),
    }
    return rendered_record(KIND, contact, key, context, payload, as_of)


#: The reason a reminder cancelled once its report is delivered carries (``last_error``).
CANCELLED = "cancelled: "


def cancel_delivered(
    session: Session, plan: Plan, obligation_id: str, why: str, today: date
) -> list[str]:
    """Cancel the obligation's queued, unsent reminders whose report is no longer owed (a
    report archived for its period, its action's items recorded gereed): suppressed in the
    outbox with ``cancelled: <why>``, never silently dropped. Return their keys."""
    from governance.report_due import obligation_dues, reminder_key, reported_items
    from store.reports_repo import ReportsRepository

    obligation = next((r for r in plan.reports if r.id == obligation_id), None)
    if obligation is None:
        return []
    repo = ReportsRepository(session, plan.programme.id)
    prefix = reminder_key(obligation.id, date.min, "")
    prefix = prefix[: prefix.index(date.min.isoformat())]  # "report-due:<obligation>:"
    queued: list[tuple[str, date]] = []
    for key, due in repo.unsent_report_reminders(KIND, prefix):
        try:
            queued.append((key, date.fromisoformat(str(due))))
        except ValueError:
            continue
    if not queued:
        return []
    last = max(due for _, due in queued)
    # Finished as the records stand today: an item marked gereed with the report counts.
    day = max(today, last)
    finished = _finished(session, plan.programme.id, day, reported_items(plan))
    made = archived_periods(session, plan).get(obligation.id, [])
    owed = {r.due for r in obligation_dues(plan, obligation, last, finished, made)}
    return repo.cancel_unsent([key for key, due in queued if due not in owed], CANCELLED + why)


def archived_since(
    session: Session,
    programme_id: str,
    payload: Mapping[str, Any],
    obligations: Collection[str] | None = None,
) -> str | None:
    """Why a queued reminder (its ``payload``) is no longer owed because its report has been
    archived meanwhile (``cancelled: report … archived (ids)``), else None. Checked just before
    it goes out (:mod:`regie.recheck`): a reminder being sent while the report was archived,
    or retried after a failure, must not go out after all. From the payload alone, by the rule
    of :func:`governance.report_due.obligation_dues`: a report over a period ending on or after
    the reminder's; without a period, one made from the day it was queued through its due
    date. ``obligations``: the plan's reporting obligations now, for a reminder queued before
    its payload said whether its obligation is the plan's only one (``sole``)."""
    from store.reports_repo import ReportsRepository

    report = payload.get("report") or {}
    obligation = str(report.get("id") or "")
    try:
        due = date.fromisoformat(str(payload["due"]))
        queued = date.fromisoformat(str(payload["as_of"]))
        end = date.fromisoformat(str(payload["end"])) if payload.get("end") else None
    except (KeyError, ValueError):
        return None
    if not obligation:
        return None
    sole = payload.get("sole")
    if "sole" not in payload:  # queued before `sole` was: the plan as it is now says
        sole = obligations is not None and list(obligations) == [obligation]
    found: list[tuple[int, str, str]] = []
    for row in ReportsRepository(session, programme_id).archived("voortgang"):
        p = row.parameters or {}
        made_for = p.get("report")
        if made_for != obligation and (made_for is not None or not sole):
            continue
        try:
            start, stop = date.fromisoformat(str(p["from"])), date.fromisoformat(str(p["to"]))
        except (KeyError, ValueError):
            continue
        if (stop >= end) if end is not None else (queued <= row.as_of <= due):
            found.append((row.id, start.isoformat(), stop.isoformat()))
    if not found:
        return None
    _, start_text, end_text = found[-1]
    ids = ", ".join(str(i) for i, s, e in found if (s, e) == (start_text, end_text))
    return f"{CANCELLED}report {obligation} {start_text} – {end_text} archived ({ids})"
