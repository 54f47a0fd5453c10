"""The Slack modals an owner answers in: "Update geven" (:func:`modal`), an overdue item's
"Nieuwe datum…" / "Loopt vast…" (:func:`overdue_modal`) and "Gereed…" (:func:`done_modal`).
Each opens with the item and its standing, and ends with a note whose hint says who reads it;
the field blocks are named as the submission handlers (:mod:`regie.slack_answers`) read them,
so a field's problem lands under that field."""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any

from notifications.slack_answer_blocks import BLOCKED
from notifications.words import ANSWER_STATUSES, status_labels

if TYPE_CHECKING:
    from governance.plan import Plan
    from governance.updates import StatusUpdate

#: The statuses the modal offers, with their labels (notifications/templates/answer_words.txt.j2).
QUICK = {status: status_labels()[status] for status in ANSWER_STATUSES}
#: Every status as the modals name it (an item's latest answer may be cancelled).
STATUS_LABELS = dict(status_labels())
MODAL_CALLBACK = "regie_answer_modal"
#: The overdue item's modal ("Nieuwe datum…" / "Loopt vast…"), :func:`overdue_modal`.
OVERDUE_CALLBACK = "regie_overdue_modal"
#: The "Gereed…" modal (:func:`done_modal`): the day the item was finished, today preset.
DONE_CALLBACK = "regie_done_modal"


def standing_text(plan: Plan, latest: StatusUpdate | None, reader: str | None) -> str:
    """The item's latest answer in one line ("Gereed gemeld door … op …."), with its expected
    date and the note's excerpt, as the answer form shows it to contact ``reader``
    (web/templates/_answer_state.html.j2; another's note only said to exist:
    :mod:`regie.note_readers`); empty without one."""
    from governance.office_names import office_names
    from notifications.render import render
    from regie.note_readers import standing_for

    s = standing_for(plan, latest, reader)
    if s is None:
        return ""
    label = STATUS_LABELS.get(s.status, s.status)
    office = office_names(plan.programme).the
    return " ".join(render("slack/standing.txt.j2", s=s, label=label, office=office).split())


def modal(
    plan: Plan,
    item_id: str,
    channel: str,
    ts: str,
    latest: StatusUpdate | None = None,
    *,
    start_from: StatusUpdate | None = None,
    reader: str | None = None,
) -> dict[str, Any]:
    """The "Update geven" modal: status, note (≤ 2,000), forecast and completion date; with
    the item's latest answer (``latest``) above, and when the item was reported gereed a
    "Toch wijzigen" box (needed to reopen it, :func:`governance.answers.standing_refusal`).
    ``start_from``: the answer a "Wijzigen" corrects, its values filled in (as the e-mail's
    correction form starts from the answer it corrects)."""
    state = standing_text(plan, latest, reader)
    carried = _note_of(plan, start_from, reader)
    options = [
        {"text": {"type": "plain_text", "text": label}, "value": value}
        for value, label in QUICK.items()
    ]
    status: dict[str, Any] = {"type": "static_select", "action_id": "value", "options": options}
    forecast: dict[str, Any] = {"type": "datepicker", "action_id": "value"}
    completed: dict[str, Any] = {"type": "datepicker", "action_id": "value"}
    if start_from is not None:
        status.update(_initial_option(options, start_from.status.value))
        if start_from.forecast is not None:
            forecast["initial_date"] = start_from.forecast.isoformat()
        if start_from.completed_on is not None:
            completed["initial_date"] = start_from.completed_on.isoformat()
    return _view(
        MODAL_CALLBACK,
        {"item": item_id, "channel": channel, "ts": ts, **_changes(start_from)},
        _w("title_update"),
        _w("submit"),
        _heading(plan, item_id, _w("stand", state=state) if state else ""),
        [
            {
                "type": "input",
                "block_id": "status",
                "label": {"type": "plain_text", "text": _w("label_status")},
                "element": status,
            },
            {
                "type": "input",
                "block_id": "forecast",
                "optional": True,
                "label": {"type": "plain_text", "text": _w("label_forecast")},
                "element": forecast,
            },
            {
                "type": "input",
                "block_id": "completed_on",
                "optional": True,
                "label": {"type": "plain_text", "text": _w("label_completed")},
                "element": completed,
            },
            _note(plan, _w("label_note"), optional=True, initial=carried),
            *_confirm_blocks(latest),
        ],
    )


