"""Per-minute rate limits with the `limits` library: Redis (or Sentinel) when REDIS_URL is set,
in-process memory otherwise.

Use on a route or router::

    @router.post("/messages", dependencies=[RateLimit("chat")])

Limits come from settings.rate_limits (``RATE_LIMITS="chat=60/minute,..."``). The identity is the
authenticated user (``sub`` of a valid Bearer token) or else the client address. Responses get
``X-RateLimit-Limit``, ``X-RateLimit-Remaining``, ``X-RateLimit-Reset`` (epoch seconds); a refused
request gets 429 ``RATE_LIMIT_EXCEEDED`` with ``Retry-After``.

Redis down: the limits are kept in this process's memory instead (per worker, so looser, never off),
and Redis is not asked again for ``REDIS_RETRY_SECONDS`` (no request waits on a dead socket). Each
failure is logged and counted (``duck_rate_limit_storage_errors_total``) and sets
``duck_dependency_up{dependency="redis"}`` to 0; /ready then says ``degraded``, not ``not_ready``:
refusing a person in distress because Redis blinked is worse.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

import structlog
from fastapi import Depends, Request, Response
from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, Storage
from limits.aio.strategies import SlidingWindowCounterRateLimiter
from limits.storage import storage_from_string

from app.core.config import Settings
from app.core.errors import AppError, ErrorCode
from app.core.metrics import DEPENDENCY_UP, RATE_LIMIT_ERRORS, RATE_LIMITED
from app.core.redis import limits_storage_options, limits_storage_uri
from app.core.security import TokenError, decode_token

log = structlog.get_logger("duck.ratelimit")

#: prefix of every key the rate limiter writes in Redis (`duck:{LIMITER/...}`); the Redis ACL of the app's
#: user allows these keys only (roles/redis redis_app_key_patterns)
REDIS_KEY_PREFIX = "duck"

#: after a Redis failure, use the in-process limits this long before trying Redis again
REDIS_RETRY_SECONDS = 5.0


@dataclass(frozen=True)
class LimitResult:
    allowed: bool
    limit: int
    remaining: int
    reset: int

    def headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(max(0, self.remaining)),
            "X-RateLimit-Reset": str(self.reset),
        }


class RateLimiter:
    """One per application instance (``app.state.ratelimiter``)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        uri = limits_storage_uri(settings.redis_url)
        options = limits_storage_options(settings.redis_url, socket_timeout=settings.redis_socket_timeout)
        storage = storage_from_string(uri, key_prefix=REDIS_KEY_PREFIX, **options)
        assert isinstance(storage, Storage)
        self.storage: Storage = storage
        self.strategy = SlidingWindowCounterRateLimiter(self.storage)
        self.shared = not isinstance(self.storage, MemoryStorage)
        #: the in-process limits used while the shared storage (Redis) is unreachable
        self.fallback = SlidingWindowCounterRateLimiter(MemoryStorage())
        self.retry_at = 0.0  # monotonic time before which Redis is not asked again
        self.items: dict[str, RateLimitItem] = {k: parse(v) for k, v in settings.rate_limits.items()}

    @property
    def degraded(self) -> bool:
        """True while the limits are kept in process because Redis failed."""
        return self.shared and time.monotonic() < self.retry_at

    async def _count(
        self,
        strategy: SlidingWindowCounterRateLimiter,
        item: RateLimitItem,
        name: str,
        identity: str,
        cost: int,
    ) -> tuple[bool, Any]:
        allowed = await strategy.hit(item, name, identity, cost=cost)
        return allowed, await strategy.get_window_stats(item, name, identity)

    async def hit(self, name: str, identity: str, cost: int = 1) -> LimitResult | None:
        item = self.items.get(name)
        if item is None or not self.settings.rate_limit_enabled:
            return None
        if self.degraded:
            allowed, stats = await self._count(self.fallback, item, name, identity, cost)
        else:
            try:
                allowed, stats = await self._count(self.strategy, item, name, identity, cost)
            except Exception as exc:
                RATE_LIMIT_ERRORS.inc()
                DEPENDENCY_UP.labels(dependency="redis").set(0)
                self.retry_at = time.monotonic() + REDIS_RETRY_SECONDS
                log.warning(
                    "ratelimit.storage_error",
                    limit=name,
                    error=type(exc).__name__,
                    fallback="in-process",
                    retry_in_s=REDIS_RETRY_SECONDS,
                )
                allowed, stats = await self._count(self.fallback, item, name, identity, cost)
        return LimitResult(
            allowed=allowed,
            limit=item.amount,
            remaining=stats.remaining,
            reset=math.ceil(stats.reset_time),
        )

    async def reset(self) -> None:
        await self.storage.reset()

    async def check(self) -> bool:
        return bool(await self.storage.check())


def request_identity(request: Request) -> str:
    """``user:<id>`` for a valid Bearer token, else ``ip:<addr>``; never decodes against the DB."""
    auth = request.headers.get("authorization", "")
    if auth[:7].lower() == "bearer ":
        try:
            claims = decode_token(request.app.state.settings, auth[7:].strip())
            return f"user:{claims.user_id}"
        except TokenError:
            pass
    client = request.client.host if request.client else "unknown"
    return f"ip:{client}"


def RateLimit(name: str, cost: int = 1) -> Any:
    """Dependency factory: ``dependencies=[RateLimit("chat")]``."""

    async def _rate_limit(request: Request, response: Response) -> None:
        limiter: RateLimiter | None = getattr(request.app.state, "ratelimiter", None)
        if limiter is None:
            return
        result = await limiter.hit(name, request_identity(request), cost)
        if result is None:
            return
        headers = result.headers()
        if not result.allowed:
            RATE_LIMITED.labels(limit=name).inc()
            headers["Retry-After"] = str(max(1, result.reset - int(time.time())))
            raise AppError(
                ErrorCode.RATE_LIMIT_EXCEEDED,
                status=429,
                details={"limit": name, "retry_after": int(headers["Retry-After"])},
                headers=headers,
            )
        response.headers.update(headers)

    _rate_limit.__name__ = f"rate_limit_{name}"
    return Depends(_rate_limit)
