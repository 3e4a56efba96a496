"""HTTPS client helpers for the site tests (tests/lab/test_40_site.py, test_60_rolling.py) and the bench.

Talks to the load balancer (or one app host) with the lab CA; a small load generator counts every failed
request while the site is being changed under it.
"""

from __future__ import annotations

import itertools
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


#: transport errors after which a browser sends the request again on a new connection: the connection was
#: refused or reset (or closed) before any response arrived.
BROWSER_RETRY_ERRORS = (httpx.ConnectError, httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError)


@dataclass
class RateReport:
    counts: Counter[str] = field(default_factory=Counter)
    #: requests a browser would retry (refused / reset before a response, 502-504) that failed every retry
    failures: list[str] = field(default_factory=list)
    #: requests that got no answer within the timeout (in flight on a host that died: nothing resets them)
    timeouts: list[str] = field(default_factory=list)
    #: any other failed answer (4xx/5xx other than 502-504, an empty reply)
    errors: list[str] = field(default_factory=list)
    #: monotonic completion time of every successful request
    successes: list[float] = field(default_factory=list)
    duration: float = 0.0

    @property
    def failed(self) -> int:
        return len(self.failures)

    def longest_gap(self, start: float, end: float) -> tuple[float, float]:
        """(seconds, where it began) of the longest stretch in [start, end] without a successful answer."""
        times = sorted(t for t in self.successes if start <= t <= end)
        points = [start, *times, end]
        gaps = [(b - a, a) for a, b in itertools.pairwise(points)]
        return max(gaps) if gaps else (end - start, start)

    def summary(self) -> str:
        return (
            f"{dict(self.counts)} failed (retryable)={self.failed} timed out={len(self.timeouts)} "
            f"other errors={len(self.errors)} in {self.duration:.1f} s"
        )


class RateLoad:
    """Open-loop traffic at a fixed rate (like many independent browsers): every ``1 / rate`` s a request
    starts on its own worker, whether or not earlier ones have finished — a request stuck on a dead LB
    does not hold back the next ones. One in ``chat_every`` requests is a chat message (guest users
    round-robin, each message with its own ``Idempotency-Key``), the others GET /health.

    Browser-like retries: a request refused or reset before any response (``BROWSER_RETRY_ERRORS``), or
    answered 502/503/504, is sent again on a new connection, up to ``retries`` times ``retry_delay`` s
    apart (same key for chat: the app answers a stored turn instead of processing it twice). Only a
    request whose last attempt fails is a failure; a timeout (``timeout`` s without an answer) is a
    failure, never retried."""

    def __init__(
        self,
        base_url: str,
        ca: Path | None,
        *,
        rate: float = 20.0,
        chat_every: int = 5,
        users: int = 6,
        retries: int = 3,
        retry_delay: float = 0.3,
        timeout: float = 30.0,
    ) -> None:
        self.base_url, self.ca = base_url, ca
        self.rate, self.chat_every, self.users = rate, chat_every, users
        self.retries, self.retry_delay, self.timeout = retries, retry_delay, timeout
        self.report = RateReport()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._pending: list[threading.Thread] = []
        self._sessions: list[tuple[str, str]] = []
        self._ticker: threading.Thread | None = None
        self._t0 = 0.0

    def _client(self) -> httpx.Client:
        return httpx.Client(
            base_url=self.base_url,
            verify=ssl.create_default_context(cafile=str(self.ca)) if self.ca else True,
            timeout=self.timeout,
            limits=httpx.Limits(max_connections=200, max_keepalive_connections=50),
        )

    def _send(self, c: httpx.Client, n: int) -> tuple[str, str | None, bool]:
        if n % self.chat_every == 0:
            token, sid = self._sessions[(n // self.chat_every) % len(self._sessions)]
            key = uuid.uuid4().hex

            def attempt() -> httpx.Response:
                return c.post(
                    f"{API}/chat/messages",
                    json={"session_id": sid, "text": f"今天心情还行 {key[:6]}"},
                    headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key},
                )

            kind = "chat"
        else:

            def attempt() -> httpx.Response:
                return c.get("/health")

            kind = "health"
        err = "not sent"
        for i in range(self.retries + 1):
            if i:
                self._count(f"{kind}_retried")
                time.sleep(self.retry_delay)
            try:
                r = attempt()
            except BROWSER_RETRY_ERRORS as exc:
                err = repr(exc)
                continue
            except httpx.HTTPError as exc:  # a timeout: the user waited without an answer
                return kind, repr(exc), False
            if r.status_code in RETRY_STATUSES:
                err = f"HTTP {r.status_code}"
                continue
            if r.status_code != 200:
                return kind, f"HTTP {r.status_code} {r.text[:200]}", False
            if kind == "chat" and not r.json().get("data", {}).get("duck_response", {}).get("text"):
                return kind, "empty reply", False
            return kind, None, i > 0
        return kind, f"{err} (after {self.retries} retries)", True

    def _one(self, c: httpx.Client, n: int) -> None:
        kind, err, retryable = self._send(c, n)
        now = time.monotonic()
        with self._lock:
            self.report.counts[kind] += 1
            if err:
                line = f"{time.strftime('%H:%M:%S')} {kind}: {err}"
                if retryable:
                    self.report.failures.append(line)
                elif "Timeout" in err:
                    self.report.timeouts.append(line)
                else:
                    self.report.errors.append(line)
            else:
                self.report.successes.append(now)

    def _count(self, kind: str) -> None:
        with self._lock:
            self.report.counts[kind] += 1

    def _tick(self, c: httpx.Client) -> None:
        n, start = 0, time.monotonic()
        while not self._stop.is_set():
            th = threading.Thread(target=self._one, args=(c, n), daemon=True)
            th.start()
            self._pending.append(th)
            n += 1
            self._stop.wait(max(0.0, start + n / self.rate - time.monotonic()))
        for th in self._pending:
            th.join(timeout=self.timeout * (self.retries + 1) + 5)
        c.close()

    def __enter__(self) -> RateLoad:
        with client(self.base_url, self.ca, timeout=30) as c:
            for _ in range(self.users):
                token = guest(c)
                self._sessions.append((token, new_session(c, token)))
        self._t0 = time.monotonic()
        self._ticker = threading.Thread(target=self._tick, args=(self._client(),), daemon=True)
        self._ticker.start()
        time.sleep(2)  # warm up: keep-alive connections open
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join(timeout=self.timeout * (self.retries + 1) + 30)
        self.report.duration = time.monotonic() - self._t0
