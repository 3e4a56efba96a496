"""Day-2 playbooks on the running site (issue 14 item 3): a fleet-wide app restart under load through
the virtual address with no failed request, VACUUM ANALYZE on the Patroni leader only, and a log clean-up
that removes old rotated files, keeps fresh ones and changes nothing on a second run. Each procedure is a
role entry point (app restart, postgresql vacuum, common log_cleanup); playbooks/ops/ only sequences them."""

from __future__ import annotations

import os

import pytest

from tests.lab.helpers import Lab, PlaybookResult, assert_converged, figure
from tests.lab.site_client import Load, ca_file

SITE = "playbooks/site.yml"


@pytest.fixture(scope="module")
def site(lab: Lab) -> PlaybookResult:
    if os.environ.get("DUCK_SITE_ASSUME_CONVERGED"):  # development: iterate on a lab already converged
        return PlaybookResult(rc=0, recap={}, duration=0.0, output="", changed_tasks=[])
    return lab.converge(SITE)


def _started(lab: Lab, host: str) -> str:
    return lab.sh(host, "systemctl show -p ActiveEnterTimestampMonotonic --value duck.service").stdout.strip()


def test_restart_under_load_loses_no_request(lab: Lab, site: PlaybookResult) -> None:
    address = lab.spec.vip or lab.hosts[lab.group("lb")[0]]
    before = {h: _started(lab, h) for h in lab.group("app")}
    with Load(f"https://{address}", ca_file(lab.spec.state_dir)) as load:
        result = lab.playbook("playbooks/ops/restart.yml")
    figure(
        f"ops/restart.yml, {len(before)} app hosts: {result.duration:.1f} s; load: {load.report.summary()}"
    )
    assert_converged(result)
    after = {h: _started(lab, h) for h in lab.group("app")}
    assert all(after[h] != before[h] for h in before), f"every app host restarts: {before} -> {after}"
    assert load.report.failed == 0, load.report.summary()
    drained = [
        lb
        for lb in lab.group("lb")
        if lab.sh(lb, "ls /etc/nginx/duck-upstream.d/ | grep -c drained || true").stdout.strip() != "0"
    ]
    assert drained == [], f"hosts left drained on {drained}"


def test_vacuum_runs_on_the_leader_only(lab: Lab, site: PlaybookResult) -> None:
    result = lab.playbook("playbooks/ops/vacuum.yml")
    assert_converged(result)
    ran = [h for h in lab.group("postgres") if f"vacuum_analyze on {h} (leader)" in result.output]
    figure(f"ops/vacuum.yml: {result.duration:.1f} s on {ran}")
    assert len(ran) == 1, f"exactly one host (the leader) vacuums: {ran}\n{result.output[-3000:]}"
    assert "vacuuming database" in result.output or "processing database" in result.output


def test_log_cleanup_removes_old_rotated_files_only(lab: Lab, site: PlaybookResult) -> None:
    host = lab.group("app")[0]
    old, fresh, live = (
        "/var/log/duck-day2-test.log.3.gz",
        "/var/log/duck-day2-test.log.1.gz",
        "/var/log/duck-day2-test.log",
    )
    lab.sh(host, f"touch {live} {fresh} && touch -d '45 days ago' {old}")
    try:
        first = lab.playbook("playbooks/ops/log_cleanup.yml", limit=host)
        assert_converged(first)
        present = lab.sh(host, f"ls {old} {fresh} {live} 2>/dev/null || true").stdout.split()
        assert old not in present and fresh in present and live in present, present
        second = lab.playbook("playbooks/ops/log_cleanup.yml", limit=host)
        assert_converged(second)
        deleted = [t for t in second.changed_tasks if "Delete rotated logs past their age" in t]
        assert deleted == [], second.changed_tasks
        figure(f"ops/log_cleanup.yml on {host}: {first.duration:.1f} s, rerun {second.duration:.1f} s")
    finally:
        lab.sh(host, f"rm -f {old} {fresh} {live}", check=False)
