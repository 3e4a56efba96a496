"""The whole site on the lab (issue 6): converge + idempotent rerun, a conversation over HTTPS through the
load balancer (JSON, SSE and WebSocket), TLS policy, limits and static content, no user text on any disk,
and the sandbox exposure of the app unit."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import ssl
import time
import uuid
from pathlib import Path

import httpx
import pytest
import websockets

from tests.lab.helpers import Lab, PlaybookResult, assert_idempotent, figure
from tests.lab.site_client import API, ca_file, chat, chat_sse, client, guest, new_session, ok

SITE = "playbooks/site.yml"


@pytest.fixture(scope="module")
def site(lab: Lab) -> PlaybookResult:
    if os.environ.get("DUCK_SITE_ASSUME_CONVERGED"):  # development: iterate on a lab already converged
        return PlaybookResult(rc=0, recap={}, duration=0.0, output="", changed_tasks=[])
    result = lab.converge(SITE)
    figure(f"site.yml first converge: {result.duration:.1f} s ({result.summary()})")
    return result


@pytest.fixture(scope="module")
def lb(lab: Lab) -> str:
    return lab.hosts[lab.group("lb")[0]]


@pytest.fixture(scope="module")
def ca(lab: Lab):  # type: ignore[no-untyped-def]
    path = ca_file(lab.spec.state_dir)
    assert path.is_file(), f"lab CA missing: {path}"
    return path


@pytest.fixture(scope="module")
def https(site: PlaybookResult, lb: str, ca):  # type: ignore[no-untyped-def]
    with client(f"https://{lb}", ca) as c:
        yield c


def test_site_rerun_changes_nothing(lab: Lab, site: PlaybookResult) -> None:
    again = assert_idempotent(SITE, lab.inventory)
    figure(f"site.yml: first converge {site.duration:.1f} s, no-op rerun {again.duration:.1f} s (changed=0)")


def test_conversation_json(https: httpx.Client) -> None:
    token = guest(https)
    sid = new_session(https, token)
    reply = chat(https, token, sid, "最近工作压力好大，晚上睡不着。")
    assert reply["duck_response"]["text"]
    history = ok(https.get(f"{API}/chat/history/{sid}", headers={"Authorization": f"Bearer {token}"}))
    assert len(history["messages"]) >= 2
    figure("duck said:", reply["duck_response"]["text"][:80])


def test_conversation_sse(https: httpx.Client) -> None:
    token = guest(https)
    sid = new_session(https, token)
    events = chat_sse(https, token, sid, "今天考试没考好，有点难过。")
    kinds = [e for e, _ in events]
    assert kinds[0] == "emotion" and "delta" in kinds and kinds[-1] == "done", kinds
    figure("SSE events:", kinds)


def test_conversation_websocket(https: httpx.Client, lb: str, ca) -> None:  # type: ignore[no-untyped-def]
    token = guest(https)
    sid = new_session(https, token)

    async def talk() -> list[dict]:
        ctx = ssl.create_default_context(cafile=str(ca))
        frames: list[dict] = []
        async with websockets.connect(
            f"wss://{lb}/ws/chat/{sid}?token={token}", ssl=ctx, open_timeout=20
        ) as ws:
            frames.append(json.loads(await asyncio.wait_for(ws.recv(), 20)))
            hello = {"type": "user_message", "data": {"text": "谢谢你陪我聊天"}}
            await ws.send(json.dumps(hello, ensure_ascii=False))
            while True:
                frame = json.loads(await asyncio.wait_for(ws.recv(), 60))
                frames.append(frame)
                if frame.get("type") in ("duck_response", "error"):
                    break
        return frames

    frames = asyncio.run(talk())
    assert frames[0]["type"] == "system_notification", frames
    assert frames[-1]["type"] == "duck_response", frames
    figure("WebSocket frames:", [f["type"] for f in frames])


def test_tls_policy(https: httpx.Client, lb: str, ca) -> None:  # type: ignore[no-untyped-def]
    def handshake(minimum: ssl.TLSVersion, maximum: ssl.TLSVersion) -> str | None:
        ctx = ssl.create_default_context(cafile=str(ca))
        ctx.minimum_version, ctx.maximum_version = minimum, maximum
        if maximum <= ssl.TLSVersion.TLSv1_1:
            ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
        try:
            with (
                socket.create_connection((lb, 443), timeout=10) as raw,
                ctx.wrap_socket(raw, server_hostname=lb) as s,
            ):
                return s.version()
        except (ssl.SSLError, OSError):
            return None

    assert handshake(ssl.TLSVersion.TLSv1_3, ssl.TLSVersion.TLSv1_3) == "TLSv1.3"
    assert handshake(ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_2) == "TLSv1.2"
    assert handshake(ssl.TLSVersion.TLSv1, ssl.TLSVersion.TLSv1_1) is None, "TLS 1.0/1.1 must be refused"
    r = https.get("/health")
    assert r.status_code == 200
    hsts = r.headers.get("strict-transport-security", "")
    assert "max-age=31536000" in hsts, r.headers
    for h in ("x-content-type-options", "x-frame-options", "referrer-policy", "x-request-id"):
        assert h in r.headers, (h, r.headers)
    assert "server" not in r.headers or "/" not in r.headers["server"], "nginx version leaked"
    plain = httpx.get(f"http://{lb}/api/v1/anything?x=1", follow_redirects=False, timeout=10)
    assert plain.status_code == 301 and plain.headers["location"] == f"https://{lb}/api/v1/anything?x=1"
    figure("TLS 1.3 + 1.2 only, HSTS", hsts, "| http -> 301 https")


def test_admin_paths_and_static_content(https: httpx.Client) -> None:
    assert https.get("/metrics").status_code == 403, "/metrics must be closed to non-monitoring clients"
    assert https.get("/api/v1/admin/users").status_code == 403
    # a real panel file from the repository's content library
    panels = sorted((Path(__file__).resolve().parents[2] / "app/content/library/panels").glob("*.*"))
    assert panels, "no panels in the content library"
    r = https.get(f"/panels/{panels[0].name}")
    assert r.status_code == 200 and r.content == panels[0].read_bytes()
    assert "max-age=604800" in r.headers.get("cache-control", ""), r.headers
    big = https.post(
        f"{API}/auth/guest", content=b"x" * (2 * 1024 * 1024), headers={"Content-Type": "application/json"}
    )
    assert big.status_code == 413


def test_canary_sentence_is_on_no_disk(lab: Lab, https: httpx.Client) -> None:
    tag = uuid.uuid4().hex
    canary = f"金丝雀句子 canary-{tag}"
    # the regex never equals the canary text itself, so the grep command line (logged by sudo into the
    # journal) cannot match itself
    pattern = f"'canary.{{1}}{tag}'"
    token = guest(https)
    sid = new_session(https, token)
    chat(https, token, sid, canary)
    time.sleep(3)  # let journald, WAL, archives flush
    # every writable disk location; /proc /sys /dev and tmpfs /run are not disks; immutable trees skipped
    paths = "/etc /var /tmp /home /root /srv /opt"
    excludes = (
        "--exclude-dir=postgresql --exclude-dir=releases --exclude-dir=wheelhouse --exclude-dir=uv-cache "
        "--exclude-dir=dist"
    )
    hits: dict[str, str] = {}
    for host in lab.hosts:
        cmd = f"grep -rlaE {excludes} -e {pattern} {paths} 2>/dev/null || true"
        out = lab.sh(host, cmd, timeout=300)
        files = [f for f in out.stdout.split() if not f.startswith("/var/lib/postgresql/")]
        if files:
            hits[host] = " ".join(files)
    tmpfs = {
        h: lab.sh(h, f"grep -rlaF -e {canary.split()[1]!r} /run 2>/dev/null || true").stdout.strip()
        for h in lab.group("app")
    }
    figure("canary on tmpfs /run of the app hosts (RAM, gone at restart):", tmpfs)
    assert not hits, f"user text found on disk outside the PostgreSQL data dir: {hits}"


def test_app_unit_sandbox_exposure(lab: Lab, site: PlaybookResult) -> None:
    for host in lab.group("app"):
        out = lab.sh(host, "systemd-analyze security duck.service --no-pager").stdout
        overall = [line for line in out.splitlines() if "Overall exposure level" in line]
        figure(f"{host}: {overall[0].strip() if overall else out[-200:]}")
        assert overall
        level = float(overall[0].split("level for duck.service:")[1].split()[0])
        assert level <= 1.0, out
