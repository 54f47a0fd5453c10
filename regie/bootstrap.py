"""The one place where settings, database, plan and notifier are wired together."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from regie.config import Settings, load_settings
from regie.errors import DatabaseNotReady, InvalidInput

#: Lines for the command's stderr once it has succeeded (a failing command's error stays its
#: only output: one line per problem).
NOTES: list[str] = []

#: One writer lock per SQLite database in this process (see :meth:`App.writing`).
_WRITERS: dict[str, threading.RLock] = {}
_WRITERS_LOCK = threading.Lock()

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine
    from sqlalchemy.orm import Session, sessionmaker

    from governance.plan import Plan
    from governance.planfile.nodes import Problem
    from notifications.base import Attachment, Notifier


@dataclass
class App:
    settings: Settings
    _checked_schema: bool = field(default=False, repr=False)
    #: `regie doctor` ("changes nothing"): REGIE_HOME and its cache are read, never created or
    #: written (a mistyped home stays absent; root leaves no root-owned cache behind).
    read_only: bool = field(default=False, repr=False)
    _programme_id: str | None = field(default=None, repr=False)

    @cached_property
    def engine(self) -> Engine:
        from store import make_engine

        self.require_usable_sqlite()  # before a file (and its directory) can be created
        settings = self.settings
        return make_engine(
            settings.database_url,
            synchronous=settings.sqlite_synchronous,
            lock_timeout=settings.db_lock_timeout,
            connect_timeout=settings.db_connect_timeout,
        )

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        from store import session_factory

        return session_factory(self.engine)

    def session(self) -> Session:
        """A session on a database at the latest migration (SQLite is migrated on first use)."""
        self.ensure_schema()
        return self.sessions()

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A plain connection for reads (same schema check as :meth:`session`): no ORM, for
        a command that only reads before it renders (the agenda pack, :mod:`store.reports_read`).
        """
        self.ensure_schema()
        with self.engine.connect() as connection:
            yield connection

    def ensure_schema(self) -> None:
        if self._checked_schema:
            return
        from regie.disk_full import full_disk
        from store import current_revision, head_revision, upgrade

        self.require_usable_sqlite()
        new_database = self.settings.new_database_note()
        try:
            current = current_revision(
                self.settings.database_url, connect_timeout=self.settings.db_connect_timeout
            )
        except Exception as exc:  # an unreachable server or a bad URL: one line, no traceback
            said = full_disk(exc, self.settings.database_url) or first_line(exc)
            raise DatabaseNotReady(f"database {self.safe_url}: {said}") from exc
        if current != head_revision():
            from store.db import newer_than_code

            if newer_than_code(current):
                raise DatabaseNotReady(newer_database(self.safe_url, current))
            if self.settings.is_sqlite:
                # The embedded default just works, on any first command (a read-only one too):
                # a database with history is copied first, so the upgrade can be undone.
                kept = self._keep_before_upgrade(head_revision()) if current else None
                try:
                    upgrade(self.settings.database_url)
                except Exception as exc:  # e.g. a database from a newer Regie
                    said = full_disk(exc, self.settings.database_url) or first_line(exc)
                    raise DatabaseNotReady(
                        f"database {self.safe_url} is at revision {current}: {said}"
                    ) from exc
                if new_database is not None and current is None:
                    NOTES.append(new_database)
                if kept is not None:
                    import sys

                    print(  # one line on the command's stderr; stdout stays the command's
                        f"regie: database upgraded from revision {current} to {head_revision()}"
                        f"; the database as it was is kept as {kept} (to go back: install the "
                        f"earlier version of Regie again, then `regie db restore {kept} --yes`; "
                        "this version would upgrade it again)",
                        file=sys.stderr,
                    )
            else:
                raise DatabaseNotReady(
                    f"database {self.safe_url} is at revision {current or 'none'}, "
                    f"not {head_revision()}: run `regie db upgrade`"
                )
        self._checked_schema = True

    def _keep_before_upgrade(self, revision: str) -> Path | None:
        """A consistent copy of the SQLite database before it is migrated to ``revision``
        (:func:`regie.sqlite_copy.keep_before_upgrade`: beside it, 0600, the newest few kept);
        None for a database without a file. No copy, no upgrade: one line, exit 3."""
        from regie.errors import RegieError
        from regie.sqlite_copy import keep_before_upgrade
        from store.urls import sqlite_file

        name = sqlite_file(self.settings.database_url)
        database = None if name is None else Path(name).expanduser()
        if database is None or not database.is_file():
            return None
        try:
            return keep_before_upgrade(database, revision)
        except RegieError as exc:
            raise DatabaseNotReady(
                f"database {self.safe_url} not upgraded to revision {revision}: a copy of it "
                f"could not be kept first: {exc}"
            ) from exc

    def require_usable_sqlite(self) -> None:
        """On SQLite, refuse in one line, before the database is touched: a file in a directory
        that does not exist (a mistyped REGIE_DATABASE_URL, not a new database there) or a
        library too old for Regie's SQL (not a syntax error in the middle of a cycle)."""
        if not self.settings.is_sqlite:
            return
        if (missing := self.settings.missing_database_directory()) is not None:
            raise InvalidInput(missing)
        from store.db import sqlite_shortfall

        if (shortfall := sqlite_shortfall()) is not None:
            raise DatabaseNotReady(f"database {self.safe_url}: {shortfall}")

    def private_home(self) -> None:
        """REGIE_HOME, when Regie has to create it, is made 0700 (it holds the database, the
        file outbox and caches: personal data); a home the admin made is left as it is.
        Nothing is raised here: whoever writes into the home reports what the disk refuses."""
        import contextlib

        from store.files import private_directory

        with contextlib.suppress(OSError):
            private_directory(self.settings.home)

    @property
    def safe_url(self) -> str:
        from sqlalchemy import make_url

        from store.urls import hide_password

        # SQLAlchemy masks the user info's password only, not a ``?password=`` in the query.
        url = make_url(self.settings.database_url).render_as_string(hide_password=True)
        return hide_password(url)

    def load_plan(self, path: Path | None = None) -> Plan:
        from regie.parse_cache import load_plan_cached

        if not self.read_only:
            self.private_home()
        plan, problems = load_plan_cached(
            path or self.settings.plan_path, self.settings.home / "cache", write=not self.read_only
        )
        where = path or self.settings.plan_path
        if plan is None or problems:
            # The checks after parsing run on what the refused file gives them too, so that
            # one run reports every problem (docs/plan-schema.md).
            from governance.planfile import plan_outline

            outline = plan_outline(where, problems)
            later = self._checked_after_parse(outline, where) if outline is not None else []
            found = sorted([*problems, *later], key=lambda p: (p.line, p.col))
            raise InvalidInput(*(str(p) for p in found))
        later = self._checked_after_parse(plan, where)
        if later:
            raise InvalidInput(*(str(p) for p in later))
        if self.settings.contacts_path is not None:
            from governance.planfile.contacts import validate_contacts_file

            plan, problems = validate_contacts_file(self.settings.contacts_path, plan)
            if plan is None or problems:
                raise InvalidInput(*(str(p) for p in problems))
        if path is None:
            self._programme_id = plan.programme.id
        return plan

    def _checked_after_parse(self, plan: Plan, where: Path) -> list[Problem]:
        """The problems found once the plan is built, because they need the holidays package,
        which parsing does not import: an unknown holidays country, meetings on days off."""
        from governance.clock import utcnow
        from governance.planfile import locate, locate_all
        from governance.workdays import UnknownHolidaysCountry
        from regie.holiday_cache import load_plan_holidays

        try:
            # Only the cache's span depends on the day (kept_years): UTC's date will do.
            load_plan_holidays(
                plan, self.settings.home / "cache", utcnow().date(), write=not self.read_only
            )
        except UnknownHolidaysCountry:
            country = plan.calendar.holidays_country
            message = (
                f"holidays_country {country!r}: no public holidays are known for that country code"
            )
            return [locate(where, ("calendar", "holidays_country"), message)]
        days_off = _meetings_on_days_off(plan)
        if not days_off:  # the usual case: no second, slow composing pass over the file
            return []
        # In file order, as every problem is said (a body's dates come by date: walk56e 4).
        return sorted(locate_all(where, days_off), key=lambda p: (p.line, p.col))

    def programme_id(self) -> str:
        """The programme every query is scoped to: the database's only programme, so that
        delivery and the audit log never wait for a plan file someone is editing; the plan
        file's when the database holds none or several. In a database holding several, while
        the plan has problems, the ``programme.id`` the file names: the commands that need no
        plan (send, outbox, events, prune) still serve it (fix57c 1)."""
        if self._programme_id is None:
            stored = self.stored_programme_ids(most=2)
            self._programme_id = stored[0] if len(stored) == 1 else self._plans_programme(stored)
        return self._programme_id

    def _plans_programme(self, stored: list[str]) -> str:
        try:
            return self.load_plan().programme.id
        except InvalidInput:
            if not stored:  # nothing stored to serve: the plan's problems are the answer
                raise
            from governance.planfile import programme_named

            named = programme_named(self.settings.plan_path)
            if named is None:
                raise
            return named

    def stored_programme_ids(self, *, most: int) -> list[str]:
        """The first ``most`` programmes the database holds, by id."""
        from store.doctor import stored_programme_ids

        with self.session() as session:
            return stored_programme_ids(session, most=most)

    def writing(self) -> AbstractContextManager[object]:
        """One writer at a time per SQLite database in this process. SQLite serialises writers
        anyway, but a transaction that read before it writes is refused at once ('database is
        locked') when another wrote meanwhile; queueing writers here avoids that for threads
        (the send loop's workers, the Slack cache, concurrent answers). PostgreSQL: no lock."""
        if not self.settings.is_sqlite:
            return nullcontext()
        with _WRITERS_LOCK:
            return _WRITERS.setdefault(self.settings.database_url, threading.RLock())

    def notifier(self, plan: Plan | None = None) -> Notifier:
        """The notifier the settings ask for (REGIE_NOTIFIER), built from plain arguments: one
        channel, or a router over several in priority order."""
        names = self.settings.notifiers
        if names == ("file",):
            return self.channel("file", plan)
        from notifications.routing import Router

        plan = plan or self._plan_if_readable()
        # Without a readable plan (someone is editing it) queued messages still go out: each
        # carries its contact's channel (issue #7 §4); the plan only covers older messages.
        preferred = {c.id: c.channel for c in plan.contacts if c.channel} if plan else {}
        return Router([self.channel(name, plan) for name in names], preferred)

    def _plan_if_readable(self) -> Plan | None:
        try:
            return self.load_plan()
        except InvalidInput:
            return None

    def channel(self, name: str, plan: Plan | None = None) -> Notifier:
        """One channel's notifier (``file``, ``slack`` or ``email``)."""
        settings = self.settings
        if name == "file":
            from notifications.file_outbox import FileOutbox

            # The copy carries the From and Reply-To the mail itself would (the office
            # previews what goes out); without SMTP settings, Regie's own From.
            plan = plan or self._plan_if_readable()
            return FileOutbox(
                settings.outbox_dir,
                mail_from=self.mail_from(plan)[0],
                reply_to=self.mail_reply_to(plan),
                read_attachment=self._read_attachment,
            )
        if name == "slack" and settings.slack is not None:
            from notifications.slack import SlackNotifier, web_client
            from store.slack_lookups import SlackUserCache

            self.ensure_schema()
            client = web_client(settings.slack.token, settings.slack.api_url)
            return SlackNotifier(
                client,
                SlackUserCache(self.sessions, writing=self.writing),
                rate=settings.slack.rate,
            )
        if name == "email" and settings.smtp is not None:
            from notifications.email import EmailNotifier

            smtp = settings.smtp
            plan = plan or self._plan_if_readable()
            mail_from, setting = self.mail_from(plan)
            if mail_from is None:  # before a message is claimed: they all stay queued
                raise InvalidInput(sender_problem(plan, None) or "REGIE_MAIL_FROM: not set")
            return EmailNotifier(
                smtp.host,
                smtp.port,
                mail_from=mail_from,
                sender_setting=setting,
                security=smtp.security,
                user=smtp.user,
                password=smtp.password,
                reply_to=self.mail_reply_to(plan),
                timeout=smtp.timeout,
                bouncing=self.bouncing_addresses(plan),
                read_attachment=self._read_attachment,
            )
        raise InvalidInput(f"REGIE_NOTIFIER: {name!r} is not configured")

    def _read_attachment(self, attachment: Attachment, programme_id: str | None) -> bytes | None:
        """A message's attachment from the report archive, read when it is sent (the notifier
        checks it against its hash): None when the archive does not hold it."""
        from store.reports_repo import ReportsRepository

        with self.session() as session:
            report = ReportsRepository(
                session, programme_id or self.programme_id()
            ).archived_report(attachment.archive_id)
        return None if report is None else report.content

    def mail_from(self, plan: Plan | None) -> tuple[str | None, str]:
        """The mail's From and where it is set: the plan's ``programme.mail_from`` (two
        programmes in one install each send as themselves), else REGIE_MAIL_FROM (None when
        neither is set: the file copy then has Regie's own)."""
        if plan is not None and plan.programme.mail_from:
            return plan.programme.mail_from, "programme.mail_from in the plan"
        smtp = self.settings.smtp
        return (smtp.mail_from if smtp else None), "REGIE_MAIL_FROM"

    def bouncing_addresses(self, plan: Plan | None) -> dict[str, str]:
        """Addresses (lower case) of the plan's contacts whose e-mail bounces, with the remote
        server's words (``regie mail bounces``); {} without a plan."""
        if plan is None:
            return {}
        from store.bounces import current_bounces

        self.ensure_schema()
        with self.session() as session:
            found = current_bounces(
                session, plan.programme.id, {c.id: c.email for c in plan.contacts}
            )
        return {
            b.email: " ".join(x for x in (b.status, b.diagnostic) if x) or "teruggestuurd"
            for b in found.values()
        }

    def mail_reply_to(self, plan: Plan | None) -> str | None:
        """The Reply-To of every mail (and of its file copy): REGIE_MAIL_REPLY_TO, else the
        programme-office contacts' addresses; None when there is neither (a reply would reach
        nobody, so the texts do not invite one)."""
        smtp = self.settings.smtp
        if smtp is not None and smtp.reply_to:
            return smtp.reply_to
        office = [c.email for c in plan.contacts if c.programme_office] if plan else []
        return ", ".join(e for e in office if e) or None


