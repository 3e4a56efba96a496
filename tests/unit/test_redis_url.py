"""REDIS_URL forms: plain, TLS, unix socket, Sentinel (with an ACL user, password only, no credentials);
the credentials reach the Sentinels and the servers, for the app's client and for the rate limiter alike."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import jinja2
import pytest
import yaml
from limits.aio.storage import RedisSentinelStorage
from limits.storage import storage_from_string
from redis.asyncio import Redis
from redis.asyncio.sentinel import SentinelConnectionPool

from app.core.redis import (
    SentinelURL,
    create_redis,
    limits_storage_options,
    limits_storage_uri,
    parse_sentinel_url,
)

NAMED = "redis+sentinel://duck_app:s3cret@10.0.0.41:26379,10.0.0.50/duck/2"
QUOTED = "redis+sentinel://duck%40app:p%40ss%3Aw%2Fd%25@10.0.0.41:26379/duck/0"


def test_parse_sentinel_url_named_user() -> None:
    parsed = parse_sentinel_url(NAMED)
    assert parsed == SentinelURL(
        hosts=[("10.0.0.41", 26379), ("10.0.0.50", 26379)],
        service="duck",
        db=2,
        username="duck_app",
        password="s3cret",
    )
    with pytest.raises(ValueError, match="service name"):
        parse_sentinel_url("redis+sentinel://duck_app:pw@10.0.0.41:26379")


def test_parse_sentinel_url_unquotes_user_and_password() -> None:
    parsed = parse_sentinel_url(QUOTED)
    assert (parsed.username, parsed.password) == ("duck@app", "p@ss:w/d%")
    assert parsed.hosts == [("10.0.0.41", 26379)]
    assert (parsed.service, parsed.db) == ("duck", 0)


def test_parse_sentinel_url_password_only_and_no_credentials() -> None:
    only_pw = parse_sentinel_url("redis+sentinel://:s3cret@10.0.0.41/duck")
    assert (only_pw.username, only_pw.password, only_pw.db) == (None, "s3cret", 0)
    assert only_pw.hosts == [("10.0.0.41", 26379)]
    bare = parse_sentinel_url("redis+sentinel://10.0.0.41:26380,10.0.0.42:26381/duck/1")
    assert (bare.username, bare.password) == (None, None)
    assert bare.hosts == [("10.0.0.41", 26380), ("10.0.0.42", 26381)]


async def _kwargs(url: str) -> tuple[str, dict[str, Any], list[dict[str, Any]]]:
    """Pool kind, the servers' connection kwargs and each Sentinel's (nothing connects)."""
    client = create_redis(url, socket_timeout=1.5)
    try:
        pool = client.connection_pool
        sentinels: list[dict[str, Any]] = []
        if isinstance(pool, SentinelConnectionPool):
            sentinels = [s.connection_pool.connection_kwargs for s in pool.sentinel_manager.sentinels]
        return type(pool).__name__, pool.connection_kwargs, sentinels
    finally:
        await client.aclose()


def test_sentinel_client_carries_the_acl_user_to_servers_and_sentinels() -> None:
    kind, server, sentinels = asyncio.run(_kwargs(QUOTED))
    assert kind == "SentinelConnectionPool"
    assert (server["username"], server["password"], server["db"]) == ("duck@app", "p@ss:w/d%", 0)
    assert len(sentinels) == 1
    for kw in sentinels:
        assert (kw["username"], kw["password"]) == ("duck@app", "p@ss:w/d%")
        assert kw["socket_timeout"] == kw["socket_connect_timeout"] == 1.5
        assert (kw["host"], kw["port"]) == ("10.0.0.41", 26379)


def test_sentinel_client_password_only_is_the_default_user() -> None:
    _, server, sentinels = asyncio.run(_kwargs("redis+sentinel://:pw@127.0.0.1:26379,127.0.0.2/duck/3"))
    assert server.get("username") is None and server["password"] == "pw" and server["db"] == 3
    assert [(kw.get("username"), kw["password"]) for kw in sentinels] == [(None, "pw"), (None, "pw")]
    _, server, sentinels = asyncio.run(_kwargs("redis+sentinel://127.0.0.1/duck"))
    assert server.get("username") is None and server.get("password") is None
    assert sentinels[0].get("password") is None


async def _kind(url: str) -> str:
    client = create_redis(url)
    try:
        return type(client.connection_pool).__name__
    finally:
        await client.aclose()


def test_create_clients_without_connecting() -> None:
    assert asyncio.run(_kind("redis://127.0.0.1:6379/0")) == "ConnectionPool"
    assert isinstance(create_redis("unix:///run/redis/redis.sock"), Redis)


def test_limits_uris() -> None:
    assert limits_storage_uri(None) == "async+memory://"
    assert limits_storage_uri("unix:///run/redis.sock") == "async+redis+unix:///run/redis.sock"
    assert limits_storage_uri("redis://:pw@h:6379/1") == "async+redis://:pw@h:6379/1"
    # the db is not part of the service name (limits would ask the Sentinels for "duck2")
    assert (
        limits_storage_uri(NAMED) == "async+redis+sentinel://duck_app:s3cret@10.0.0.41:26379,10.0.0.50/duck"
    )
    assert limits_storage_options(None) == {}


def test_rate_limiter_storage_gets_the_acl_user_unquoted() -> None:
    """What `limits` builds from our URI and options (its own URI parsing does not unquote)."""
    url = QUOTED.replace("/duck/0", "/duck/4")
    storage = storage_from_string(
        limits_storage_uri(url), key_prefix="duck", **limits_storage_options(url, socket_timeout=1.5)
    )
    assert isinstance(storage, RedisSentinelStorage)
    sentinel = storage.bridge.sentinel  # type: ignore[attr-defined]
    assert sentinel.connection_kwargs["username"] == "duck@app"
    assert sentinel.connection_kwargs["password"] == "p@ss:w/d%"
    assert sentinel.connection_kwargs["db"] == 4
    assert storage.bridge.storage.connection_pool.service_name == "duck"  # type: ignore[attr-defined]
    for s in sentinel.sentinels:
        kw = s.connection_pool.connection_kwargs
        assert (kw["username"], kw["password"], kw["socket_timeout"]) == ("duck@app", "p@ss:w/d%", 1.5)


def test_rate_limiter_storage_password_only() -> None:
    url = "redis+sentinel://:pw@127.0.0.1:26379/duck/0"
    storage = storage_from_string(limits_storage_uri(url), key_prefix="duck", **limits_storage_options(url))
    sentinel = storage.bridge.sentinel  # type: ignore[attr-defined]
    assert "username" not in sentinel.connection_kwargs and sentinel.connection_kwargs["password"] == "pw"
    assert [s.connection_pool.connection_kwargs.get("username") for s in sentinel.sentinels] == [None]


def test_role_app_redis_url_names_the_acl_user() -> None:
    """The REDIS_URL that role app writes (vars/main.yml) parses to its user, password and sentinels."""
    repo = Path(__file__).resolve().parents[2]
    template = yaml.safe_load((repo / "roles/app/vars/main.yml").read_text())["_app_redis_url"]
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    env.filters["regex_replace"] = lambda value, pattern, repl: re.sub(pattern, repl, value)
    url = env.from_string(template).render(
        app_redis_user="duck_app",
        app_redis_password="p@ss:w%rd",
        app_redis_sentinels=["10.0.0.41", "10.0.0.50"],
        app_redis_sentinel_port=26379,
        app_redis_master_name="duck",
        app_redis_db=0,
    )
    parsed = parse_sentinel_url(url.strip())
    assert parsed == SentinelURL(
        [("10.0.0.41", 26379), ("10.0.0.50", 26379)], "duck", 0, "duck_app", "p@ss:w%rd"
    )
    defaults = yaml.safe_load((repo / "roles/redis/defaults/main.yml").read_text())
    assert defaults["redis_app_user"] == "duck_app"
    assert yaml.safe_load((repo / "roles/app/defaults/main.yml").read_text())["app_redis_user"] == (
        "{{ redis_app_user }}"
    )
