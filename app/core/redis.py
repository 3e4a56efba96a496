"""Redis client from ``REDIS_URL``: ``redis://``, ``rediss://``, ``unix://`` or Sentinel as
``redis+sentinel://[:password@]host:26379,host:26379/<service>[/db]`` (the password is used for the
Redis servers and the sentinels alike)."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit

import redis.asyncio as aioredis
from redis.asyncio.sentinel import Sentinel


def parse_sentinel_url(url: str) -> tuple[list[tuple[str, int]], str, int, str | None]:
    parts = urlsplit(url)
    netloc = parts.netloc
    password: str | None = None
    if "@" in netloc:
        creds, netloc = netloc.rsplit("@", 1)
        password = unquote(creds.split(":", 1)[1]) if ":" in creds else unquote(creds)
        password = password or None
    hosts: list[tuple[str, int]] = []
    for item in netloc.split(","):
        host, _, port = item.partition(":")
        hosts.append((host, int(port or 26379)))
    segs = [s for s in parts.path.split("/") if s]
    if not segs:
        raise ValueError("redis+sentinel URL needs the service name as path: .../mymaster")
    service = segs[0]
    db = int(segs[1]) if len(segs) > 1 else 0
    return hosts, service, db, password


def create_redis(url: str, *, socket_timeout: float = 2.0) -> aioredis.Redis:
    opts: dict[str, Any] = {
        "socket_timeout": socket_timeout,
        "socket_connect_timeout": socket_timeout,
        "health_check_interval": 30,
        "decode_responses": False,
    }
    if url.startswith(("redis+sentinel://", "rediss+sentinel://")):
        hosts, service, db, password = parse_sentinel_url(url)
        sentinel = Sentinel(  # type: ignore[no-untyped-call]  # redis-py leaves Sentinel.__init__ unannotated
            hosts,
            sentinel_kwargs={"password": password, "socket_timeout": socket_timeout},
            password=password,
            db=db,
            **opts,
        )
        client: aioredis.Redis = sentinel.master_for(service)
        return client
    return aioredis.Redis.from_url(url, **opts)


def limits_storage_uri(redis_url: str | None) -> str:
    """Translate REDIS_URL into a `limits` async storage URI (memory when unset)."""
    if not redis_url:
        return "async+memory://"
    scheme, rest = redis_url.split("://", 1)
    if scheme in ("redis+sentinel", "rediss+sentinel"):
        return f"async+redis+sentinel://{rest}"
    if scheme == "unix":
        return f"async+redis+unix://{rest}"
    return f"async+{scheme}://{rest}"
