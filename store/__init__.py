"""The store: SQLAlchemy models, Alembic migrations, plan sync and the repository.

The only package in the project with SQL. Tables come from migrations (:func:`upgrade`), never
from ``create_all``; callers own sessions and transactions.

The names below are loaded on first use (PEP 562), so importing a light module such as
:mod:`store.urls` does not pull in SQLAlchemy and Alembic (≈ 0.5 s) on paths that never open the
database, e.g. ``regie plan validate``.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from store.db import (
        MigrationError,
        current_revision,
        downgrade,
        head_revision,
        make_engine,
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
    from store.urls import normalise_url

_HOMES = {
    "store.db": (
        "MigrationError",
        "current_revision",
        "downgrade",
        "head_revision",
        "make_engine",
        "session_factory",
        "upgrade",
    ),
    "store.outbox": ("OutboxError",),
    "store.records": (
        "EventRecord",
        "OutboxRecord",
        "PreviousStates",
        "Revision",
        "StateRecord",
        "StoredEvent",
    ),
    "store.repository": ("Repository", "UnknownItem"),
    "store.sync": ("SyncResult", "sync_plan"),
    "store.sync_fields": ("SyncError",),
    "store.urls": ("normalise_url",),
}
_MODULE_OF = {name: module for module, names in _HOMES.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:  # also how ``from store import outbox`` finds the submodule
        raise AttributeError(f"module 'store' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


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
