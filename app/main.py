"""The ASGI application: ``app.main:app`` (factory: ``create_app(settings)``)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import anyio
import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from redis.asyncio import Redis
from starlette.exceptions import HTTPException as StarletteHTTPException

from app import __version__
from app.api import api_router, root_routers
from app.core.config import Settings, get_settings
from app.core.crypto import configure_encryption
from app.core.db import Database
from app.core.envelope import Envelope, ErrorEnvelope
from app.core.errors import (
    DEFAULT_MESSAGE,
    STATUS_CODE,
    AppError,
    ErrorCode,
    PayloadTooLarge,
    allowed_methods,
    error_body,
)
from app.core.health import NOT_READY, readiness
from app.core.logging import configure_logging
from app.core.metrics import APP_INFO, DB_POOL, render_metrics
from app.core.middleware import BodySizeLimitMiddleware, RequestContextMiddleware
from app.core.openapi import install_openapi
from app.core.ratelimit import RateLimiter
from app.core.redis import create_redis
from app.core.security import configure_password_hasher
from app.safety.detector import crisis_model

log = structlog.get_logger("duck.app")


def _json_error(
    status: int, code: str, message: str, details: Any = None, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(
        status_code=status,
        content=json.loads(json.dumps(error_body(code, message, details), default=str)),
        headers=headers,
    )


def _request_id(request: Request) -> str | None:
    return getattr(request.state, "request_id", None)


async def app_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, AppError)
    return _json_error(exc.status, exc.code, exc.message, exc.details, exc.headers)


async def http_exception_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers) if exc.headers else None
    if exc.status_code == 405 and (methods := allowed_methods(request.app.router.routes, request.scope)):
        headers = {**(headers or {}), "Allow": ", ".join(methods)}
    if isinstance(exc, PayloadTooLarge):
        return _json_error(
            413,
            ErrorCode.PAYLOAD_TOO_LARGE,
            DEFAULT_MESSAGE[ErrorCode.PAYLOAD_TOO_LARGE],
            {"max_bytes": exc.limit},
        )
    if exc.status_code == 400 and isinstance(exc.__cause__, UnicodeDecodeError | ValueError):
        return _json_error(
            400,
            ErrorCode.VALIDATION_ERROR,
            "请求体不是有效的 UTF-8 JSON (body is not valid UTF-8 JSON)",
            {"reason": "invalid_body_encoding"},
        )
    code = STATUS_CODE.get(
        exc.status_code, ErrorCode.INTERNAL_ERROR if exc.status_code >= 500 else "HTTP_ERROR"
    )
    message = DEFAULT_MESSAGE.get(code) or (exc.detail if isinstance(exc.detail, str) else code)
    details = None if isinstance(exc.detail, str) else exc.detail
    return _json_error(exc.status_code, code, message, details, headers)


async def validation_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = []
    for err in exc.errors():
        if err.get("type") == "json_invalid":
            return _json_error(
                400,
                ErrorCode.VALIDATION_ERROR,
                "请求体不是有效的 JSON (malformed JSON body)",
                {"reason": "malformed_json"},
            )
        # never echo the input back (it may be the user's words or a password)
        errors.append(
            {
                "loc": [str(p) for p in err.get("loc", ())],
                "msg": err.get("msg"),
                "type": err.get("type"),
            }
        )
    return _json_error(
        422, ErrorCode.VALIDATION_ERROR, DEFAULT_MESSAGE[ErrorCode.VALIDATION_ERROR], {"errors": errors}
    )


async def unhandled_handler(request: Request, exc: Exception) -> Response:
    log.error("unhandled_error", error_type=type(exc).__name__, exc_info=exc)
    headers = {"X-Request-ID": rid} if (rid := _request_id(request)) else None
    return _json_error(
        500, ErrorCode.INTERNAL_ERROR, DEFAULT_MESSAGE[ErrorCode.INTERNAL_ERROR], None, headers
    )


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application for ``settings`` (default: from the environment), step by step."""
    settings = settings or get_settings()
    _configure_process(settings)
    db = Database(settings)
    redis = (
        create_redis(settings.redis_url, socket_timeout=settings.redis_socket_timeout)
        if settings.redis_url
        else None
    )
    app = FastAPI(
        title="心理鸭 Psych Duck API",
        version=__version__,
        description="A warm duck companion that listens, notices feelings and keeps people safe.",
        lifespan=_lifespan(settings, db, redis),
        docs_url="/docs" if settings.docs_enabled else None,
        redoc_url=None,
        openapi_url="/openapi.json" if settings.docs_enabled else None,
        swagger_ui_oauth2_redirect_url=None,
    )
    install_openapi(app, settings)
    _attach_state(app, settings, db, redis)
    _add_error_handlers(app)
    _add_middleware(app, settings)
    _add_ops_routes(app, settings)
    _add_routers(app, settings)
    return app


