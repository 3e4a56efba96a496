"""Destructive Redis drill (run last): the master hangs, Sentinel promotes the replica, a client that follows
Sentinel (the app's own client, as the app's ACL user) keeps writing; re-running the playbook afterwards keeps
the new master."""

from __future__ import annotations

import itertools
import json
import shlex
import time

import pytest

from app.core.ratelimit import REDIS_KEY_PREFIX
from tests.lab.datatier import PROBE_DIR, app_host, secret, ship_probe
from tests.lab.helpers import Lab, PlaybookResult, assert_converged, figure

# The app's own client (app/core/redis.py create_redis: redis-py's Sentinel.master_for as the app's ACL user)
# writes one key of the app's prefix every 100 ms; each command times out after 1.5 s on the client side.
CLIENT = r"""
import asyncio, json, sys, time
from app.core.redis import create_redis
url, prefix, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
async def main():
    m = create_redis(url, socket_timeout=1.0)
    end, i = time.time() + seconds, 0
    while time.time() < end:
        t, i = time.time(), i + 1
        try:
            async with asyncio.timeout(1.5):
                await m.set(f"{prefix}:drill:{i}", i, ex=600)
            print(json.dumps({"i": i, "t": t, "ok": True}), flush=True)
        except Exception as exc:
            print(json.dumps({"i": i, "t": t, "ok": False, "err": type(exc).__name__}), flush=True)
        await asyncio.sleep(max(0.0, 0.1 - (time.time() - t)))
    await m.aclose()
asyncio.run(main())
"""


@pytest.fixture(scope="module")
def cache(lab: Lab, common_converged: PlaybookResult) -> PlaybookResult:
    lab.converge("playbooks/pki.yml")
    return lab.converge("playbooks/cache.yml")


def role(lab: Lab, host: str) -> str:
    pw = secret(lab, "redis_admin")
    out = lab.sh(
        host, f"redis-cli -h 127.0.0.1 --user duck_admin --pass {pw} --no-auth-warning ROLE", check=False
    )
    return out.stdout.split("\n")[0].strip()


def test_sentinel_promotes_the_replica_and_the_client_keeps_writing(lab: Lab, cache: PlaybookResult) -> None:
    client = app_host(lab)
    ship_probe(lab, client, {"writer.py": CLIENT})
    redis = sorted(lab.group("redis"))
    master = next(h for h in redis if role(lab, h) == "master")
    replica = next(h for h in redis if h != master)
    sentinels = ",".join(f"{lab.hosts[h]}:26379" for h in sorted(lab.group("redis_sentinel")))
    url = f"redis+sentinel://duck_app:{secret(lab, 'redis_app')}@{sentinels}/duck/0"
    out = "/tmp/duck-redis-drill.jsonl"
    lab.sh(
        client,
        f"nohup python3 -B {PROBE_DIR}/writer.py {shlex.quote(url)} {REDIS_KEY_PREFIX} 30 > {out} 2>&1 &",
    )
    time.sleep(3)
    lab.sh(master, "pkill -STOP -x redis-server")  # the master hangs
    t0 = time.monotonic()
    deadline = t0 + 60
    while time.monotonic() < deadline and role(lab, replica) != "master":
        time.sleep(0.5)
    promoted = time.monotonic() - t0
    time.sleep(4)
    lab.sh(master, "pkill -CONT -x redis-server")
    while lab.sh(client, "pgrep -f '[d]uck-redis-probe/writer.py' >/dev/null", check=False).returncode == 0:
        time.sleep(1)
    rows = [json.loads(x) for x in lab.sh(client, f"cat {out}").stdout.splitlines() if x.startswith("{")]
    ok = [r["t"] for r in rows if r["ok"]]
    gap = max(b - a for a, b in itertools.pairwise(ok))
    late = [r for r in rows if r["ok"] and r["t"] > rows[0]["t"] + 3 + promoted + 5]
    figure(
        f"\nredis: {replica} promoted {promoted:.1f} s after {master} hung; client write gap {gap:.1f} s; "
        f"{len(ok)} writes ok, {len(rows) - len(ok)} failed; {len(late)} ok after the failover"
    )
    assert role(lab, replica) == "master"
    assert late, "the client did not keep writing after the failover"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and role(lab, master) != "slave":
        time.sleep(1)
    assert role(lab, master) == "slave", "the old master did not come back as a replica"
    # re-running the playbook after a failover keeps the new master (no flip back)
    assert_converged(lab.playbook("playbooks/cache.yml"))
    assert role(lab, replica) == "master" and role(lab, master) == "slave"
