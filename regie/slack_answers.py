"""Answers from Slack: the buttons under each digest item, the "Update geven" modal.

One handler for both ways in (``POST /slack/interactivity`` and Socket Mode): it maps the Slack
user to a contact, stores through :func:`regie.answers.record_answer`, and returns what to
acknowledge with plus the Web API calls to make *after* the acknowledgement (``chat.update``
"Beantwoord door … op …", ``views.open``, an ephemeral refusal), so Slack gets its answer within
its 3 seconds whatever the Web API does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from governance.answers import (
    Answerer,
    AnswerInput,
    Refusal,
    answers_as_deputy,
    contact,
    find_item,
    without_carried,
)
from notifications.slack_answer_blocks import (
    ACTION_PREFIX,
    BLOCKED,
    DONE_ON,
    MODAL,
    NEW_DATE,
    answer_block_id,
    edit_actions,
    edit_block_id,
)
from notifications.slack_blocks import item_block_id
from regie.answers import (
    STANDING_REFUSALS,
    AnswerRefused,
    Guard,
    WithinTransaction,
    record_answer,
    writing,
)
from regie.bootstrap import App
from regie.slack_modals import (
    DONE_CALLBACK,
    MODAL_CALLBACK,
    OVERDUE_CALLBACK,
    QUICK,
    STATUS_LABELS,
    done_modal,
    modal,
    overdue_modal,
    standing_text,
)
from regie.texts import date_text, modal_text, problem_text, refusal_text

if TYPE_CHECKING:
    from slack_sdk import WebClient
    from sqlalchemy.orm import Session

    from governance.plan import Contact, Plan
    from governance.updates import StatusUpdate

#: What each of its two kinds stores: a new expected date (op schema), or stuck (risico).
OVERDUE_STATUS = {NEW_DATE: "on_track", BLOCKED: "at_risk"}
#: What a quick button pressed on an item that has become overdue opens instead.
ON_OVERDUE = {status: kind for kind, status in OVERDUE_STATUS.items()}
#: How long a submitted view's id is remembered: a double submit of one modal stores once.
VIEW_WINDOW_SECONDS = 24 * 3600
#: The answered line and the modals' answer labels, one macro each.
ANSWERED = "slack/answered.md.j2"


Call = Callable[["WebClient"], Any]


@dataclass(frozen=True)
class Press:
    """What every handler of one interaction needs: the app and plan, the Slack ``user`` who
    pressed or submitted, the business day ``as_of``, ``lookup`` (``users.info``: the user's
    e-mail address, None: not asked), the replay ``guard``, and the message the buttons are in
    (``channel``, ``ts``; empty when Slack did not say)."""

    app: App
    plan: Plan
    user: str
    as_of: date
    lookup: Callable[[str], str | None] | None
    guard: Guard | None
    channel: str = ""
    ts: str = ""


@dataclass
class SlackReply:
    """``body``: the acknowledgement's JSON (None: an empty 200); ``then``: Web API calls to
    make after acknowledging; ``stored``: update ids stored by this interaction."""

    body: dict[str, Any] | None = None
    then: list[Call] = field(default_factory=list)
    stored: list[int] = field(default_factory=list)
    refused: Refusal | None = None


class Malformed(ValueError):
    """Not an interaction payload we understand (answered 400, stores nothing)."""


class ForeignOrigin(Malformed):
    """An interaction from another workspace or app than REGIE_SLACK_TEAM_ID / REGIE_SLACK_APP_ID
    name (signed with the same secret: the app installed elsewhere). Refused before anything is
    read or stored: over HTTP as an unsigned request (401), over Socket Mode logged and
    acknowledged empty."""


def check_origin(app: App, payload: dict[str, Any]) -> None:
    """:class:`ForeignOrigin` unless the payload's ``team.id`` (or, for an organisation-wide
    install, ``enterprise.id``) and ``api_app_id`` are the configured ones; a setting left unset
    is not checked."""
    team, app_id = app.settings.slack_team_id, app.settings.slack_app_id
    if team is not None:
        sent = {_text(payload.get("team"), "id"), _text(payload.get("enterprise"), "id")}
        if team not in sent - {""}:
            raise ForeignOrigin(f"team {_text(payload.get('team'), 'id')[:20]!r} is not {team}")
    if app_id is not None:
        sent_app = payload.get("api_app_id")
        if sent_app != app_id:
            raise ForeignOrigin(f"app {str(sent_app)[:20]!r} is not {app_id}")


class ViewSubmitted(Exception):
    """This modal (its view id) was submitted and stored before: a double submit. Its
    transaction is rolled back; the modal is closed without storing again."""


class Replayed(Exception):
    """A request signature seen before (answered 409); its transaction is rolled back."""


@dataclass
class ReplayGuard:
    """Records a request's signature inside the transaction that stores the answer (or its
    refusal), so a Slack answer costs one COMMIT; ``done`` stays False when nothing was written,
    and the caller then records the signature on its own (:meth:`alone`)."""

    signature: str
    window_seconds: int = 300
    done: bool = False
    #: When the request says it was made (Slack's timestamp); the signature is kept until
    #: both this and its arrival are ``window_seconds`` old. None: its arrival.
    request_time: datetime | None = None

    def __call__(self, session: Session) -> None:
        from datetime import timedelta

        from sqlalchemy import event as sa_event

        from regie.services import utcnow
        from store.answers import first_seen

        window = timedelta(seconds=self.window_seconds)
        if not first_seen(session, self.signature, utcnow(), window, self.request_time):
            raise Replayed(self.signature[:16])
        # Done only once that transaction commits: an answer refused after this point rolls the
        # signature back with it, and :meth:`alone` must then record it (or it could be replayed).
        sa_event.listen(session, "after_commit", self._committed, once=True)

    def _committed(self, _session: Session) -> None:
        self.done = True

    def alone(self, app: App) -> None:
        """Record the signature in a transaction of its own (nothing else was written)."""
        if self.done:
            return
        with writing(app), app.session() as session, session.begin():
            self(session)


def handle_interaction(
    app: App,
    plan: Plan,
    payload: Any,
    as_of: date,
    lookup: Callable[[str], str | None] | None = None,
    guard: Guard | None = None,
) -> SlackReply:
    """Handle one interaction payload; ``lookup(user_id)`` gives the user's e-mail address
    (``users.info``) when the user id is not in the plan or the cache; ``guard`` runs inside
    the transaction that stores the answer or its refusal (see :class:`ReplayGuard`)."""
    if not isinstance(payload, dict):
        raise Malformed("payload is not an object")
    check_origin(app, payload)
    kind = payload.get("type")
    user = _text(payload.get("user"), "id")
    press = Press(app, plan, user, as_of, lookup, guard)
    if kind == "block_actions":
        actions = payload.get("actions")
        if not isinstance(actions, list) or not actions or not isinstance(actions[0], dict):
            raise Malformed("block_actions without actions")
        action_id = str(actions[0].get("action_id", ""))
        item_id = str(actions[0].get("value", ""))[:64]
        if not action_id.startswith(ACTION_PREFIX) or not item_id:
            raise Malformed(f"unknown action {action_id[:40]!r}")
        choice = action_id[len(ACTION_PREFIX) :]
        channel = _text(payload.get("container"), "channel_id") or _text(
            payload.get("channel"), "id"
        )
        ts = _text(payload.get("container"), "message_ts")
        press = replace(press, channel=channel, ts=ts)
        if find_item(plan, item_id) is None:  # taken out of the plan: nothing to answer
            return _removed(press, item_id, choice)
        # "Wijzigen" (under an answered item) starts from the answer it corrects.
        editing = str(actions[0].get("block_id", "")) == edit_block_id(item_id)
        if choice in ON_OVERDUE and _overdue_now(app, plan, item_id, as_of):
            # A button from a message sent before the deadline passed: on an overdue item
            # "Op schema" is "Nieuwe datum…" (the answer form asks the new date first, never a
            # bare on track) and "Risico" is "Loopt vast…", which says what is stuck
            # (governance.answers.blocked_note_problem).
            choice = ON_OVERDUE[choice]
        opens_modal = choice in (MODAL, DONE_ON) or choice in OVERDUE_STATUS
        # A modal must open within the trigger's 3 s: no live users.info before it (a presser
        # Regie cannot name yet is checked at the submission, by _answer).
        checking = replace(press, lookup=None) if opens_modal else press
        if early := _before_answering(checking, item_id, choice, editing=editing):
            return early
        if opens_modal:
            trigger = str(payload.get("trigger_id", ""))
            if not trigger:
                raise Malformed("no trigger_id")
            latest = _latest(app, plan, item_id)
            # Who pressed, as far as Regie knows without a live look-up: whose notes they read.
            reader = _known_contact(app, plan, press.user)
            if choice == MODAL:
                form = _update_modal(
                    plan, item_id, channel, ts, as_of, latest, editing=editing, reader=reader
                )
            elif choice == DONE_ON:
                form = done_modal(plan, item_id, channel, ts, as_of, latest, reader=reader)
            else:
                form = overdue_modal(
                    plan, item_id, choice, channel, ts, as_of, latest, reader=reader
                )
            return SlackReply(then=[lambda c: c.views_open(trigger_id=trigger, view=form)])
        if choice not in QUICK:
            raise Malformed(f"unknown action {action_id[:40]!r}")
        # "done" comes only from a message sent before "Gereed…" (its confirmation said today).
        completed = as_of if choice == "done" else None
        answer = AnswerInput(item_id, choice, completed_on=completed)
        try:
            within = _once_per_button(plan, channel, ts, item_id)
            return _answer(press, answer, modal_errors=False, within=within)
        except ButtonAnswered:  # a double tap that passed the check above meanwhile
            return _already(channel, user, item_id)
    if kind == "view_submission":
        view = payload.get("view")
        if isinstance(view, dict) and view.get("callback_id") == OVERDUE_CALLBACK:
            return _submit_overdue(press, view)
        if isinstance(view, dict) and view.get("callback_id") == DONE_CALLBACK:
            return _submit_done(press, view)
        if not isinstance(view, dict) or view.get("callback_id") != MODAL_CALLBACK:
            raise Malformed("unknown view")
        meta = _metadata(view.get("private_metadata"))
        values = _state_values(view)
        errors: dict[str, str] = {}
        status = _selected(values, "status")
        if status not in STATUS_LABELS:
            errors["status"] = modal_text("choose_status")
        forecast = _picked(values, "forecast", errors)
        completed_on = _picked(values, "completed_on", errors)
        # "Wijzigen" starts from the answer it changes: its dates the new status takes none of
        # were filled in, not typed (walk56b 1, as the answer form).
        forecast, completed_on = without_carried(
            str(status), forecast, completed_on, _carried(app, plan, view)
        )
        note = _input(values, "note")
        confirmed = bool(_value(values, "confirm").get("selected_options"))
        # (a date that could not be read is None here, its error already set)
        if status == "done" and (problem := _done_problem(plan, completed_on, as_of)):
            errors["completed_on"] = problem
        # A modal opened before the deadline passed: "Op schema" on an item overdue now needs
        # its new date, as "Nieuwe datum…" and the answer form ask it.
        late = status == "on_track" and "forecast" not in errors
        if late and (problem := _new_date_problem(app, plan, meta["item"], forecast, as_of)):
            errors["forecast"] = problem
        if status == "done" and completed_on is None:
            completed_on = as_of
        if errors:
            return SlackReply(body={"response_action": "errors", "errors": errors})
        answer = AnswerInput(meta["item"], status, forecast, completed_on, note or None)
        label = _label(status, forecast, completed_on)
        return _submit_view(press, view, answer, confirmed=confirmed, label=label)
    raise Malformed(f"unsupported interaction type {str(kind)[:40]!r}")


def _update_modal(
    plan: Plan,
    item_id: str,
    channel: str,
    ts: str,
    as_of: date,
    latest: StatusUpdate | None,
    *,
    editing: bool,
    reader: str | None = None,
) -> dict[str, Any]:
    """The modal behind "Update geven" and "Wijzigen": for an item past its deadline, not
    finished and without a new date ahead, the overdue modal (a new date or what is stuck,
    never a bare "Op schema"), as the answer form asks the new date first; else "Update
    geven". ``editing`` ("Wijzigen"): its fields start from the latest answer."""
    from governance.answers import standing

    # (the rule of web/answers.py's ``_overdue``, the answer form's)
    start_from = latest if editing else None
    state = standing(plan, latest)
    due = _due_of(plan, item_id)
    moved = state is not None and state.forecast is not None and state.forecast >= as_of
    finished = state is not None and state.finished
    if due is not None and due < as_of and not finished:
        at_risk = latest is not None and latest.status.value == "at_risk"
        # A new date already given: "Wijzigen" corrects it in the same (new-date) modal.
        if not moved or editing:
            kind = BLOCKED if at_risk else NEW_DATE
            return overdue_modal(
                plan, item_id, kind, channel, ts, as_of, latest, start_from=start_from,
                reader=reader,
            )  # fmt: skip
    return modal(plan, item_id, channel, ts, latest, start_from=start_from, reader=reader)