def _configure_process(settings: Settings) -> None:
    """Process-wide set-up: logging, the encryption keys, the password hasher's cost."""
    configure_logging(settings.log_level, settings.log_format)
    configure_encryption(settings.fernet_keys)
    configure_password_hasher(
        time_cost=settings.password_hash_time_cost,
        memory_kib=settings.password_hash_memory_kib,
        parallelism=settings.password_hash_parallelism,
    )


def _lifespan(
    settings: Settings, db: Database, redis: Redis | None
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.migrate_on_start:
            from app.core import migrate  # noqa: PLC0415 - alembic only when used

            await anyio.to_thread.run_sync(migrate.upgrade, settings)
        # the crisis gate's learned layer: trained once per process from the dev corpus (about a second of
        # CPU) in a worker thread, before the first message; later apps in the same process reuse it
        await anyio.to_thread.run_sync(crisis_model)
        log.info(
            "app.start",
            version=__version__,
            environment=settings.environment,
            database=db.writer.url.get_backend_name(),
            replicas=len(db.replicas),
            redis=bool(redis),
            llm=settings.duck_llm,
        )
        try:
            yield
        finally:
            await db.dispose()
            if redis is not None:
                await redis.aclose()
            log.info("app.stop")

    return lifespan


def _attach_state(app: FastAPI, settings: Settings, db: Database, redis: Redis | None) -> None:
    app.state.settings = settings
    app.state.db = db
    app.state.redis = redis
    app.state.ratelimiter = RateLimiter(settings)
    DB_POOL.watch(db)
    APP_INFO.labels(version=__version__, environment=settings.environment).set(1)


def _add_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, app_error_handler)
    app.add_exception_handler(StarletteHTTPException, http_exception_handler)
    app.add_exception_handler(RequestValidationError, validation_handler)
    app.add_exception_handler(Exception, unhandled_handler)


def _add_middleware(app: FastAPI, settings: Settings) -> None:
    # order: the last added runs first -> RequestContext (outermost) -> BodySize -> CORS -> app
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.allowed_origins,
        allow_credentials=False,
        allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
        allow_headers=["Authorization", "Content-Type", "X-Request-ID", "Idempotency-Key"],
        expose_headers=[
            "X-Request-ID",
            "X-RateLimit-Limit",
            "X-RateLimit-Remaining",
            "X-RateLimit-Reset",
            "Retry-After",
            "Idempotent-Replayed",
        ],
        max_age=600,
    )
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(RequestContextMiddleware)


def _add_ops_routes(app: FastAPI, settings: Settings) -> None:
    """/health (liveness), /ready (readiness), /metrics (Prometheus, optionally behind a token)."""

    @app.get("/health", tags=["ops"], response_model=Envelope[dict[str, str]])
    async def health() -> Envelope[dict[str, str]]:
        """Liveness: the process answers. No dependency is checked."""
        return Envelope[dict[str, str]](data={"status": "ok", "version": __version__})

    @app.get(
        "/ready",
        tags=["ops"],
        response_model=Envelope[dict[str, Any]],
        responses={503: {"model": ErrorEnvelope, "description": "not ready: database down or schema behind"}},
    )
    async def ready(request: Request) -> Response:
        """Readiness. 200 ``ready``; 200 ``degraded`` when an optional dependency (Redis) is down and the
        app serves with in-process fallbacks (``checks.degraded`` names it); 503 when the database is
        unreachable or its schema is behind this release."""
        status, checks = await readiness(request.app)
        if status == NOT_READY:
            return _json_error(
                503,
                ErrorCode.SERVICE_UNAVAILABLE,
                "服务未就绪 (not ready)",
                {"status": status, "checks": checks},
            )
        return JSONResponse(
            Envelope[dict[str, Any]](data={"status": status, "checks": checks}).model_dump(mode="json")
        )

    @app.get("/metrics", tags=["ops"], include_in_schema=False)
    async def metrics(request: Request) -> Response:
        token = settings.metrics_token.get_secret_value() if settings.metrics_token else None
        if token and request.headers.get("authorization") != f"Bearer {token}":
            raise AppError(ErrorCode.UNAUTHORIZED, status=401)
        await readiness(request.app)  # duck_dependency_up as of this scrape
        body, content_type = render_metrics()
        return Response(body, media_type=content_type)


def _add_routers(app: FastAPI, settings: Settings) -> None:
    app.include_router(api_router, prefix=settings.api_prefix)
    for r in root_routers:
        app.include_router(r)

    if settings.content_served_by_app:
        # the web client at / (nginx serves the same files in every deployed environment)
        from app.web.router import assets_app  # noqa: PLC0415
        from app.web.router import router as web_router  # noqa: PLC0415

        app.include_router(web_router)
        app.mount("/assets", assets_app(), name="web-assets")
    if settings.content_served_by_app and settings.content_dir.is_dir():
        from fastapi.staticfiles import StaticFiles  # noqa: PLC0415

        app.mount(settings.content_url_prefix, StaticFiles(directory=settings.content_dir), name="content")


def __getattr__(name: str) -> Any:
    # ``app.main:app`` is built on first access, so importing app.main (tests, CLI) has no side effects
    if name == "app":
        application = create_app()
        globals()["app"] = application
        return application
    raise AttributeError(name)
