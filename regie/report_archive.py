"""The governance reports' archive: each report kept with its content hash and what it rests
on (plan text, maker, data cut-off), append-only, a copy on disk; and an archived report made
again from the records up to its cut-off (:func:`reproduce`)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from regie import __version__ as regie_version
from regie.bootstrap import App
from regie.errors import InvalidInput
from regie.report_build import _agenda_pack, _progress_report
from regie.report_render import (
    render_agenda,
    render_agenda_annex,
    render_progress,
    render_progress_annex,
)
from regie.report_repair import archiving_cut_off, same_entries

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


@dataclass(frozen=True, slots=True)
class Reproduction:
    """An archived report made again from the records recorded up to its data cut-off."""

    report_id: int
    archived_sha256: str
    #: The rebuild's hash and bytes ("" and b"" when it was not made again).
    sha256: str
    content: bytes
    recorded_until: datetime | None
    #: Where the plan came from: the text kept with the report, else today's plan file (``none``
    #: when it was not made again).
    plan_source: str
    plan_sha256: str | None
    format: str = "html"
    #: False for a report archived by a Regie from before layouts were recorded that layout
    #: 1 does not make again (or that has no cut-off to make it from): its templates are not
    #: known, so no comparison is claimed (:data:`NOT_COMPARABLE`).
    comparable: bool = True
    #: The cut-off stored with it, when that was too early and the rebuild was made from the
    #: records up to its archiving (``recorded_until``) instead: an agenda pack the meeting
    #: preparation archived before walk56d 1 (:mod:`regie.report_repair`).
    stored_cut_off: datetime | None = None
    #: A DOCX whose bytes differ but whose every ZIP entry is the rebuild's: archived before its
    #: entries carried fixed times (walk56d 5).
    same_entries: bool = False

    @property
    def matches(self) -> bool:
        """Byte for byte."""
        return self.comparable and self.sha256 == self.archived_sha256

    @property
    def agrees(self) -> bool:
        """Byte for byte, or (an older DOCX) entry for entry: exit 0."""
        return self.matches or (self.comparable and self.same_entries)

    @property
    def outcome(self) -> str:
        """``matches``, ``same-entries`` (an older DOCX), ``differs`` (exit 1: the records or
        the plan are not what it was made from) or :data:`NOT_COMPARABLE`."""
        if not self.comparable:
            return NOT_COMPARABLE
        if self.matches:
            return "matches"
        return "same-entries" if self.agrees else "differs"


#: The outcome for a report archived before layouts were recorded (agenda packs before layout
#: 2, progress reports before their layouts, 2026-12-04) that layout 1 does not make again: its
#: templates changed more than once after its data cut-off was first recorded (migration 0019)
#: and before layout 1 was frozen, and no archive says which ones it was made with. Its stored
#: bytes are checked against their hash instead (as ``regie report show`` does).
NOT_COMPARABLE = "not-comparable"


def pre_layout(parameters: dict[str, Any] | None) -> bool:
    """Archived by a Regie from before layouts were recorded (no ``layout`` parameter)."""
    return "layout" not in (parameters or {})


def parse_recorded_until(value: str | None, option: str = "--recorded-until") -> datetime | None:
    """An ISO instant (``2026-12-04T03:10:35+00:00``); without an offset it is UTC."""
    from datetime import UTC

    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(
            f"{option}: {value[:40]!r} is not a moment (use e.g. 2026-12-04T03:10:35+00:00)"
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


class KeptPlanUnreadable(Exception):
    """The plan text kept with an archived report cannot be read as the plan it was made from;
    ``str()`` says why, in one line."""


def kept_plan(app: App, sha256: str | None) -> Plan | None:
    """The plan an archived report was made from, parsed from the text kept with it (None when
    none was kept: a report archived before migration 0019, or a plan file that changed while
    the report was made). The text is read with the checks of the parser version that accepted
    it: a check added later must not make an intact archive unreadable (review9 3).
    :class:`KeptPlanUnreadable` when the kept text is not that plan or cannot be read: the
    rebuild must not fall back to today's plan file and call an intact archive different."""
    from governance.planfile import PlanInvalid, parse_plan
    from store.reports_repo import ReportsRepository

    if sha256 is None:
        return None
    with app.session() as session:
        found = ReportsRepository(session, app.programme_id()).plan_text(sha256)
    if found is None:
        return None
    data, path = found
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise KeptPlanUnreadable("its kept plan text is not UTF-8") from None
    accepted_by = _parser_that_hashed(text, sha256)
    if accepted_by is None:
        raise KeptPlanUnreadable(
            "its kept plan text does not give its plan's hash under this Regie's plan parser "
            "or an earlier one (made by a newer Regie?)"
        )
    try:
        plan = parse_plan(text, path or "<kept plan>", accepted_by=accepted_by)
    except PlanInvalid as exc:
        more = f" (and {len(exc.problems) - 1} more)" if len(exc.problems) > 1 else ""
        first = str(exc.problems[0]) if exc.problems else "refused"
        raise KeptPlanUnreadable(
            f"the plan parser refuses its kept plan text: {first}{more}"
        ) from None
    from governance.clock import utcnow
    from regie.holiday_cache import load_plan_holidays

    # Only the cache's span depends on the day (kept_years): UTC's date will do.
    load_plan_holidays(plan, app.settings.home / "cache", utcnow().date())
    return plan


