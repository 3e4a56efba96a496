"""Bad input gets the right 4xx envelope and writes nothing."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from app.auth.models import User
from app.core.errors import AppError, ErrorCode
from tests.app.conftest import make_client


def assert_error(r: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert r.status_code == status, r.text
    body = r.json()
    assert body["success"] is False
    assert body["error"]["code"] == code
    assert set(body) == {"success", "error", "timestamp"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert r.headers.get("x-request-id")
    return body


async def count_users(app: Any) -> int:
    async with app.state.db.sessionmaker() as s:
        return int(await s.scalar(select(func.count()).select_from(User)) or 0)


async def test_unknown_route_404(client: httpx.AsyncClient) -> None:
    assert_error(await client.get("/api/v1/nope"), 404, "NOT_FOUND")


async def test_wrong_method_405(client: httpx.AsyncClient) -> None:
    assert_error(await client.get("/api/v1/auth/register"), 405, "METHOD_NOT_ALLOWED")


async def test_malformed_json(client: httpx.AsyncClient, app: Any) -> None:
    before = await count_users(app)
    r = await client.post(
        "/api/v1/auth/register",
        content=b'{"email": "a@b.cn", "password": ',
        headers={"Content-Type": "application/json"},
    )
    body = assert_error(r, 400, "VALIDATION_ERROR")
    assert body["error"]["details"]["reason"] == "malformed_json"
    assert await count_users(app) == before


async def test_invalid_utf8(client: httpx.AsyncClient, app: Any) -> None:
    before = await count_users(app)
    r = await client.post(
        "/api/v1/auth/register",
        content=b'{"email": "a@b.cn", "password": "\xff\xfe\xfd-Duck-pond-42"}',
        headers={"Content-Type": "application/json"},
    )
    assert_error(r, 400, "VALIDATION_ERROR")
    assert await count_users(app) == before


async def test_wrong_types_do_not_echo_input(client: httpx.AsyncClient, app: Any) -> None:
    before = await count_users(app)
    r = await client.post("/api/v1/auth/register", json={"email": ["x"], "password": 12345678901})
    body = assert_error(r, 422, "VALIDATION_ERROR")
    fields = {tuple(e["loc"]) for e in body["error"]["details"]["errors"]}
    assert ("body", "email") in fields
    assert "12345678901" not in r.text
    assert await count_users(app) == before


async def test_unknown_fields_rejected(client: httpx.AsyncClient) -> None:
    r = await client.post("/api/v1/auth/guest", json={"is_admin": True})
    assert_error(r, 422, "VALIDATION_ERROR")


async def test_oversize_body_declared(client: httpx.AsyncClient, app: Any, settings) -> None:
    before = await count_users(app)
    big = b'{"display_name": "' + b"a" * (settings.max_body_bytes + 10) + b'"}'
    r = await client.post("/api/v1/auth/guest", content=big, headers={"Content-Type": "application/json"})
    body = assert_error(r, 413, "PAYLOAD_TOO_LARGE")
    assert body["error"]["details"]["max_bytes"] == settings.max_body_bytes
    assert await count_users(app) == before


async def test_oversize_body_streamed_without_length(client: httpx.AsyncClient, app: Any, settings) -> None:
    before = await count_users(app)

    async def chunks():
        for _ in range(40):
            yield b"x" * 65536

    r = await client.post(
        "/api/v1/auth/guest", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert_error(r, 413, "PAYLOAD_TOO_LARGE")
    assert await count_users(app) == before


@pytest.mark.parametrize(
    "header",
    [
        "Bearer not-a-jwt",
        "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.",
        "Basic dXNlcjpwYXNz",
        "",
    ],
)
async def test_bad_auth_headers(client: httpx.AsyncClient, header: str) -> None:
    headers = {"Authorization": header} if header else {}
    r = await client.get("/api/v1/me", headers=headers)
    assert_error(r, 401, "UNAUTHORIZED")
    assert r.headers.get("www-authenticate", "").startswith("Bearer")


async def test_internal_error_does_not_leak(app: Any) -> None:
    async def boom() -> None:
        raise RuntimeError("secret internals: password=hunter2")

    app.add_api_route("/api/v1/_boom_test", boom)
    try:
        async with make_client(app) as c:
            r = await c.get("/api/v1/_boom_test")
        body = assert_error(r, 500, "INTERNAL_ERROR")
        assert "hunter2" not in r.text and "RuntimeError" not in r.text
        assert body["error"]["details"] is None
    finally:
        app.router.routes[:] = [
            rt for rt in app.router.routes if getattr(rt, "path", "") != "/api/v1/_boom_test"
        ]


async def test_app_error_envelope(app: Any) -> None:
    async def agent_slow() -> None:
        raise AppError(ErrorCode.AGENT_TIMEOUT, details={"agent": "listener"})

    app.add_api_route("/api/v1/_agent_test", agent_slow)
    try:
        async with make_client(app) as c:
            r = await c.get("/api/v1/_agent_test")
        body = assert_error(r, 504, "AGENT_TIMEOUT")
        assert body["error"]["details"] == {"agent": "listener"}
    finally:
        app.router.routes[:] = [
            rt for rt in app.router.routes if getattr(rt, "path", "") != "/api/v1/_agent_test"
        ]
