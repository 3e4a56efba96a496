"""WebSocket chat: token auth (query or first frame), frames, ownership, the same reply as SSE."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from httpx_ws import aconnect_ws
from httpx_ws.transport import ASGIWebSocketTransport

from tests.app.conftest import Account
from tests.app.duck_helpers import API, new_session, parse_sse


@pytest.fixture
async def ws_client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=ASGIWebSocketTransport(app), base_url="http://testserver") as c:
        yield c


async def test_ws_chat_matches_sse(
    client: httpx.AsyncClient, ws_client: httpx.AsyncClient, guest: Account
) -> None:
    sid = await new_session(client, guest.headers)
    text = "最近工作压力好大，每天加班"
    async with aconnect_ws(f"/ws/chat/{sid}?token={guest.access_token}", ws_client) as ws:
        hello = await ws.receive_json()
        assert hello["type"] == "system_notification" and hello["data"]["action"] == "connected"
        await ws.send_json({"type": "user_message", "data": {"text": text}})
        frame = await ws.receive_json(timeout=60)
    assert frame["type"] == "duck_response"
    ws_reply = frame["data"]["message"]["text"]
    assert frame["data"]["emotion_analysis"]["sentiment"] == "negative"
    assert frame["data"]["safety"]["level"] == "none"
    r = await client.post(
        f"{API}/chat/messages/stream", json={"text": text, "session_id": sid}, headers=guest.headers
    )
    streamed = "".join(d["text"] for n, d in parse_sse(r.text) if n == "delta")
    assert streamed == ws_reply


async def test_ws_first_frame_auth_and_errors(
    client: httpx.AsyncClient, ws_client: httpx.AsyncClient, guest: Account
) -> None:
    sid = await new_session(client, guest.headers)
    async with aconnect_ws(f"/ws/chat/{sid}", ws_client) as ws:
        await ws.send_json({"type": "auth", "token": guest.access_token})
        assert (await ws.receive_json())["type"] == "system_notification"
        await ws.send_text("not json")
        err = await ws.receive_json()
        assert err["type"] == "error" and err["data"]["code"] == "VALIDATION_ERROR"
        await ws.send_json({"type": "user_message", "data": {"text": "我想结束自己的生命"}})
        frame = await ws.receive_json(timeout=60)
        assert frame["data"]["safety"]["level"] == "crisis"
        assert "12356" in frame["data"]["message"]["text"]


async def test_ws_rejects_bad_token_and_foreign_session(
    client: httpx.AsyncClient, ws_client: httpx.AsyncClient, make_guest: Any
) -> None:
    alice, bob = await make_guest(), await make_guest()
    sid = await new_session(client, alice.headers)
    async with aconnect_ws(f"/ws/chat/{sid}?token=garbage", ws_client) as ws:
        err = await ws.receive_json()
        assert err["type"] == "error" and err["data"]["code"] == "UNAUTHORIZED"
    async with aconnect_ws(f"/ws/chat/{sid}?token={bob.access_token}", ws_client) as ws:
        err = await ws.receive_json()
        assert err["type"] == "error" and err["data"]["code"] == "SESSION_NOT_FOUND"
