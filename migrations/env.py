"""Alembic environment: async engine from the app settings, metadata from app.models.

The URL is ``DATABASE_URL`` (through the same engine factory as the app: multi-host libpq URLs,
statement timeouts ...) unless ``-x url=...`` or ``config.attributes["url"]`` is given.
"""

from __future__ import annotations

import asyncio
from logging.config import fileConfig

from alembic import context
from sqlalchemy.engine import Connection

import app.models  # noqa: F401 - registers every table
from app.core.config import get_settings, normalise_database_url
from app.core.db import create_engine
from app.core.models import Base

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logging", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata


def _url() -> str:
    url = config.attributes.get("url") or context.get_x_argument(as_dictionary=True).get("url")
    if url:
        return normalise_database_url(url)
    settings = config.attributes.get("settings") or get_settings()
    return str(settings.database_url)


def _configure(connection: Connection | None = None, url: str | None = None) -> None:
    context.configure(
        connection=connection,
        url=url,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite ALTERs
        compare_type=True,
        compare_server_default=True,
        literal_binds=connection is None,
    )


def run_migrations_offline() -> None:
    _configure(url=_url())
    with context.begin_transaction():
        context.run_migrations()


def _run_sync(connection: Connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # Batch "move and copy" (SQLite ALTERs) drops the old table: with foreign keys enforced that DROP
        # cascade-deletes every row referencing it (alembic docs, "Dealing with Referencing Foreign Keys").
        # The pragma is a no-op inside a transaction: set it first, on its own.
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()
    _configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()
    if sqlite:
        connection.commit()
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"foreign key violations after the migration: {len(broken)} rows")
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        connection.commit()


async def run_migrations_online() -> None:
    settings = config.attributes.get("settings") or get_settings()
    engine = create_engine(_url(), settings, role="migrations")
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run_sync)
            await connection.commit()
    finally:
        await engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run_sync(connection)
    else:
        asyncio.run(run_migrations_online())
