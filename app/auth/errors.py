"""The errors of authentication, in the API envelope."""

from __future__ import annotations

from app.core.errors import AppError, ErrorCode


def unauthorized(reason: str, message: str | None = None) -> AppError:
    return AppError(
        ErrorCode.UNAUTHORIZED,
        message,
        status=401,
        details={"reason": reason},
        headers={"WWW-Authenticate": "Bearer"},
    )


def too_many(wait: int) -> AppError:
    return AppError(
        ErrorCode.RATE_LIMIT_EXCEEDED,
        "尝试次数过多，请稍后再试 (too many attempts, try again later)",
        status=429,
        details={"retry_after": wait, "reason": "login_backoff"},
        headers={"Retry-After": str(wait)},
    )
