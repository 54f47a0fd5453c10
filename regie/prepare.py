"""Preparing governance meetings, day by day (the ``prepare-meeting`` flow).

For every meeting still ahead: from ``request_days`` working days before it, a status round
asks the owners of open items for an update by pack day (``regie.rounds``: one request per
contact, once per round); from pack day (``pack_days`` working days before) the agenda pack is
assembled as of that day, archived, and queued to the body's contacts through the outbox under
the key ``agenda-pack:<body>:<meeting>:<contact>`` — once per meeting, however often (or late)
the flow runs. A day that was missed loses nothing: the next run before the meeting catches up.

`regie cycle` does this too (on a Prefect server the ``daily-cycle`` flow's ``meeting-day``
task), after the day's deadline check, and then chases and closes the open rounds
(:func:`meeting_day`: what the ``prepare-meeting`` and ``status-round`` deployments do on a
server as well, idempotent per day); `regie meeting prepare` runs this step alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from regie.bootstrap import App

if TYPE_CHECKING:
    from governance.meetings import Meeting
    from governance.plan import Contact, GovernanceBody, Plan
    from notifications.base import Attachment

PACK_KIND = "agenda_pack"


@dataclass
class PrepareReport:
    as_of: date
    rounds: list[str] = field(default_factory=list)  # "body meeting" whose round started
    packs: list[str] = field(default_factory=list)  # outbox keys queued
    #: Per round started ("body meeting"): the requests queued.
    requests: dict[str, int] = field(default_factory=dict)
    #: The keys of those requests (with ``dry_run``: ``?`` for the round's number).
    request_keys: list[str] = field(default_factory=list)
    #: Rounds not started because they would ask nobody: "body meeting: why"; and a meeting
    #: that passed without an agenda pack while the daily run was there (:attr:`missed`).
    skipped: list[str] = field(default_factory=list)
    #: Meetings ("body meeting") that passed with no agenda pack queued for them, though the
    #: daily run was there before their pack day: the latest per body.
    missed: list[str] = field(default_factory=list)
    #: Meetings that moved or were cancelled since the last run ("body OLD moved to NEW") and
    #: the notices to the pack's recipients queued for them (:mod:`regie.meeting_notices`).
    changed: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    #: Meeting days remembered without telling anyone: a body's first run, a body gone from the
    #: plan (said, but no change: "nothing due" still holds).
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False  # nothing recorded: rounds and packs say what would be

    def queued_keys(self) -> list[str]:
        """The keys of the messages queued (or, dry run, to be queued: ``?`` where a real run
        fills in a row's id)."""
        return [*self.request_keys, *self.packs, *self.notices]

    def summary(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "dry_run": self.dry_run,
            "rounds": self.rounds,
            "requests": self.requests,
            "packs": self.packs,
            "skipped": self.skipped,
            "missed": self.missed,
            "changed": self.changed,
            "notices": self.notices,
            "notes": self.notes,
        }


def pack_key(body_id: str, meeting_on: date, contact_id: str) -> str:
    from store.agenda_read import pack_key as key

    return key(body_id, meeting_on, contact_id)


def body_contacts(plan: Plan, body: GovernanceBody) -> list[Contact]:
    """Who receives a body's pack: contacts of its member organisations and the programme
    office."""
    return [c for c in plan.contacts if c.organisation in body.members or c.programme_office]


def prepare_meetings(
    app: App, as_of: date, *, plan: Plan | None = None, dry_run: bool = False
) -> PrepareReport:
    """Tell the pack's recipients of meetings moved or cancelled since the last run, start the
    status rounds and queue the agenda packs due as of ``as_of``. ``dry_run``:
    record, archive and queue nothing; the report says what would be started and queued."""
    from governance.agenda_round import round_start
    from governance.workdays import WorkCalendar
    from regie.cycle import ensure_not_future
    from regie.meeting_notices import notify_changed_meetings
    from regie.reports import meetings

    plan = plan or app.load_plan()
    ensure_not_future(app, plan, as_of)  # a day to come would archive and send its packs early
    calendar = WorkCalendar.for_plan(plan)
    report = PrepareReport(as_of, dry_run=dry_run)
    # First: a meeting that moved is told to the members before its new round or pack.
    schedules = {body.id: meetings(app, body.id, plan=plan) for body in plan.governance}
    told = notify_changed_meetings(
        app, plan, as_of, body_contacts, schedules=schedules, dry_run=dry_run
    )
    report.changed, report.notices, report.notes = told.changes, told.keys, told.notes
    for body in plan.governance:
        pack_days = body.meetings.pack_days if body.meetings else 5
        # The round's start day by the one formula the pack and the rounds' ties use too.
        asks_from = round_start(plan, body.id)
        every = schedules[body.id]
        held = [m for m in every if m.on <= as_of]
        ahead = [m for m in every if m.on > as_of][:1]
        # Said until the next meeting's pack (whose decision list makes up for it) has gone out
        # or was made by hand before its day; with no meeting left, no pack makes up for it:
        # said for ``pack_days`` working days after the meeting, not on every run for good
        # (walk46 3). A meeting had its pack by the decision list's rule (:func:`decisions_from`).
        had = _meetings_with_pack(app, plan, body, None) if held else set()
        if (
            held
            and not any(m.on in had for m in ahead)
            and (ahead or as_of <= calendar.add_working_days(held[-1].on, pack_days))
            and _unsent(app, plan, body, held[-1], calendar, pack_days, had)
        ):
            which = f"{body.id} {held[-1].on.isoformat()}"
            report.missed.append(which)
            # Said where the cycle's summary says what it skipped (one line, not "nothing due").
            goes = (
                "its decisions go on the next pack's decision list"
                if ahead
                else f"{body.id} has no meeting after it, so no pack lists its decisions"
            )
            report.skipped.append(
                f"{which}: the meeting passed without an agenda pack (none was queued before "
                f"it); {goes}"
            )
        for meeting in every:
            if meeting.on <= as_of:
                continue
            pack_day = calendar.add_working_days(meeting.on, -pack_days)
            if asks_from(meeting.on) > as_of:
                break  # meetings are in date order: nothing further is due yet
            which = f"{body.id} {meeting.on.isoformat()}"
            if as_of < pack_day:
                if _has_round(app, plan, body.id, meeting.on, [m.on for m in every]):
                    continue  # it has its round (started before it moved?): not asked again
                _start_round(app, plan, body.id, pack_day, meeting.on, as_of, report, which)
            else:
                start = pack_decisions_from(app, plan, body, meeting.on)
                report.packs.extend(_send_pack(app, plan, body, meeting, as_of, dry_run, start))
    return report


def _sent(app: App, plan: Plan, body: GovernanceBody, meeting_on: date) -> bool | None:
    """Whether a pack for the meeting was queued to the body's contacts (None: the body has
    no contacts, so no pack could go out). The rule *eerder voorgelegd* counts packs by too
    (:func:`store.agenda_read.packs_queued`)."""
    from store.agenda_read import packs_queued

    if not body_contacts(plan, body):
        return None
    with app.reading() as connection:
        return meeting_on in packs_queued(connection, plan.programme.id, body.id)


def _running_since(app: App, plan: Plan, recorded_until: datetime | None = None) -> date | None:
    """The first day the daily run checked the deadlines (:func:`store.states.first_assessed`),
    as recorded up to ``recorded_until`` when given."""
    from store.states import first_assessed

    with app.session() as session:
        return first_assessed(session, plan.programme.id, recorded_until)


def _unsent(
    app: App,
    plan: Plan,
    body: GovernanceBody,
    meeting: Meeting,
    calendar: Any,
    pack_days: int,
    had: set[date],
) -> bool:
    """A meeting that got no pack, though the daily run was there before its pack day: none
    was queued to the body's contacts, nor one made for it by hand before its day (``had``:
    :func:`_meetings_with_pack`, the rule of the decision list's start)."""
    since = _running_since(app, plan)
    pack_day = calendar.add_working_days(meeting.on, -pack_days)
    if since is None or since >= pack_day or not body_contacts(plan, body):
        return False  # no contacts: no pack could go out, none is missed
    return meeting.on not in had


def pack_decisions_from(
    app: App,
    plan: Plan,
    body: GovernanceBody,
    meeting_on: date,
    recorded_until: datetime | None = None,
) -> date | None:
    """Where the decision list of the pack for ``meeting_on`` starts (:func:`decisions_from`),
    by the body's schedule: what the ``prepare-meeting`` flow and ``regie report agenda``
    both use, so a pack made by hand lists what a sent one would; ``recorded_until``: as the
    packs, the outbox and the daily run stood then (a pack made again as of a cut-off)."""
    from governance.workdays import WorkCalendar

    pack_days = body.meetings.pack_days if body.meetings else 5
    return decisions_from(
        app, plan, body, meeting_on, WorkCalendar.for_plan(plan), pack_days, recorded_until
    )


def decisions_from(
    app: App,
    plan: Plan,
    body: GovernanceBody,
    meeting_on: date,
    calendar: Any,
    pack_days: int,
    recorded_until: datetime | None = None,
) -> date | None:
    """Where the decision list of the pack for ``meeting_on`` starts when the previous
    meeting(s) had no pack, though the daily run was there before their pack day: at the last
    meeting whose decisions a pack did list — the one before the first meeting without a pack.
    None: at the previous meeting, as always.

    A meeting had its pack when one was queued to the body's contacts, or one was archived for
    it otherwise (by hand, ``regie report agenda``) as of a day before it and made before its
    day: the made-before rule by which the pack's *sinds de vorige vergadering* takes the
    body's latest earlier pack (:func:`regie.pack_earlier.had_by_hand`, walk57a 1; that part
    also takes a pack for a meeting since moved, this one the body's meetings as they are).
    A body without contacts (no pack could go out) starts at the previous meeting unless a
    pack was made for an earlier meeting by hand: then from there too (fix57m). Read as the
    data stood at ``recorded_until`` when given."""
    from regie.reports import meetings

    since = _running_since(app, plan, recorded_until)
    if since is None:
        return None
    had = _meetings_with_pack(app, plan, body, recorded_until)
    if not body_contacts(plan, body) and not any(on < meeting_on for on in had):
        return None  # no pack could go out, and none was made: at the previous meeting
    held = meetings(app, body.id, plan=plan, recorded_until=recorded_until)
    earlier = [m for m in held if m.on < meeting_on][::-1]
    start = None
    for n, m in enumerate(earlier):
        missed = since < calendar.add_working_days(m.on, -pack_days) and m.on not in had
        if not missed:
            break
        start = earlier[n + 1].on if n + 1 < len(earlier) else start
    return start


def _meetings_with_pack(
    app: App, plan: Plan, body: GovernanceBody, recorded_until: datetime | None
) -> set[date]:
    """The body's meetings that had their pack (:func:`decisions_from`), as recorded up to
    ``recorded_until`` when given."""
    from regie.pack_earlier import had_by_hand
    from store.agenda_read import packs_queued, packs_sent

    zone = plan.calendar.timezone
    with app.reading() as connection:
        queued = packs_queued(connection, plan.programme.id, body.id, recorded_until)
        read = packs_sent(connection, plan.programme.id, body.id, recorded_until)
    by_hand = {
        on for on, made in read.by_hand.items() if any(had_by_hand(p, on, zone) for p in made)
    }
    return set(queued) | by_hand


def _has_round(app: App, plan: Plan, body_id: str, meeting_on: date, held: list[date]) -> bool:
    """Whether the meeting has its round already, also under another answer-by date than its
    pack day now: a round that :func:`regie.rounds.round_meetings` ties to it, the meeting its
    mails and ``round status`` name (``held``: the body's meeting days) — started before the
    meeting moved, later (round33 3) or earlier (review10a 3), with ``--meeting``, or by hand
    without it (review10a 4). Open or closed: one closed on its old pack day still prepared it,
    and counting open ones only would ask again the day after it closed."""
    from regie.rounds import round_meetings
    from store.answers import rounds

    with app.session() as session:
        found = [r for r in rounds(session, plan.programme.id) if r.body == body_id]
    return meeting_on in round_meetings({body_id: held}, found, plan).values()


def _start_round(
    app: App, plan: Plan, body_id: str, answer_by: date, meeting_on: date, as_of: date,
    report: PrepareReport, which: str,
) -> None:  # fmt: skip
    from regie.rounds import NothingToAsk, start_round

    try:
        # The round records the meeting it prepares: a weekly body's pack day (answer-by) is
        # the day of the meeting before, so answer-by alone would tie it to that one.
        started = start_round(
            app, body_id, answer_by, None, as_of, plan, dry_run=report.dry_run,
            meeting_on=meeting_on,
        )  # fmt: skip
    except NothingToAsk as exc:  # not an error for the daily run: the meeting goes on
        report.skipped.append(f"{which}: {exc}")
        return
    if started.started:
        report.rounds.append(which)
        report.requests[which] = len(started.queued)
        report.request_keys += started.queued


def meeting_day(
    app: App, as_of: date, *, plan: Plan | None = None, dry_run: bool = False
) -> dict[str, Any]:
    """The day's meeting work, as the ``prepare-meeting`` then ``status-round`` deployments do
    it on a Prefect server: start the rounds and queue the packs due, then chase and close the
    open rounds (nothing is sent here). Idempotent per day (outbox keys); ``dry_run`` keeps
    nothing, and names the messages it would queue whose ``.eml`` is already in the file
    outbox (``resend``: sent before the database was restored, :mod:`regie.resend`)."""
    from regie.rounds import progress_rounds

    plan = plan or app.load_plan()
    prepared = prepare_meetings(app, as_of, plan=plan, dry_run=dry_run)
    progressed = progress_rounds(app, as_of, plan, dry_run=dry_run)
    day = prepared.summary() | {"progress": [r.summary() for r in progressed]}
    if dry_run:
        from regie.resend import sent_before

        keys = prepared.queued_keys() + [k for r in progressed for k in r.queued]
        day["resend"] = sent_before(app, keys)
    return day


def _send_pack(
    app: App,
    plan: Plan,
    body: GovernanceBody,
    meeting: Meeting,
    as_of: date,
    dry_run: bool,
    start: date | None = None,
) -> list[str]:
    from notifications.render import header_text
    from regie.mapping import ATTACHMENTS, attachment_refs
    from regie.services import sync_store
    from reports.plain_text import markdown_to_text
    from store import Repository
    from store.records import OutboxRecord
    from store.reports_repo import ReportsRepository

    contacts = body_contacts(plan, body)
    keys = {c.id: pack_key(body.id, meeting.on, c.id) for c in contacts}
    with app.session() as session:
        missing = ReportsRepository(session, plan.programme.id).missing_outbox_keys(
            list(keys.values())
        )
    if not missing:
        return []  # already queued: the pack is not even assembled again
    if dry_run:  # neither assembled nor archived: the keys it would be queued under
        return [key for key in keys.values() if key in missing]
    html, markdown, sha256, files = _assemble(app, plan, body.id, meeting.on, as_of, start)
    # One owner as the pack shows it: an owner cell that is none of these lists several.
    owners = {o.label for o in plan.organisations} | {o.id for o in plan.organisations}
    # The programme in brackets, as every other mail's subject starts.
    programme = plan.programme.short_title or plan.programme.title
    subject = header_text(
        f"[{programme}] Agenda {body.name} {_long(meeting.on)} (stand per {_long(as_of)})"
    )
    # The PDF and its annex by reference (archive id and hash): read when each mail is sent.
    payload: dict[str, Any] = {"body": body.id, "meeting": meeting.on.isoformat()}
    payload |= {"sha256": sha256, ATTACHMENTS: attachment_refs(files)}
    messages = [
        OutboxRecord(
            key=keys[c.id],
            kind=PACK_KIND,
            recipient=c.id,
            recipient_name=c.name,
            email=c.email,
            slack=c.slack,
            subject=subject,
            body_text=markdown_to_text(markdown, owners),
            body_html=html,
            payload=payload,
            created_on=as_of,
        )
        for c in contacts
        if keys[c.id] in missing
    ]
    with app.session() as session, session.begin():
        sync_store(app, session, plan)
        return Repository(session, plan.programme.id).enqueue(messages)


def _assemble(
    app: App, plan: Plan, body_id: str, meeting_on: date, as_of: date, start: date | None = None
) -> tuple[str, str, str, list[Attachment]]:
    """The pack as HTML (archived, with its hash) and Markdown (the message's text part, read
    as plain text: :func:`reports.plain_text.markdown_to_text`), and the files the mail
    carries: the PDF ``regie report agenda --format pdf`` makes and its annex, archived with
    the HTML (one pack, one set of parameters) and referred to by archive id and hash;
    ``start``: where its decision list starts (:func:`decisions_from`)."""
    from notifications.base import Attachment
    from regie.pdf_worker import _chart_maker
    from regie.report_archive import archive_agenda, download_name
    from regie.reports import (
        _agenda_charts,
        _agenda_pack,
        agenda_parameters,
        annex_name,
        render_agenda,
    )

    # With its data cut-off (the round's instants, the earlier packs it read): archived with
    # it, as a pack made with `regie report agenda` is, so that it is made again byte for byte.
    pack, cut_off = _agenda_pack(app, body_id, meeting_on, as_of, plan=plan, decisions_from=start)
    # Each chart drawn once for both documents (SVG in the HTML, PNG in the PDF).
    charts = _chart_maker(lambda cf: _agenda_charts(pack, cf), ("html", "pdf"))
    html = render_agenda(pack, "html", charts=charts)
    pdf = render_agenda(pack, "pdf", charts=charts)
    parameters = agenda_parameters(body_id, meeting_on, as_of, start, pack)
    stored = archive_agenda(
        app, plan, pack, cut_off, parameters, {"html": html, "pdf": pdf}, True, made_via="prepare"
    )
    pdf_file, annex_file = stored[1], stored[2]
    files = [
        Attachment(
            download_name("agenda", "pdf", parameters, pdf_file.archive_id or 0),
            "application/pdf",
            pdf_file.archive_id or 0,
            pdf_file.sha256,
        ),
        # Under the name the PDF refers to it by (as `regie report agenda` writes it).
        Attachment(annex_name(pack), "text/html", annex_file.archive_id or 0, annex_file.sha256),
    ]
    markdown = render_agenda(pack, "md").decode()
    return html.decode(), markdown, stored[0].sha256, files


def _long(day: date) -> str:
    from reports.render import long_date

    return long_date(day)