def _overdue_now(app: App, plan: Plan, item_id: str, as_of: date) -> bool:
    """Whether the item is overdue as the answer form and the overdue modal judge it."""
    from governance.answers import overdue_without_date

    item = find_item(plan, item_id)
    return item is not None and overdue_without_date(item, _latest(app, plan, item_id), as_of)


def _new_date_problem(
    app: App, plan: Plan, item_id: str, day: date | None, as_of: date
) -> str | None:
    """What is wrong with an "Op schema" answer's date on an item overdue now, in words (the
    rule of the overdue modal's required new date); None when the item is not overdue or the
    date will do."""
    from governance.new_date import DateProblem, new_date_problem

    if not _overdue_now(app, plan, item_id, as_of):
        return None
    max_years = plan.reminders.new_date_max_years
    problem = new_date_problem(day, as_of, required=True, max_years=max_years)
    if problem is DateProblem.MISSING:  # the modal's label is not "Nieuwe datum": say why
        return modal_text("new_date_needed")
    return None if problem is None else date_text(problem, max_years)


def _due_of(plan: Plan, item_id: str) -> date | None:
    item = find_item(plan, item_id)
    return item.period.end if item is not None and item.period is not None else None


def _label(status: str, forecast: date | None, completed_on: date | None) -> str:
    """What the answered message says the "Update geven" modal recorded (with its date)."""
    from notifications.render import render

    label = STATUS_LABELS.get(status, status)
    text = render(
        "slack/answer_label.txt.j2",
        label=label,
        status=status,
        forecast=forecast,
        completed_on=completed_on,
    )
    return " ".join(text.split())