def _parser_that_hashed(text: str, sha256: str) -> int | None:
    """The parser version under which ``sha256`` is this text's hash (a plan's hash names the
    parser too), newest first; None when none does. A parser change adds fields or checks; it
    does not change what an accepted plan says, so the text parsed today with the checks of
    that version is that plan (owner names, the programme's end), not today's plan file
    (review8 1)."""
    import hashlib

    from governance.planfile.load import PARSER_VERSION  # the version parse_plan hashes with

    return next(
        (
            v
            for v in range(PARSER_VERSION, 0, -1)
            if hashlib.sha256(f"{v}\n{text}".encode("utf-8", "surrogatepass")).hexdigest() == sha256
        ),
        None,
    )


def reproduce(app: App, report_id: int, recorded_until: datetime | None = None) -> Reproduction:
    """Make archived report ``report_id`` again, in its format, from the records recorded up to
    its data cut-off (or ``recorded_until``) and the plan it was made from (kept with it; today's
    plan file when none was kept, which the result says). Nothing is archived. A report archived
    before layouts were recorded is made with layout 1; when that does not give its bytes, or it
    has no cut-off either, the result is :data:`NOT_COMPARABLE`, not a difference."""
    report = archived_report(app, report_id)  # its stored bytes checked against their hash
    cut = recorded_until or report.data_until
    old = pre_layout(report.parameters)
    if cut is None and old:
        # Made before the cut-off and the layout were recorded (before migration 0019): no
        # records' moment, no templates to make it from; its hash is all there is to check.
        return Reproduction(
            report_id, report.sha256, "", b"", None, "none", report.plan_sha256,
            report.format, comparable=False,
        )  # fmt: skip
    if cut is None:
        raise InvalidInput(
            f"archived report {report_id} has no data cut-off (made before it was recorded): "
            "give --recorded-until"
        )
    try:
        plan = kept_plan(app, report.plan_sha256)
    except KeptPlanUnreadable as exc:
        sha = (report.plan_sha256 or "")[:12]
        raise InvalidInput(
            f"archived report {report_id} ({report.kind}, plan {sha}) cannot be made again: {exc}"
        ) from None
    source = "kept" if plan is not None else "current"
    plan = plan or app.load_plan()
    content = _rebuild(app, report, plan, cut)
    digest = hashlib.sha256(content).hexdigest()
    stored_cut_off = None
    later = archiving_cut_off(report, recorded_until)
    if digest != report.sha256 and later is not None:  # a cut-off stored too early
        again = _rebuild(app, report, plan, later)
        if hashlib.sha256(again).hexdigest() == report.sha256:
            content, digest, cut, stored_cut_off = again, report.sha256, later, report.data_until
    annex = "-" in report.kind
    return Reproduction(
        report_id,
        report.sha256,
        digest,
        content,
        cut,
        source,
        report.plan_sha256,  # the kept text's id (a newer parser hashes it otherwise)
        "html" if annex else report.format,
        # Layout 1 was frozen after the templates had changed: a pre-layout report it does not
        # make again may have been made with earlier ones, not from other records.
        comparable=digest == report.sha256 or not old,
        stored_cut_off=stored_cut_off,
        same_entries=report.format == "docx"
        and digest != report.sha256
        and same_entries(report.content, content),
    )


def _rebuild(app: App, report: Any, plan: Plan, cut: datetime) -> bytes:
    """Archived ``report`` made again from the records recorded up to ``cut`` and ``plan``."""
    p = {k: str(v) for k, v in (report.parameters or {}).items()}
    base, _, annex = report.kind.partition("-")
    try:
        as_of = date.fromisoformat(p["as_of"])
        if base == "agenda":
            pack, _ = _agenda_pack(
                app, p["body"], date.fromisoformat(p["meeting"]), as_of, plan=plan,
                recorded_until=cut,
                decisions_from=date.fromisoformat(p["decisions_from"])
                if p.get("decisions_from") else None,
                layout=int(p.get("layout", 1)),  # archived before layouts were numbered: 1
            )  # fmt: skip
            layout = int(p.get("layout", 1))
            return (
                render_agenda_annex(pack, layout)
                if annex
                else render_agenda(pack, report.format, layout=layout)
            )
        if base == "voortgang":
            made, _ = _progress_report(
                app, date.fromisoformat(p["from"]), date.fromisoformat(p["to"]), as_of,
                plan=plan, recorded_until=cut, recipient=p.get("recipient"),
                layout=int(p.get("layout", 1)),  # archived before layouts were numbered: 1
                report_id=p.get("report"),
            )  # fmt: skip
            return render_progress_annex(made) if annex else render_progress(made, report.format)
        raise KeyError(report.kind)
    except (KeyError, ValueError):
        raise InvalidInput(
            f"archived report {report.id} ({report.kind}): its parameters do not say how to "
            "make it again"
        ) from None
