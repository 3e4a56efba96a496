"""A fake OpenAI-compatible chat-completions server on 127.0.0.1 for the chat safety and deadline tests.

A real socket, so the app's real clients run as in production (the crew's ``openai`` SDK client, the second
opinion's httpx client). Requests are told apart by their system prompt: the second opinion's classifier
prompt, or a crew task. Each kind is answered according to its mode:

* ``classify``: ``"hang"`` (read the request, never answer), ``"error"`` (HTTP 500), or a level
  (``"none"`` / ``"elevated"`` / ``"crisis"``) answered as ``{"level": ...}``, once ``classify_after_tokens``
  streamed chunks were written (0: at once);
* ``crew``: ``"answer"`` (one JSON object valid for every crew task: an analysis, a tip, a panel and the
  reply text ``CREW_REPLY``) or ``"hang"``. A request with ``"stream": true`` (DuckStyle's, when the app
  streams) is answered with ``STREAM_ANSWER`` (``{"text": STREAM_REPLY}``) as Chat Completions chunks
  (``text/event-stream``), ``TOKEN_CHARS`` characters of the JSON a chunk, ``token_delay`` seconds apart;
  ``token_times`` records when each chunk was written (``time.monotonic()``). ``crew_stream`` shapes that
  stream: ``"full"`` (every chunk, then ``[DONE]``), ``"stall"`` (the first ``stall_after`` chunks, then
  nothing, the connection held open) or ``"trickle"`` (the first ``stall_after`` chunks, then one every
  ``trickle_delay`` seconds, never the end: each chunk arrives within the client's read timeout, the
  answer never completes).

``NeverAnswers`` is a port that accepts connections (the kernel completes the handshake) and never reads
or writes a byte: a hosted LLM that has stalled completely.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from app.agents import hosted

CREW_REPLY = "鸭鸭听到了，谢谢你愿意说给我听。"
CREW_ANSWER = json.dumps(
    {
        "sentiment": "negative",
        "intensity": 0.6,
        "primary_emotions": ["疲惫"],
        "keywords": [],
        "topics": ["生活"],
        "urgency_level": 2,
        "confidence_score": 0.8,
        "tip_id": "self_compassion_note",
        "alternative_ids": [],
        "reason": "r",
        "panel_id": "panel_comfort_01",
        "video_id": None,
        "text": CREW_REPLY,
    },
    ensure_ascii=False,
)
STREAM_REPLY = "鸭鸭听到了，谢谢你愿意说给我听。加班到这么晚，身体和心都会累的。今天先给自己倒杯热水，好吗？"
STREAM_ANSWER = json.dumps({"text": STREAM_REPLY}, ensure_ascii=False)
#: characters of the answer per streamed chunk
TOKEN_CHARS = 3
PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")


class _Handler(BaseHTTPRequestHandler):
    """The fake's HTTP side; ``fake`` is set on a subclass per FakeLLM."""

    fake: FakeLLM

    def do_POST(self) -> None:
        fake = self.fake
        body = json.loads(self.rfile.read(int(self.headers.get("content-length") or 0)) or b"{}")
        system = " ".join(
            str(m.get("content", "")) for m in body.get("messages", []) if m.get("role") == "system"
        )
        kind = "classify" if "safety classifier" in system else "crew"
        with fake.lock:
            fake.counts[kind] += 1
            mode = fake.classify if kind == "classify" else fake.crew
        if mode == "hang":
            fake.release.wait(60)
            return
        if kind == "classify":
            waited = 0.0
            while len(fake.token_times) < fake.classify_after_tokens and waited < 20:
                time.sleep(0.01)
                waited += 0.01
        if mode == "error":
            return self._send(500, {"error": {"message": "fake failure"}})
        content = CREW_ANSWER if kind == "crew" else json.dumps({"level": mode})
        if body.get("stream"):
            return self._stream(STREAM_ANSWER if kind == "crew" else content, body)
        self._send(
            200,
            {
                "id": "x",
                "object": "chat.completion",
                "created": 0,
                "model": body.get("model", "m"),
                "choices": [
                    {
                        "index": 0,
                        "finish_reason": "stop",
                        "message": {"role": "assistant", "content": content},
                    }
                ],
                "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
            },
        )

    def _send(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _chunk(self, body: dict[str, Any], delta: dict[str, Any], finish: str | None) -> None:
        chunk = {
            "id": "x",
            "object": "chat.completion.chunk",
            "created": 0,
            "model": body.get("model", "m"),
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }
        self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
        self.wfile.flush()

    def _stream(self, content: str, body: dict[str, Any]) -> None:
        fake = self.fake
        with fake.lock:
            shape, delay = fake.crew_stream, fake.token_delay
            stall_after, trickle = fake.stall_after, fake.trickle_delay
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("cache-control", "no-cache")
        self.end_headers()  # HTTP/1.0: the body ends when the connection closes
        pieces = [content[i : i + TOKEN_CHARS] for i in range(0, len(content), TOKEN_CHARS)]
        self._chunk(body, {"role": "assistant", "content": ""}, None)
        for n, piece in enumerate(pieces):
            if shape != "full" and n >= stall_after:
                if shape == "stall":
                    fake.release.wait(60)
                    return
                if fake.release.wait(trickle):
                    return
            elif n and delay:
                time.sleep(delay)
            self._chunk(body, {"content": piece}, None)
            with fake.lock:
                fake.token_times.append(time.monotonic())
        if shape != "full":  # a trickle that outlived the answer: keep the connection, end nothing
            fake.release.wait(60)
            return
        self._chunk(body, {}, "stop")
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()

    def log_message(self, *_a: Any) -> None:
        return None


class FakeLLM:
    def __init__(self) -> None:
        self.classify = "hang"
        self.crew = "answer"
        self.counts = {"classify": 0, "crew": 0}
        self.lock = threading.Lock()
        self.release = threading.Event()
        self.crew_stream = "full"
        self.token_delay = 0.0
        self.stall_after = 8
        self.trickle_delay = 0.4
        self.token_times: list[float] = []
        self.classify_after_tokens = 0
        handler = type("Handler", (_Handler,), {"fake": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.server.handle_error = lambda *_a: None  # type: ignore[method-assign]  # a client gave up
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def count(self, kind: str) -> int:
        with self.lock:
            return self.counts[kind]


@contextmanager
def direct_to_loopback() -> Iterator[None]:
    """The app's hosted clients reach 127.0.0.1 directly, whatever proxy the test machine sets; the cached
    clients are dropped afterwards so no later test gets one built here."""
    with pytest.MonkeyPatch.context() as mp:
        for var in PROXY_VARS:
            mp.delenv(var, raising=False)
        yield
    hosted.reset_clients()


@contextmanager
def running_fake_llm() -> Iterator[FakeLLM]:
    fake = FakeLLM()
    thread = threading.Thread(target=fake.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        fake.release.set()
        fake.server.shutdown()
        fake.server.server_close()
        thread.join(5)


@contextmanager
def never_answers() -> Iterator[str]:
    """The base URL of a port on 127.0.0.1 that accepts connections and never answers."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)  # never accept(): the kernel queues the connections, nothing is ever read or written
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/v1"
    finally:
        sock.close()
