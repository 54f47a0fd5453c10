"""The office corrects an item's latest status update from the item page ("Corrigeren").

Logged-in officers only, with the session's CSRF token. Stored through the one answer use case
(:func:`regie.answers.record_answer` with ``corrects``), as `regie update --corrects` does: the
correction is a new update by the office, the corrected one stays and is marked. A second
submit of the same form (a double click, a reload) finds its update already corrected by an
identical correction and shows that one: one correction, not two, and no error.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from web.correction_form import FIELDS, STATUSES, CorrectionForm
from web.forms import row_id
from web.templating import root

if TYPE_CHECKING:
    from datetime import date

    from regie.bootstrap import App

#: The refusals that mean the item moved on since the form was shown (an answer, or another
#: correction): the form is shown again aimed at the newest update, the reason kept.
_MOVED_ON = frozenset({"corrects_not_latest", "corrects_corrected"})


async def correct(request: Request) -> Response:
    from web.pages import officer_post

    posted = await officer_post(request)
    if isinstance(posted, Response):
        return posted
    form, user = posted
    item_id = str(request.path_params["item_id"])
    fields = {k: str(form.get(k) or "") for k in ("status", "forecast", "completed_on", "note")}
    fields["note"] = fields["note"].replace("\r\n", "\n")
    corrects = str(form.get("corrects") or "")
    return await run_in_threadpool(_record, request, user, item_id, corrects, fields)


def _record(
    request: Request, user: Any, item_id: str, corrects_text: str, fields: dict[str, str]
) -> Response:
    from governance.answers import OFFICE, AnswerInput, without_carried
    from regie.answers import AnswerRefused, record_answer
    from regie.office import today
    from regie.plan_cache import current_plan
    from regie.texts import form_words
    from web.answers import _date, _field_sentence, _sentence

    app = request.app.state.regie
    try:
        corrects = row_id(corrects_text)
    except ValueError:
        return _page(request, user, item_id, None, fields, {})  # not our form: shown afresh
    errors: dict[str, str] = {}
    status = fields["status"]
    if status not in STATUSES:
        errors["status"] = form_words("choose_status")
    year = today(app).year  # an unreadable date's example: the end of this year
    forecast = _date(fields["forecast"], form_words("label_forecast"), "forecast", errors, year)
    completed = _date(
        fields["completed_on"], form_words("label_completed_on"), "completed_on", errors, year
    )
    if errors:
        return _page(request, user, item_id, corrects, fields, errors)
    plan, _ = current_plan(app)
    # The form starts from the corrected update's values: a date of those its new status does
    # not take (a completion date when it is no longer gereed, a forecast when it is) is left
    # out; a date typed anew is refused at its field, as on the owner's form and the command
    # line (governance.answers.without_carried).
    carried = _corrected_dates(app, plan.programme.id, item_id, corrects)
    forecast, completed = without_carried(status, forecast, completed, carried)
    as_of = today(app)
    if status == "done" and completed is None:
        completed = as_of
    answer = AnswerInput(item_id, status, forecast, completed, fields["note"].strip() or None)
    try:
        recorded = record_answer(
            app, answer, OFFICE, channel="web", as_of=as_of, plan=plan, corrects=corrects
        )
    except AnswerRefused as exc:
        again = _same_correction(app, plan.programme.id, exc, corrects, answer)
        if again is not None:
            return _shown(request, item_id, again)
        if not exc.problems:  # not about the form's fields (an item left the plan, say)
            errors["corrects"] = _sentence(exc.message)
        # A date outside the programme's life names its field, as on the owner's form
        # (walk58c 4: "Deze datum ligt te ver …" in the summary said not which).
        labels = {
            "forecast": form_words("label_forecast"),
            "completed_on": form_words("label_completed_on"),
        }
        for p in exc.problems:
            # A problem of a field the form does not show is said at the form's top.
            errors.setdefault(
                p.field if p.field in FIELDS else "corrects", _field_sentence(p, labels)
            )
            newer = p.values.get("latest", p.values.get("by"))
            if p.code in _MOVED_ON and isinstance(newer, int):
                corrects = newer  # someone answered meanwhile: the form now corrects that one
        return _page(request, user, item_id, corrects, fields, errors)
    return _shown(request, item_id, recorded.update.id)


def _corrected_dates(
    app: App, programme_id: str, item_id: str, corrects: int
) -> list[tuple[date | None, date | None]]:
    """The (expected date, date finished) of the update the form corrects, which the form was
    filled in with; none when the item has no such update (the store refuses it then)."""
    from store import Repository

    with app.session() as session:
        updates = Repository(session, programme_id).status_updates(item=item_id)
    return [(u.forecast, u.completed_on) for u in updates if u.id == corrects]


def _same_correction(
    app: App, programme_id: str, exc: Any, corrects: int, answer: Any
) -> int | None:
    """The id of the correction this submit already stored (the form sent twice), else None:
    the update was corrected by an office correction that says exactly the same."""
    from governance.answers import OFFICE, Problem
    from store import Repository

    if not any(p.code is Problem.CORRECTS_CORRECTED for p in exc.problems):
        return None
    with app.session() as session:
        updates = Repository(session, programme_id).status_updates(item=answer.item_id)
    found = next((u for u in updates if u.corrects == corrects), None)
    if found is None or found.author != OFFICE.name or found.source != "web":
        return None
    same = (found.status.value, found.forecast, found.completed_on, found.comment) == (
        answer.status,
        answer.forecast,
        answer.completed_on,
        answer.note,
    )
    return found.id if same else None


def _shown(request: Request, item_id: str, update_id: int | None) -> Response:
    from urllib.parse import quote

    anchor = f"#update-{update_id}" if update_id is not None else ""
    return RedirectResponse(f"{root(request)}/items/{quote(item_id)}{anchor}", status_code=303)


def _page(
    request: Request,
    user: Any,
    item_id: str,
    corrects: int | None,
    fields: dict[str, str],
    errors: dict[str, str],
) -> Response:
    """The item page again with the form as typed and its errors (400), or afresh when the
    form was not ours (``corrects`` unreadable)."""
    from web.pages import item_page

    form = None
    if corrects is not None:
        ordered = {k: errors[k] for k in FIELDS if k in errors}
        form = CorrectionForm(corrects, fields, ordered)
    return item_page(request, user, item_id, form, status=400)
