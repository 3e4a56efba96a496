"""HostedLLM's streamed DuckStyle call: tokens as they come, a reset before a retry, the deadline checked
between chunks (no fake network: httpx.MockTransport behind the real OpenAI SDK)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from app.agents import hosted
from app.agents.hosted import HostedLLM, parse_spec
from app.agents.state import TurnState
from app.core.metrics import REGISTRY

SPEC = parse_spec("openai-compatible:tiny@http://127.0.0.1:9/v1")
REPLY = '鸭鸭听到了，"考试"没考好\n真的很难受。'


def _chunks(answer: str, size: int = 4) -> list[bytes]:
    out = []
    for i in range(0, len(answer), size):
        delta = {"content": answer[i : i + size]}
        chunk = {
            "id": "x",
            "object": "chat.completion.chunk",
            "created": 0,
            "model": "m",
            "choices": [{"index": 0, "delta": delta, "finish_reason": None}],
        }
        out.append(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
    return [*out, b"data: [DONE]\n\n"]


def _install(monkeypatch: pytest.MonkeyPatch, bodies: list[Any]) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    queue = list(bodies)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        body = queue.pop(0)
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body)

    hosted.reset_clients()
    monkeypatch.setattr(hosted, "HTTP_TRANSPORT", httpx.MockTransport(handler))
    return seen


@pytest.fixture(autouse=True)
def _clients() -> Iterator[None]:
    yield
    hosted.reset_clients()


def _llm(deadline: float | None = None) -> tuple[HostedLLM, list[tuple[str, Any]]]:
    events: list[tuple[str, Any]] = []
    turn = TurnState(message="考试没考好", seed=1)
    turn.on_event = lambda kind, value: events.append((kind, value))
    return HostedLLM.for_turn(SPEC, turn, deadline=deadline), events


def test_tokens_then_the_validated_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _install(monkeypatch, [_chunks(json.dumps({"text": REPLY}, ensure_ascii=False))])
    llm, events = _llm()
    answer = llm.answer([{"role": "user", "content": "hi"}], "duck_reply_task")
    assert json.loads(answer)["text"] == REPLY
    assert seen[0]["stream"] is True
    tokens = [v for k, v in events if k == "token"]
    assert len(tokens) > 3 and "".join(tokens) == REPLY
    assert [k for k, _ in events] == ["token"] * len(tokens)


def test_other_tasks_and_no_listener_are_not_streamed(monkeypatch: pytest.MonkeyPatch) -> None:
    body = {
        "id": "x",
        "object": "chat.completion",
        "created": 0,
        "model": "m",
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "message": {"role": "assistant", "content": json.dumps({"text": REPLY})},
            }
        ],
    }
    seen: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        return httpx.Response(200, json=body)

    hosted.reset_clients()
    monkeypatch.setattr(hosted, "HTTP_TRANSPORT", httpx.MockTransport(handler))
    plain = HostedLLM.for_turn(SPEC, TurnState(message="x"))
    assert json.loads(plain.answer("hi", "duck_reply_task"))["text"] == REPLY
    assert "stream" not in seen[-1]


def test_an_invalid_streamed_answer_is_reset_before_the_retry(monkeypatch: pytest.MonkeyPatch) -> None:
    _install(monkeypatch, [_chunks('{"text": "半'), _chunks(json.dumps({"text": REPLY}, ensure_ascii=False))])
    llm, events = _llm()
    answer = llm.answer([{"role": "user", "content": "hi"}], "duck_reply_task")
    assert json.loads(answer)["text"] == REPLY
    kinds = [k for k, _ in events]
    reset = kinds.index("reset")
    assert "".join(v for k, v in events[:reset] if k == "token") == "半"
    assert "".join(v for k, v in events[reset + 1 :] if k == "token") == REPLY


def _deadline_fallbacks() -> float:
    labels = {"provider": "openai-compatible", "reason": "deadline"}
    return REGISTRY.get_sample_value("duck_llm_fallbacks_total", labels) or 0.0


def test_the_deadline_is_checked_between_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """A model that trickles (each chunk well within the read timeout) cannot outlast the budget."""
    sent: list[float] = []

    def trickle() -> Iterator[bytes]:
        for chunk in _chunks(json.dumps({"text": REPLY * 3}, ensure_ascii=False), size=2):
            sent.append(time.monotonic())
            yield chunk
            time.sleep(0.1)

    _install(monkeypatch, [trickle()])
    before = _deadline_fallbacks()
    deadline = time.monotonic() + 0.6
    events: list[tuple[str, Any]] = []
    turn = TurnState(message="考试没考好", seed=1)
    # a reset carries when it came: the moment the stream was dropped
    turn.on_event = lambda kind, value: events.append((kind, time.monotonic() if kind == "reset" else value))
    llm = HostedLLM.for_turn(SPEC, turn, deadline=deadline)
    answer = llm.answer([{"role": "user", "content": "hi"}], "duck_reply_task")
    gave_up = events[-1][1]  # (the offline answer after it may be slow: its first run loads jieba)
    assert gave_up < deadline + 0.3
    assert json.loads(answer)["text"] and json.loads(answer)["text"] != REPLY * 3  # the offline engine
    assert _deadline_fallbacks() - before == 1
    kinds = [k for k, _ in events]
    assert "token" in kinds and kinds[-1] == "reset"
    assert len(sent) < len(_chunks(json.dumps({"text": REPLY * 3}, ensure_ascii=False), size=2))
