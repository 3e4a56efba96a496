"""The app serves the web client at / in development and test (nginx serves it in deployments)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from app.core.config import Settings
from app.main import create_app
from app.web.router import CSP, STATIC_DIR
from tests.app.conftest import make_client


async def test_the_page_and_its_assets_come_with_the_csp(client: httpx.AsyncClient) -> None:
    page = await client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert page.headers["content-security-policy"] == CSP
    assert page.headers["x-frame-options"] == "DENY" and page.headers["cache-control"] == "no-cache"
    assert 'data-testid="message-input"' in page.text
    js = await client.get("/assets/js/main.js")
    assert js.status_code == 200 and "javascript" in js.headers["content-type"]
    assert js.headers["content-security-policy"] == CSP and js.headers["etag"]
    again = await client.get("/assets/js/main.js", headers={"If-None-Match": js.headers["etag"]})
    assert again.status_code == 304  # no-cache: revalidated, not downloaded again
    icon = await client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"] == "image/svg+xml"
    head = await client.head("/")
    assert head.status_code == 200


async def test_a_missing_asset_is_a_404_envelope(client: httpx.AsyncClient) -> None:
    for path in ("/assets/js/nope.js", "/assets/../router.py", "/assets/%2e%2e/router.py"):
        r = await client.get(path)
        assert r.status_code == 404, path
        assert r.json()["success"] is False


async def test_production_leaves_the_page_to_nginx(make_settings: Callable[..., Settings]) -> None:
    application: Any = create_app(make_settings(environment="production", serve_content=False))
    async with make_client(application) as c:
        assert (await c.get("/")).status_code == 404
        assert (await c.get("/assets/js/main.js")).status_code == 404
    assert (STATIC_DIR / "index.html").is_file()
