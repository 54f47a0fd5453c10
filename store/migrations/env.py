"""Alembic environment for Regie.

Two ways in: ``store.db.upgrade()`` passes an open connection through
``config.attributes["connection"]`` (it owns the transaction); the ``alembic`` command line
(``alembic.ini`` at the repository root) connects to ``REGIE_DATABASE_URL`` (default: the SQLite
file under REGIE_HOME or ./var).
"""

from __future__ import annotations

from logging.config import fileConfig
from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy.engine import Connection

from store.db import check_foreign_keys, migration_engine
from store.models import Base, UTCDateTime

config = context.config
# Only the `alembic` command line (which sets ``cmd_opts``) takes its logging from alembic.ini:
# Regie migrates in process, where fileConfig would reset the whole process's loggers (speed47).
if config.cmd_opts is not None and config.config_file_name is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata


def _database_url() -> str:
    url = config.get_main_option("sqlalchemy.url")
    if url:
        return url
    # Only the stand-alone `alembic` command gets here; Regie itself always passes the URL.
    from regie.config import database_url_from_env

    return database_url_from_env()


def _render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    # Migrations are frozen snapshots: render the plain column type, not our TypeDecorator.
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things: later migrations copy-and-rebuild tables instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=_render_item,
    )


def run_migrations_offline() -> None:
    url = _database_url()
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        render_as_batch=url.startswith("sqlite"),
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return

    engine = migration_engine(_database_url())
    try:
        with engine.begin() as conn:
            _configure(conn)
            with context.begin_transaction():
                context.run_migrations()
            check_foreign_keys(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
