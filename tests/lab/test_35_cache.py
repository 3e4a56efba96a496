"""Role redis on the lab: master + replica with ACL users, AOF, maxmemory; three Sentinels with auth."""

from __future__ import annotations

import json
import shlex

import pytest

from app.core.ratelimit import REDIS_KEY_PREFIX
from tests.lab.datatier import PROBE_DIR, app_host, secret, ship_probe
from tests.lab.helpers import Lab, PlaybookResult, assert_idempotent, figure

PLAYBOOK = "playbooks/cache.yml"
APP_USER = "duck_app"  # roles/redis redis_app_user


@pytest.fixture(scope="module")
def cache(lab: Lab, common_converged: PlaybookResult) -> PlaybookResult:
    lab.converge("playbooks/pki.yml")
    return lab.converge(PLAYBOOK)


# The app's own Redis code and the rate limiter (limits + redis-py, as locked in the venv) run on an app host
# against the lab, as the app's ACL user: the ACL must allow everything they send.
PROBE = r"""
import asyncio, json, sys
from limits import parse
from limits.aio.strategies import SlidingWindowCounterRateLimiter
from limits.storage import storage_from_string
from app.core.redis import create_redis, limits_storage_options, limits_storage_uri
url, prefix = sys.argv[1], sys.argv[2]
async def main():
    client = create_redis(url)
    out = {"ping": await client.ping()}
    await client.set(f"{prefix}:probe", b"quack", ex=60)
    out["get"] = (await client.get(f"{prefix}:probe")).decode()
    await client.aclose()
    storage = storage_from_string(limits_storage_uri(url), key_prefix=prefix, **limits_storage_options(url))
    limiter, item = SlidingWindowCounterRateLimiter(storage), parse("2/minute")
    out["check"] = await storage.check()
    out["hits"] = [await limiter.hit(item, "probe", "lab") for _ in range(3)]
    out["remaining"] = (await limiter.get_window_stats(item, "probe", "lab")).remaining
    await storage.clear(item.key_for("probe", "lab"))
    print(json.dumps(out))
asyncio.run(main())
"""


def rcli(lab: Lab, host: str, target: str, *args: str, user: str = "", pw: str = "", port: int = 6379) -> str:
    auth = (["--user", user] if user else []) + (["--pass", pw] if pw else [])
    argv = ["redis-cli", "-h", target, "-p", str(port), *auth, "--no-auth-warning", *args]
    proc = lab.sh(host, shlex.join(argv), check=False)
    return (proc.stdout + proc.stderr).strip()


def sentinel_master(lab: Lab, host: str) -> str:
    out = rcli(
        lab,
        host,
        lab.hosts[host],
        "SENTINEL",
        "get-master-addr-by-name",
        "duck",
        user=APP_USER,
        pw=secret(lab, "redis_app"),
        port=26379,
    )
    return out.splitlines()[0] if out else ""


def test_cache_converges(lab: Lab, cache: PlaybookResult) -> None:
    figure(f"cache: {cache.summary()}")


def test_second_run_changes_nothing(lab: Lab, cache: PlaybookResult) -> None:
    result = assert_idempotent(PLAYBOOK, lab.inventory)
    figure(f"cache second run: {result.summary()}")


def test_master_replica_and_three_sentinels_agree(lab: Lab, cache: PlaybookResult) -> None:
    redis = sorted(lab.group("redis"))
    admin = secret(lab, "redis_admin")
    roles = {h: rcli(lab, h, "127.0.0.1", "ROLE", user="duck_admin", pw=admin).splitlines()[0] for h in redis}
    assert sorted(roles.values()) == ["master", "slave"], roles
    master = next(h for h, r in roles.items() if r == "master")
    views = {h: sentinel_master(lab, h) for h in lab.group("redis_sentinel")}
    assert set(views.values()) == {lab.hosts[master]}, views


