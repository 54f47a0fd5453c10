"""The store: SQLAlchemy models, Alembic migrations, plan sync and the repository.

The only package in the project with SQL. Tables come from migrations (:func:`upgrade`), never
from ``create_all``; callers own sessions and transactions.
"""

from governance.store.db import (
    MigrationError,
    current_revision,
    database_url_from_env,
    downgrade,
    head_revision,
    make_engine,
    normalise_url,
    session_factory,
    upgrade,
)
from governance.store.outbox import OutboxError
from governance.store.records import (
    EventRecord,
    Item,
    OutboxRecord,
    PreviousStates,
    Revision,
    StateRecord,
    StoredEvent,
)
from governance.store.repository import Repository, UnknownItem
from governance.store.sync import SyncResult, sync_plan
from governance.store.sync_fields import SyncError

__all__ = [
    "EventRecord",
    "Item",
    "MigrationError",
    "OutboxError",
    "OutboxRecord",
    "PreviousStates",
    "Repository",
    "Revision",
    "StateRecord",
    "StoredEvent",
    "SyncError",
    "SyncResult",
    "UnknownItem",
    "current_revision",
    "database_url_from_env",
    "downgrade",
    "head_revision",
    "make_engine",
    "normalise_url",
    "session_factory",
    "sync_plan",
    "upgrade",
]
