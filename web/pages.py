"""The office's pages: login, overview, overdue list, item history, calendar tokens."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from regie.users import SESSION_HOURS, LoggedIn
from web.security import (
    CSRF_FIELD,
    clear_session_cookie,
    csrf_ok,
    csrf_token,
    session_token,
    set_nonce_cookie,
    set_session_cookie,
)
from web.templating import root

FAILED_LOGIN_DELAY = 1.0  # seconds, on every failed login (the lockout comes on top)
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'none'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
}


def _now() -> Any:
    from regie.services import utcnow

    return utcnow()


def render(
    request: Request, name: str, context: dict[str, Any], *, status: int = 200,
    user: LoggedIn | None = None, anonymous: bool = False,
) -> Response:  # fmt: skip
    context = {
        "user": user.display_name if user else None,
        "csrf_token": csrf_token(request, anonymous=anonymous),
        "nav": "",
        **programme_titles(request),
        **context,
    }
    response = request.app.state.templates.TemplateResponse(
        request, name, context, status_code=status, headers=SECURITY_HEADERS
    )
    set_nonce_cookie(request, response)
    return response  # type: ignore[no-any-return]


def programme_titles(request: Request) -> dict[str, str | None]:
    """The programme's (short) title every office page carries in its title and header, and
    its full title (the footer's), from the plan file (parsed once per version); "Regie" and
    None while the file cannot be read, so that an error page can still be shown."""
    from regie.errors import RegieError
    from regie.plan_cache import current_plan

    try:
        plan, _ = current_plan(request.app.state.regie)
    except RegieError:
        return {"programme_title": "Regie", "programme_full_title": None}
    programme = plan.programme
    return {
        "programme_title": programme.short_title or programme.title,
        "programme_full_title": programme.title,
    }


def error_page(
    request: Request, status: int, error: str, headers: Mapping[str, str] | None = None,
    **values: str,
) -> Response:  # fmt: skip
    """A Dutch page for an address or method we do not serve, in the site's layout; the menu
    shows for a logged-in officer. ``error``: which (its words are ``_errors.html.j2``'s:
    ``page``, ``method`` with the request's ``method``, ``subscription`` …)."""
    response = render(
        request, "not_found.html.j2", {"error": error, **values}, status=status,
        user=_user(request),
    )  # fmt: skip
    response.headers.update(headers or {})
    return response


def _user(request: Request) -> LoggedIn | None:
    from regie.users import current_user

    return current_user(request.app.state.regie, session_token(request), _now())


#: A form's address (POST only) and the page the form is on, where a login after an expired
#: session brings the officer back: not to the form's address, which answers a GET with 405
#: (walk57b 4).
_FORM_PAGES = (
    (re.compile(r"^(.*/items/[^/]+)/corrigeren$"), r"\1#corrigeren"),
    (re.compile(r"^(.*/agenda)/[^/]+/intrekken$"), r"\1"),
)


def _to_login(request: Request) -> Response:
    # The public path (with the site's sub-path): where the browser comes back to.
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    expired = ""
    if request.method == "POST":  # a form sent after the session ended: its page, and said so
        target, expired = request.url.path, "&verlopen=1"
        for form, page in _FORM_PAGES:
            if form.match(target):
                target = form.sub(page, target)
                break
    return RedirectResponse(
        f"{root(request)}/inloggen?volgende={quote(target)}{expired}", status_code=303
    )


def _safe_next(request: Request, value: object) -> str:
    text = value if isinstance(value, str) else ""
    if text.startswith("/") and not text.startswith("//") and "\\" not in text:
        return text
    return f"{root(request)}/"


async def officer_post(request: Request) -> tuple[FormData, LoggedIn] | Response:
    """A logged-in officer's POST: its form and user, or the response that ends it here (the
    login page without a login, a refusal without the session's CSRF token). One place for both
    checks, so no form handler can forget one. A body too large or malformed to read is refused
    first (:func:`office_form`)."""
    form = await office_form(request)
    if isinstance(form, Response):
        return form
    user = await run_in_threadpool(_user, request)
    if user is None:
        return _to_login(request)
    if not csrf_ok(request, form.get(CSRF_FIELD)):
        return _refused(request)
    return form, user


async def office_form(request: Request) -> FormData | Response:
    """The posted form of an office page, or the Dutch page refusing a body too large (413) or
    malformed (400) to read (:mod:`web.forms`, as the answer form refuses it)."""
    from web.forms import OFFICE_FORM_BYTES, FormRefused, read_form

    try:
        return await read_form(request, OFFICE_FORM_BYTES)
    except FormRefused as exc:
        if exc.status != 413:
            return await run_in_threadpool(error_page, request, exc.status, "form")
        from governance.answers import NOTE_MAX
        from governance.dutch import dutch_number

        # Says what was wrong and the limits, as the answer page does (walk57b 10).
        return await run_in_threadpool(
            error_page, request, 413, "form_too_large",
            limit=dutch_number(OFFICE_FORM_BYTES), note_max=dutch_number(NOTE_MAX),
        )  # fmt: skip


def _refused(request: Request) -> Response:
    return render(
        request, "refused.html.j2", {"title": "Verzoek geweigerd"}, status=403,
        user=None,
    )  # fmt: skip


# --- login ------------------------------------------------------------------------------------


def login_form(request: Request) -> Response:
    return render(
        request, "login.html.j2",
        {
            "error": None, "missing": [], "username": "",
            "next": _safe_next(request, request.query_params.get("volgende")),
        },
        anonymous=True,
    )  # fmt: skip


async def login(request: Request) -> Response:
    from sqlalchemy.exc import OperationalError

    from regie.users import log_in
    from web.limits import BUSY_RETRY_SECONDS

    form = await office_form(request)
    if isinstance(form, Response):
        return form
    if not csrf_ok(request, form.get(CSRF_FIELD), anonymous=True):
        return _refused(request)
    username = str(form.get("gebruikersnaam") or "")
    password = str(form.get("wachtwoord") or "")
    next_url = _safe_next(request, form.get("volgende"))
    missing = [name for name, value in (("gebruikersnaam", username), ("wachtwoord", password))
               if not value]  # fmt: skip
    if missing:  # said at the fields, in Dutch (the form has novalidate: walk58c 4); no attempt
        return render(
            request, "login.html.j2",
            {"error": "missing", "missing": missing, "username": username, "next": next_url},
            status=400, anonymous=True,
        )  # fmt: skip
    try:
        token = await run_in_threadpool(log_in, request.app.state.regie, username, password, _now())
    except OperationalError:
        # A busy (SQLite locked past its timeout) or unreachable database: 503 "try again", as
        # web.answers.busy_guard, never a 500. log_in checks no password before the attempt
        # is counted, so this answer tells nothing; it waits as long as a failure does.
        await run_in_threadpool(time.sleep, FAILED_LOGIN_DELAY)
        busy = render(
            request, "login.html.j2",
            {"error": "busy", "missing": [], "username": username, "next": next_url},
            status=503, anonymous=True,
        )  # fmt: skip
        busy.headers["Retry-After"] = str(BUSY_RETRY_SECONDS)
        return busy
    if token is None:
        await run_in_threadpool(time.sleep, FAILED_LOGIN_DELAY)
        return render(
            request, "login.html.j2",
            {"error": "failed", "missing": [], "username": username, "next": next_url},
            status=401, anonymous=True,
        )  # fmt: skip
    response = RedirectResponse(next_url, status_code=303)
    set_session_cookie(request, response, token, SESSION_HOURS * 3600)
    return response


async def logout(request: Request) -> Response:
    from regie.users import log_out

    form = await office_form(request)
    if isinstance(form, Response):
        return form
    if not csrf_ok(request, form.get(CSRF_FIELD)):
        return _refused(request)
    await run_in_threadpool(log_out, request.app.state.regie, session_token(request), _now())
    response = RedirectResponse(f"{root(request)}/inloggen?uitgelogd=1", status_code=303)
    clear_session_cookie(request, response)
    return response


# --- pages ------------------------------------------------------------------------------------


def overview(request: Request) -> Response:
    from regie.office import overview as build
    from regie.office import today

    user = _user(request)
    if user is None:
        return _to_login(request)
    app = request.app.state.regie
    q = request.query_params
    data = build(
        app, today(app), q.get("eigenaar", ""), q.get("stap", ""), q.get("status", ""),
        q.get("pagina", ""), q.get("verouderd", ""),
    )  # fmt: skip
    return render(
        request, "overview.html.j2",
        {"o": data, "nav": "overzicht", "as_of": data.as_of},
        status=400 if data.problems else 200, user=user,
    )  # fmt: skip


def _overdue_view(request: Request, *, every_row: bool = False) -> Any:
    from regie.office import overdue as build
    from regie.office import today

    app = request.app.state.regie
    q = request.query_params
    return build(
        app, today(app), q.get("stap", ""), q.get("pagina", ""), owner=q.get("eigenaar", ""),
        stale=q.get("verouderd", ""), sort=q.get("sorteer", ""), every_row=every_row,
    )  # fmt: skip


def overdue(request: Request) -> Response:
    user = _user(request)
    if user is None:
        return _to_login(request)
    view = _overdue_view(request)
    return render(
        request, "overdue.html.j2",
        {"v": view, "nav": "te-laat", "as_of": view.as_of},
        status=400 if view.problems else 200, user=user,
    )  # fmt: skip


def overdue_csv(request: Request) -> Response:
    """The overdue list as filtered and sorted on the page, every row (walk57c 1)."""
    from regie.overdue_csv import overdue_csv as as_csv

    user = _user(request)
    if user is None:
        return _to_login(request)
    view = _overdue_view(request, every_row=True)
    if view.problems:  # the page says which filter is wrong; no file of something else
        return render(
            request, "overdue.html.j2", {"v": view, "nav": "te-laat", "as_of": view.as_of},
            status=400, user=user,
        )  # fmt: skip
    return Response(
        as_csv(view),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="te-laat-{view.as_of.isoformat()}.csv"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


def item(request: Request) -> Response:
    user = _user(request)
    if user is None:
        return _to_login(request)
    return item_page(request, user, str(request.path_params["item_id"]))


def item_page(
    request: Request, user: LoggedIn, item_id: str, form: Any = None, *, status: int = 200
) -> Response:
    """The item page; ``form``: the "Corrigeren" form as posted, with its errors (None: the
    form starts from the item's latest update)."""
    from governance.answers import OFFICE  # the author an office's own update is stored under
    from governance.corrections import corrected_by
    from regie.item_reminders import grouped_events, reminder_groups
    from regie.office import item_detail, today
    from web.answers import STATUS_LABELS
    from web.correction_form import STATUSES, start_form

    app = request.app.state.regie
    detail = item_detail(app, item_id, today(app))
    if detail is None:
        return render(
            request, "not_found.html.j2", {"error": "item"}, status=404,
            user=user,
        )  # fmt: skip
    if form is None and detail.left_on is None:  # an item out of the plan takes no updates
        form = start_form(detail.updates[0] if detail.updates else None)
    return render(
        request, "item.html.j2",
        {"d": detail, "as_of": detail.as_of, "bodies": _body_names(app),
         "people": _contact_names(app), "decisions": _item_decisions(app, detail.row.id),
         "owner_names": _owner_names(app),
         "office_author": OFFICE.name, "fix": form, "fix_statuses": STATUSES,
         "fix_labels": STATUS_LABELS,
         "by_id": {u.id: u for u in detail.updates},
         "reminder_groups": reminder_groups(detail.reminders),
         "event_rows": grouped_events(detail.events),
         "corrected_by": corrected_by(detail.updates)},
        user=user, status=status,
    )  # fmt: skip


def _item_decisions(app: Any, item_id: str) -> list[Any]:
    """The decisions about the item and, for a milestone, about its action (a drop or restore of
    the action drops or restores its milestones): oldest meeting first (regie.decisions)."""
    from regie.decisions import decision_rows
    from regie.history import decisions_recorded
    from regie.plan_cache import current_plan

    plan, _ = current_plan(app)
    parents = [a.id for a in plan.actions() if any(m.id == item_id for m in a.milestones)]
    names = {b.id: b.name for b in plan.governance}
    return decision_rows(decisions_recorded(app, None), names, items=[item_id, *parents])


def _body_names(app: Any) -> dict[str, str]:
    """Governance body id → name: a decision's status update names its body by id (the item
    page shows the name, as packs and reports do)."""
    from regie.plan_cache import current_plan

    plan, _ = current_plan(app)
    return {b.id: b.name for b in plan.governance}


def _owner_names(app: Any) -> Callable[[Iterable[str]], list[str]]:
    """:meth:`Plan.owner_names`: a plan revision records owners by id; the item page shows them
    as the rows above it do."""
    from regie.plan_cache import current_plan

    plan, _ = current_plan(app)
    return plan.owner_names


def _contact_names(app: Any) -> dict[str, str]:
    """Contact id → name: updates and reminders record a contact by id; the item page shows
    the name, as the mails and the answer form do (the id muted beside it)."""
    from regie.plan_cache import current_plan

    plan, _ = current_plan(app)
    return {c.id: c.name for c in plan.contacts}


def _agenda(request: Request, user: LoggedIn, **extra: Any) -> Response:
    from regie.feeds import LABEL_MAX, list_tokens
    from web.scope_form import plan_choices, scope_names

    app = request.app.state.regie
    tokens = list_tokens(app)
    choices = plan_choices(app)  # the "Bereik" picker (None: a broken plan file)
    new = extra.get("new")
    scopes = [t["scope"] for t in tokens] + ([new.scope] if new is not None else [])
    context = {
        "tokens": tokens,
        "choices": choices,
        # Each subscription's scope by name (the raw code only beside it).
        "scope_names": scope_names(scopes, choices),
        "nav": "agenda",
        "new": None,
        "problem": None,  # a ScopeProblem: what is wrong with the "Bereik" given
        "scope": "programme",
        "label": "",
        "label_max": LABEL_MAX,
        "label_too_long": False,  # the description is longer than LABEL_MAX
        "label_invisible": "",  # or a character it may not hold, in Dutch (walk57b 7)
        **extra,
    }
    refused = context["problem"] or context["label_too_long"]
    return render(request, "agenda.html.j2", context, user=user,
                  status=400 if refused else 200)  # fmt: skip


def agenda(request: Request) -> Response:
    user = _user(request)
    if user is None:
        return _to_login(request)
    return _agenda(request, user)


async def agenda_create(request: Request) -> Response:
    from governance.characters import describe_nl, refused_character
    from regie.errors import InvalidInput
    from regie.feeds import LABEL_MAX, create_token
    from web.answers import current_plan
    from web.scope_form import scope_problem

    posted = await officer_post(request)
    if isinstance(posted, Response):
        return posted
    form, user = posted
    scope = str(form.get("bereik") or "").strip()
    # A one-line field: line breaks and tabs a crafted post may carry become spaces; a
    # direction-changing or control character is the field's error (walk57b 7).
    label = " ".join(str(form.get("omschrijving") or "").split()) or None
    refused = refused_character(label) if label is not None else None
    invisible = describe_nl(refused[1]) if refused else ""
    app = request.app.state.regie
    plan = await run_in_threadpool(current_plan, app)
    problem = scope_problem(scope, plan)
    too_long = label is not None and (len(label) > LABEL_MAX or bool(invisible))
    if problem is None and not too_long:
        try:
            made = await run_in_threadpool(create_token, app, scope, label, _now())
        except InvalidInput:  # the plan changed meanwhile: say why, unless not the scope
            plan = await run_in_threadpool(current_plan, app)
            problem = scope_problem(scope, plan)
            if problem is None:
                raise  # another problem (a broken plan file): the app's 503 page
        else:
            return await run_in_threadpool(_agenda, request, user, new=made)
    return await run_in_threadpool(
        _agenda, request, user, problem=problem, scope=scope, label=label or "",
        label_too_long=too_long, label_invisible=invisible,
    )  # fmt: skip


async def agenda_revoke(request: Request) -> Response:
    from regie.errors import InvalidInput
    from regie.feeds import revoke_token
    from web.forms import row_id

    posted = await officer_post(request)
    if isinstance(posted, Response):
        return posted
    try:
        token_id = row_id(str(request.path_params["token_id"]))
        await run_in_threadpool(revoke_token, request.app.state.regie, token_id, _now())
    except (ValueError, InvalidInput):  # the Dutch not-found page, as any unknown address
        return await run_in_threadpool(error_page, request, 404, "subscription")
    return RedirectResponse(f"{root(request)}/agenda", status_code=303)
