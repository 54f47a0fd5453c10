"""Settings from the environment, read once at bootstrap (never deep inside the domain)."""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from governance.clock import known_timezone
from regie.errors import InvalidInput

NOTIFIERS = ("file", "slack", "email")
SLACK_API_URL = "https://slack.com/api/"
SMTP_SECURITY = {"starttls": 587, "ssl": 465, "none": 25}
MIN_SECRET_KEY_LENGTH = 32  # characters; secrets.token_urlsafe(32) gives 43
DEFAULT_BASE_URL = "http://127.0.0.1:8000"
DEFAULT_CYCLE_LOCK_WAIT = 600.0  # REGIE_CYCLE_LOCK_WAIT: a flow run waits 10 minutes


@dataclass(frozen=True, slots=True)
class Settings:
    home: Path  # REGIE_HOME: SQLite database, file outbox, Prefect home
    database_url: str  # REGIE_DATABASE_URL, default SQLite under home
    plan_path: Path  # REGIE_PLAN, default plan/actions.yaml
    notifier: str  # REGIE_NOTIFIER as given: file (default), or a priority list "slack,email"
    timezone: str | None  # REGIE_TIMEZONE; None: the plan's calendar.timezone
    prefect_api_url: str | None = None  # PREFECT_API_URL: a Prefect server to tell about answers
    base_url: str = DEFAULT_BASE_URL  # REGIE_BASE_URL: where `regie serve` is reached (links)
    secret_key: str | None = None  # REGIE_SECRET_KEY: signs sessions, CSRF tokens, links
    #: REGIE_SECRET_KEY_PREVIOUS: the key before a rotation, still accepted when a link or form
    #: token is checked (never used to sign anything new) until it is removed.
    previous_secret_key: str | None = None
    slack_signing_secret: str | None = None  # REGIE_SLACK_SIGNING_SECRET: POST /slack/interactivity
    slack_app_token: str | None = None  # REGIE_SLACK_APP_TOKEN (xapp-…): `regie slack listen`
    slack_team_id: str | None = None  # REGIE_SLACK_TEAM_ID (T…/E…): only its interactions
    slack_app_id: str | None = None  # REGIE_SLACK_APP_ID (A…): only this app's interactions
    notifiers: tuple[str, ...] = ("file",)  # REGIE_NOTIFIER, parsed, in priority order
    contacts_path: Path | None = None  # REGIE_CONTACTS: real addresses kept out of git
    slack: SlackSettings | None = None  # set when REGIE_NOTIFIER names slack
    smtp: SmtpSettings | None = None  # set when REGIE_NOTIFIER names email
    simulate: bool = False  # REGIE_SIMULATE=1 (or `cycle --simulate`): allow days after today
    home_given: bool = False  # REGIE_HOME was set (not the default ./var)
    database_url_given: bool = False  # REGIE_DATABASE_URL was set (not the default in home)
    base_url_given: bool = False  # REGIE_BASE_URL was set (not the default, a local address)
    sqlite_synchronous: str = "full"  # REGIE_SQLITE_SYNCHRONOUS: full (default) or normal
    #: REGIE_DB_LOCK_TIMEOUT: seconds a statement waits for a lock another connection holds
    #: before the command fails (exit 3); None: SQLite's busy timeout (10 s), PostgreSQL 30 s.
    db_lock_timeout: float | None = None
    #: REGIE_DB_CONNECT_TIMEOUT: seconds to wait for PostgreSQL to accept a connection (libpq's
    #: connect_timeout); None: 10 s. A connect_timeout in REGIE_DATABASE_URL wins.
    db_connect_timeout: int | None = None
    #: REGIE_OUTBOX_GIVE_UP_HOURS: a message failing for a passing reason is dead only when its
    #: first attempt is this old as well as after its attempts; None: 24 h (store.outbox).
    outbox_give_up_hours: float | None = None
    #: REGIE_CYCLE_LOCK_WAIT: seconds a Prefect flow run waits for the cycle's lock held by
    #: another cycle (0: fails at once, as `regie cycle` does).
    cycle_lock_wait: float = DEFAULT_CYCLE_LOCK_WAIT
    #: REGIE_LOG_LEVEL: the least level `regie serve` and `regie slack listen` log (Regie's and
    #: the web server's loggers; other libraries stay at WARNING: their debug lines may hold
    #: tokens). REGIE_LOG_FORMAT: ``text`` lines or ``json``, an object a line.
    log_level: str = "WARNING"
    log_format: str = "text"

    def require_secret_key(self) -> str:
        """The signing key, or one clear line when it is missing, too short or too easy to
        guess (:mod:`regie.strength`: it signs sessions and every answer link)."""
        from regie.strength import KEY_HINT as hint

        if not self.secret_key:
            raise InvalidInput(f"REGIE_SECRET_KEY: not set; {hint}")
        return _checked_key(self.secret_key, "REGIE_SECRET_KEY")

    def verification_keys(self) -> tuple[str, ...]:
        """The keys a link, form token or CSRF token may be signed with: the current one
        (:meth:`require_secret_key`), then REGIE_SECRET_KEY_PREVIOUS during a rotation's grace
        period (as good as a current key must be: it still opens links). Only the first signs."""
        current = self.require_secret_key()
        previous = self.previous_secret_key
        if not previous or previous == current:
            return (current,)
        return (current, _checked_key(previous, "REGIE_SECRET_KEY_PREVIOUS"))

    def refuse_unusable_key(self) -> None:
        """A REGIE_SECRET_KEY (or REGIE_SECRET_KEY_PREVIOUS) that is set but too short or easy
        to guess, refused (one line) by a command that signs answer links with it (``cycle``,
        ``round``, ``meeting prepare``) as its first step: before SQLite is migrated, so a
        refused command has changed nothing (a key an older release accepted, refused after an
        upgrade), rather than when the queued messages are sent. An unset key is allowed: those
        commands then make no links."""
        if self.secret_key:
            self.verification_keys()  # the current key, and the previous one when set

    def refuse_local_links(self) -> None:
        """Refused (one line) by a command that queues answer links for e-mail (``cycle``,
        ``round``, ``meeting prepare``) while REGIE_BASE_URL is not set: every link would point
        at :data:`DEFAULT_BASE_URL`, which no owner can open. Only e-mail carries answer links
        (also as Slack's fall-back in ``slack,email``); Slack posts carry buttons, not links
        (notifications/slack_blocks.py), so a Slack-only home is fine, as are a local address
        set on purpose (a test), a file-only home (the demo) and a home without a key (no links
        are made). A message queued meanwhile keeps its placeholders and gets the address set
        when it is sent (:func:`regie.answer_links.rebased`)."""
        if self.base_url_given or not self.secret_key or "email" not in self.notifiers:
            return
        raise InvalidInput(
            "REGIE_BASE_URL: not set, but answer links go out by email and "
            f"would point at {DEFAULT_BASE_URL}, which owners cannot open; set it to the "
            "address owners reach `regie serve` at (e.g. https://regie.example.nl), or set "
            f"REGIE_BASE_URL={DEFAULT_BASE_URL} on purpose for a test"
        )

    def missing_database_directory(self) -> str | None:
        """Why a SQLite database file cannot be made where the URL says, or None. REGIE_HOME,
        the default database's place, is created as needed; any other directory must exist,
        so a mistyped REGIE_DATABASE_URL is one line rather than a new, empty database."""
        from store.urls import sqlite_file

        file = sqlite_file(self.database_url)
        if file is None:
            return None
        folder = Path(file).expanduser().parent
        if folder.is_dir() or folder.resolve() == self.home.resolve():
            return None
        if folder.exists():
            return f"REGIE_DATABASE_URL: {folder} is not a directory"
        return f"REGIE_DATABASE_URL: directory {folder} does not exist"

    def absent_database_file(self) -> Path | None:
        """The SQLite database file the URL names, as a full path, when it does not exist yet
        (a relative URL is relative to the working directory); None when it exists or the
        database is not an SQLite file (PostgreSQL, in memory)."""
        from store.urls import sqlite_file

        file = sqlite_file(self.database_url)
        if file is None:
            return None
        path = Path(file).expanduser()
        return None if path.exists() else path.absolute()

    def no_database_refusal(self, command: str) -> str | None:
        """Why ``command``, which only reads the database (or needs one to act on), is refused:
        the SQLite file the settings name does not exist, and opening it would make a new,
        empty one (a mistyped REGIE_DATABASE_URL). One line naming the setting and the path;
        None when the file exists or the database is not a file."""
        path = self.absent_database_file()
        if path is None:
            return None
        if self.database_url_given:
            setting, says = "REGIE_DATABASE_URL", "REGIE_DATABASE_URL names"
        else:
            setting, says = "REGIE_HOME", f"REGIE_HOME {self.home} holds"
        return (
            f"{command}: {says} no database ({path}); nothing was made: check {setting}, "
            "or create the database with `regie db upgrade`"
        )

    def new_database_note(self) -> str | None:
        """Said once, when Regie is about to make a new SQLite database that a setting names:
        a mistyped REGIE_HOME or REGIE_DATABASE_URL would otherwise read as a programme without
        any updates. It names the setting that chose the file (REGIE_DATABASE_URL when set) and
        the file's full path (a relative URL is relative to the working directory). None for an
        existing database and for the default home's first run (the quick start)."""
        path = self.absent_database_file()
        if path is None:
            return None
        if self.database_url_given:
            return (
                f"regie: REGIE_DATABASE_URL names no existing database: a new, empty one was "
                f"made ({path}); if you meant an existing database, check "
                "REGIE_DATABASE_URL"
            )
        if not self.home_given:
            return None
        return (
            f"regie: REGIE_HOME {self.home} held no database: a new, empty one was made "
            f"({path}); if you meant an existing home, check REGIE_HOME"
        )

    @property
    def outbox_dir(self) -> Path:
        return self.home / "outbox"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@dataclass(frozen=True, slots=True)
