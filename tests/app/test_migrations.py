"""Migrations: one head; upgrade head / downgrade base / upgrade head round-trip; schema == models."""

from __future__ import annotations

import uuid

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect

from app.core import migrate
from app.core.models import Base
from tests.app.conftest import Services, _base_settings


def _fresh_url(services: Services) -> str:
    if services.kind == "sqlite":
        return f"sqlite+aiosqlite:///{services.tmp / f'roundtrip-{uuid.uuid4().hex[:6]}.db'}"
    name = f"roundtrip_{uuid.uuid4().hex[:6]}"
    services.psql(f'CREATE DATABASE "{name}"')
    return services.pg_url(name)


def _sync_url(url: str) -> str:
    return url.replace("+aiosqlite", "").replace("+psycopg", "+psycopg")


def test_single_head() -> None:
    heads = ScriptDirectory.from_config(migrate.alembic_config()).get_heads()
    assert len(heads) == 1, heads


def test_round_trip_and_schema_matches_models(services: Services) -> None:
    url = _fresh_url(services)
    settings = _base_settings(database_url=url)
    migrate.upgrade(settings, "head")
    engine = create_engine(_sync_url(url))
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            assert {"users", "messages", "emotion_logs", "audit_events", "refresh_tokens"} <= tables
            diffs = compare_metadata(
                MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
            )
            assert diffs == [], diffs
        migrate.downgrade(settings, "base")
        with engine.connect() as conn:
            assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
        migrate.upgrade(settings, "head")
        with engine.connect() as conn:
            assert "users" in inspect(conn).get_table_names()
    finally:
        engine.dispose()
