"""The store: SQLAlchemy models, Alembic migrations, plan sync and the repository.

The only package in the project with SQL. Tables come from migrations (:func:`upgrade`), never
from ``create_all``; callers own sessions and transactions.
"""

from store.db import (
    MigrationError,
    current_revision,
    downgrade,
    head_revision,
    make_engine,
    normalise_url,
    session_factory,
    upgrade,
)
from store.outbox import OutboxError
from store.records import (
    EventRecord,
    OutboxRecord,
    PreviousStates,
    Revision,
    StateRecord,
    StoredEvent,
)
from store.repository import Repository, UnknownItem
from store.sync import SyncResult, sync_plan
from store.sync_fields import SyncError

__all__ = [
    "EventRecord",
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
    "downgrade",
    "head_revision",
    "make_engine",
    "normalise_url",
    "session_factory",
    "sync_plan",
    "upgrade",
]
