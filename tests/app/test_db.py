"""Database layer: multi-host libpq URLs, replica sessions with fallback, pool metrics."""

from __future__ import annotations

import os
import signal
import time
from contextlib import aclosing
from typing import Any

import pytest
from psycopg import errors
from sqlalchemy import text

from app.core.config import normalise_database_url
from app.core.db import Database, _is_read_only_error
from tests.app.conftest import Services, _base_settings


async def _one(db: Database) -> tuple[str, int]:
    async with aclosing(db.read_session()) as sessions:
        async for s in sessions:
            return s.info["engine"], int((await s.execute(text("SELECT 1"))).scalar_one())
    raise AssertionError("no session")


async def test_replica_used_and_dead_replica_falls_back(services: Services, database_url: str) -> None:
    if services.kind == "sqlite":
        dead = "sqlite+aiosqlite:///file:/nonexistent-duck/dead.db?mode=ro&uri=true"
    else:
        dead = f"postgresql+psycopg://duck:duck@127.0.0.1:1/{database_url.rsplit('/', 1)[1]}"
    settings = _base_settings(
        database_url=database_url,
        database_read_urls=f"{dead},{database_url}",
        database_connect_timeout=10,  # generous: a busy CI machine is slow to fork backends
        database_replica_retry_seconds=60,
    )
    db = Database(settings)
    try:
        engines = {(await _one(db))[0] for _ in range(4)}
        # the dead replica is skipped (and not retried for 60 s); the live one serves reads
        assert engines == {"reader1"}
        assert db.replicas[0].down_until > 0
        # every replica down -> the writer serves reads
        db.replicas[1].down_until = float("inf")
        assert await _one(db) == ("writer", 1)
    finally:
        await db.dispose()


async def test_multi_host_url_finds_the_primary(services: Services, database_url: str) -> None:
    if services.kind != "services":
        pytest.skip("needs PostgreSQL")
    dbname = database_url.rsplit("/", 1)[1]
    url = (
        f"postgresql://duck:duck@127.0.0.1:1,127.0.0.1:{services.pg_port}/{dbname}"
        "?target_session_attrs=read-write"
    )
    db = Database(_base_settings(database_url=url, database_connect_timeout=2))
    try:
        async with db.sessionmaker() as s:
            assert (await s.execute(text("SHOW transaction_read_only"))).scalar_one() == "off"
            timeout = (await s.execute(text("SHOW statement_timeout"))).scalar_one()
            assert timeout == "15s"
    finally:
        await db.dispose()


def test_url_normalisation() -> None:
    assert normalise_database_url("postgres://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    assert (
        normalise_database_url("postgresql://u:p@h1:5432,h2:5433/db?target_session_attrs=read-write")
        == "postgresql+psycopg://u:p@/db?host=h1:5432&host=h2:5433&target_session_attrs=read-write"
    )
    assert normalise_database_url("sqlite:///x.db") == "sqlite+aiosqlite:///x.db"


def test_read_only_error_detection() -> None:
    assert _is_read_only_error(
        errors.ReadOnlySqlTransaction("cannot execute INSERT in a read-only transaction")
    )
    assert not _is_read_only_error(ValueError("x"))


async def test_pool_gauges_in_metrics(client: Any) -> None:
    await client.get("/health")
    r = await client.get("/metrics")
    assert 'duck_db_pool_size{engine="writer"}' in r.text


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        for c in children.get(p, []):
            out.append(c)
            todo.append(c)
    return out


async def test_frozen_database_fails_fast_then_recovers(services: Services, database_url: str) -> None:
    """A frozen PostgreSQL (SIGSTOP: TCP stays open) must not hang requests: the client-side
    query timeout turns it into an error, and the pool recovers once the host is back."""
    if services.kind != "services":
        pytest.skip("needs PostgreSQL")
    db = Database(
        _base_settings(database_url=database_url, database_query_timeout=1.5, database_connect_timeout=2)
    )
    root = services.procs[0].pid
    try:
        async with db.sessionmaker() as s:
            assert (await s.execute(text("SELECT 1"))).scalar_one() == 1
        frozen = [root, *_descendants(root)]  # includes the backend serving our pooled connection
        for p in frozen:
            os.kill(p, signal.SIGSTOP)
        try:
            start = time.monotonic()
            with pytest.raises(TimeoutError):
                async with db.sessionmaker() as s:
                    await s.execute(text("SELECT 1"))
            # bounded: the timeout, then psycopg's cancel request and close (each up to the connect timeout)
            assert time.monotonic() - start < 12
        finally:
            for p in frozen:
                os.kill(p, signal.SIGCONT)
        async with db.sessionmaker() as s:
            assert (await s.execute(text("SELECT 2"))).scalar_one() == 2
    finally:
        await db.dispose()