def _removed(press: Press, item_id: str, choice: str) -> SlackReply:
    """A button of an item taken out of the plan: no modal; the refusal is recorded as the
    e-mail link's is (``link_removed``) and the item's buttons give way to what the link's
    page says ("… u hoeft niets te doen")."""
    from notifications.render import slack_escape
    from regie.answers import record_refusal
    from regie.slack_client import LookupFailed

    app, plan, user, channel, ts = press.app, press.plan, press.user, press.channel, press.ts
    try:
        contact_id = resolve_contact(app, plan, user, press.lookup)
    except LookupFailed:  # still recorded, under the Slack user id
        contact_id = None
    person = contact(plan, contact_id) if contact_id else None
    who = Answerer(person.id, person.name) if person else Answerer(f"slack:{user[:32]}", user)
    status = choice if choice in STATUS_LABELS else ""
    answer = AnswerInput(item_id, status)
    record_refusal(
        app, plan, Refusal.LINK_REMOVED, answer, who, "slack", press.as_of, guard=press.guard
    )
    text = slack_escape(refusal_text(Refusal.LINK_REMOVED, plan.programme))
    reply = SlackReply(refused=Refusal.LINK_REMOVED)
    if channel and ts:
        pid = plan.programme.id
        reply.then.append(
            lambda c: mark_item(c, channel, ts, item_id, text, edit=False, programme=pid)
        )
    return reply


