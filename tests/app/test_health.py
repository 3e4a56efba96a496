from __future__ import annotations

import httpx

from app.main import create_app
from tests.app.conftest import make_client


async def test_health_is_wrapped_and_tagged(client: httpx.AsyncClient) -> None:
    r = await client.get("/health", headers={"X-Request-ID": "abc-123"})
    assert r.status_code == 200
    body = r.json()
    assert body["success"] is True
    assert body["data"]["status"] == "ok"
    assert body["timestamp"].endswith("Z") or "+00:00" in body["timestamp"]
    assert r.headers["x-request-id"] == "abc-123"


async def test_request_id_generated_when_missing_or_bad(client: httpx.AsyncClient) -> None:
    r = await client.get("/health")
    assert len(r.headers["x-request-id"]) == 32
    r = await client.get("/health", headers={"X-Request-ID": "bad id with spaces"})
    assert r.headers["x-request-id"] != "bad id with spaces"


async def test_ready_checks_database_and_migrations(client: httpx.AsyncClient, backend: str) -> None:
    r = await client.get("/ready")
    assert r.status_code == 200, r.text
    checks = r.json()["data"]["checks"]
    assert checks["database"] == "ok"
    assert checks["migrations"] == "ok"
    if backend == "services":
        assert checks["redis"] == "ok"


async def test_metrics_use_route_templates(client: httpx.AsyncClient, guest) -> None:
    await client.get("/api/v1/auth/sessions/does-not-exist-123", headers=guest.headers)
    await client.get("/no/such/path/42")
    r = await client.get("/metrics")
    assert r.status_code == 200
    text = r.text
    assert 'duck_http_requests_total{method="GET",route="/health",status="200"}' in text
    # the template, never the raw path (GET is not allowed there: 405)
    assert (
        'duck_http_requests_total{method="GET",route="/api/v1/auth/sessions/{session_id}",status="405"}'
        in text
    )
    assert "does-not-exist-123" not in text
    assert "/no/such/path/42" not in text
    assert 'route="<unmatched>"' in text
    assert "duck_http_requests_in_flight" in text
    assert "duck_db_pool_size" in text


async def test_docs_served_outside_production(client: httpx.AsyncClient) -> None:
    assert (await client.get("/openapi.json")).status_code == 200
    assert (await client.get("/docs")).status_code == 200


async def test_cors_preflight_from_allowed_origin(client: httpx.AsyncClient) -> None:
    r = await client.options(
        "/api/v1/auth/guest",
        headers={"Origin": "http://localhost:5173", "Access-Control-Request-Method": "POST"},
    )
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == "http://localhost:5173"
    r = await client.options(
        "/api/v1/auth/guest",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in r.headers


async def test_docs_off_in_production(make_settings) -> None:
    application = create_app(make_settings(environment="production"))
    async with make_client(application) as c:
        assert (await c.get("/docs")).status_code == 404
        assert (await c.get("/openapi.json")).status_code == 404
        assert (await c.get("/health")).status_code == 200
    await application.state.db.dispose()
    application = create_app(make_settings(environment="production", enable_docs=True))
    async with make_client(application) as c:
        assert (await c.get("/openapi.json")).status_code == 200
        await application.state.db.dispose()


async def test_metrics_token(make_settings) -> None:
    application = create_app(make_settings(metrics_token="scrape-" + "t" * 20))
    async with make_client(application) as c:
        assert (await c.get("/metrics")).status_code == 401
        r = await c.get("/metrics", headers={"Authorization": "Bearer scrape-" + "t" * 20})
        assert r.status_code == 200
    await application.state.db.dispose()


def test_migration_state_ready_at_head_or_ahead_not_behind() -> None:
    """A rolling update migrates before the old hosts are replaced: they must stay ready on a schema that is
    ahead of them (expand-only migrations), but a host whose own migrations are pending is not ready."""
    from app.core.health import migration_revisions, migration_state  # noqa: PLC0415

    heads, known = migration_revisions()
    assert heads and heads <= known
    assert migration_state(set(heads)) == (True, "ok")
    behind = sorted(known - heads)
    assert behind, "expected more than one migration"
    assert migration_state({behind[0]})[0] is False
    assert migration_state(set())[0] is False  # never migrated
    usable, why = migration_state({"f00dfeedbeef"})  # a newer release's revision
    assert usable and "ahead" in why
