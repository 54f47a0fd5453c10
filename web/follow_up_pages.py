"""*Opvolging*: who the office still has to chase — owners asked and silent, open escalations,
messages not delivered, contacts no channel reaches — filtered by owner and step (a GET form:
works without JavaScript), sorted, and the list as a CSV download. Behind the office login, as
the overview; reads through :mod:`regie.follow_up`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response

from web.pages import _to_login, _user, render

if TYPE_CHECKING:
    from regie.follow_up import FollowUp


def _view(request: Request) -> FollowUp:
    from regie.follow_up import follow_up as build
    from regie.office import today

    app = request.app.state.regie
    q = request.query_params
    return build(
        app, today(app), q.get("eigenaar", ""), q.get("stap", ""), q.get("sorteer", ""),
        q.get("pagina", ""),
    )  # fmt: skip


def follow_up(request: Request) -> Response:
    user = _user(request)
    if user is None:
        return _to_login(request)
    view = _view(request)
    return render(
        request, "follow_up.html.j2", {"v": view, "nav": "opvolging", "as_of": view.as_of},
        status=400 if view.problems else 200, user=user,
    )  # fmt: skip


def follow_up_csv(request: Request) -> Response:
    from regie.follow_up_csv import follow_up_csv as as_csv

    user = _user(request)
    if user is None:
        return _to_login(request)
    view = _view(request)
    if view.problems:  # the page says which filter is wrong; no file of something else
        return render(
            request, "follow_up.html.j2", {"v": view, "nav": "opvolging", "as_of": view.as_of},
            status=400, user=user,
        )  # fmt: skip
    return Response(
        as_csv(view),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": (
                f'attachment; filename="opvolging-{view.as_of.isoformat()}.csv"'
            ),
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )
