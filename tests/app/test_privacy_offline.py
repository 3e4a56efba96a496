"""Offline and private by construction: a whole conversation (chat, crisis, SSE, report, analysis)
opens no network connection and leaves no user text in files outside the database.

Two proofs: (1) in-process, a Python audit hook watching socket connects and DNS look-ups during a
conversation against this module's app; (2) a fresh process in its own empty network namespace
(``unshare -n``: no interface but a down loopback) with a private HOME and TMPDIR that are searched for a
canary sentence afterwards, as are its stdout/stderr; the SQLite file must not hold it in clear either.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.agents import runtime
from tests.app.conftest import Account
from tests.app.duck_helpers import API, new_session, say

REPO = Path(__file__).resolve().parents[2]
CANARY = "金丝雀七三九二号：今天被老板当众批评了好难过"
CRISIS_CANARY = "金丝雀八八一号我把药攒够了"

_events: list[tuple[str, Any]] = []
_watching = False


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if _watching and event in ("socket.connect", "socket.getaddrinfo"):
        _events.append((event, args[1] if event == "socket.connect" else args[0]))


sys.addaudithook(_hook)


def _is_local(event: str, target: Any) -> bool:
    if event == "socket.getaddrinfo":
        return target in ("localhost", "127.0.0.1", "::1", None)
    if isinstance(target, tuple) and target:
        return str(target[0]) in ("127.0.0.1", "::1", "localhost")
    return isinstance(target, (str, bytes))  # AF_UNIX path


async def test_conversation_makes_no_network_connection(client: httpx.AsyncClient, guest: Account) -> None:
    global _watching  # noqa: PLW0603
    sid = await new_session(client, guest.headers)
    _events.clear()
    _watching = True
    try:
        await say(client, guest.headers, sid, CANARY)
        await say(client, guest.headers, sid, CRISIS_CANARY)
        await client.post(
            f"{API}/chat/messages/stream", json={"text": "好孤单", "session_id": sid}, headers=guest.headers
        )
        await client.get(f"{API}/reports/daily/{sid}", headers=guest.headers)
    finally:
        _watching = False
    remote = [(e, t) for e, t in _events if not _is_local(e, t)]
    assert remote == [], remote  # only the test's own loopback PostgreSQL/Redis (services backend) may appear


async def test_crewai_home_holds_no_user_text(client: httpx.AsyncClient, guest: Account) -> None:
    sid = await new_session(client, guest.headers)
    await say(client, guest.headers, sid, CANARY)
    home = runtime.private_home()
    assert os.environ["HOME"] == str(home)
    for path in home.rglob("*"):
        if path.is_file():
            assert CANARY.encode() not in path.read_bytes(), path
    assert not list(home.rglob("*kickoff*"))


SCRIPT = textwrap.dedent(
    """
    import asyncio, sys
    import httpx
    from cryptography.fernet import Fernet
    from app.core import migrate
    from app.core.config import Settings
    from app.main import create_app

    db, canary, crisis = sys.argv[1], sys.argv[2], sys.argv[3]
    settings = Settings(
        _env_file=None, environment="test", secret_key="s" * 48,
        encryption_keys=Fernet.generate_key().decode(),
        database_url=f"sqlite+aiosqlite:///{db}", log_level="INFO",
        rate_limits="chat=1000/minute,reports=1000/minute,emotions=1000/minute,auth=1000/minute",
    )
    migrate.upgrade(settings)
    app = create_app(settings)

    async def main() -> None:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 1))
            async with httpx.AsyncClient(transport=transport, base_url="http://t", timeout=120) as c:
                tok = (await c.post("/api/v1/auth/guest", json={})).json()["data"]["access_token"]
                h = {"Authorization": f"Bearer {tok}"}
                r = await c.post("/api/v1/chat/sessions", json={}, headers=h)
                sid = r.json()["data"]["session_id"]
                for text in (canary, crisis, "我真的撑不下去了"):
                    body = {"text": text, "session_id": sid}
                    r = await c.post("/api/v1/chat/messages", json=body, headers=h)
                    assert r.status_code == 200, r.text
                body = {"text": canary, "session_id": sid}
                r = await c.post("/api/v1/chat/messages/stream", json=body, headers=h)
                assert r.status_code == 200
                r = await c.post("/api/v1/emotions/analyze", json={"text": canary}, headers=h)
                assert r.status_code == 200
                r = await c.get(f"/api/v1/reports/daily/{sid}", headers=h)
                assert r.status_code == 200, r.text
                hist = (await c.get(f"/api/v1/chat/history/{sid}", headers=h)).json()["data"]
                assert hist["messages"][0]["text"] == canary  # decrypts fine through the API
        print("CONVERSATION-OK")

    asyncio.run(main())
    """
)


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("unshare"), reason="needs root and unshare(1)")
def test_conversation_in_an_empty_network_namespace_leaves_no_trace(tmp_path: Path) -> None:
    home, tmp, data = tmp_path / "home", tmp_path / "tmp", tmp_path / "data"
    for d in (home, tmp, data):
        d.mkdir()
    script = data / "conversation.py"
    script.write_text(SCRIPT, encoding="utf-8")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "TMPDIR": str(tmp),
        "PYTHONPATH": str(REPO),
        "LANG": "C.UTF-8",
    }
    proc = subprocess.run(
        ["unshare", "-n", sys.executable, str(script), str(data / "duck.db"), CANARY, CRISIS_CANARY],
        cwd=REPO,
        env=env,
        capture_output=True,
        timeout=600,
        check=False,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0 and b"CONVERSATION-OK" in proc.stdout, out.decode(errors="replace")[-3000:]
    needles = [CANARY.encode(), CRISIS_CANARY.encode(), "老板当众批评".encode()]
    for needle in needles:
        assert needle not in out, "user text reached stdout/stderr (logs)"
    for root in (home, tmp, data):
        for path in root.rglob("*"):
            if path.is_file() and path != script:
                blob = path.read_bytes()
                for needle in needles:
                    assert needle not in blob, f"user text found in {path}"
    assert list(data.glob("duck.db*")), "the conversation used the database"
