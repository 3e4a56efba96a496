"""Async engines and sessions: one writer, optional readers (replicas) with fallback to the writer.

* ``WriteSession`` — a session on the primary. Services call ``await session.commit()`` themselves;
  the dependency rolls back anything left uncommitted and closes the session.
* ``ReadSession`` — a session on a healthy replica when ``DATABASE_READ_URLS`` is set; a replica that
  cannot be reached is skipped for ``DATABASE_REPLICA_RETRY_SECONDS`` and the writer is used instead.

Multi-host libpq URLs (``postgresql://u:p@h1:5432,h2:5432/db?target_session_attrs=read-write``) are
normalised by the settings; libpq picks the host that accepts writes. If a pooled connection finds its
server demoted (read-only transaction error), the whole pool is invalidated so that the next checkout
reconnects and lands on the new primary.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import structlog
from fastapi import Depends, Request
from psycopg import errors as pg_errors
from sqlalchemy import event, text
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.ext.asyncio import create_async_engine as _create_async_engine
from sqlalchemy.pool import StaticPool

from app.core.config import Settings
from app.core.metrics import DB_REPLICA_FALLBACKS
from app.core.models import NAMING_CONVENTION, Base

__all__ = [
    "NAMING_CONVENTION",
    "Base",
    "Database",
    "ReadSession",
    "WriteSession",
    "create_engine",
    "get_read_session",
    "get_write_session",
]

log = structlog.get_logger("duck.db")


def _is_read_only_error(exc: BaseException | None) -> bool:
    return isinstance(exc, pg_errors.ReadOnlySqlTransaction | pg_errors.AdminShutdown)


def create_engine(url: str, settings: Settings, *, role: str = "writer") -> AsyncEngine:
    """Create an AsyncEngine with pool sizes, timeouts and dialect-specific connect options."""
    sa_url = make_url(url)
    kwargs: dict[str, Any] = {
        "echo": settings.database_echo,
        "pool_pre_ping": True,
        "hide_parameters": True,  # never put bound values (user data) into error messages
    }
    connect_args: dict[str, Any] = {}
    if sa_url.get_backend_name() == "sqlite":
        database = sa_url.database or ""
        if database in ("", ":memory:") or "mode=memory" in str(sa_url):
            kwargs["poolclass"] = StaticPool
        else:
            if not database.startswith("file:"):
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            kwargs["pool_size"] = settings.database_pool_size
            kwargs["max_overflow"] = settings.database_max_overflow
            kwargs["pool_timeout"] = settings.database_pool_timeout
        connect_args["timeout"] = 30  # busy timeout, seconds
    else:
        kwargs["pool_size"] = settings.database_pool_size
        kwargs["max_overflow"] = settings.database_max_overflow
        kwargs["pool_timeout"] = settings.database_pool_timeout
        kwargs["pool_recycle"] = settings.database_pool_recycle
        options = []
        if settings.database_statement_timeout_ms:
            options.append(f"-c statement_timeout={settings.database_statement_timeout_ms}")
        options.append("-c idle_in_transaction_session_timeout=60000")
        connect_args.update(
            connect_timeout=settings.database_connect_timeout,
            application_name=f"psych-duck-{role}",
            options=" ".join(options),
            keepalives=1,
            keepalives_idle=10,
            keepalives_interval=5,
            keepalives_count=3,
            # client side: give up on a peer that stops acknowledging (frozen host)
            tcp_user_timeout=max(10_000, settings.database_statement_timeout_ms + 5_000),
        )
    engine = _create_async_engine(sa_url, connect_args=connect_args, **kwargs)

    if sa_url.get_backend_name() == "sqlite":

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

    else:

        @event.listens_for(engine.sync_engine, "handle_error")
        def _demoted_primary(ctx: ExceptionContext) -> None:
            if _is_read_only_error(ctx.original_exception):
                log.warning("db.primary_demoted", role=role)
                ctx.is_disconnect = True  # invalidates the pool: reconnect finds the new primary

    return engine


class GuardedSession(AsyncSession):
    """AsyncSession whose database round trips give up after ``query_timeout`` seconds.

    A frozen database host keeps TCP open (its kernel still acknowledges), so neither the server's
    statement_timeout nor TCP timeouts fire: this client-side bound turns a hang into an error
    (the connection is then discarded by the pool)."""

    async def _guard(self, coro: Any) -> Any:
        timeout = self.info.get("query_timeout")
        if not timeout:
            return await coro
        try:
            async with asyncio.timeout(timeout):
                return await coro
        except TimeoutError:
            log.warning("db.query_timeout", seconds=timeout)
            with contextlib.suppress(Exception):
                await self.invalidate()
            raise

    async def execute(self, *args: Any, **kwargs: Any) -> Any:
        return await self._guard(super().execute(*args, **kwargs))

    async def scalar(self, *args: Any, **kwargs: Any) -> Any:
        return await self._guard(super().scalar(*args, **kwargs))

    async def scalars(self, *args: Any, **kwargs: Any) -> Any:
        return await self._guard(super().scalars(*args, **kwargs))

    async def get(self, *args: Any, **kwargs: Any) -> Any:
        return await self._guard(super().get(*args, **kwargs))

    async def flush(self, *args: Any, **kwargs: Any) -> None:
        await self._guard(super().flush(*args, **kwargs))

    async def commit(self) -> None:
        await self._guard(super().commit())

    async def refresh(self, *args: Any, **kwargs: Any) -> None:
        await self._guard(super().refresh(*args, **kwargs))


@dataclass
class _Replica:
    engine: AsyncEngine
    down_until: float = 0.0


@dataclass
class Database:
    """Holds the engines of one application instance (``app.state.db``)."""

    settings: Settings
    writer: AsyncEngine = field(init=False)
    replicas: list[_Replica] = field(init=False, default_factory=list)
    sessionmaker: async_sessionmaker[AsyncSession] = field(init=False)

    def __post_init__(self) -> None:
        self.writer = create_engine(self.settings.database_url, self.settings, role="writer")
        self.replicas = [
            _Replica(create_engine(u, self.settings, role=f"reader{i}"))
            for i, u in enumerate(self.settings.database_read_urls)
        ]
        self.query_timeout = self.settings.database_query_timeout or None
        self.sessionmaker = async_sessionmaker(
            self.writer,
            class_=GuardedSession,
            expire_on_commit=False,
            autoflush=False,
            info={"engine": "writer", "query_timeout": self.query_timeout},
        )
        self._rr = itertools.count()

    @property
    def engines(self) -> dict[str, AsyncEngine]:
        out = {"writer": self.writer}
        for i, r in enumerate(self.replicas):
            out[f"reader{i}"] = r.engine
        return out

    async def _reader_connection(self) -> tuple[AsyncConnection | None, str]:
        if not self.replicas:
            return None, "writer"
        now = time.monotonic()
        start = next(self._rr)
        n = len(self.replicas)
        for k in range(n):
            idx = (start + k) % n
            replica = self.replicas[idx]
            if replica.down_until > now:
                continue
            try:
                async with asyncio.timeout(self.settings.database_connect_timeout + 1):
                    conn = await replica.engine.connect()
                return conn, f"reader{idx}"
            except Exception as exc:  # unreachable replica: fall back
                replica.down_until = now + self.settings.database_replica_retry_seconds
                log.warning("db.replica_unavailable", replica=idx, error=type(exc).__name__)
        DB_REPLICA_FALLBACKS.inc()
        return None, "writer"

    async def read_session(self) -> AsyncIterator[AsyncSession]:
        """A session on a reachable replica, else on the writer (``session.info["engine"]`` says which)."""
        conn, name = await self._reader_connection()
        if conn is None:
            async with self.sessionmaker() as session:
                yield session
            return
        try:
            async with GuardedSession(bind=conn, expire_on_commit=False, autoflush=False) as session:
                session.info["query_timeout"] = self.query_timeout
                session.info["engine"] = name
                yield session
        finally:
            await conn.close()

    async def ping(self) -> None:
        async with self.writer.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.writer.dispose()
        for r in self.replicas:
            await r.engine.dispose()


def _db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


async def get_write_session(request: Request) -> AsyncIterator[AsyncSession]:
    async with _db(request).sessionmaker() as session:
        try:
            yield session
        except BaseException:
            await session.rollback()
            raise


async def get_read_session(request: Request) -> AsyncIterator[AsyncSession]:
    async for session in _db(request).read_session():
        yield session


WriteSession = Annotated[AsyncSession, Depends(get_write_session)]
ReadSession = Annotated[AsyncSession, Depends(get_read_session)]
