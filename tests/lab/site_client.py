"""HTTPS client helpers for the site tests (tests/lab/test_40_site.py, test_60_rolling.py) and the bench.

Talks to the load balancer (or one app host) with the lab CA; a small load generator counts every failed
request while the site is being changed under it.
"""

from __future__ import annotations

import json
import ssl
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

API = "/api/v1"
#: answers a client retries (same request, same Idempotency-Key): the LB or an app host could not answer
RETRY_STATUSES = frozenset({502, 503, 504})


def ca_file(state_dir: Path) -> Path:
    return state_dir / "pki" / "ca.crt"


def client(base_url: str, ca: Path | None, timeout: float = 60) -> httpx.Client:
    verify: Any = ssl.create_default_context(cafile=str(ca)) if ca else True
    return httpx.Client(base_url=base_url, verify=verify, timeout=timeout, http2=False)


def ok(resp: httpx.Response) -> dict[str, Any]:
    where = f"{resp.request.method} {resp.request.url}"
    assert resp.status_code < 300, f"{where} -> {resp.status_code} {resp.text[:500]}"
    body = resp.json()
    assert body.get("success") is True, body
    return body["data"]


def guest(c: httpx.Client) -> str:
    data = ok(c.post(f"{API}/auth/guest", json={"display_name": "lab-test"}))
    return str(data["access_token"])


def new_session(c: httpx.Client, token: str) -> str:
    data = ok(c.post(f"{API}/chat/sessions", json={}, headers={"Authorization": f"Bearer {token}"}))
    return str(data["session_id"])


def chat(c: httpx.Client, token: str, session_id: str, text: str) -> dict[str, Any]:
    resp = c.post(
        f"{API}/chat/messages",
        json={"session_id": session_id, "text": text},
        headers={"Authorization": f"Bearer {token}"},
    )
    return ok(resp)


def chat_sse(c: httpx.Client, token: str, session_id: str, text: str) -> list[tuple[str, dict[str, Any]]]:
    events: list[tuple[str, dict[str, Any]]] = []
    with c.stream(
        "POST",
        f"{API}/chat/messages/stream",
        json={"session_id": session_id, "text": text},
        headers={"Authorization": f"Bearer {token}", "Accept": "text/event-stream"},
    ) as resp:
        assert resp.status_code == 200, resp.read()
        assert resp.headers["content-type"].startswith("text/event-stream")
        event = "message"
        for line in resp.iter_lines():
            if line.startswith("event:"):
                event = line.split(":", 1)[1].strip()
            elif line.startswith("data:"):
                events.append((event, json.loads(line.split(":", 1)[1].strip())))
                if event == "done":
                    break
    return events


@dataclass
class LoadReport:
    counts: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    duration: float = 0.0

    @property
    def failed(self) -> int:
        return len(self.failures)

    def summary(self) -> str:
        return f"{dict(self.counts)} failed={self.failed} in {self.duration:.1f} s " + (
            f"first failures: {self.failures[:5]}" if self.failures else ""
        )


class Load:
    """Continuous chat + health traffic through the LB until stopped; every non-2xx or error is a failure.

    Chat behaves like a real client: every message carries a fresh ``Idempotency-Key``; on a transport error
    or a 502/503/504 the same request is sent again once, with the same key, after 0.5 s (the app answers a
    key it has already stored from the stored turn). Only a failed retry is a failure;
    ``counts["chat_retried"]`` counts the retries, ``counts["chat_replayed"]`` the answers marked
    ``Idempotent-Replayed``."""

    def __init__(
        self,
        base_url: str,
        ca: Path | None,
        chat_threads: int = 2,
        health_threads: int = 2,
        chat_interval: float = 1.2,
    ) -> None:
        self.base_url, self.ca = base_url, ca
        self.chat_threads, self.health_threads = chat_threads, health_threads
        self.chat_interval = chat_interval
        self.report = LoadReport()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._t0 = 0.0

    def _record(self, kind: str, error: str | None) -> None:
        with self._lock:
            self.report.counts[kind] += 1
            if error:
                self.report.failures.append(f"{time.strftime('%H:%M:%S')} {kind}: {error}")

    def _health(self) -> None:
        with client(self.base_url, self.ca, timeout=30) as c:
            while not self._stop.is_set():
                try:
                    try:
                        r = c.get("/health")
                    except httpx.RemoteProtocolError:
                        # Nginx closed an idle keep-alive connection (graceful reload) just as the request was
                        # written on it: nothing was answered, and a GET is idempotent, so - like browsers and
                        # HTTP client libraries with retries - send it again once, on a new connection.
                        self._count("health_retried")
                        r = c.get("/health")
                    bad = f"HTTP {r.status_code} {r.text[:200]}"
                    self._record("health", None if r.status_code == 200 else bad)
                except httpx.HTTPError as exc:
                    self._record("health", repr(exc))
                time.sleep(0.05)

    def _count(self, kind: str) -> None:
        with self._lock:
            self.report.counts[kind] += 1

    def _chat_once(
        self, c: httpx.Client, token: str, sid: str, text: str, key: str
    ) -> tuple[str | None, bool]:
        """One attempt: (error or None, whether a client would retry it)."""
        try:
            r = c.post(
                f"{API}/chat/messages",
                json={"session_id": sid, "text": text},
                headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key},
            )
        except httpx.HTTPError as exc:
            return repr(exc), True
        if r.status_code != 200:
            return f"HTTP {r.status_code} {r.text[:200]}", r.status_code in RETRY_STATUSES
        if not r.json().get("data", {}).get("duck_response", {}).get("text"):
            return "empty reply", False
        if r.headers.get("Idempotent-Replayed") == "true":
            self._count("chat_replayed")
        return None, False

    def _chat(self) -> None:
        with client(self.base_url, self.ca, timeout=60) as c:
            token = guest(c)
            sid = new_session(c, token)
            while not self._stop.is_set():
                t = time.monotonic()
                text, key = f"今天心情还行 {uuid.uuid4().hex[:6]}", uuid.uuid4().hex
                err, retry = self._chat_once(c, token, sid, text, key)
                if err and retry:
                    self._count("chat_retried")
                    time.sleep(0.5)  # even when stopping: the message is not given up
                    first = err
                    err, _ = self._chat_once(c, token, sid, text, key)
                    if err:
                        err = f"{err} (retry of: {first})"
                self._record("chat", err)
                self._stop.wait(max(0.0, self.chat_interval - (time.monotonic() - t)))

    def __enter__(self) -> Load:
        self._t0 = time.monotonic()
        for target, n in ((self._chat, self.chat_threads), (self._health, self.health_threads)):
            for _ in range(n):
                th = threading.Thread(target=target, daemon=True)
                th.start()
                self._threads.append(th)
        time.sleep(2)  # warm up: guests created, sessions open
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for th in self._threads:
            th.join(timeout=90)
        self.report.duration = time.monotonic() - self._t0
