"""The one place where settings, database, plan and notifier are wired together."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from regie.config import Settings, load_settings
from regie.errors import DatabaseNotReady, InvalidInput

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

    from governance.plan import Plan
    from notifications.base import Notifier


@dataclass
class App:
    settings: Settings
    _checked_schema: bool = field(default=False, repr=False)
    _programme_id: str | None = field(default=None, repr=False)

    @cached_property
    def engine(self) -> Engine:
        from store import make_engine

        return make_engine(self.settings.database_url)

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        from store import session_factory

        return session_factory(self.engine)

    def session(self) -> Session:
        """A session on a database at the latest migration (SQLite is migrated on first use)."""
        self.ensure_schema()
        return self.sessions()

    def ensure_schema(self) -> None:
        if self._checked_schema:
            return
        from store import current_revision, head_revision, upgrade

        try:
            current = current_revision(self.settings.database_url)
        except Exception as exc:  # an unreachable server or a bad URL: one line, no traceback
            raise DatabaseNotReady(f"database {self.safe_url}: {first_line(exc)}") from exc
        if current != head_revision():
            if self.settings.is_sqlite:
                try:
                    upgrade(self.settings.database_url)  # the embedded default just works
                except Exception as exc:  # e.g. a database from a newer Regie
                    raise DatabaseNotReady(
                        f"database {self.safe_url} is at revision {current}: {first_line(exc)}"
                    ) from exc
            else:
                raise DatabaseNotReady(
                    f"database {self.safe_url} is at revision {current or 'none'}, "
                    f"not {head_revision()}: run `regie db upgrade`"
                )
        self._checked_schema = True

    @property
    def safe_url(self) -> str:
        from sqlalchemy import make_url

        return make_url(self.settings.database_url).render_as_string(hide_password=True)

    def load_plan(self, path: Path | None = None) -> Plan:
        from regie.parse_cache import load_plan_cached

        plan, problems = load_plan_cached(
            path or self.settings.plan_path, self.settings.home / "cache"
        )
        if plan is None or problems:
            raise InvalidInput(*(str(p) for p in problems))
        if path is None:
            self._programme_id = plan.programme.id
        return plan

    def programme_id(self) -> str:
        """The programme the plan file describes (scopes every query)."""
        if self._programme_id is None:
            self._programme_id = self.load_plan().programme.id
        return self._programme_id

    def notifier(self) -> Notifier:
        """The notifier the settings ask for (REGIE_NOTIFIER), built from plain arguments."""
        if self.settings.notifier == "file":
            from notifications.file_outbox import FileOutbox

            return FileOutbox(self.settings.outbox_dir)
        raise InvalidInput(f"REGIE_NOTIFIER={self.settings.notifier!r} is not available")


def first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def bootstrap(settings: Settings | None = None) -> App:
    return App(settings or load_settings())