class SlackSettings:
    token: str = field(repr=False)  # REGIE_SLACK_BOT_TOKEN, xoxb-…; never logged
    api_url: str = SLACK_API_URL  # REGIE_SLACK_API_URL (tests, Enterprise Grid)
    office_channel: str | None = None  # REGIE_SLACK_OFFICE_CHANNEL: escalations go here too
    rate: float = 10.0  # REGIE_SLACK_RATE: posts per second for the whole workspace


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    host: str  # REGIE_SMTP_HOST
    port: int  # REGIE_SMTP_PORT (default by security: 587, 465, 25)
    security: str  # REGIE_SMTP_SECURITY: starttls | ssl | none
    #: REGIE_MAIL_FROM: the sender when the plan sets no ``programme.mail_from`` (None: the
    #: plan's is the only one; :meth:`regie.bootstrap.App.missing_sender` says when neither is).
    mail_from: str | None
    user: str | None = None  # REGIE_SMTP_USER
    password: str | None = field(default=None, repr=False)  # REGIE_SMTP_PASSWORD; never logged
    reply_to: str | None = None  # REGIE_MAIL_REPLY_TO; None: the programme office
    timeout: float = 30.0


_TOKEN = re.compile(r"xoxb-[A-Za-z0-9-]+")
_ADDRESS = re.compile(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+")


def _checked_key(key: str, name: str) -> str:
    """``key`` (the variable ``name``), or one clear line when it is too short or too easy to
    guess (:mod:`regie.strength`: it signs sessions and every answer link)."""
    from regie.strength import KEY_HINT as hint
    from regie.strength import key_problem

    if len(key) < MIN_SECRET_KEY_LENGTH:
        raise InvalidInput(
            f"{name}: {len(key)} characters is too short (at least {MIN_SECRET_KEY_LENGTH}); {hint}"
        )
    if weak := key_problem(key):
        raise InvalidInput(f"{name}: too easy to guess: it {weak}; {hint}")
    return key


def load_settings(env: Mapping[str, str] | None = None, *, delivery: bool = True) -> Settings:
    """Read and check the REGIE_* variables; a bad value is one clear line, not a traceback.

    ``delivery=False`` for a command that only reads what was sent (``regie outbox``): the
    channels' own settings (REGIE_SLACK_*, REGIE_SMTP_*, REGIE_MAIL_*) are not required then,
    and a channel whose settings are incomplete is left unconfigured.
    """
    from store.urls import hide_password, unsupported, url_problem

    env = os.environ if env is None else env
    home = Path(env.get("REGIE_HOME") or "var").expanduser()
    url = database_url_from_env(home, env)
    problems = []
    if (problem := url_problem(url)) is not None:
        problems.append(f"REGIE_DATABASE_URL: {problem}: {hide_password(url)!r}")
    elif unsupported(url):
        problems.append(
            "REGIE_DATABASE_URL: only sqlite:/// and postgresql:// URLs are supported "
            f"(got {hide_password(url)!r})"
        )
    elif url.startswith("sqlite") and (
        url.split("?")[0].rstrip("/") in ("sqlite:", "sqlite:/")
        or ":memory:" in url
        or "mode=memory" in url
    ):
        problems.append(
            "REGIE_DATABASE_URL: an in-memory SQLite database forgets everything when the "
            "command ends; use a file, e.g. sqlite:///var/regie.db"
        )
    notifier = (env.get("REGIE_NOTIFIER") or "file").lower()
    notifiers = _notifiers(notifier, problems)
    channel_problems: list[str] = []
    slack = _slack(env, channel_problems) if "slack" in notifiers else None
    smtp = _smtp(env, channel_problems) if "email" in notifiers else None
    if delivery:
        problems.extend(channel_problems)
    contacts = env.get("REGIE_CONTACTS") or None
    timezone = env.get("REGIE_TIMEZONE") or None
    if timezone is not None and not known_timezone(timezone):
        problems.append(f"REGIE_TIMEZONE: unknown time zone {timezone!r}")
    prefect_api = (env.get("PREFECT_API_URL") or "").strip() or None
    if prefect_api is not None and not valid_api_url(prefect_api):
        problems.append(f"PREFECT_API_URL: not an http(s) URL: {hide_password(prefect_api)!r}")
    base_url = (env.get("REGIE_BASE_URL") or "").strip() or DEFAULT_BASE_URL
    base_url = base_url.rstrip("/")
    if _has_blank(base_url):
        # urlsplit drops line breaks and tabs, so the check below alone would pass a value
        # whose links break in every mail and header it is written into.
        problems.append(
            f"REGIE_BASE_URL: contains a space, tab or line break: {hide_password(base_url)!r}"
        )
    elif not valid_base_url(base_url):
        problems.append(f"REGIE_BASE_URL: not an http(s) URL: {hide_password(base_url)!r}")
    app_token = env.get("REGIE_SLACK_APP_TOKEN") or None
    if app_token is not None and not app_token.startswith("xapp-"):
        problems.append(
            "REGIE_SLACK_APP_TOKEN: not an app-level token (it must start with 'xapp-')"
        )
    # Interactions (buttons, the modal) are taken only from this workspace and app when set:
    # a request from another one, signed with the same secret, is refused (regie.slack_answers).
    team_id = (env.get("REGIE_SLACK_TEAM_ID") or "").strip() or None
    if team_id is not None and not re.fullmatch(r"[TE][A-Z0-9]{2,}", team_id):
        problems.append(
            f"REGIE_SLACK_TEAM_ID: {team_id!r} is not a workspace id (T…) or organisation id (E…)"
        )
    app_id = (env.get("REGIE_SLACK_APP_ID") or "").strip() or None
    if app_id is not None and not re.fullmatch(r"A[A-Z0-9]{2,}", app_id):
        problems.append(f"REGIE_SLACK_APP_ID: {app_id!r} is not a Slack app id (A…)")
    synchronous = (env.get("REGIE_SQLITE_SYNCHRONOUS") or "full").lower()
    if synchronous not in ("normal", "full"):
        problems.append(f"REGIE_SQLITE_SYNCHRONOUS: {synchronous!r} is not 'normal' or 'full'")
    lock_timeout = _lock_timeout(env.get("REGIE_DB_LOCK_TIMEOUT"), problems)
    connect_timeout = _connect_timeout(env.get("REGIE_DB_CONNECT_TIMEOUT"), problems)
    give_up_hours = _give_up_hours(env.get("REGIE_OUTBOX_GIVE_UP_HOURS"), problems)
    lock_wait = _cycle_lock_wait(env.get("REGIE_CYCLE_LOCK_WAIT"), problems)
    log_level, log_format = _logging(env, problems)
    simulate = _simulate(env.get("REGIE_SIMULATE"), problems)
    if problems:
        raise InvalidInput(*problems)
    return Settings(
        home=home,
        database_url=url,
        plan_path=Path(env.get("REGIE_PLAN") or "plan/actions.yaml").expanduser(),
        notifier=notifier,
        timezone=timezone,
        prefect_api_url=prefect_api,
        base_url=base_url,
        secret_key=env.get("REGIE_SECRET_KEY") or None,
        previous_secret_key=env.get("REGIE_SECRET_KEY_PREVIOUS") or None,
        slack_signing_secret=env.get("REGIE_SLACK_SIGNING_SECRET") or None,
        slack_app_token=app_token,
        slack_team_id=team_id,
        slack_app_id=app_id,
        sqlite_synchronous=synchronous,
        db_lock_timeout=lock_timeout,
        db_connect_timeout=connect_timeout,
        outbox_give_up_hours=give_up_hours,
        cycle_lock_wait=lock_wait,
        log_level=log_level,
        log_format=log_format,
        notifiers=notifiers,
        contacts_path=Path(contacts).expanduser() if contacts else None,
        slack=slack,
        smtp=smtp,
        simulate=simulate,
        home_given=bool(env.get("REGIE_HOME")),
        database_url_given=bool(env.get("REGIE_DATABASE_URL")),
        base_url_given=bool((env.get("REGIE_BASE_URL") or "").strip()),
    )


#: REGIE_SIMULATE's values: on, off (unset or empty: off).
SIMULATE_ON, SIMULATE_OFF = ("1", "true", "yes"), ("0", "false", "no")


def _simulate(value: str | None, problems: list[str]) -> bool:
    """REGIE_SIMULATE: on or off; any other value is refused, not read as off (walk55c 7)."""
    text = (value or "").strip().lower()
    if text and text not in SIMULATE_ON + SIMULATE_OFF:
        problems.append(
            f"REGIE_SIMULATE: {value!r} is not one of {', '.join(SIMULATE_ON + SIMULATE_OFF)}"
        )
    return text in SIMULATE_ON


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
LOG_FORMATS = ("text", "json")


def _logging(env: Mapping[str, str], problems: list[str]) -> tuple[str, str]:
    """REGIE_LOG_LEVEL (default warning) and REGIE_LOG_FORMAT (default text), checked."""
    level = (env.get("REGIE_LOG_LEVEL") or "warning").strip().upper()
    if level not in LOG_LEVELS:
        shown = ", ".join(x.lower() for x in LOG_LEVELS)
        problems.append(f"REGIE_LOG_LEVEL: {env.get('REGIE_LOG_LEVEL')!r} is not one of {shown}")
        level = "WARNING"
    form = (env.get("REGIE_LOG_FORMAT") or "text").strip().lower()
    if form not in LOG_FORMATS:
        problems.append(f"REGIE_LOG_FORMAT: {env.get('REGIE_LOG_FORMAT')!r} is not text or json")
        form = "text"
    return level, form


#: The longest REGIE_DB_LOCK_TIMEOUT: a day (PostgreSQL takes at most 2^31 - 1 ms).
MAX_LOCK_TIMEOUT = 86_400


def _lock_timeout(value: str | None, problems: list[str]) -> float | None:
    """REGIE_DB_LOCK_TIMEOUT in seconds (a fraction allowed), or None when not set."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not 0 < seconds <= MAX_LOCK_TIMEOUT:  # NaN and inf fail this too
        problems.append(
            f"REGIE_DB_LOCK_TIMEOUT: {text!r} is not a number of seconds "
            f"(more than 0, at most {MAX_LOCK_TIMEOUT})"
        )
        return None
    return seconds


def _connect_timeout(value: str | None, problems: list[str]) -> int | None:
    """REGIE_DB_CONNECT_TIMEOUT in whole seconds (libpq's connect_timeout: at least 2 s, a 1
    counts as 2), or None when not set."""
    text = (value or "").strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) <= MAX_LOCK_TIMEOUT:
        problems.append(
            f"REGIE_DB_CONNECT_TIMEOUT: {text[:20]!r} is not a whole number of seconds "
            f"(more than 0, at most {MAX_LOCK_TIMEOUT})"
        )
        return None
    return int(text)


#: The longest REGIE_OUTBOX_GIVE_UP_HOURS: six days, so that a message dead at its end (plus
#: a last back-off of 12 h) is still said by `regie send` (dead ones of the last 7 days).
MAX_GIVE_UP_HOURS = 144


def _bounded_number(
    name: str, value: str | None, unit: str, maximum: float, problems: list[str]
) -> float | None:
    """A setting that is a number from 0 to ``maximum`` (a fraction allowed), or None when not
    set; a bad one is one line in ``problems`` (and None)."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    if not 0 <= number <= maximum:  # NaN and inf fail this too
        problems.append(
            f"{name}: {text[:20]!r} is not a number of {unit} (at least 0, at most {maximum})"
        )
        return None
    return number


def _give_up_hours(value: str | None, problems: list[str]) -> float | None:
    """REGIE_OUTBOX_GIVE_UP_HOURS (a fraction allowed; 0: dead after the attempts alone), or
    None when not set."""
    return _bounded_number(
        "REGIE_OUTBOX_GIVE_UP_HOURS", value, "hours", MAX_GIVE_UP_HOURS, problems
    )


def _cycle_lock_wait(value: str | None, problems: list[str]) -> float:
    """REGIE_CYCLE_LOCK_WAIT in seconds (a fraction allowed, 0 to a day); the default if unset."""
    seconds = _bounded_number("REGIE_CYCLE_LOCK_WAIT", value, "seconds", MAX_LOCK_TIMEOUT, problems)
    return DEFAULT_CYCLE_LOCK_WAIT if seconds is None else seconds


def _notifiers(value: str, problems: list[str]) -> tuple[str, ...]:
    names = [n.strip() for n in value.split(",")]
    out: list[str] = []
    for name in names:
        if name not in NOTIFIERS:
            shown = repr(name) if name else "an empty name"
            problems.append(
                f"REGIE_NOTIFIER: {shown} is not available (available: {', '.join(NOTIFIERS)})"
            )
        elif name in out:
            problems.append(f"REGIE_NOTIFIER: {name!r} is listed twice")
        else:
            out.append(name)
    return tuple(out) or ("file",)


def _slack(env: Mapping[str, str], problems: list[str]) -> SlackSettings | None:
    token = env.get("REGIE_SLACK_BOT_TOKEN") or ""
    start = len(problems)
    if not token:
        problems.append("REGIE_SLACK_BOT_TOKEN: not set, but REGIE_NOTIFIER names slack")
    elif not _TOKEN.fullmatch(token):
        # Never echo the value: it may be a real secret pasted into the wrong variable.
        problems.append("REGIE_SLACK_BOT_TOKEN: not a bot token (it must start with 'xoxb-')")
    url = env.get("REGIE_SLACK_API_URL") or SLACK_API_URL
    if not re.fullmatch(r"https?://[^\s/]+(/\S*)?", url):
        from store.urls import hide_password

        problems.append(f"REGIE_SLACK_API_URL: not an http(s) URL: {hide_password(url)!r}")
    rate = _number(env, "REGIE_SLACK_RATE", "10", float, problems)
    if rate is not None and not 0 < rate <= 1000:
        problems.append(f"REGIE_SLACK_RATE: {rate:g} posts per second is not in 0 < rate ≤ 1000")
    channel = env.get("REGIE_SLACK_OFFICE_CHANNEL") or None
    if channel is not None and not re.fullmatch(r"#?[A-Za-z0-9._-]+", channel):
        problems.append(
            f"REGIE_SLACK_OFFICE_CHANNEL: {channel!r} is not a channel id (C…) or #name"
        )
    if len(problems) > start or rate is None:
        return None
    return SlackSettings(
        token=token,
        api_url=url if url.endswith("/") else url + "/",
        office_channel=channel,
        rate=rate,
    )


def _smtp(env: Mapping[str, str], problems: list[str]) -> SmtpSettings | None:
    start = len(problems)
    host = env.get("REGIE_SMTP_HOST") or ""
    if not host:
        problems.append("REGIE_SMTP_HOST: not set, but REGIE_NOTIFIER names email")
    security = (env.get("REGIE_SMTP_SECURITY") or "starttls").lower()
    if security not in SMTP_SECURITY:
        problems.append(
            f"REGIE_SMTP_SECURITY: {security!r} is not one of {', '.join(SMTP_SECURITY)}"
        )
        security = "starttls"
    port = _number(env, "REGIE_SMTP_PORT", str(SMTP_SECURITY[security]), int, problems)
    if port is not None and not 0 < port < 65536:
        problems.append(f"REGIE_SMTP_PORT: {port} is not a port number (1–65535)")
    user = env.get("REGIE_SMTP_USER") or None
    password = env.get("REGIE_SMTP_PASSWORD") or None
    if (user is None) != (password is None):
        problems.append("REGIE_SMTP_USER and REGIE_SMTP_PASSWORD: set both (to log in) or neither")
    if user is not None and security == "none":
        problems.append(
            "REGIE_SMTP_SECURITY: 'none' would send REGIE_SMTP_PASSWORD in the clear; "
            "use starttls or ssl"
        )
    # Not required here: the plan's programme.mail_from may name the sender, and the plan is
    # not read with the settings (App.missing_sender checks the two together).
    mail_from = env.get("REGIE_MAIL_FROM") or None
    if mail_from is not None and not _ADDRESS.search(mail_from):
        problems.append(f"REGIE_MAIL_FROM: {mail_from!r} is not an e-mail address")
    reply_to = env.get("REGIE_MAIL_REPLY_TO") or None
    if reply_to is not None and not _ADDRESS.search(reply_to):
        problems.append(f"REGIE_MAIL_REPLY_TO: {reply_to!r} is not an e-mail address")
    if len(problems) > start or port is None:
        return None
    return SmtpSettings(
        host=host,
        port=port,
        security=security,
        mail_from=mail_from,
        user=user,
        password=password,
        reply_to=reply_to,
    )


T = TypeVar("T", int, float)


def _number(
    env: Mapping[str, str], name: str, default: str, kind: type[T], problems: list[str]
) -> T | None:
    raw = (env.get(name) or default).strip()
    try:
        return kind(raw)
    except ValueError:
        what = "a whole number" if kind is int else "a number"
        problems.append(f"{name}: {raw!r} is not {what}")
        return None


def valid_base_url(url: str) -> bool:
    """An http(s) URL with a host, without a query, fragment, blank or control character."""
    from urllib.parse import urlsplit

    if _has_blank(url):
        return False
    parts = urlsplit(url)
    return (
        parts.scheme in ("http", "https")
        and bool(parts.netloc)
        and not parts.query
        and not parts.fragment
    )


def _has_blank(text: str) -> bool:
    return any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in text)


def valid_api_url(url: str) -> bool:
    """Whether ``url`` can be a Prefect API URL (http(s), a host; a path such as ``/api``)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname) and " " not in url


def database_url_from_env(
    regie_home: Path | None = None, env: Mapping[str, str] | None = None
) -> str:
    """``REGIE_DATABASE_URL`` if set, else a SQLite file under ``regie_home``/REGIE_HOME/./var."""
    from store.urls import normalise_url

    env = os.environ if env is None else env
    url = env.get("REGIE_DATABASE_URL")
    if url:
        return normalise_url(url)
    home = regie_home if regie_home is not None else Path(env.get("REGIE_HOME") or "var")
    return f"sqlite:///{home.expanduser() / 'regie.db'}"
