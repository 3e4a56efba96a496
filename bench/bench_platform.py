"""Platform benchmark (prints figures, asserts nothing).

Serves the real app and a bare FastAPI app the same way (gunicorn, 2 uvicorn workers, SQLite in a temp
dir) and measures req/s for ``/health`` and an authenticated read (``GET /api/v1/me``: JWT check + one
DB query) with wrk when installed, else an httpx load loop. Goal: our middleware keeps >= 0.5 of the
bare app's /health throughput.

    .venv/bin/python bench/bench_platform.py [--duration 10] [--connections 32]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import httpx
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent

BARE_APP = textwrap.dedent(
    """
    from fastapi import FastAPI

    app = FastAPI()

    @app.get("/health")
    async def health():
        return {"status": "ok"}
    """
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not come up")


def start_gunicorn(app: str, port: int, env: dict[str, str], cwd: Path) -> subprocess.Popen[bytes]:
    env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2", "LOG_LEVEL": "warning"}
    return subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "-c", "python:app.gunicorn_conf", app],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def stop(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(proc.pid, signal.SIGKILL)


def run_wrk(url: str, duration: int, connections: int, headers: dict[str, str]) -> float:
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency"]
    for k, v in headers.items():
        cmd += ["-H", f"{k}: {v}"]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    if non2xx:
        print(f"    warning: {non2xx.group(1)} non-2xx responses")
    return float(m.group(1)) if m else 0.0


async def _httpx_load(url: str, duration: int, connections: int, headers: dict[str, str]) -> float:
    count = 0
    deadline = time.monotonic() + duration
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(limits=limits, headers=headers) as client:

        async def worker() -> None:
            nonlocal count
            while time.monotonic() < deadline:
                r = await client.get(url)
                if r.status_code == 200:
                    count += 1

        await asyncio.gather(*(worker() for _ in range(connections)))
    return count / duration


def measure(url: str, duration: int, connections: int, headers: dict[str, str] | None = None) -> float:
    headers = headers or {}
    if shutil.which("wrk"):
        run_wrk(url, 2, connections, headers)  # warm-up
        return run_wrk(url, duration, connections, headers)
    return asyncio.run(_httpx_load(url, duration, min(connections, 16), headers))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--connections", type=int, default=32)
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="duck-bench-"))
    (tmp / "bare_app.py").write_text(BARE_APP)
    env = {
        **os.environ,
        "ENVIRONMENT": "staging",
        "SECRET_KEY": "bench-" + "k" * 40,
        "ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp / 'bench.db'}",
        "LOG_LEVEL": "WARNING",
        "RATE_LIMIT_ENABLED": "false",
        "CREWAI_DISABLE_TELEMETRY": "true",
        "CREWAI_TRACING_ENABLED": "false",
        "CREWAI_DISABLE_VERSION_CHECK": "true",
        "PYTHONPATH": f"{ROOT}{os.pathsep}{tmp}",
        "HOME": str(tmp),
    }
    subprocess.run(
        [str(VENV_BIN / "duck"), "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    ours_port, bare_port = free_port(), free_port()
    ours = start_gunicorn("app.main:app", ours_port, env, ROOT)
    bare = start_gunicorn("bare_app:app", bare_port, env, tmp)
    try:
        wait_http(f"http://127.0.0.1:{ours_port}/health")
        wait_http(f"http://127.0.0.1:{bare_port}/health")
        token = httpx.post(f"http://127.0.0.1:{ours_port}/api/v1/auth/guest", json={}).json()["data"][
            "access_token"
        ]
        auth = {"Authorization": f"Bearer {token}"}
        tool = f"wrk -t2 -c{args.connections}" if shutil.which("wrk") else "httpx loop"
        print(f"platform benchmark: gunicorn 2x UvicornWorker, {tool}, {args.duration}s per run, SQLite")
        bare_rps = measure(f"http://127.0.0.1:{bare_port}/health", args.duration, args.connections)
        print(f"  bare FastAPI  /health      {bare_rps:10.0f} req/s")
        ours_rps = measure(f"http://127.0.0.1:{ours_port}/health", args.duration, args.connections)
        ratio = ours_rps / bare_rps
        print(f"  psych-duck    /health      {ours_rps:10.0f} req/s   ratio {ratio:.2f} (goal >= 0.5)")
        me_rps = measure(f"http://127.0.0.1:{ours_port}/api/v1/me", args.duration, args.connections, auth)
        ratio = me_rps / bare_rps
        print(f"  psych-duck    GET /me auth {me_rps:10.0f} req/s   ratio {ratio:.2f} (JWT + 1 query)")
        load = os.getloadavg()[0]
        print(f"  (load average {load:.1f} on {os.cpu_count()} CPUs: figures are noisy on a busy machine)")
    finally:
        stop(ours)
        stop(bare)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
