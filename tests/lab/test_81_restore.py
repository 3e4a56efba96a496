"""Destructive backup drills (run last): pgBackRest timers and metrics, point-in-time restore between
two writes, a dropped table brought back, and the restore drill comparing every table with the leader."""

from __future__ import annotations

import time

import pytest

from tests.lab.datatier import leader, psql, wait_healthy
from tests.lab.helpers import Lab, PlaybookResult, assert_converged, assert_idempotent, figure

PLAYBOOK = "playbooks/backup.yml"
PROM = "/var/lib/prometheus/node-exporter/duck_backup.prom"


@pytest.fixture(scope="module")
def backup(lab: Lab, common_converged: PlaybookResult) -> PlaybookResult:
    lab.converge("playbooks/pki.yml")
    lab.converge("playbooks/database.yml")
    wait_healthy(lab)
    return lab.converge(PLAYBOOK)


def scratch(lab: Lab) -> str:
    return lab.group("restore_target")[0]


def restored(lab: Lab, sql: str) -> str:
    return psql(lab, scratch(lab), sql)


def test_backup_converges_and_is_idempotent(lab: Lab, backup: PlaybookResult) -> None:
    figure(f"backup: {backup.summary()}")
    result = assert_idempotent(PLAYBOOK, lab.inventory)
    figure(f"backup second run: {result.summary()}")


def test_timers_and_metrics(lab: Lab, backup: PlaybookResult) -> None:
    repo = lab.group("backup")[0]
    timers = lab.sh(repo, "systemctl list-timers --all --no-legend 'duck-backup-*'").stdout
    for kind in ("full", "incr", "verify"):
        assert f"duck-backup-{kind}.timer" in timers, timers
    t0 = time.monotonic()
    lab.sh(repo, "systemctl start duck-backup@incr.service", timeout=600)
    figure(f"incremental backup took {time.monotonic() - t0:.1f} s")
    prom = lab.sh(repo, f"cat {PROM}").stdout
    assert 'duck_backup_last_run_success{type="incr"} 1' in prom, prom
    assert 'duck_backup_last_success_timestamp_seconds{type="full"}' in prom, prom
    stamp = float(prom.split('duck_backup_last_success_timestamp_seconds{type="incr"} ')[1].split()[0])
    assert abs(time.time() - stamp) < 900
    info = lab.sh(repo, "runuser -u pgbackrest -- pgbackrest --stanza=duck info").stdout
    assert "status: ok" in info and "full backup" in info and "incr backup" in info, info
    figure(info)


def test_pitr_between_two_writes_and_a_dropped_table_comes_back(lab: Lab, backup: PlaybookResult) -> None:
    lead = leader(lab)
    psql(
        lab,
        lead,
        "drop table if exists restore_probe; create table restore_probe (id int primary key, note text)",
    )
    psql(lab, lead, "insert into restore_probe values (1, 'first')")
    time.sleep(1.5)
    between = psql(lab, lead, "select now()")
    time.sleep(1.5)
    psql(lab, lead, "insert into restore_probe select g, md5(g::text) from generate_series(2, 5000) g")
    expected = psql(
        lab, lead, "select count(*), md5(string_agg(id || note, ',' order by id)) from restore_probe"
    )
    time.sleep(1.5)
    before_drop = psql(lab, lead, "select now()")
    time.sleep(1.5)
    psql(lab, lead, "drop table restore_probe")  # the accident
    lab.sh(lead, "runuser -u postgres -- pgbackrest --stanza=duck check", timeout=300)  # WAL reaches the repo

    t0 = time.monotonic()
    assert_converged(lab.playbook("playbooks/restore.yml", extra_vars={"restore_target_time": between}))
    figure(f"PITR restore to {between} took {time.monotonic() - t0:.1f} s")
    assert restored(lab, "select id, note from restore_probe") == "1|first"

    t0 = time.monotonic()
    assert_converged(lab.playbook("playbooks/restore.yml", extra_vars={"restore_target_time": before_drop}))
    figure(f"restore to just before the drop ({before_drop}) took {time.monotonic() - t0:.1f} s")
    got = restored(lab, "select count(*), md5(string_agg(id || note, ',' order by id)) from restore_probe")
    assert got == expected, (got, expected)


def test_restore_drill_matches_the_leader(lab: Lab, backup: PlaybookResult) -> None:
    t0 = time.monotonic()
    result = lab.playbook("playbooks/restore_drill.yml")
    assert_converged(result)
    assert "RESTORE DRILL PASSED" in result.output
    report = [ln.strip() for ln in result.output.splitlines() if "equal" in ln or "tables" in ln]
    figure(f"restore drill took {time.monotonic() - t0:.1f} s: {report[:6]}")
    wait_healthy(lab)