class ButtonAnswered(Exception):
    """This message's buttons for the item were answered from before (a double tap, an old
    copy of the message): its transaction is rolled back, nothing is stored again."""


def button_key(programme: str, channel: str, ts: str, item_id: str) -> str:
    """The record that message ``ts`` in ``channel`` was answered for ``item_id``."""
    from hashlib import sha256

    from store.answers import BUTTON_PREFIX

    raw = json.dumps([programme, channel, ts, item_id])
    return BUTTON_PREFIX + sha256(raw.encode()).hexdigest()


def _once_per_button(
    plan: Plan, channel: str, ts: str, item_id: str, then: WithinTransaction | None = None
) -> WithinTransaction | None:
    """Records, in the transaction that stores the answer, that the message's buttons for the
    item were answered, and so are those of every other Slack digest carrying the item (their
    buttons give way to the answered line): a prompt's buttons answer once, as an e-mail link;
    a correction goes through "Wijzigen". ``then``: a check to run first (a modal's own)."""
    if not channel or not ts:
        return then

    def once(session: Session, stored: StatusUpdate) -> None:
        from regie.services import utcnow
        from store.answers import first_seen, slack_posts

        if then is not None:
            then(session, stored)
        pid = plan.programme.id
        keep = timedelta(days=1)  # (not pruned: the window does not apply to these)
        if not first_seen(session, button_key(pid, channel, ts, item_id), utcnow(), keep):
            raise ButtonAnswered(item_id)
        for other in slack_posts(session, pid, item_id):
            if other != (channel, ts):
                first_seen(session, button_key(pid, *other, item_id), utcnow(), keep)

    return once


def _before_answering(
    press: Press, item_id: str, choice: str, *, editing: bool
) -> SlackReply | None:
    """Checked when a button is pressed, before a modal opens or anything is stored: a
    person who may not answer for the item (e.g. it was handed over to another organisation)
    is told so at once, naming the item and its owners; a message whose item was answered
    from it before stores nothing again ("Wijzigen", ``editing``, corrects). None: go on.
    A person Slack cannot name now is left to :func:`_answer`."""
    from governance.answers import may_answer
    from regie.answers import record_refusal
    from regie.slack_client import LookupFailed
    from store.answers import seen

    app, plan, user, channel, ts = press.app, press.plan, press.user, press.channel, press.ts
    try:
        contact_id = resolve_contact(app, plan, user, press.lookup)
    except LookupFailed:
        return None
    person = contact(plan, contact_id) if contact_id else None
    item = find_item(plan, item_id)
    if person is None or item is None:
        return None
    who = Answerer(person.id, person.name)
    if may_answer(plan, who, item) is Refusal.NOT_OWNER:
        status = choice if choice in STATUS_LABELS else ""
        answer = AnswerInput(item_id, status)
        record_refusal(
            app, plan, Refusal.NOT_OWNER, answer, who, "slack", press.as_of, guard=press.guard
        )
        text = not_owner_text(plan, item_id)
        reply = SlackReply(refused=Refusal.NOT_OWNER)
        if channel:
            reply.then.append(lambda c: c.chat_postEphemeral(channel=channel, user=user, text=text))
        if channel.startswith("D") and ts:  # a DM is theirs alone; a channel's buttons stay
            pid = plan.programme.id
            reply.then.append(
                lambda c: mark_item(c, channel, ts, item_id, text, edit=False, programme=pid)
            )
        return reply
    if editing or not channel or not ts:
        return None
    with app.session() as session:
        answered = seen(session, button_key(plan.programme.id, channel, ts, item_id))
    return _already(channel, user, item_id) if answered else None


def not_owner_text(plan: Plan, item_id: str) -> str:
    """Which organisations the item belongs to, and that the presser need not do anything."""
    item = find_item(plan, item_id)
    owners = [] if item is None else list(item.owners)
    labels = plan.owner_names(owners)
    if not labels:  # an item without owners: only the office answers for it
        from governance.office_names import office_names

        labels = [office_names(plan.programme).the]
    return _said("not_owner", item_id, labels)


def _already(channel: str, user: str, item_id: str) -> SlackReply:
    """The message's item was answered from it before: nothing stored; the person is told so
    and where to correct it (the message's line already shows the answer and "Wijzigen")."""
    text = _said("already", item_id)
    reply = SlackReply()
    reply.then.append(lambda c: c.chat_postEphemeral(channel=channel, user=user, text=text))
    return reply


