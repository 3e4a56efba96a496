"""A second opinion on a chat message from the hosted LLM (``SAFETY_SECOND_OPINION``, ``DUCK_LLM`` hosted).

The deterministic gate decides first and alone for a crisis: its crisis reply never waits for a model. When
the gate says ``none`` or ``elevated``, chat asks the hosted model to classify the message (with the same
recent context the gate saw) *while the crew runs*. The answer can only raise the level, never lower it,
and it never delays the reply: a late answer (the crew was done first), a timeout, an HTTP error or an
unusable answer is ignored. A ``crisis`` answer replaces the crew's reply with the crisis reply.

One short HTTP call (``temperature`` 0, a few output tokens) straight to the provider's API with an async
client, so that it can be cut off the moment the reply is ready. No user text is logged.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Sequence
from typing import Any, Literal, cast

import anyio
import httpx

from app.agents import metrics as m
from app.agents.hosted import BackendSpec, _api_key, extract_json

log = logging.getLogger("app.safety.second_opinion")

Level = Literal["none", "elevated", "crisis"]
LEVELS: tuple[Level, ...] = ("none", "elevated", "crisis")
ORDER: dict[str, int] = {level: i for i, level in enumerate(LEVELS)}
#: longest piece of a message put in the prompt (characters)
MAX_CHARS = 600
ANTHROPIC_VERSION = "2023-06-01"
#: tests inject a transport here (e.g. to point at a fake server); production leaves it None
HTTP_TRANSPORT: httpx.AsyncBaseTransport | None = None

SYSTEM_PROMPT = """\
You are the safety classifier of an emotional-support chat app (Chinese and English). Classify the risk \
shown by the LAST user message, reading the earlier user messages as its context. Answer with ONLY a JSON \
object: {"level": "none"} or {"level": "elevated"} or {"level": "crisis"}.
- crisis: the writer may be at risk now: wish or intent to die or kill themself (also passive: not waking \
up, everyone better off without me), a method, plan, date or preparation (means acquired), being at a place \
to end it, an attempt or self-harm happening or just done, farewells or giving things away, intent to hurt \
someone with means ready, being hurt or threatened right now; also when written as euphemism, slang, \
homophone, pinyin, emoji or spread over several messages (means in one, timing in the next), or a short \
answer confirming such a thing.
- elevated: distress, hopelessness or exhaustion without such risk; a past attempt; worry about someone else.
- none: everything else, including hyperbole (累死了, 笑死, "this is killing me"), games, news, fiction, \
lyrics and ordinary medication questions.
When unsure between crisis and a lower level, answer crisis."""


def raises(gate_level: str, opinion: str | None) -> bool:
    """True if the second opinion is above the gate's level (it can only ever raise it)."""
    return opinion is not None and ORDER.get(opinion, 0) > ORDER.get(gate_level, 0)


def prompt(text: str, context: Sequence[str]) -> str:
    lines = [f"- {c[:MAX_CHARS]}" for c in context if c.strip()]
    earlier = "\n".join(lines) if lines else "(none)"
    return f"Earlier user messages, oldest first:\n{earlier}\n\nLAST user message:\n{text[:MAX_CHARS]}"


def parse_level(answer: str) -> Level | None:
    """The level in the model's answer, or None if the answer is not the JSON asked for."""
    try:
        obj = json.loads(extract_json(answer))
    except (json.JSONDecodeError, ValueError):
        return None
    level = obj.get("level") if isinstance(obj, dict) else None
    if isinstance(level, str) and level.strip().lower() in LEVELS:
        return cast(Level, level.strip().lower())
    return None


def _request(
    spec: BackendSpec, text: str, context: Sequence[str]
) -> tuple[str, dict[str, str], dict[str, Any]]:
    """URL, headers and JSON body of the classification call for this backend."""
    user = prompt(text, context)
    if spec.kind == "anthropic":
        base = (os.environ.get("ANTHROPIC_BASE_URL") or "https://api.anthropic.com").rstrip("/")
        headers = {"anthropic-version": ANTHROPIC_VERSION}
        key = _api_key("anthropic")
        if key:
            headers["x-api-key"] = key
        body: dict[str, Any] = {
            "model": spec.model,
            "system": SYSTEM_PROMPT,
            "messages": [{"role": "user", "content": user}],
            "max_tokens": 20,
            "temperature": 0,
        }
        return f"{base}/v1/messages", headers, body
    base = (spec.base_url or os.environ.get("OPENAI_BASE_URL") or "https://api.openai.com/v1").rstrip("/")
    headers = {}
    key = _api_key("openai")
    if key:
        headers["Authorization"] = f"Bearer {key}"
    body = {
        "model": spec.model,
        "messages": [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": user}],
        "max_tokens": 20,
        "temperature": 0,
    }
    return f"{base}/chat/completions", headers, body


def _answer_text(spec: BackendSpec, payload: Any) -> str:
    if spec.kind == "anthropic":
        blocks = payload.get("content") or []
        return "".join(str(b.get("text", "")) for b in blocks if isinstance(b, dict))
    return str(payload["choices"][0]["message"]["content"] or "")


async def classify(
    text: str, *, context: Sequence[str] = (), spec: BackendSpec, seconds: float
) -> Level | None:
    """The hosted model's level for ``text`` (None: no usable answer within ``seconds``).

    Counts ``duck_safety_second_opinion_total{outcome}`` for none/elevated/crisis/error/invalid; a caller
    that stops waiting (cancels) counts ``late`` itself."""
    if spec.kind == "local":
        return None
    url, headers, body = _request(spec, text, context)
    try:
        with anyio.fail_after(seconds):
            async with httpx.AsyncClient(transport=HTTP_TRANSPORT, timeout=seconds) as client:
                resp = await client.post(url, headers=headers, json=body)
                resp.raise_for_status()
                answer = _answer_text(spec, resp.json())
    except (
        TimeoutError,
        httpx.HTTPError,
        ValueError,
        KeyError,
        IndexError,
        TypeError,
        AttributeError,
    ) as exc:
        m.SECOND_OPINION.labels("error").inc()
        log.warning("second opinion failed", extra={"provider": spec.kind, "error": type(exc).__name__})
        return None
    level = parse_level(answer)
    m.SECOND_OPINION.labels(level or "invalid").inc()
    return level
