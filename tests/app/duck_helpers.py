"""Small helpers shared by the duck's API tests (chat, SSE, WS, reports ...)."""

from __future__ import annotations

import json
from typing import Any

import httpx

API = "/api/v1"


async def new_session(client: httpx.AsyncClient, headers: dict[str, str], **body: Any) -> str:
    r = await client.post(f"{API}/chat/sessions", json=body or {}, headers=headers)
    assert r.status_code == 201, r.text
    return str(r.json()["data"]["session_id"])


async def say(
    client: httpx.AsyncClient, headers: dict[str, str], session_id: str, text: str, **context: Any
) -> dict[str, Any]:
    r = await client.post(
        f"{API}/chat/messages",
        json={"text": text, "session_id": session_id, "context": context},
        headers=headers,
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["success"] is True
    return dict(body["data"])


def parse_sse(raw: str) -> list[tuple[str, dict[str, Any]]]:
    """(event, data) pairs from a text/event-stream body."""
    events: list[tuple[str, dict[str, Any]]] = []
    for block in raw.replace("\r\n", "\n").split("\n\n"):
        name, data = "message", []
        for line in block.split("\n"):
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].lstrip(" "))
        if data:
            events.append((name, json.loads("\n".join(data))))
    return events
