"""Readiness checks: database, migrations at head (required), Redis (optional: degraded without)."""

from __future__ import annotations

import asyncio
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from sqlalchemy import text

from app.core.db import Database
from app.core.metrics import DEPENDENCY_UP

REPO_ROOT = Path(__file__).resolve().parents[2]
DB_TIMEOUT = 5.0
REDIS_TIMEOUT = 2.0


def find_alembic_ini() -> Path | None:
    import os  # noqa: PLC0415

    candidates = [os.environ.get("DUCK_ALEMBIC_INI"), Path.cwd() / "alembic.ini", REPO_ROOT / "alembic.ini"]
    for c in candidates:
        if c and Path(c).is_file():
            return Path(c)
    return None


@lru_cache(maxsize=1)
def migration_revisions() -> tuple[frozenset[str], frozenset[str]]:
    """(heads, every revision) of this release's migrations; empty when the directory is not found."""
    from alembic.config import Config  # noqa: PLC0415
    from alembic.script import ScriptDirectory  # noqa: PLC0415

    ini = find_alembic_ini()
    if ini is None:
        return frozenset(), frozenset()
    cfg = Config(str(ini))
    cfg.set_main_option("script_location", str(ini.parent / "migrations"))
    script = ScriptDirectory.from_config(cfg)
    return frozenset(script.get_heads()), frozenset(r.revision for r in script.walk_revisions())


def migration_state(current: set[str]) -> tuple[bool, str]:
    """Is a database at revision(s) `current` usable by this release?

    At head: yes. Behind (a revision this release knows, not its head): no, run `duck db upgrade`.
    Ahead (a revision this release does not know): yes - during a rolling update the new release migrates
    first while old hosts still serve, so migrations must be expand-only (docs/deploy.md); a rollback
    likewise leaves the schema ahead of the code it returns to."""
    heads, known = migration_revisions()
    if not heads:
        return True, "unknown (migrations directory not found)"
    if current == set(heads):
        return True, "ok"
    if current and not current & known:
        return True, "ok (database ahead of this release: migrated by a newer one)"
    return False, "pending: run `duck db upgrade`"


#: what /ready answers: ready and degraded serve traffic (200), not_ready does not (503)
READY, DEGRADED, NOT_READY = "ready", "degraded", "not_ready"


async def _check_database(db: Database) -> tuple[bool, dict[str, str]]:
    """(usable, checks): reachable and at a schema this release can use."""
    try:
        async with asyncio.timeout(DB_TIMEOUT):
            async with db.writer.connect() as conn:
                await conn.execute(text("SELECT 1"))
                current: set[str] = set()
                try:
                    result = await conn.execute(text("SELECT version_num FROM alembic_version"))
                    current = {str(row[0]) for row in result.all()}
                except Exception:  # noqa: S110 - no alembic_version table yet: not migrated
                    pass
    except Exception as exc:
        DEPENDENCY_UP.labels(dependency="database").set(0)
        return False, {"database": f"error: {type(exc).__name__}"}
    DEPENDENCY_UP.labels(dependency="database").set(1)
    usable, migrations = migration_state(current)
    return usable, {"database": "ok", "migrations": migrations}


async def _check_redis(redis: Any) -> tuple[bool, dict[str, str]]:
    try:
        async with asyncio.timeout(REDIS_TIMEOUT):
            await redis.ping()
    except Exception as exc:
        DEPENDENCY_UP.labels(dependency="redis").set(0)
        return False, {"redis": f"error: {type(exc).__name__}"}
    DEPENDENCY_UP.labels(dependency="redis").set(1)
    return True, {"redis": "ok"}


async def readiness(app: FastAPI) -> tuple[str, dict[str, Any]]:
    """(status, checks). The database is required: unreachable, or a schema behind this release, is
    ``not_ready`` (the load balancer and the deploy gate must not send traffic here). Redis is not: the
    app falls back to in-process rate limits, so Redis down is ``degraded`` (still serving; alert
    ``RedisUnavailable`` from ``duck_dependency_up{dependency="redis"}``). Also refreshes that gauge."""
    db: Database = app.state.db
    redis = getattr(app.state, "redis", None)
    if redis is None:
        db_ok, db_only = await _check_database(db)
        return (READY if db_ok else NOT_READY), dict(db_only)
    (db_ok, db_checks), (redis_ok, redis_checks) = await asyncio.gather(
        _check_database(db), _check_redis(redis)
    )
    checks: dict[str, Any] = {**db_checks, **redis_checks}
    if not db_ok:
        return NOT_READY, checks
    if not redis_ok:
        checks["degraded"] = ["redis"]
        return DEGRADED, checks
    return READY, checks
