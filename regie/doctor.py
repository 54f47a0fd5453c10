"""`regie doctor` and ``/healthz?full=1``: is this installation able to do its daily work?

Each check is one line, ``ok``, ``warning`` or ``fail``: the database (reachable, at the
latest revision), what the database role or the SQLite file allows, the plan file, the last
assessed day against the last working day, messages that are not getting out, the secret key,
the base URL, the channels' settings and (the command only) the Prefect API.

Nothing here changes anything: the database is never migrated (not even SQLite, which every
other command migrates on first use: :meth:`App.ensure_schema` is not called), no SMTP or
Slack connection is made, no lock is taken.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from governance.counts import count
from regie.bootstrap import App, first_line, newer_database, sender_problem
from regie.config import DEFAULT_BASE_URL
from regie.errors import RegieError

if TYPE_CHECKING:
    from governance.decisions import Decision
    from governance.plan import Plan

OK, WARNING, FAIL = "ok", "warning", "fail"
_RANK = {OK: 0, WARNING: 1, FAIL: 2}
#: Failed messages queued longer ago than this are reported (a message fails a few times on
#: a short outage and goes out on a later attempt: 1, 5, 30 minutes, 2 hours …).
DEFAULT_OUTBOX_HOURS = 4.0
NOT_CHECKED = "not checked: the database cannot be used (see the database check)"


@dataclass(frozen=True, slots=True)
class Check:
    check: str  # its name: database, privileges, plan, last-assessed, …
    status: str  # ok | warning | fail
    detail: str  # one line, English (an operator's diagnostic, like the rest of the CLI)

    def as_json(self) -> dict[str, str]:
        return {"check": self.check, "status": self.status, "detail": self.detail}

    def line(self) -> str:
        return f"{self.status:<7} {self.check}: {self.detail}"


def failed(checks: list[Check]) -> bool:
    return any(c.status == FAIL for c in checks)


def summary(checks: list[Check]) -> str:
    counts = {s: sum(1 for c in checks if c.status == s) for s in (FAIL, WARNING, OK)}
    return (
        f"{len(checks)} checks: {counts[FAIL]} failed, {counts[WARNING]} "
        f"warning{'' if counts[WARNING] == 1 else 's'}, {counts[OK]} ok"
    )


def run_checks(
    app: App,
    *,
    prefect: bool = True,
    outbox_hours: float = DEFAULT_OUTBOX_HOURS,
    now: datetime | None = None,
) -> list[Check]:
    """Every check, in order; ``prefect=False`` leaves out the Prefect API's (the web server's
    health page: it answers fast and asks no other server)."""
    from regie.services import utcnow

    now = now or utcnow()
    reached: list[bool] = []

    def database_check() -> Check:
        check, reachable = _database(app)
        reached.append(reachable)
        return check

    plan: list[Plan] = []

    def plan_check() -> Check:
        check, loaded = _plan(app)
        plan.extend([loaded] if loaded is not None else [])
        return check

    database = _safely("database", database_check)
    usable = database.status == OK
    checks = [database]
    if app.settings.is_sqlite or any(reached):  # a file's modes, or a server that answered
        checks.append(_safely("privileges", lambda: _privileges(app)))
    else:
        checks.append(Check("privileges", WARNING, NOT_CHECKED))
    checks.append(_safely("plan", plan_check))
    the_plan = plan[0] if plan else None
    if not usable:
        checks.append(Check("last-assessed", WARNING, NOT_CHECKED))
    elif the_plan is None:
        checks.append(Check("last-assessed", WARNING, "not checked: the plan file does not load"))
    else:
        checks.append(_safely("last-assessed", lambda: _last_assessed(app, the_plan)))
    if usable:
        checks.append(_safely("outbox", lambda: _outbox(app, the_plan, outbox_hours, now)))
    else:
        checks.append(Check("outbox", WARNING, NOT_CHECKED))
    if usable and the_plan is not None:
        checks.append(_safely("reports", lambda: _implicit_approvals(app, the_plan)))
    else:
        checks.append(Check("reports", WARNING, NOT_CHECKED))
    checks.append(_safely("secret-key", lambda: _secret_key(app)))
    checks.append(_safely("base-url", lambda: _base_url(app, usable, the_plan)))
    checks.append(_safely("channels", lambda: _channels(app, the_plan)))
    if usable and the_plan is not None:
        checks.append(_safely("mail", lambda: _mail(app, the_plan)))
    if prefect:
        checks.append(_safely("prefect", lambda: _prefect(app)))
    return checks


def _safely(name: str, check: Callable[[], Check]) -> Check:
    """A check that could not run (a driver error, a file the machine refuses) fails with the
    first line of why, never a traceback."""
    try:
        return check()
    except RegieError as exc:
        return Check(name, FAIL, "; ".join(exc.lines))
    except Exception as exc:  # a database or disk problem met while checking
        orig = getattr(exc, "orig", None)
        return Check(name, FAIL, first_line(orig if orig is not None else exc))


# --- the database ---------------------------------------------------------------------------


def _sqlite_path(url: str) -> tuple[Path | None, bool]:
    """The SQLite file ``url`` names (an SQLite ``file:`` URI's too) and whether it is opened
    read-only (``mode=ro``, ``immutable=1``); (None, False) for another database."""
    import sqlalchemy as sa

    parsed = sa.make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None, False
    name = parsed.database
    query = {k: v if isinstance(v, str) else v[-1] for k, v in parsed.query.items()}
    if name.startswith("file:"):
        from urllib.parse import parse_qsl, urlsplit

        parts = urlsplit(name)
        name = parts.path
        query.update(parse_qsl(parts.query))
    read_only = query.get("mode") == "ro" or query.get("immutable") in ("1", "true")
    return Path(name).expanduser(), read_only


def _database(app: App) -> tuple[Check, bool]:
    """The database check, and whether the database answered at all."""
    from store import head_revision
    from store.db import current_revision, newer_than_code, sqlite_shortfall

    settings = app.settings
    url = app.safe_url
    if settings.is_sqlite:
        if (missing := settings.missing_database_directory()) is not None:
            return Check("database", FAIL, missing), False
        path, _ = _sqlite_path(settings.database_url)
        if path is not None and not path.is_file():
            # Not opened: that would create it (and nothing here creates anything).
            detail = f"{url}: the file does not exist (`regie db upgrade` creates it)"
            return Check("database", FAIL, detail), False
        if (shortfall := sqlite_shortfall()) is not None:
            return Check("database", FAIL, f"{url}: {shortfall}"), False
    try:
        current = current_revision(app.engine)
    except Exception as exc:
        from regie.disk_full import full_disk

        orig = getattr(exc, "orig", None)
        said = full_disk(exc, settings.database_url) or first_line(orig or exc)
        return Check("database", FAIL, f"{url}: {said}"), False
    head = head_revision()
    if current == head:
        return Check("database", OK, f"{url}: at {current} (the latest)"), True
    if newer_than_code(current):
        return Check("database", FAIL, newer_database(url, current)), True
    how = "run `regie db upgrade`"
    if settings.is_sqlite:
        how += " (or any other command: it migrates SQLite)"
    found = current or "no revision (empty)"
    return Check("database", FAIL, f"{url}: at {found}, not {head}: {how}"), True


def _privileges(app: App) -> Check:
    settings = app.settings
    if settings.is_sqlite:
        return _sqlite_access(settings.database_url)
    from store.doctor import missing_postgres_privileges

    with app.engine.connect() as connection:
        role = connection.exec_driver_sql("SELECT current_user").scalar()
        missing = missing_postgres_privileges(connection)
    if missing:
        shown = ", ".join(missing[:5]) + (
            f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        )
        return Check(
            "privileges", FAIL,
            f"role {role} lacks {len(missing)} privilege{'' if len(missing) == 1 else 's'} "
            f"the daily work needs: {shown} (README, \"Database roles\": grant them again "
            "after an upgrade)",
        )  # fmt: skip
    return Check(
        "privileges", OK,
        f"role {role} may read, add, change and delete rows in every table of the schema",
    )  # fmt: skip


def _sqlite_access(url: str) -> Check:
    """What the service user may do with the SQLite file, its -wal/-shm files and its
    directory (SQLite creates files there: the WAL, its index, a rollback journal)."""
    path, read_only = _sqlite_path(url)
    if path is None:
        return Check("privileges", FAIL, "REGIE_DATABASE_URL names no SQLite file")
    problems = []
    if read_only:
        problems.append("REGIE_DATABASE_URL opens it read-only (mode=ro or immutable)")
    if not path.exists():
        problems.append(f"{path} does not exist")
    elif not os.access(path, os.R_OK | os.W_OK):
        problems.append(f"{path} is not readable and writable by this user")
    for suffix in ("-wal", "-shm"):
        extra = Path(f"{path}{suffix}")
        if extra.exists() and not os.access(extra, os.R_OK | os.W_OK):
            problems.append(f"{extra} is not readable and writable by this user")
    if path.parent.is_dir() and not os.access(path.parent, os.W_OK | os.X_OK):
        problems.append(
            f"directory {path.parent} is not writable by this user (SQLite makes its -wal "
            "and -shm files there)"
        )
    if problems:
        return Check("privileges", FAIL, "; ".join(problems))
    return Check("privileges", OK, f"{path} and its directory are writable by this user")


# --- the plan and the daily cycle -----------------------------------------------------------


def _plan(app: App) -> tuple[Check, Plan | None]:
    from regie.errors import InvalidInput

    path = app.settings.plan_path
    try:
        plan = app.load_plan()
    except InvalidInput as exc:
        n = len(exc.lines)
        return (
            Check(
                "plan", FAIL,
                f"{path}: {n} problem{'' if n == 1 else 's'}; `regie plan validate` lists them",
            ),
            None,
        )  # fmt: skip
    from regie.services import bodies_unreached, example_bodies, plan_counts

    detail = f"{path}: valid ({plan_counts(plan)})"
    unreached = bodies_unreached(plan)
    if unreached:  # a warning, not a failure: the cycle runs, these members just get nothing
        shown = ", ".join(f"{org} ({', '.join(bodies)})" for org, bodies in unreached.items())
        detail += f"; governance body members without a contact receive no agenda pack: {shown}"
    examples = example_bodies(plan)
    if examples:  # an example plan's made-up dates: packs and rounds would follow them
        detail += ("; meeting dates still marked 'example: true' (an example plan's, not "
                   f"yours): {', '.join(examples)}")  # fmt: skip
    empty = [b.id for b in plan.governance if not b.members and b.members_location is not None]
    if empty:  # `members: []` reads like members left out (walk32a 10; `plan validate` says how)
        detail += (f"; governance bodies with 'members: []' (rounds ask every owner, the pack "
                   f"goes to the office only): {', '.join(empty)}")  # fmt: skip
    if unreached or examples or empty:
        return Check("plan", WARNING, detail), plan
    return Check("plan", OK, detail), plan


def _last_assessed(app: App, plan: Plan) -> Check:
    """The last day a cycle assessed against the last working day before today (the plan's
    holiday calendar): the cycle runs on working days, so on Monday Friday's is enough, and
    before today's cycle has run, yesterday's. A database that holds other programmes and not
    the plan's fails with that (:mod:`regie.programme_guard`): the other installation's plan
    or database, whose first cycle would be refused."""
    from governance.workdays import WorkCalendar
    from regie.programme_guard import elsewhere, foreign_programmes, remedy, which
    from regie.services import today
    from store.states import last_assessed

    day = today(app, plan)
    expected = WorkCalendar.for_plan(plan).working_day_on_or_before(day - timedelta(days=1))
    with app.sessions() as session:  # never app.session(): that would migrate SQLite
        last = last_assessed(session, plan.programme.id)
        foreign = foreign_programmes(session, plan.programme.id) if last is None else []
    if foreign:  # a cycle would be refused: not "run `regie cycle`" (walk56c 1)
        return Check(
            "last-assessed", FAIL,
            f"{elsewhere(app.safe_url, plan.programme.id, foreign)}: {which(foreign)} "
            f"({remedy(foreign)})",
        )  # fmt: skip
    if last is None:
        return Check(
            "last-assessed", FAIL,
            f"{plan.programme.id}: no day assessed yet (run `regie cycle`)",
        )  # fmt: skip
    if last > day and not app.settings.simulate:  # no cycle runs until then (walk58d 2)
        return Check(
            "last-assessed", FAIL,
            f"{plan.programme.id}: last assessed {last}, after today ({day}): a cycle ran "
            "with the clock ahead (or `--as-of` ahead); no cycle runs before that day "
            '(docs/operations.md, "A clock that ran ahead")',
        )  # fmt: skip
    if last < expected:
        return Check(
            "last-assessed", FAIL,
            f"{plan.programme.id}: last assessed {last}, before the last working day "
            f"{expected}: has the daily `regie cycle` run?",
        )  # fmt: skip
    return Check(
        "last-assessed", OK,
        f"{plan.programme.id}: last assessed {last} (last working day before today: {expected})",
    )  # fmt: skip


def _implicit_approvals(app: App, plan: Plan) -> Check:
    """Progress reports archived as approved by a decision that does not name them (a
    text-only decision about their action: *impliciet goedgekeurd*), whose period has no
    report since that an approval names: a warning, with what to record."""
    from store.reports_repo import ReportsRepository

    with app.sessions() as session:
        repo = ReportsRepository(session, plan.programme.id)
        rows = repo.archived("voortgang")
        since = _naming_since(repo.decisions())
    implicit: dict[tuple[str, str, str], int] = {}
    named: set[tuple[str, str, str]] = set()
    for row in rows:
        p = row.parameters or {}
        period = (str(p.get("report", "")), str(p.get("from")), str(p.get("to")))
        if p.get("approval") == "implicit":
            implicit.setdefault(period, row.id)
        elif not p.get("concept") and int(p.get("layout", 1)) >= 3:
            named.add(period)
    open_ = {period: i for period, i in implicit.items() if period not in named}
    if not open_:
        return Check("reports", OK, "no progress report approved implicitly" + since)
    (report, first, last), archive_id = next(iter(open_.items()))
    spec = f"{report}:{first}/{last}" if report else f"OBLIGATION:{first}/{last}"
    return Check(
        "reports",
        WARNING,
        f"{count(len(open_), 'progress report')} impliciet goedgekeurd (a text-only decision about "
        f"the action, not naming the report), first archief {archive_id}: record the approval "
        f"(`regie decision add … --approves-report {spec}`) and make the report again{since}",
    )


def _naming_since(decisions: list[Decision]) -> str:
    """Which obligations a decision has approved by name, since when: a text-only decision
    about their action taken since approves none of their reports (governance.progress_front)."""
    first: dict[str, date] = {}
    for d in decisions:
        if d.approves is not None:
            got = first.get(d.approves.report_id)
            first[d.approves.report_id] = min(got, d.meeting_on) if got else d.meeting_on
    if not first:
        return ""
    named = ", ".join(f"{r} since {day}" for r, day in sorted(first.items()))
    return (
        f"; approvals name their report ({named}): a text-only decision about the action "
        "taken since approves none"
    )


def office_bounces(ids: list[str]) -> str:
    """``the only programme-office contact telos bounces``; two or more: ``contacts …
    bounce``."""
    if len(ids) == 1:
        return f"the only programme-office contact {ids[0]} bounces"
    return f"the only programme-office contacts {', '.join(ids)} bounce"


def _listed(keys: list[str]) -> str:
    return f"oldest {keys[0]}" + (f", newest {keys[-1]}" if len(keys) > 1 else "")


def _outbox(app: App, plan: Plan | None, hours: float, now: datetime) -> Check:
    from store.doctor import stored_programme_ids, stuck_messages
    from store.outbox import DEAD_NOTICED

    before = now - timedelta(hours=hours)
    with app.sessions() as session:
        if plan is not None:
            programme = plan.programme.id
        else:
            stored = stored_programme_ids(session)
            if len(stored) != 1:
                return Check("outbox", WARNING, "not checked: the plan file does not load")
            programme = stored[0]
        stuck = stuck_messages(session, programme, before=before, dead_since=now - DEAD_NOTICED)
    within = f"{hours:g} h"
    parts: list[tuple[str, str]] = []
    if stuck.dead:
        parts.append((
            FAIL,
            f"{count(len(stuck.dead), 'dead message')} (no more attempts, not sent), "
            f"{_listed(stuck.dead)}: see `regie outbox --status dead`, retry with "
            "`regie outbox retry --all-dead --yes`",
        ))  # fmt: skip
    if stuck.failed:
        parts.append((
            FAIL,
            f"{count(len(stuck.failed), 'failed message')} queued more than {within} ago, "
            f"{_listed(stuck.failed)}: `regie outbox --status failed` says why",
        ))  # fmt: skip
    if stuck.waiting:
        parts.append((
            WARNING,
            f"{count(len(stuck.waiting), 'pending message')} queued more than {within} ago, "
            f"{_listed(stuck.waiting)}: is `regie send` running?",
        ))  # fmt: skip
    stale, sending = _held(app, stuck.held, now)
    if stale:
        parts.append((WARNING, stale))
    if not parts:
        retried = (
            f" ({stuck.failing} failed in the last {within}: tried again)" if stuck.failing else ""
        )
        text = f"no message dead, failed or waiting for over {within}{retried}"
        return Check("outbox", OK, text + (f"; {sending}" if sending else ""))
    status = max((s for s, _ in parts), key=_RANK.__getitem__)
    texts = [text for _, text in parts] + ([sending] if sending else [])
    return Check("outbox", status, "; ".join(texts))


def _held(app: App, held: list[tuple[str, datetime]], now: datetime) -> tuple[str, str]:
    """What the messages claimed as 'sending' mean (walk58d 3): those claimed longer ago than
    a sender's claim holds (its sender stopped, and no send has run since: a warning), and
    those claimed since (a sender at work, or one that stopped: said when they go again)."""
    from regie.history import office_time
    from regie.services import office_zone
    from store.outbox import RECLAIM_AFTER

    if not held:
        return "", ""
    zone = office_zone(app)
    old = [(k, c) for k, c in held if c <= now - RECLAIM_AFTER]
    new = [(k, c) for k, c in held if c > now - RECLAIM_AFTER]
    stale = sending = ""
    if old:
        since = office_time(min(c for _, c in old), zone)
        stale = (
            f"{count(len(old), 'message')} held as `sending` since {since} by a sender that "
            f"stopped before it finished, {_listed([k for k, _ in old])}: the next `regie send` "
            "takes them again; is `regie send` running?"
        )
    if new:
        first = min(c for _, c in new)
        again = office_time(first + RECLAIM_AFTER, zone)
        sending = (
            f"{count(len(new), 'message')} being sent since {office_time(first, zone)} "
            f"(if their sender stopped: taken again from {again})"
        )
    return stale, sending


def _mail(app: App, plan: Plan) -> Check:
    """The mail server's refusal of our sender, and contacts whose e-mail bounces."""
    from regie.bounces import bouncing
    from regie.cycle import office_channel
    from store.bounces import sender_refused

    with app.sessions() as session:
        refused = sender_refused(session, plan.programme.id)
        bounces = bouncing(session, plan)
    parts: list[tuple[str, str]] = []
    if refused is not None:
        when, reason = refused
        parts.append((
            FAIL,
            f"since {when:%Y-%m-%d %H:%M} UTC no e-mail goes out: {reason} "
            f"(messages wait in the outbox; fix {app.mail_from(plan)[1]}, then `regie send`)",
        ))  # fmt: skip
    if bounces:
        listed = ", ".join(
            f"{cid} <{b.bounce.email}> ({b.reason})" for cid, b in sorted(bounces.items())
        )
        parts.append((
            WARNING,
            f"e-mail to {count(len(bounces), 'contact')} bounces: {listed}; their messages go by "
            "Slack or wait: correct the address in the plan or REGIE_CONTACTS",
        ))  # fmt: skip
        office = {c.id for c in plan.contacts if c.programme_office}
        if office and office <= set(bounces) and not office_channel(app):
            # The bounce notice goes to the office by mail: nobody there got it.
            parts.append((
                WARNING,
                f"{office_bounces(sorted(office))}: the "
                "office was not told by mail; set REGIE_SLACK_OFFICE_CHANNEL or add an office "
                "contact",
            ))  # fmt: skip
    if not parts:
        return Check("mail", OK, "no bounces recorded against current addresses")
    status = max((s for s, _ in parts), key=_RANK.__getitem__)
    return Check("mail", status, "; ".join(text for _, text in parts))


# --- settings -------------------------------------------------------------------------------


def _secret_key(app: App) -> Check:
    """A key that is set must be good; a missing one fails once messages reach people (their
    answer links are off, and `regie serve` would not start). A file-only home (the README's
    quick start and demo, a test home: nothing leaves the machine) only gets a warning saying
    what to do: nobody set a bad key there, its cycle needs none."""
    from regie.strength import KEY_HINT

    settings = app.settings
    if not settings.secret_key and set(settings.notifiers) <= {"file"}:
        return Check(
            "secret-key", WARNING,
            "REGIE_SECRET_KEY: not set: fine for a file-only home; `regie serve` and answer "
            f"links need one: {KEY_HINT}",
        )  # fmt: skip
    settings.require_secret_key()  # one line when missing, short or easy to guess
    if settings.previous_secret_key and settings.previous_secret_key != settings.secret_key:
        settings.verification_keys()  # the previous key opens links: as good as a current one
        # A grace period is meant to end: said until the old key is removed.
        return Check(
            "secret-key", WARNING,
            "REGIE_SECRET_KEY is set and not easy to guess; REGIE_SECRET_KEY_PREVIOUS is set: "
            "links and forms signed with the old key are still accepted; remove it 14 days "
            "after the last message sent before the rotation (at once if the old key leaked)",
        )  # fmt: skip
    return Check("secret-key", OK, "REGIE_SECRET_KEY is set and not easy to guess")


def _base_url(app: App, usable: bool, plan: Plan | None) -> Check:
    """REGIE_BASE_URL must be this server's public address once links leave the machine:
    answer links in e-mails to owners (made when REGIE_SECRET_KEY is set; Slack posts carry
    buttons, not links: :meth:`regie.config.Settings.refuse_local_links`) and calendar feeds'
    addresses (the plan's programme's tokens: another programme of a shared database has its
    own installation and base URL). A public address over plain http sends those links
    and the office's login unencrypted (and the session cookie is not ``Secure``): a warning."""
    settings = app.settings
    base = settings.base_url
    needs = []
    if settings.secret_key and "email" in settings.notifiers:
        needs.append("the answer links in messages")
    if usable:
        from store.doctor import active_calendar_tokens, stored_programme_ids

        with app.sessions() as session:
            if plan is not None:
                programme: str | None = plan.programme.id
            else:  # the database's only programme, else every programme's (not known)
                stored = stored_programme_ids(session)
                programme = stored[0] if len(stored) == 1 else None
            tokens = active_calendar_tokens(session, programme)
        if tokens:
            needs.append(f"{tokens} calendar feed address(es)")
    built = f"{' and '.join(needs)} are built from it"
    if not settings.base_url_given:
        if needs:
            return Check(
                "base-url", FAIL,
                f"REGIE_BASE_URL: not set, but {built}: they point at {DEFAULT_BASE_URL}",
            )  # fmt: skip
        return Check("base-url", OK, f"not set ({DEFAULT_BASE_URL}): no links leave this machine")
    if _local(base):
        if needs:
            return Check(
                "base-url", WARNING,
                f"{base}: a local address, but {built}: only this machine can open them "
                "(fine for a test; set the public address `regie serve` is reached at)",
            )  # fmt: skip
        return Check("base-url", OK, f"{base} (a local address): no links leave this machine")
    if base.startswith("http://"):
        return Check(
            "base-url", WARNING,
            f"{base}: plain http for a public address: answer links, calendar feeds and the "
            "office's login go unencrypted and the session cookie is not Secure; put TLS in "
            "front (docs/operations.md) and set an https:// address",
        )  # fmt: skip
    return Check("base-url", OK, base)


def _local(url: str) -> bool:
    """Whether ``url``'s host is this machine (a loopback name or address)."""
    import ipaddress
    from urllib.parse import urlsplit

    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _channels(app: App, plan: Plan | None) -> Check:
    """The settings of each channel REGIE_NOTIFIER names (no connection is made), and contacts
    of the plan asking for a channel that is not configured."""
    from regie.config import _slack, _smtp

    settings = app.settings
    problems: list[str] = []
    configured: list[str] = []
    for name in settings.notifiers:
        if name == "file":
            configured.append(f"file ({settings.outbox_dir})")
        elif name == "email":
            # The sender: the plan's programme.mail_from, else REGIE_MAIL_FROM (either will do).
            smtp = settings.smtp
            default = smtp.mail_from if smtp else os.environ.get("REGIE_MAIL_FROM")
            no_sender = sender_problem(plan, default or None)
            if smtp is None:
                before = len(problems)
                _smtp(os.environ, problems)
                problems.extend([no_sender] if no_sender else [])
                if len(problems) == before:
                    problems.append(
                        "REGIE_SMTP_*, REGIE_MAIL_*: incomplete, but REGIE_NOTIFIER names email"
                    )
            elif no_sender is not None:
                problems.append(no_sender)
            else:
                sender = app.mail_from(plan)[0]
                configured.append(f"email ({smtp.host}:{smtp.port} {smtp.security}, from {sender})")
        elif name == "slack":
            if settings.slack is None:
                before = len(problems)
                _slack(os.environ, problems)
                if len(problems) == before:
                    problems.append("REGIE_SLACK_*: incomplete, but REGIE_NOTIFIER names slack")
            else:
                configured.append("slack (bot token set)")
    if problems:
        return Check("channels", FAIL, "; ".join(problems))
    warnings = []
    if settings.notifiers == ("file",):
        warnings.append(
            "REGIE_NOTIFIER is file only: messages are written to "
            f"{settings.outbox_dir}, not sent to anyone"
        )
    if plan is not None:
        asked: dict[str, list[str]] = {}
        for contact in plan.contacts:
            if contact.channel and contact.channel not in settings.notifiers:
                asked.setdefault(contact.channel, []).append(contact.id)
        for channel, ids in sorted(asked.items()):
            shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
            warnings.append(
                f"contacts ask for {channel}, which REGIE_NOTIFIER does not name: {shown}"
            )
    if warnings:
        return Check("channels", WARNING, "; ".join(warnings))
    return Check("channels", OK, ", ".join(configured))


def _prefect(app: App) -> Check:
    """Whether the Prefect API a cycle would run on answers (a short look, no Prefect import).
    A warning, never a failure: `regie cycle` then exits 3, and the rest of Regie works."""
    from regie.config import valid_api_url
    from regie.prefect_setup import (
        prefect_api_url,
        prefect_api_url_source,
        prefect_environment,
        server_problem,
    )

    prefect_environment(app)  # the profile Regie's own runs would read
    from store.urls import hide_password

    url, source = prefect_api_url(), prefect_api_url_source()
    if url is None:
        return Check("prefect", OK, f"PREFECT_API_URL not set (in {source}): cycles run in-process")
    shown = hide_password(url)  # a password in the URL's user info is never printed
    if not valid_api_url(url):
        return Check(
            "prefect", WARNING, f"PREFECT_API_URL (from {source}): not an http(s) URL: {shown!r}"
        )
    problem = server_problem(url)
    if problem is not None:
        return Check(
            "prefect", WARNING,
            f"Prefect API {shown} (from {source}) is not reachable: {problem}"
            " (`regie cycle` exits 3 until it is)",
        )  # fmt: skip
    return Check("prefect", OK, f"Prefect API {shown} (from {source}) answers")