def _submit_overdue(press: Press, view: dict[str, Any]) -> SlackReply:
    """The overdue modal's submission: a new expected date (required for "Nieuwe datum…",
    optional for "Loopt vast…", whose note is required), checked at its field first."""
    from governance.new_date import new_date_problem

    plan, as_of = press.plan, press.as_of
    meta = _metadata(view.get("private_metadata"))
    choice = _overdue_kind(view.get("private_metadata"))
    values = _state_values(view)
    errors: dict[str, str] = {}
    day = _picked(values, "forecast", errors)
    note = _input(values, "note").strip()
    if "forecast" not in errors:
        max_years = plan.reminders.new_date_max_years
        problem = new_date_problem(day, as_of, required=choice == NEW_DATE, max_years=max_years)
        if problem:
            errors["forecast"] = date_text(problem, max_years)
    if choice == BLOCKED and not note:
        errors["note"] = modal_text("describe_blocked")
    if errors:
        return SlackReply(body={"response_action": "errors", "errors": errors})
    # Slack sends every input block in state.values: "confirm" there means this modal has the
    # "Toch wijzigen" box (the item was reported gereed when it opened).
    has_box = "confirm" in values
    confirmed = has_box and bool(_value(values, "confirm").get("selected_options"))
    answer = AnswerInput(meta["item"], OVERDUE_STATUS[choice], day, None, note or None)
    label = _said("new_date" if choice == NEW_DATE else "blocked", day)
    return _submit_view(
        press, view, answer,
        label=label, error_block="forecast", confirmed=confirmed, overdue_box=has_box,
    )  # fmt: skip


def _submit_done(press: Press, view: dict[str, Any]) -> SlackReply:
    """The "Gereed…" modal's submission: the day the item was finished (empty: today; not in
    the future, not more than the plan's ``new_date_max_years`` back) and an optional note."""
    plan, as_of = press.plan, press.as_of
    meta = _metadata(view.get("private_metadata"))
    values = _state_values(view)
    errors: dict[str, str] = {}
    day = _picked(values, "completed_on", errors)
    if problem := _done_problem(plan, day, as_of):  # None when unreadable
        errors["completed_on"] = problem
    if errors:
        return SlackReply(body={"response_action": "errors", "errors": errors})
    day = day or as_of
    note = _input(values, "note").strip()
    answer = AnswerInput(meta["item"], "done", None, day, note or None)
    label = _said("done", day, as_of)
    return _submit_view(press, view, answer, label=label, error_block="completed_on")


def _done_problem(plan: Plan, day: date | None, as_of: date) -> str | None:
    """What is wrong with the day the item was finished, in words; None when nothing is."""
    from governance.new_date import done_date_problem

    max_years = plan.reminders.new_date_max_years
    problem = done_date_problem(day, as_of, max_years)
    return None if problem is None else date_text(problem, max_years)


def _submit_view(
    press: Press,
    view: dict[str, Any],
    answer: AnswerInput,
    *,
    label: str | None = None,
    error_block: str = "status",
    confirmed: bool = False,
    overdue_box: bool | None = None,
) -> SlackReply:
    """Store a modal's answer (:func:`_answer`, refusals shown in the modal), once per view:
    a second submit of the same modal closes it without storing again."""
    meta = _metadata(view.get("private_metadata"))
    changes = _changes(view.get("private_metadata"))
    within = _once_per_view(view)
    if changes is None:  # a new answer, not "Wijzigen": the message's buttons answer once
        within = _once_per_button(press.plan, meta["channel"], meta["ts"], meta["item"], within)
    press = replace(press, channel=meta["channel"], ts=meta["ts"])
    try:
        return _answer(
            press, answer, modal_errors=True, within=within, label=label,
            error_block=error_block, confirmed=confirmed, overdue_box=overdue_box,
            changes=changes,
        )  # fmt: skip
    except ViewSubmitted:
        return SlackReply()  # the first submit stored it; an empty 200 closes the modal
    except ButtonAnswered:  # answered from the message meanwhile: closed, told why
        return _already(meta["channel"], press.user, meta["item"])


def _once_per_view(view: dict[str, Any]) -> WithinTransaction | None:
    """Records the view's id in the transaction that stores the answer (only there: a
    refused submit, e.g. without "Toch wijzigen", may be corrected and sent again). Slack
    sends a second submit of one modal (a double click, a retry) as a new, validly signed
    request; it then rolls back and stores nothing."""
    view_id = view.get("id")
    if not isinstance(view_id, str) or not view_id:
        return None

    def once(session: Session, _stored: StatusUpdate) -> None:
        from datetime import timedelta

        from regie.services import utcnow
        from store.answers import VIEW_PREFIX, first_seen

        window = timedelta(seconds=VIEW_WINDOW_SECONDS)
        if not first_seen(session, f"{VIEW_PREFIX}{view_id[:64]}", utcnow(), window):
            raise ViewSubmitted(view_id[:64])

    return once


def _overdue_kind(raw: Any) -> str:
    try:
        kind = json.loads(raw).get("kind") if isinstance(raw, str) else None
    except (ValueError, AttributeError):
        kind = None
    if not isinstance(kind, str) or kind not in OVERDUE_STATUS:  # a list is unhashable
        raise Malformed("private_metadata is not ours")
    return kind


def _state_values(view: dict[str, Any]) -> dict[str, Any]:
    """The submitted view's ``state.values``; anything but objects there is malformed (a 400,
    not a traceback)."""
    state = view.get("state")
    values = state.get("values") if isinstance(state, dict) else None
    if not isinstance(values, dict):
        raise Malformed("view without state")
    return values


