"""The generated reports (agenda packs, progress reports archived by `regie report …`): a list
with download links, behind the office login. Reads the report archive through
:mod:`regie.reports` (its owner); never renders or changes a report here."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from web.forms import row_id
from web.pages import _to_login, _user, render
from web.templating import root

MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def reports(request: Request) -> Response:
    from regie.office import archived_reports

    user = _user(request)
    if user is None:
        return _to_login(request)
    _, rows = archived_reports(request.app.state.regie)
    return render(
        request, "reports.html.j2",
        {"rows": rows, "nav": "rapporten"},
        user=user,
    )  # fmt: skip


def download(request: Request) -> Response:
    from regie.errors import InvalidInput
    from regie.reports import archived_report, download_name

    user = _user(request)
    if user is None:
        return _to_login(request)
    text = str(request.path_params["report_id"])
    try:
        report = archived_report(request.app.state.regie, row_id(text))
    except (ValueError, InvalidInput):
        return render(
            request, "not_found.html.j2",
            {"error": "report", "back": f"{root(request)}/rapporten"},
            status=404, user=user,
        )  # fmt: skip
    name = download_name(report.kind, report.format, dict(report.parameters or {}), report.id)
    return Response(
        report.content,
        media_type=MEDIA_TYPES.get(report.format, "application/octet-stream"),
        headers={
            # An attachment, never a page of ours: an archived HTML report is not our CSP's.
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
            "ETag": f'"{report.sha256}"',
        },
    )
