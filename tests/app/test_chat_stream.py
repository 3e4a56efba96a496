"""SSE with a hosted model streams DuckStyle's tokens as the model writes them (issue 15).

The hosted engine is the fake OpenAI-compatible server on 127.0.0.1 (tests/app/fake_llm.py) in its streaming
mode; the app is served by uvicorn on a loopback port so the client reads the response as it arrives (httpx's
ASGI transport would buffer it). Every streamed reply must end as the stored one: the deltas (after the last
``replace``) add up to ``done.duck_response.text``, which is what the history holds.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest
import uvicorn

from app.core.config import Settings
from app.core.metrics import REGISTRY
from tests.app.conftest import Account
from tests.app.duck_helpers import API, new_session
from tests.app.fake_llm import STREAM_REPLY, TOKEN_CHARS, FakeLLM, direct_to_loopback, running_fake_llm

DEADLINE = 6.0
#: what the test machine (2 cores, shared) may add to the deadline: the offline answer and the commit
MARGIN = 2.5
EVERYDAY = "今天上班好累，老板又临时加了需求"
TOKEN_DELAY = 0.05


@pytest.fixture(scope="module", autouse=True)
def no_proxy() -> Iterator[None]:
    with direct_to_loopback():
        yield


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeLLM]:
    with running_fake_llm() as server:
        server.crew = "answer"
        yield server


@pytest.fixture(autouse=True)
def stream_shape(fake: FakeLLM) -> Iterator[None]:
    fake.crew_stream, fake.token_delay = "full", TOKEN_DELAY
    fake.classify, fake.classify_after_tokens = "none", 0
    fake.token_times.clear()
    yield
    fake.crew_stream, fake.classify, fake.classify_after_tokens = "full", "none", 0


@pytest.fixture(scope="module")
def settings(make_settings: Callable[..., Settings], fake: FakeLLM) -> Settings:
    return make_settings(
        duck_llm=f"openai-compatible:duck-test@{fake.url}",
        chat_deadline_seconds=DEADLINE,
        safety_second_opinion=True,
    )


@pytest.fixture
async def served(app: Any) -> AsyncIterator[str]:
    """The app behind uvicorn on 127.0.0.1 (its lifespan is the module's ``app`` fixture's)."""
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=0, lifespan="off", log_level="warning", access_log=False)
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


async def read_stream(
    base: str, headers: dict[str, str], sid: str, text: str
) -> tuple[list[tuple[str, dict[str, Any], float]], float]:
    """(event, data, when it was read) for every SSE event, and when the request was sent."""
    events: list[tuple[str, dict[str, Any], float]] = []
    async with httpx.AsyncClient(base_url=base, timeout=30, trust_env=False) as c:
        sent = time.monotonic()
        async with c.stream(
            "POST", f"{API}/chat/messages/stream", json={"text": text, "session_id": sid}, headers=headers
        ) as r:
            assert r.status_code == 200, await r.aread()
            name, data = "message", []
            async for line in r.aiter_lines():
                if line.startswith("event:"):
                    name = line[6:].strip()
                elif line.startswith("data:"):
                    data.append(line[5:].lstrip(" "))
                elif not line and data:
                    events.append((name, json.loads("\n".join(data)), time.monotonic()))
                    name, data = "message", []
    return events, sent


def shown(events: list[tuple[str, dict[str, Any], float]]) -> str:
    """The reply text a client shows at the end: deltas appended, ``replace`` resets it."""
    text = ""
    for name, data, _ in events:
        if name == "delta":
            text += data["text"]
        elif name == "replace":
            text = data["text"]
    return text


async def stored_reply(client: httpx.AsyncClient, headers: dict[str, str], sid: str) -> str:
    r = await client.get(f"{API}/chat/history/{sid}", headers=headers)
    assert r.status_code == 200, r.text
    duck = [m for m in r.json()["data"]["messages"] if m["role"] == "duck"]
    assert len(duck) == 1
    return str(duck[0]["text"])


def deadline_fallbacks() -> float:
    value = REGISTRY.get_sample_value(
        "duck_llm_fallbacks_total", {"provider": "openai-compatible", "reason": "deadline"}
    )
    return value or 0.0


async def test_tokens_stream_as_the_model_writes_them(
    served: str, client: httpx.AsyncClient, guest: Account, fake: FakeLLM
) -> None:
    sid = await new_session(client, guest.headers)
    events, sent = await read_stream(served, guest.headers, sid, EVERYDAY)
    names = [n for n, _, _ in events]
    assert names[0] == "emotion" and names[-2:] == ["content", "done"], names
    assert set(names[1:-2]) == {"delta"}, names
    deltas = [(d["text"], at) for n, d, at in events if n == "delta"]
    first_at = deltas[0][1]
    last_token_at = fake.token_times[-1]
    # the chunk that carries the reply's first characters (after '{"text": "')
    first_text_chunk = len('{"text": "') // TOKEN_CHARS
    print(
        f"first token after {first_at - sent:.3f} s (after the Listener, TherapyTips, ContentRecall calls), "
        f"{first_at - fake.token_times[first_text_chunk]:.3f} s after the fake wrote it; "
        f"the fake sent its last token "
        f"{last_token_at - first_at:.3f} s after the client read the first "
        f"({len(fake.token_times)} chunks, {TOKEN_DELAY} s apart)"
    )
    assert first_at < last_token_at  # the client read a token while the model was still writing
    assert len(deltas) > 5  # token pieces, not one block
    done = events[-1][1]
    streamed = "".join(t for t, _ in deltas)
    assert streamed == done["duck_response"]["text"] == STREAM_REPLY
    assert streamed == await stored_reply(client, guest.headers, sid)


async def test_elevated_resource_line_is_the_last_delta(
    served: str, client: httpx.AsyncClient, guest: Account
) -> None:
    sid = await new_session(client, guest.headers)
    events, _ = await read_stream(served, guest.headers, sid, "感觉好绝望，看不到希望")
    done = events[-1][1]
    assert done["safety"]["level"] == "elevated"
    text = done["duck_response"]["text"]
    assert text.startswith(STREAM_REPLY) and "12356" in text.splitlines()[-1]
    assert shown(events) == text == await stored_reply(client, guest.headers, sid)
    assert "replace" not in [n for n, _, _ in events]


@pytest.mark.parametrize("shape", ["stall", "trickle"])
async def test_a_stream_stalled_past_the_deadline_ends_with_a_complete_reply(
    served: str, client: httpx.AsyncClient, guest: Account, fake: FakeLLM, shape: str
) -> None:
    """``stall``: the model stops sending (the read timeout is per chunk); ``trickle``: it keeps sending a
    chunk now and then, each within the read timeout, and never finishes. Either way the reply comes by the
    deadline, from the offline engine, replacing what was streamed, and the fallback is counted."""
    fake.crew_stream = shape
    sid = await new_session(client, guest.headers)
    before = deadline_fallbacks()
    events, sent = await read_stream(served, guest.headers, sid, EVERYDAY)
    elapsed = events[-1][2] - sent
    print(f"{shape}: complete reply after {elapsed:.2f} s (deadline {DEADLINE} s)")
    assert elapsed < DEADLINE + MARGIN
    names = [n for n, _, _ in events]
    assert names[-2:] == ["content", "done"]
    first_replace = names.index("replace")
    assert "delta" in names[:first_replace]  # tokens were shown before the model stalled
    done = events[-1][1]
    text = done["duck_response"]["text"]
    assert len(text) >= 8 and not STREAM_REPLY.startswith(text)
    assert shown(events) == text == await stored_reply(client, guest.headers, sid)
    assert deadline_fallbacks() > before


async def test_a_crisis_verdict_mid_stream_replaces_the_tokens(
    served: str, client: httpx.AsyncClient, guest: Account, fake: FakeLLM
) -> None:
    """The second opinion answers crisis while DuckStyle's tokens are streaming: the crisis reply replaces
    them, and it is what is stored."""
    fake.classify, fake.classify_after_tokens = "crisis", 8
    sid = await new_session(client, guest.headers)
    events, _ = await read_stream(served, guest.headers, sid, EVERYDAY)
    names = [n for n, _, _ in events]
    assert "delta" in names[: names.index("replace")]
    done = events[-1][1]
    assert done["safety"]["level"] == "crisis"
    text = done["duck_response"]["text"]
    assert "12356" in text and not text.startswith(STREAM_REPLY[:4])
    assert shown(events) == text == await stored_reply(client, guest.headers, sid)


async def test_the_turn_is_stored_when_the_client_goes_away(
    served: str, client: httpx.AsyncClient, guest: Account, fake: FakeLLM
) -> None:
    sid = await new_session(client, guest.headers)
    async with (
        httpx.AsyncClient(base_url=served, timeout=30, trust_env=False) as c,
        c.stream(
            "POST",
            f"{API}/chat/messages/stream",
            json={"text": EVERYDAY, "session_id": sid},
            headers=guest.headers,
        ) as r,
    ):
        async for line in r.aiter_lines():
            if line.startswith("event: delta"):
                break  # hang up after the first token
    for _ in range(100):
        r = await client.get(f"{API}/chat/history/{sid}", headers=guest.headers)
        if any(m["role"] == "duck" for m in r.json()["data"]["messages"]):
            break
        await asyncio.sleep(0.1)
    assert await stored_reply(client, guest.headers, sid) == STREAM_REPLY


async def test_errors_before_the_stream_are_json_envelopes(
    client: httpx.AsyncClient, make_guest: Any
) -> None:
    alice, bob = await make_guest(), await make_guest()
    sid = await new_session(client, alice.headers)
    r = await client.post(
        f"{API}/chat/messages/stream", json={"text": "你好", "session_id": sid}, headers=bob.headers
    )
    assert r.status_code == 404 and r.json()["error"]["code"] == "SESSION_NOT_FOUND"
