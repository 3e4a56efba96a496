"""Readiness checks: database, migrations at head, Redis."""

from __future__ import annotations

import asyncio
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from sqlalchemy import text

from app.core.db import Database

REPO_ROOT = Path(__file__).resolve().parents[2]


def find_alembic_ini() -> Path | None:
    import os  # noqa: PLC0415

    candidates = [os.environ.get("DUCK_ALEMBIC_INI"), Path.cwd() / "alembic.ini", REPO_ROOT / "alembic.ini"]
    for c in candidates:
        if c and Path(c).is_file():
            return Path(c)
    return None


@lru_cache(maxsize=1)
def migration_heads() -> frozenset[str]:
    from alembic.config import Config  # noqa: PLC0415
    from alembic.script import ScriptDirectory  # noqa: PLC0415

    ini = find_alembic_ini()
    if ini is None:
        return frozenset()
    cfg = Config(str(ini))
    cfg.set_main_option("script_location", str(ini.parent / "migrations"))
    return frozenset(ScriptDirectory.from_config(cfg).get_heads())


async def readiness(app: FastAPI) -> tuple[bool, dict[str, Any]]:
    checks: dict[str, Any] = {}
    ok = True
    db: Database = app.state.db
    try:
        async with asyncio.timeout(5):
            async with db.writer.connect() as conn:
                await conn.execute(text("SELECT 1"))
                current: set[str] = set()
                try:
                    result = await conn.execute(text("SELECT version_num FROM alembic_version"))
                    current = {str(row[0]) for row in result.all()}
                except Exception:  # noqa: S110 - no alembic_version table yet: not migrated
                    pass
        checks["database"] = "ok"
        heads = migration_heads()
        if not heads:
            checks["migrations"] = "unknown (migrations directory not found)"
        elif current == set(heads):
            checks["migrations"] = "ok"
        else:
            ok = False
            checks["migrations"] = "pending: run `duck db upgrade`"
    except Exception as exc:
        ok = False
        checks["database"] = f"error: {type(exc).__name__}"
    redis = getattr(app.state, "redis", None)
    if redis is not None:
        try:
            async with asyncio.timeout(3):
                await redis.ping()
            checks["redis"] = "ok"
        except Exception as exc:
            ok = False
            checks["redis"] = f"error: {type(exc).__name__}"
    return ok, checks
