"""An archived report made again from the records recorded up to its data cut-off and the plan
kept with it (``regie report reproduce``): byte for byte, or why not."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from regie.bootstrap import App
from regie.errors import InvalidInput
from regie.report_archive import archived_report
from regie.report_build import _agenda_pack
from regie.report_progress import _progress_report
from regie.report_render import (
    render_agenda,
    render_agenda_annex,
    render_progress,
    render_progress_annex,
)
from regie.report_repair import archiving_cut_off, same_entries

if TYPE_CHECKING:
    from governance.plan import Plan


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
    #: records up to its archiving instead (``recorded_until`` is then the newest of those it
    #: read): an agenda pack the meeting preparation archived before walk56d 1
    #: (:mod:`regie.report_repair`).
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
    content, _ = _rebuild(app, report, plan, cut)
    digest = hashlib.sha256(content).hexdigest()
    stored_cut_off = None
    later = archiving_cut_off(report, recorded_until)
    if digest != report.sha256 and later is not None:  # a cut-off stored too early
        again, read = _rebuild(app, report, plan, later)
        if hashlib.sha256(again).hexdigest() == report.sha256:
            # The cut-off of what it read, the newest record up to its archiving (the same
            # records: the rebuild from it gives these bytes), not the archiving itself.
            content, digest, cut = again, report.sha256, read or later
            stored_cut_off = report.data_until
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


def _rebuild(app: App, report: Any, plan: Plan, cut: datetime) -> tuple[bytes, datetime | None]:
    """Archived ``report`` made again from the records recorded up to ``cut`` and ``plan``, and
    the data cut-off of what it read: the newest record up to ``cut`` (a report made at that
    moment would have stored it)."""
    p = {k: str(v) for k, v in (report.parameters or {}).items()}
    base, _, annex = report.kind.partition("-")
    try:
        as_of = date.fromisoformat(p["as_of"])
        if base == "agenda":
            pack, read = _agenda_pack(
                app, p["body"], date.fromisoformat(p["meeting"]), as_of, plan=plan,
                recorded_until=cut,
                decisions_from=date.fromisoformat(p["decisions_from"])
                if p.get("decisions_from") else None,
                layout=int(p.get("layout", 1)),  # archived before layouts were numbered: 1
            )  # fmt: skip
            layout = int(p.get("layout", 1))
            made = (
                render_agenda_annex(pack, layout)
                if annex
                else render_agenda(pack, report.format, layout=layout)
            )
            return made, read
        if base == "voortgang":
            progress, read = _progress_report(
                app, date.fromisoformat(p["from"]), date.fromisoformat(p["to"]), as_of,
                plan=plan, recorded_until=cut, recipient=p.get("recipient"),
                layout=int(p.get("layout", 1)),  # archived before layouts were numbered: 1
                report_id=p.get("report"),
            )  # fmt: skip
            if annex:
                return render_progress_annex(progress), read
            return render_progress(progress, report.format), read
        raise KeyError(report.kind)
    except (KeyError, ValueError):
        raise InvalidInput(
            f"archived report {report.id} ({report.kind}): its parameters do not say how to "
            "make it again"
        ) from None
