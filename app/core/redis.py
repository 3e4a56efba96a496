"""Redis client from ``REDIS_URL``: ``redis://``, ``rediss://``, ``unix://`` or Sentinel as
``redis+sentinel://[user]:password@host:26379,host:26379/<service>[/db]``.

With Sentinel, the user name and password are sent to the Sentinels (discovery) and to the Redis servers
alike, so both must know that ACL user (the redis role creates it on both). Without a user name
(``:password@``) the client authenticates with the password only, i.e. as Redis' ``default`` user.
URL-quoted characters in the user name and password (``%40`` for ``@``...) are unquoted. The same URL, and
the same credentials, serve the rate limiter (``limits_storage_uri`` / ``limits_storage_options``)."""

from __future__ import annotations

from typing import Any, NamedTuple
from urllib.parse import unquote, urlsplit

import redis.asyncio as aioredis
from redis.asyncio.sentinel import Sentinel

SENTINEL_SCHEMES = ("redis+sentinel://", "rediss+sentinel://")


class SentinelURL(NamedTuple):
    """A parsed ``redis+sentinel://`` URL. ``username`` None: the ``default`` user (password only)."""

    hosts: list[tuple[str, int]]
    service: str
    db: int
    username: str | None
    password: str | None


def parse_sentinel_url(url: str) -> SentinelURL:
    parts = urlsplit(url)
    netloc = parts.netloc
    username: str | None = None
    password: str | None = None
    if "@" in netloc:
        creds, netloc = netloc.rsplit("@", 1)
        user, colon, secret = creds.partition(":")
        username = unquote(user) or None
        password = (unquote(secret) or None) if colon else None
    hosts: list[tuple[str, int]] = []
    for item in netloc.split(","):
        host, _, port = item.partition(":")
        hosts.append((host, int(port or 26379)))
    segs = [s for s in parts.path.split("/") if s]
    if not segs:
        raise ValueError("redis+sentinel URL needs the service name as path: .../mymaster")
    service = segs[0]
    db = int(segs[1]) if len(segs) > 1 else 0
    return SentinelURL(hosts, service, db, username, password)


def _auth(parsed: SentinelURL) -> dict[str, str]:
    auth = {"username": parsed.username, "password": parsed.password}
    return {k: v for k, v in auth.items() if v is not None}


def _sentinel_kwargs(parsed: SentinelURL, socket_timeout: float) -> dict[str, Any]:
    """Connection options for the Sentinels themselves: the same ACL user, and timeouts."""
    return {**_auth(parsed), "socket_timeout": socket_timeout, "socket_connect_timeout": socket_timeout}


def create_redis(url: str, *, socket_timeout: float = 2.0) -> aioredis.Redis:
    opts: dict[str, Any] = {
        "socket_timeout": socket_timeout,
        "socket_connect_timeout": socket_timeout,
        "health_check_interval": 30,
        "decode_responses": False,
    }
    if url.startswith(SENTINEL_SCHEMES):
        parsed = parse_sentinel_url(url)
        sentinel = Sentinel(  # type: ignore[no-untyped-call]  # redis-py leaves Sentinel.__init__ unannotated
            parsed.hosts,
            sentinel_kwargs=_sentinel_kwargs(parsed, socket_timeout),
            db=parsed.db,
            **_auth(parsed),
            **opts,
        )
        client: aioredis.Redis = sentinel.master_for(parsed.service)
        return client
    return aioredis.Redis.from_url(url, **opts)


def limits_storage_uri(redis_url: str | None) -> str:
    """Translate REDIS_URL into a `limits` async storage URI (memory when unset).

    Sentinel: the path keeps only the service name, `limits` would read ``/duck/0`` as the service
    ``duck0``; the db number goes to ``limits_storage_options``."""
    if not redis_url:
        return "async+memory://"
    scheme, rest = redis_url.split("://", 1)
    if scheme in ("redis+sentinel", "rediss+sentinel"):
        netloc = urlsplit(redis_url).netloc
        return f"async+redis+sentinel://{netloc}/{parse_sentinel_url(redis_url).service}"
    if scheme == "unix":
        return f"async+redis+unix://{rest}"
    return f"async+{scheme}://{rest}"


def limits_storage_options(redis_url: str | None, *, socket_timeout: float = 2.0) -> dict[str, Any]:
    """Keyword options for `limits`' ``storage_from_string(limits_storage_uri(redis_url), ...)``.

    For Sentinel the credentials and the db are passed explicitly: `limits` reads the user name and password
    from the URI without unquoting them, ignores the db, and gives the Sentinels only what ``sentinel_kwargs``
    says (here also the socket timeouts, which redis-py leaves unset for Sentinel connections when
    ``sentinel_kwargs`` is given)."""
    if not redis_url:
        return {}
    options: dict[str, Any] = {
        "implementation": "redispy",
        "socket_timeout": socket_timeout,
        "socket_connect_timeout": socket_timeout,
    }
    if redis_url.startswith(SENTINEL_SCHEMES):
        parsed = parse_sentinel_url(redis_url)
        options.update(_auth(parsed), db=parsed.db, sentinel_kwargs=_sentinel_kwargs(parsed, socket_timeout))
    return options
