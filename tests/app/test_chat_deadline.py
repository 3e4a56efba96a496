"""The per-message deadline (CHAT_DEADLINE_SECONDS) with a hosted LLM that stalls.

The hosted engine is an OpenAI-compatible server on 127.0.0.1 (tests/app/fake_llm.py) that reads each
request and never answers. REST, SSE and WebSocket must each answer within the deadline (plus a margin for
this shared test machine) with the offline engine's reply, 2xx, a reply that says nothing of the failure,
and ``duck_llm_fallbacks_total{reason="deadline"}`` counted. A crisis message never waits for a model.
"""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest
from httpx_ws import aconnect_ws
from httpx_ws.transport import ASGIWebSocketTransport

from app.core.config import Settings
from app.core.metrics import REGISTRY
from app.main import create_app
from tests.app.conftest import Account, make_client
from tests.app.duck_helpers import API, new_session, parse_sse
from tests.app.fake_llm import FakeLLM, direct_to_loopback, never_answers, running_fake_llm

DEADLINE = 3.0
#: what the test machine (2 cores, shared) may add to the deadline: the offline answer and the commit
MARGIN = 2.5
EVERYDAY = "今天上班好累，老板又临时加了需求"
CRISIS = "我想结束自己的生命"
#: nothing in a reply may tell the person that something failed
FAILURE_WORDS = re.compile(
    r"error|timeout|timed out|llm|model|fallback|offline|exception|deadline|"
    r"超时|错误|失败|故障|异常|模型|离线|稍后再试",
    re.IGNORECASE,
)


@pytest.fixture(scope="module", autouse=True)
def no_proxy() -> Iterator[None]:
    with direct_to_loopback():
        yield


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeLLM]:
    with running_fake_llm() as server:
        server.crew = "hang"
        server.classify = "hang"
        yield server


def _hosted(url: str) -> str:
    return f"openai-compatible:duck-test@{url}"


@pytest.fixture(scope="module")
def settings(make_settings: Callable[..., Settings], fake: FakeLLM) -> Settings:
    return make_settings(
        duck_llm=_hosted(fake.url), chat_deadline_seconds=DEADLINE, safety_second_opinion=True
    )


@pytest.fixture
async def ws_client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=ASGIWebSocketTransport(app), base_url="http://testserver") as c:
        yield c


def deadline_fallbacks() -> float:
    value = REGISTRY.get_sample_value(
        "duck_llm_fallbacks_total", {"provider": "openai-compatible", "reason": "deadline"}
    )
    return value or 0.0


def assert_quiet_reply(text: str) -> None:
    assert len(text) >= 8, text
    assert not FAILURE_WORDS.search(text), text


async def test_rest_answers_offline_within_the_deadline(client: httpx.AsyncClient, guest: Account) -> None:
    sid = await new_session(client, guest.headers)
    before = deadline_fallbacks()
    started = time.monotonic()
    r = await client.post(
        f"{API}/chat/messages", json={"text": EVERYDAY, "session_id": sid}, headers=guest.headers
    )
    elapsed = time.monotonic() - started
    print(f"REST reply with a stalled hosted LLM in {elapsed:.2f} s (deadline {DEADLINE} s)")
    assert r.status_code == 200, r.text
    assert elapsed < DEADLINE + MARGIN
    data = r.json()["data"]
    assert_quiet_reply(data["duck_response"]["text"])
    assert data["emotion_analysis"]["sentiment"] == "negative"  # the offline Listener's analysis
    # the hosted engine was in use and the deadline answered for it (on a busy machine the crew may not
    # even have sent its first request in the budget: no assertion on the fake's request count here)
    assert deadline_fallbacks() > before


