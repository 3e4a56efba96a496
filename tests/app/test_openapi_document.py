"""The OpenAPI document states this deployment's limits, and the server keeps to them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from app.core.config import Settings
from app.main import create_app

from .conftest import make_client

API = "/api/v1"


@pytest.fixture(scope="module")
async def tight_app(make_settings: Callable[..., Settings]) -> AsyncIterator[Any]:
    application = create_app(make_settings(password_min_length=14, max_message_chars=300))
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def tight(tight_app: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(tight_app) as c:
        yield c


def _property(doc: dict[str, Any], model: str, field: str) -> dict[str, Any]:
    prop: dict[str, Any] = doc["components"]["schemas"][model]["properties"][field]
    return prop


async def test_settings_limits_are_in_the_document(tight: httpx.AsyncClient) -> None:
    doc = (await tight.get("/openapi.json")).json()
    for model in ("RegisterRequest", "UpgradeRequest"):
        assert _property(doc, model, "password")["minLength"] == 14
    assert _property(doc, "PasswordChangeRequest", "new_password")["minLength"] == 14
    assert _property(doc, "MessageIn", "text")["maxLength"] == 300
    assert _property(doc, "AnalyzeIn", "text")["maxLength"] == 300
    assert "x-duck-settings" not in str(doc)


async def test_documented_password_length_is_the_enforced_one(tight: httpx.AsyncClient) -> None:
    short = await tight.post(
        f"{API}/auth/register", json={"email": "short-pw@example.org", "password": "Duck-pond-42x"}
    )
    assert short.status_code == 422
    assert short.json()["error"]["details"]["reason"] == "too_short"
    ok = await tight.post(
        f"{API}/auth/register", json={"email": "long-pw@example.org", "password": "Duck-pond-42xy"}
    )
    assert ok.status_code == 201, ok.text


async def test_documented_text_length_is_the_enforced_one(tight: httpx.AsyncClient) -> None:
    guest = (await tight.post(f"{API}/auth/guest", json={})).json()["data"]
    headers = {"Authorization": f"Bearer {guest['access_token']}"}
    at_limit = await tight.post(f"{API}/emotions/analyze", json={"text": "好" * 300}, headers=headers)
    assert at_limit.status_code == 200, at_limit.text
    over = await tight.post(f"{API}/emotions/analyze", json={"text": "好" * 301}, headers=headers)
    assert over.status_code == 422


async def test_optional_header_and_query_parameters_are_never_null(client: httpx.AsyncClient) -> None:
    doc = (await client.get("/openapi.json")).json()
    seen = 0
    for path_item in doc["paths"].values():
        for operation in path_item.values():
            for parameter in operation.get("parameters", []):
                seen += 1
                assert {"type": "null"} not in parameter["schema"].get("anyOf", []), parameter["name"]
    assert seen > 5
    chat = doc["paths"][f"{API}/chat/messages"]["post"]["parameters"]
    key = next(p for p in chat if p["name"] == "Idempotency-Key")
    assert key["schema"]["type"] == "string" and key["schema"]["minLength"] == 8


async def test_405_allows_every_method_of_the_resource(client: httpx.AsyncClient) -> None:
    r = await client.put(f"{API}/me")
    assert r.status_code == 405
    assert r.json()["error"]["code"] == "METHOD_NOT_ALLOWED"
    allowed = {m.strip() for m in r.headers["allow"].split(",")}
    assert {"GET", "PATCH", "DELETE"} <= allowed
    assert "PUT" not in allowed


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/content/recommend", {"emotion_analysis": {"intensity": False}}),
        ("/therapy/tips", {"emotion_analysis": {"intensity": "0.5"}}),
        ("/chat/messages/x/feedback", {"helpful": "yes"}),
        ("/content/recommend", {"emotion_analysis": {}, "preferences": {"max_items": "5"}}),
    ],
)
async def test_bodies_take_json_types_as_documented(
    client: httpx.AsyncClient, guest: Any, path: str, body: dict[str, Any]
) -> None:
    r = await client.post(f"{API}{path}", json=body, headers=guest.headers)
    assert r.status_code == 422, r.text


async def test_integral_number_is_an_integer(client: httpx.AsyncClient, guest: Any) -> None:
    r = await client.post(
        f"{API}/content/recommend",
        json={"emotion_analysis": {"intensity": 1}, "preferences": {"max_items": 3.0}},
        headers=guest.headers,
    )
    assert r.status_code == 200, r.text


async def test_password_is_not_trimmed(client: httpx.AsyncClient) -> None:
    password = "  Duck-pond-Sunrise-42  "
    r = await client.post(f"{API}/auth/register", json={"email": "spaces@example.org", "password": password})
    assert r.status_code == 201, r.text
    trimmed = await client.post(
        f"{API}/auth/login", json={"email": "spaces@example.org", "password": password.strip()}
    )
    assert trimmed.status_code == 401
    exact = await client.post(f"{API}/auth/login", json={"email": "spaces@example.org", "password": password})
    assert exact.status_code == 200, exact.text
