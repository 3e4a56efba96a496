"""/ready means what the alerts say: Redis down is degraded (still serving), the database is required."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.core.config import Settings
from app.main import create_app
from tests.app.conftest import make_client
from tests.app.duck_helpers import API, new_session, say

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1: connection refused


@pytest.fixture(scope="module")
async def no_redis_app(make_settings: Callable[..., Settings]) -> AsyncIterator[Any]:
    application = create_app(make_settings(redis_url=DEAD_REDIS))
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def no_redis(no_redis_app: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(no_redis_app) as c:
        yield c


async def test_ready_when_every_dependency_answers(client: httpx.AsyncClient) -> None:
    r = await client.get("/ready")
    assert r.status_code == 200, r.text
    assert r.json()["data"]["status"] == "ready"
    assert "degraded" not in r.json()["data"]["checks"]


async def test_redis_down_is_degraded_not_down(no_redis: httpx.AsyncClient) -> None:
    r = await no_redis.get("/ready")
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert data["status"] == "degraded"
    assert data["checks"]["degraded"] == ["redis"]
    assert data["checks"]["redis"].startswith("error: ")
    assert data["checks"]["database"] == "ok"


async def test_chat_answers_while_redis_is_down(no_redis: httpx.AsyncClient) -> None:
    guest = await no_redis.post(f"{API}/auth/guest", json={})
    assert guest.status_code == 201, guest.text
    headers = {"Authorization": f"Bearer {guest.json()['data']['access_token']}"}
    session_id = await new_session(no_redis, headers)
    reply = await say(no_redis, headers, session_id, "今天有点累")
    assert reply["duck_response"]["text"]


async def test_metrics_name_the_missing_dependency(no_redis: httpx.AsyncClient) -> None:
    text = (await no_redis.get("/metrics")).text
    assert 'duck_dependency_up{dependency="redis"} 0.0' in text
    assert 'duck_dependency_up{dependency="database"} 1.0' in text


async def _ready_of(settings: Settings) -> httpx.Response:
    application = create_app(settings)
    try:
        async with make_client(application) as c:
            return await c.get("/ready")
    finally:
        await application.state.db.dispose()


async def test_database_down_is_not_ready(make_settings: Callable[..., Settings]) -> None:
    # nothing listens on port 1: the connection is refused at once
    r = await _ready_of(make_settings(database_url="postgresql+psycopg://duck:duck@127.0.0.1:1/duck"))
    assert r.status_code == 503, r.text
    error = r.json()["error"]
    assert error["code"] == "SERVICE_UNAVAILABLE"
    assert error["details"]["status"] == "not_ready"
    assert error["details"]["checks"]["database"].startswith("error: ")


async def test_schema_behind_is_not_ready(make_settings: Callable[..., Settings], tmp_path: Path) -> None:
    r = await _ready_of(make_settings(database_url=f"sqlite+aiosqlite:///{tmp_path}/empty.db"))
    assert r.status_code == 503, r.text
    assert r.json()["error"]["details"]["checks"]["migrations"].startswith("pending")