def overdue_modal(
    plan: Plan,
    item_id: str,
    kind: str,
    channel: str,
    ts: str,
    as_of: date,
    latest: StatusUpdate | None = None,
    *,
    start_from: StatusUpdate | None = None,
    reader: str | None = None,
) -> dict[str, Any]:
    """The modal behind an overdue item's "Nieuwe datum…" (``kind`` NEW_DATE: a new expected
    date, required, the picker starting at a sensible day ahead; an optional note) or
    "Loopt vast…" (BLOCKED: what is stuck, required; a date if the owner knows one). The
    date's block is ``forecast`` and the note's ``note``, so field problems land there.
    ``start_from``: the answer a "Wijzigen" corrects (its note filled in; the picker starts
    at its date anyway)."""
    from governance.new_date import initial_new_date
    from governance.workdays import WorkCalendar
    from notifications.render import format_date_nl

    due = _due(plan, item_id)
    lines = [_w("deadline_passed", due=format_date_nl(due)) if due else ""]
    carried = _note_of(plan, start_from, reader)
    if state := standing_text(plan, latest, reader):
        lines.append(_w("stand", state=state))
    blocked = kind == BLOCKED
    picker: dict[str, Any] = {"type": "datepicker", "action_id": "value"}
    forecast = latest.forecast if latest is not None else None
    if not blocked or (forecast is not None and forecast >= as_of):
        # Never a day in the past: Slack would submit it as picked.
        calendar = WorkCalendar.for_plan(plan)
        picker["initial_date"] = initial_new_date(as_of, forecast, calendar).isoformat()
    date_label = _w("label_new_date_blocked" if blocked else "label_new_date")
    note_label = _w("label_blocked" if blocked else "label_note")
    return _view(
        OVERDUE_CALLBACK,
        {"item": item_id, "channel": channel, "ts": ts, "kind": kind, **_changes(start_from)},
        _w("title_blocked" if blocked else "title_new_date"),
        _w("submit"),
        _heading(plan, item_id, " ".join(line for line in lines if line)),
        [
            {
                "type": "input",
                "block_id": "forecast",
                "optional": blocked,
                "label": {"type": "plain_text", "text": date_label},
                "hint": {
                    "type": "plain_text",
                    "text": _w("hint_new_date", years=plan.reminders.new_date_max_years),
                },
                "element": picker,
            },
            _note(plan, note_label, optional=not blocked, initial=carried),
            *_confirm_blocks(latest),
        ],
    )


def done_modal(
    plan: Plan,
    item_id: str,
    channel: str,
    ts: str,
    as_of: date,
    latest: StatusUpdate | None = None,
    *,
    reader: str | None = None,
) -> dict[str, Any]:
    """The "Gereed…" modal: the day the item was finished (block ``completed_on``, today
    preset) and an optional note. Sending it is the confirmation (in place of Slack's "Gereed
    melden?" dialog: no click more than before); the hint says reminders stop."""
    from governance.new_date import earliest_done
    from notifications.render import format_date_nl

    due = _due(plan, item_id)
    lines = [_w("deadline", due=format_date_nl(due)) if due else ""]
    if state := standing_text(plan, latest, reader):
        lines.append(_w("stand", state=state))
    earliest = earliest_done(as_of, plan.reminders.new_date_max_years)
    return _view(
        DONE_CALLBACK,
        {"item": item_id, "channel": channel, "ts": ts},
        _w("title_done"),
        _w("submit_done"),
        _heading(plan, item_id, " ".join(line for line in lines if line)),
        [
            {
                "type": "input",
                "block_id": "completed_on",
                "label": {"type": "plain_text", "text": _w("label_done_on")},
                "hint": {
                    "type": "plain_text",
                    "text": _w("hint_done_on", earliest=format_date_nl(earliest)),
                },
                "element": {
                    "type": "datepicker",
                    "action_id": "value",
                    "initial_date": as_of.isoformat(),
                },
            },
            _note(plan, _w("label_note"), optional=True),
        ],
    )