def test_acl_users_and_hardening(lab: Lab, cache: PlaybookResult) -> None:
    host = sorted(lab.group("redis"))[0]
    target = lab.hosts[host]
    app, mon = secret(lab, "redis_app"), secret(lab, "redis_monitor")
    assert "NOAUTH" in rcli(lab, host, target, "PING")
    assert "WRONGPASS" in rcli(lab, host, target, "PING", pw="not-the-password")
    # `default` is off: no password logs in as it (the app's password neither)
    for pw in (app, mon, secret(lab, "redis_admin")):
        assert "WRONGPASS" in rcli(lab, host, target, "PING", pw=pw)
        assert "WRONGPASS" in rcli(lab, host, target, "PING", user="default", pw=pw)
    assert rcli(lab, host, target, "PING", user=APP_USER, pw=app) == "PONG"
    for cmd in (
        ["FLUSHALL"],
        ["FLUSHDB"],
        ["CONFIG", "GET", "maxmemory"],
        ["CONFIG", "SET", "maxmemory", "0"],
        ["KEYS", "*"],
        ["SCAN", "0"],
        ["INFO"],
        ["DEBUG", "SLEEP", "0"],
        ["SHUTDOWN"],
        ["ACL", "LIST"],
        ["MONITOR"],
        ["PUBLISH", "duck:events", "x"],
        ["EVAL", "return 1", "0"],
        ["FUNCTION", "LIST"],
    ):
        refused = rcli(lab, host, target, *cmd, user=APP_USER, pw=app)
        # DEBUG is off for everyone (enable-debug-command no) before the ACL is even asked
        assert "NOPERM" in refused or (cmd[0] == "DEBUG" and "not allowed" in refused), (cmd, refused)
    # its own keys only, also from inside a Lua script (as `limits` runs them)
    for key in ("other:probe", "LIMITS:probe", "duckling"):
        refused = rcli(lab, host, target, "SET", key, "v", user=APP_USER, pw=app)
        assert "NOPERM" in refused, (key, refused)
    assert "NOPERM" in rcli(lab, host, target, "GET", "other:probe", user=APP_USER, pw=app)
    script = "return redis.call('set', KEYS[1], ARGV[1])"
    sha = rcli(lab, host, target, "SCRIPT", "LOAD", script, user=APP_USER, pw=app)
    assert len(sha) == 40, sha
    assert "NOPERM" in rcli(lab, host, target, "EVALSHA", sha, "1", "other:probe", "v", user=APP_USER, pw=app)
    assert "NOPERM" in rcli(lab, host, target, "SET", "k", "v", user="duck_monitor", pw=mon)
    assert "redis_version" in rcli(lab, host, target, "INFO", "server", user="duck_monitor", pw=mon)
    admin = secret(lab, "redis_admin")
    conf = {
        k: rcli(lab, host, "127.0.0.1", "CONFIG", "GET", k, user="duck_admin", pw=admin).splitlines()[-1]
        for k in ("appendonly", "maxmemory-policy", "bind", "protected-mode")
    }
    assert conf["appendonly"] == "yes" and conf["maxmemory-policy"] == "volatile-lru", conf
    assert conf["bind"] == f"{target} 127.0.0.1", conf
    # the sentinels: auth for anything, `default` off, the app's user for discovery only
    sentinel = sorted(lab.group("redis_sentinel"))[0]
    addr = lab.hosts[sentinel]
    assert "NOAUTH" in rcli(lab, sentinel, addr, "SENTINEL", "masters", port=26379)
    assert "WRONGPASS" in rcli(lab, sentinel, addr, "PING", pw=app, port=26379)
    assert rcli(lab, sentinel, addr, "PING", user=APP_USER, pw=app, port=26379) == "PONG"
    assert "duck" in rcli(lab, sentinel, addr, "SENTINEL", "masters", user=APP_USER, pw=app, port=26379)
    for cmd in (
        ["SENTINEL", "FAILOVER", "duck"],
        ["SENTINEL", "SET", "duck", "quorum", "1"],
        ["SUBSCRIBE", "x"],
    ):
        refused = rcli(lab, sentinel, addr, *cmd, user=APP_USER, pw=app, port=26379)
        assert "NOPERM" in refused, (cmd, refused)


def test_the_apps_code_works_as_its_acl_user(lab: Lab, cache: PlaybookResult) -> None:
    """REDIS_URL as role app writes it: Sentinel discovery, PING, SET/GET, the rate limiter's Lua scripts."""
    client = app_host(lab)
    ship_probe(lab, client, {"probe.py": PROBE})
    sentinels = ",".join(f"{lab.hosts[h]}:26379" for h in sorted(lab.group("redis_sentinel")))
    url = f"redis+sentinel://{APP_USER}:{secret(lab, 'redis_app')}@{sentinels}/duck/0"
    run = f"python3 -B {PROBE_DIR}/probe.py {{}} {REDIS_KEY_PREFIX}"
    proc = lab.sh(client, run.format(shlex.quote(url)), become=False, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout.splitlines()[-1])
    assert out == {
        "ping": True,
        "get": "quack",
        "check": True,
        "hits": [True, True, False],
        "remaining": 0,
    }, out
    # the password-only form is the disabled `default` user: refused
    bad = url.replace(f"{APP_USER}:", ":")
    proc = lab.sh(client, run.format(shlex.quote(bad)), become=False, check=False)
    assert proc.returncode != 0 and "AuthenticationError" in proc.stderr, proc.stderr[-2000:]


def test_writes_replicate(lab: Lab, cache: PlaybookResult) -> None:
    admin, app = secret(lab, "redis_admin"), secret(lab, "redis_app")
    redis = sorted(lab.group("redis"))
    master = next(
        h
        for h in redis
        if rcli(lab, h, "127.0.0.1", "ROLE", user="duck_admin", pw=admin).startswith("master")
    )
    replica = next(h for h in redis if h != master)
    as_app = {"user": APP_USER, "pw": app}
    assert rcli(lab, master, lab.hosts[master], "SET", "duck:probe", "quack", "EX", "600", **as_app) == "OK"
    assert rcli(lab, master, lab.hosts[master], "GET", "duck:probe", **as_app) == "quack"
    rcli(lab, master, lab.hosts[master], "WAIT", "1", "2000", user="duck_admin", pw=admin)
    assert rcli(lab, replica, lab.hosts[replica], "GET", "duck:probe", **as_app) == "quack"
    assert "READONLY" in rcli(lab, replica, lab.hosts[replica], "SET", "duck:probe", "x", **as_app)
    assert rcli(lab, master, lab.hosts[master], "DEL", "duck:probe", **as_app) == "1"
