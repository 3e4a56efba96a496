"""REDIS_URL forms: plain, TLS, unix socket, Sentinel."""

from __future__ import annotations

import asyncio

import pytest
from redis.asyncio import Redis

from app.core.redis import create_redis, limits_storage_uri, parse_sentinel_url


def test_parse_sentinel_url() -> None:
    hosts, service, db, password = parse_sentinel_url(
        "redis+sentinel://:s3cret@10.0.0.41:26379,10.0.0.50/duck/2"
    )
    assert hosts == [("10.0.0.41", 26379), ("10.0.0.50", 26379)]
    assert (service, db, password) == ("duck", 2, "s3cret")
    with pytest.raises(ValueError, match="service name"):
        parse_sentinel_url("redis+sentinel://10.0.0.41:26379")


async def _client_kind(url: str) -> str:
    client = create_redis(url)
    try:
        return type(client.connection_pool).__name__
    finally:
        await client.aclose()


def test_create_clients_without_connecting() -> None:
    assert asyncio.run(_client_kind("redis://127.0.0.1:6379/0")) == "ConnectionPool"
    assert asyncio.run(_client_kind("redis+sentinel://:pw@127.0.0.1:26379/duck")) == "SentinelConnectionPool"
    assert isinstance(create_redis("unix:///run/redis/redis.sock"), Redis)


def test_limits_uris() -> None:
    assert limits_storage_uri("unix:///run/redis.sock") == "async+redis+unix:///run/redis.sock"