def sender_problem(plan: Plan | None, default: str | None) -> str | None:
    """One line when e-mail has no sender: neither the plan's ``programme.mail_from`` nor
    REGIE_MAIL_FROM (``default``); None when one of them names it. A one-programme office puts
    its sender in the plan; REGIE_MAIL_FROM is the default of a home with several."""
    if default or (plan is not None and plan.programme.mail_from):
        return None
    if plan is None:
        return (
            "REGIE_MAIL_FROM: not set, and the plan file does not load, so its "
            "programme.mail_from is not known: e-mail has no sender"
        )
    return (
        "REGIE_MAIL_FROM: not set, and the plan sets no programme.mail_from: e-mail has no "
        "sender (set either)"
    )


def newer_database(url: str, revision: str | None) -> str:
    from store import head_revision

    return (
        f"database {url} is at revision {revision}, newer than this Regie "
        f"(which knows up to {head_revision()}): use a newer Regie; `regie db upgrade` cannot help"
    )


def first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def bootstrap(settings: Settings | None = None) -> App:
    return App(settings or load_settings())


def bootstrap_for_links(*, queues: bool = True) -> App:
    """The App of a step that signs answer links and (``queues``; not in a dry run) queues
    them for people: the flows' deadline check, status round and meeting preparation, as
    `regie cycle`, `round` and `meeting prepare` do before their own work. An unusable key and
    a missing REGIE_BASE_URL (:meth:`Settings.refuse_unusable_key`,
    :meth:`Settings.refuse_local_links`) are refused here in one line, before the database is
    opened: a deployment's run fails with that line as its state message, nothing queued."""
    settings = load_settings()
    settings.refuse_unusable_key()
    if queues:
        settings.refuse_local_links()
    return App(settings)


def _meetings_on_days_off(plan: Plan) -> list[tuple[tuple[str | int, ...], str]]:
    """Meetings of the plan on a weekend day, public holiday or extra day off
    (docs/plan-schema.md, "Meetings"): exactly the meetings the schedules yield over the
    programme's term (:func:`governance.meetings.meeting_term`), the same whatever today is."""
    from governance.meetings import meeting_days_off, meeting_term
    from governance.workdays import WorkCalendar
    from regie.days_off import public_holiday

    if not any(body.meetings for body in plan.governance):
        return []
    first, last = meeting_term(plan.programme.start, plan.programme.end)
    schedules = [body.meetings for body in plan.governance]
    names = {d.on: d.name for d in plan.calendar.extra_days_off}
    calendar = WorkCalendar.for_plan(plan)
    return meeting_days_off(
        schedules, calendar.is_working_day, first, last, names,
        open_ended=plan.programme.end is None,
        public_holiday=public_holiday(plan, calendar),  # named as `regie meeting add` does
    )  # fmt: skip
