"""CORS preflight for the headers a browser client of the API sends (issue 15, part 3)."""

from __future__ import annotations

import httpx

ORIGIN = "http://localhost:5173"
CLIENT_HEADERS = ("authorization", "content-type", "idempotency-key", "x-request-id")


async def test_preflight_allows_every_documented_client_header(client: httpx.AsyncClient) -> None:
    r = await client.options(
        "/api/v1/chat/messages",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": ", ".join(CLIENT_HEADERS),
        },
    )
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == ORIGIN
    allowed = {h.strip().lower() for h in r.headers["access-control-allow-headers"].split(",")}
    assert set(CLIENT_HEADERS) <= allowed


async def test_preflight_refuses_an_undocumented_header(client: httpx.AsyncClient) -> None:
    r = await client.options(
        "/api/v1/chat/messages",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "x-not-documented",
        },
    )
    assert r.status_code == 400
