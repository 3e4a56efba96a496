"""Destructive PostgreSQL drills (run last): planned switchover and leader-host loss, timed with a client
writing every 100 ms through the multi-host URL (target_session_attrs=read-write). Prints the write outage
(RTO) and the acknowledged rows missing afterwards (RPO); asserts RPO 0 (synchronous_mode); leaves the
cluster healthy."""

from __future__ import annotations

import shlex
import time
from typing import Any

import pytest

from tests.lab.datatier import (
    Writer,
    app_host,
    ensure_client,
    leader,
    outage,
    psql,
    secret,
    wait_healthy,
)
from tests.lab.helpers import Lab, PlaybookResult, assert_converged, figure

SWITCHOVER_MAX_S = 3.0  # issue 5: switchover <= 3 s (measured 1.1-1.2 s on this machine)
FAILOVER_MAX_S = 30.0  # goal 15 s (measured ~12 s at ttl 10 / loop_wait 2 / retry_timeout 3)


@pytest.fixture(scope="module")
def drill_ready(lab: Lab, common_converged: PlaybookResult) -> None:
    lab.converge("playbooks/pki.yml")
    lab.converge("playbooks/database.yml")
    wait_healthy(lab)
    ensure_client(lab, app_host(lab))
    lead = leader(lab)
    owner = secret(lab, "postgresql_owner")
    conn = f"host=127.0.0.1 dbname=duck user=duck_owner password={owner} sslmode=require"
    lab.sh(
        lead,
        f"psql -X -q {shlex.quote(conn)} -c 'create table if not exists drill (id bigint primary key, "
        "at timestamptz not null default now())'",
    )


def lost_rows(lab: Lab, rows: list[dict[str, Any]]) -> int:
    acked = [r["id"] for r in rows if r["ok"]]
    if not acked:
        return 0
    present = psql(
        lab,
        leader(lab),
        f"select count(*) from drill where id between {min(acked)} and {max(acked)} "
        f"and id = any('{{{','.join(map(str, acked))}}}'::bigint[])",
    )
    return len(acked) - int(present)


def report(name: str, rows: list[dict[str, Any]], lost: int) -> float:
    gap, acked, failed = outage(rows)
    assert acked > 20, f"{name}: the client hardly wrote ({acked} acknowledged)"
    figure(
        f"\n{name}: write outage {gap:.2f} s, acknowledged {acked}, failed attempts {failed}, "
        f"acknowledged rows lost {lost}"
    )
    errors = sorted({r.get("err", "") for r in rows if not r["ok"]})
    if errors:
        figure(f"{name}: client errors seen: {errors[:5]}")
    return gap


def test_switchover_is_fast_and_loses_nothing(lab: Lab, drill_ready: None) -> None:
    before = leader(lab)
    writer = Writer(lab, seconds=600, start_id=int(time.time() * 1000))  # stopped once the playbook is done
    time.sleep(4)
    result = lab.playbook("playbooks/pg_switchover.yml")
    time.sleep(3)
    writer.stop()
    assert_converged(result)
    rows = writer.results()
    after = leader(lab)
    assert after != before
    lost = lost_rows(lab, rows)
    gap = report(f"switchover {before} -> {after}", rows, lost)
    assert lost == 0
    assert gap <= SWITCHOVER_MAX_S
    wait_healthy(lab)


def test_leader_loss_fails_over_with_rpo_zero_and_the_old_leader_rejoins(lab: Lab, drill_ready: None) -> None:
    wait_healthy(lab)
    old = leader(lab)
    data_dir = "/var/lib/postgresql/15/duck"
    inode_before = lab.sh(old, f"stat -c %i {data_dir}").stdout.strip()
    writer = Writer(lab, seconds=600, start_id=int(time.time() * 1000))  # stopped once the old leader is back
    time.sleep(4)
    t0, drill_started = time.monotonic(), int(time.time())  # lab hosts share this machine's clock
    result = lab.playbook("playbooks/pg_failover_drill.yml", extra_vars={"pg_drill_hold_seconds": 3})
    time.sleep(3)
    writer.stop()
    assert_converged(result)
    figure(f"drill playbook ran {time.monotonic() - t0:.1f} s")
    for line in result.output.splitlines():
        if "election took" in line or "new leader" in line:
            figure(line.strip())
    rows = writer.results()
    new = leader(lab)
    assert new != old
    lost = lost_rows(lab, rows)
    gap = report(f"leader loss ({old} frozen) -> {new}", rows, lost)
    assert lost == 0, "synchronous_mode must not lose acknowledged writes"
    assert gap <= FAILOVER_MAX_S
    state = wait_healthy(lab, timeout=180)
    roles = {m["name"]: m["role"] for m in state["members"]}
    assert roles[old] in ("replica", "sync_standby"), roles
    inode_after = lab.sh(old, f"stat -c %i {data_dir}").stdout.strip()
    assert inode_after == inode_before, "the old leader was re-cloned instead of rejoining"
    since = lab.sh(
        old,
        # only since the drill began: the replicas' own initial clone may be minutes old on a fresh lab
        f"journalctl -u patroni --since @{drill_started} --no-pager"
        " | grep -ciE 'basebackup|bootstrap from' || true",
    ).stdout.strip()
    assert since == "0", f"old leader re-cloned: {since}"
    figure(f"old leader {old} back as {roles[old]} on the same data directory (no re-clone)")