async def test_sse_answers_offline_within_the_deadline(client: httpx.AsyncClient, guest: Account) -> None:
    sid = await new_session(client, guest.headers)
    before = deadline_fallbacks()
    started = time.monotonic()
    r = await client.post(
        f"{API}/chat/messages/stream", json={"text": EVERYDAY, "session_id": sid}, headers=guest.headers
    )
    elapsed = time.monotonic() - started
    print(f"SSE reply with a stalled hosted LLM in {elapsed:.2f} s (deadline {DEADLINE} s)")
    assert r.status_code == 200, r.text
    assert elapsed < DEADLINE + MARGIN
    events = parse_sse(r.text)
    done = next(d for n, d in events if n == "done")
    streamed = "".join(d["text"] for n, d in events if n == "delta")
    assert streamed == done["duck_response"]["text"]
    assert_quiet_reply(streamed)
    assert deadline_fallbacks() > before


async def test_websocket_answers_offline_within_the_deadline(
    client: httpx.AsyncClient, ws_client: httpx.AsyncClient, guest: Account
) -> None:
    sid = await new_session(client, guest.headers)
    before = deadline_fallbacks()
    async with aconnect_ws(f"/ws/chat/{sid}?token={guest.access_token}", ws_client) as ws:
        assert (await ws.receive_json())["type"] == "system_notification"
        started = time.monotonic()
        await ws.send_json({"type": "user_message", "data": {"text": EVERYDAY}})
        frame = await ws.receive_json(timeout=DEADLINE + MARGIN + 5)
        elapsed = time.monotonic() - started
    print(f"WS reply with a stalled hosted LLM in {elapsed:.2f} s (deadline {DEADLINE} s)")
    assert frame["type"] == "duck_response", frame
    assert elapsed < DEADLINE + MARGIN
    assert_quiet_reply(frame["data"]["message"]["text"])
    assert deadline_fallbacks() > before


async def test_crisis_reply_never_waits_for_a_model(
    client: httpx.AsyncClient, guest: Account, fake: FakeLLM
) -> None:
    """Issue 13: the gate answers a crisis at once, with hotlines; no agent and no LLM call is made."""
    sid = await new_session(client, guest.headers)
    calls = fake.count("crew"), fake.count("classify")
    started = time.monotonic()
    r = await client.post(
        f"{API}/chat/messages", json={"text": CRISIS, "session_id": sid}, headers=guest.headers
    )
    elapsed = time.monotonic() - started
    print(f"crisis reply with a stalled hosted LLM in {elapsed:.3f} s")
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert data["safety"]["level"] == "crisis"
    assert data["safety"]["hotlines"] and "12356" in data["duck_response"]["text"]
    assert elapsed < 1.0  # as fast as offline: well under the deadline
    r = await client.post(
        f"{API}/chat/messages/stream", json={"text": CRISIS, "session_id": sid}, headers=guest.headers
    )
    done = next(d for n, d in parse_sse(r.text) if n == "done")
    assert done["safety"]["level"] == "crisis"
    assert (fake.count("crew"), fake.count("classify")) == calls


async def test_a_port_that_never_answers(make_settings: Callable[..., Settings]) -> None:
    """The Done-when wording: a server that accepts connections and never reads or writes a byte."""
    with never_answers() as url:
        application = create_app(make_settings(duck_llm=_hosted(url), chat_deadline_seconds=DEADLINE))
        async with application.router.lifespan_context(application), make_client(application) as c:
            r = await c.post(f"{API}/auth/guest", json={})
            headers = {"Authorization": f"Bearer {r.json()['data']['access_token']}"}
            sid = await new_session(c, headers)
            before = deadline_fallbacks()
            started = time.monotonic()
            r = await c.post(
                f"{API}/chat/messages", json={"text": EVERYDAY, "session_id": sid}, headers=headers
            )
            elapsed = time.monotonic() - started
    print(f"REST reply with a never-answering port in {elapsed:.2f} s (deadline {DEADLINE} s)")
    assert r.status_code == 200, r.text
    assert elapsed < DEADLINE + MARGIN
    assert_quiet_reply(r.json()["data"]["duck_response"]["text"])
    assert deadline_fallbacks() > before
