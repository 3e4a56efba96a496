"""Per-minute limits with X-RateLimit-* headers and 429 (memory on SQLite runs, Redis on services)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import APIRouter

from app.core.envelope import Envelope
from app.core.metrics import RATE_LIMIT_ERRORS
from app.core.ratelimit import RateLimit, RateLimiter
from app.core.redis import limits_storage_uri
from app.main import create_app
from tests.app.conftest import make_client
from tests.app.test_errors import assert_error


@pytest.fixture(scope="module")
async def limited_app(make_settings) -> Any:
    application = create_app(make_settings(rate_limits="chat=3/minute,auth=2/minute"))
    router = APIRouter()

    @router.get("/api/v1/_limited", dependencies=[RateLimit("chat")])
    async def limited() -> Envelope[dict[str, int]]:
        return Envelope[dict[str, int]](data={"ok": 1})

    application.include_router(router)
    async with application.router.lifespan_context(application):
        await application.state.ratelimiter.reset()
        yield application


async def test_headers_and_429(limited_app: Any) -> None:
    async with make_client(limited_app) as c:
        seen = []
        for _ in range(3):
            r = await c.get("/api/v1/_limited")
            assert r.status_code == 200
            assert r.headers["x-ratelimit-limit"] == "3"
            seen.append(int(r.headers["x-ratelimit-remaining"]))
            assert int(r.headers["x-ratelimit-reset"]) > 1_700_000_000
        assert seen == [2, 1, 0]
        r = await c.get("/api/v1/_limited")
        body = assert_error(r, 429, "RATE_LIMIT_EXCEEDED")
        assert body["error"]["details"]["limit"] == "chat"
        assert int(r.headers["retry-after"]) >= 1
        assert r.headers["x-ratelimit-remaining"] == "0"


async def test_identity_is_the_user_not_the_address(limited_app: Any) -> None:
    async with make_client(limited_app) as c:
        tokens = []
        for _ in range(2):
            r = await c.post("/api/v1/auth/guest", json={})
            assert r.status_code == 201
            tokens.append(r.json()["data"]["access_token"])
        # auth=2/minute per address: the third guest from the same address is refused
        assert_error(await c.post("/api/v1/auth/guest", json={}), 429, "RATE_LIMIT_EXCEEDED")
        for t in tokens:
            r = await c.get("/api/v1/_limited", headers={"Authorization": f"Bearer {t}"})
            assert r.status_code == 200
            assert r.headers["x-ratelimit-remaining"] == "2"  # each user has their own window


async def test_storage_failure_lets_requests_through(make_settings) -> None:
    """Redis unreachable: the request is served and counted in process (the limit still holds, per
    worker), and Redis is not asked again at once (no request waits on a dead socket)."""
    limiter = RateLimiter(make_settings(redis_url="redis://127.0.0.1:1/0", rate_limits="chat=1/minute"))
    errors_before = RATE_LIMIT_ERRORS._value.get()
    first = await limiter.hit("chat", "user:x")
    assert first is not None and first.allowed
    assert limiter.degraded
    second = await limiter.hit("chat", "user:x")
    assert second is not None and not second.allowed
    other = await limiter.hit("chat", "user:y")
    assert other is not None and other.allowed
    assert RATE_LIMIT_ERRORS._value.get() == errors_before + 1


async def test_backend_in_use(limited_app: Any, backend: str) -> None:
    name = type(limited_app.state.ratelimiter.storage).__name__
    assert name == ("RedisStorage" if backend == "services" else "MemoryStorage")


def test_storage_uris() -> None:
    assert limits_storage_uri(None) == "async+memory://"
    assert limits_storage_uri("redis://:pw@r1:6379/2") == "async+redis://:pw@r1:6379/2"
    assert limits_storage_uri("rediss://r1:6380/0") == "async+rediss://r1:6380/0"
    assert (
        limits_storage_uri("redis+sentinel://:pw@s1:26379,s2:26379/duck")
        == "async+redis+sentinel://:pw@s1:26379,s2:26379/duck"
    )