def _changes(start_from: StatusUpdate | None) -> dict[str, str]:
    """The metadata naming the answer a "Wijzigen" changes (its submit corrects that update);
    nothing for a new answer."""
    if start_from is None or start_from.id is None:
        return {}
    return {"changes": str(start_from.id)}


def _view(
    callback_id: str,
    metadata: dict[str, str],
    title: str,
    submit: str,
    heading: list[dict[str, Any]],
    fields: list[dict[str, Any]],
) -> dict[str, Any]:
    """A modal view: what it is, where its answer goes back to (``private_metadata``), the
    heading and the fields."""
    return {
        "type": "modal",
        "callback_id": callback_id,
        "private_metadata": json.dumps(metadata),
        "title": {"type": "plain_text", "text": title},
        "submit": {"type": "plain_text", "text": submit},
        "close": {"type": "plain_text", "text": _w("close")},
        "blocks": [*heading, *fields],
    }


def _heading(plan: Plan, item_id: str, context: str) -> list[dict[str, Any]]:
    """The item's number and title, and a line of context (none when empty)."""
    from governance.answers import find_item

    item = find_item(plan, item_id)
    title = f"{item_id} {item.title}" if item else item_id
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "plain_text", "text": title[:2900]}}
    ]
    if context:
        blocks.append({"type": "context", "elements": [{"type": "plain_text", "text": context}]})
    return blocks


def _due(plan: Plan, item_id: str) -> date | None:
    from governance.answers import find_item

    item = find_item(plan, item_id)
    return item.period.end if item is not None and item.period is not None else None


def _note_of(plan: Plan, update: StatusUpdate | None, reader: str | None) -> str | None:
    """The note a "Wijzigen" starts from: the answer's own, if ``reader`` may read it
    (:func:`regie.note_readers.reads_note`; another's note is neither shown nor carried)."""
    from regie.note_readers import reads_note

    if (
        update is None
        or not update.comment
        or not reads_note(plan, reader, update.author, update.item_id)
    ):
        return None
    return update.comment


def _initial_option(options: list[dict[str, Any]], value: str) -> dict[str, Any]:
    """``initial_option`` for a select: the option itself, as Slack requires."""
    found = next((o for o in options if o["value"] == value), None)
    return {"initial_option": found} if found is not None else {}


def _note(plan: Plan, label: str, *, optional: bool, initial: str | None = None) -> dict[str, Any]:
    """The note field (≤ NOTE_MAX), whose hint says who reads it and so what to leave out
    (AVG): every modal's note says so."""
    from governance.answers import NOTE_MAX
    from governance.office_names import office_names
    from governance.reminders import steering_body
    from regie.texts import text

    body = steering_body(plan)  # the plan's own name for it, not "de stuurgroep"
    hint = text(
        "privacy/note_hint_slack.txt.j2",
        office=office_names(plan.programme).The,
        body=body.name if body is not None else None,
    )
    return {
        "type": "input",
        "block_id": "note",
        "optional": optional,
        "label": {"type": "plain_text", "text": label},
        "hint": {
            "type": "plain_text",
            "text": hint,
        },
        "element": {
            "type": "plain_text_input",
            "action_id": "value",
            "multiline": True,
            "max_length": NOTE_MAX,
            **({"initial_value": initial[:NOTE_MAX]} if initial else {}),
        },
    }


def _confirm_blocks(latest: StatusUpdate | None) -> list[dict[str, Any]]:
    """The "Toch wijzigen" box when the item was reported gereed (needed to reopen it,
    :func:`governance.answers.standing_refusal`); none otherwise."""
    from governance.updates import UpdateStatus

    if latest is None or latest.status is not UpdateStatus.DONE:
        return []
    box = {"text": {"type": "plain_text", "text": _w("confirm_box")}, "value": "ja"}
    return [
        {
            "type": "input",
            "block_id": "confirm",
            "optional": True,
            "label": {"type": "plain_text", "text": _w("confirm_label")},
            "hint": {"type": "plain_text", "text": _w("confirm_hint")},
            "element": {"type": "checkboxes", "action_id": "value", "options": [box]},
        }
    ]


def _w(code: str, **values: object) -> str:
    """The modals' words (``regie/templates/answers/modal_words.txt.j2``)."""
    from regie.texts import modal_words

    return modal_words(code, **values)