def _answer(
    press: Press,
    answer: AnswerInput,
    *,
    modal_errors: bool,
    confirmed: bool = False,
    label: str | None = None,
    error_block: str = "status",
    within: WithinTransaction | None = None,
    overdue_box: bool | None = None,
    changes: int | None = None,
) -> SlackReply:
    """``label``: what the message shows was recorded (default: the status's name);
    ``error_block``: the modal's block that shows a refusal; ``overdue_box``: for the overdue
    modal, whether it shows the "Toch wijzigen" box (its refusal then names that box, else
    how to get it: the general text names the "Update geven" button, which an overdue item's
    message does not have)."""
    from regie.answers import record_refusal
    from regie.slack_client import LookupFailed

    app, plan, user, channel, ts = press.app, press.plan, press.user, press.channel, press.ts
    as_of, guard = press.as_of, press.guard
    try:
        contact_id = resolve_contact(app, plan, user, press.lookup)
    except LookupFailed:  # not an unknown person: nothing recorded, the owner tries again
        return _not_recognised(channel, user, modal_errors, error_block)
    if contact_id is None:
        who = Answerer(f"slack:{user[:32]}", user)
        record_refusal(app, plan, Refusal.UNKNOWN_CONTACT, answer, who, "slack", as_of, guard=guard)
        return _refusal(
            Refusal.UNKNOWN_CONTACT, channel, user, modal_errors, plan=plan, block=error_block
        )
    person = contact(plan, contact_id)
    assert person is not None
    try:
        recorded = record_answer(
            app,
            answer,
            Answerer(person.id, person.name),
            channel="slack",
            as_of=as_of,
            plan=plan,
            guard=guard,
            standing=True,  # a cancelled item stays cancelled; reopening gereed is confirmed
            confirmed=confirmed,
            within=within,
            changes=changes,  # "Wijzigen": the answer it changes is corrected
        )
    except AnswerRefused as exc:
        if exc.problems and modal_errors:
            errors = {_block(p.field, error_block): problem_text(p) for p in exc.problems}
            return SlackReply(body={"response_action": "errors", "errors": errors})
        why = ""
        if exc.reason in STANDING_REFUSALS:  # say who cancelled it or reported it gereed
            why = standing_text(plan, _latest(app, plan, answer.item_id), person.id)
        said, block = None, error_block
        if exc.reason is Refusal.NOT_OWNER:  # which item, and whose it is now
            said = not_owner_text(plan, answer.item_id)
        if overdue_box is not None and exc.reason is Refusal.ITEM_DONE:
            # The overdue modal's message has no "Update geven" button: name what it has (the
            # box below; or the button again when the item was reported gereed meanwhile).
            said = modal_text("done_box" if overdue_box else "done_again")
            block = "confirm" if overdue_box else error_block  # shown at the box itself
        return _refusal(
            exc.reason, channel, user, modal_errors, why, plan=plan, block=block, said=said
        )
    reply = SlackReply(stored=[recorded.update.id or 0])
    item, pid = answer.item_id, plan.programme.id
    answered = find_item(plan, item)
    # A deputy answers for another organisation's item: the owners read who it was.
    deputy = answered is not None and answers_as_deputy(person, answered)
    text = answered_text(person.name, label or STATUS_LABELS[answer.status], as_of, deputy)
    if channel and ts:
        reply.then.append(lambda c: mark_answered(c, channel, ts, item, text, programme=pid))
    # The item's messages to the other owners' contacts (and deputies) close too: none of
    # them answers the same prompt a second time.
    with app.session() as session:
        from store.answers import slack_posts

        elsewhere = sorted({ch for ch, _ts in slack_posts(session, pid, item) if ch != channel})
    for other in elsewhere:
        reply.then.append(
            partial(
                mark_conversation, channel=other, item_id=item, text=text, edit=True, programme=pid
            )
        )
    return reply


def _refusal(
    reason: Refusal,
    channel: str,
    user: str,
    modal_errors: bool,
    why: str = "",
    *,
    plan: Plan | None = None,
    block: str = "status",
    said: str | None = None,
) -> SlackReply:
    said = said or refusal_text(reason, plan.programme if plan is not None else None)
    text = f"{why} {said}" if why else said
    if modal_errors:
        return SlackReply(
            body={"response_action": "errors", "errors": {block: text}}, refused=reason
        )
    reply = SlackReply(refused=reason)
    if channel:
        reply.then.append(lambda c: c.chat_postEphemeral(channel=channel, user=user, text=text))
    return reply


def _not_recognised(channel: str, user: str, modal_errors: bool, block: str) -> SlackReply:
    """Slack could not say who the user is just now (``users.info`` failed): try again."""
    from notifications.render import render

    text = " ".join(render("slack/not_recognised.txt.j2").split())
    if modal_errors:
        return SlackReply(body={"response_action": "errors", "errors": {block: text}})
    reply = SlackReply()
    if channel:
        reply.then.append(lambda c: c.chat_postEphemeral(channel=channel, user=user, text=text))
    return reply


def _block(field: str, error_block: str) -> str:
    """The modal block a field problem is shown at: the overdue modal has only the date
    (``forecast``) and the note; anything else goes to its date."""
    if error_block == "status" or field in ("forecast", "note"):
        return field
    return error_block


def _latest(app: App, plan: Plan, item_id: str) -> StatusUpdate | None:
    from regie.answers import latest_update

    with app.session() as session:
        return latest_update(session, plan.programme.id, item_id)


def _said(macro: str, *args: Any) -> str:
    from notifications.render import phrase  # Jinja2: not imported for the command line

    return phrase(ANSWERED, macro, *args)


