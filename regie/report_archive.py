"""The governance reports' archive: each report kept with its content hash and what it rests
on (plan text, maker, data cut-off), append-only, a copy on disk. An archived report made again
from the records up to its cut-off: :mod:`regie.report_reproduce`."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from regie import __version__ as regie_version
from regie.bootstrap import App
from regie.errors import InvalidInput
from regie.report_render import render_agenda_annex

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from governance.agenda import AgendaPack
    from governance.plan import Plan


#: The archive's kind for a PDF pack's annex file (an agenda pack's full table of items).
ANNEX_KIND = "agenda-bijlage"


PROGRESS_ANNEX_KIND = "voortgang-bijlage"


@dataclass(frozen=True, slots=True)
class Rendered:
    kind: str
    format: str
    title: str
    as_of: date
    parameters: dict[str, Any]
    content: bytes
    sha256: str
    archive_id: int | None = None
    #: Files that go with this one (a PDF pack's annex), each with the ``name`` it is referred by.
    attachments: tuple[Rendered, ...] = ()
    name: str | None = None
    #: The newest recorded_at among the records it read (its data cut-off).
    data_until: datetime | None = None


#: How a report was made, as the archive keeps it (``made_via``).
MADE_VIA = ("cli", "prepare", "web")


def operator() -> str:
    """Who makes a report: the command's operator (``--operator``/REGIE_OPERATOR, else the OS
    login) or the web page's user, as every record names its maker (:mod:`store.actor`)."""
    from store.actor import current_actor

    return current_actor()


def _ready_to_archive() -> None:
    """Import the ORM and the store's models (≈ 0.2 s) while the PDF worker writes the PDF:
    the pack was read without them (:mod:`store.reports_read`), the archive needs them."""
    from store import reports_repo, sync  # noqa: F401 - imported to have them loaded


def _archive(
    app: App,
    plan: Plan,
    kind: str,
    fmt: str,
    title: str,
    as_of: date,
    parameters: dict[str, Any],
    content: bytes,
    archive: bool,
    *,
    made_via: str = "cli",
) -> Rendered:
    return _archive_many(
        app, plan, as_of, parameters, [(kind, fmt, title, content)], archive, made_via=made_via
    )[0]


def _archive_many(
    app: App,
    plan: Plan,
    as_of: date,
    parameters: dict[str, Any],
    documents: list[tuple[str, str, str, bytes]],
    archive: bool,
    *,
    data_until: datetime | None = None,
    made_via: str = "cli",
) -> list[Rendered]:
    """Each (kind, format, title, content) with its sha256; archived in one transaction, with
    what it rests on: the plan file's hash (its text kept once per hash), the maker, how it was
    made and the data cut-off (computed here when the caller has none)."""
    from regie.programme_guard import said_in_one_line
    from regie.services import utcnow
    from store import sync_plan
    from store.reports_repo import Provenance, ReportsRepository

    out = [
        Rendered(
            kind, fmt, title, as_of, parameters, content, hashlib.sha256(content).hexdigest(),
            data_until=data_until,
        )
        for kind, fmt, title, content in documents
    ]  # fmt: skip
    if not archive:
        return out
    # The Regie that made it, beside its layout: what an auditor asks of a report that an
    # earlier release archived (its templates are that release's).
    parameters = {**parameters, "regie_version": regie_version}
    plan_text = _plan_text(plan)
    with app.session() as session, session.begin():
        with said_in_one_line(app):
            sync_plan(session, plan, now=utcnow(), plan_path=str(plan.path))
        repo = ReportsRepository(session, plan.programme.id)
        if data_until is None:
            from governance.events import ESCALATION_RAISED
            from store import reports_read
            from store.dialect import reader

            data_until = reports_read.data_until(
                reader(session), plan.programme.id, as_of, ESCALATION_RAISED
            )
        if plan_text is not None and plan.source_hash is not None:
            repo.keep_plan_text(plan.source_hash, plan_text, str(plan.path))
        made = Provenance(plan.source_hash, operator(), made_via, data_until)
        for n, r in enumerate(out):
            stored = repo.archive(
                kind=r.kind, format=r.format, title=r.title, as_of=as_of, parameters=parameters,
                sha256=r.sha256, content=r.content, provenance=made,
            )  # fmt: skip
            out[n] = replace(r, archive_id=stored.id, data_until=data_until)
        if documents and documents[0][0] == "voortgang":
            # Its queued report-due reminders are moot now: cancelled with the archive.
            _cancel_reminders(app, session, plan, parameters, out)
    for r in out:
        _copy_on_disk(app, r)
    return out


def archive_agenda(
    app: App,
    plan: Plan,
    pack: AgendaPack,
    cut_off: datetime | None,
    parameters: dict[str, Any],
    contents: dict[str, bytes],
    archive: bool,
    *,
    made_via: str,
) -> list[Rendered]:
    """An agenda pack's documents (format → bytes, in order; a PDF's annex archived after it)
    with the data cut-off its own reading gave (:func:`regie.report_build._agenda_pack`: the
    records, the status round's instants, the earlier packs it read): one rule for a pack made
    with ``regie report agenda`` and one the meeting preparation sends (walk56d 1; the generic
    cut-off :func:`_archive_many` computes knows no rounds, so a rebuild left the round out)."""
    from regie import report_build

    as_of = date.fromisoformat(str(parameters["as_of"]))
    title = f"Agenda {pack.body_name} {parameters['meeting']}"
    documents: list[tuple[str, str, str, bytes]] = []
    for fmt, content in contents.items():
        documents.append(("agenda", fmt, title, content))
        if fmt == "pdf":
            annex = render_agenda_annex(pack, report_build.AGENDA_LAYOUT)
            documents.append((ANNEX_KIND, "html", f"Bijlage bij {title}", annex))
    return _archive_many(
        app, plan, as_of, parameters, documents, archive, data_until=cut_off, made_via=made_via
    )


