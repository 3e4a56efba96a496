"""Role redis on the lab: master + replica with ACL users, AOF, maxmemory; three Sentinels with auth."""

from __future__ import annotations

import shlex

import pytest

from tests.lab.datatier import secret
from tests.lab.helpers import Lab, PlaybookResult, assert_idempotent, figure

PLAYBOOK = "playbooks/cache.yml"


@pytest.fixture(scope="module")
def cache(lab: Lab, common_converged: PlaybookResult) -> PlaybookResult:
    lab.converge("playbooks/pki.yml")
    return lab.converge(PLAYBOOK)


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
    assert rcli(lab, host, target, "PING", pw=app) == "PONG"
    for cmd in (
        ["FLUSHALL"],
        ["CONFIG", "SET", "maxmemory", "0"],
        ["KEYS", "*"],
        ["DEBUG", "SLEEP", "0"],
        ["SHUTDOWN"],
        ["ACL", "LIST"],
    ):
        refused = rcli(lab, host, target, *cmd, pw=app)
        assert "NOPERM" in refused or "not allowed" in refused, (cmd, refused)
    assert "NOPERM" in rcli(lab, host, target, "SET", "k", "v", user="duck_monitor", pw=mon)
    assert "redis_version" in rcli(lab, host, target, "INFO", "server", user="duck_monitor", pw=mon)
    admin = secret(lab, "redis_admin")
    conf = {
        k: rcli(lab, host, "127.0.0.1", "CONFIG", "GET", k, user="duck_admin", pw=admin).splitlines()[-1]
        for k in ("appendonly", "maxmemory-policy", "bind", "protected-mode")
    }
    assert conf["appendonly"] == "yes" and conf["maxmemory-policy"] == "volatile-lru", conf
    assert conf["bind"] == f"{target} 127.0.0.1", conf
    # the sentinels need auth for anything but discovery
    sentinel = sorted(lab.group("redis_sentinel"))[0]
    assert "NOAUTH" in rcli(lab, sentinel, lab.hosts[sentinel], "SENTINEL", "masters", port=26379)
    assert "NOPERM" in rcli(
        lab, sentinel, lab.hosts[sentinel], "SENTINEL", "FAILOVER", "duck", pw=app, port=26379
    )


def test_writes_replicate(lab: Lab, cache: PlaybookResult) -> None:
    admin, app = secret(lab, "redis_admin"), secret(lab, "redis_app")
    redis = sorted(lab.group("redis"))
    master = next(
        h
        for h in redis
        if rcli(lab, h, "127.0.0.1", "ROLE", user="duck_admin", pw=admin).startswith("master")
    )
    replica = next(h for h in redis if h != master)
    assert rcli(lab, master, lab.hosts[master], "SET", "duck:probe", "quack", pw=app) == "OK"
    rcli(lab, master, lab.hosts[master], "WAIT", "1", "2000", user="duck_admin", pw=admin)
    assert rcli(lab, replica, lab.hosts[replica], "GET", "duck:probe", pw=app) == "quack"
    assert "READONLY" in rcli(lab, replica, lab.hosts[replica], "SET", "duck:probe", "x", pw=app)