def answered_text(name: str, status: str, day: date, deputy: bool = False) -> str:
    """The mrkdwn line that replaces an answered item's buttons (``deputy``: the answerer is
    a deputy, said so). The name comes from the plan and is escaped: ``<!channel>`` or
    ``<https://…|…>`` in it must not ping or link."""
    return _said("answered", name, status, day, deputy)


#: How many of a conversation's latest messages are searched for earlier (or later) Regie
#: messages about the same item (one ``conversations.history`` page).
HISTORY_LIMIT = 100


def mark_answered(
    client: WebClient, channel: str, ts: str, item_id: str, text: str, *, programme: str | None
) -> None:
    """Replace the item's buttons by "Beantwoord door … op …" with a "Wijzigen" button under
    it (the modal: a correction is a new update, the first stays), in the message answered
    from and in every other Regie message of the conversation that still offers the item's
    buttons: an older digest's buttons would otherwise record another answer (as e-mail, where
    a newer reminder's link replaces the older)."""
    mark_item(client, channel, ts, item_id, text, edit=True, programme=programme)


def mark_item(
    client: WebClient,
    channel: str,
    ts: str,
    item_id: str,
    text: str,
    *,
    edit: bool,
    programme: str | None,
) -> None:
    """Put ``text`` in place of the item's buttons (and, ``edit``, a "Wijzigen" button under
    it) in message ``ts`` and in the conversation's other Regie messages about the item of
    the same ``programme`` (item ids recur across plans; a post from before posts named
    their programme counts as this one's)."""

    found = client.conversations_history(
        channel=channel, limit=HISTORY_LIMIT, include_all_metadata=True
    )
    recent = [m for m in found.get("messages") or [] if m.get("ts") != ts]
    own = [m for m in found.get("messages") or [] if m.get("ts") == ts]
    if not own:  # an older message than the page holds: fetched by its ts
        one = client.conversations_history(channel=channel, latest=ts, inclusive=True, limit=1)
        own = (one.get("messages") or [])[:1]
    for message in own:
        blocks = _marked(message.get("blocks") or [], item_id, text, edit)
        client.chat_update(channel=channel, ts=ts, blocks=blocks, text=message.get("text", text))
    _mark_others(client, channel, recent, item_id, text, edit=edit, programme=programme)


def mark_conversation(
    client: WebClient, channel: str, item_id: str, text: str, *, edit: bool, programme: str | None
) -> None:
    """:func:`mark_item` for a conversation the answer was not given in (another owner's or
    a deputy's DM): every Regie message there that still offers the item's buttons."""
    found = client.conversations_history(
        channel=channel, limit=HISTORY_LIMIT, include_all_metadata=True
    )
    messages = found.get("messages") or []
    _mark_others(client, channel, messages, item_id, text, edit=edit, programme=programme)


def _mark_others(
    client: WebClient,
    channel: str,
    recent: list[dict[str, Any]],
    item_id: str,
    text: str,
    *,
    edit: bool,
    programme: str | None,
) -> None:
    from notifications.slack_blocks import EVENT_TYPE

    for message in recent:
        meta = message.get("metadata") or {}
        named = (meta.get("event_payload") or {}).get("programme")
        ours = meta.get("event_type") == EVENT_TYPE and named in (None, programme)
        if ours and _has_buttons(message, item_id):
            blocks = _marked(message.get("blocks") or [], item_id, text, edit)
            client.chat_update(
                channel=channel,
                ts=str(message["ts"]),
                blocks=blocks,
                text=message.get("text", text),
            )


def _has_buttons(message: dict[str, Any], item_id: str) -> bool:
    """Whether the message still offers the item's answer buttons (or its "Wijzigen")."""
    ids = {answer_block_id(item_id), edit_block_id(item_id)}
    return any(
        b.get("type") == "actions" and b.get("block_id") in ids for b in message.get("blocks") or []
    )


def _marked(
    blocks: list[dict[str, Any]], item_id: str, text: str, edit: bool
) -> list[dict[str, Any]]:
    """The message's blocks with the item's buttons replaced by ``text``; ``edit`` (an
    answer): a "Wijzigen" button under it, and the item's stand from before the answer
    dropped (walk32c 7)."""
    marked: list[dict[str, Any]] = []
    for b in blocks:
        if b.get("block_id") == edit_block_id(item_id):
            continue  # put back below the new line
        if edit and b.get("block_id") == item_block_id(item_id) and b.get("type") == "section":
            marked.append(_without_stand(b))
            continue
        if b.get("block_id") != answer_block_id(item_id):
            marked.append(b)
            continue
        line = {"type": "mrkdwn", "text": text}
        marked.append({"type": "context", "block_id": answer_block_id(item_id), "elements": [line]})
        if edit:
            marked.append(edit_actions(item_id))  # "Wijzigen": the modal, to correct the answer
    return marked


def _without_stand(section: dict[str, Any]) -> dict[str, Any]:
    """The item's section without " · Stand: …" at the end of its Gereed line (the label
    from the item templates: a message posted before reads the same)."""
    from notifications.render import phrase

    text = section.get("text") or {}
    # Not in the first line: the item's title, which might contain the words.
    title, _, rest = str(text.get("text", "")).partition("\n")
    label = re.escape(phrase("item_stand.j2", "label"))
    rest = re.sub(rf" · {label} [^\n]*$", "", rest, count=1, flags=re.MULTILINE)
    return {**section, "text": {**text, "text": f"{title}\n{rest}" if rest else title}}


