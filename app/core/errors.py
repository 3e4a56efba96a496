"""Application errors and the error envelope.

Domain code raises ``AppError(code, message, status, details)``; the handlers in app.main turn it (and
every other failure) into ``{success: false, error: {code, message, details}, timestamp}``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute, Match, Route
from starlette.types import Scope


class ErrorCode:
    VALIDATION_ERROR = "VALIDATION_ERROR"
    BAD_REQUEST = "BAD_REQUEST"
    UNAUTHORIZED = "UNAUTHORIZED"
    TOKEN_EXPIRED = "TOKEN_EXPIRED"  # noqa: S105 - an error code
    MFA_REQUIRED = "MFA_REQUIRED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    SESSION_NOT_FOUND = "SESSION_NOT_FOUND"
    METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
    CONFLICT = "CONFLICT"
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"
    IDEMPOTENCY_CONFLICT = "IDEMPOTENCY_CONFLICT"
    PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
    UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE"
    RATE_LIMIT_EXCEEDED = "RATE_LIMIT_EXCEEDED"
    EMOTION_ANALYSIS_FAILED = "EMOTION_ANALYSIS_FAILED"
    CONTENT_NOT_AVAILABLE = "CONTENT_NOT_AVAILABLE"
    LLM_SERVICE_ERROR = "LLM_SERVICE_ERROR"
    AGENT_TIMEOUT = "AGENT_TIMEOUT"
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
    INTERNAL_ERROR = "INTERNAL_ERROR"


#: default HTTP status per code
DEFAULT_STATUS: dict[str, int] = {
    ErrorCode.VALIDATION_ERROR: 422,
    ErrorCode.BAD_REQUEST: 400,
    ErrorCode.UNAUTHORIZED: 401,
    ErrorCode.TOKEN_EXPIRED: 401,
    ErrorCode.MFA_REQUIRED: 401,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.SESSION_NOT_FOUND: 404,
    ErrorCode.METHOD_NOT_ALLOWED: 405,
    ErrorCode.CONFLICT: 409,
    ErrorCode.IDEMPOTENCY_KEY_REUSED: 422,
    ErrorCode.IDEMPOTENCY_CONFLICT: 409,
    ErrorCode.PAYLOAD_TOO_LARGE: 413,
    ErrorCode.UNSUPPORTED_MEDIA_TYPE: 415,
    ErrorCode.RATE_LIMIT_EXCEEDED: 429,
    ErrorCode.EMOTION_ANALYSIS_FAILED: 500,
    ErrorCode.CONTENT_NOT_AVAILABLE: 404,
    ErrorCode.LLM_SERVICE_ERROR: 502,
    ErrorCode.AGENT_TIMEOUT: 504,
    ErrorCode.SERVICE_UNAVAILABLE: 503,
    ErrorCode.INTERNAL_ERROR: 500,
}

#: code used when a plain HTTPException with this status reaches the handler
STATUS_CODE: dict[int, str] = {
    400: ErrorCode.BAD_REQUEST,
    401: ErrorCode.UNAUTHORIZED,
    403: ErrorCode.FORBIDDEN,
    404: ErrorCode.NOT_FOUND,
    405: ErrorCode.METHOD_NOT_ALLOWED,
    409: ErrorCode.CONFLICT,
    413: ErrorCode.PAYLOAD_TOO_LARGE,
    415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    422: ErrorCode.VALIDATION_ERROR,
    429: ErrorCode.RATE_LIMIT_EXCEEDED,
    503: ErrorCode.SERVICE_UNAVAILABLE,
}

DEFAULT_MESSAGE: dict[str, str] = {
    ErrorCode.VALIDATION_ERROR: "请求参数验证失败 (request validation failed)",
    ErrorCode.BAD_REQUEST: "请求无效 (bad request)",
    ErrorCode.UNAUTHORIZED: "需要登录或令牌无效 (authentication required)",
    ErrorCode.TOKEN_EXPIRED: "令牌已过期 (token expired)",
    ErrorCode.FORBIDDEN: "权限不足 (forbidden)",
    ErrorCode.NOT_FOUND: "资源不存在 (not found)",
    ErrorCode.SESSION_NOT_FOUND: "会话不存在 (session not found)",
    ErrorCode.METHOD_NOT_ALLOWED: "不支持的请求方法 (method not allowed)",
    ErrorCode.CONFLICT: "资源冲突 (conflict)",
    ErrorCode.IDEMPOTENCY_KEY_REUSED: (
        "Idempotency-Key 已用于另一条消息 (idempotency key already used for a different message)"
    ),
    ErrorCode.IDEMPOTENCY_CONFLICT: (
        "相同 Idempotency-Key 的请求正在处理，请稍后重试 (a request with this idempotency key is in progress)"
    ),
    ErrorCode.PAYLOAD_TOO_LARGE: "请求体过大 (payload too large)",
    ErrorCode.UNSUPPORTED_MEDIA_TYPE: "不支持的内容类型 (unsupported media type)",
    ErrorCode.RATE_LIMIT_EXCEEDED: "请求频率超限 (rate limit exceeded)",
    ErrorCode.LLM_SERVICE_ERROR: "大语言模型服务错误 (LLM service error)",
    ErrorCode.AGENT_TIMEOUT: "智能体处理超时 (agent timeout)",
    ErrorCode.SERVICE_UNAVAILABLE: "服务暂不可用 (service unavailable)",
    ErrorCode.INTERNAL_ERROR: "服务器内部错误 (internal error)",
}


class AppError(Exception):
    """An error with a stable code for clients. ``details`` must never contain user text."""

    def __init__(
        self,
        code: str,
        message: str | None = None,
        status: int | None = None,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.code = code
        self.message = message or DEFAULT_MESSAGE.get(code, code)
        self.status = status or DEFAULT_STATUS.get(code, 400)
        self.details = details
        self.headers = headers
        super().__init__(f"{self.code}: {self.message}")


class PayloadTooLarge(StarletteHTTPException):
    """Raised by the body-size guard while the body is read. An HTTPException subclass on purpose:
    FastAPI's body parsing re-raises HTTPExceptions as they are (other errors become a generic 400)."""

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=f"request body larger than {limit} bytes")
        self.limit = limit


def now_iso() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {
        "success": False,
        "error": {"code": code, "message": message, "details": details},
        "timestamp": now_iso(),
    }


def allowed_methods(routes: list[BaseRoute], scope: Scope) -> list[str]:
    """Every method some route serves at this path (for ``Allow`` on a 405).

    Starlette answers 405 from the first route whose path matches, naming only that route's methods;
    a resource served by several routes (``GET``/``PATCH``/``DELETE /me``) needs them all."""
    methods: set[str] = set()
    for route in routes:
        if not isinstance(route, Route) or not route.methods:
            continue
        match, _ = route.matches({**scope, "method": next(iter(route.methods))})
        if match == Match.FULL:
            methods |= route.methods
    return sorted(methods)
