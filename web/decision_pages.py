"""*Besluiten*: every recorded decision of the governance bodies, filtered by body, meeting,
step and effect (a GET form: works without JavaScript), newest first, and the same list as a
CSV download. Behind the office login; reads through :mod:`regie.decision_view`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response

from web.pages import _to_login, _user, render

if TYPE_CHECKING:
    from regie.decision_view import DecisionView


def _view(request: Request) -> DecisionView:
    from regie.decision_view import decision_view

    q = request.query_params
    return decision_view(
        request.app.state.regie,
        q.get("orgaan", ""), q.get("vergadering", ""), q.get("stap", ""), q.get("gevolg", ""),
    )  # fmt: skip


def decisions(request: Request) -> Response:
    user = _user(request)
    if user is None:
        return _to_login(request)
    view = _view(request)
    return render(
        request, "decisions.html.j2",
        {"v": view, "nav": "besluiten"},
        status=400 if view.problems else 200, user=user,
    )  # fmt: skip


def decisions_csv(request: Request) -> Response:
    from regie.decision_view import decisions_csv as as_csv

    user = _user(request)
    if user is None:
        return _to_login(request)
    view = _view(request)
    if view.problems:  # the page says which filter is wrong; no file of something else
        return render(
            request, "decisions.html.j2", {"v": view, "nav": "besluiten"}, status=400, user=user
        )
    return Response(
        as_csv(view),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": 'attachment; filename="besluiten.csv"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )
