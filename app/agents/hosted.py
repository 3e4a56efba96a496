"""Hosted / on-premises LLM backends as CrewAI ``BaseLLM``s, each with a timeout and one retry, then the
offline engine: a person always gets an answer.

DUCK_LLM: ``local`` | ``openai:<model>`` | ``anthropic:<model>`` | ``openai-compatible:<model>@<base_url>``
(Ollama, vLLM, llama.cpp server ... so conversations can stay inside the operator's network).
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
import time
from dataclasses import dataclass
from typing import Any

import httpx
from pydantic import BaseModel, ConfigDict, PrivateAttr, ValidationError

from app.agents import metrics as m
from app.agents.jsontext import StringFieldDecoder
from app.agents.libraries import assets, tips
from app.agents.offline import DuckLLM, estimate_tokens, offline_answer
from app.agents.schemas import ContentChoice, DuckReply, ListenerOutput, ReportSummary, TipChoice
from app.agents.state import TurnState

log = logging.getLogger("app.agents.hosted")

RESPONSE_MODELS: dict[str, type[BaseModel]] = {
    "listen_task": ListenerOutput,
    "therapy_tips_task": TipChoice,
    "content_recall_task": ContentChoice,
    "duck_reply_task": DuckReply,
    "report_task": ReportSummary,
}

# Estimated list prices, USD per million tokens (input, output). Override with DUCK_LLM_PRICE="in,out".
PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1": (2.00, 8.00),
    "claude-3-5-haiku": (0.80, 4.00),
    "claude-haiku-4-5": (1.00, 5.00),
    "claude-sonnet-4": (3.00, 15.00),
    "claude-3-7-sonnet": (3.00, 15.00),
}
DEFAULT_PRICES = {"openai": (0.50, 1.50), "anthropic": (3.00, 15.00), "openai-compatible": (0.0, 0.0)}


@dataclass(frozen=True)
class BackendSpec:
    kind: str  # local | openai | anthropic | openai-compatible
    model: str = "duck-offline-engine"
    base_url: str | None = None

    @property
    def label(self) -> str:
        return self.kind


def parse_spec(spec: str | None) -> BackendSpec:
    spec = (spec or "local").strip()
    if spec in ("", "local", "offline"):
        return BackendSpec("local")
    kind, _, rest = spec.partition(":")
    kind = kind.lower()
    if kind == "openai-compatible":
        model, sep, base = rest.rpartition("@")
        if not sep or not model or not base.startswith(("http://", "https://")):
            raise ValueError(
                "DUCK_LLM=openai-compatible:<model>@<base_url>, e.g. qwen2.5:7b@http://10.0.0.5:11434/v1"
            )
        return BackendSpec(kind, model, base)
    if kind in ("openai", "anthropic") and rest:
        return BackendSpec(kind, rest)
    raise ValueError(f"unknown DUCK_LLM backend {spec!r}")


def price_for(spec: BackendSpec) -> tuple[float, float]:
    override = os.environ.get("DUCK_LLM_PRICE")
    if override:
        a, _, b = override.partition(",")
        return float(a), float(b or a)
    for prefix, price in sorted(PRICES.items(), key=lambda kv: -len(kv[0])):
        if spec.model.startswith(prefix):
            return price
    return DEFAULT_PRICES.get(spec.kind, (0.0, 0.0))


_JSON_OBJECT = re.compile(r"\{.*\}", re.S)


def extract_json(text: str) -> str:
    text = text.strip()
    if text.startswith("```"):
        text = text.strip("`")
        text = text.split("\n", 1)[1] if "\n" in text else text
    found = _JSON_OBJECT.search(text)
    return found.group(0) if found else text


def validate_answer(task: str, text: str) -> str:
    """Parse and check a model's answer for ``task``; raise ValueError / ValidationError if unusable."""
    model = RESPONSE_MODELS.get(task, DuckReply)
    obj = model.model_validate_json(extract_json(text))
    if isinstance(obj, TipChoice) and obj.tip_id not in tips():
        raise ValueError("tip_id not in the library")
    if isinstance(obj, ContentChoice):
        library = assets()
        if obj.panel_id and obj.panel_id not in library:
            raise ValueError("panel_id not in the library")
        if obj.video_id and obj.video_id not in library:
            obj.video_id = None
    return obj.model_dump_json()


# clients are thread-safe and pooled: one per backend per process
_clients: dict[tuple[str, str | None], Any] = {}
_clients_lock = threading.Lock()
#: tests inject a transport here (httpx.MockTransport); production leaves it None
HTTP_TRANSPORT: httpx.BaseTransport | None = None


def _api_key(kind: str) -> str | None:
    try:
        from app.core.config import get_settings  # noqa: PLC0415 - optional at import time

        s = get_settings()
        secret = s.anthropic_api_key if kind == "anthropic" else s.openai_api_key
        if secret is not None:
            return secret.get_secret_value()
    except Exception:  # noqa: S110 - settings unavailable (unit tests): fall back to the environment
        pass
    return os.environ.get("ANTHROPIC_API_KEY" if kind == "anthropic" else "OPENAI_API_KEY")


def _client(spec: BackendSpec, timeout: float) -> Any:
    key = (spec.kind, spec.base_url)
    with _clients_lock:
        if key in _clients:
            return _clients[key]
        http = httpx.Client(transport=HTTP_TRANSPORT, timeout=timeout) if HTTP_TRANSPORT else None
        if spec.kind == "anthropic":
            import anthropic  # noqa: PLC0415 - only when configured

            client: Any = anthropic.Anthropic(
                api_key=_api_key("anthropic"), timeout=timeout, max_retries=0, http_client=http
            )
        else:
            import openai  # noqa: PLC0415 - only when configured

            api_key = _api_key("openai") or ("not-needed" if spec.kind == "openai-compatible" else None)
            client = openai.OpenAI(
                api_key=api_key, base_url=spec.base_url, timeout=timeout, max_retries=0, http_client=http
            )
        _clients[key] = client
        return client


def reset_clients() -> None:
    with _clients_lock:
        _clients.clear()


def _plain_messages(messages: str | list[Any]) -> list[dict[str, str]]:
    if isinstance(messages, str):
        return [{"role": "user", "content": messages}]
    out = []
    for msg in messages:
        if isinstance(msg, dict):
            out.append({"role": str(msg.get("role", "user")), "content": str(msg.get("content", ""))})
    return out


#: below this many seconds left of the message's budget no call is started: the offline engine answers
MIN_CALL_SECONDS = 0.25
#: the task whose answer is streamed token by token (its prompt asks for ``{"text": ...}``)
STREAMED_TASK = "duck_reply_task"
#: backends whose tokens are streamed (the Anthropic Messages API is not streamed: one answer at the end)
STREAMING_KINDS = frozenset({"openai", "openai-compatible"})


class DeadlinePassed(TimeoutError):
    """A streamed answer was still coming in when the message's budget ran out."""