def _cancel_reminders(
    app: App, session: Session, plan: Plan, parameters: dict[str, Any], out: list[Rendered]
) -> None:
    from regie.report_due import cancel_delivered
    from regie.services import today

    only = plan.reports[0].id if len(plan.reports) == 1 else None
    made_for = parameters.get("report") or only
    if made_for is None:
        return
    ids = ", ".join(str(r.archive_id) for r in out if r.kind == "voortgang")
    why = f"report {made_for} {parameters.get('from')} – {parameters.get('to')} archived ({ids})"
    cancel_delivered(session, plan, str(made_for), why, today(app, plan))


#: Each archived report is also written here (REGIE_HOME/archief), 0600: a database restored
#: from an older backup loses the reports made since, and ``regie report list`` then names
#: the files it no longer knows (docs/operations.md, "Restore").
ARCHIVE_COPIES = "archief"


def copy_name(archive_id: int, sha256: str, fmt: str) -> str:
    return f"{archive_id:06d}-{sha256[:16]}.{fmt}"


def _copy_on_disk(app: App, r: Rendered) -> None:
    """Best effort: the database holds the report; a copy that cannot be written is no
    reason to fail a report already archived."""
    from store.files import write_private

    if r.archive_id is None:
        return
    folder = app.settings.home / ARCHIVE_COPIES
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        write_private(folder / copy_name(r.archive_id, r.sha256, r.format), r.content)
    except OSError:
        return


def unknown_copies(app: App, archived_rows: Sequence[Any]) -> list[str]:
    """Copies in REGIE_HOME/archief of reports the archive does not hold (same id and hash):
    made after the backup the database was restored from."""
    import re

    folder = app.settings.home / ARCHIVE_COPIES
    if not folder.is_dir():
        return []
    known = {copy_name(r.id, r.sha256, r.format) for r in archived_rows}
    pattern = re.compile(r"^\d{6,}-[0-9a-f]{16}\.[a-z]+$")
    return sorted(p.name for p in folder.iterdir() if pattern.match(p.name) and p.name not in known)


def _plan_text(plan: Plan) -> bytes | None:
    """The plan file's bytes when they are still those the plan was loaded from (its hash)."""
    from pathlib import Path

    from governance.parser_version import PARSER_VERSION

    if plan.path is None or plan.source_hash is None:
        return None
    try:
        data = Path(plan.path).read_bytes()
    except OSError:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    digest = hashlib.sha256(f"{PARSER_VERSION}\n{text}".encode("utf-8", "surrogatepass"))
    return data if digest.hexdigest() == plan.source_hash else None


def archived(app: App) -> list[Any]:
    from store.reports_repo import ReportsRepository

    with app.session() as session:
        return ReportsRepository(session, app.programme_id()).archived()


def download_name(kind: str, fmt: str, parameters: dict[str, Any], report_id: int) -> str:
    """The file name an archived report is downloaded as: the name the command writes and a PDF
    refers to for its annex (``agenda-<body>-<meeting>-bijlage.html``), else a generic one."""
    import re

    p = {k: str(v) for k, v in parameters.items()}
    stems = {
        "agenda": ("agenda", p.get("body"), p.get("meeting")),
        "voortgang": ("voortgang", p.get("from"), p.get("to")),
    }
    base, _, annex = kind.partition("-")
    parts = stems.get(base)
    if parts is None or None in parts or annex not in ("", "bijlage"):
        return f"regie-{re.sub(r'[^A-Za-z0-9_-]', '-', kind)}-{report_id}.{fmt}"
    stem = re.sub(r"[^A-Za-z0-9._-]", "-", "-".join(str(x) for x in parts))
    return f"{stem}{'-bijlage' if annex else ''}.{fmt}"


def archived_report(app: App, report_id: int) -> Any:
    from regie.errors import RegieError
    from store.reports_repo import ReportsRepository

    with app.session() as session:
        report = ReportsRepository(session, app.programme_id()).archived_report(report_id)
    if report is None or report.content is None:
        raise InvalidInput(f"no archived report {report_id}")
    if hashlib.sha256(report.content).hexdigest() != report.sha256:
        raise RegieError(f"archived report {report_id}: content does not match its sha256")
    return report


def _sync(app: App, plan: Plan) -> None:
    from regie.programme_guard import said_in_one_line
    from regie.services import utcnow
    from store import sync_plan

    with app.session() as session, session.begin(), said_in_one_line(app):
        sync_plan(session, plan, now=utcnow(), plan_path=str(plan.path))


def _with_attachments(stored: list[Rendered], annex_file: str) -> list[Rendered]:
    """Each annex attached to the PDF archived just before it."""
    out: list[Rendered] = []
    for rendered in stored:
        if rendered.kind in (ANNEX_KIND, PROGRESS_ANNEX_KIND):
            out[-1] = replace(out[-1], attachments=(replace(rendered, name=annex_file),))
        else:
            out.append(rendered)
    return out
