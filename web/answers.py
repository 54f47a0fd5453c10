"""Answer links from reminder e-mails: GET shows a short Dutch form, only POST stores.

Mail scanners open every link, so GET never stores anything (not even a refusal). Every refusal
is a Dutch page with its own status code; no input gives a 500.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from governance.answers import NOTE_MAX, AnswerInput, Problem, Refusal
from notifications.words import ANSWER_STATUSES, status_label, status_labels
from regie.texts import date_text, form_words, problem_text, refusal_text

if TYPE_CHECKING:
    from governance.answers import FieldProblem
    from governance.plan import Plan
    from governance.updates import StatusUpdate
    from regie.bootstrap import App

#: The statuses the form offers, with their labels (notifications/templates/answer_words.txt.j2).
STATUS_CHOICES = tuple((status, status_label(status)) for status in ANSWER_STATUSES)
#: HTTP status per refusal: the page is the same kind either way, the code tells tools why.
REFUSAL_STATUS = {
    Refusal.LINK_TAMPERED: 404,
    Refusal.LINK_FOREIGN: 403,
    Refusal.LINK_DEPARTED: 410,  # its contact left the plan
    Refusal.LINK_SUCCESSOR: 403,  # sent to the contact id's previous address
    Refusal.LINK_USED: 409,
    Refusal.LINK_REPLACED: 410,
    Refusal.LINK_EXPIRED: 410,
    Refusal.NOT_OWNER: 403,
    Refusal.UNKNOWN_CONTACT: 403,
    Refusal.OFFICE_ONLY: 403,
    Refusal.UNKNOWN_ITEM: 404,
    Refusal.LINK_REMOVED: 410,  # the item left the plan
    Refusal.LINK_OWNER_CHANGED: 403,  # the plan no longer lets its holder answer for the item
    Refusal.ITEM_CANCELLED: 409,  # the item is vervallen: nothing to answer
    Refusal.ITEM_DONE: 409,
}
FIELDS = ("status", "note", "forecast", "completed_on", "csrf_token", "confirm", "unchanged")


def routes() -> list[Route]:
    return [Route("/antwoord/{token}", answer_link, methods=["GET", "POST"])]


def current_plan(regie: App) -> Plan:
    """The plan, parsed again only when the file changed (:mod:`regie.plan_cache`)."""
    from regie.plan_cache import current_plan as cached

    return cached(regie)[0]


async def answer_link(request: Request) -> Response:
    from starlette.concurrency import run_in_threadpool

    regie: App = request.app.state.regie
    token = request.path_params["token"]
    if request.method == "GET":
        return await run_in_threadpool(busy_guard, _show, request, regie, token)
    from web.forms import ANSWER_FORM_BYTES, FormRefused, read_form

    try:
        form = await read_form(request, ANSWER_FORM_BYTES)
    except FormRefused as exc:  # too large or malformed: a refused form, not a 500
        return _refused(request, Refusal.INVALID, exc.status)
    fields = {k: v for k, v in form.items() if isinstance(v, str) and k in FIELDS}
    from web.limits import answer_slots

    async with answer_slots(request):  # first come, first served (see web.limits)
        return await run_in_threadpool(busy_guard, _post, request, regie, token, fields)


def busy_guard(handler: Any, request: Request, *args: Any) -> Response:
    """A database that is busy (another process holds SQLite's lock too long) or unreachable is
    a 503 'try again', never a 500: nothing was stored, the link still works. ``Retry-After``
    tells a browser or tool when (RFC 9110 §10.2.3)."""
    from sqlalchemy.exc import OperationalError

    from web.limits import BUSY_RETRY_SECONDS

    try:
        response: Response = handler(request, *args)
    except OperationalError:
        busy = _refused(request, Refusal.BUSY, 503)
        busy.headers["Retry-After"] = str(BUSY_RETRY_SECONDS)
        return busy
    return response


def _show(request: Request, regie: App, token: str) -> Response:
    from governance.clock import utcnow
    from regie.answer_links import LinkRefused, check_link
    from web.answer_change import own_answer

    plan = current_plan(regie)
    try:
        view = check_link(regie, plan, token, utcnow())
    except LinkRefused as exc:
        return _refused(request, exc.reason, refusal=exc)
    return _form(
        request, plan, view, own_answer(view) or _preselected(request, regie, plan, view), {}
    )


def _preselected(request: Request, regie: App, plan: Plan, view: Any) -> dict[str, str]:
    """``?status=…`` from a quick link in a mail: that choice checked on the form, if it may
    be preselected for this item (:func:`regie.answer_links.quick_statuses`); else nothing."""
    from regie.answer_links import quick_statuses

    wanted = request.query_params.get("status", "")
    return {"status": wanted} if wanted in quick_statuses(_overdue(regie, plan, view)) else {}


def _post(request: Request, regie: App, token: str, fields: dict[str, str]) -> Response:
    from governance.clock import utcnow
    from regie.answer_links import LinkRefused, answer_by_link, check_link
    from regie.answers import AnswerRefused
    from regie.services import today

    plan = current_plan(regie)
    now = utcnow()
    refused: LinkRefused | None = None
    try:
        view = check_link(regie, plan, token, now)
    except LinkRefused as exc:
        view, refused = None, exc
    errors: dict[str, str] = {}
    if "unchanged" in fields:  # "Geen wijziging": the latest answer again, as of today
        fields = _unchanged(regie, plan, view, fields)
    status = fields.get("status", "")
    if status not in {s for s, _ in STATUS_CHOICES}:
        errors["status"] = form_words("choose_status")
    overdue = view is not None and _overdue(regie, plan, view)
    # Each error names its field as the form labels it (an overdue item asks a new date).
    forecast_label = form_words("label_new_date" if overdue else "label_forecast")
    year = today(regie, plan).year  # the hint's example date: the end of this year
    forecast = _date(fields.get("forecast", ""), forecast_label, "forecast", errors, year)
    completed_label = form_words("label_completed_on")
    completed_on = _date(
        fields.get("completed_on", ""), completed_label, "completed_on", errors, year
    )
    if view is not None:  # a correction form's dates the chosen status takes none of
        from web.answer_change import without_carried

        dates = (forecast, completed_on)
        forecast, completed_on = without_carried(regie, plan, view, status, dates)
    note = fields.get("note", "").replace("\r\n", "\n")
    shown = _shown(fields, errors, {"forecast": forecast, "completed_on": completed_on})
    # After ``shown``: a date read but refused is put back as the date input shows it.
    # On an overdue item "Op schema" is "met de nieuwe datum hierboven": without that date it
    # is refused at the field, as Slack's "Nieuwe datum…" is (Risico may come without one).
    if view is not None and "forecast" not in errors and overdue:
        from governance.new_date import new_date_problem

        required = status == "on_track"
        max_years = plan.reminders.new_date_max_years
        problem = new_date_problem(
            forecast, today(regie, plan), required=required, max_years=max_years
        )
        if problem:
            errors["forecast"] = form_words(
                "field_problem", label=forecast_label, problem=date_text(problem, max_years)
            )
    # "Risico" on an overdue item is "loopt vast": it says what (the rule the answer is stored
    # under, checked here too so the form shows it beside any date error).
    if view is not None and overdue and "note" not in errors:
        from governance.answers import blocked_note_problem

        stuck = blocked_note_problem(view.item, view.latest, status, note, today(regie, plan))
        if stuck:
            errors["note"] = _field_sentence(stuck, {})
    # The day it was finished: as Slack's "Gereed…" checks it (not after today, not more
    # than new_date_max_years back). An unreadable date is None here, its error already set.
    if view is not None and status == "done":
        from governance.new_date import done_date_problem

        on = today(regie, plan)
        max_years = plan.reminders.new_date_max_years
        late = done_date_problem(completed_on, on, max_years)
        if late:
            said = date_text(late, max_years)
            errors["completed_on"] = form_words(
                "field_problem", label=completed_label, problem=said
            )
    if status == "done" and completed_on is None and "completed_on" not in errors:
        completed_on = today(regie, plan)
    if refused is not None:  # shown back, so what was typed is not lost
        typed = _typed(fields, status)
        if errors:  # malformed fields for a link that cannot be answered: no trace
            return _refused(request, refused.reason, typed=typed, refusal=refused)
    if errors:
        assert view is not None
        return _form(request, plan, view, shown, errors)
    confirmed = fields.get("confirm", "") == "ja"
    if view is not None and _needs_confirm(plan, view, status) and not confirmed:
        errors["confirm"] = form_words("confirm_error")
        return _form(request, plan, view, shown, errors)
    answer = AnswerInput(
        item_id=view.item.item_id if view else "",
        status=status,
        forecast=forecast,
        completed_on=completed_on,
        note=note or None,
    )
    try:
        recorded = answer_by_link(
            regie,
            plan,
            token,
            fields.get("csrf_token", ""),
            answer,
            now=now,
            as_of=today(regie, plan),
            checked=view,
            confirmed=confirmed,
        )
    except AnswerRefused as exc:
        if exc.problems and view is not None:
            labels = {"forecast": forecast_label, "completed_on": completed_label}
            errors = {p.field: _field_sentence(p, labels) for p in exc.problems}
            return _form(request, plan, view, shown, errors)
        if exc.reason in (Refusal.ITEM_DONE, Refusal.ITEM_CANCELLED):  # changed meanwhile
            try:
                view = check_link(regie, plan, token, utcnow())
            except LinkRefused as again:
                return _refused(request, again.reason, typed=_typed(fields, status), refusal=again)
            return _form(request, plan, view, shown, {"confirm": form_words("confirm_error")})
        return _refused(request, exc.reason, typed=_typed(fields, status), refusal=exc)
    assert view is not None
    from regie.answer_links import other_links

    update = recorded.update
    due = view.item.period.end if view.item.period else None
    open_ = update.status.value in ("on_track", "at_risk")
    return _render(
        request,
        "answer_done.html.j2",
        200,
        plan,
        item=view.item,
        name=view.contact_name,
        status_label=dict(STATUS_CHOICES)[status],
        update=update,
        due=due,
        slipped=open_ and due is not None and update.forecast is not None and update.forecast > due,
        overdue_without_date=(
            open_ and due is not None and due < update.reported_on and update.forecast is None
        ),
        correction=recorded.extra.get("correction"),
        correction_until=recorded.extra.get("correction_until"),
        office=_office(plan),
        finished=status == "done",  # no more reminders about it, so no new link either
        # A deputy gets no reminders, only escalations: no "next reminder" (walk54b 7).
        deputy=_deputy(plan, view),
        # The same message's other items, each with the link the mail holds: one message, one
        # sitting, not one mail link at a time.
        others=other_links(regie, plan, token, now),
    )


def _deputy(plan: Plan, view: Any) -> bool:
    """Whether the link's holder answers its item as a deputy (Slack's "(plaatsvervanger)")."""
    from governance.answers import answers_as_deputy, contact

    person = contact(plan, view.contact_id)
    return person is not None and answers_as_deputy(person, view.item)


#: What a date field holds: the form's date control sends ISO (2016-03-31); a browser without
#: one, or a person following the hint, gives day-month-year (31-3-2016, 31/03/2016, 31.03.2016);
#: a person copying a mail's or page's date writes it in words (31 maart 2016, 31 mrt 2016:
#: governance.periods.parse_day, the plan's own reading of one day, walk56b 6).
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DMY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
SHOWN_MAX = 40  # a rejected value is quoted in its error up to this many characters


def _date(value: str, label: str, name: str, errors: dict[str, str], year: int) -> date | None:
    value = value.strip()
    if not value:
        return None
    iso, dmy = _ISO.fullmatch(value), _DMY.fullmatch(value)
    try:
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        if dmy:
            return date(int(dmy[3]), int(dmy[2]), int(dmy[1]))
    except ValueError:
        pass
    from governance.periods import parse_day

    if (day := parse_day(value)) is not None:
        return day
    # A date input cannot show what it rejected (it would look empty next to its error):
    # the error quotes it instead.
    shown = value if len(value) <= SHOWN_MAX else value[: SHOWN_MAX - 1] + "…"
    errors[name] = form_words("not_a_date", label=label, shown=shown, year=year)
    return None


def _shown(
    fields: dict[str, str], errors: dict[str, str], dates: dict[str, date | None]
) -> dict[str, str]:
    """The values the form shows again. A date input shows only ISO: a date read is given back
    as ISO, a rejected one is left out (its error quotes it)."""
    shown = dict(fields)
    for name, value in dates.items():
        if name in errors:
            shown.pop(name, None)
        elif value is not None:
            shown[name] = value.isoformat()
    return shown


def _repeatable(regie: App, plan: Plan, view: Any) -> StatusUpdate | None:
    """The latest update a "Geen wijziging" would record again (same status, same expected
    date, as of today), or None when there is nothing to repeat: no answer yet, a correction
    link (that form is for changing), an item finished, or one that needs a new date first (past
    its deadline without a date ahead, or an expected date already past)."""
    from regie.services import today

    latest: StatusUpdate | None = view.latest
    if view.correction or latest is None or latest.status.value not in ("on_track", "at_risk"):
        return None
    if _overdue(regie, plan, view):
        return None
    if latest.forecast is not None and latest.forecast < today(regie, plan):
        return None
    return latest


def _unchanged(regie: App, plan: Plan, view: Any, fields: dict[str, str]) -> dict[str, str]:
    """The form's fields for "Geen wijziging": the latest answer's status and expected date,
    if the update the button was shown for (its id in ``unchanged``) is still the latest and
    may be repeated, and its note (:func:`regie.answers.repeated_note`). Otherwise no status:
    the form comes back (with the item's state as it is now) asking for one."""
    from regie.answers import repeated_note

    kept = {"csrf_token": fields["csrf_token"]} if "csrf_token" in fields else {}
    latest = _repeatable(regie, plan, view) if view is not None else None
    if latest is None or str(latest.id) != fields.get("unchanged", ""):
        return kept
    kept["status"] = latest.status.value
    if latest.forecast is not None:
        kept["forecast"] = latest.forecast.isoformat()
    note = repeated_note(regie, plan.programme.id, latest, view.contact_id)
    if note is not None:  # nothing changed: the explanation neither (review9 4)
        kept["note"] = note
    return kept


def _needs_confirm(plan: Plan, view: Any, status: str) -> bool:
    """Whether this answer would reopen an item someone else reported gereed."""
    from governance.answers import Answerer, standing_refusal

    who = Answerer(view.contact_id, view.contact_name)
    return standing_refusal(plan, who, view.latest, status, False) is Refusal.ITEM_DONE


def _overdue_choices() -> tuple[tuple[str, str], ...]:
    """The statuses on an overdue item, worded for what each then means: the new date (asked
    first on its form) goes with *Op schema*; *Risico* is "it is stuck"."""
    return (
        ("on_track", form_words("overdue_on_track")),
        ("at_risk", form_words("overdue_at_risk")),
        ("done", dict(STATUS_CHOICES)["done"]),
    )


def _office(plan: Plan | None) -> Any:
    """The programme office's contact the pages name (the first with an e-mail address)."""
    if plan is None:
        return None
    offices = [c for c in plan.contacts if c.programme_office]
    return next((c for c in offices if c.email), offices[0] if offices else None)


def _typed(fields: dict[str, str], status: str) -> dict[str, str]:
    """What a refused form held, to show back (never stored: see answer_refused.html.j2)."""
    typed = {k: fields.get(k, "").strip() for k in ("forecast", "completed_on", "note")}
    typed["status"] = dict(STATUS_CHOICES).get(status, "")
    return typed if any(typed.values()) else {}


def _overdue(regie: App, plan: Plan, view: Any) -> bool:
    """Whether the link's item is past its deadline, not finished and without a new date
    still ahead (the form then asks the new date first)."""
    from governance.answers import overdue_without_date
    from regie.services import today

    return overdue_without_date(view.item, view.latest, today(regie, plan))


def _note_body(plan: Plan) -> str | None:
    """The body whose meeting papers may quote a note: the plan's steering body, by name."""
    from governance.reminders import steering_body

    body = steering_body(plan)
    return body.name if body is not None else None


def _form(
    request: Request, plan: Plan, view: Any, values: dict[str, str], errors: dict[str, str]
) -> Response:
    from governance.answers import standing
    from governance.new_date import earliest_done, latest_allowed
    from regie.note_readers import standing_for
    from regie.rounds import link_round
    from regie.services import today
    from web.answer_change import changes_own

    regie: App = request.app.state.regie
    state = standing_for(plan, view.latest, view.contact_id)  # another's note: not shown
    overdue = _overdue(regie, plan, view)
    now = today(regie, plan)
    earliest = earliest_done(now, plan.reminders.new_date_max_years)
    repeat = _repeatable(regie, plan, view)
    return _render(
        request,
        "answer_form.html.j2",
        422 if errors else 200,
        plan,
        view=view,
        choices=_overdue_choices() if overdue else STATUS_CHOICES,
        values=values,
        errors=errors,
        standing=state,
        status_labels=STATUS_LABELS,
        overdue=overdue,
        # An item without a deadline (doorlopend, Ntb) cannot run later than it (walk49 7).
        has_deadline=_has_deadline(regie, plan, view, now),
        today_iso=now.isoformat(),
        # What the date pickers offer (the server checks the same: a typed date too).
        latest_new_iso=latest_allowed(now, plan.reminders.new_date_max_years).isoformat(),
        done_from=earliest,
        needs_confirm=_needs_confirm(plan, view, "on_track"),
        # A correction link: whether it still changes the person's own answer (README
        # "Corrections"); else the form says it comes after someone else's (walk56b 4).
        own_change=changes_own(regie, plan, view),
        note_body=_note_body(plan),
        date_hint=form_words("date_hint", year=now.year),
        # A status round's link: by when, and for which meeting (None for another link).
        asked_by=link_round(regie, plan, view.outbox_key, now),
        # "Geen wijziging": the update it repeats (None: not offered).
        repeat=repeat,
        repeat_standing=standing(plan, repeat) if repeat is not None else None,
        repeat_note=_repeat_note(regie, plan, view, repeat),
    )


def _has_deadline(regie: App, plan: Plan, view: Any, as_of: date) -> bool:
    """Whether the item has a deadline: its plan's own date, else the one the reminders use,
    the assessed due date (a dependent item's, once its dependencies are done; review49b 1)."""
    from regie.office import shared_assessment

    period = view.item.period
    if period is not None and period.end is not None:
        return True
    with regie.session() as session:
        judged = shared_assessment(regie, session, plan, as_of).items.get(view.item.item_id)
    return judged is not None and judged.due is not None


def _repeat_note(regie: App, plan: Plan, view: Any, repeat: StatusUpdate | None) -> str | None:
    """What "Geen wijziging" does with the repeated update's note, as its explanation says:
    ``same`` (carried), ``other`` (someone else's note, not carried: review10a 1) or None (no
    note to speak of)."""
    from regie.answers import repeated_note

    if repeat is None or not repeat.comment:
        return None
    if repeated_note(regie, plan.programme.id, repeat, view.contact_id) is not None:
        return "same"
    return "other" if repeat.author != view.contact_id else None


#: Every status as the pages name it (an item's latest update may be cancelled).
STATUS_LABELS = dict(status_labels())


def _refused(
    request: Request,
    reason: Refusal,
    status: int | None = None,
    *,
    typed: dict[str, str] | None = None,
    refusal: Exception | None = None,
) -> Response:
    from governance.answers import standing
    from regie.note_readers import standing_for

    regie: App = request.app.state.regie
    try:
        plan: Plan | None = current_plan(regie)
    except Exception:  # the page must render even when the plan file is broken
        plan = None
    latest = getattr(refusal, "latest", None)
    used = getattr(refusal, "used", None)
    correction = correction_until = None
    if reason is Refusal.LINK_USED and plan is not None:  # its "Wijzigen", if still allowed
        from governance.clock import utcnow
        from regie.answer_links import open_correction_until

        found = open_correction_until(regie, plan, request.path_params["token"], utcnow())
        if found is not None:
            correction, correction_until = found
    return _render(
        request,
        "answer_refused.html.j2",
        status or REFUSAL_STATUS.get(reason, 400),
        plan,
        reason=reason.value,
        # Without "niet opgeslagen": the page says it, once and only after a POST (posted).
        message=refusal_text(reason, plan.programme if plan is not None else None, posted=False),
        typed=typed or {},
        item=getattr(refusal, "item", None),
        item_id=getattr(refusal, "item_id", None),
        item_title=getattr(refusal, "item_title", None),
        renumbered=getattr(refusal, "renumbered", None),
        standing=(  # a cancelled item's latest answer: a note only for its writer
            standing_for(plan, latest, getattr(refusal, "reader", None))
            if plan is not None and latest is not None
            else None
        ),
        # A used link: the answer it recorded, and the newest when someone answered since.
        used=standing(plan, used) if plan is not None and used is not None else None,
        newer=(
            standing(plan, latest)
            if plan is not None and used is not None and latest is not None and latest.id != used.id
            else None
        ),
        correction=correction,
        correction_until=correction_until,
        # Only a POST can have tried to store something ("niet opgeslagen" after a submit).
        posted=request.method == "POST",
        # A form over web.forms.ANSWER_FORM_BYTES: the page says why, and the note's limit.
        too_large=status == 413,
        note_max=NOTE_MAX,
        status_labels=STATUS_LABELS,
        office=_office(plan),
        # Whether a reply to the mail with the link reaches the office (its Reply-To).
        reply_reaches=plan is not None and regie.mail_reply_to(plan) is not None,
    )


def _render(
    request: Request, template: str, status: int, plan: Plan | None, **context: Any
) -> Response:
    # The short title in the page's title and header, as on the office's pages and in the
    # mails' subjects; the full title once in the text (``programme_full_title``).
    context["programme_title"] = (
        (plan.programme.short_title or plan.programme.title) if plan else "Regie"
    )
    context["programme_full_title"] = plan.programme.title if plan else None
    # An owner's page: the header's title leads nowhere (the site's root is the office's
    # login page, base.html.j2).
    context["owner_page"] = True
    response: Response = request.app.state.templates.TemplateResponse(
        request, template, context, status_code=status
    )
    # The page carries a single-use form: never cached, never sent on as a referrer.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _field_sentence(problem: FieldProblem, labels: dict[str, str]) -> str:
    """A domain problem as its field's error; a date outside the programme's life names its
    field as the other date errors do (both date fields may hold one)."""
    text = problem_text(problem)
    if problem.code is Problem.OUTSIDE_LIFE and problem.field in labels:
        return _sentence(form_words("field_problem", label=labels[problem.field], problem=text))
    return _sentence(text)


def _sentence(text: str) -> str:
    """A field problem as the form's own errors read ("Kies een stand."): capital, full stop.
    The domain's texts are phrases, as Slack's modal shows them under a field."""
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else f"{text}."