class HostedLLM(DuckLLM):
    """A hosted or on-premises chat model; on timeout, error or invalid output (after one retry) the
    offline engine answers instead.

    ``deadline`` (a ``time.monotonic()`` instant) is the budget of the whole message, shared by every task
    and retry: each call waits at most until then, no call starts after it, and the offline engine answers
    what is left (``duck_llm_fallbacks_total{reason="deadline"}``)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    llm_type: str = "duck-hosted"
    timeout_s: float = 20.0
    backend_kind: str = "openai"
    deadline: float | None = None
    _turn: TurnState | None = PrivateAttr(default=None)

    @classmethod
    def for_turn(
        cls, spec: BackendSpec, turn: TurnState, *, timeout_s: float = 20.0, deadline: float | None = None
    ) -> HostedLLM:
        llm = cls(
            model=spec.model,
            provider=spec.kind,
            backend_kind=spec.kind,
            base_url=spec.base_url,
            timeout_s=timeout_s,
            deadline=deadline,
            temperature=0.7,
        )
        llm._turn = turn
        return llm

    def remaining(self) -> float | None:
        """Seconds left of the message's budget (None: no deadline)."""
        return None if self.deadline is None else self.deadline - time.monotonic()

    def call_timeout(self) -> float | None:
        """The timeout for the next call: the per-call timeout, cut to what is left of the budget; None
        when too little is left to start one."""
        left = self.remaining()
        if left is None:
            return self.timeout_s
        if left < MIN_CALL_SECONDS:
            return None
        return min(self.timeout_s, left)

    @property
    def spec(self) -> BackendSpec:
        return BackendSpec(self.backend_kind, self.model, self.base_url)

    def _request(self, messages: list[dict[str, str]], timeout: float) -> tuple[str, int, int]:
        client = _client(self.spec, self.timeout_s)
        if self.backend_kind == "anthropic":
            system = "\n\n".join(m["content"] for m in messages if m["role"] == "system")
            # the Messages API rejects empty or blank messages (e.g. an empty answer echoed into the retry)
            convo = [m for m in messages if m["role"] != "system" and m["content"].strip()] or [
                {"role": "user", "content": ""}
            ]
            resp = client.messages.create(
                model=self.model,
                system=system,
                messages=convo,
                max_tokens=1024,
                temperature=0.7,
                timeout=timeout,
            )
            text = "".join(getattr(block, "text", "") for block in resp.content)
            return text, int(resp.usage.input_tokens), int(resp.usage.output_tokens)
        resp = client.chat.completions.create(
            model=self.model, messages=messages, temperature=0.7, timeout=timeout
        )
        text = resp.choices[0].message.content or ""
        usage = resp.usage
        return (
            text,
            int(getattr(usage, "prompt_tokens", 0) or 0),
            int(getattr(usage, "completion_tokens", 0) or 0),
        )

    def _stream_request(
        self, messages: list[dict[str, str]], timeout: float, emit: Any
    ) -> tuple[str, int, int]:
        """Chat Completions with ``stream=True``: each piece of the answer's ``text`` field goes to
        ``emit(kind, value)`` as it arrives. The deadline is checked between chunks (the client's read
        timeout applies per chunk, so a model that trickles tokens would otherwise outlast the budget):
        past it the stream is closed and ``DeadlinePassed`` raised; nothing is emitted after it."""
        client = _client(self.spec, self.timeout_s)
        extra: dict[str, Any] = {}
        if self.backend_kind == "openai":  # not every OpenAI-compatible server knows stream_options
            extra["stream_options"] = {"include_usage": True}
        stream = client.chat.completions.create(
            model=self.model, messages=messages, temperature=0.7, timeout=timeout, stream=True, **extra
        )
        decoder = StringFieldDecoder("text")
        parts: list[str] = []
        tok_in = tok_out = 0
        try:
            for chunk in stream:
                left = self.remaining()
                if left is not None and left <= 0:
                    raise DeadlinePassed("the message's budget ran out mid-stream")
                usage = getattr(chunk, "usage", None)
                if usage is not None:
                    tok_in = int(getattr(usage, "prompt_tokens", 0) or 0)
                    tok_out = int(getattr(usage, "completion_tokens", 0) or 0)
                for choice in chunk.choices or []:
                    piece = getattr(choice.delta, "content", None) or ""
                    if not piece:
                        continue
                    parts.append(piece)
                    decoded = decoder.feed(piece)
                    if decoded:
                        emit("token", decoded)
        finally:
            stream.close()
        text = "".join(parts)
        if not tok_in and not tok_out:  # the server sent no usage: the same estimate as the offline engine
            tok_in, tok_out = estimate_tokens(messages), estimate_tokens(text)
        return text, tok_in, tok_out

    def answer(self, messages: str | list[Any], task: str) -> str:
        provider = self.backend_kind
        convo = _plain_messages(messages)
        price_in, price_out = price_for(self.spec)
        answer: str | None = None
        reason = "error"
        turn = self._turn
        emit = turn.on_event if turn is not None else None
        streamed = emit is not None and task == STREAMED_TASK and provider in STREAMING_KINDS
        for attempt in range(2):  # the call and one retry, within the message's budget
            timeout = self.call_timeout()
            if timeout is None:
                break
            if streamed and attempt:
                assert emit is not None
                emit("reset", "")  # what the failed attempt streamed is not the reply
            try:
                if streamed:
                    text, tok_in, tok_out = self._stream_request(convo, timeout, emit)
                else:
                    text, tok_in, tok_out = self._request(convo, timeout)
            except Exception as exc:  # timeouts, connection errors, HTTP errors
                m.LLM_CALLS.labels(provider, "error").inc()
                log.warning("llm call failed", extra={"provider": provider, "error": type(exc).__name__})
                reason = "error"
                continue
            m.LLM_TOKENS.labels(provider, "prompt").inc(tok_in)
            m.LLM_TOKENS.labels(provider, "completion").inc(tok_out)
            m.LLM_COST.labels(provider).inc((tok_in * price_in + tok_out * price_out) / 1_000_000)
            try:
                answer = validate_answer(task, text)
            except (ValidationError, ValueError, json.JSONDecodeError):
                m.LLM_CALLS.labels(provider, "invalid").inc()
                reason = "invalid"
                convo = [
                    *convo,
                    {"role": "assistant", "content": text[:2000]},
                    {
                        "role": "user",
                        "content": "That was not valid. Reply with ONLY the JSON object asked for.",
                    },
                ]
                continue
            m.LLM_CALLS.labels(provider, "success").inc()
            break
        if answer is None:
            if self.call_timeout() is None:  # the budget ran out (before or during the last call)
                reason = "deadline"
            m.LLM_FALLBACKS.labels(provider, reason).inc()
            if streamed:
                assert emit is not None
                emit("reset", "")
            if turn is None:
                raise RuntimeError("HostedLLM used without a turn")
            turn.fallbacks.append(task)
            answer = offline_answer(task, turn)
        return answer
