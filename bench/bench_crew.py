"""Benchmark the duck (prints figures, asserts nothing).

* crew overhead per message with the offline engine (the whole CrewAI crew: Listener, TherapyTips,
  ContentRecall, DuckStyle), median and p95, wall and CPU time;
* messages/s per worker through the real API (in-process ASGI, SQLite, one event loop = one worker);
* the crisis path's latency: the safety gate alone, and a crisis message through the API.

Usage: .venv/bin/python bench/bench_crew.py [--turns 40] [--messages 40]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.agents.crew import run_turn
from app.agents.state import TurnState
from app.core.segment import ensure_ready
from app.safety import check_message

MESSAGES = [
    "最近工作压力好大，每天加班，好焦虑",
    "今天工作很顺利，成功完成了项目演示！",
    "一个人在外地过年，有点孤单",
    "今天吃了面条",
    "和室友吵架了，气死了",
    "考试没考好，有点失落",
]


def pct(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else values[0]


def bench_crew(turns: int) -> None:
    run_turn(TurnState(message="热身一下", seed=0), spec="local")  # first kickoff pays one-off costs
    wall: list[float] = []
    cpu: list[float] = []
    tasks_run: list[int] = []
    for i in range(turns):
        msg = MESSAGES[i % len(MESSAGES)]
        w0, c0 = time.perf_counter(), time.process_time()
        turn = run_turn(TurnState(message=msg, seed=i), spec="local")
        wall.append((time.perf_counter() - w0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        tasks_run.append(len(turn.agent_seconds))
    print(f"crew (offline engine), {turns} turns, {statistics.mean(tasks_run):.1f} tasks/turn on average:")
    print(f"  wall median {statistics.median(wall):.1f} ms  p95 {pct(wall, 95):.1f} ms")
    print(f"  cpu  median {statistics.median(cpu):.1f} ms  p95 {pct(cpu, 95):.1f} ms  (goal: <= 60 ms)")


def api_settings(tmp: str) -> Any:
    from cryptography.fernet import Fernet  # noqa: PLC0415

    from app.core import migrate  # noqa: PLC0415
    from app.core.config import Settings  # noqa: PLC0415

    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        environment="test",
        secret_key="b" * 48,
        encryption_keys=Fernet.generate_key().decode(),
        database_url=f"sqlite+aiosqlite:///{tmp}/bench.db",
        log_level="WARNING",
        rate_limit_enabled=False,
    )
    migrate.upgrade(settings)
    return settings


async def bench_api(settings: Any, messages: int) -> None:
    import httpx  # noqa: PLC0415

    from app.main import create_app  # noqa: PLC0415

    if True:
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 1))
            async with httpx.AsyncClient(transport=transport, base_url="http://b", timeout=120) as c:
                tok = (await c.post("/api/v1/auth/guest", json={})).json()["data"]["access_token"]
                h = {"Authorization": f"Bearer {tok}"}
                r = await c.post("/api/v1/chat/sessions", json={}, headers=h)
                sid = r.json()["data"]["session_id"]

                async def send(text: str) -> float:
                    t0 = time.perf_counter()
                    r = await c.post(
                        "/api/v1/chat/messages", json={"text": text, "session_id": sid}, headers=h
                    )
                    assert r.status_code == 200, r.text
                    return (time.perf_counter() - t0) * 1000

                await send("热身")
                t0 = time.perf_counter()
                lat = [await send(MESSAGES[i % len(MESSAGES)]) for i in range(messages)]
                elapsed = time.perf_counter() - t0
                print(f"API POST /chat/messages, one worker, sequential, {messages} messages:")
                print(
                    f"  {messages / elapsed:.1f} messages/s; latency median {statistics.median(lat):.1f} ms "
                    f"p95 {pct(lat, 95):.1f} ms"
                )
                t0 = time.perf_counter()
                await asyncio.gather(*(send(MESSAGES[i % len(MESSAGES)]) for i in range(messages)))
                elapsed = time.perf_counter() - t0
                print(f"  {messages} concurrent: {messages / elapsed:.1f} messages/s (4 crew threads)")
                crisis = [await send("我把药攒够了，不想醒来") for _ in range(20)]
                print(
                    f"API crisis message (gate + fixed reply + DB write + audit), 20 requests: median "
                    f"{statistics.median(crisis):.1f} ms  p95 {pct(crisis, 95):.1f} ms  (goal: < 50 ms)"
                )


def bench_gate() -> None:
    ensure_ready()
    texts = [*MESSAGES, "我把药攒够了", "这个世界没有我会更好", "累死了", "救命这个蛋糕太好吃"]
    lat = []
    for _ in range(50):
        for t in texts:
            t0 = time.perf_counter()
            check_message(t)
            lat.append((time.perf_counter() - t0) * 1000)
    print(
        f"safety gate alone, {len(lat)} checks: median {statistics.median(lat):.3f} ms  "
        f"p95 {pct(lat, 95):.3f} ms  max {max(lat):.3f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=40)
    parser.add_argument("--messages", type=int, default=40)
    args = parser.parse_args()
    bench_gate()
    bench_crew(args.turns)
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(bench_api(api_settings(tmp), args.messages))


if __name__ == "__main__":
    main()
