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
        usable, checks["migrations"] = migration_state(current)
        ok = ok and usable
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