def resolve_contact(
    app: App, plan: Plan, user_id: str, lookup: Callable[[str], str | None] | None
) -> str | None:
    """The contact behind a Slack user: the id in the plan, else the cached resolution, else
    the address the sender found the user by (``users.lookupByEmail``, kept in
    ``slack_lookups``), else the address ``lookup`` (``users.info``) gives now, matched against
    the contacts' e-mail or Slack e-mail (:class:`regie.slack_client.LookupFailed` passes
    through: a look-up that failed is not an unknown person). A cached resolution
    holds only while that contact still has the address it was made through: when the plan
    gives the contact id another e-mail (a successor) the user is looked up again, so the
    predecessor's Slack account no longer answers for the id."""
    from regie.services import utcnow
    from store.answers import forget_slack_user, slack_contact
    from store.slack_lookups import addresses_of

    if not user_id:
        return None
    for c in plan.contacts:
        if c.slack == user_id:
            return c.id
    with app.session() as session:
        cached = slack_contact(session, plan.programme.id, user_id)
    if cached is not None:
        holder = plan.contact(cached.contact_id)  # a renamed contact's old id: theirs too
        # (a resolution stored without an address, which Regie itself never makes, is kept)
        if holder is not None and (cached.email is None or cached.email in _addresses(holder)):
            return holder.id
        with writing(app), app.session() as session, session.begin():
            forget_slack_user(session, plan.programme.id, user_id)
    with app.session() as session:
        known = addresses_of(session, user_id, utcnow())
    for email in known:
        if found := _remember(app, plan, user_id, email):
            return found
    looked_up = lookup(user_id) if lookup else None
    return _remember(app, plan, user_id, looked_up) if looked_up else None


def _known_contact(app: App, plan: Plan, user_id: str) -> str | None:
    """:func:`resolve_contact` without a live look-up (a modal opens within 3 s); None when
    Regie cannot name the user now, or a look-up failed."""
    from regie.slack_client import LookupFailed

    try:
        return resolve_contact(app, plan, user_id, None)
    except LookupFailed:
        return None


def _remember(app: App, plan: Plan, user_id: str, email: str) -> str | None:
    """The contact whose address ``email`` is, its resolution remembered; None: nobody's."""
    from regie.services import utcnow
    from store.answers import remember_slack_user

    email = email.strip().lower()
    for c in plan.contacts:
        if email in _addresses(c):
            with writing(app), app.session() as session, session.begin():
                remember_slack_user(session, plan.programme.id, user_id, c.id, email, utcnow())
            return c.id
    return None


def _addresses(person: Contact) -> set[str]:
    """The e-mail addresses a Slack user may be resolved to ``person`` through."""
    return {a.strip().lower() for a in (person.email, person.slack) if a}


def _text(value: Any, key: str) -> str:
    if isinstance(value, dict):
        found = value.get(key)
        if isinstance(found, str):
            return found[:64]
    return ""


def _metadata(raw: Any) -> dict[str, str]:
    try:
        meta = json.loads(raw) if isinstance(raw, str) else None
    except ValueError:
        meta = None
    if not isinstance(meta, dict) or not all(
        isinstance(meta.get(k), str) for k in ("item", "channel", "ts")
    ):
        raise Malformed("private_metadata is not ours")
    return {k: str(meta[k])[:64] for k in ("item", "channel", "ts")}


def _carried(app: App, plan: Plan, view: dict[str, Any]) -> list[tuple[date | None, date | None]]:
    """The (expected date, date finished) a "Wijzigen" modal was filled in with: those of the
    answer it changes; nothing for a modal that gives a new answer."""
    from store import Repository

    changes = _changes(view.get("private_metadata"))
    if changes is None:
        return []
    with app.session() as session:
        changed = Repository(session, plan.programme.id).status_update(changes)
    return [] if changed is None else [(changed.forecast, changed.completed_on)]


def _changes(raw: Any) -> int | None:
    """The answer a "Wijzigen" modal changes (its metadata's ``changes``), None for a modal
    that gives a new answer (or whose metadata says nothing readable about it)."""
    try:
        meta = json.loads(raw) if isinstance(raw, str) else None
    except ValueError:
        return None
    found = meta.get("changes") if isinstance(meta, dict) else None
    return int(found) if isinstance(found, str) and found.isdigit() and len(found) < 19 else None


def _value(values: dict[str, Any], block: str) -> dict[str, Any]:
    found = values.get(block)
    if isinstance(found, dict):
        inner = found.get("value")
        if isinstance(inner, dict):
            return inner
    return {}


def _selected(values: dict[str, Any], block: str) -> str:
    option = _value(values, block).get("selected_option")
    return str(option.get("value", "")) if isinstance(option, dict) else ""


def _picked(values: dict[str, Any], block: str, errors: dict[str, str]) -> date | None:
    raw = _value(values, block).get("selected_date")
    if raw in (None, ""):
        return None
    try:
        if not isinstance(raw, str) or len(raw) != 10:
            raise ValueError
        return date.fromisoformat(raw)
    except ValueError:
        errors[block] = modal_text("choose_date")
        return None


def _input(values: dict[str, Any], block: str) -> str:
    raw = _value(values, block).get("value")
    return raw if isinstance(raw, str) else ""
